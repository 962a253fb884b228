-- Structure drift (ssd drift / ssd run): the live columns of every table in schema $1.
SELECT
    table_name,
    column_name,
    data_type,
    character_maximum_length,
    numeric_precision,
    numeric_scale,
    is_nullable,
    ordinal_position
FROM information_schema.columns
WHERE LOWER(table_schema) = LOWER($1)
ORDER BY table_name, ordinal_position
