-- One record the API acknowledged (payload contract §Sending, D9):
--   $1 id, $2 hex SHA-256 of the payload read for sending (NULL if the row had none),
--   $3 the full payload text read for sending, $4 the token's uuid, $5 the token's time (UTC, 'YYYY-MM-DDTHH:MM:SS.fff').
-- previous_* := what the API now holds. Status Sent and row state Unchanged only if the row still
-- holds that payload: if staging wrote a newer one meanwhile, the row stays queued for it.
UPDATE {{table}} s SET
    s.previous_json_payload = $3,
    s.previous_hash = HEXTORAW($2),
    s.api_response = $4,
    s.submission_timestamp = TO_TIMESTAMP($5, 'YYYY-MM-DD"T"HH24:MI:SS.FF3'),
    s.submission_status = CASE WHEN (s.current_hash = HEXTORAW($2) OR (s.current_hash IS NULL AND $2 IS NULL AND DBMS_LOB.COMPARE(s.json_payload, TO_CLOB($3)) = 0))
                               THEN N'Sent' ELSE s.submission_status END,
    s.row_state = CASE WHEN (s.current_hash = HEXTORAW($2) OR (s.current_hash IS NULL AND $2 IS NULL AND DBMS_LOB.COMPARE(s.json_payload, TO_CLOB($3)) = 0))
                       THEN N'Unchanged' ELSE s.row_state END
WHERE s.id = $1
