-- Rows whose payload changes (Updated, re-entry, deletion payload): one array parameter per column
-- (with the validation_stamp column, $10 the validation stamps).
UPDATE {{table}} AS s SET
    {{legacySet}}"json_payload" = v.json_payload{{jsonCast}},
    "partial_json_payload" = v.partial_json_payload{{jsonCast}},
    "current_hash" = decode(v.current_hash, 'hex'),
    "submission_status" = v.submission_status,
    "api_response" = v.api_response,
    "row_state" = v.row_state,
    {{stampSet}}    "last_updated" = CURRENT_TIMESTAMP
FROM unnest($1::bigint[], $2::boolean[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]{{stampParam10}})
     AS v(id, set_legacy, legacy_id, json_payload, partial_json_payload, current_hash, submission_status, api_response, row_state{{stampAlias}})
WHERE s."id" = v.id
