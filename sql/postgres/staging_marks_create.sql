-- Work table of one staging run: the person ids of the cohort seen so far, so that children who
-- left the cohort are found set-based at the end (no whole staging table in memory). Rows of a run
-- are removed when it ends; rows of a killed run are removed by a later run after a day.
CREATE TABLE IF NOT EXISTS {{marks}} (
    "run_id" VARCHAR(36) NOT NULL,
    "person_id" VARCHAR(48) NOT NULL,
    "marked_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("run_id", "person_id")
);
