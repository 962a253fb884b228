-- The latest runs into one staging table ($1 'schema.table'), optionally of one outcome ($2), newest first.
SELECT r.run_id AS run_id, r.started_at AS started_at, r.finished_at AS finished_at, r.as_of AS as_of,
       r.staging_table AS staging_table, r.ssd_schema AS ssd_schema, r.source_row_counts AS source_row_counts,
       r.live_rows AS live_rows, r.acknowledged_rows AS acknowledged_rows, r.cohort AS cohort, r.new_rows AS new_rows,
       r.updated_rows AS updated_rows, r.unchanged_rows AS unchanged_rows, r.deleted_rows AS deleted_rows,
       r.deletion_payloads AS deletion_payloads, r.invalid_rows AS invalid_rows, r.planned_purges AS planned_purges,
       r.planned_episode_losses AS planned_episode_losses, r.mass_change_allowed AS mass_change_allowed,
       r.outcome AS outcome, r.stop_reason AS stop_reason
FROM {{runs}} r
WHERE r.staging_table = $1 AND ($2 IS NULL OR r.outcome = $2)
ORDER BY r.started_at DESC, r.run_id
FETCH FIRST {{limit}} ROWS ONLY
