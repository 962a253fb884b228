// The embedded database in a worker thread (src/db/workerDb.ts), as the editor opens it: the same
// Db behaviour as in-process PGlite (rows, counts, streams in batches, script messages,
// transactions, errors with their details), the folder's lock held by this process, and the
// main thread free while a long statement runs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDb } from '../../../src/db/openDb';
import { lockPathFor, readLock } from '../../../src/db/dirLock';
import { CancelledError, DbError, type Db, type DbMessage } from '../../../src/db/types';

describe('embedded database in a worker thread', function () {
  this.timeout(120_000);
  let root: string;
  let db: Db;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ssd-workerdb-'));
    db = await openDb(`pglite:${join(root, 'db')}`, { inWorker: true });
  });
  after(async () => {
    await db?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('holds the folder lock for this process and gives it back on close', async () => {
    assert.equal(db.kind, 'pglite');
    assert.equal(readLock(lockPathFor(join(root, 'db')))?.pid, process.pid);
    const other = await openDb(`pglite:${join(root, 'other')}`, { inWorker: true });
    assert.ok(existsSync(lockPathFor(join(root, 'other'))));
    await other.close();
    assert.equal(existsSync(lockPathFor(join(root, 'other'))), false);
  });

  it('answers queries, counts and streams in batches with early break', async () => {
    await db.execute('CREATE TABLE t (id int PRIMARY KEY, d date, big bigint, b bytea)');
    const n = await db.execute("INSERT INTO t SELECT g, DATE '2026-01-01' + g, 9007199254740993, '\\x0102'::bytea FROM generate_series(1, 2500) g");
    assert.equal(n, 2500);
    const [row] = await db.query<{ id: number; d: string; big: unknown; b: Uint8Array }>('SELECT * FROM t WHERE id = $1', [3]);
    assert.equal(row!.d, '2026-01-04');
    assert.equal(row!.big, '9007199254740993');
    assert.deepEqual([...row!.b], [1, 2]);
    let seen = 0;
    for await (const r of db.stream<{ id: number }>('SELECT id FROM t ORDER BY id', [], { batchSize: 700 })) {
      seen++;
      assert.equal(r.id, seen);
    }
    assert.equal(seen, 2500);
    let early = 0;
    for await (const _ of db.stream('SELECT id FROM t ORDER BY id', [], { batchSize: 100 })) {
      if (++early === 150) break;
    }
    assert.equal(early, 150);
    // The cursor was closed: the connection goes on.
    const [c] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM t');
    assert.equal(c!.n, 2500);
  });

  it('runs script batches with their messages and rebuilds errors with details', async () => {
    const messages: DbMessage[] = [];
    const r = await db.runBatch("DO $$ BEGIN RAISE NOTICE 'hello %', 7; END $$; UPDATE t SET d = d WHERE id <= 10; SELECT 1 AS one", { onMessage: (m) => messages.push(m), collectResults: true });
    assert.equal(r.rowsAffected.at(-1), 10);
    assert.deepEqual(r.resultSets, [[{ one: 1 }]]);
    assert.ok(
      messages.some((m) => m.text.includes('hello 7')),
      JSON.stringify(messages),
    );
    await assert.rejects(db.query('SELECT nope FROM t'), (e: unknown) => e instanceof DbError && /nope/.test((e as DbError).message) && (e as DbError).details.code === '42703');
  });

  it('commits and rolls back transactions', async () => {
    await db.transaction(async (tx) => {
      await tx.execute('DELETE FROM t WHERE id = $1', [1]);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute('DELETE FROM t WHERE id = $1', [2]);
        throw new Error('stop here');
      }),
      /stop here/,
    );
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute('DELETE FROM t WHERE id = 3');
        await tx.execute('SELECT 1/0');
      }),
      DbError,
    );
    const ids = (await db.query<{ id: number }>('SELECT id FROM t WHERE id <= 3 ORDER BY id')).map((r) => r.id);
    assert.deepEqual(ids, [2, 3]);
  });

  it('takes a cancel before the next statement', async () => {
    await db.cancel();
    await assert.rejects(db.query('SELECT 1'), CancelledError);
    const [r] = await db.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(r!.one, 1);
  });

  it('leaves the main thread free while a long statement runs', async () => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const t0 = performance.now();
    await db.query('SELECT COUNT(*) FROM generate_series(1, 3000000) a');
    const took = performance.now() - t0;
    h.disable();
    const maxMs = h.max / 1e6;
    assert.ok(took > 100, `the statement took ${took.toFixed(0)} ms: too short to show anything`);
    assert.ok(maxMs < 100, `the main thread was blocked for ${maxMs.toFixed(0)} ms while the statement took ${took.toFixed(0)} ms`);
  });
});
