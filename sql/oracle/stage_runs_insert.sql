-- A stage run starts: $2 the as-of date as 'YYYY-MM-DD' text, read with an explicit format (never
-- the session's); $8 mass_change_allowed as 1/0 (the driver binds booleans so).
INSERT INTO {{runs}} (run_id, as_of, staging_table, ssd_schema, source_row_counts, live_rows, acknowledged_rows, mass_change_allowed, outcome)
VALUES ($1, TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD'), $3, $4, $5, $6, $7, $8, 'running')
