// What the "SSD Tables" tree shows, read from the database: which SSD tables are present (and
// their columns), row counts, pages of child ids, staging counts. Pure (no 'vscode'): the tree
// calls these asynchronously. Ids and counts only: nothing here reads a child's other data.
import { columnsSql, columnType, limitClause, qualify, quoteIdent } from '../db/dialect';
import type { Db, Dialect } from '../db/types';
import { BUILDER_TABLES, OTHER_TABLES, STAGING_TABLES, type SsdTableDef } from '../model/ssdModel';
import { withheldReason } from '../staging/lifecycle';

export type TableGroup = 'builder' | 'other' | 'staging';

export const GROUP_TABLES: Readonly<Record<TableGroup, readonly SsdTableDef[]>> = {
  builder: BUILDER_TABLES,
  other: OTHER_TABLES,
  staging: STAGING_TABLES,
};

export interface DbColumn {
  name: string;
  dataType: string;
  maxLength: number | null;
  nullable: boolean;
}

/** The columns of every table in a schema, keyed by lower-case table name. */
export async function readSchemaColumns(db: Db, schema: string): Promise<Map<string, DbColumn[]>> {
  const rows = await db.query<{ table_name: string; column_name: string; data_type: string; character_maximum_length: number | string | null; is_nullable: string }>(columnsSql(db.dialect), [schema]);
  const out = new Map<string, DbColumn[]>();
  for (const r of rows) {
    const key = String(r.table_name).toLowerCase();
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    const len = r.character_maximum_length === null || r.character_maximum_length === undefined ? null : Number(r.character_maximum_length);
    list.push({ name: String(r.column_name).toLowerCase(), dataType: String(r.data_type), maxLength: len, nullable: String(r.is_nullable).toUpperCase() === 'YES' });
  }
  return out;
}

/** Display form of a database column type: varchar(48), nvarchar(max), timestamp… */
export function formatDbType(c: DbColumn): string {
  const t = SHORT_TYPES[c.dataType.toLowerCase()] ?? c.dataType;
  if (c.maxLength === null || Number.isNaN(c.maxLength)) return t;
  return `${t}(${c.maxLength < 0 ? 'max' : c.maxLength})`;
}

/** PostgreSQL's information_schema spells types out; show the names people write. */
const SHORT_TYPES: Record<string, string> = {
  'character varying': 'varchar',
  character: 'char',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'double precision': 'float8',
};

