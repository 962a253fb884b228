// Which batches refresh one table, and whether they can run in one transaction (src/script/atomic.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planTableBlocks } from '../../../src/script/atomic';
import { planScript } from '../../../src/script/plan';
import { DbError, type BatchResult, type Db, type Queryable, type RunBatchOptions } from '../../../src/db/types';
import { runPlan } from '../../../src/script/runner';

const systemc = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_systemc_like.sql'), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
const summary = (text: string, dialect: 'tsql' | 'postgres', perTable = false) =>
  planTableBlocks(planScript(text, { dialect, file: 'x.sql', perTable })).map((b) => ({
    tables: b.tables.map((t) => t.name),
    batches: b.batches,
    atomic: b.atomic,
    line: b.at.line,
    reason: b.reason ?? '',
  }));

describe('atomic table refresh: table blocks', () => {
  it('untagged PostgreSQL: from the TRUNCATE to the statement before the next table; CREATE IF NOT EXISTS stays outside', () => {
    const text = [
      'CREATE TABLE IF NOT EXISTS a (id int);', // 0
      'TRUNCATE TABLE a;', // 1
      'INSERT INTO a SELECT 1;', // 2
      "SELECT 'done';", // 3: names no table: still a's block
      'CREATE TABLE IF NOT EXISTS b (id int);', // 4: the next table
      'DELETE FROM b;', // 5
      'INSERT INTO b SELECT 2;', // 6
    ].join('\n');
    assert.deepEqual(summary(text, 'postgres'), [
      { tables: ['a'], batches: [1, 2, 3], atomic: true, line: 2, reason: '' },
      { tables: ['b'], batches: [5, 6], atomic: true, line: 6, reason: '' },
    ]);
  });

  it('statements that cannot run in a transaction make the block not atomic, at their line', () => {
    const cases: Array<[string, RegExp]> = [
      ['COMMIT', /COMMIT/],
      ['BEGIN', /BEGIN/],
      ['END', /COMMIT/],
      ['VACUUM a', /VACUUM/],
      ['CREATE INDEX CONCURRENTLY ia ON a (id)', /CONCURRENTLY/],
      ['ALTER DATABASE x SET work_mem = 1', /DATABASE/],
      ['CALL refresh_a()', /procedure/],
      ['DO $$ BEGIN INSERT INTO a VALUES (3); COMMIT; END $$', /DO block/],
    ];
    for (const [stmt, why] of cases) {
      const text = `TRUNCATE a;\nINSERT INTO a SELECT 1;\n${stmt};\n`;
      const [b] = summary(text, 'postgres');
      assert.equal(b!.atomic, false, stmt);
      assert.match(b!.reason, why, stmt);
      assert.equal(b!.line, 3, stmt);
    }
    // a DO block without COMMIT, a ROLLBACK TO SAVEPOINT, a CASE … END and words in comments or strings are fine
    const fine =
      "TRUNCATE a;\nSAVEPOINT s;\nINSERT INTO a SELECT CASE WHEN 1 = 1 THEN 1 END; -- COMMIT later\nROLLBACK TO SAVEPOINT s;\nDO $$ BEGIN RAISE NOTICE 'x'; END $$;\nINSERT INTO a SELECT length('VACUUM; COMMIT');\n";
    assert.equal(summary(fine, 'postgres')[0]!.atomic, true);
  });

  it('T-SQL untagged: GO batches of one table share a block; a batch refreshing two tables is not atomic', () => {
    const text = 'TRUNCATE TABLE dbo.a;\nGO\nINSERT INTO dbo.a SELECT 1;\nGO\nTRUNCATE TABLE dbo.b; INSERT INTO dbo.b SELECT 1;\nTRUNCATE TABLE dbo.c; INSERT INTO dbo.c SELECT 1;\nGO\n';
    const s = summary(text, 'tsql');
    assert.deepEqual(
      s.map((b) => [b.tables, b.batches, b.atomic]),
      [
        [['a'], [0, 1], true],
        [['b', 'c'], [2], false],
      ],
    );
    assert.match(s[1]!.reason, /2 tables \(b, c\).*GO/);
    // temp tables and procedure bodies are not table refreshes
    assert.deepEqual(summary('TRUNCATE TABLE #t;\nGO\nCREATE PROCEDURE p AS BEGIN TRUNCATE TABLE dbo.a; COMMIT; END\nGO\n', 'tsql'), []);
    // MERGE … WHEN MATCHED THEN DELETE names no table to refresh
    assert.deepEqual(summary('MERGE dbo.a AS t USING dbo.s AS s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE;\nGO\n', 'tsql'), []);
  });

  it('SystemC-like, as written: one GO batch refreshes every table, so none is atomic and --per-table is suggested', () => {
    const s = summary(systemc, 'tsql');
    assert.deepEqual(
      s.map((b) => [b.tables[0], b.atomic]),
      [
        ['ssd_person', false],
        ['ssd_address', false],
        ['ssd_assessment_factors', false],
        ['ssd_api_data_staging', false],
      ],
    );
    for (const b of s) assert.match(b.reason, /--per-table/);
  });

  it('SystemC-like, per table: each container is a block; the one with its own BEGIN TRANSACTION is not atomic, at that line', () => {
    const s = summary(systemc, 'tsql', true);
    const by = Object.fromEntries(s.map((b) => [b.tables[0], b]));
    assert.equal(by.ssd_person!.atomic, true);
    assert.equal(by.ssd_address!.atomic, true);
    assert.equal(by.ssd_assessment_factors!.atomic, false);
    assert.match(by.ssd_assessment_factors!.reason, /BEGIN TRANSACTION/);
    assert.equal(by.ssd_assessment_factors!.line, lineOf(systemc, 'BEGIN TRANSACTION;'));
  });

  it(':on error ignore keeps a block out of a transaction', () => {
    const s = summary(':on error ignore\nTRUNCATE TABLE dbo.a;\nINSERT INTO dbo.a SELECT 1;\nGO\n', 'tsql');
    assert.equal(s[0]!.atomic, false);
    assert.match(s[0]!.reason, /on error ignore/);
  });
});

// The runner's transaction path on a driver whose transaction handle has no runBatch (SQL Server
// today): each batch of the block goes through tx.execute inside Db.transaction, and a failing batch
// rolls the block back. The Db here records what it was asked to do; it interprets no SQL beyond a marker.

class RecordingDb implements Db {
  readonly dialect = 'mssql' as const;
  readonly kind = 'mssql' as const;
  readonly description = 'recording';
  readonly defaultSchema = 'dbo';
  readonly log: string[] = [];
  async query<R>(): Promise<R[]> {
    return [];
  }
  async execute(): Promise<number> {
    return 0;
  }
  // eslint-disable-next-line require-yield
  async *stream<R>(): AsyncIterable<R> {
    throw new Error('not used');
  }
  async runBatch(sql: string, _o: RunBatchOptions = {}): Promise<BatchResult> {
    this.log.push(`direct ${sql.trim().split('\n').pop()}`);
    return { rowsAffected: [], resultSets: [], elapsedMs: 0 };
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.log.push('BEGIN');
    const tx: Queryable = {
      dialect: 'mssql',
      query: async () => [],
      execute: async (sql: string) => {
        this.log.push(`tx ${sql.trim().split('\n').pop()}`);
        if (sql.includes('FAIL_HERE')) throw new DbError("Invalid column name 'FAIL_HERE'.", { code: 207, line: 1 });
        return 5;
      },
    };
    try {
      const out = await fn(tx);
      this.log.push('COMMIT');
      return out;
    } catch (e) {
      this.log.push('ROLLBACK');
      throw e;
    }
  }
  async cancel(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('atomic table refresh: runner on a transaction without runBatch', () => {
  it('runs the GO batches of a block with tx.execute in one transaction, rolls back on failure, and the rest as written', async () => {
    const text = 'PRINT 1\nGO\nTRUNCATE TABLE dbo.a;\nGO\nINSERT INTO dbo.a SELECT 1;\nGO\nTRUNCATE TABLE dbo.b;\nGO\nINSERT INTO dbo.b SELECT FAIL_HERE;\nGO\n';
    const db = new RecordingDb();
    const r = await runPlan(db, planScript(text, { dialect: 'tsql', file: 'x.sql' }), { countRows: false, continueOnError: true });
    assert.deepEqual(db.log, [
      'direct PRINT 1',
      'BEGIN',
      'tx TRUNCATE TABLE dbo.a;',
      'tx INSERT INTO dbo.a SELECT 1;',
      'COMMIT',
      'BEGIN',
      'tx TRUNCATE TABLE dbo.b;',
      'tx INSERT INTO dbo.b SELECT FAIL_HERE;',
      'ROLLBACK',
    ]);
    assert.deepEqual(
      r.batches.map((b) => b.status),
      ['ok', 'ok', 'ok', 'rolled back', 'failed'],
    );
    const by = Object.fromEntries(r.tables.map((t) => [t.name, t.refresh?.outcome]));
    assert.deepEqual(by, { a: 'refreshed', b: 'kept previous rows' });
    assert.equal(r.tables.find((t) => t.name === 'b')!.refresh!.error!.line, 9);
    // --no-atomic: everything as written
    const db2 = new RecordingDb();
    await runPlan(db2, planScript(text, { dialect: 'tsql', file: 'x.sql' }), { countRows: false, continueOnError: true, atomic: false });
    assert.ok(
      db2.log.every((l) => l.startsWith('direct')),
      db2.log.join('\n'),
    );
  });
});
