-- The send queue as send_select_queue.sql, for the deletion count before a run (the mass-deletion
-- safety stop): the payloads only when short enough to be a deletion payload (two ids and
-- "purge": true); a longer one is a child's full payload and is not read.
SELECT s."id" AS id,
       CASE WHEN LENGTH(CAST(s."json_payload" AS TEXT)) <= 1000 THEN CAST(s."json_payload" AS TEXT) END AS json_payload,
       CASE WHEN LENGTH(CAST(s."partial_json_payload" AS TEXT)) <= 1000 THEN CAST(s."partial_json_payload" AS TEXT) END AS partial_json_payload,
       s."row_state" AS row_state
FROM {{table}} s
WHERE s."id" > $1::bigint
  AND (LOWER(TRIM(s."submission_status")) = 'pending'
       OR (LOWER(TRIM(s."submission_status")) = 'error'
           AND (s."api_response" IS NULL OR LEFT(CAST(s."api_response" AS TEXT), 9) <> '{"stage":')))
ORDER BY s."id"
LIMIT $2::int
