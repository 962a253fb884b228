-- Rows an earlier version held back as 'Error' with a staging-build reason (api_response starting
-- {"stage": an invalid child, or a child who left before any acknowledgement) become 'Withheld':
-- the community senders select 'pending' and 'error' rows and would otherwise send them.
UPDATE {{table}} AS s SET
    "submission_status" = 'Withheld',
    "last_updated" = CURRENT_TIMESTAMP
WHERE LOWER(TRIM(s."submission_status")) = 'error'
  AND LEFT(CAST(s."api_response" AS TEXT), 9) = '{"stage":'