/** Exact row count of one table. */
export async function countRows(db: Db, schema: string, table: string): Promise<number> {
  const rows = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify(db.dialect, schema, table)}`);
  return Number(rows[0]?.n ?? 0);
}

export interface IdPage {
  ids: string[];
  /** Pass as `after` to get the next page; undefined when this was the last page. */
  next?: string;
}

/**
 * One page of child ids from ssd_person, in id order (keyset paging: stable and fast on big tables).
 * `prefix` keeps ids starting with it (LIKE with the wildcards escaped).
 */
export async function pagePersonIds(db: Db, schema: string, options: { after?: string; prefix?: string; pageSize?: number } = {}): Promise<IdPage> {
  const size = options.pageSize ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 10000) throw new Error(`invalid page size ${size}`);
  const { top, limit } = limitClause(db.dialect, size + 1);
  const col = quoteIdent(db.dialect, 'pers_person_id');
  const where: string[] = [`${col} IS NOT NULL`];
  const params: unknown[] = [];
  if (options.after !== undefined) {
    params.push(options.after);
    where.push(`${col} > $${params.length}`);
  }
  if (options.prefix) {
    params.push(escapeLike(options.prefix) + '%');
    where.push(`${col} LIKE $${params.length} ESCAPE '!'`);
  }
  const sql = `SELECT ${top}${col} AS id FROM ${qualify(db.dialect, schema, 'ssd_person')} WHERE ${where.join(' AND ')} ORDER BY ${col}${limit}`;
  const rows = await db.query<{ id: unknown }>(sql, params);
  const ids = rows.map((r) => String(r.id));
  if (ids.length > size) {
    ids.length = size;
    return { ids, next: ids[size - 1] };
  }
  return { ids };
}

/** Escape LIKE wildcards with '!' (portable across PostgreSQL and SQL Server). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_[\]]/g, (c) => '!' + c);
}

export interface StagingCount {
  rowState: string | null;
  submissionStatus: string | null;
  count: number;
}

/** Rows of a staging table by row_state and submission_status. */
export async function stagingCounts(db: Db, schema: string, table: 'ssd_api_data_staging' | 'ssd_api_data_staging_anon'): Promise<StagingCount[]> {
  const rs = quoteIdent(db.dialect, 'row_state');
  const ss = quoteIdent(db.dialect, 'submission_status');
  const rows = await db.query<{ row_state: string | null; submission_status: string | null; n: number | string }>(
    `SELECT ${rs} AS row_state, ${ss} AS submission_status, COUNT(*) AS n FROM ${qualify(db.dialect, schema, table)} GROUP BY ${rs}, ${ss} ORDER BY ${rs}, ${ss}`,
  );
  return rows.map((r) => ({ rowState: r.row_state ?? null, submissionStatus: r.submission_status ?? null, count: Number(r.n) }));
}

export interface StagingRowRef {
  id: string;
  personId: string;
  rowState: string | null;
  submissionStatus: string | null;
  /** Why a Withheld row is held back (rules and paths only), from the build's record in api_response. */
  withheldReason?: string;
}

/** One page of staging rows (ids, person id, states only; never the payload), in id order. */
export async function pageStagingRows(
  db: Db,
  schema: string,
  table: 'ssd_api_data_staging' | 'ssd_api_data_staging_anon',
  options: { after?: string; rowState?: string | null; submissionStatus?: string | null; pageSize?: number } = {},
): Promise<{ rows: StagingRowRef[]; next?: string }> {
  const size = options.pageSize ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 10000) throw new Error(`invalid page size ${size}`);
  const { top, limit } = limitClause(db.dialect, size + 1);
  const q = (c: string) => quoteIdent(db.dialect, c);
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.after !== undefined) {
    params.push(Number(options.after));
    where.push(`${q('id')} > $${params.length}`);
  }
  for (const [col, v] of [
    ['row_state', options.rowState],
    ['submission_status', options.submissionStatus],
  ] as const) {
    if (v === undefined) continue;
    if (v === null) where.push(`${q(col)} IS NULL`);
    else {
      params.push(v);
      where.push(`${q(col)} = $${params.length}`);
    }
  }
  // api_response only of Withheld rows: the build's own record (rules and paths), never a sender's response.
  const reason = `CASE WHEN LOWER(${q('submission_status')}) = 'withheld' THEN ${db.dialect === 'postgres' ? `CAST(${q('api_response')} AS TEXT)` : q('api_response')} END AS withheld_record`;
  const sql = `SELECT ${top}${q('id')} AS id, ${q('person_id')} AS person_id, ${q('row_state')} AS row_state, ${q('submission_status')} AS submission_status, ${reason} FROM ${qualify(db.dialect, schema, table)}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ${q('id')}${limit}`;
  const raw = await db.query<{ id: unknown; person_id: unknown; row_state: string | null; submission_status: string | null; withheld_record: string | null }>(sql, params);
  const rows: StagingRowRef[] = raw.map((r) => {
    const why = withheldReason(r.withheld_record);
    return { id: String(r.id), personId: String(r.person_id), rowState: r.row_state ?? null, submissionStatus: r.submission_status ?? null, ...(why ? { withheldReason: why } : {}) };
  });
  if (rows.length > size) {
    rows.length = size;
    return { rows, next: rows[size - 1]!.id };
  }
  return { rows };
}

export interface ColumnView {
  name: string;
  /** Type in the database when the column is present, else the model's type. */
  type: string;
  present: boolean;
  /** In the SSD model (false: an extra column the LA added). */
  inModel: boolean;
  usedByBuilder: boolean;
  pk: boolean;
}

/** Model columns merged with the database's: model order first, then extra database columns. */
export function mergeColumns(def: SsdTableDef, dbCols: readonly DbColumn[] | undefined, dialect: Dialect): ColumnView[] {
  const byName = new Map((dbCols ?? []).map((c) => [c.name, c] as const));
  const out: ColumnView[] = def.columns.map((c) => {
    const d = byName.get(c.name);
    return {
      name: c.name,
      type: d ? formatDbType(d) : columnType(dialect, c).toLowerCase(),
      present: d !== undefined,
      inModel: true,
      usedByBuilder: c.usedByBuilder === true,
      pk: c.pk,
    };
  });
  const known = new Set(def.columns.map((c) => c.name));
  for (const d of dbCols ?? []) {
    if (!known.has(d.name)) out.push({ name: d.name, type: formatDbType(d), present: true, inModel: false, usedByBuilder: false, pk: false });
  }
  return out;
}

/** The columns of a staging row shown by "Show Staging Row", when the table has them. */
const STAGING_ROW_COLUMNS = [
  'person_id',
  'legacy_id',
  'row_state',
  'submission_status',
  'submission_timestamp',
  'last_updated',
  'api_response',
  'json_payload',
  'partial_json_payload',
  'previous_json_payload',
] as const;
const JSON_COLUMNS = new Set(['json_payload', 'partial_json_payload', 'previous_json_payload']);

export interface StagingRowDetail {
  id: string;
  /** Column → value (JSON columns parsed when they hold JSON); only columns the table has. */
  values: Record<string, unknown>;
}

/**
 * One staging row by id, with its payloads, for the user who asked to see it. Reads only the
 * columns the table has (older staging tables lack some). Undefined when there is no such row.
 */
export async function readStagingRow(db: Db, schema: string, table: 'ssd_api_data_staging' | 'ssd_api_data_staging_anon', id: string): Promise<StagingRowDetail | undefined> {
  if (!/^\d{1,19}$/.test(id)) throw new Error(`invalid staging row id ${JSON.stringify(id)}`);
  // Names as the catalog stores them: a case-sensitive database (…_CS_AS) resolves only those.
  // The dialect's catalogue query (Oracle has no INFORMATION_SCHEMA), this table's columns only.
  const found = (await db.query<{ table_schema: string; table_name: string; column_name: string }>(columnsSql(db.dialect), [schema])).filter((r) => String(r.table_name).toLowerCase() === table);
  const present = new Map(found.map((r) => [String(r.column_name).toLowerCase(), String(r.column_name)] as const));
  if (!present.size) throw new Error(`${schema}.${table} does not exist`);
  const cols = STAGING_ROW_COLUMNS.filter((c) => present.has(c));
  const q = (c: string) => quoteIdent(db.dialect, c);
  const src = (c: string) => q(present.get(c) ?? c);
  const select = cols.map((c) => (JSON_COLUMNS.has(c) && db.dialect === 'postgres' ? `CAST(${src(c)} AS TEXT) AS ${q(c)}` : `${src(c)} AS ${q(c)}`));
  const from = qualify(db.dialect, String(found[0]!.table_schema), String(found[0]!.table_name));
  const rows = await db.query<Record<string, unknown>>(`SELECT ${select.join(', ')} FROM ${from} WHERE ${src('id')} = $1`, [Number(id)]);
  const row = rows[0];
  if (!row) return undefined;
  const values: Record<string, unknown> = {};
  for (const c of cols) {
    let v = row[c] ?? row[c.toUpperCase()] ?? null;
    if (JSON_COLUMNS.has(c) && typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        /* keep the text as stored */
      }
    }
    if (v instanceof Date) v = v.toISOString();
    values[c] = v;
  }
  return { id, values };
}

/** Person ids of a staging table's Withheld rows (ids only), distinct, at most `limit`. */
export async function withheldPersonIds(db: Db, schema: string, table: 'ssd_api_data_staging' | 'ssd_api_data_staging_anon', limit = 100): Promise<string[]> {
  const { top, limit: lim } = limitClause(db.dialect, limit);
  const q = (c: string) => quoteIdent(db.dialect, c);
  const rows = await db.query<{ person_id: unknown }>(
    `SELECT DISTINCT ${top}${q('person_id')} AS person_id FROM ${qualify(db.dialect, schema, table)} WHERE LOWER(${q('submission_status')}) = 'withheld' AND ${q('person_id')} IS NOT NULL ORDER BY person_id${lim}`,
  );
  return rows.map((r) => String(r.person_id));
}

/** Whether ssd_person has a row with exactly this person id. */
export async function personExists(db: Db, schema: string, personId: string): Promise<boolean> {
  const col = quoteIdent(db.dialect, 'pers_person_id');
  const { top, limit } = limitClause(db.dialect, 1);
  const rows = await db.query(`SELECT ${top}1 AS x FROM ${qualify(db.dialect, schema, 'ssd_person')} WHERE ${col} = $1${limit}`, [personId]);
  return rows.length > 0;
}
