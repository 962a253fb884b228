-- ssd check: every column of every table in the schema(s) whose name matches $1 case-insensitively.
-- Standard information_schema (PostgreSQL, PGlite and SQL Server). Views count as tables.
-- Upper-case catalogue names: a case-sensitive SQL Server database (…_CS_AS) resolves only those.
SELECT c.TABLE_SCHEMA AS table_schema, c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name,
       c.DATA_TYPE AS data_type, c.CHARACTER_MAXIMUM_LENGTH AS character_maximum_length
FROM INFORMATION_SCHEMA.COLUMNS c
WHERE LOWER(c.TABLE_SCHEMA) = LOWER($1)
ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION
