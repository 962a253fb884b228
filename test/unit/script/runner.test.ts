// The runner's SQL Server path (batch-relative line numbers, PRINT progress inside one long batch,
// errors raised mid-batch) driven through a Db that answers like SQL Server does: it reports the
// PRINTs of each batch with their line, raises an error at the line holding a marker, and counts
// rows for INSERT lines. No SQL is interpreted beyond those markers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbError, type BatchResult, type Db, type RunBatchOptions } from '../../../src/db/types';
import { planScript } from '../../../src/script/plan';
import { runPlan, type RunEvent } from '../../../src/script/runner';

const fixture = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_systemc_like.sql'), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

class SqlServerLikeDb implements Db {
  readonly dialect = 'mssql' as const;
  readonly kind = 'mssql' as const;
  readonly description = 'SQL Server (simulated)';
  readonly defaultSchema = 'dbo';
  readonly sent: string[] = [];
  constructor(private readonly tables: Record<string, number> = {}) {}
  async query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    if (/information_schema\.tables/i.test(sql)) return (String(params[1]) in this.tables ? [{ table_name: params[1] }] : []) as R[];
    const m = /FROM \[(\w+)\]\.\[(\w+)\]/.exec(sql);
    if (m && m[2]! in this.tables) return [{ n: this.tables[m[2]!] }] as R[];
    throw new DbError(`Invalid object name '${m?.[2]}'.`, { code: 208 });
  }
  async execute(): Promise<number> {
    return 0;
  }
  // eslint-disable-next-line require-yield
  async *stream<R>(): AsyncIterable<R> {
    throw new Error('not used');
  }
  async runBatch(sql: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    this.sent.push(sql);
    const counts: number[] = [];
    const lines = sql.split('\n');
    // a compile error stops the whole batch before anything runs
    const compile = lines.findIndex((l) => l.includes('COMPILE_FAIL'));
    if (compile >= 0) throw new DbError("Incorrect syntax near 'COMPILE_FAIL'.", { code: 102, line: compile + 1, severity: 15 });
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.includes('FAIL_HERE')) throw new DbError("Invalid column name 'FAIL_HERE'.", { code: 207, line: i + 1, severity: 16 });
      if (l.includes('SOFT_ERROR')) options.onMessage?.({ kind: 'error', text: 'Violation of PRIMARY KEY constraint.', line: i + 1, code: 2627, severity: 14 });
      const p = /^\s*PRINT 'Table created: ' \+ @TableName/.exec(l);
      if (p) {
        // the table name is whatever the last SET @TableName before this line said
        const set = lines
          .slice(0, i)
          .reverse()
          .map((x) => /SET @TableName = N'(\w+)'/.exec(x))
          .find(Boolean);
        options.onMessage?.({ kind: 'notice', text: `Table created: ${set?.[1] ?? '?'}`, line: i + 1 });
      }
      if (/^\s*INSERT INTO/i.test(l)) counts.push(7);
    }
    return { rowsAffected: counts, resultSets: [], elapsedMs: 1 };
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async cancel(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('runner on a SQL Server-like connection', () => {
  it('one long batch: progress per table from the PRINTs, done in order', async () => {
    const db = new SqlServerLikeDb({ ssd_person: 10, ssd_address: 4 });
    const plan = planScript(fixture, { dialect: 'tsql', file: 'x.sql' });
    const events: RunEvent[] = [];
    const r = await runPlan(db, plan, { onEvent: (e) => events.push(e) });
    assert.equal(r.ok, true);
    const tableEvents = events.filter((e) => e.type === 'table').map((e) => e.type === 'table' && `${e.name}:${e.state}`);
    assert.deepEqual(tableEvents, ['ssd_person:building', 'ssd_person:done', 'ssd_address:building', 'ssd_address:done', 'ssd_assessment_factors:building', 'ssd_assessment_factors:done']);
    const msgs = events.filter((e) => e.type === 'message');
    assert.equal(msgs.length, 3);
    const first = msgs[0]!;
    assert.ok(first.type === 'message' && first.at?.line === lineOf(fixture, "PRINT 'Table created: ' + @TableName"));
    assert.deepEqual(
      r.tables.map((t) => [t.name, t.status, t.rows, t.created]),
      [
        ['ssd_person', 'built', 10, false],
        ['ssd_address', 'built', 4, false],
        ['ssd_assessment_factors', 'built', null, false],
      ],
    );
  });

  it('an error inside the long batch is mapped to its file line and blamed on the table whose part it is in', async () => {
    const text = fixture.replace('pa.ADDSS_TYPE_CODE,', 'pa.ADDSS_TYPE_CODE, FAIL_HERE,');
    const db = new SqlServerLikeDb();
    const plan = planScript(text, { dialect: 'tsql', file: 'x.sql' });
    const r = await runPlan(db, plan);
    const err = r.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(err.line, lineOf(text, 'FAIL_HERE'));
    assert.equal(err.code, 207);
    assert.deepEqual(
      r.batches.map((b) => b.status),
      ['failed', 'not run', 'not run'],
    );
    const st = Object.fromEntries(r.tables.map((t) => [t.name, t.status]));
    assert.equal(st.ssd_address, 'failed');
    assert.equal(st.ssd_person, 'built', 'its progress message arrived before the run-time error');
    assert.equal(st.ssd_assessment_factors, 'uncertain');
  });

  it('a compile error stops the long batch before anything ran: the other tables are uncertain, not built', async () => {
    const text = fixture.replace('pa.ADDSS_TYPE_CODE,', 'pa.ADDSS_TYPE_CODE, COMPILE_FAIL,');
    const r = await runPlan(new SqlServerLikeDb(), planScript(text, { dialect: 'tsql', file: 'x.sql' }));
    assert.equal(r.diagnostics.find((d) => d.severity === 'error')!.line, lineOf(text, 'COMPILE_FAIL'));
    assert.deepEqual(
      r.tables.map((t) => [t.name, t.status]),
      [
        ['ssd_person', 'uncertain'],
        ['ssd_address', 'failed'],
        ['ssd_assessment_factors', 'uncertain'],
      ],
    );
  });

  it('per-table mode: the same error only fails ssd_address; lines map through the prepended configuration', async () => {
    const text = fixture
      .replace('pa.ADDSS_TYPE_CODE,', 'pa.ADDSS_TYPE_CODE, FAIL_HERE,')
      .replace('\'{"UPRN":"\'', '\'{"UPRN":"\' /* x */')
      .replace('fsa.FACT_SINGLE_ASSESSMENT_ID,\n        fsa.FACT', 'fsa.FACT_SINGLE_ASSESSMENT_ID, -- SOFT_ERROR\n        fsa.FACT');
    const db = new SqlServerLikeDb();
    const plan = planScript(text, { dialect: 'tsql', file: 'x.sql', perTable: true });
    const r = await runPlan(db, plan);
    assert.deepEqual(
      r.batches.map((b) => [b.label, b.status]),
      [
        ['ssd_person', 'ok'],
        ['ssd_address', 'failed'],
        ['ssd_assessment_factors', 'errors'],
        ['end_of_run', 'ok'],
        ['ssd_vw_current_time_windows', 'ok'],
        ['ssd_vw_current_time_windows', 'ok'],
      ],
    );
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errs.map((d) => d.line),
      [lineOf(text, 'FAIL_HERE'), lineOf(text, 'SOFT_ERROR')],
    );
    assert.deepEqual(
      r.tables.map((t) => [t.name, t.status]),
      [
        ['ssd_person', 'built'],
        ['ssd_address', 'failed'],
        ['ssd_assessment_factors', 'failed'],
      ],
    );
    // every table batch started with the configuration's DECLAREs; the view's CREATE OR ALTER did not
    assert.ok(db.sent.slice(0, 4).every((s) => s.includes('DECLARE @ssd_timeframe_years INT = 6;')));
    assert.match(db.sent[4]!, /^CREATE OR ALTER VIEW/);
  });

  it('GO n runs the batch n times and :on error ignore lets the run go on', async () => {
    const db = new SqlServerLikeDb();
    const plan = planScript('INSERT INTO t VALUES (1)\nGO 3\n:on error ignore\nSELECT FAIL_HERE\nGO\nINSERT INTO t VALUES (2)\n', { dialect: 'tsql', file: 'g.sql' });
    const r = await runPlan(db, plan);
    assert.equal(db.sent.length, 5);
    assert.deepEqual(
      r.batches.map((b) => [b.status, b.rowsAffected]),
      [
        ['ok', 21],
        ['failed', 0],
        ['ok', 7],
      ],
    );
    assert.equal(r.diagnostics.find((d) => d.severity === 'error')!.line, 4);
  });
});
