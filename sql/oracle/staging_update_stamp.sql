-- Record the validation stamp of a row whose payload is unchanged and passed validation with no
-- problem (first run after an upgrade or a new schema), once per row (executeMany): $1 id, $2 stamp.
UPDATE {{table}} s SET s.validation_stamp = $2
WHERE s.id = $1
