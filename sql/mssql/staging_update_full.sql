-- Rows whose payload changes (Updated, re-entry, deletion payload): {{values}} = 9 parameters per row, 10 with the validation stamp.
UPDATE s SET
    {{legacySet}}[json_payload] = v.json_payload,
    [partial_json_payload] = v.partial_json_payload,
    [current_hash] = CONVERT(BINARY(32), v.current_hash, 2),
    [submission_status] = v.submission_status,
    [api_response] = v.api_response,
    [row_state] = v.row_state,
    {{stampSet}}    [last_updated] = GETDATE()
FROM {{table}} AS s
JOIN (VALUES {{values}})
     AS v(id, set_legacy, legacy_id, json_payload, partial_json_payload, current_hash, submission_status, api_response, row_state{{stampAlias}})
  ON s.[id] = v.id
