// The staging table as the sender sees it: which rows wait to be sent, what to send for each
// (full, partial or deletion payload), and the writes after an answer. The staging core owns the
// table's layout (src/staging/stagingTable.ts); the sender never creates or alters it.
import { columnsSql, qualify, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db, Queryable } from '../db/types';
import { validatePayload } from '../payload/validatePayload';
import type { PayloadProblem } from '../payload/types';
import { isDeletionPayload } from '../staging/partialPayload';
import { ROW_STATE, same } from '../staging/lifecycle';
import { REQUIRED_COLUMNS, STAGING_TABLES } from '../staging/stagingTable';
import type { ResponseToken } from './tokens';

/** Bad usage or a table the sender cannot use (exit 2). Named UsageError so the CLI maps it. */
export class SendUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface SendTable {
  schema: string;
  table: string;
  qualified: string;
  /** PostgreSQL json/jsonb payload columns: values need a cast. */
  jsonColumns: boolean;
}

/** Check the staging table is there with the columns the sender reads and writes. Read-only. */
export async function inspectSendTable(db: Db, schema: string, table: string): Promise<SendTable> {
  validateIdentifier(schema, 'schema');
  validateIdentifier(table, 'table');
  if (!(STAGING_TABLES as readonly string[]).includes(table)) {
    throw new SendUsageError(`the staging table must be one of ${STAGING_TABLES.join(', ')}, got ${table}`);
  }
  const rows = await db.query<{ table_schema?: string; table_name: string; column_name: string; data_type: string }>(columnsSql(db.dialect), [schema]);
  const mine = rows.filter((r) => r.table_name.toLowerCase() === table);
  const cols = new Map(mine.map((r) => [r.column_name.toLowerCase(), r.data_type.toLowerCase()]));
  if (cols.size === 0) throw new SendUsageError(`there is no staging table ${schema}.${table}: run \`ssd stage\` first (or pass --schema / --table)`);
  const missing = REQUIRED_COLUMNS.filter((c) => !cols.has(c));
  if (missing.length) throw new SendUsageError(`${schema}.${table} has no column ${missing.join(', ')}: it is not a staging table the sender can use (see docs/staging.md)`);
  for (const h of ['current_hash', 'previous_hash']) {
    const t = cols.get(h)!;
    if (!['bytea', 'binary', 'varbinary', 'raw'].includes(t)) throw new SendUsageError(`${schema}.${table}.${h} is ${t}: it must be binary (BYTEA / BINARY(32) / RAW(32))`);
  }
  const jsonType = cols.get('json_payload')!;
  return {
    // Names as the catalog stores them (a case-sensitive database resolves only those).
    schema,
    table,
    qualified: qualify(db.dialect, mine[0]!.table_schema ?? schema, mine[0]!.table_name),
    jsonColumns: db.dialect === 'postgres' && (jsonType === 'json' || jsonType === 'jsonb'),
  };
}

/** A row of the send queue. */
export interface QueueRow {
  id: number | string;
  personId: string;
  rowState: string | null;
  status: string | null;
  /** json_payload as read: the full payload (or the deletion payload). */
  jsonPayload: string;
  partialPayload: string | null;
  /** current_hash as lower-case hex (null if the row has none). */
  hashHex: string | null;
}

interface QueueDbRow {
  id: number | string;
  person_id: string | null;
  row_state: string | null;
  submission_status: string | null;
  json_payload: string | null;
  partial_json_payload: string | null;
  current_hash: string | null;
}

/** Up to `limit` queued rows with id > afterId, in id order. */
export async function readQueue(db: Queryable, t: SendTable, afterId: number | string, limit: number): Promise<QueueRow[]> {
  const rows = await db.query<QueueDbRow>(fillIdentifiers(loadSql(db.dialect, 'send_select_queue'), { table: t.qualified }), [afterId, limit]);
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id ?? '',
    rowState: r.row_state,
    status: r.submission_status,
    jsonPayload: r.json_payload ?? '',
    partialPayload: r.partial_json_payload,
    hashHex: r.current_hash ? r.current_hash.toLowerCase() : null,
  }));
}

export type BodyKind = 'full' | 'partial' | 'deletion';

/** A queued row turned into what goes in the request body. */
export interface PreparedRecord {
  row: QueueRow;
  kind: BodyKind;
  /** The object sent (one item of the request's JSON array). */
  body: Record<string, unknown>;
  /** Validation problems (errors): the record is not sent. */
  problems: PayloadProblem[];
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null || text.trim() === '') return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function notJson(column: string): PayloadProblem {
  return { path: '', rule: 'staging-json', message: `${column} is not a JSON object`, severity: 'error' };
}

