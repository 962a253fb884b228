-- Who holds the staging table's lock (src/send/tableLock.ts): the advisory lock on ($1, $2) in this
-- database, and the session holding it. xact_start is when that run took the lock (it takes it
-- first thing in its transaction). client_addr is empty without pg_read_all_stats for another role.
SELECT a.pid AS pid, a.application_name AS application_name, host(a.client_addr) AS client_addr,
       a.client_hostname AS client_hostname, a.usename AS user_name,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS backend_start,
       to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS since
FROM pg_locks l
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
  AND l.classid = $1::int::oid AND l.objid = $2::int::oid AND l.objsubid = 2
