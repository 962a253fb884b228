-- Stage run log: one row per `ssd stage` / "SSD: Build Staging" run, beside the staging table.
-- The last completed run is the baseline of the safety stop (docs/staging.md "Safety stops"):
-- the row count of each table the payload builder reads is compared with the one recorded here.
-- Counts and ids only: never a child's data. Created only when missing.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
    CREATE TABLE {{runs}} (
        [run_id] VARCHAR(36) NOT NULL PRIMARY KEY,
        [started_at] DATETIME2(3) NOT NULL DEFAULT SYSDATETIME(),
        [finished_at] DATETIME2(3) NULL,
        [as_of] DATE NULL,
        [staging_table] NVARCHAR(300) NOT NULL,
        [ssd_schema] NVARCHAR(128) NOT NULL,
        [source_row_counts] NVARCHAR(MAX) NULL,
        [live_rows] INT NULL,
        [acknowledged_rows] INT NULL,
        [cohort] INT NULL,
        [new_rows] INT NULL,
        [updated_rows] INT NULL,
        [unchanged_rows] INT NULL,
        [deleted_rows] INT NULL,
        [deletion_payloads] INT NULL,
        [invalid_rows] INT NULL,
        [planned_purges] INT NULL,
        [planned_episode_losses] INT NULL,
        [mass_change_allowed] BIT NOT NULL DEFAULT 0,
        [outcome] NVARCHAR(20) NOT NULL,
        [stop_reason] NVARCHAR(MAX) NULL
    );
