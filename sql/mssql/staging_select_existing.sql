-- The staging rows of one batch of children ({{ids}} = one parameter per person id).
SELECT s.[id] AS id, s.[person_id] AS person_id, LOWER(CONVERT(VARCHAR(64), s.[current_hash], 2)) AS current_hash,
       s.[row_state] AS row_state, s.[submission_status] AS submission_status, s.[api_response] AS api_response,
       CASE WHEN s.[previous_hash] IS NOT NULL OR s.[previous_json_payload] IS NOT NULL THEN 1 ELSE 0 END AS acknowledged
       {{stampSelect}}
       {{partialColumns}}
-- UPDLOCK: locked until the batch commits, so a sender updating one of these rows meanwhile is not overwritten.
FROM {{table}} s WITH (UPDLOCK, ROWLOCK)
WHERE s.[person_id] IN ({{ids}})
