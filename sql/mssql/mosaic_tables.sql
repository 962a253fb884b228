-- Mosaic (ssd mosaic): after ##populate_ssd_main, which ##ssd_ global temporary tables exist and
-- how many rows each holds. {{expected_values}} is a list of parameter placeholders, one per
-- expected table name, e.g. ($1), ($2); the names themselves are bound parameters.
WITH expected (table_name) AS (
    SELECT CAST(v.table_name AS NVARCHAR(128)) FROM (VALUES {{expected_values}}) AS v (table_name)
),
found AS (
    SELECT t.name AS table_name, t.object_id
    FROM tempdb.sys.tables AS t
    WHERE t.name LIKE N'##ssd[_]%'
)
SELECT
    COALESCE(e.table_name, f.table_name)                           AS table_name,
    CASE WHEN f.object_id IS NULL THEN 0 ELSE 1 END                 AS present,
    (SELECT SUM(p.rows) FROM tempdb.sys.partitions AS p
      WHERE p.object_id = f.object_id AND p.index_id IN (0, 1))     AS row_count
FROM expected AS e
FULL OUTER JOIN found AS f ON f.table_name = e.table_name
WHERE COALESCE(e.table_name, f.table_name) IS NOT NULL
ORDER BY table_name
