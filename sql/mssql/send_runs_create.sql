-- The send history of `ssd send` (test and live runs; a dry run writes nothing), in the schema of
-- the staging table: one row per run with its endpoint mode, what data it was (fake, scrambled or
-- live, from the schema's markers) and its counts. No payloads, no secrets. `ssd phases` reads it.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
CREATE TABLE {{table}} (
    run_id NVARCHAR(36) NOT NULL PRIMARY KEY,
    finished_at DATETIME2 NOT NULL DEFAULT SYSDATETIME(),
    mode NVARCHAR(10) NOT NULL,
    table_name NVARCHAR(128) NOT NULL,
    data_kind NVARCHAR(20) NOT NULL,
    endpoint NVARCHAR(400) NULL,
    queued INT NOT NULL,
    posted INT NOT NULL,
    acknowledged INT NOT NULL,
    rejected INT NOT NULL,
    failed INT NOT NULL,
    invalid INT NOT NULL,
    stopped NVARCHAR(200) NULL
)
