// The send history `ssd phases` reads: one row per test or live run of `ssd send`, in the schema of
// the staging table (ssd_workbench_send_runs), with the kind of data it sent. Pure core.
import { randomUUID } from 'node:crypto';
import { qualify, quoteIdent, tableExistsSql, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db } from '../db/types';

export const SEND_RUNS_TABLE = 'ssd_workbench_send_runs';
export const FAKE_MARKER_TABLE = 'ssd_workbench_fake_runs';
export const SCRAMBLE_MARKER_TABLE = 'ssd_workbench_scramble_runs';

/** fake: `ssd fake` data (or the _anon table); scrambled: an `ssd scramble` copy; live: anything else. */
export type DataKind = 'fake' | 'scrambled' | 'live';

export interface SendRunEntry {
  mode: 'test' | 'live';
  table: string;
  endpoint: string | null;
  queued: number;
  /** Records posted to the API (acknowledged + rejected + failed). */
  posted: number;
  acknowledged: number;
  rejected: number;
  failed: number;
  invalid: number;
  stopped: string | null;
}

async function hasTable(db: Db, schema: string, table: string): Promise<boolean> {
  return (await db.query(tableExistsSql(db.dialect), [schema, table])).length > 0;
}

/** What data a staging table of this schema holds, from the schema's markers. */
export async function dataKindOf(db: Db, schema: string, table: string): Promise<DataKind> {
  if (await hasTable(db, schema, SCRAMBLE_MARKER_TABLE)) {
    const r = await db.query(`SELECT run_id FROM ${qualify(db.dialect, schema, SCRAMBLE_MARKER_TABLE)} WHERE status = $1`, ['complete']);
    if (r.length) return 'scrambled';
  }
  if (await hasTable(db, schema, FAKE_MARKER_TABLE)) {
    const r = await db.query(`SELECT run_no FROM ${qualify(db.dialect, schema, FAKE_MARKER_TABLE)}`);
    if (r.length) return 'fake';
  }
  return table.toLowerCase() === 'ssd_api_data_staging_anon' ? 'fake' : 'live';
}

/** Record one test or live run of `ssd send` (creating the history table when missing). */
export async function recordSendRun(db: Db, schema: string, entry: SendRunEntry): Promise<void> {
  validateIdentifier(schema, 'schema');
  const table = qualify(db.dialect, schema, SEND_RUNS_TABLE);
  await db.execute(fillIdentifiers(loadSql(db.dialect, 'send_runs_create'), { table, objectName: `${schema}.${SEND_RUNS_TABLE}` }));
  const kind = await dataKindOf(db, schema, entry.table);
  await db.execute(
    // MODE is a reserved word in Oracle (its column is "MODE"): quoted as the dialect quotes.
    `INSERT INTO ${table} (run_id, ${quoteIdent(db.dialect, 'mode')}, table_name, data_kind, endpoint, queued, posted, acknowledged, rejected, failed, invalid, stopped) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      randomUUID(),
      entry.mode,
      entry.table,
      kind,
      entry.endpoint?.slice(0, 400) ?? null,
      entry.queued,
      entry.posted,
      entry.acknowledged,
      entry.rejected,
      entry.failed,
      entry.invalid,
      entry.stopped?.slice(0, 200) ?? null,
    ],
  );
}
