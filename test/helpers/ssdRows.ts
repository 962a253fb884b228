// Insert hand-made SSD rows in tests: give only the columns a test is about, by table; every other
// column is NULL, except NOT NULL columns (keys), which get a generated unique text id. Values are
// bound parameters; dates are written 'YYYY-MM-DD' (or with a time) and cast by the database.
import { qualify, quoteIdent } from '../../src/db/dialect';
import type { Queryable } from '../../src/db/types';
import { getTable } from '../../src/model/ssdModel';

export type SsdRow = Record<string, string | number | boolean | null>;
export type SsdRows = Partial<Record<string, SsdRow[]>>;

let seq = 0;

/** A unique id for a generated key column. */
export function nextTestId(prefix = 'id'): string {
  seq++;
  return `${prefix}${String(seq).padStart(6, '0')}`;
}

/** Complete a partial row: unknown columns are an error; missing NOT NULL columns get generated ids. */
export function completeRow(table: string, row: SsdRow): SsdRow {
  const def = getTable(table);
  const known = new Set(def.columns.map((c) => c.name));
  for (const k of Object.keys(row)) if (!known.has(k)) throw new Error(`test row: ${table} has no column ${k}`);
  const out: SsdRow = { ...row };
  for (const c of def.columns) {
    if (out[c.name] === undefined && !c.nullable && !c.identity) out[c.name] = nextTestId(c.name.split('_')[0] + '_');
  }
  return out;
}

/** Insert rows into one table (in the order given). */
export async function insertRows(db: Queryable, schema: string, table: string, rows: readonly SsdRow[]): Promise<void> {
  const def = getTable(table);
  for (const partial of rows) {
    const row = completeRow(table, partial);
    const cols = def.columns.map((c) => c.name).filter((c) => row[c] !== undefined);
    const params = cols.map((c) => row[c]);
    const sql = `INSERT INTO ${qualify(db.dialect, schema, def.name)} (${cols.map((c) => quoteIdent(db.dialect, c)).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
    await db.execute(sql, params);
  }
}

/** Insert rows into several tables: { ssd_person: [...], ssd_cin_episodes: [...] }. */
export async function insertSsdRows(db: Queryable, schema: string, data: SsdRows): Promise<void> {
  for (const [table, rows] of Object.entries(data)) if (rows && rows.length > 0) await insertRows(db, schema, table, rows);
}

/** Delete every row of the given tables (between tests sharing one schema). */
export async function clearTables(db: Queryable, schema: string, tables: readonly string[]): Promise<void> {
  for (const t of tables) await db.execute(`DELETE FROM ${qualify(db.dialect, schema, getTable(t).name)}`);
}
