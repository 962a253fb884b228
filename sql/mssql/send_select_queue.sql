-- The send queue (docs/sending.md): rows waiting to be sent, in id order after $1, at most $2.
--   Pending, or Error written by a sender (a failed send is retried); never an Error recorded by
--   the staging build (api_response starting {"stage": an invalid child, or a child who left
--   before any payload was acknowledged). Status values are compared case-insensitively whatever
--   the collation (the community senders write lower case).
SELECT TOP ($2) s.[id] AS id, s.[person_id] AS person_id, s.[row_state] AS row_state, s.[submission_status] AS submission_status,
       s.[json_payload] AS json_payload, s.[partial_json_payload] AS partial_json_payload,
       LOWER(CONVERT(VARCHAR(64), s.[current_hash], 2)) AS current_hash
FROM {{table}} s
WHERE s.[id] > $1
  AND (LOWER(LTRIM(RTRIM(s.[submission_status]))) = N'pending'
       OR (LOWER(LTRIM(RTRIM(s.[submission_status]))) = N'error'
           AND (s.[api_response] IS NULL OR LEFT(s.[api_response], 9) <> N'{"stage":')))
ORDER BY s.[id]
