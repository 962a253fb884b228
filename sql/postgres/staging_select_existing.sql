-- The staging rows of one batch of children ($1 = their person ids).
SELECT s."id" AS id, s."person_id" AS person_id, encode(s."current_hash", 'hex') AS current_hash,
       s."row_state" AS row_state, s."submission_status" AS submission_status, CAST(s."api_response" AS TEXT) AS api_response,
       CASE WHEN s."previous_hash" IS NOT NULL OR s."previous_json_payload" IS NOT NULL THEN 1 ELSE 0 END AS acknowledged
       {{stampSelect}}
       {{partialColumns}}
FROM {{table}} s
WHERE s."person_id" = ANY($1::text[])
-- Locked until the batch commits, so a sender updating one of these rows meanwhile is not overwritten.
FOR UPDATE
