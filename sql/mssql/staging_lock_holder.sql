-- Who holds the staging table's lock (src/send/tableLock.ts): the session owning the application
-- lock $1 in this database, and since when (the start of the transaction it took the lock in;
-- times in UTC). Needs VIEW SERVER STATE (VIEW DATABASE STATE on Azure SQL) to see other sessions.
SELECT TOP (1) s.session_id AS pid, s.program_name AS application_name, c.client_net_address AS client_addr,
       s.host_name AS client_hostname, s.login_name AS user_name, s.host_process_id AS host_pid,
       CAST(s.context_info AS VARCHAR(128)) AS context,
       CONVERT(VARCHAR(19), DATEADD(second, DATEDIFF(second, GETDATE(), GETUTCDATE()), s.login_time), 120) AS backend_start,
       CONVERT(VARCHAR(19), DATEADD(second, DATEDIFF(second, GETDATE(), GETUTCDATE()), tx.begin_time), 120) AS since
FROM sys.dm_tran_locks l
JOIN sys.dm_exec_sessions s ON s.session_id = l.request_session_id
LEFT JOIN sys.dm_exec_connections c ON c.session_id = s.session_id AND c.parent_connection_id IS NULL
OUTER APPLY (SELECT MIN(at.transaction_begin_time) AS begin_time
             FROM sys.dm_tran_session_transactions st
             JOIN sys.dm_tran_active_transactions at ON at.transaction_id = st.transaction_id
             WHERE st.session_id = s.session_id) tx
WHERE l.resource_type = N'APPLICATION' AND l.resource_database_id = DB_ID() AND l.request_status = N'GRANT'
  AND CHARINDEX($1, l.resource_description) > 0
