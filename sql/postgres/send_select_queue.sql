-- The send queue (docs/sending.md): rows waiting to be sent, in id order after $1, at most $2.
--   Pending, or Error written by a sender (a failed send is retried); never an Error recorded by
--   the staging build (api_response starting {"stage": an invalid child, or a child who left
--   before any payload was acknowledged). Status values are compared case-insensitively (the
--   community senders write lower case).
SELECT s."id" AS id, s."person_id" AS person_id, s."row_state" AS row_state, s."submission_status" AS submission_status,
       CAST(s."json_payload" AS TEXT) AS json_payload, CAST(s."partial_json_payload" AS TEXT) AS partial_json_payload,
       encode(s."current_hash", 'hex') AS current_hash
FROM {{table}} s
WHERE s."id" > $1::bigint
  AND (LOWER(TRIM(s."submission_status")) = 'pending'
       OR (LOWER(TRIM(s."submission_status")) = 'error'
           AND (s."api_response" IS NULL OR LEFT(CAST(s."api_response" AS TEXT), 9) <> '{"stage":')))
ORDER BY s."id"
LIMIT $2::int
