-- The validation stamp column (issue 17): SHA-256 hex of the DfE schema validation the row's payload
-- passed with no problem, bound to its current_hash (src/payload/validatePayload.ts validationStamp).
-- Added to a staging table that lacks it (one made by an earlier version or by the community DDL).
IF COL_LENGTH(N'{{objectName}}', N'validation_stamp') IS NULL
    ALTER TABLE {{table}} ADD [validation_stamp] VARCHAR(64) NULL;
