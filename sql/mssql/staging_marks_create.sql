-- Work table of one staging run: the person ids of the cohort seen so far, so that children who
-- left the cohort are found set-based at the end (no whole staging table in memory). A #temp
-- table on the run's own session (src/staging/runMarks.ts): nothing permanent is created for it,
-- the run drops it when it ends and the server drops it with the session when a run is killed.
-- Any login may create #temp tables. person_id takes the database's collation (not tempdb's), so
-- the anti-join with the staging table compares like with like. (The session keeps the login's
-- language and date format: nothing the run writes on it depends on them, no date is parsed from
-- text — GETDATE() and typed parameters only.)
CREATE TABLE {{marks}} (
    [run_id] VARCHAR(36) NOT NULL,
    [person_id] NVARCHAR(48) COLLATE DATABASE_DEFAULT NOT NULL,
    PRIMARY KEY ([run_id], [person_id])
);
