import assert from 'node:assert/strict';
import { createSchemaIfMissingSql, createTableIfMissingSql, createTableSql } from '../../../src/ddl/generateDdl';
import { getTable, SSD_TABLES, tablesForSet } from '../../../src/model/ssdModel';
import type { Dialect } from '../../../src/db/types';

const DIALECTS: Dialect[] = ['mssql', 'postgres'];
const q = (d: Dialect, n: string) => (d === 'mssql' ? `[${n}]` : `"${n}"`);

/** Column lines of a CREATE TABLE statement, keyed by column name. */
function columnLines(d: Dialect, sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = d === 'mssql' ? /^ {4}\[(\w+)\] (.*?),?$/ : /^ {4}"(\w+)" (.*?),?$/;
  for (const line of sql.split('\n')) {
    const m = re.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('DDL generation from the SSD model', () => {
  it('covers every model table in both dialects: each column with its type and nullability, in model order', () => {
    for (const d of DIALECTS) {
      for (const t of SSD_TABLES) {
        const sql = createTableSql(d, 'ssd_development', t);
        assert.ok(sql.startsWith(`CREATE TABLE ${q(d, 'ssd_development')}.${q(d, t.name)} (\n`), `${d} ${t.name}`);
        const cols = columnLines(d, sql);
        assert.deepEqual(
          [...cols.keys()],
          t.columns.map((c) => c.name),
          `${d} ${t.name} columns`,
        );
        for (const c of t.columns) {
          const line = cols.get(c.name)!;
          const type = d === 'mssql' ? c.sqlServerType : c.postgresType;
          if (!c.identity) assert.ok(line.startsWith(type + ' '), `${d} ${t.name}.${c.name}: ${line} should start with ${type}`);
          assert.ok(line.includes(c.nullable ? ' NULL' : ' NOT NULL'), `${d} ${t.name}.${c.name} nullability`);
          if (c.nullable) assert.ok(!line.includes('NOT NULL'), `${d} ${t.name}.${c.name} should be nullable`);
        }
      }
    }
  });

  it('declares the primary key from the model, and none when the model has none', () => {
    for (const d of DIALECTS) {
      for (const t of SSD_TABLES) {
        const sql = createTableSql(d, 'dbo', t);
        const pk = /CONSTRAINT \S+ PRIMARY KEY \(([^)]*)\)/.exec(sql);
        if (t.primaryKey.length === 0) {
          assert.equal(pk, null, `${d} ${t.name}`);
          continue;
        }
        assert.ok(pk, `${d} ${t.name} has a PK`);
        assert.equal(pk[1], t.primaryKey.map((c) => q(d, c)).join(', '));
      }
    }
    assert.match(createTableSql('postgres', 'public', getTable('ssd_person')), /CONSTRAINT "pk_ssd_person" PRIMARY KEY \("pers_person_id"\)/);
  });

  it('writes identity columns and defaults in each dialect', () => {
    const staging = getTable('ssd_api_data_staging');
    const ms = columnLines('mssql', createTableSql('mssql', 'dbo', staging));
    const pg = columnLines('postgres', createTableSql('postgres', 'public', staging));
    assert.equal(ms.get('id'), 'INT IDENTITY(1,1) NOT NULL');
    assert.equal(pg.get('id'), 'BIGSERIAL NOT NULL');
    assert.equal(ms.get('submission_status'), "NVARCHAR(50) NULL DEFAULT N'Pending'");
    assert.equal(pg.get('submission_status'), "VARCHAR(50) NULL DEFAULT 'Pending'");
    assert.equal(ms.get('last_updated'), 'DATETIME NULL DEFAULT GETDATE()');
    assert.equal(pg.get('last_updated'), 'TIMESTAMPTZ NULL DEFAULT CURRENT_TIMESTAMP');
    const cohort = getTable('ssd_cohort');
    assert.equal(columnLines('mssql', createTableSql('mssql', 'dbo', cohort)).get('has_contact'), 'BIT NOT NULL DEFAULT 0');
    assert.equal(columnLines('postgres', createTableSql('postgres', 'public', cohort)).get('has_contact'), 'BOOLEAN NOT NULL DEFAULT FALSE');
    const linked = getTable('ssd_linked_identifiers');
    assert.match(columnLines('mssql', createTableSql('mssql', 'dbo', linked)).get('link_table_id')!, /DEFAULT NEWID\(\)$/);
    assert.match(columnLines('postgres', createTableSql('postgres', 'public', linked)).get('link_table_id')!, /DEFAULT \(gen_random_uuid\(\)\)::text$/);
  });

  it('guards each CREATE TABLE so that a second run changes nothing', () => {
    const t = getTable('ssd_person');
    assert.equal(createTableIfMissingSql('postgres', 'ssd_development', t), createTableSql('postgres', 'ssd_development', t).replace('CREATE TABLE ', 'CREATE TABLE IF NOT EXISTS '));
    const ms = createTableIfMissingSql('mssql', 'ssd_development', t);
    assert.equal(ms, `IF OBJECT_ID(N'ssd_development.ssd_person', N'U') IS NULL\n${createTableSql('mssql', 'ssd_development', t)}`);
    assert.equal(createSchemaIfMissingSql('postgres', 'ssd_development'), 'CREATE SCHEMA IF NOT EXISTS "ssd_development"');
    assert.match(createSchemaIfMissingSql('mssql', 'ssd_development'), /^IF SCHEMA_ID\(N'ssd_development'\) IS NULL EXEC/);
  });

  it('refuses schema names that are not plain identifiers', () => {
    const t = getTable('ssd_person');
    for (const s of ["x') DROP TABLE y --", 'a b', 'dbo]; DROP TABLE x; --', '']) {
      for (const d of DIALECTS) {
        assert.throws(() => createTableIfMissingSql(d, s, t), /invalid/, `${d} ${JSON.stringify(s)}`);
        assert.throws(() => createSchemaIfMissingSql(d, s), /invalid/);
      }
    }
  });

  it('the api set is the 19 builder tables; all adds the other SSD tables but never staging', () => {
    const api = tablesForSet('api').map((t) => t.name);
    assert.equal(api.length, 19);
    assert.ok(api.includes('ssd_person') && api.includes('ssd_linked_identifiers'));
    const all = tablesForSet('all').map((t) => t.name);
    for (const n of api) assert.ok(all.includes(n));
    assert.ok(all.length > api.length);
    for (const n of ['ssd_api_data_staging', 'ssd_api_data_staging_anon']) {
      assert.ok(!api.includes(n) && !all.includes(n));
    }
  });
});
