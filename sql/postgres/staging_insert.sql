-- New staging rows, one array parameter per column (multi-row insert in one statement);
-- with the validation_stamp column, $9 the validation stamps.
INSERT INTO {{table}} ("person_id", {{legacyColumn}}"json_payload", "partial_json_payload", "current_hash",
                       "submission_status", "api_response", "row_state", {{stampColumn}}"submission_timestamp", "last_updated")
SELECT v.person_id, {{legacyValue}}v.json_payload{{jsonCast}}, v.partial_json_payload{{jsonCast}}, decode(v.current_hash, 'hex'),
       v.submission_status, v.api_response, v.row_state, {{stampValue}}CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]{{stampParam9}})
     AS v(person_id, legacy_id, json_payload, partial_json_payload, current_hash, submission_status, api_response, row_state{{stampAlias}})
