-- Pre-flight (ssd preflight): the server, the database and what this login may do. Every login may
-- read PRODUCT_COMPONENT_VERSION and SESSION_PRIVS (the system privileges enabled in this session,
-- roles included). SERVICE_NAME rather than CON_NAME, which Oracle 11g does not know: the floor is
-- checked from the version, so the query itself must run on an older server.
SELECT (SELECT MAX(p.version) FROM product_component_version p WHERE p.product LIKE 'Oracle%') AS version,
       SYS_CONTEXT('USERENV', 'DB_NAME') AS database_name,
       SYS_CONTEXT('USERENV', 'SERVICE_NAME') AS service_name,
       USER AS user_name,
       (SELECT COUNT(*) FROM session_privs sp WHERE sp.privilege = 'CREATE TABLE') AS can_create_table,
       (SELECT COUNT(*) FROM session_privs sp WHERE sp.privilege = 'CREATE ANY TABLE') AS can_create_any_table,
       (SELECT COUNT(*) FROM session_privs sp WHERE sp.privilege = 'UNLIMITED TABLESPACE') AS unlimited_tablespace,
       (SELECT COUNT(*) FROM user_users uu JOIN user_ts_quotas q ON q.tablespace_name = uu.default_tablespace
        WHERE q.max_bytes <> 0) AS own_quota
FROM dual
