-- Start of a stage run ($1 run id, $2 as-of date, $3 schema.table of the staging table, $4 SSD
-- schema, $5 row counts of the builder's tables as JSON, $6 live rows, $7 acknowledged rows,
-- $8 mass change allowed).
INSERT INTO {{runs}} (run_id, as_of, staging_table, ssd_schema, source_row_counts, live_rows, acknowledged_rows, mass_change_allowed, outcome)
VALUES ($1, CAST($2 AS DATE), $3, $4, $5, $6, $7, $8, 'running')
