BEGIN
  -- Work table of staging runs: the person ids of the cohort seen so far, so that children who left
  -- the cohort are found set-based at the end (no whole staging table in memory). Oracle has no
  -- temporary table a session creates and drops for itself before 18c (private temporary tables,
  -- which the PL/SQL grammar we check with does not know): a global temporary table in the staging
  -- schema, created once, whose rows belong to the session that wrote them (ON COMMIT PRESERVE ROWS:
  -- they last across the run's batch transactions). A run truncates its rows when it ends (TRUNCATE of a global temporary table empties only the session's rows); the server
  -- drops a session's rows when the session ends. Created only when missing (ORA-00955: it is there).
  EXECUTE IMMEDIATE 'CREATE GLOBAL TEMPORARY TABLE {{marks}} (
    run_id VARCHAR2(36 CHAR) NOT NULL,
    person_id NVARCHAR2(48) NOT NULL,
    PRIMARY KEY (run_id, person_id)
  ) ON COMMIT PRESERVE ROWS';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -955 THEN RAISE; END IF;
END;
