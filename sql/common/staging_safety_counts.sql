-- Rows of the staging table that are not Deleted (live), and of those the ones the API
-- acknowledged (previous_hash or previous_json_payload set): the safety stop's denominators.
SELECT COUNT(*) AS live,
       COALESCE(SUM(CASE WHEN s.previous_hash IS NOT NULL OR s.previous_json_payload IS NOT NULL THEN 1 ELSE 0 END), 0) AS acknowledged
FROM {{table}} s
WHERE s.person_id IS NOT NULL AND LOWER(COALESCE(s.row_state, '')) <> 'deleted'
