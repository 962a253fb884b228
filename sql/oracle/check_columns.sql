-- ssd check: every column of every table (and view) of the schema named $1, case-insensitively.
-- Oracle has no INFORMATION_SCHEMA: ALL_TAB_COLUMNS (what the signed-in user may read), names
-- lower-cased as the other dialects return them (the code quotes them in upper case again), the
-- data type as Oracle names it (NVARCHAR2, TIMESTAMP(3), NUMBER, CLOB …) in lower case.
SELECT LOWER(c.owner) AS table_schema, LOWER(c.table_name) AS table_name, LOWER(c.column_name) AS column_name,
       LOWER(c.data_type) AS data_type, CASE WHEN c.char_used IS NOT NULL THEN c.char_length END AS character_maximum_length
FROM all_tab_columns c
WHERE UPPER(c.owner) = UPPER($1)
ORDER BY c.owner, c.table_name, c.column_id
