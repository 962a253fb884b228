-- A row whose payload changes (Updated, re-entry, deletion payload), run once per row in one round
-- trip (executeMany): $1 id, $2 set legacy id (1/0), $3 legacy id, $4 payload, $5 partial payload,
-- $6 hex hash, $7 status, $8 reason, $9 row state, $10 the validation stamp (with its column).
UPDATE {{table}} s SET
    {{legacySet}}s.json_payload = $4,
    s.partial_json_payload = $5,
    s.current_hash = HEXTORAW($6),
    s.submission_status = $7,
    s.api_response = $8,
    s.row_state = $9,
    {{stampSet}}    s.last_updated = SYSTIMESTAMP
WHERE s.id = $1
