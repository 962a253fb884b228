// The databases integration tests run against: embedded PGlite always, a real PostgreSQL when
// SSD_TEST_PG holds a URL, SQL Server when SSD_TEST_MSSQL holds a connection string.
// Each test suite gets its own fresh schema, dropped afterwards, so suites never see each other.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { openDb } from '../../src/db/openDb';
import { qualify, quoteIdent } from '../../src/db/dialect';
import type { Db } from '../../src/db/types';

export interface TestTarget {
  name: 'pglite' | 'postgres' | 'mssql' | 'oracle';
  url: string;
}

export function testTargets(): TestTarget[] {
  const t: TestTarget[] = [{ name: 'pglite', url: 'pglite:memory' }];
  if (process.env.SSD_TEST_PG) t.push({ name: 'postgres', url: process.env.SSD_TEST_PG });
  if (process.env.SSD_TEST_MSSQL) t.push({ name: 'mssql', url: process.env.SSD_TEST_MSSQL });
  if (process.env.SSD_TEST_ORACLE) t.push({ name: 'oracle', url: process.env.SSD_TEST_ORACLE });
  return t;
}

export interface SchemaFixture {
  db: Db;
  schema: string;
  target: TestTarget;
  /** schema-qualified, quoted table name */
  t(table: string): string;
}

/** Open the target and create a fresh empty schema for one suite. */
export async function freshSchema(target: TestTarget): Promise<SchemaFixture> {
  const db = await openDb(target.url);
  const schema = `ssd_t_${randomBytes(4).toString('hex')}`;
  if (db.dialect === 'mssql') await db.execute(`EXEC('CREATE SCHEMA ${quoteIdent('mssql', schema)}')`);
  // Oracle: a schema is a user; one that cannot sign in, with room for its tables.
  else if (db.dialect === 'oracle') await db.execute(`CREATE USER ${quoteIdent('oracle', schema)} NO AUTHENTICATION QUOTA UNLIMITED ON USERS`);
  else await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
  return { db, schema, target, t: (table) => qualify(db.dialect, schema, table) };
}

/** Drop the suite's schema and close. */
export async function dropSchema(f: SchemaFixture): Promise<void> {
  try {
    if (f.target.name === 'pglite') return;
    if (f.db.dialect === 'postgres') await f.db.execute(`DROP SCHEMA ${quoteIdent('postgres', f.schema)} CASCADE`);
    else if (f.db.dialect === 'oracle') await f.db.execute(`DROP USER ${quoteIdent('oracle', f.schema)} CASCADE`);
    else {
      const tables = await f.db.query<{ name: string }>(`SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = $1`, [f.schema]);
      for (const { name } of tables) await f.db.execute(`DROP TABLE ${qualify('mssql', f.schema, name)}`);
      await f.db.execute(`DROP SCHEMA ${quoteIdent('mssql', f.schema)}`);
    }
  } finally {
    await f.db.close();
  }
}

/**
 * Define the same suite once per available target:
 *   forEachTarget('staging lifecycle', (fx) => { it('...', async () => { const { db, schema } = fx(); ... }); });
 * Records which targets actually ran tests in SSD_TEST_RAN_FILE (used by .ci/run).
 */
export function forEachTarget(title: string, body: (fixture: () => SchemaFixture, target: TestTarget) => void, options: { oracle?: boolean } = {}): void {
  for (const target of testTargets()) {
    if (target.name === 'oracle' && !options.oracle) continue;
    describe(`${title} [${target.name}]`, function () {
      let f: SchemaFixture | undefined;
      before(async function () {
        f = await freshSchema(target);
      });
      after(async function () {
        if (f) await dropSchema(f);
      });
      afterEach(function () {
        const file = process.env.SSD_TEST_RAN_FILE;
        if (file && this.currentTest?.state === 'passed') appendFileSync(file, `${target.name}\n`);
      });
      body(() => {
        if (!f) throw new Error('fixture not ready');
        return f;
      }, target);
    });
  }
}
