-- The current payload of the acknowledged, not Deleted staging rows of some children ($1 = their
-- person ids): the safety stop counts those whose every social care episode this run would remove.
SELECT s."person_id" AS person_id, CAST(s."json_payload" AS TEXT) AS json_payload
FROM {{table}} s
WHERE s."person_id" = ANY($1::text[])
  AND (s."previous_hash" IS NOT NULL OR s."previous_json_payload" IS NOT NULL)
  AND LOWER(COALESCE(s."row_state", '')) <> 'deleted'
