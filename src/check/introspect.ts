// What the database holds: tables and columns of one schema from information_schema, matched to
// the SSD model case-insensitively.
import { validateIdentifier } from '../db/dialect';
import { loadSql } from '../db/sqlFiles';
import type { Db } from '../db/types';
import { kindOfDataType, type ColumnInfo, type TableInfo } from './sqlExpr';

export interface Catalogue {
  /** Schema name as the database spells it (the requested name when the schema has no tables). */
  schema: string;
  /** Tables by lower-case name. */
  tables: Map<string, TableInfo>;
}

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  character_maximum_length: number | string | null;
}

const usable = (name: string): boolean => {
  try {
    validateIdentifier(name);
    return true;
  } catch {
    return false;
  }
};

export async function readCatalogue(db: Db, schema: string): Promise<Catalogue> {
  const rows = await db.query<ColumnRow>(loadSql(db.dialect, 'check_columns'), [schema]);
  // Several schemas can differ only by case (PostgreSQL): prefer the exact spelling.
  const schemas = [...new Set(rows.map((r) => r.table_schema))];
  const chosen = schemas.includes(schema) ? schema : (schemas.sort()[0] ?? schema);
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    if (r.table_schema !== chosen || !usable(r.table_name) || !usable(r.column_name)) continue;
    const key = r.table_name.toLowerCase();
    let t = tables.get(key);
    if (t && t.actual !== r.table_name) {
      // Two tables differing only by case: keep the lower-case one.
      if (t.actual === key) continue;
      if (r.table_name !== key) continue;
      t = undefined;
    }
    if (!t) {
      t = { name: key, actual: r.table_name, columns: new Map() };
      tables.set(key, t);
    }
    const ckey = r.column_name.toLowerCase();
    const existing = t.columns.get(ckey);
    if (existing && existing.actual === ckey) continue;
    const info: ColumnInfo = {
      name: ckey,
      actual: r.column_name,
      dataType: String(r.data_type),
      kind: kindOfDataType(String(r.data_type)),
      maxLength: r.character_maximum_length === null || r.character_maximum_length === undefined ? null : Number(r.character_maximum_length),
    };
    t.columns.set(ckey, info);
  }
  return { schema: chosen, tables };
}
