-- New staging rows ({{values}} = one row of 8 parameters per child, 9 with the validation stamp).
INSERT INTO {{table}} ([person_id], {{legacyColumn}}[json_payload], [partial_json_payload], [current_hash],
                       [submission_status], [api_response], [row_state], {{stampColumn}}[submission_timestamp], [last_updated])
SELECT v.person_id, {{legacyValue}}v.json_payload, v.partial_json_payload, CONVERT(BINARY(32), v.current_hash, 2),
       v.submission_status, v.api_response, v.row_state, {{stampValue}}GETDATE(), GETDATE()
FROM (VALUES {{values}})
     AS v(person_id, legacy_id, json_payload, partial_json_payload, current_hash, submission_status, api_response, row_state{{stampAlias}})
