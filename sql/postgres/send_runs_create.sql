-- The send history of `ssd send` (test and live runs; a dry run writes nothing), in the schema of
-- the staging table: one row per run with its endpoint mode, what data it was (fake, scrambled or
-- live, from the schema's markers) and its counts. No payloads, no secrets. `ssd phases` reads it.
CREATE TABLE IF NOT EXISTS {{table}} (
    run_id VARCHAR(36) NOT NULL PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    mode VARCHAR(10) NOT NULL,
    table_name VARCHAR(128) NOT NULL,
    data_kind VARCHAR(20) NOT NULL,
    endpoint VARCHAR(400) NULL,
    queued INTEGER NOT NULL,
    posted INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    invalid INTEGER NOT NULL,
    stopped VARCHAR(200) NULL
)
