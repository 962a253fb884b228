-- Pre-flight (ssd preflight / ssd run): the server and the current database.
SELECT
    current_setting('server_version_num')::int              AS version_num,
    current_setting('server_version')                       AS version,
    current_database()                                      AS database_name,
    current_user                                            AS user_name,
    has_database_privilege(current_database(), 'CREATE')    AS can_create_schema,
    has_database_privilege(current_database(), 'TEMP')      AS can_create_temp
