-- Pre-flight (ssd preflight / ssd run): the server and the current database.
SELECT
    CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128))   AS product_version,
    CAST(SERVERPROPERTY('ProductLevel') AS NVARCHAR(128))     AS product_level,
    CAST(SERVERPROPERTY('Edition') AS NVARCHAR(128))          AS edition,
    CAST(SERVERPROPERTY('EngineEdition') AS INT)              AS engine_edition,
    DB_NAME()                                                 AS database_name,
    (SELECT d.compatibility_level FROM sys.databases AS d WHERE d.name = DB_NAME()) AS compatibility_level,
    HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'CREATE TABLE')       AS can_create_table
