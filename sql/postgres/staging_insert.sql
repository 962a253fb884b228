-- New staging rows, one array parameter per column (multi-row insert in one statement);
-- $9 the validation stamps, written when the table has the column.
INSERT INTO {{table}} ("person_id", {{legacyColumn}}"json_payload", "partial_json_payload", "current_hash",
                       "submission_status", "api_response", "row_state", {{stampColumn}}"submission_timestamp", "last_updated")
SELECT v.person_id, {{legacyValue}}v.json_payload{{jsonCast}}, v.partial_json_payload{{jsonCast}}, decode(v.current_hash, 'hex'),
       v.submission_status, v.api_response, v.row_state, {{stampValue}}CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
     AS v(person_id, legacy_id, json_payload, partial_json_payload, current_hash, submission_status, api_response, row_state, validation_stamp)
