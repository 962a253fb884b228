-- Stage run log: one row per `ssd stage` / "SSD: Build Staging" run, beside the staging table.
-- The last completed run is the baseline of the safety stop (docs/staging.md "Safety stops"):
-- the row count of each table the payload builder reads is compared with the one recorded here.
-- Counts and ids only: never a child's data. Created only when missing.
CREATE TABLE IF NOT EXISTS {{runs}} (
    "run_id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ NULL,
    "as_of" DATE NULL,
    "staging_table" VARCHAR(300) NOT NULL,
    "ssd_schema" VARCHAR(128) NOT NULL,
    "source_row_counts" TEXT NULL,
    "live_rows" INTEGER NULL,
    "acknowledged_rows" INTEGER NULL,
    "cohort" INTEGER NULL,
    "new_rows" INTEGER NULL,
    "updated_rows" INTEGER NULL,
    "unchanged_rows" INTEGER NULL,
    "deleted_rows" INTEGER NULL,
    "deletion_payloads" INTEGER NULL,
    "invalid_rows" INTEGER NULL,
    "planned_purges" INTEGER NULL,
    "planned_episode_losses" INTEGER NULL,
    "mass_change_allowed" BOOLEAN NOT NULL DEFAULT FALSE,
    "outcome" VARCHAR(20) NOT NULL,
    "stop_reason" TEXT NULL
);
