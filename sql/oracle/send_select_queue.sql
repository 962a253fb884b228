-- The send queue (docs/sending.md): rows waiting to be sent, in id order after $1, at most $2.
--   Pending, or Error written by a sender (a failed send is retried); never an Error recorded by
--   the staging build (api_response starting {"stage": an invalid child, or a child who left
--   before any payload was acknowledged). Status values are compared case-insensitively (the
--   community senders write lower case). api_response is a CLOB: LIKE, not "=", compares it.
SELECT s.id AS id, s.person_id AS person_id, s.row_state AS row_state, s.submission_status AS submission_status,
       s.json_payload AS json_payload, s.partial_json_payload AS partial_json_payload,
       LOWER(RAWTOHEX(s.current_hash)) AS current_hash
FROM {{table}} s
WHERE s.id > $1
  AND (LOWER(TRIM(s.submission_status)) = 'pending'
       OR (LOWER(TRIM(s.submission_status)) = 'error'
           AND (s.api_response IS NULL OR s.api_response NOT LIKE '{"stage":%')))
ORDER BY s.id
FETCH FIRST $2 ROWS ONLY
