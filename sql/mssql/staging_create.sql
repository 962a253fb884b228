-- Staging table for DfE API payloads (docs/contract.md "Staging table"; columns as docs/upstream.md).
-- The community column layout, with two widths changed on purpose:
--   person_id NVARCHAR(48) (community NVARCHAR(20) cannot hold every ssd_person.pers_person_id, NVARCHAR(48),
--   so a longer id would fail the INSERT);
--   legacy_id NVARCHAR(48) (ssd_person.pers_legacy_id is NVARCHAR(48); community NVARCHAR(36)).
-- Plus a unique index on person_id. Not a filtered index: those make every INSERT/UPDATE from a
-- session with QUOTED_IDENTIFIER OFF (sqlcmd's default) fail, and the community scripts must keep working.
-- Created only when missing: an existing table is used as it is.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
BEGIN
    CREATE TABLE {{table}} (
        [id] INT IDENTITY(1,1) PRIMARY KEY,
        [person_id] NVARCHAR(48) NULL,
        [legacy_id] NVARCHAR(48) NULL,
        [previous_json_payload] NVARCHAR(MAX) NULL,
        [json_payload] NVARCHAR(MAX) NOT NULL,
        [partial_json_payload] NVARCHAR(MAX) NULL,
        [current_hash] BINARY(32) NULL,
        [previous_hash] BINARY(32) NULL,
        [submission_status] NVARCHAR(50) DEFAULT N'Pending',
        [submission_timestamp] DATETIME DEFAULT GETDATE(),
        [api_response] NVARCHAR(MAX) NULL,
        [row_state] NVARCHAR(10) DEFAULT N'New',
        [last_updated] DATETIME DEFAULT GETDATE()
    );
    CREATE UNIQUE INDEX {{personIndex}} ON {{table}} ([person_id]);
END
