-- How many rows of the send queue (as send_select_queue.sql) come after id $1: the rows a run that
-- stopped early did not read.
SELECT COUNT(*) AS n
FROM {{table}} s
WHERE s.[id] > $1
  AND (LOWER(LTRIM(RTRIM(s.[submission_status]))) = N'pending'
       OR (LOWER(LTRIM(RTRIM(s.[submission_status]))) = N'error'
           AND (s.[api_response] IS NULL OR LEFT(s.[api_response], 9) <> N'{"stage":')))
