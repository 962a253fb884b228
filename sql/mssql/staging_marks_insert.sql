-- Record a batch of cohort person ids for this run ($1 = run id, {{values}} = one parameter per id).
INSERT INTO {{marks}} ([run_id], [person_id])
SELECT $1, v.person_id FROM (VALUES {{values}}) AS v(person_id)
