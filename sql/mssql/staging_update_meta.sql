-- Rows whose payload stays: status / reason / partial payload / row state only ({{values}} = 6 parameters per row).
UPDATE s SET
    [submission_status] = v.submission_status,
    [api_response] = v.api_response,
    [partial_json_payload] = CASE WHEN v.set_partial = 1 THEN v.partial_json_payload ELSE s.[partial_json_payload] END,
    [row_state] = COALESCE(v.row_state, s.[row_state]),
    [last_updated] = GETDATE()
FROM {{table}} AS s
JOIN (VALUES {{values}})
     AS v(id, submission_status, api_response, set_partial, partial_json_payload, row_state)
  ON s.[id] = v.id
