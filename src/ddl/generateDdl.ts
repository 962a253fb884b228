// CREATE TABLE statements for SSD tables from the one model, in any dialect (the differences are
// DialectRules entries in src/db/dialect.ts). Each statement
// creates the table only when it is missing, so running them again changes nothing.
import { DIALECTS, columnType, createSchemaSql, qualify, quoteIdent, validateIdentifier } from '../db/dialect';
import type { Dialect } from '../db/types';
import type { SsdColumnDef, SsdTableDef } from '../model/ssdModel';

function columnDefault(dialect: Dialect, col: SsdColumnDef): string {
  if (!col.default) return '';
  let d = col.default.trim();
  while (/^\(.*\)$/.test(d)) d = d.slice(1, -1).trim();
  const rules = DIALECTS[dialect];
  if (/^GETDATE\(\)$/i.test(d)) return ` DEFAULT ${rules.defaultNow}`;
  if (/^NEWID\(\)$/i.test(d)) return ` DEFAULT ${rules.defaultUuid}`;
  if (/^'[^']*'$/.test(d)) return ` DEFAULT ${rules.stringLiteralPrefix}${d}`;
  if (/^-?\d+(\.\d+)?$/.test(d)) {
    if (dialect === 'postgres' && col.postgresType === 'BOOLEAN') return ` DEFAULT ${d === '0' ? 'FALSE' : 'TRUE'}`;
    return ` DEFAULT ${d}`;
  }
  throw new Error(`column ${col.name}: unsupported default ${d}`);
}

function columnSql(dialect: Dialect, col: SsdColumnDef): string {
  let type = columnType(dialect, col);
  if (col.identity) type = DIALECTS[dialect].identity(col, type);
  return `    ${DIALECTS[dialect].columnDefinition(quoteIdent(dialect, col.name), type, col.nullable, columnDefault(dialect, col))}`;
}

/** The CREATE TABLE statement for one table (no existence test). */
export function createTableSql(dialect: Dialect, schema: string, table: SsdTableDef): string {
  const lines = table.columns.map((c) => columnSql(dialect, c));
  if (table.primaryKey.length) {
    const name = quoteIdent(dialect, `pk_${table.name}`.slice(0, 63));
    lines.push(`    CONSTRAINT ${name} PRIMARY KEY (${table.primaryKey.map((c) => quoteIdent(dialect, c)).join(', ')})`);
  }
  return `CREATE TABLE ${qualify(dialect, schema, table.name)} (\n${lines.join(',\n')}\n)`;
}

/** CREATE TABLE guarded so that it only runs when the table is missing. */
export function createTableIfMissingSql(dialect: Dialect, schema: string, table: SsdTableDef): string {
  validateIdentifier(schema, 'schema');
  return DIALECTS[dialect].createTableIfMissing(createTableSql(dialect, schema, table), schema, validateIdentifier(table.name, 'table'));
}

export function createSchemaIfMissingSql(dialect: Dialect, schema: string): string {
  return createSchemaSql(dialect, schema);
}
