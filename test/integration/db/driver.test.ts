// The Db interface against every available database (PGlite always, PostgreSQL with SSD_TEST_PG,
// SQL Server with SSD_TEST_MSSQL): parameters, value conventions, streaming, batches and their
// messages, transactions and cancellation.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { forEachTarget } from '../../helpers/targets';
import { CancelledError, DbError, type Db, type DbMessage } from '../../../src/db/types';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** Rows 1..count with a counter from a sequence (so the server's progress can be observed) and a padding column. */
function numbersSql(db: Db, seq: string, count: number, pad: number): string {
  if (db.dialect === 'postgres') {
    return `SELECT i, nextval('${seq}') AS n, repeat('x', ${pad}) AS pad FROM generate_series(1, ${count}) AS g(i)`;
  }
  // 10^5 candidate numbers from digit tables, filtered to 1..count.
  const digits = '(VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9))';
  return `SELECT v.i, NEXT VALUE FOR ${seq} AS n, REPLICATE('x', ${pad}) AS pad FROM (
  SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1 AS i
  FROM ${digits} a(d) CROSS JOIN ${digits} b(d) CROSS JOIN ${digits} c(d) CROSS JOIN ${digits} e(d) CROSS JOIN ${digits} f(d)
) v WHERE v.i <= ${count}`;
}

forEachTarget('Db driver', (fx, target) => {
  const text = (db: Db) => (db.dialect === 'mssql' ? 'NVARCHAR(200)' : 'VARCHAR(200)');

  describe('parameters', () => {
    before(async () => {
      const { db, t } = fx();
      await db.execute(`CREATE TABLE ${t('people')} (id VARCHAR(20) NOT NULL PRIMARY KEY, name ${text(db)} NULL, n INT NULL, big BIGINT NULL, ok ${db.dialect === 'mssql' ? 'BIT' : 'BOOLEAN'} NULL)`);
    });

    const names: [string, string | null][] = [
      ['1', "O'Brien"],
      ['2', 'Zoë Łukasz-Ødegård'],
      ['3', '张伟 👶🏽'],
      ['4', null],
      ['0x1A2B', 'looks like binary'],
      ['007', "'; DROP TABLE people; --"],
      ['5', ''],
      ['6', '$1 and @p1 and ? in text'],
    ];

    it('round-trips unicode, quotes, NULL and id-like strings unchanged', async () => {
      const { db, t } = fx();
      for (const [id, name] of names) {
        assert.equal(await db.execute(`INSERT INTO ${t('people')} (id, name) VALUES ($1, $2)`, [id, name]), 1);
      }
      for (const [id, name] of names) {
        const rows = await db.query<{ id: string; name: string | null }>(`SELECT id, name FROM ${t('people')} WHERE id = $1`, [id]);
        assert.deepEqual(rows, [{ id, name }], id);
      }
      const byName = await db.query<{ id: string }>(`SELECT id FROM ${t('people')} WHERE name = $1`, ["O'Brien"]);
      assert.deepEqual(byName, [{ id: '1' }]);
      const nulls = await db.query<{ c: number }>(`SELECT COUNT(*) AS c FROM ${t('people')} WHERE name IS NULL`);
      assert.equal(Number(nulls[0]!.c), 1);
    });

    it('binds numbers, 64-bit integers and booleans, and uses a parameter twice', async () => {
      const { db, t } = fx();
      await db.execute(`UPDATE ${t('people')} SET n = $1, big = $2, ok = $3 WHERE id = $4`, [-42, 9007199254740991, true, '1']);
      const [row] = await db.query<{ n: number; big: number; ok: boolean | number }>(`SELECT n, big, ok FROM ${t('people')} WHERE id = $1 AND (n = $2 OR n = $2)`, ['1', -42]);
      assert.equal(row!.n, -42);
      assert.equal(row!.big, 9007199254740991);
      assert.equal(Boolean(row!.ok), true);
      const [huge] = await db.query<{ v: unknown }>(`SELECT CAST('9223372036854775807' AS BIGINT) AS v`);
      assert.equal(huge!.v, '9223372036854775807');
    });

    it('leaves $n inside string literals alone', async () => {
      const { db } = fx();
      const [row] = await db.query<{ a: string; b: string }>(`SELECT '$1' AS a, $1 AS b`, ['value']);
      assert.deepEqual(row, { a: '$1', b: 'value' });
    });

    it('reports a bad statement as a DbError without parameter values', async () => {
      const { db, t } = fx();
      await assert.rejects(db.query(`SELECT nope FROM ${t('people')} WHERE name = $1`, ['Secret Childname']), (e: unknown) => {
        assert.ok(e instanceof DbError);
        assert.ok(!e.message.includes('Secret Childname'));
        return true;
      });
    });
  });

  describe('dates and times', () => {
    let savedTz: string | undefined;
    before(async () => {
      savedTz = process.env.TZ;
      process.env.TZ = 'Europe/London'; // values must not move with the local zone (BST on this date)
      const { db, t } = fx();
      const ts = db.dialect === 'mssql' ? 'DATETIME2(3)' : 'TIMESTAMP(3)';
      const dt = db.dialect === 'mssql' ? 'DATETIME' : 'TIMESTAMP';
      await db.execute(`CREATE TABLE ${t('dates')} (id INT NOT NULL, d DATE NULL, ts ${ts} NULL, dt ${dt} NULL)`);
      await db.execute(
        `INSERT INTO ${t('dates')} (id, d, ts, dt) VALUES (1, '2024-03-31', '2024-03-31T01:30:05.120', '2024-10-27T01:15:00'), (2, '1999-12-31', '2000-01-01T00:00:00', NULL), (3, NULL, NULL, NULL)`,
      );
    });
    after(() => {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    });

    it('returns DATE as YYYY-MM-DD and timestamps as YYYY-MM-DDTHH:MM:SS[.fff], unshifted', async () => {
      const { db, t } = fx();
      const rows = await db.query(`SELECT id, d, ts, dt FROM ${t('dates')} ORDER BY id`);
      assert.deepEqual(rows, [
        { id: 1, d: '2024-03-31', ts: '2024-03-31T01:30:05.12', dt: '2024-10-27T01:15:00' },
        { id: 2, d: '1999-12-31', ts: '2000-01-01T00:00:00', dt: null },
        { id: 3, d: null, ts: null, dt: null },
      ]);
    });

    it('streams dates in the same form, and compares them with text parameters', async () => {
      const { db, t } = fx();
      const got: unknown[] = [];
      for await (const r of db.stream(`SELECT d, ts FROM ${t('dates')} WHERE d >= $1 ORDER BY id`, ['2000-01-01'])) got.push(r);
      assert.deepEqual(got, [{ d: '2024-03-31', ts: '2024-03-31T01:30:05.12' }]);
    });
  });

  describe('streaming', () => {
    const COUNT = 50_000;
    const seq = () => `${fx().schema}.ssd_stream_seq`;
    before(async () => {
      const { db } = fx();
      await db.execute(db.dialect === 'mssql' ? `CREATE SEQUENCE ${seq()} AS BIGINT START WITH 1 NO CACHE` : `CREATE SEQUENCE ${seq()}`);
    });
    after(async () => {
      await fx().db.execute(`DROP SEQUENCE ${seq()}`);
    });

    it(`streams ${COUNT.toLocaleString('en-GB')} rows in small batches without holding them all`, async () => {
      const { db } = fx();
      const counter = async (): Promise<number> => {
        const sql = db.dialect === 'mssql' ? `SELECT CAST(current_value AS BIGINT) AS v FROM sys.sequences WHERE object_id = OBJECT_ID($1)` : `SELECT last_value AS v FROM ${seq()}`;
        const [r] = await db.query<{ v: number }>(sql, db.dialect === 'mssql' ? [seq()] : []);
        return Number(r!.v);
      };
      const base = heapMb();
      let peak = 0;
      let rows = 0;
      let sum = 0;
      let producedAtFirstRow = -1;
      for await (const r of db.stream<{ i: number; pad: string }>(numbersSql(db, seq(), COUNT, 1000), [], { batchSize: 500 })) {
        rows++;
        sum += Number(r.i);
        assert.equal(r.pad.length, 1000);
        if (rows === 1 && target.name !== 'pglite') {
          // The server has produced only part of the result when the first row reaches us.
          // (PGlite materialises a held cursor inside the embedded engine, outside the JS heap.)
          producedAtFirstRow = await counter();
        }
        if (rows % 10_000 === 0) peak = Math.max(peak, heapMb() - base);
      }
      assert.equal(rows, COUNT);
      assert.equal(sum, (COUNT * (COUNT + 1)) / 2);
      // All rows would be > 50 MB of text; the stream holds a batch or two at a time.
      assert.ok(peak < 20, `heap grew by ${peak.toFixed(1)} MB while streaming`);
      if (target.name !== 'pglite') {
        assert.ok(producedAtFirstRow > 0 && producedAtFirstRow < COUNT * 0.8, `server had produced ${producedAtFirstRow} rows when the first arrived`);
      }
    });

    it('stops the statement when the loop breaks early, and the connection stays usable', async () => {
      const { db } = fx();
      let rows = 0;
      for await (const _ of db.stream(numbersSql(db, seq(), COUNT, 10), [], { batchSize: 100 })) {
        if (++rows === 250) break;
      }
      assert.equal(rows, 250);
      for (let k = 0; k < 6; k++) {
        const [r] = await db.query<{ one: number }>('SELECT 1 AS one');
        assert.equal(r!.one, 1);
      }
    });

    it('stops with CancelledError when its signal is aborted', async () => {
      const { db } = fx();
      const ac = new AbortController();
      let rows = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of db.stream(numbersSql(db, seq(), COUNT, 10), [], { batchSize: 100, signal: ac.signal })) {
            if (++rows === 150) ac.abort();
          }
        })(),
        CancelledError,
      );
      assert.ok(rows < COUNT);
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
    });

    it('reports an error in the streamed statement', async () => {
      const { db, t } = fx();
      await assert.rejects(async () => {
        for await (const _ of db.stream(`SELECT * FROM ${t('no_such_table')}`)) {
          /* none */
        }
      }, DbError);
    });
  });

  describe('batches', () => {
    it('delivers server messages in order, with line numbers on SQL Server', async () => {
      const { db } = fx();
      const got: DbMessage[] = [];
      const batch =
        db.dialect === 'mssql'
          ? "PRINT 'one';\nRAISERROR('two %d', 10, 1, 2) WITH NOWAIT;\nPRINT N'three Zoë';"
          : "DO $$ BEGIN RAISE NOTICE 'one'; RAISE NOTICE 'two %', 2; END $$;\nDO $$ BEGIN RAISE NOTICE 'three Zoë'; END $$;";
      await db.runBatch(batch, { onMessage: (m) => got.push(m) });
      assert.deepEqual(
        got.map((m) => [m.kind, m.text]),
        [
          ['notice', 'one'],
          ['notice', 'two 2'],
          ['notice', 'three Zoë'],
        ],
      );
      if (db.dialect === 'mssql')
        assert.deepEqual(
          got.map((m) => m.line),
          [1, 2, 3],
        );
    });

    it('reports rows affected per statement and, when asked, result sets', async () => {
      const { db, t } = fx();
      await db.execute(`CREATE TABLE ${t('batch_rows')} (id INT NOT NULL, v INT NULL)`);
      const r = await db.runBatch(`INSERT INTO ${t('batch_rows')} (id) VALUES (1), (2), (3);\nUPDATE ${t('batch_rows')} SET v = 1 WHERE id > 1;\nDELETE FROM ${t('batch_rows')} WHERE id = 3;`);
      assert.deepEqual(r.rowsAffected, [3, 2, 1]);
      assert.ok(r.elapsedMs >= 0);
      const s = await db.runBatch(`SELECT id FROM ${t('batch_rows')} ORDER BY id;\nSELECT COUNT(*) AS c FROM ${t('batch_rows')};`, { collectResults: true });
      assert.equal(s.resultSets.length, 2);
      assert.deepEqual(s.rowsAffected, []);
      assert.deepEqual(s.resultSets[0], [{ id: 1 }, { id: 2 }]);
      assert.equal(Number(s.resultSets[1]![0]!.c), 2);
    });

    it('reports the line of a failing statement within the batch', async () => {
      const { db, t } = fx();
      const batch = `SELECT 1 AS a;\n\nSELECT 2 AS b;\nSELECT * FROM ${t('no_such_table')};\nSELECT 3 AS c;`;
      await assert.rejects(db.runBatch(batch), (e: unknown) => {
        assert.ok(e instanceof DbError, String(e));
        assert.equal(e.details.line, 4);
        assert.equal(e.details.code, db.dialect === 'mssql' ? 208 : '42P01');
        return true;
      });
      // The connection is usable afterwards.
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
    });
  });

  describe('transactions', () => {
    before(async () => {
      const { db, t } = fx();
      await db.execute(`CREATE TABLE ${t('tx')} (id INT NOT NULL PRIMARY KEY, v ${text(db)} NULL)`);
    });
    const count = async () => Number((await fx().db.query<{ c: number }>(`SELECT COUNT(*) AS c FROM ${fx().t('tx')}`))[0]!.c);

    it('commits when the function succeeds', async () => {
      const { db, t } = fx();
      const out = await db.transaction(async (tx) => {
        await tx.execute(`INSERT INTO ${t('tx')} (id, v) VALUES ($1, $2)`, [1, 'a']);
        await tx.execute(`INSERT INTO ${t('tx')} (id, v) VALUES ($1, $2)`, [2, 'b']);
        return (await tx.query<{ c: number }>(`SELECT COUNT(*) AS c FROM ${t('tx')}`))[0]!.c;
      });
      assert.equal(Number(out), 2);
      assert.equal(await count(), 2);
    });

    it('rolls back when the function throws', async () => {
      const { db, t } = fx();
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${t('tx')} (id, v) VALUES ($1, $2)`, [3, 'c']);
          throw new Error('stop here');
        }),
        /stop here/,
      );
      assert.equal(await count(), 2);
    });

    it('rolls back when a statement fails, reporting a DbError', async () => {
      const { db, t } = fx();
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${t('tx')} (id, v) VALUES ($1, $2)`, [4, 'd']);
          await tx.execute(`INSERT INTO ${t('tx')} (id, v) VALUES ($1, $2)`, [1, 'duplicate']);
        }),
        DbError,
      );
      assert.equal(await count(), 2);
      assert.deepEqual(await db.query(`SELECT id FROM ${t('tx')} WHERE id = $1`, [4]), []);
    });
  });

  describe('cancellation', function () {
    if (target.name === 'pglite') {
      // PGlite runs in-process: a running statement cannot be interrupted (see pgliteDriver.ts).
      it('applies a cancel request before the next statement (PGlite)', async () => {
        const { db } = fx();
        await db.cancel();
        await assert.rejects(db.query('SELECT 1'), CancelledError);
        assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
      });
      return;
    }
    const sleepSql = (db: Db) => (db.dialect === 'mssql' ? "WAITFOR DELAY '00:00:30'" : 'SELECT pg_sleep(30)');

    it('stops a running batch through its AbortSignal, quickly', async () => {
      const { db } = fx();
      const ac = new AbortController();
      const start = Date.now();
      setTimeout(() => ac.abort(), 300);
      await assert.rejects(db.runBatch(sleepSql(db), { signal: ac.signal }), CancelledError);
      assert.ok(Date.now() - start < 10_000, `took ${Date.now() - start} ms`);
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
    });

    it('stops a running query through Db.cancel(), quickly', async () => {
      const { db } = fx();
      const start = Date.now();
      const running = db.query(sleepSql(db));
      setTimeout(() => {
        void db.cancel();
      }, 300);
      await assert.rejects(running, CancelledError);
      assert.ok(Date.now() - start < 10_000, `took ${Date.now() - start} ms`);
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one, 1);
    });
  });
});
