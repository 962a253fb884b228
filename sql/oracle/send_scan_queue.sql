-- The send queue as send_select_queue.sql, for the deletion count before a run (the mass-deletion
-- safety stop): the payloads only when short enough to be a deletion payload (two ids and
-- "purge": true); a longer one is a child's full payload and is not read.
SELECT s.id AS id,
       CASE WHEN LENGTH(s.json_payload) <= 1000 THEN s.json_payload END AS json_payload,
       CASE WHEN LENGTH(s.partial_json_payload) <= 1000 THEN s.partial_json_payload END AS partial_json_payload,
       s.row_state AS row_state
FROM {{table}} s
WHERE s.id > $1
  AND (LOWER(TRIM(s.submission_status)) = 'pending'
       OR (LOWER(TRIM(s.submission_status)) = 'error'
           AND (s.api_response IS NULL OR s.api_response NOT LIKE '{"stage":%')))
ORDER BY s.id
FETCH FIRST $2 ROWS ONLY
