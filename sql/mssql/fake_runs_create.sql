-- The marker table of `ssd fake`: one row per run, with what it wrote to each table
-- (row count, lowest and highest key), so a later run can tell its own rows from anyone else's.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
CREATE TABLE {{table}} (
    run_no INT NOT NULL PRIMARY KEY,
    run_id NVARCHAR(36) NOT NULL,
    status NVARCHAR(20) NOT NULL,
    started_at DATETIME2 NOT NULL DEFAULT SYSDATETIME(),
    finished_at DATETIME2 NULL,
    seed NVARCHAR(100) NOT NULL,
    as_of NVARCHAR(10) NOT NULL,
    children INT NOT NULL,
    children_written INT NOT NULL,
    options_json NVARCHAR(MAX) NOT NULL,
    tables_json NVARCHAR(MAX) NOT NULL,
    tool_version NVARCHAR(20) NOT NULL
)
