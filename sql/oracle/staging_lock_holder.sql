-- Who holds the staging table's lock (src/send/tableLock.ts): the session whose action names the
-- lock $1 (a run sets its module to what it is and its action to the lock's name when it takes the
-- lock), and since when (its transaction's start: it took the lock first thing). Times in UTC: the
-- DATE columns of v$session and v$transaction are the server's local time, shifted by SYSDATE's
-- offset from UTC. Needs SELECT on v$session and v$transaction (SELECT_CATALOG_ROLE); without it
-- the run is told only that another session holds the table.
SELECT s.sid AS pid, s.program AS application_name, s.machine AS client_hostname, s.username AS user_name,
       s.process AS host_pid, s.module AS context,
       TO_CHAR(CAST(SYS_EXTRACT_UTC(SYSTIMESTAMP) AS DATE) - (SYSDATE - s.logon_time), 'YYYY-MM-DD HH24:MI:SS') AS backend_start,
       TO_CHAR(CAST(SYS_EXTRACT_UTC(SYSTIMESTAMP) AS DATE) - (SYSDATE - t.start_date), 'YYYY-MM-DD HH24:MI:SS') AS since
FROM v$session s
LEFT JOIN v$transaction t ON t.addr = s.taddr
WHERE s.action = $1
FETCH FIRST 1 ROWS ONLY
