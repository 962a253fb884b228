// Fast parameterised multi-row INSERT, for loading many rows at once (fake data, fixtures, copies).
//
// - PostgreSQL / PGlite: one statement per chunk, `INSERT … SELECT * FROM unnest($1::type[], …)`,
//   one array parameter per column (3-4x faster than multi-row VALUES, and far under the 65,535
//   parameter limit whatever the chunk size). Column types come from the catalogue (one small
//   query per call) unless the caller passes them.
// - SQL Server: multi-row `VALUES ($1, $2), (…)` chunked under the 2,100-parameter limit (with a
//   margin) and the 1,000-row limit of a VALUES list.
// - Oracle: one `INSERT … VALUES (:b1, …)` run for a chunk of rows with executeMany (array DML:
//   one round trip per chunk).
// Values are always bound parameters; schema, table and column names are validated and quoted.
// bulkCopy (below) writes the same rows with PostgreSQL's COPY FROM STDIN where the driver can.
import { qualify, quoteIdent, validateIdentifier } from './dialect';
import { loadSql } from './sqlFiles';
import type { Dialect, Queryable } from './types';

/** Parameters per statement we allow ourselves on SQL Server (the server's limit is 2,100). */
export const MSSQL_MAX_PARAMS = 2000;
/** Rows in one VALUES list on SQL Server (a server limit). */
export const MSSQL_MAX_VALUES_ROWS = 1000;
/** Parameters per statement we allow ourselves on PostgreSQL (the protocol's limit is 65,535). */
export const PG_MAX_PARAMS = 60000;
/** Rows per unnest statement on PostgreSQL (keeps each statement's memory bounded). */
export const PG_DEFAULT_ROWS = 10000;

export interface BulkInsertOptions {
  /**
   * PostgreSQL only: the type of each column as a cast target without length (e.g. `character
   * varying`, `timestamp without time zone`, `integer`). When absent they are read from the catalogue.
   */
  pgTypes?: readonly string[];
  /** Upper bound on rows per statement (the dialect's limits still apply). */
  maxRowsPerStatement?: number;
}

/** Rows one statement may carry for a table of `columnCount` columns. */
export function rowsPerStatement(dialect: Dialect, columnCount: number, requested?: number): number {
  if (!Number.isInteger(columnCount) || columnCount < 1) throw new Error('bulk insert needs at least one column');
  const cap = dialect === 'mssql' ? Math.min(MSSQL_MAX_VALUES_ROWS, Math.floor(MSSQL_MAX_PARAMS / columnCount)) : PG_DEFAULT_ROWS; // Oracle: rows per executeMany, as PostgreSQL's per statement
  if (cap < 1) throw new Error(`bulk insert: ${columnCount} columns exceed the SQL Server parameter limit`);
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) throw new Error(`invalid maxRowsPerStatement ${requested}`);
    return Math.min(cap, requested);
  }
  return cap;
}

/** The cast target of each column (PostgreSQL), in the order given. */
export async function pgColumnTypes(q: Queryable, schema: string, table: string, columns: readonly string[]): Promise<string[]> {
  const rows = await q.query<{ column_name: string; type_name: string }>(loadSql('postgres', 'bulk_insert_column_types'), [schema, table]);
  if (rows.length === 0) throw new Error(`bulk insert: table ${schema}.${table} not found`);
  // Without its length, `character` means character(1) and `bit` bit(1): a cast to them would cut
  // 'YES' to 'Y' silently. Cast to the unbounded type instead; the column's own length then applies
  // (a value too long is an error, never cut).
  const unbounded = (t: string) => (t === 'character' ? 'text' : t === 'bit' ? 'bit varying' : t);
  const byName = new Map(rows.map((r) => [r.column_name, unbounded(r.type_name)] as const));
  return columns.map((c) => {
    const t = byName.get(c);
    if (!t) throw new Error(`bulk insert: column ${c} not found in ${schema}.${table}`);
    return t;
  });
}

const PG_TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_ ."]*(\(\d+(,\d+)?\))?$/;

/** The checks bulkInsert and bulkCopy make before writing: names valid, columns distinct, every row as wide as the column list. */
function validateBulkRows(schema: string, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  validateIdentifier(schema, 'schema');
  validateIdentifier(table, 'table');
  if (columns.length === 0) throw new Error('bulk insert needs at least one column');
  const seen = new Set<string>();
  for (const c of columns) {
    validateIdentifier(c, 'column');
    if (seen.has(c.toLowerCase())) throw new Error(`bulk insert: column ${c} given twice`);
    seen.add(c.toLowerCase());
  }
  rows.forEach((r, i) => {
    if (r.length !== columns.length) throw new Error(`bulk insert into ${table}: row ${i + 1} has ${r.length} values for ${columns.length} columns`);
  });
}

/**
 * Insert rows (each an array of values in `columns` order) into schema.table. Returns the number
 * of rows inserted. Run it inside a transaction when the rows must all land or none.
 */
