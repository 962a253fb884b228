// `ssd init` core: creates every SSD table of the chosen set in a named schema, in the
// connection's dialect; a second run changes nothing.
import assert from 'node:assert/strict';
import { forEachTarget, type SchemaFixture } from '../../helpers/targets';
import { columnsSql, qualify, quoteIdent } from '../../../src/db/dialect';
import { openDb } from '../../../src/db/openDb';
import { initTables } from '../../../src/ddl/initTables';
import { tablesForSet } from '../../../src/model/ssdModel';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
}

async function columnsBySchema(fx: SchemaFixture, schema: string): Promise<Map<string, ColumnRow[]>> {
  const raw = await fx.db.query<Record<string, unknown>>(columnsSql(fx.db.dialect), [schema]);
  // Key case as the server reports it does not matter here.
  const rows = raw.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])) as unknown as ColumnRow);
  const out = new Map<string, ColumnRow[]>();
  for (const r of rows) {
    const name = String(r.table_name).toLowerCase();
    out.set(name, [...(out.get(name) ?? []), r]);
  }
  return out;
}

/** Drop a schema made by a test (the fixture only drops its own). */
async function dropExtraSchema(fx: SchemaFixture, schema: string): Promise<void> {
  if (fx.target.name === 'pglite') return;
  // The fixture's own after-hook has closed its connection by now: use a new one.
  const db = await openDb(fx.target.url);
  try {
    if (db.dialect === 'postgres') {
      await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`);
      return;
    }
    const tables = await db.query<{ name: string }>('SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = $1', [schema]);
    for (const { name } of tables) await db.execute(`DROP TABLE ${qualify('mssql', schema, name)}`);
    await db.execute(`IF SCHEMA_ID(N'${schema}') IS NOT NULL EXEC(N'DROP SCHEMA ${quoteIdent('mssql', schema)}')`);
  } finally {
    await db.close();
  }
}

forEachTarget('initTables', (fx) => {
  const extra = () => `${fx().schema}_dev`;
  after(async () => {
    await dropExtraSchema(fx(), extra());
  });

  it("creates the 19 builder tables ('api') in a schema it creates, with the model's columns", async () => {
    const f = fx();
    const schema = extra();
    const r = await initTables(f.db, { schema, tables: 'api' });
    const api = tablesForSet('api');
    assert.equal(r.schema, schema);
    assert.deepEqual(
      r.created,
      api.map((t) => t.name),
    );
    assert.deepEqual(r.alreadyPresent, []);
    const cols = await columnsBySchema(f, schema);
    assert.deepEqual([...cols.keys()].sort(), api.map((t) => t.name).sort());
    for (const t of api) {
      const got = cols.get(t.name)!;
      assert.deepEqual(
        got.map((c) => String(c.column_name).toLowerCase()),
        t.columns.map((c) => c.name),
        t.name,
      );
      for (const c of t.columns) {
        const row = got.find((x) => String(x.column_name).toLowerCase() === c.name)!;
        assert.equal(row.is_nullable, c.nullable ? 'YES' : 'NO', `${t.name}.${c.name}`);
      }
    }
  });

  it('changes nothing when run again', async () => {
    const f = fx();
    const schema = extra();
    const before = await columnsBySchema(f, schema);
    const r = await initTables(f.db, { schema, tables: 'api' });
    assert.deepEqual(r.created, []);
    assert.equal(r.alreadyPresent.length, 19);
    assert.deepEqual(await columnsBySchema(f, schema), before);
  });

  it("adds the other SSD tables for 'all', keeping the existing ones and their rows, and a second run changes nothing", async () => {
    const f = fx();
    const schema = extra();
    await f.db.execute(`INSERT INTO ${qualify(f.db.dialect, schema, 'ssd_person')} (pers_person_id, pers_forename) VALUES ($1, $2)`, ['P1', 'Zoë']);
    const all = tablesForSet('all');
    const r = await initTables(f.db, { schema, tables: 'all' });
    assert.deepEqual([...r.created, ...r.alreadyPresent].sort(), all.map((t) => t.name).sort());
    assert.equal(r.alreadyPresent.length, 19);
    assert.equal(r.created.length, all.length - 19);
    const again = await initTables(f.db, { schema, tables: 'all' });
    assert.deepEqual(again.created, []);
    assert.equal(again.alreadyPresent.length, all.length);
    const cols = await columnsBySchema(f, schema);
    assert.equal(cols.size, all.length);
    const people = await f.db.query(`SELECT pers_person_id, pers_forename FROM ${qualify(f.db.dialect, schema, 'ssd_person')}`);
    assert.deepEqual(people, [{ pers_person_id: 'P1', pers_forename: 'Zoë' }]);
  });

  it('uses the defaults and primary keys it declared', async () => {
    const f = fx();
    const schema = extra();
    const cohort = qualify(f.db.dialect, schema, 'ssd_cohort');
    await f.db.execute(`INSERT INTO ${cohort} (dim_person_id) VALUES ($1)`, ['C1']);
    const [row] = await f.db.query<{ has_contact: unknown }>(`SELECT has_contact FROM ${cohort} WHERE dim_person_id = $1`, ['C1']);
    assert.equal(Boolean(row!.has_contact), false);
    await assert.rejects(f.db.execute(`INSERT INTO ${cohort} (dim_person_id) VALUES ($1)`, ['C1']), { name: 'DbError' });
    const linked = qualify(f.db.dialect, schema, 'ssd_linked_identifiers');
    await f.db.execute(`INSERT INTO ${linked} (link_person_id) VALUES ($1)`, ['P1']);
    const [l] = await f.db.query<{ link_table_id: string }>(`SELECT link_table_id FROM ${linked}`);
    assert.match(l!.link_table_id, /^[0-9a-f-]{36}$/i);
  });

  it('creates tables in the default schema when none is given', async function () {
    const f = fx();
    if (f.target.name !== 'pglite') this.skip(); // shared servers: keep their default schema untouched
    const r = await initTables(f.db, { tables: 'api' });
    assert.equal(r.schema, f.db.defaultSchema);
    assert.equal(r.created.length, 19);
    assert.equal((await initTables(f.db)).created.length, 0);
  });
});
