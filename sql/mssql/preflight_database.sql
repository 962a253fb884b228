-- Pre-flight: a database the script uses ($1 = database name; NULL for the current one).
SELECT
    d.name                                                    AS database_name,
    d.compatibility_level                                     AS compatibility_level,
    d.state_desc                                              AS state,
    HAS_PERMS_BY_NAME(d.name, 'DATABASE', 'CONNECT')          AS can_connect,
    HAS_PERMS_BY_NAME(d.name, 'DATABASE', 'CREATE TABLE')     AS can_create_table
FROM sys.databases AS d
WHERE d.name = COALESCE($1, DB_NAME())
