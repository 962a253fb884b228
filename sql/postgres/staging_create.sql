-- Staging table for DfE API payloads (docs/contract.md "Staging table"; columns as docs/upstream.md).
-- Same column names as the community table so its senders can use it; PostgreSQL companion types.
-- Differences from the community DDL, on purpose:
--   person_id VARCHAR(48) (community NVARCHAR(20) cannot hold every ssd_person.pers_person_id, NVARCHAR(48));
--   legacy_id VARCHAR(48) (ssd_person.pers_legacy_id is 48 long);
--   payload columns TEXT, not JSONB: JSONB reorders keys and rewrites the text, and the stored
--   payload must be exactly the text that is sent (existing JSONB tables still work);
--   a unique index on person_id (one row per child).
-- Created only when missing: an existing table is used as it is.
CREATE TABLE IF NOT EXISTS {{table}} (
    "id" BIGSERIAL PRIMARY KEY,
    "person_id" VARCHAR(48) NULL,
    "legacy_id" VARCHAR(48) NULL,
    "previous_json_payload" TEXT NULL,
    "json_payload" TEXT NOT NULL,
    "partial_json_payload" TEXT NULL,
    "current_hash" BYTEA NULL,
    "previous_hash" BYTEA NULL,
    "submission_status" VARCHAR(50) DEFAULT 'Pending',
    "submission_timestamp" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    "api_response" TEXT NULL,
    "row_state" VARCHAR(10) DEFAULT 'New',
    "last_updated" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX IF NOT EXISTS {{personIndex}} ON {{table}} ("person_id");
