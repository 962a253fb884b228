// Off-thread streams (StreamOptions.offThread, src/db/pgReadStream.ts and pgReadThread.ts) against a
// real PostgreSQL server (SSD_TEST_PG): the rows are those of the in-process stream, value for value
// and in order; the read is bounded (the server is not read to the end before the first row is
// used); break, abort, Db.cancel(), a bad statement and a lost connection end it as they end an
// in-process stream; and the reader's connection is gone afterwards. On other targets the option
// is ignored (checked on PGlite: same rows, no worker).
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { CancelledError, ConnectionError, DbError, type Db } from '../../../src/db/types';
import { openDb } from '../../../src/db/openDb';

async function all<R>(it: AsyncIterable<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** Backends of this database whose application_name is the reader's (running a statement with `marker` in it, when given). */
async function readerBackends(db: Db, marker?: string): Promise<number[]> {
  const rows = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name LIKE '%(reader)' AND datname = current_database() AND ($1::text IS NULL OR strpos(query, $1) > 0)`,
    [marker ?? null],
  );
  return rows.map((r) => r.pid);
}

async function until(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

forEachTarget('off-thread streams', (fx, target) => {
  before(async () => {
    const { db, t } = fx();
    const pg = db.dialect === 'postgres';
    await db.execute(
      pg
        ? `CREATE TABLE ${t('mixed')} (id INT PRIMARY KEY, name VARCHAR(200), big BIGINT, num NUMERIC(12,3), ok BOOLEAN, d DATE, ts TIMESTAMP(3), tz TIMESTAMPTZ, bin BYTEA, js JSONB, f DOUBLE PRECISION)`
        : `CREATE TABLE ${t('mixed')} (id INT PRIMARY KEY, name VARCHAR(200))`,
    );
    const names = ["O'Brien", 'Zoë Łukasz-Ødegård', '张伟 👶🏽', null, '0x1A2B', '', 'tab\there "quoted" \\ back'];
    for (let i = 0; i < 2500; i++) {
      const name = names[i % names.length]!;
      if (pg) {
        await db.execute(`INSERT INTO ${t('mixed')} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
          i,
          name,
          i % 5 === 0 ? '9007199254740993' : String(i * 1000),
          i % 3 === 0 ? null : `${i}.125`,
          i % 2 === 0,
          i % 4 === 0 ? null : '2024-02-29',
          '2024-03-31 01:30:05.12',
          '2024-06-01 12:00:00+01',
          i % 50 === 0 ? Buffer.from([0, 1, 2, 255]) : null,
          i % 60 === 0 ? JSON.stringify({ a: [1, 'x'] }) : null,
          i === 7 ? 'NaN' : i % 9 === 0 ? null : i / 4,
        ]);
      } else await db.execute(`INSERT INTO ${t('mixed')} VALUES ($1, $2)`, [i, name]);
    }
  });

  it('yields the rows of the in-process stream, value for value and in order (JSON-safe batches and the rest)', async () => {
    const { db, t } = fx();
    // id AS x, id AS x: a repeated column name keeps the last value, as pg's row objects do.
    const sql = `SELECT *, id AS x, -id AS x FROM ${t('mixed')} WHERE id >= $1 ORDER BY id`;
    const here = await all(db.stream(sql, [10], { batchSize: 300 }));
    const there: unknown[] = [];
    let readers = -1;
    for await (const r of db.stream(sql, [10], { batchSize: 300, offThread: true })) {
      if (there.push(r) === 1) readers = (await readerBackends(db)).length;
    }
    // PostgreSQL reads on the reader thread's own connection; PGlite has none.
    assert.equal(readers, target.name === 'postgres' ? 1 : 0);
    assert.equal(here.length, 2490);
    assert.deepEqual(there, here);
    if (target.name === 'postgres') {
      const bin = there.find((r) => (r as { id: number }).id === 50) as { bin: unknown };
      assert.ok(Buffer.isBuffer(bin.bin), 'bytea comes back as a Buffer');
    }
  });

  if (target.name !== 'postgres') return;

  it('reads ahead a bounded window: the server has not been read to the end when the first row is used', async () => {
    const { db } = fx();
    await db.execute(`CREATE SEQUENCE ${fx().schema}.off_seq`);
    let producedAtFirst = -1;
    let rows = 0;
    for await (const _ of db.stream(`SELECT i, nextval('${fx().schema}.off_seq') AS n FROM generate_series(1, 200000) AS g(i)`, [], { batchSize: 500, offThread: true })) {
      if (++rows === 1) {
        await new Promise((r) => setTimeout(r, 200)); // give the reader time to run ahead, if it would
        const [r] = await db.query<{ v: string }>(`SELECT last_value AS v FROM ${fx().schema}.off_seq`);
        producedAtFirst = Number(r!.v);
      }
    }
    assert.equal(rows, 200000);
    // The window (4 batches) plus the read on the wire: a few thousand rows, nowhere near all.
    assert.ok(producedAtFirst > 0 && producedAtFirst <= 10 * 500, `the server had produced ${producedAtFirst} rows`);
  });

  it('stops the reader when the loop breaks early; its connection closes', async () => {
    const { db, t } = fx();
    let rows = 0;
    for await (const _ of db.stream(`SELECT * FROM ${t('mixed')} CROSS JOIN generate_series(1, 50)`, [], { batchSize: 100, offThread: true })) {
      if (++rows === 250) break;
    }
    assert.equal(rows, 250);
    assert.ok(await until(async () => (await readerBackends(db)).length === 0), 'the reader connection is closed');
  });

  it('stops with CancelledError when its signal is aborted', async () => {
    const { db, t } = fx();
    const ac = new AbortController();
    let rows = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of db.stream(`SELECT * FROM ${t('mixed')} CROSS JOIN generate_series(1, 50)`, [], { batchSize: 100, signal: ac.signal, offThread: true })) {
          if (++rows === 150) ac.abort();
        }
      })(),
      CancelledError,
    );
    assert.ok(await until(async () => (await readerBackends(db)).length === 0), 'the reader connection is closed');
  });

  it('stops a statement still running on the server through Db.cancel(), quickly', async () => {
    const { db } = fx();
    const start = Date.now();
    const running = all(db.stream('SELECT s FROM pg_sleep(30) AS s', [], { offThread: true }));
    assert.ok(await until(async () => (await readerBackends(db)).length === 1), 'the reader is connected');
    await db.cancel();
    await assert.rejects(running, CancelledError);
    assert.ok(Date.now() - start < 10_000, `took ${Date.now() - start} ms`);
    // The server stopped the statement too (the reader had connected: its backend was cancelled).
    assert.ok(
      await until(async () => (await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT s FROM pg_sleep(30)%' AND state = 'active'`))[0]!.n === 0),
    );
  });

  it('Db.cancel() ends a read whose reader has not connected yet, at once', async () => {
    const { db } = fx();
    const running = all(db.stream('SELECT 1 AS one FROM pg_sleep(5)', [], { offThread: true }));
    await db.cancel(); // before the reader thread has even started
    const start = Date.now();
    await assert.rejects(running, CancelledError);
    assert.ok(Date.now() - start < 3000, `took ${Date.now() - start} ms`);
  });

  it('reports a bad statement as a DbError with its position, as in-process', async () => {
    const { db, t } = fx();
    const sql = `SELECT id,\n  no_such_column FROM ${t('mixed')}`;
    const here = await all(db.stream(sql)).catch((e: unknown) => e);
    const there = await all(db.stream(sql, [], { offThread: true })).catch((e: unknown) => e);
    assert.ok(there instanceof DbError && here instanceof DbError);
    assert.equal(there.message, here.message);
    assert.deepEqual(there.details, here.details);
    assert.equal(there.details.line, 2);
  });

  it('reports a connection lost under the read as a ConnectionError', async () => {
    const { db, t } = fx();
    const killer = await openDb(process.env.SSD_TEST_PG!);
    try {
      let rows = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of db.stream(`SELECT m.*, pg_sleep(0.0005) FROM ${t('mixed')} m CROSS JOIN generate_series(1, 20)`, [], { batchSize: 50, offThread: true })) {
            if (++rows === 100) {
              const pids = await readerBackends(killer, 'pg_sleep(0.0005)');
              assert.equal(pids.length, 1);
              for (const pid of pids) await killer.query('SELECT pg_terminate_backend($1)', [pid]);
            }
          }
        })(),
        ConnectionError,
      );
      // The pool is untouched: the next statement runs.
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
    } finally {
      await killer.close();
    }
  });

  it('reads in-process on a session (its statements must run in that one session)', async () => {
    const { db } = fx();
    const session = await db.session!();
    try {
      await session.execute('CREATE TEMP TABLE off_tmp AS SELECT 1 AS one');
      assert.deepEqual(await all(session.stream('SELECT one FROM off_tmp', [], { offThread: true })), [{ one: 1 }]);
    } finally {
      await session.close();
    }
  });
});
