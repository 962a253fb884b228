// Atomic table refresh in `ssd run` / "SSD: Run Script" (issue 18): a table's refresh runs in one
// transaction, so a failing or cancelled refresh leaves the rows the table had before; blocks that
// cannot run in a transaction are reported "not atomic" and run as written; the row-count watch
// lists tables that lost more than half of their rows or became empty.
// Fixtures are ours, in the community's shapes: the Eclipse file (CREATE TABLE IF NOT EXISTS,
// TRUNCATE, INSERT … WITH … SELECT from the CMS views with an unedited placeholder list) and the
// tagged META-CONTAINER layout.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachTarget, type SchemaFixture } from '../../helpers/targets';
import { runScript, type RunEvent, type RunResult } from '../../../src/script/index';

const eclipse = readFileSync(join(process.cwd(), 'test/fixtures/scripts/eclipse_like_ssd_person.sql'), 'utf8');
const tagged = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_postgres_tagged.sql'), 'utf8');
const PEOPLE = 1000;
const EXCLUDED = 6; // person ids 1-6 are the Eclipse EXCLUSIONS

const lineCol = (text: string, needle: string) => {
  const off = text.indexOf(needle);
  assert.ok(off >= 0, `text lacks ${needle}`);
  return { line: text.slice(0, off).split('\n').length, column: off - text.lastIndexOf('\n', off - 1) };
};

/** The Eclipse-shaped file with its unqualified names put in the suite's schema (as an LA's search_path would). */
function eclipseIn(schema: string, edited: boolean): string {
  const text = eclipse.replace(/\bssd_person\b/g, `${schema}.ssd_person`).replace(/\bpersonview\b/g, `${schema}.personview`);
  return edited ? text.replace('p.personid IN (eg111111, eg222222)', 'TRUE') : text;
}

