-- How many rows of the send queue (as send_select_queue.sql) come after id $1: the rows a run that
-- stopped early did not read.
SELECT COUNT(*) AS n
FROM {{table}} s
WHERE s.id > $1
  AND (LOWER(TRIM(s.submission_status)) = 'pending'
       OR (LOWER(TRIM(s.submission_status)) = 'error'
           AND (s.api_response IS NULL OR s.api_response NOT LIKE '{"stage":%')))
