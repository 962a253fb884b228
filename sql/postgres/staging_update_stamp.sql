-- Record the validation stamp of rows whose payload is unchanged and passed validation with no
-- problem (first run after an upgrade or a new schema): $1 ids, $2 stamps.
UPDATE {{table}} AS s SET "validation_stamp" = v.validation_stamp
FROM unnest($1::bigint[], $2::text[]) AS v(id, validation_stamp)
WHERE s."id" = v.id