/**
 * What to send for a row (payload contract §Partial, D10/D11):
 *   - a deletion payload (top-level purge true) as it is;
 *   - without partial mode, or for a New row, or when the row has no partial: the full payload;
 *   - otherwise partial_json_payload (staging computes it against the last acknowledged payload),
 *     with the top-level `purge: false` the schema asks for when it lacks one.
 * Then validated against the DfE schema.
 */
export function prepareRecord(row: QueueRow, partialMode: boolean): PreparedRecord {
  const full = parseObject(row.jsonPayload);
  if (!full) return { row, kind: 'full', body: {}, problems: [notJson('json_payload')] };
  let kind: BodyKind = 'full';
  let body = full;
  if (isDeletionPayload(full)) kind = 'deletion';
  else if (partialMode && !same(row.rowState, ROW_STATE.NEW) && row.partialPayload !== null && row.partialPayload.trim() !== '') {
    const partial = parseObject(row.partialPayload);
    if (!partial) return { row, kind: 'partial', body: {}, problems: [notJson('partial_json_payload')] };
    kind = isDeletionPayload(partial) ? 'deletion' : 'partial';
    body = 'purge' in partial ? partial : { ...partial, purge: false };
  }
  const problems = validatePayload(body).filter((p) => p.severity === 'error');
  return { row, kind, body, problems };
}

function sqlFor(db: Queryable, t: SendTable, name: string): string {
  return fillIdentifiers(loadSql(db.dialect, name), { table: t.qualified, jsonCast: t.jsonColumns ? '::jsonb' : '' });
}

/** Record an acknowledgement (in the caller's transaction). Returns rows updated (0 if the row is gone). */
export async function markSent(tx: Queryable, t: SendTable, row: QueueRow, token: ResponseToken): Promise<number> {
  return tx.execute(sqlFor(tx, t, 'send_mark_sent'), [row.id, row.hashHex, row.jsonPayload, token.uuid, token.timestamp]);
}

/** Hold back a record that fails the DfE schema now: Withheld with the reason (in the caller's transaction). 0 if staging replaced the payload meanwhile. */
export async function markWithheld(tx: Queryable, t: SendTable, row: QueueRow, reason: string): Promise<number> {
  return tx.execute(sqlFor(tx, t, 'send_mark_withheld'), [row.id, row.hashHex, row.jsonPayload, reason]);
}

/** Record a failure with its reason (in the caller's transaction). 0 if staging replaced the payload meanwhile. */
export async function markError(tx: Queryable, t: SendTable, row: QueueRow, reason: string): Promise<number> {
  return tx.execute(sqlFor(tx, t, 'send_mark_error'), [row.id, row.hashHex, row.jsonPayload, reason]);
}

interface ScanRow {
  id: number | string;
  json_payload: string | null;
  partial_json_payload: string | null;
  row_state: string | null;
}

/**
 * Deletion payloads among the first `limit` queued rows (what a run would send as purges), for
 * the mass-deletion safety stop. Reads only payloads short enough to be one.
 */
export async function scanDeletions(db: Queryable, t: SendTable, partialMode: boolean, limit: number): Promise<number> {
  const sql = fillIdentifiers(loadSql(db.dialect, 'send_scan_queue'), { table: t.qualified });
  let afterId: number | string = 0;
  let seen = 0;
  let deletions = 0;
  const page = 2000;
  while (seen < limit) {
    const rows: ScanRow[] = await db.query<ScanRow>(sql, [afterId, Math.min(page, limit - seen)]);
    if (!rows.length) break;
    for (const r of rows) {
      const full = parseObject(r.json_payload);
      let deletion = !!full && isDeletionPayload(full);
      if (!deletion && partialMode && !same(r.row_state, ROW_STATE.NEW)) deletion = isDeletionPayload(parseObject(r.partial_json_payload));
      if (deletion) deletions++;
    }
    seen += rows.length;
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < page) break;
  }
  return deletions;
}

/** Queued rows after id `afterId` (the rows a run that stopped early never read). */
export async function countQueueAfter(db: Queryable, t: SendTable, afterId: number | string): Promise<number> {
  const r = await db.query<{ n: number | string }>(fillIdentifiers(loadSql(db.dialect, 'send_count_queue'), { table: t.qualified }), [afterId]);
  return Number(r[0]?.n ?? 0);
}

/** Children the DfE has acknowledged (rows with an acknowledged payload): the base of the mass-deletion limit. */
export async function countAcknowledged(db: Queryable, t: SendTable): Promise<number> {
  const r = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t.qualified} WHERE previous_hash IS NOT NULL`);
  return Number(r[0]?.n ?? 0);
}
