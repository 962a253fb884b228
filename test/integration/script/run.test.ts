import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachTarget } from '../../helpers/targets';
import { runScript, type RunEvent } from '../../../src/script/index';

const fixture = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_postgres_tagged.sql'), 'utf8');
const lineCol = (text: string, needle: string) => {
  const off = text.indexOf(needle);
  assert.ok(off >= 0, `fixture lacks ${needle}`);
  return { line: text.slice(0, off).split('\n').length, column: off - text.lastIndexOf('\n', off - 1) };
};

forEachTarget('ssd run: multi-batch scripts', (fx, target) => {
  if (target.name === 'mssql') {
    tsqlSuite(fx);
    return;
  }
  it('runs statement by statement and reports a failing one at its file line and column, then stops', async () => {
    const { db, schema } = fx();
    const text = [
      `CREATE TABLE ${schema}.t1 (id int PRIMARY KEY);`,
      `INSERT INTO ${schema}.t1 VALUES (1), (2);`,
      '-- the next statement is wrong',
      'SELECT id,',
      `       no_such_col FROM ${schema}.t1;`,
      `INSERT INTO ${schema}.t1 VALUES (3);`,
    ].join('\n');
    const events: RunEvent[] = [];
    const { result } = await runScript(db, { file: 'bad.sql', text, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'failed', 'not run'],
    );
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.deepEqual([err.file, err.line, err.column], ['bad.sql', 5, 8]);
    assert.match(err.message, /no_such_col/);
    assert.equal(result.batches[1]!.rowsAffected, 2);
    assert.deepEqual(
      events.filter((e) => e.type === 'batch-start').map((e) => e.type === 'batch-start' && `${e.n}/${e.total}`),
      ['1/4', '2/4', '3/4'],
    );
    const t1 = result.tables.find((t) => t.name === 't1')!;
    assert.equal(t1.rows, 2);
    assert.equal(t1.created, true);
  });

  it('summarises SELECT results when asked (row count, columns, first rows), and not otherwise', async () => {
    const { db, schema } = fx();
    const text = [
      `CREATE TABLE ${schema}.sel1 (id int PRIMARY KEY, code varchar(5));`,
      `INSERT INTO ${schema}.sel1 SELECT g, 'c' || g FROM generate_series(1, 12) g;`,
      `SELECT id, code FROM ${schema}.sel1 ORDER BY id;`,
      `SELECT COUNT(*) AS n FROM ${schema}.sel1 WHERE id > 100;`,
    ].join('\n');
    const { result } = await runScript(db, { file: 'sel.sql', text, resultPreview: 3 });
    assert.equal(result.ok, true);
    assert.equal(result.batches[0]!.results, undefined, 'a CREATE returns no result');
    const sel = result.batches[2]!.results!;
    assert.equal(sel.length, 1);
    assert.equal(sel[0]!.rows, 12);
    assert.deepEqual(sel[0]!.columns, ['id', 'code']);
    assert.deepEqual(
      sel[0]!.first.map((r) => [Number(r.id), r.code]),
      [
        [1, 'c1'],
        [2, 'c2'],
        [3, 'c3'],
      ],
    );
    assert.equal(Number(result.batches[3]!.results![0]!.first[0]!.n), 0);
    const plain = await runScript(db, { file: 'sel.sql', text: `SELECT id FROM ${schema}.sel1;` });
    assert.equal(plain.result.batches[0]!.results, undefined, 'not collected unless asked');
  });

  it('--continue-on-error runs the rest', async () => {
    const { db, schema } = fx();
    const text = `CREATE TABLE ${schema}.t2 (id int PRIMARY KEY);\nINSERT INTO ${schema}.t2 VALUES (1);\nINSERT INTO ${schema}.t2 VALUES (1);\nINSERT INTO ${schema}.t2 VALUES (2);\n`;
    const { result } = await runScript(db, { file: 'dup.sql', text, continueOnError: true });
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'failed', 'ok'],
    );
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(err.line, 3);
    assert.equal(err.code, '23505');
    assert.equal(result.tables.find((t) => t.name === 't2')!.rows, 2);
  });

  it('runs the tagged fixture, streaming NOTICEs and tracking each table', async () => {
    const { db, schema } = fx();
    const text = fixture.replaceAll('ssd_development', schema);
    const events: RunEvent[] = [];
    const { result } = await runScript(db, { file: 'fixture.sql', text, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const notices = events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.message.text);
    assert.ok(notices.includes('Table created: ssd_person'));
    assert.ok(
      notices.some((n) => typeof n === 'string' && n.startsWith('SSD extract finished: timeframe 6 years')),
      'the configuration SET reached later statements',
    );
    const byName = Object.fromEntries(result.tables.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName), ['ssd_person', 'ssd_disability', 'ssd_immigration_status', 'ssd_cin_episodes']);
    assert.equal(byName.ssd_person!.rows, 40);
    assert.equal(byName.ssd_disability!.rows, 30);
    assert.equal(byName.ssd_immigration_status!.rows, 4);
    for (const t of result.tables) {
      assert.equal(t.status, 'built');
      assert.equal(t.created, true);
    }
    // a second run finds the tables and refills them
    const again = await runScript(db, { file: 'fixture.sql', text });
    assert.equal(again.result.ok, true);
    assert.equal(again.result.tables[0]!.created, false);
    assert.equal(again.result.tables[0]!.rows, 40);
  });

  it('per-table mode: a failing table does not stop the others and is reported at its line', async () => {
    const { db, schema } = fx();
    await db.execute(`DROP TABLE IF EXISTS ${schema}.ssd_disability`);
    const text = fixture.replaceAll('ssd_development', schema).replace('/* FIXTURE-ERROR-POINT */', 'no_such_col ||');
    const events: RunEvent[] = [];
    const { result } = await runScript(db, { file: 'fixture.sql', text, perTable: true, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.batches.map((b) => [b.label, b.status]),
      [
        ['ssd_person', 'ok'],
        ['ssd_disability', 'failed'],
        ['ssd_immigration_status', 'ok'],
        ['ssd_cin_episodes', 'ok'],
        ['end_of_run', 'ok'],
      ],
    );
    const want = lineCol(text, 'no_such_col ||');
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.deepEqual([err.line, err.column], [want.line, want.column]);
    const dis = result.tables.find((t) => t.name === 'ssd_disability')!;
    assert.equal(dis.status, 'failed');
    // the whole container ran as one batch, so its CREATE TABLE was rolled back with it
    assert.equal(dis.rows, null);
    assert.equal(result.tables.find((t) => t.name === 'ssd_cin_episodes')!.status, 'built');
    assert.ok(events.some((e) => e.type === 'table' && e.name === 'ssd_disability' && e.state === 'failed'));
  });

  it('normal mode stops at the failing table; the tables after it are not run', async () => {
    const { db, schema } = fx();
    const text = fixture.replaceAll('ssd_development', `${schema}`).replace('/* FIXTURE-ERROR-POINT */', '1 / 0 +');
    const { result } = await runScript(db, { file: 'fixture.sql', text });
    const byName = Object.fromEntries(result.tables.map((t) => [t.name, t.status]));
    assert.equal(byName.ssd_person, 'built');
    assert.equal(byName.ssd_disability, 'failed');
    assert.equal(byName.ssd_cin_episodes, 'not run');
  });

  it('stops before the next batch once cancelled, and says what did not run', async () => {
    const { db, schema } = fx();
    const ac = new AbortController();
    const text = `CREATE TABLE ${schema}.c1 (id int);\nINSERT INTO ${schema}.c1 VALUES (1);\nINSERT INTO ${schema}.c1 VALUES (2);\n`;
    const { result } = await runScript(db, {
      file: 'c.sql',
      text,
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'batch-end' && e.n === 2) ac.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'not run'],
    );
    assert.equal(result.tables.find((t) => t.name === 'c1')!.rows, 1);
  });

  if (target.name === 'postgres') {
    it('cancels a long statement on the server', async function () {
      this.timeout(30000);
      const { db, schema } = fx();
      const ac = new AbortController();
      const text = `SELECT 1;\nSELECT pg_sleep(30);\nCREATE TABLE ${schema}.after_cancel (id int);\n`;
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 700);
      const { result } = await runScript(db, { file: 'sleep.sql', text, signal: ac.signal });
      const took = Date.now() - t0;
      assert.equal(result.cancelled, true);
      assert.ok(took < 10000, `cancel took ${took} ms`);
      assert.deepEqual(
        result.batches.map((b) => b.status),
        ['ok', 'cancelled', 'not run'],
      );
      // nothing of the pg_sleep is still running on the server
      const running = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'`);
      assert.equal(running[0]!.n, 0);
    });
  }
});

