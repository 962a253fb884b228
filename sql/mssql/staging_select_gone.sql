-- One page of staging rows whose child is not in this run's cohort and that are not already
-- Deleted ($1 = run id, $2 = last id of the previous page, $3 = page size).
SELECT TOP ($3) s.[id] AS id, s.[person_id] AS person_id, {{legacySelect}} AS legacy_id, LOWER(CONVERT(VARCHAR(64), s.[current_hash], 2)) AS current_hash,
       s.[row_state] AS row_state, s.[submission_status] AS submission_status, s.[api_response] AS api_response,
       CASE WHEN s.[previous_hash] IS NOT NULL OR s.[previous_json_payload] IS NOT NULL THEN 1 ELSE 0 END AS acknowledged,
       s.[previous_json_payload] AS previous_json_payload
FROM {{table}} s WITH (UPDLOCK, ROWLOCK)
WHERE s.[person_id] IS NOT NULL
  AND s.[id] > $2
  AND LOWER(COALESCE(s.[row_state], N'')) <> N'deleted'
  AND NOT EXISTS (SELECT 1 FROM {{marks}} m WHERE m.[run_id] = $1 AND m.[person_id] = s.[person_id])
ORDER BY s.[id]
