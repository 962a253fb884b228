BEGIN
  -- Stage run log: one row per `ssd stage` / "SSD: Build Staging" run, beside the staging table.
  -- The last completed run is the baseline of the safety stop (docs/staging.md "Safety stops"):
  -- the row count of each table the payload builder reads is compared with the one recorded here.
  -- Counts and ids only: never a child's data. Created only when missing (ORA-00955: it is there).
  EXECUTE IMMEDIATE 'CREATE TABLE {{runs}} (
    run_id VARCHAR2(36 CHAR) NOT NULL PRIMARY KEY,
    started_at TIMESTAMP(3) DEFAULT SYSTIMESTAMP NOT NULL,
    finished_at TIMESTAMP(3) NULL,
    as_of DATE NULL,
    staging_table NVARCHAR2(300) NOT NULL,
    ssd_schema NVARCHAR2(128) NOT NULL,
    source_row_counts CLOB NULL,
    live_rows NUMBER(10) NULL,
    acknowledged_rows NUMBER(10) NULL,
    cohort NUMBER(10) NULL,
    new_rows NUMBER(10) NULL,
    updated_rows NUMBER(10) NULL,
    unchanged_rows NUMBER(10) NULL,
    deleted_rows NUMBER(10) NULL,
    deletion_payloads NUMBER(10) NULL,
    invalid_rows NUMBER(10) NULL,
    planned_purges NUMBER(10) NULL,
    planned_episode_losses NUMBER(10) NULL,
    mass_change_allowed NUMBER(1) DEFAULT 0 NOT NULL,
    outcome NVARCHAR2(20) NOT NULL,
    stop_reason CLOB NULL
  )';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -955 THEN RAISE; END IF;
END;
