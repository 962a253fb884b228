BEGIN
  -- The send history of `ssd send` (test and live runs; a dry run writes nothing), in the schema of
  -- the staging table: one row per run with its endpoint mode, what data it was (fake, scrambled or
  -- live, from the schema's markers) and its counts. No payloads, no secrets. `ssd phases` reads it.
  -- MODE is a reserved word in Oracle: the column is "MODE", quoted wherever it is named.
  -- Created only when missing (ORA-00955: it is there).
  EXECUTE IMMEDIATE 'CREATE TABLE {{table}} (
    run_id VARCHAR2(36 CHAR) NOT NULL PRIMARY KEY,
    finished_at TIMESTAMP DEFAULT SYSTIMESTAMP NOT NULL,
    "MODE" VARCHAR2(10 CHAR) NOT NULL,
    table_name VARCHAR2(128 CHAR) NOT NULL,
    data_kind VARCHAR2(20 CHAR) NOT NULL,
    endpoint VARCHAR2(400 CHAR) NULL,
    queued NUMBER(10) NOT NULL,
    posted NUMBER(10) NOT NULL,
    acknowledged NUMBER(10) NOT NULL,
    rejected NUMBER(10) NOT NULL,
    failed NUMBER(10) NOT NULL,
    invalid NUMBER(10) NOT NULL,
    stopped VARCHAR2(200 CHAR) NULL
  )';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -955 THEN RAISE; END IF;
END;
