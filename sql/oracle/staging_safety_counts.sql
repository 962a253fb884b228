-- ssd stage's safety stop: live rows of the staging table (a person id, not marked deleted) and how
-- many of them the DfE has acknowledged (a previous hash or payload). Oracle stores '' as NULL, so
-- "row_state not 'deleted'" is spelt with IS NULL rather than COALESCE(row_state, '').
SELECT COUNT(*) AS live,
       COALESCE(SUM(CASE WHEN s.previous_hash IS NOT NULL OR s.previous_json_payload IS NOT NULL THEN 1 ELSE 0 END), 0) AS acknowledged
FROM {{table}} s
WHERE s.person_id IS NOT NULL AND (s.row_state IS NULL OR LOWER(s.row_state) <> 'deleted')
