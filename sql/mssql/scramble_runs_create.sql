-- The marker table of `ssd scramble`, in the schema of the scrambled copy: one row per copy made
-- (never the key; a fingerprint of it), so `ssd phases` and people can tell a scrambled copy apart.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
CREATE TABLE {{table}} (
    run_id NVARCHAR(36) NOT NULL PRIMARY KEY,
    status NVARCHAR(20) NOT NULL,
    started_at DATETIME2 NOT NULL DEFAULT SYSDATETIME(),
    finished_at DATETIME2 NULL,
    source_database NVARCHAR(400) NOT NULL,
    source_schema NVARCHAR(128) NOT NULL,
    table_set NVARCHAR(10) NOT NULL,
    key_fingerprint NVARCHAR(12) NOT NULL,
    rows_written BIGINT NOT NULL,
    tool_version NVARCHAR(20) NOT NULL
)
