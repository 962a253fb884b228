// Test-only table surgery for the check tests: drop a primary key (to seed duplicate keys), change
// a column's type (to seed over-long values or dates held as text), drop columns and tables.
import { qualify, quoteIdent } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';

export async function dropPrimaryKey(db: Db, schema: string, table: string): Promise<void> {
  const rows = await db.query<{ constraint_name: string }>(
    `SELECT CONSTRAINT_NAME AS constraint_name FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = $1 AND TABLE_NAME = $2 AND CONSTRAINT_TYPE = 'PRIMARY KEY'`,
    [schema, table],
  );
  for (const r of rows) await db.execute(`ALTER TABLE ${qualify(db.dialect, schema, table)} DROP CONSTRAINT ${quoteIdent(db.dialect, r.constraint_name)}`);
}

/** Change a column to text of the given length (VARCHAR / NVARCHAR). */
export async function makeText(db: Db, schema: string, table: string, column: string, length: number): Promise<void> {
  const t = qualify(db.dialect, schema, table),
    c = quoteIdent(db.dialect, column);
  if (db.dialect === 'mssql') await db.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} NVARCHAR(${length}) NULL`);
  else await db.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE VARCHAR(${length})`);
}

export async function dropColumn(db: Db, schema: string, table: string, column: string): Promise<void> {
  await db.execute(`ALTER TABLE ${qualify(db.dialect, schema, table)} DROP COLUMN ${quoteIdent(db.dialect, column)}`);
}

export async function dropTable(db: Db, schema: string, table: string): Promise<void> {
  await db.execute(`DROP TABLE ${qualify(db.dialect, schema, table)}`);
}

export async function renameTable(db: Db, schema: string, table: string, to: string): Promise<void> {
  if (db.dialect === 'mssql') await db.execute(`EXEC sp_rename $1, $2`, [`${schema}.${table}`, to]);
  else await db.execute(`ALTER TABLE ${qualify(db.dialect, schema, table)} RENAME TO ${quoteIdent(db.dialect, to)}`);
}
