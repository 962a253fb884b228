-- The staging rows of one batch of children ({{ids}} = one parameter per person id, at most 1,000:
-- Oracle's limit on an IN list).
SELECT s.id AS id, s.person_id AS person_id, LOWER(RAWTOHEX(s.current_hash)) AS current_hash,
       s.row_state AS row_state, s.submission_status AS submission_status, s.api_response AS api_response,
       CASE WHEN s.previous_hash IS NOT NULL OR s.previous_json_payload IS NOT NULL THEN 1 ELSE 0 END AS acknowledged
       {{stampSelect}}
       {{partialColumns}}
FROM {{table}} s
WHERE s.person_id IN ({{ids}})
-- Locked until the batch commits, so a sender updating one of these rows meanwhile is not overwritten.
FOR UPDATE
