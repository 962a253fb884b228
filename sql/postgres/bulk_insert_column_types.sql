-- Column types of one table as cast targets without length ($1 = schema, $2 = table), for bulkInsert.
SELECT a.attname AS column_name, format_type(a.atttypid, NULL) AS type_name
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
