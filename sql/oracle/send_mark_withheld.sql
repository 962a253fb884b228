-- One record held back by the sender (it fails the DfE schema now, so it is not sent; Withheld so that
-- no community sender sends it either): $1 id, $2 hex hash and $3 payload text read for sending, $4 the reason.
-- Only if the row still holds that payload (a newer one written by staging meanwhile stays queued).
UPDATE {{table}} s SET
    s.submission_status = N'Withheld',
    s.api_response = $4
WHERE s.id = $1
  AND (s.current_hash = HEXTORAW($2) OR (s.current_hash IS NULL AND $2 IS NULL AND DBMS_LOB.COMPARE(s.json_payload, TO_CLOB($3)) = 0))
