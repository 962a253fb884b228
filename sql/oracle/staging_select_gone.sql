-- One page of staging rows whose child is not in this run's cohort and that are not already
-- Deleted ($1 = run id, $2 = last id of the previous page, $3 = page size). Oracle takes no FOR UPDATE
-- with a row limit in the same query (ORA-02014), so the page's ids are picked in a subquery and the
-- rows locked in the outer one. '' is NULL in Oracle: "not Deleted" is spelt with IS NULL.
SELECT s.id AS id, s.person_id AS person_id, {{legacySelect}} AS legacy_id, LOWER(RAWTOHEX(s.current_hash)) AS current_hash,
       s.row_state AS row_state, s.submission_status AS submission_status, s.api_response AS api_response,
       CASE WHEN s.previous_hash IS NOT NULL OR s.previous_json_payload IS NOT NULL THEN 1 ELSE 0 END AS acknowledged,
       s.previous_json_payload AS previous_json_payload
FROM {{table}} s
WHERE s.id IN (
  SELECT g.id FROM (
    SELECT s2.id
    FROM {{table}} s2
    WHERE s2.person_id IS NOT NULL
      AND s2.id > $2
      AND (s2.row_state IS NULL OR LOWER(s2.row_state) <> 'deleted')
      AND NOT EXISTS (SELECT 1 FROM {{marks}} m WHERE m.run_id = $1 AND m.person_id = s2.person_id)
    ORDER BY s2.id
  ) g
  WHERE ROWNUM <= $3
)
ORDER BY s.id
FOR UPDATE
