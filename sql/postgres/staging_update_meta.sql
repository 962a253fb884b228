-- Rows whose payload stays: status / reason / partial payload / row state only.
UPDATE {{table}} AS s SET
    "submission_status" = v.submission_status,
    "api_response" = v.api_response,
    "partial_json_payload" = CASE WHEN v.set_partial THEN v.partial_json_payload{{jsonCast}} ELSE s."partial_json_payload" END,
    "row_state" = COALESCE(v.row_state, s."row_state"),
    "last_updated" = CURRENT_TIMESTAMP
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[])
     AS v(id, submission_status, api_response, set_partial, partial_json_payload, row_state)
WHERE s."id" = v.id
