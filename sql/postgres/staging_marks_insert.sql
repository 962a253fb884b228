-- Record a batch of cohort person ids for this run ($1 = run id, $2 = person ids).
INSERT INTO {{marks}} ("run_id", "person_id")
SELECT $1, p FROM unnest($2::text[]) AS p
