-- One record the API acknowledged (payload contract §Sending, D9):
--   $1 id, $2 hex SHA-256 of the payload read for sending (NULL if the row had none),
--   $3 the full payload text read for sending, $4 the token's uuid, $5 the token's time (UTC).
-- previous_* := what the API now holds. Status Sent and row state Unchanged only if the row still
-- holds that payload: if staging wrote a newer one meanwhile, the row stays queued for it.
UPDATE {{table}} AS s SET
    "previous_json_payload" = $3::text{{jsonCast}},
    "previous_hash" = decode($2::text, 'hex'),
    "api_response" = $4::text,
    "submission_timestamp" = CAST($5::text AS TIMESTAMP) AT TIME ZONE 'UTC',
    "submission_status" = CASE WHEN (s."current_hash" = decode($2::text, 'hex') OR (s."current_hash" IS NULL AND $2::text IS NULL AND CAST(s."json_payload" AS TEXT) = $3::text))
                               THEN 'Sent' ELSE s."submission_status" END,
    "row_state" = CASE WHEN (s."current_hash" = decode($2::text, 'hex') OR (s."current_hash" IS NULL AND $2::text IS NULL AND CAST(s."json_payload" AS TEXT) = $3::text))
                       THEN 'Unchanged' ELSE s."row_state" END
WHERE s."id" = $1::bigint
