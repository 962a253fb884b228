-- End of a stage run ($1 run id, $2 outcome, $3 stop reason, $4 cohort, $5 new, $6 updated,
-- $7 unchanged, $8 deleted, $9 deletion payloads, $10 invalid, $11 planned purges, $12 planned
-- losses of every social care episode).
UPDATE {{runs}}
SET finished_at = {{now}}, outcome = $2, stop_reason = $3, cohort = $4, new_rows = $5, updated_rows = $6,
    unchanged_rows = $7, deleted_rows = $8, deletion_payloads = $9, invalid_rows = $10,
    planned_purges = $11, planned_episode_losses = $12
WHERE run_id = $1
