-- One record not acknowledged: $1 id, $2 hex hash and $3 payload text read for sending, $4 the reason.
-- Only if the row still holds that payload (a newer one written by staging meanwhile stays queued).
-- The payloads are CLOBs: DBMS_LOB.COMPARE, not "=", compares them (a long $3 is bound as a CLOB).
UPDATE {{table}} s SET
    s.submission_status = N'Error',
    s.api_response = $4
WHERE s.id = $1
  AND (s.current_hash = HEXTORAW($2) OR (s.current_hash IS NULL AND $2 IS NULL AND DBMS_LOB.COMPARE(s.json_payload, TO_CLOB($3)) = 0))
