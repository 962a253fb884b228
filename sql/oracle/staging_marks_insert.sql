-- Record one cohort person id for this run, once per id in one round trip (executeMany): $1 run id, $2 person id.
INSERT INTO {{marks}} (run_id, person_id) VALUES ($1, $2)
