-- Work table of one staging run: the person ids of the cohort seen so far, so that children who
-- left the cohort are found set-based at the end (no whole staging table in memory). Rows of a run
-- are removed when it ends; rows of a killed run are removed by a later run after a day.
IF OBJECT_ID(N'{{objectName}}', N'U') IS NULL
    CREATE TABLE {{marks}} (
        [run_id] VARCHAR(36) NOT NULL,
        [person_id] NVARCHAR(48) NOT NULL,
        [marked_at] DATETIME NOT NULL DEFAULT GETDATE(),
        PRIMARY KEY ([run_id], [person_id])
    );
