-- ssd check: every column of every table in the schema(s) whose name matches $1 case-insensitively.
-- Standard information_schema (PostgreSQL, PGlite and SQL Server). Views count as tables.
SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.character_maximum_length
FROM information_schema.columns c
WHERE LOWER(c.table_schema) = LOWER($1)
ORDER BY c.table_schema, c.table_name, c.ordinal_position