/** SQL Server: GO batches, PRINT streaming, line mapping, per-table, cancel (runs when SSD_TEST_MSSQL is set). */
function tsqlSuite(fx: () => import('../../helpers/targets').SchemaFixture): void {
  it('runs GO batches and reports a failing one at its file line', async () => {
    const { db, schema } = fx();
    const text = [
      `CREATE TABLE ${schema}.t1 (id int PRIMARY KEY);`,
      'GO',
      `INSERT INTO ${schema}.t1 VALUES (1), (2);`,
      "PRINT 'two rows in';",
      'GO',
      '-- the next batch is wrong',
      'SELECT id,',
      `       no_such_col FROM ${schema}.t1;`,
      'GO',
      `INSERT INTO ${schema}.t1 VALUES (3);`,
    ].join('\n');
    const events: RunEvent[] = [];
    const { result } = await runScript(db, { file: 'bad.sql', text, onEvent: (e) => events.push(e) });
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'ok', 'failed', 'not run'],
    );
    const err = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(err.line, 8);
    assert.match(err.message, /no_such_col/);
    assert.ok(events.some((e) => e.type === 'message' && e.message.text === 'two rows in'));
    assert.equal(result.tables.find((t) => t.name === 't1')!.rows, 2);
  });

  it('per-table mode on a tagged T-SQL script: DECLAREs in front of each table, failures isolated', async () => {
    const { db, schema } = fx();
    const text = [
      'SET NOCOUNT ON;',
      'DECLARE @n INT = 5;',
      '-- META-CONTAINER: {"type": "table", "name": "ssd_a"}',
      `IF OBJECT_ID('${schema}.ssd_a','U') IS NULL CREATE TABLE ${schema}.ssd_a (id int);`,
      `INSERT INTO ${schema}.ssd_a SELECT TOP (@n) ROW_NUMBER() OVER (ORDER BY (SELECT 1)) FROM sys.all_objects;`,
      "PRINT 'Table created: ssd_a';",
      '-- META-CONTAINER: {"type": "table", "name": "ssd_b"}',
      `IF OBJECT_ID('${schema}.ssd_b','U') IS NULL CREATE TABLE ${schema}.ssd_b (id int);`,
      `INSERT INTO ${schema}.ssd_b (nope) VALUES (@n);`,
      '-- META-CONTAINER: {"type": "table", "name": "ssd_c"}',
      `IF OBJECT_ID('${schema}.ssd_c','U') IS NULL CREATE TABLE ${schema}.ssd_c (id int);`,
      `INSERT INTO ${schema}.ssd_c VALUES (@n);`,
    ].join('\n');
    const { result } = await runScript(db, { file: 'tagged.sql', text, perTable: true });
    assert.deepEqual(
      result.tables.map((t) => [t.name, t.status]),
      [
        ['ssd_a', 'built'],
        ['ssd_b', 'failed'],
        ['ssd_c', 'built'],
      ],
    );
    assert.deepEqual([result.tables[0]!.rows, result.tables[2]!.rows], [5, 1]);
    assert.equal(result.diagnostics.find((d) => d.severity === 'error')!.line, 9);
  });

  it('cancels a long WAITFOR on the server', async function () {
    this.timeout(30000);
    const { db } = fx();
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 700);
    const { result } = await runScript(db, { file: 'wait.sql', text: "SELECT 1\nGO\nWAITFOR DELAY '00:00:30'\nGO\nSELECT 2\n", signal: ac.signal });
    assert.equal(result.cancelled, true);
    assert.ok(Date.now() - t0 < 10000);
    assert.deepEqual(
      result.batches.map((b) => b.status),
      ['ok', 'cancelled', 'not run'],
    );
  });
}
