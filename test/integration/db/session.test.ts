// Db.session(): one dedicated connection for a script run, against every available database
// (PGlite always, PostgreSQL with SSD_TEST_PG, SQL Server with SSD_TEST_MSSQL): temporary tables
// and session settings carry from one batch to the next, transactions and cancel work on it, and
// closing it leaves the Db open. On SQL Server the session takes the login's default language, as
// SSMS does, so a style-less date conversion gives what it gives in SSMS for that login.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forEachTarget } from '../../helpers/targets';
import { parseConnectionString, type MssqlSpec } from '../../../src/db/connectionSpec';
import { openDb } from '../../../src/db/openDb';
import { withSession } from '../../../src/db/session';
import { runScript } from '../../../src/script/index';
import { CancelledError, type Db } from '../../../src/db/types';

forEachTarget('Db sessions', (fx) => {
  const temp = (db: Db) => (db.dialect === 'mssql' ? '#ssd_probe' : 'ssd_probe_tmp');
  const createTemp = (db: Db) => (db.dialect === 'mssql' ? 'CREATE TABLE #ssd_probe (n INT)' : 'CREATE TEMPORARY TABLE ssd_probe_tmp (n INT)');

  it('a temporary table made in batch 1 is there in batch 3 of a script', async () => {
    const { db } = fx();
    const script =
      db.dialect === 'mssql'
        ? `${createTemp(db)};\nGO\nINSERT INTO ${temp(db)} (n) VALUES (1), (2);\nGO\nINSERT INTO ${temp(db)} (n) SELECT n + 10 FROM ${temp(db)};\nGO\n`
        : `${createTemp(db)};\nINSERT INTO ${temp(db)} (n) VALUES (1), (2);\nINSERT INTO ${temp(db)} (n) SELECT n + 10 FROM ${temp(db)};\n`;
    await withSession(db, async (s) => {
      const { result } = await runScript(s, { file: 'session_probe.sql', text: script, dialect: db.dialect === 'mssql' ? 'tsql' : 'postgres' });
      assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
      const rows = await s.query<{ n: number }>(`SELECT n FROM ${temp(db)} ORDER BY n`);
      assert.deepEqual(
        rows.map((r) => r.n),
        [1, 2, 11, 12],
      );
      await s.runBatch(`DROP TABLE ${temp(db)}`);
    });
  });

  it('runs batches, queries and a transaction in one session; closing it leaves the Db open', async () => {
    const { db } = fx();
    const s = await db.session!();
    try {
      await s.runBatch(createTemp(db));
      await s.transaction(async (tx) => {
        await tx.execute(`INSERT INTO ${temp(db)} (n) VALUES ($1)`, [7]);
      });
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${temp(db)} (n) VALUES ($1)`, [8]);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(
        (await s.query<{ n: number }>(`SELECT n FROM ${temp(db)}`)).map((r) => r.n),
        [7],
      );
      const seen: number[] = [];
      for await (const r of s.stream<{ n: number }>(`SELECT n FROM ${temp(db)}`)) seen.push(r.n);
      assert.deepEqual(seen, [7]);
    } finally {
      await s.close();
    }
    // The Db is still open, and (not PGlite, which is one connection) the temp table was the session's.
    assert.deepEqual(await db.query<{ one: number }>('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('cancel on the Db stops a statement running in its session, and the session goes on', async function () {
    const { db } = fx();
    if (db.kind === 'pglite') this.skip(); // in-process: a running statement cannot be interrupted
    await withSession(db, async (s) => {
      const running = s.runBatch(db.dialect === 'mssql' ? "WAITFOR DELAY '00:00:30'" : 'SELECT pg_sleep(30)');
      running.catch(() => undefined); // asserted below
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await db.cancel();
      await assert.rejects(running, CancelledError);
      assert.ok(Date.now() - t0 < 10_000);
      assert.deepEqual(await s.query<{ one: number }>('SELECT 1 AS one'), [{ one: 1 }]);
    });
  });

  it("SQL Server: the session uses the login's default language, and a style-less date conversion gives what it gives under that language", async function () {
    const { db } = fx();
    if (db.dialect !== 'mssql') this.skip();
    // The login's default language, as SSMS would get it.
    const [login] = await db.query<{ language: string | null }>(
      "SELECT COALESCE(sp.default_language_name, (SELECT l.name FROM sys.syslanguages AS l WHERE l.langid = (SELECT CAST(value_in_use AS INT) FROM sys.configurations WHERE name = 'default language'))) AS language FROM sys.server_principals AS sp WHERE sp.name = SUSER_SNAME()",
    );
    const [pool] = await db.query<{ language: string }>('SELECT @@LANGUAGE AS language');
    assert.equal(pool!.language, 'us_english', "the pool keeps tedious's us_english for our own SQL");
    await withSession(db, async (s) => {
      const [sess] = await s.query<{ language: string; d: string | null }>("SELECT @@LANGUAGE AS language, TRY_CAST('03/04/2024' AS DATE) AS d");
      if (login?.language) assert.equal(sess!.language, login.language);
      // The same conversion under an explicit SET LANGUAGE of that language, in a batch of its own session.
      const lang = sess!.language.replace(/'/g, "''");
      const r = await s.runBatch(`SET LANGUAGE N'${lang}'; SELECT TRY_CAST('03/04/2024' AS DATE) AS d;`, { collectResults: true });
      assert.equal(sess!.d, (r.resultSets.at(-1)![0] as { d: string | null }).d);
    });
  });

  it('SQL Server: a login whose default language is British gets dmy dates in a session, us_english in the pool', async function () {
    const { db, target } = fx();
    if (db.dialect !== 'mssql') this.skip();
    const login = `ssd_t_brit_${randomBytes(3).toString('hex')}`;
    const password = `Brit-${randomBytes(6).toString('hex')}-Aa1!`;
    try {
      await db.runBatch(`CREATE LOGIN [${login}] WITH PASSWORD = N'${password}', DEFAULT_LANGUAGE = [British], CHECK_POLICY = OFF; CREATE USER [${login}] FOR LOGIN [${login}];`);
    } catch {
      this.skip(); // the test login cannot create logins
    }
    try {
      const spec: MssqlSpec = { ...(parseConnectionString(target.url) as MssqlSpec), user: login, password };
      const brit = await openDb(spec);
      try {
        const probe = "SELECT @@LANGUAGE AS language, TRY_CAST('03/04/2024' AS DATE) AS d";
        assert.deepEqual(await brit.query(probe), [{ language: 'us_english', d: '2024-03-04' }]);
        await withSession(brit, async (s) => {
          // As in SSMS for this login: 03/04/2024 is the 3rd of April.
          assert.deepEqual(await s.query(probe), [{ language: 'British', d: '2024-04-03' }]);
        });
      } finally {
        await brit.close();
      }
    } finally {
      await db.runBatch(`DROP USER IF EXISTS [${login}]; DROP LOGIN [${login}];`).catch(() => undefined);
    }
  });
});
