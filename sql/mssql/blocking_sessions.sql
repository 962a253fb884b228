-- Requests of our own sessions that wait on another session, and who that session is.
-- @spids (bound by the driver's watcher, not a $n statement): our session ids as ',51,52,' (works at any compatibility level, unlike STRING_SPLIT).
-- @pid: this process's id (LOGIN7 sends it; host_process_id), so a session id reused by another
-- program is never taken for ours. Seeing other sessions' rows needs VIEW SERVER STATE; without
-- it the result is empty.
SELECT r.session_id AS waiting,
       r.blocking_session_id AS blocker,
       r.wait_type,
       r.wait_time AS wait_ms,
       s.login_name,
       s.host_name,
       s.program_name
FROM sys.dm_exec_requests AS r
JOIN sys.dm_exec_sessions AS w ON w.session_id = r.session_id
LEFT JOIN sys.dm_exec_sessions AS s ON s.session_id = r.blocking_session_id
WHERE r.blocking_session_id <> 0
  AND w.host_process_id = @pid
  AND CHARINDEX(',' + CAST(r.session_id AS VARCHAR(10)) + ',', @spids) > 0
