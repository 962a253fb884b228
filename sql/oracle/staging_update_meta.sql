-- A row whose payload stays: status / reason / partial payload / row state only, run once per row
-- (executeMany): $1 id, $2 status, $3 reason, $4 set partial (1/0), $5 partial payload, $6 row state.
-- {{partialSet}} is "s.partial_json_payload = $5," for the rows whose partial payload is written and
-- empty for the others (two statements): a long payload travels as a LONG bind, which Oracle takes
-- as the value of a CLOB column but not inside an expression such as CASE.
UPDATE {{table}} s SET
    s.submission_status = $2,
    s.api_response = $3,
    {{partialSet}}
    s.row_state = COALESCE($6, s.row_state),
    s.last_updated = SYSTIMESTAMP
WHERE s.id = $1
