BEGIN
  -- The marker table of `ssd fake`: one row per run, with what it wrote to each table
  -- (row count, lowest and highest key), so a later run can tell its own rows from anyone else's.
  -- Oracle has no CREATE TABLE IF NOT EXISTS before 23ai: the CREATE runs, and ORA-00955 (the name
  -- is taken) means the table is there.
  EXECUTE IMMEDIATE 'CREATE TABLE {{table}} (
    run_no NUMBER(10) NOT NULL PRIMARY KEY,
    run_id VARCHAR2(36 CHAR) NOT NULL,
    status VARCHAR2(20 CHAR) NOT NULL,
    started_at TIMESTAMP(3) DEFAULT SYSTIMESTAMP NOT NULL,
    finished_at TIMESTAMP(3) NULL,
    seed NVARCHAR2(100) NOT NULL,
    as_of VARCHAR2(10 CHAR) NOT NULL,
    children NUMBER(10) NOT NULL,
    children_written NUMBER(10) NOT NULL,
    options_json CLOB NOT NULL,
    tables_json CLOB NOT NULL,
    tool_version VARCHAR2(20 CHAR) NOT NULL
  )';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -955 THEN RAISE; END IF;
END;
