-- One new staging row, run once per row of the batch in one round trip (executeMany): $1 person id,
-- $2 legacy id, $3 payload, $4 partial payload, $5 hex hash, $6 status, $7 reason, $8 row state,
-- $9 the validation stamp (with the validation_stamp column).
INSERT INTO {{table}} (person_id, {{legacyColumn}}json_payload, partial_json_payload, current_hash,
                       submission_status, api_response, row_state, {{stampColumn}}submission_timestamp, last_updated)
VALUES ($1, {{legacyValue}}$3, $4, HEXTORAW($5),
        $6, $7, $8, {{stampValue}}SYSTIMESTAMP, SYSTIMESTAMP)
