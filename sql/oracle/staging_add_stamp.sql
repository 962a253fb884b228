BEGIN
  -- The validation stamp column (issue 17): SHA-256 hex of the DfE schema validation the row's payload
  -- passed with no problem, bound to its current_hash (src/payload/validatePayload.ts validationStamp).
  -- Added to a staging table that lacks it (one made by an earlier version or by the community DDL).
  -- ORA-01430 (the column is there already) means another run added it first.
  EXECUTE IMMEDIATE 'ALTER TABLE {{table}} ADD (validation_stamp VARCHAR2(64 CHAR) NULL)';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -1430 THEN RAISE; END IF;
END;
