-- The marker table of `ssd scramble`, in the schema of the scrambled copy: one row per copy made
-- (never the key; a fingerprint of it), so `ssd phases` and people can tell a scrambled copy apart.
CREATE TABLE IF NOT EXISTS {{table}} (
    run_id VARCHAR(36) NOT NULL PRIMARY KEY,
    status VARCHAR(20) NOT NULL,
    started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at TIMESTAMP NULL,
    source_database VARCHAR(400) NOT NULL,
    source_schema VARCHAR(128) NOT NULL,
    table_set VARCHAR(10) NOT NULL,
    key_fingerprint VARCHAR(12) NOT NULL,
    rows_written BIGINT NOT NULL,
    tool_version VARCHAR(20) NOT NULL
)