async function countOf(fx: SchemaFixture, table: string): Promise<number> {
  const r = await fx.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${fx.t(table)}`);
  return Number(r[0]!.n);
}

const table = (r: RunResult, name: string) => {
  const t = r.tables.find((x) => x.name === name);
  assert.ok(t, `no outcome for ${name}: ${r.tables.map((x) => x.name).join(', ')}`);
  return t;
};

forEachTarget('ssd run: atomic table refresh', (fx, target) => {
  if (target.name === 'mssql') {
    tsqlSuite(fx);
    return;
  }
  const good = () => eclipseIn(fx().schema, true);
  const bad = () => eclipseIn(fx().schema, false);

  before(async () => {
    const { db, schema } = fx();
    // The CMS view the Eclipse file reads (fake people: ids and made-up codes only).
    await db.execute(
      `CREATE TABLE ${schema}.personview (personid int PRIMARY KEY, upn varchar(13), forename varchar(100), surname varchar(255), gender varchar(20), dateofbirth date, ethnicity varchar(48), duplicated varchar(20))`,
    );
    await db.execute(
      `INSERT INTO ${schema}.personview SELECT g, NULL, 'F' || g, 'S' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, DATE '2010-01-01' + g, 'WBRI', NULL FROM generate_series(1, ${PEOPLE}) AS g`,
    );
  });

  async function refreshGood(): Promise<void> {
    const { result } = await runScript(fx().db, { file: 'ssd_person.sql', text: good() });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    assert.equal(await countOf(fx(), 'ssd_person'), PEOPLE - EXCLUDED);
  }

  it('an edited Eclipse file refreshes ssd_person in one transaction: refreshed (before → after)', async () => {
    const { result } = await runScript(fx().db, { file: 'ssd_person.sql', text: good() });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const p = table(result, 'ssd_person');
    assert.equal(p.refresh?.outcome, 'refreshed');
    assert.equal(p.refresh?.rowsBefore, 0, 'created empty by the CREATE TABLE before the block');
    assert.equal(p.refresh?.rowsAfter, PEOPLE - EXCLUDED);
    // the block is TRUNCATE … INSERT (statements 2 and 3); the CREATE TABLE IF NOT EXISTS runs before it
    assert.deepEqual(p.refresh?.batches, [1, 2]);
    const again = await runScript(fx().db, { file: 'ssd_person.sql', text: good() });
    assert.equal(table(again.result, 'ssd_person').refresh?.rowsBefore, PEOPLE - EXCLUDED);
    assert.deepEqual(again.result.shrunk, []);
  });

  it('the unedited placeholder fails the INSERT after the TRUNCATE: ssd_person keeps its previous rows, the error at its line', async () => {
    await refreshGood();
    const text = bad();
    const events: RunEvent[] = [];
    const { result } = await runScript(fx().db, { file: 'ssd_person.sql', text, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'rolled back', 'failed'],
    );
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.match(err.message, /eg111111/);
    const at = lineCol(text, 'IN (eg111111');
    const want = { line: at.line, column: at.column + 'IN ('.length };
    assert.deepEqual([err.file, err.line, err.column], ['ssd_person.sql', want.line, want.column]);
    assert.equal(await countOf(fx(), 'ssd_person'), PEOPLE - EXCLUDED, 'the TRUNCATE was rolled back');
    const p = table(result, 'ssd_person');
    assert.equal(p.status, 'failed');
    assert.equal(p.rows, PEOPLE - EXCLUDED);
    assert.equal(p.refresh?.outcome, 'kept previous rows');
    assert.equal(p.refresh?.rowsAfter, PEOPLE - EXCLUDED);
    assert.deepEqual([p.refresh?.error?.line, p.refresh?.error?.column], [want.line, want.column]);
    assert.deepEqual(result.shrunk, [], 'nothing lost, nothing to watch');
    assert.ok(events.some((e) => e.type === 'refresh' && e.name === 'ssd_person' && e.refresh.outcome === 'kept previous rows'));
  });

  it('--no-atomic runs it as written: the table is left empty, and the row-count watch lists it', async () => {
    await refreshGood();
    const { result } = await runScript(fx().db, { file: 'ssd_person.sql', text: bad(), atomic: false });
    assert.equal(result.atomic, false);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'failed'],
    );
    assert.equal(await countOf(fx(), 'ssd_person'), 0);
    assert.equal(table(result, 'ssd_person').refresh, undefined);
    assert.deepEqual(result.shrunk, [{ name: 'ssd_person', schema: fx().schema, before: PEOPLE - EXCLUDED, after: 0, why: 'became empty' }]);
    await refreshGood();
  });

  it('row-count watch: a refresh that succeeds but loses more than half of the rows is listed', async () => {
    await refreshGood();
    const { schema } = fx();
    const keep = 100;
    const text = `TRUNCATE TABLE ${schema}.ssd_person;\nINSERT INTO ${schema}.ssd_person (pers_legacy_id, pers_person_id) SELECT personid::text, personid::text FROM ${schema}.personview WHERE personid <= ${keep};\n`;
    const { result } = await runScript(fx().db, { file: 'shrink.sql', text });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    assert.equal(table(result, 'ssd_person').refresh?.outcome, 'refreshed');
    assert.deepEqual(result.shrunk, [{ name: 'ssd_person', schema, before: PEOPLE - EXCLUDED, after: keep, why: 'lost more than half of its rows' }]);
    // losing less than half is normal churn
    await refreshGood();
    const some = `DELETE FROM ${schema}.ssd_person WHERE pers_person_id::int > ${PEOPLE - 100};\n`;
    const r2 = await runScript(fx().db, { file: 'churn.sql', text: some });
    assert.deepEqual(r2.result.shrunk, []);
    await refreshGood();
  });

  it('a block with its own COMMIT is reported not atomic, at the COMMIT line, and runs as written', async () => {
    await refreshGood();
    const text = bad().replace(/ORDER BY p\.personid NULLS LAST;\n?$/, 'ORDER BY p.personid NULLS LAST;\nCOMMIT;\n');
    assert.ok(text.endsWith('COMMIT;\n'));
    const { result } = await runScript(fx().db, { file: 'ssd_person.sql', text });
    const p = table(result, 'ssd_person');
    assert.equal(p.refresh?.outcome, 'not atomic');
    assert.match(p.refresh!.reason!, /COMMIT/);
    assert.equal(p.refresh?.at?.line, lineCol(text, 'COMMIT;').line);
    // as written: the INSERT failed after the TRUNCATE, and the run stopped there (the COMMIT never ran)
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'failed', 'not run'],
    );
    assert.equal(await countOf(fx(), 'ssd_person'), 0);
    assert.deepEqual(
      result.shrunk.map((s) => [s.name, s.why]),
      [['ssd_person', 'became empty']],
    );
    await refreshGood();
  });

  // The tagged fixture makes its own ssd_person: it runs in a schema of its own.
  const taggedSchema = () => `${fx().schema}_tagged`;
  afterEach(async () => {
    await fx().db.execute(`DROP SCHEMA IF EXISTS ${taggedSchema()} CASCADE`);
  });

  it('tagged script: the failing container keeps its previous rows, the containers before it are refreshed', async () => {
    const { db } = fx();
    const schema = taggedSchema();
    const goodText = tagged.replaceAll('ssd_development', schema);
    const first = await runScript(db, { file: 'fixture.sql', text: goodText });
    assert.equal(first.result.ok, true, JSON.stringify(first.result.diagnostics));
    const text = goodText.replace('/* FIXTURE-ERROR-POINT */', 'no_such_col ||');
    for (const perTable of [false, true]) {
      const { result } = await runScript(db, { file: 'fixture.sql', text, perTable });
      const by = Object.fromEntries(result.tables.map((t) => [t.name, t]));
      assert.equal(by.ssd_person!.refresh?.outcome, 'refreshed');
      assert.deepEqual([by.ssd_person!.refresh?.rowsBefore, by.ssd_person!.refresh?.rowsAfter], [40, 40]);
      assert.equal(by.ssd_disability!.refresh?.outcome, 'kept previous rows', `perTable ${perTable}`);
      assert.equal(by.ssd_disability!.refresh?.rowsAfter, 30);
      assert.equal(by.ssd_disability!.refresh?.error?.line, lineCol(text, 'no_such_col ||').line);
      const n = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${schema}.ssd_disability`);
      assert.equal(Number(n[0]!.n), 30);
      // as written the run stops at the failing table; per table the others go on
      assert.equal(by.ssd_cin_episodes!.refresh?.outcome, perTable ? 'refreshed' : 'not run');
      assert.deepEqual(result.shrunk, []);
    }
  });

  it('tagged script: a container with its own COMMIT is not atomic, the others are refreshed', async () => {
    const { db } = fx();
    const schema = taggedSchema();
    const text = tagged.replaceAll('ssd_development', schema).replace(`TRUNCATE TABLE ${schema}.ssd_disability;`, `TRUNCATE TABLE ${schema}.ssd_disability;\nCOMMIT;`);
    const { result } = await runScript(db, { file: 'fixture.sql', text });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const by = Object.fromEntries(result.tables.map((t) => [t.name, t.refresh]));
    assert.equal(by.ssd_disability?.outcome, 'not atomic');
    assert.equal(by.ssd_disability?.at?.line, lineCol(text, 'COMMIT;').line);
    assert.deepEqual([by.ssd_person?.outcome, by.ssd_immigration_status?.outcome, by.ssd_cin_episodes?.outcome], ['refreshed', 'refreshed', 'refreshed']);
  });

  it('cancelled between the TRUNCATE and the INSERT: the table keeps its previous rows', async () => {
    await refreshGood();
    const ac = new AbortController();
    const { result } = await runScript(fx().db, {
      file: 'ssd_person.sql',
      text: good(),
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'batch-end' && e.n === 2) ac.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'rolled back', 'not run'],
    );
    assert.equal(await countOf(fx(), 'ssd_person'), PEOPLE - EXCLUDED);
    const p = table(result, 'ssd_person');
    assert.equal(p.refresh?.outcome, 'kept previous rows');
    assert.equal(p.refresh?.cancelled, true);
    assert.deepEqual(result.shrunk, []);
  });

  if (target.name === 'postgres') {
    it('cancelled in the middle of the INSERT (stopped on the server): the table keeps its previous rows', async function () {
      this.timeout(30000);
      await refreshGood();
      const { schema } = fx();
      const text = `TRUNCATE TABLE ${schema}.ssd_person;\nINSERT INTO ${schema}.ssd_person (pers_legacy_id, pers_person_id) SELECT personid::text, personid::text FROM ${schema}.personview, pg_sleep(30);\n`;
      const ac = new AbortController();
      const t0 = Date.now();
      const { result } = await runScript(fx().db, {
        file: 'slow.sql',
        text,
        signal: ac.signal,
        onEvent: (e) => {
          if (e.type === 'batch-start' && e.n === 2) setTimeout(() => ac.abort(), 500);
        },
      });
      assert.ok(Date.now() - t0 < 15000, 'the statement was stopped, not waited for');
      assert.equal(result.cancelled, true);
      assert.deepEqual(
        result.batches.map((b) => b.status),
        ['rolled back', 'cancelled'],
      );
      assert.equal(await countOf(fx(), 'ssd_person'), PEOPLE - EXCLUDED);
      assert.equal(table(result, 'ssd_person').refresh?.outcome, 'kept previous rows');
      // the transaction is gone from the server: nothing holds the table
      const open = await fx().db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND query LIKE '%${schema}.ssd_person%'`);
      assert.equal(open[0]!.n, 0);
    });
  }
});

/** SQL Server (runs when SSD_TEST_MSSQL is set): GO batches of one container share one transaction. */
function tsqlSuite(fx: () => SchemaFixture): void {
  it('per table: a container of several GO batches fails in its second batch and keeps its previous rows', async () => {
    const { db, schema } = fx();
    await db.execute(`CREATE TABLE ${schema}.ssd_person (pers_person_id NVARCHAR(48) PRIMARY KEY)`);
    await db.execute(`INSERT INTO ${schema}.ssd_person VALUES (N'1'), (N'2'), (N'3')`);
    const text = [
      'DECLARE @x INT = 1;',
      `-- META-CONTAINER: {"type": "table", "name": "ssd_person"}`,
      `TRUNCATE TABLE ${schema}.ssd_person;`,
      'GO',
      `INSERT INTO ${schema}.ssd_person (pers_person_id) SELECT no_such_col FROM ${schema}.ssd_person;`,
      'GO',
    ].join('\n');
    const { result } = await runScript(db, { file: 'p.sql', text, perTable: true });
    const p = table(result, 'ssd_person');
    assert.equal(p.refresh?.outcome, 'kept previous rows');
    assert.equal(p.refresh?.error?.line, 5);
    assert.equal(await countOf(fx(), 'ssd_person'), 3);
    const off = await runScript(db, { file: 'p.sql', text, perTable: true, atomic: false });
    assert.equal(await countOf(fx(), 'ssd_person'), 0);
    assert.deepEqual(
      off.result.shrunk.map((s) => [s.name, s.why]),
      [['ssd_person', 'became empty']],
    );
  });
}
