-- Rows an earlier version held back as 'Error' with a staging-build reason (api_response starting
-- {"stage": an invalid child, or a child who left before any acknowledgement) become 'Withheld':
-- the community senders select 'pending' and 'error' rows and would otherwise send them.
UPDATE s SET
    [submission_status] = N'Withheld',
    [last_updated] = GETDATE()
FROM {{table}} AS s
WHERE LOWER(LTRIM(RTRIM(s.[submission_status]))) = N'error'
  AND LEFT(s.[api_response], 9) = N'{"stage":'
