-- Work table of one staging run: the person ids of the cohort seen so far, so that children who
-- left the cohort are found set-based at the end (no whole staging table in memory). A temporary
-- table on the run's own session (src/staging/runMarks.ts): nothing permanent is created for it,
-- the run drops it when it ends and the server drops it with the session when a run is killed.
-- Needs the TEMP privilege on the database (PostgreSQL grants it to PUBLIC by default).
CREATE TEMP TABLE {{marks}} (
    "run_id" VARCHAR(36) NOT NULL,
    "person_id" VARCHAR(48) NOT NULL,
    PRIMARY KEY ("run_id", "person_id")
)
