import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachTarget } from '../../helpers/targets';
import { checkDrift } from '../../../src/script/drift';

const fixture = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_postgres_tagged.sql'), 'utf8');

forEachTarget('ssd drift', (fx, target) => {
  if (target.name === 'mssql') {
    it('SQL Server: reports added, removed and retyped columns with T-SQL statements', async () => {
      const { db, schema } = fx();
      await db.execute(`CREATE TABLE ${schema}.ssd_person (pers_person_id NVARCHAR(48) NOT NULL PRIMARY KEY, pers_upn NVARCHAR(10), pers_common_child_id NVARCHAR(48))`);
      const text = `IF OBJECT_ID('${schema}.ssd_person','U') IS NULL\nCREATE TABLE ${schema}.ssd_person (\n  pers_person_id NVARCHAR(48) PRIMARY KEY,\n  pers_upn NVARCHAR(13),\n  pers_single_unique_id NVARCHAR(48),\n);`;
      const r = await checkDrift(db, text, 'tsql');
      const t = r.tables[0]!;
      assert.deepEqual([t.added.map((c) => c.name), t.removed.map((c) => c.name), t.retyped.map((c) => c.column)], [['pers_single_unique_id'], ['pers_common_child_id'], ['pers_upn']]);
      for (const s of t.statements) await db.execute(s);
      const after = await checkDrift(db, text, 'tsql');
      assert.equal(after.tables[0]!.added.length + after.tables[0]!.removed.length + after.tables[0]!.retyped.length, 0);
    });
    return;
  }
  it('reports added, removed and retyped columns of an old table, with statements to review', async () => {
    const { db, schema } = fx();
    // an "old version" of ssd_person: renamed column, shorter UPN, no pers_upn_unknown
    await db.execute(`CREATE TABLE ${schema}.ssd_person (
      pers_legacy_id VARCHAR(48), pers_person_id VARCHAR(48) PRIMARY KEY, pers_upn VARCHAR(10), pers_sex VARCHAR(20),
      pers_ethnicity VARCHAR(48), pers_dob TIMESTAMP, pers_common_child_id VARCHAR(48), pers_send_flag CHAR(5),
      pers_is_mother CHAR(1), pers_nationality VARCHAR(48))`);
    await db.execute(`CREATE TABLE ${schema}.ssd_disability (disa_table_id VARCHAR(48) PRIMARY KEY, disa_person_id VARCHAR(48) NOT NULL, disa_disability_code VARCHAR(48) NOT NULL)`);
    const text = fixture.replaceAll('ssd_development', schema);
    const r = await checkDrift(db, text, 'postgres', { file: 'f.sql' });
    assert.equal(r.drift, true);
    const person = r.tables.find((t) => t.table === 'ssd_person')!;
    assert.equal(person.status, 'drift');
    assert.deepEqual(
      person.added.map((c) => c.name),
      ['pers_upn_unknown'],
    );
    assert.deepEqual(
      person.removed.map((c) => c.name),
      ['pers_common_child_id'],
    );
    assert.deepEqual(
      person.retyped.map((c) => [c.column, c.scriptType, c.liveType]),
      [['pers_upn', 'VARCHAR(13)', 'CHARACTER VARYING(10)']],
    );
    assert.equal(person.line, text.slice(0, text.indexOf('CREATE TABLE IF NOT EXISTS ' + schema + '.ssd_person')).split('\n').length);
    assert.deepEqual(person.statements, [
      `ALTER TABLE "${schema}"."ssd_person" ADD COLUMN "pers_upn_unknown" VARCHAR(6);`,
      `ALTER TABLE "${schema}"."ssd_person" ALTER COLUMN "pers_upn" TYPE VARCHAR(13) USING "pers_upn"::VARCHAR(13);`,
      `ALTER TABLE "${schema}"."ssd_person" DROP COLUMN "pers_common_child_id";`,
    ]);
    assert.equal(person.dropStatement, `DROP TABLE "${schema}"."ssd_person";`);
    assert.equal(r.tables.find((t) => t.table === 'ssd_disability')!.status, 'same');
    assert.equal(r.tables.find((t) => t.table === 'ssd_cin_episodes')!.status, 'missing');
    // the statements are valid SQL: applying them removes the drift
    for (const s of person.statements) await db.execute(s);
    const after = await checkDrift(db, text, 'postgres');
    assert.equal(after.tables.find((t) => t.table === 'ssd_person')!.status, 'drift', 'only the column order still differs');
    assert.equal(after.tables.find((t) => t.table === 'ssd_person')!.orderDiffers, true);
    await db.execute(person.dropStatement!);
    assert.equal((await checkDrift(db, text, 'postgres')).tables.find((t) => t.table === 'ssd_person')!.status, 'missing');
  });
});
