// The SQL Server driver's event handling (streaming backpressure, early exit, batch messages and
// errors, cancellation), driven by a scripted stand-in for the server: mssql's own Request class
// with batch()/query() replaced by a producer that emits what tedious would. The same paths run
// against a real SQL Server in test/integration/db when SSD_TEST_MSSQL is set.
import assert from 'node:assert/strict';
import sql from 'mssql';
import { MssqlDb } from '../../../src/db/mssqlDriver';
import { CancelledError, DbError, type Db, type DbMessage } from '../../../src/db/types';

type Ev = [string, ...unknown[]];
interface Script {
  /** Events to emit, in order; 'rows' expands into many row events honouring pause(). */
  events: (Ev | { rows: number; make: (i: number) => Record<string, unknown> })[];
}

interface FakeState {
  sent: string[];
  emitted: number;
  pausedCalls: number;
  finished: number;
}

const proto = sql.Request.prototype as unknown as Record<string, unknown>;
const saved = { batch: proto.batch, query: proto.query, pause: proto.pause };

function install(script: () => Script, state: FakeState): void {
  const run = function (this: sql.Request & { canceled: boolean; paused: boolean; emit: (...a: unknown[]) => boolean }, text: string) {
    state.sent.push(text);
    const req = this;
    const queue = [...script().events];
    let rowIndex = 0;
    // What a request not in stream mode resolves with.
    const result = { recordsets: [] as Record<string, unknown>[][], rowsAffected: [] as number[] };
    const emit = (name: string, ...args: unknown[]) => {
      if (req.stream) return req.emit(name, ...args);
      if (name === 'rowsaffected') result.rowsAffected.push(args[0] as number);
      if (name === 'recordset') result.recordsets.push([]);
      if (name === 'row') {
        if (!result.recordsets.length) result.recordsets.push([]);
        result.recordsets.at(-1)!.push(args[0] as Record<string, unknown>);
      }
      return true;
    };
    return new Promise((resolve, reject) => {
      const finish = (err?: Error) => {
        state.finished++;
        if (req.stream) {
          if (err) req.emit('error', err);
          req.emit('done', {});
          resolve(undefined);
        } else if (err) reject(err);
        else resolve(result);
      };
      const step = () => {
        if (req.canceled) {
          const e = Object.assign(new Error('Canceled.'), { code: 'ECANCEL' });
          return finish(e);
        }
        if (req.paused) {
          // A paused tedious request reads nothing more from the socket: emit nothing.
          return setTimeout(step, 1);
        }
        const next = queue[0];
        if (!next) return finish();
        if ('rows' in next) {
          // Emit rows in small bursts, as packets arrive; tedious stops at once when paused.
          for (let k = 0; k < 7 && rowIndex < next.rows && !req.paused; k++) {
            state.emitted++;
            emit('row', next.make(rowIndex++));
          }
          if (rowIndex >= next.rows) {
            queue.shift();
            rowIndex = 0;
          }
          return setImmediate(step);
        }
        queue.shift();
        const [name, ...args] = next;
        if (name === 'fail') return finish(args[0] as Error);
        emit(name, ...args);
        setImmediate(step);
      };
      setImmediate(step);
    });
  };
  proto.batch = run;
  proto.query = run;
  proto.pause = function (this: { _paused: boolean }) {
    state.pausedCalls++;
    this._paused = true;
    return true;
  };
}

function fakeDb(): Db {
  const pool = Object.assign(Object.create(sql.ConnectionPool.prototype) as object, { config: { stream: false } });
  return new (MssqlDb as unknown as new (p: unknown, d: string, s: string) => Db)(pool, 'SQL Server u@h/d', 'dbo');
}

const sqlError = (message: string, number: number, lineNumber: number, cls = 16) => Object.assign(new Error(message), { code: 'EREQUEST', number, lineNumber, class: cls });

