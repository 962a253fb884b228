-- Pre-flight: does schema $1 exist, and may the current user use it and create tables in it?
SELECT
    n.nspname IS NOT NULL                                               AS schema_exists,
    CASE WHEN n.nspname IS NOT NULL THEN has_schema_privilege(n.oid, 'USAGE') END  AS can_use,
    CASE WHEN n.nspname IS NOT NULL THEN has_schema_privilege(n.oid, 'CREATE') END AS can_create
FROM (SELECT 1) AS one
LEFT JOIN pg_namespace AS n ON n.nspname = $1
