-- Record the validation stamp of rows whose payload is unchanged and passed validation with no
-- problem (first run after an upgrade or a new schema): {{values}} = 2 parameters per row.
UPDATE s SET [validation_stamp] = v.validation_stamp
FROM {{table}} AS s
JOIN (VALUES {{values}}) AS v(id, validation_stamp)
  ON s.[id] = v.id
