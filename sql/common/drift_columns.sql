-- Structure drift (ssd drift / ssd run): the live columns of every table in schema $1.
-- Upper-case catalogue names: a case-sensitive SQL Server database (…_CS_AS) resolves only those.
SELECT
    TABLE_NAME               AS table_name,
    COLUMN_NAME              AS column_name,
    DATA_TYPE                AS data_type,
    CHARACTER_MAXIMUM_LENGTH AS character_maximum_length,
    NUMERIC_PRECISION        AS numeric_precision,
    NUMERIC_SCALE            AS numeric_scale,
    IS_NULLABLE              AS is_nullable,
    ORDINAL_POSITION         AS ordinal_position
FROM INFORMATION_SCHEMA.COLUMNS
WHERE LOWER(TABLE_SCHEMA) = LOWER($1)
ORDER BY TABLE_NAME, ORDINAL_POSITION
