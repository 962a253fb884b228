-- Take the staging table's lock ($1 = its name) without waiting: one row when this transaction now
-- holds the row lock (until it commits or rolls back, or its session ends), none when another
-- session holds it (SKIP LOCKED skips a locked row instead of waiting).
SELECT l.lock_name AS lock_name
FROM {{locks}} l
WHERE l.lock_name = $1
FOR UPDATE SKIP LOCKED
