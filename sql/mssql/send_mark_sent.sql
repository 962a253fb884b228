-- One record the API acknowledged (payload contract §Sending, D9):
--   $1 id, $2 hex SHA-256 of the payload read for sending (NULL if the row had none),
--   $3 the full payload text read for sending, $4 the token's uuid, $5 the token's time (UTC).
-- previous_* := what the API now holds. Status Sent and row state Unchanged only if the row still
-- holds that payload: if staging wrote a newer one meanwhile, the row stays queued for it.
UPDATE s SET
    [previous_json_payload] = $3,
    [previous_hash] = CONVERT(VARBINARY(32), $2, 2),
    [api_response] = $4,
    [submission_timestamp] = CAST($5 AS DATETIME2(3)),
    [submission_status] = CASE WHEN (s.[current_hash] = CONVERT(VARBINARY(32), $2, 2) OR (s.[current_hash] IS NULL AND $2 IS NULL AND s.[json_payload] = $3))
                               THEN N'Sent' ELSE s.[submission_status] END,
    [row_state] = CASE WHEN (s.[current_hash] = CONVERT(VARBINARY(32), $2, 2) OR (s.[current_hash] IS NULL AND $2 IS NULL AND s.[json_payload] = $3))
                       THEN N'Unchanged' ELSE s.[row_state] END
FROM {{table}} AS s
WHERE s.[id] = $1
