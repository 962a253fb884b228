-- The current payload of the acknowledged, not Deleted staging rows of some children ({{ids}} =
-- one parameter per person id, at most 1,000): the safety stop counts those whose every social care
-- episode this run would remove.
SELECT s.person_id AS person_id, s.json_payload AS json_payload
FROM {{table}} s
WHERE s.person_id IN ({{ids}})
  AND (s.previous_hash IS NOT NULL OR s.previous_json_payload IS NOT NULL)
  AND (s.row_state IS NULL OR LOWER(s.row_state) <> 'deleted')