describe('mssqlDriver: event handling against a scripted server', () => {
  let state: FakeState;
  let script: Script;
  beforeEach(() => {
    state = { sent: [], emitted: 0, pausedCalls: 0, finished: 0 };
    install(() => script, state);
  });
  afterEach(() => {
    Object.assign(proto, saved);
  });

  it('streams rows in order with backpressure, normalising dates, and sends $n as @pn', async () => {
    const total = 5000;
    script = {
      events: [['recordset', { i: { type: sql.Int }, d: { type: sql.Date } }], { rows: total, make: (i) => ({ i, d: new Date(Date.UTC(2020, 0, 1 + (i % 28))) }) }, ['rowsaffected', total]],
    };
    const db = fakeDb();
    let n = 0;
    let ahead = 0;
    for await (const r of db.stream<{ i: number; d: string }>('SELECT i, d FROM t WHERE x = $1', ['Zoë'], { batchSize: 100 })) {
      ahead = Math.max(ahead, state.emitted - n);
      assert.equal(r.i, n);
      assert.equal(r.d, `2020-01-${String(1 + (n % 28)).padStart(2, '0')}`);
      n++;
      if (n % 50 === 0) await new Promise((res) => setTimeout(res, 0)); // a slow consumer
    }
    assert.equal(n, total);
    assert.deepEqual(state.sent, ['SELECT i, d FROM t WHERE x = @p1']);
    assert.ok(state.pausedCalls > 0, 'the driver paused the request');
    // The server never gets more than about two batches ahead of a slow consumer.
    assert.ok(ahead <= 2 * 100 + 7, `the server got ${ahead} rows ahead`);
  });

  it('cancels the statement and waits for it when the loop breaks early', async () => {
    script = { events: [['recordset', {}], { rows: 100_000, make: (i) => ({ i }) }] };
    const db = fakeDb();
    let n = 0;
    for await (const _ of db.stream('SELECT i FROM big', [], { batchSize: 50 })) if (++n === 120) break;
    assert.equal(n, 120);
    assert.equal(state.finished, 1, 'the request ended (cancelled) before the loop returned');
  });

  it('turns an aborted signal into CancelledError and a failing statement into DbError', async () => {
    script = { events: [['recordset', {}], { rows: 100_000, make: (i) => ({ i }) }] };
    const ac = new AbortController();
    const db = fakeDb();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of db.stream('SELECT 1', [], { batchSize: 10, signal: ac.signal })) if (++n === 30) ac.abort();
      })(),
      CancelledError,
    );
    script = { events: [['error', sqlError("Invalid object name 'nope'.", 208, 1)]] };
    await assert.rejects(
      (async () => {
        for await (const _ of db.stream('SELECT * FROM nope')) {
          /* none */
        }
      })(),
      (e: unknown) => e instanceof DbError && e.details.code === 208,
    );
  });

  it('runBatch passes messages in order, reports errors the batch went on after, and throws the last with its line', async () => {
    script = {
      events: [
        ['info', { message: 'one', number: 0, class: 0, lineNumber: 1 }],
        ['error', sqlError('Divide by zero error encountered.', 8134, 2)],
        ['info', { message: 'after the error', number: 0, class: 0, lineNumber: 3 }],
        ['error', sqlError("Invalid object name 'nope'.", 208, 4)],
      ],
    };
    const got: DbMessage[] = [];
    await assert.rejects(fakeDb().runBatch('PRINT 1', { onMessage: (m) => got.push(m) }), (e: unknown) => {
      assert.ok(e instanceof DbError);
      assert.equal(e.details.line, 4);
      assert.equal(e.details.code, 208);
      assert.match(e.message, /^Invalid object name 'nope'\. \(and 1 earlier error reported as messages\)$/);
      return true;
    });
    assert.deepEqual(
      got.map((m) => [m.kind, m.text, m.line]),
      [
        ['notice', 'one', 1],
        ['notice', 'after the error', 3],
        ['error', 'Divide by zero error encountered.', 2],
      ],
    );
  });

  it('runBatch counts rows of statements that return none, and collects result sets when asked', async () => {
    script = {
      events: [
        ['rowsaffected', 3],
        ['recordset', { d: { type: sql.DateTime } }],
        { rows: 2, make: (i) => ({ d: new Date(Date.UTC(2024, 2, 31, 1, 30, i)) }) },
        ['rowsaffected', 2],
        ['rowsaffected', 1],
      ],
    };
    const r = await fakeDb().runBatch('x', { collectResults: true });
    assert.deepEqual(r.rowsAffected, [3, 1]);
    assert.deepEqual(r.resultSets, [[{ d: '2024-03-31T01:30:00' }, { d: '2024-03-31T01:30:01' }]]);
    const plain = await fakeDb().runBatch('x');
    assert.deepEqual(plain.resultSets, []);
  });

  it('transactions: commit after the statements, roll back after a failure once no statement is running', async () => {
    const tproto = sql.Transaction.prototype as unknown as Record<string, unknown>;
    const tsaved = { begin: tproto.begin, commit: tproto.commit, rollback: tproto.rollback };
    const log: string[] = [];
    tproto.begin = async () => {
      log.push('begin');
    };
    tproto.commit = async () => {
      log.push('commit');
    };
    tproto.rollback = async () => {
      log.push('rollback');
    };
    try {
      script = { events: [['rowsaffected', 1]] };
      const db = fakeDb();
      const n = await db.transaction(async (tx) => (await tx.execute('INSERT t VALUES ($1)', [1])) + (await tx.execute('INSERT t VALUES ($1)', [2])));
      assert.equal(n, 2);
      assert.deepEqual(log, ['begin', 'commit']);
      log.length = 0;
      state.finished = 0;
      // fn gives up while its second statement is still running: rollback waits for it.
      script = { events: [{ rows: 3000, make: (i) => ({ i }) }] };
      await assert.rejects(
        db.transaction(async (tx) => {
          void tx.query('SELECT i FROM big').catch(() => undefined);
          await new Promise((res) => setTimeout(res, 1));
          throw new Error('stop');
        }),
        /stop/,
      );
      assert.deepEqual(log, ['begin', 'rollback']);
      assert.equal(state.finished, 1, 'the running statement ended before the rollback');
    } finally {
      Object.assign(tproto, tsaved);
    }
  });

  it('runBatch stops through its AbortSignal and through Db.cancel()', async () => {
    script = { events: [{ rows: 1_000_000, make: (i) => ({ i }) }] };
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(fakeDb().runBatch("WAITFOR DELAY '00:00:30'", { signal: ac.signal }), CancelledError);
    const db = fakeDb();
    const running = db.runBatch("WAITFOR DELAY '00:00:30'");
    setTimeout(() => {
      void db.cancel();
    }, 20);
    await assert.rejects(running, CancelledError);
  });
});