export async function bulkInsert(
  q: Queryable,
  dialect: Dialect,
  schema: string,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: BulkInsertOptions = {},
): Promise<number> {
  validateBulkRows(schema, table, columns, rows);
  if (rows.length === 0) return 0;
  const target = `${qualify(dialect, schema, table)} (${columns.map((c) => quoteIdent(dialect, c)).join(', ')})`;
  const chunk = rowsPerStatement(dialect, columns.length, options.maxRowsPerStatement);
  let inserted = 0;

  if (dialect === 'postgres') {
    const types = options.pgTypes ?? (await pgColumnTypes(q, schema, table, columns));
    if (types.length !== columns.length) throw new Error(`bulk insert into ${table}: ${types.length} types for ${columns.length} columns`);
    for (const t of types) if (!PG_TYPE_NAME.test(t)) throw new Error(`bulk insert: unusable column type ${JSON.stringify(t)}`);
    const sql = `INSERT INTO ${target} SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
    for (let start = 0; start < rows.length; start += chunk) {
      const end = Math.min(rows.length, start + chunk);
      const arrays: unknown[][] = columns.map(() => new Array(end - start));
      for (let r = start; r < end; r++) {
        const row = rows[r]!;
        for (let c = 0; c < columns.length; c++) arrays[c]![r - start] = row[c] === undefined ? null : row[c];
      }
      await q.execute(sql, arrays);
      inserted += end - start;
    }
    return inserted;
  }

  if (dialect === 'oracle') {
    if (!q.executeMany) throw new Error('bulk insert on Oracle needs a connection with executeMany');
    const sql = `INSERT INTO ${target} VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    for (let start = 0; start < rows.length; start += chunk) {
      const end = Math.min(rows.length, start + chunk);
      await q.executeMany(sql, rows.slice(start, end));
      inserted += end - start;
    }
    return inserted;
  }

  // SQL Server: the statement text for a full chunk is built once and reused.
  const valuesSql = (n: number) => {
    const groups: string[] = new Array(n);
    let p = 0;
    for (let r = 0; r < n; r++) {
      const ph: string[] = new Array(columns.length);
      for (let c = 0; c < columns.length; c++) ph[c] = `$${++p}`;
      groups[r] = `(${ph.join(', ')})`;
    }
    return `INSERT INTO ${target} VALUES ${groups.join(', ')}`;
  };
  const fullSql = valuesSql(Math.min(chunk, rows.length));
  for (let start = 0; start < rows.length; start += chunk) {
    const end = Math.min(rows.length, start + chunk);
    const params: unknown[] = [];
    for (let r = start; r < end; r++) for (const v of rows[r]!) params.push(v === undefined ? null : v);
    await q.execute(end - start === chunk || end - start === rows.length ? fullSql : valuesSql(end - start), params);
    inserted += end - start;
  }
  return inserted;
}

/** Rows per chunk of COPY data handed to the driver (a chunk is one string). */
const COPY_CHUNK_ROWS = 500;

/**
 * One value in PostgreSQL's COPY text format: NULL as \N; backslash, newline, carriage return and
 * tab escaped (the only characters the format gives a meaning). Non-strings become the text the pg
 * driver sends for them as parameters, so a COPY stores what bulkInsert's `unnest` stores.
 */
export function copyTextValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
  else if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  else if (v instanceof Date || Array.isArray(v)) throw new Error('bulk copy: dates and arrays must be given as text');
  else s = JSON.stringify(v);
  // Most values need no escaping: test before replacing.
  return /[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : s;
}

/** The COPY text-format lines of rows, a chunk of rows per string. */
export function* copyTextChunks(rows: readonly (readonly unknown[])[], chunkRows = COPY_CHUNK_ROWS): Generator<string> {
  for (let start = 0; start < rows.length; start += chunkRows) {
    let out = '';
    const end = Math.min(rows.length, start + chunkRows);
    for (let r = start; r < end; r++) {
      const row = rows[r]!;
      for (let c = 0; c < row.length; c++) out += (c ? '\t' : '') + copyTextValue(row[c]);
      out += '\n';
    }
    yield out;
  }
}

/**
 * Like bulkInsert, but on a PostgreSQL connection that can stream a COPY (pg: Queryable.copyFrom)
 * the rows go as one `COPY schema.table (columns) FROM STDIN` in text format: no statement
 * parameters to encode, and some 2-3 times less work for client and server than `unnest` arrays.
 * Elsewhere (PGlite, SQL Server, Oracle, a wrapper without copyFrom) it is bulkInsert. The values
 * stored are the same either way: COPY reads each value with the column type's input function,
 * as the `unnest` path's casts do. Returns the number of rows written.
 */
export async function bulkCopy(
  q: Queryable,
  dialect: Dialect,
  schema: string,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: BulkInsertOptions = {},
): Promise<number> {
  if (dialect !== 'postgres' || !q.copyFrom) return bulkInsert(q, dialect, schema, table, columns, rows, options);
  validateBulkRows(schema, table, columns, rows);
  if (rows.length === 0) return 0;
  const sql = `COPY ${qualify(dialect, schema, table)} (${columns.map((c) => quoteIdent(dialect, c)).join(', ')}) FROM STDIN`;
  return q.copyFrom(sql, copyTextChunks(rows));
}
