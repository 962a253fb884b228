-- Rows an earlier version held back as 'Error' with a staging-build reason (api_response starting
-- {"stage": an invalid child, or a child who left before any acknowledgement) become 'Withheld':
-- the community senders select 'pending' and 'error' rows and would otherwise send them.
-- LIKE rather than "SUBSTR(…) =": api_response is a CLOB, which "=" does not compare.
UPDATE {{table}} s SET
    s.submission_status = N'Withheld',
    s.last_updated = SYSTIMESTAMP
WHERE LOWER(TRIM(s.submission_status)) = 'error'
  AND s.api_response LIKE '{"stage":%'
