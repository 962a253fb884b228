-- The marker table of `ssd fake`: one row per run, with what it wrote to each table
-- (row count, lowest and highest key), so a later run can tell its own rows from anyone else's.
CREATE TABLE IF NOT EXISTS {{table}} (
    run_no INTEGER NOT NULL PRIMARY KEY,
    run_id VARCHAR(36) NOT NULL,
    status VARCHAR(20) NOT NULL,
    started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at TIMESTAMP NULL,
    seed VARCHAR(100) NOT NULL,
    as_of VARCHAR(10) NOT NULL,
    children INTEGER NOT NULL,
    children_written INTEGER NOT NULL,
    options_json TEXT NOT NULL,
    tables_json TEXT NOT NULL,
    tool_version VARCHAR(20) NOT NULL
)
