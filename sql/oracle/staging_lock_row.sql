-- The lock row of one staging table ($1 = the lock's name), added when missing (committed at once,
-- so that every run can lock it).
MERGE INTO {{locks}} l
USING (SELECT $1 AS lock_name FROM dual) v
ON (l.lock_name = v.lock_name)
WHEN NOT MATCHED THEN INSERT (lock_name) VALUES (v.lock_name)
