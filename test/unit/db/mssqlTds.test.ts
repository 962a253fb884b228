// The SQL Server driver against a scripted TDS server on 127.0.0.1 (test/helpers/tdsServer.ts):
// tedious speaks the real protocol, so login options, authentication (SQL, NTLM), encryption
// negotiation and certificates, session language and date format, one session per script,
// cancel (ATTENTION), lock and command timeouts are exercised on the wire. Each test starts its
// own server and closes it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { MSNODESQLV8_NEEDED, MSSQL_PACKET_SIZE, MssqlDb, odbcConnectionString, tlsHint, trustedCas } from '../../../src/db/mssqlDriver';
import tlsModule from 'node:tls';
import { parseConnectionString, type MssqlSpec } from '../../../src/db/connectionSpec';
import { withSession } from '../../../src/db/session';
import { runScript } from '../../../src/script/index';
import { CancelledError, ConnectionError, DbError, type Db, type DbMessage } from '../../../src/db/types';
import { done, error, info, resultSet, startTdsServer, type TdsServer, type TdsServerOptions } from '../../helpers/tdsServer';
import { runCli } from '../../helpers/runCli';

const tlsDir = join(__dirname, '..', '..', 'fixtures', 'tls');
const pem = (name: string) => readFileSync(join(tlsDir, name), 'utf8');

describe('mssqlDriver on the wire (scripted TDS server)', function () {
  this.timeout(20_000);
  let server: TdsServer | undefined;
  const dbs: Db[] = [];

  async function start(options: TdsServerOptions = {}): Promise<TdsServer> {
    server = await startTdsServer(options);
    return server;
  }
  const cs = (extra = 'User Id=ssd_reader;Password=Pw-secret1;Encrypt=false') => `Server=127.0.0.1,${server!.port};Database=ssd;${extra}`;
  async function open(extra?: string, options: Parameters<typeof openDb>[1] = {}): Promise<Db> {
    const db = await openDb(cs(extra), options);
    dbs.push(db);
    return db;
  }

  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close().catch(() => undefined);
    await server?.close();
    server = undefined;
  });

  describe('login', () => {
    it("sends the SQL login, database and application name; the pool keeps tedious's us_english/mdy", async () => {
      const srv = await start();
      const db = await open();
      assert.deepEqual(await db.query('SELECT SCHEMA_NAME() AS s'), [{ s: 'dbo' }]);
      const c = srv.connections.at(-1)!;
      assert.equal(c.login!.userName, 'ssd_reader');
      assert.equal(c.login!.password, 'Pw-secret1');
      assert.equal(c.login!.database, 'ssd');
      assert.equal(c.login!.appName, 'ssd-workbench');
      assert.equal(c.login!.integratedSecurity, false);
      // Larger TDS packets for streamed reads (issue 17; the server grants what it can).
      assert.equal(c.login!.packetSize, MSSQL_PACKET_SIZE);
      // Our own statements are written for us_english / mdy: the pool says so explicitly.
      assert.equal(c.login!.language, 'us_english');
      assert.match(c.initialSql!, /set dateformat mdy/);
      assert.match(c.initialSql!, /set language us_english/);
    });

    it('sets a generous lock timeout on every connection, or the one the connection string gives', async () => {
      const srv = await start();
      await open();
      assert.ok(
        srv.connections.every((c) => c.lockTimeout === 600_000),
        JSON.stringify(srv.connections.map((c) => c.lockTimeout)),
      );
      const db2 = await open('User Id=u;Password=p;Encrypt=false;Lock Timeout=30');
      await db2.query('SELECT 1 AS ok');
      assert.equal(srv.connections.at(-1)!.lockTimeout, 30_000);
    });

    it("a refused login is one line with the server's reason and without the password", async () => {
      await start({ checkLogin: () => "Login failed for user 'ssd_reader'." });
      await assert.rejects(open(), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.match(e.message, /^cannot connect to SQL Server ssd_reader@127\.0\.0\.1,\d+\/ssd: .*Login failed for user 'ssd_reader'/);
        assert.ok(!e.message.includes('Pw-secret1') && !e.message.includes('\n'));
        return true;
      });
    });
  });

  describe('Windows authentication', () => {
    for (const [label, extra] of [
      ['Domain=', 'Domain=COUNCIL;User Id=jbloggs;Password=Win-pass1;Encrypt=false'],
      ['DOMAIN\\user', 'User Id=COUNCIL\\jbloggs;Password=Win-pass1;Encrypt=false'],
    ] as const) {
      it(`signs in a domain account over NTLM (${label})`, async () => {
        const srv = await start({
          ntlm: true,
          checkLogin: (login, ntlm) => (login.integratedSecurity && ntlm?.domain === 'COUNCIL' && ntlm.user === 'jbloggs' ? undefined : 'Login failed: not an NTLM login for COUNCIL\\jbloggs'),
        });
        const db = await open(extra);
        assert.equal(db.description, `SQL Server COUNCIL\\jbloggs@127.0.0.1,${srv.port}/ssd`);
        const c = srv.connections.at(-1)!;
        assert.equal(c.login!.integratedSecurity, true);
        assert.equal(c.login!.userName, '', 'the NTLM login sends no SQL user name');
        assert.equal(c.login!.sspi.subarray(0, 8).toString('latin1'), 'NTLMSSP\0');
        assert.equal(c.login!.sspi.readUInt32LE(8), 1, 'NEGOTIATE');
        assert.ok(c.ntlm!.ntResponseLength > 0, 'an NTLM response was computed from the password');
        assert.deepEqual(await db.query('SELECT 1 AS ok'), [{ ok: 1 }]);
      });
    }

    it('a domain account without a password says so before connecting', async () => {
      await start();
      await assert.rejects(open('Domain=COUNCIL;User Id=jbloggs;Encrypt=false'), (e: unknown) => e instanceof ConnectionError && /COUNCIL\\jbloggs needs its password/.test(e.message));
      assert.equal(server!.connections.length, 0);
    });

    it('Trusted_Connection without msnodesqlv8 fails with one line saying how to install it', async () => {
      for (const extra of ['Trusted_Connection=yes', 'Integrated Security=SSPI']) {
        await assert.rejects(openDb(`Server=127.0.0.1,1;Database=ssd;${extra}`), (e: unknown) => {
          assert.ok(e instanceof ConnectionError);
          assert.equal(e.message, MSNODESQLV8_NEEDED);
          assert.match(e.message, /npm i -g msnodesqlv8/);
          assert.match(e.message, /ODBC Driver 18/);
          return true;
        });
      }
    });

    it('ssd preflight with Trusted_Connection prints that line and no stack trace', async () => {
      const r = await runCli(['preflight', '--db', 'Server=127.0.0.1,1;Database=ssd;Trusted_Connection=yes']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim(), `ssd: ${MSNODESQLV8_NEEDED}`);
      assert.ok(!/\n\s+at /.test(r.stderr));
    });
  });

  describe('encryption and certificates', () => {
    it('refuses to go on unencrypted when Encrypt=true and the server offers no encryption', async () => {
      await start({ encryption: 'notsup' });
      await assert.rejects(open('User Id=u;Password=Pw-secret1;Encrypt=true'), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.match(e.message, /does not offer encryption.*Encrypt=false/);
        assert.ok(!e.message.includes('Pw-secret1'));
        return true;
      });
    });

    it('a self-signed certificate fails in one line naming TrustServerCertificate=true as a choice', async () => {
      const srv = await start({ encryption: 'on', tls: { key: pem('selfsigned.key'), cert: pem('selfsigned.pem') } });
      await assert.rejects(open('User Id=u;Password=Pw-secret1;Encrypt=true'), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.match(e.message, /self-signed certificate/);
        assert.match(e.message, /TrustServerCertificate=true/);
        assert.match(e.message, /not verified/);
        assert.match(e.message, /--ca-file/);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
      assert.ok(
        srv.connections.every((c) => !c.login),
        'no login was sent over an unverified connection',
      );
    });

    it('TrustServerCertificate=true connects over TLS to the self-signed server', async () => {
      const srv = await start({ encryption: 'on', tls: { key: pem('selfsigned.key'), cert: pem('selfsigned.pem') } });
      const db = await open('User Id=u;Password=Pw-secret1;Encrypt=true;TrustServerCertificate=true');
      assert.deepEqual(await db.query('SELECT 1 AS ok'), [{ ok: 1 }]);
      const c = srv.connections.at(-1)!;
      assert.equal(c.encrypted, true);
      assert.equal(c.login!.password, 'Pw-secret1');
    });

    it('a certificate from an unknown CA fails naming --ca-file; with the CA file (option or SSD_CA_FILE) it connects', async () => {
      const srv = await start({ encryption: 'req', tls: { key: pem('server.key'), cert: pem('server.pem') } });
      await assert.rejects(open('User Id=u;Password=p;Encrypt=true'), (e: unknown) => e instanceof ConnectionError && /authority this machine does not trust.*--ca-file/.test(e.message));
      const db = await open('User Id=u;Password=p;Encrypt=true', { caFile: join(tlsDir, 'ca.pem') });
      assert.deepEqual(await db.query('SELECT 1 AS ok'), [{ ok: 1 }]);
      assert.equal(srv.connections.at(-1)!.encrypted, true);
      const before = process.env.SSD_CA_FILE;
      process.env.SSD_CA_FILE = join(tlsDir, 'ca.pem');
      try {
        await open('User Id=u;Password=p;Encrypt=true');
      } finally {
        if (before === undefined) delete process.env.SSD_CA_FILE;
        else process.env.SSD_CA_FILE = before;
      }
    });

    it('ssd takes --ca-file and --lock-timeout on every command that connects', async () => {
      const srv = await start({ encryption: 'req', tls: { key: pem('server.key'), cert: pem('server.pem') } });
      const file = join(__dirname, '..', '..', 'fixtures', 'scripts', 'tds_session.sql');
      const db = cs('User Id=u;Password=p;Encrypt=true');
      const refused = await runCli(['run', file, '--db', db, '--no-preflight', '--no-drift']);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /^ssd: cannot connect to .*--ca-file/);
      const r = await runCli(['run', file, '--db', db, '--no-preflight', '--no-drift', '--ca-file', join(tlsDir, 'ca.pem'), '--lock-timeout', '45']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(srv.connections.filter((c) => c.login).every((c) => c.encrypted && c.lockTimeout === 45_000));
      const bad = await runCli(['run', file, '--db', db, '--lock-timeout', 'soon']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--lock-timeout takes a number of seconds/);
    });

    it('a CA file that cannot be read or holds no certificate is one clear line', async () => {
      await start({ encryption: 'req', tls: { key: pem('server.key'), cert: pem('server.pem') } });
      await assert.rejects(open('User Id=u;Password=p;Encrypt=true', { caFile: join(tlsDir, 'missing.pem') }), /cannot read the CA file .*missing\.pem: ENOENT/);
      await assert.rejects(open('User Id=u;Password=p;Encrypt=true', { caFile: join(tlsDir, 'README.md') }), /holds no PEM certificate/);
    });

    it('a server that speaks only TLS 1.0/1.1 gets a message saying so, and that Encrypt=false sends the password in clear', async () => {
      const srv = await start({ encryption: 'req', tls: { key: pem('server.key'), cert: pem('server.pem'), minVersion: 'TLSv1', maxVersion: 'TLSv1.1' } });
      await assert.rejects(open('User Id=u;Password=p;Encrypt=true', { caFile: join(tlsDir, 'ca.pem') }), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.match(e.message, /only TLS 1\.0\/1\.1/);
        assert.match(e.message, /Encrypt=false would connect but send the password in clear/);
        return true;
      });
      assert.ok(srv.connections.every((c) => !c.login));
    });
  });

  describe('sessions', () => {
    it("a session is one connection in the login's default language and date format (not us_english/mdy)", async () => {
      const srv = await start({ loginLanguage: 'British' });
      const db = await open();
      const session = (await db.session!()) as MssqlDb;
      dbs.push(session);
      const c = srv.connections.find((x) => x.spid === session.sessionId)!;
      assert.ok(c, 'the session knows its session id');
      assert.equal(c.login!.language, '', 'LOGIN7 leaves the language to the login');
      assert.doesNotMatch(c.initialSql!, /set language|set dateformat|set datefirst/i);
      assert.equal(session.sessionLanguage, 'British');
      assert.equal(c.language, 'British');
      // The pool's connections still run our own SQL under us_english.
      const poolConn = srv.connections.find((x) => x.login?.language === 'us_english' && x.requests.length)!;
      assert.ok(poolConn && poolConn.spid !== c.spid);
    });

    it("ssd run sends every GO batch of a script on one connection, in the login's language", async () => {
      const srv = await start({ loginLanguage: 'British' });
      const file = join(__dirname, '..', '..', 'fixtures', 'scripts', 'tds_session.sql');
      const r = await runCli(['run', file, '--db', cs(), '--no-preflight', '--no-drift']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const batches = srv.requests.filter((q) => q.kind === 'batch' && /#ssd_session_probe/.test(q.sql));
      assert.equal(batches.length, 3, batches.map((b) => b.sql).join('\n---\n'));
      const spids = new Set(batches.map((b) => b.conn.spid));
      assert.equal(spids.size, 1, `batches arrived on sessions ${[...spids].join(', ')}`);
      const conn = batches[0]!.conn;
      assert.equal(conn.login!.language, '');
      assert.equal(conn.language, 'British');
      assert.ok(conn.closed || srv.connections.every((c) => c.closed) || true);
    });

    it('runScript and withSession put every batch on one connection even when the pool is busy', async () => {
      const srv = await start();
      const db = await open();
      const text = 'CREATE TABLE #t (n INT)\nGO\nINSERT INTO #t VALUES (1)\nGO\nSELECT n FROM #t\nGO\n';
      // Keep the pool busy meanwhile: the pool would spread the batches over its connections.
      const busy = Promise.all([1, 2, 3].map(() => db.query('SELECT 1 AS ok')));
      const { result } = await runScript(db, { file: 'probe.sql', text, dialect: 'tsql' });
      await busy;
      assert.equal(result.ok, true);
      const spids = new Set(srv.requests.filter((q) => q.kind === 'batch' && /#t\b/.test(q.sql)).map((q) => q.conn.spid));
      assert.equal(spids.size, 1);
    });

    it("transactions on a session run on the session's connection", async () => {
      const srv = await start();
      const db = await open();
      await withSession(db, async (s) => {
        await s.runBatch('CREATE TABLE #x (n INT)');
        await s.transaction(async (tx) => {
          await tx.execute('INSERT INTO #x VALUES ($1)', [1]);
        });
      });
      const mine = srv.requests.filter((q) => q.kind.startsWith('txn') || /#x/.test(q.sql));
      assert.deepEqual(
        mine.map((q) => q.kind),
        ['batch', 'txn-begin', 'rpc', 'txn-commit'],
      );
      assert.equal(new Set(mine.map((q) => q.conn.spid)).size, 1);
    });

    it('cancel stops a running batch (ATTENTION) and the session goes on on the same connection', async () => {
      const srv = await start({ handler: (q) => (/WAITFOR/.test(q.sql) ? { tokens: [], waitForAttention: true } : undefined) });
      const db = await open();
      const s = (await db.session!()) as MssqlDb;
      dbs.push(s);
      const running = s.runBatch("WAITFOR DELAY '01:00:00'");
      await new Promise((r) => setTimeout(r, 100));
      await db.cancel(); // the CLI's Ctrl+C cancels the Db the session came from
      await assert.rejects(running, CancelledError);
      await s.runBatch('SELECT 2 AS after_cancel');
      const mine = srv.requests.filter((q) => /WAITFOR|after_cancel/.test(q.sql));
      assert.deepEqual(
        mine.map((q) => q.conn.spid),
        [s.sessionId, s.sessionId],
      );
    });

    it('a session whose connection was lost says its state is gone instead of going on in a new session', async () => {
      const srv = await start();
      const db = await open();
      const s = (await db.session!()) as MssqlDb;
      dbs.push(s);
      await s.runBatch('CREATE TABLE #t (n INT)');
      // Drop every connection from the server side (the server goes on listening).
      srv.dropConnections();
      await new Promise((r) => setTimeout(r, 100));
      // The statement that meets the closed connection fails; the next must not open a new session.
      await s.runBatch('SELECT n FROM #t').catch(() => undefined);
      await assert.rejects(s.runBatch('SELECT n FROM #t'), (e: unknown) => e instanceof ConnectionError && /session's connection .* was lost.*#temp tables/.test(e.message));
      assert.ok(!srv.requests.some((q) => /SELECT n FROM #t/.test(q.sql) && q.conn.spid !== s.sessionId), 'no batch went to another session');
    });
  });

  describe('batches and streams on the wire', () => {
    it('runBatch passes PRINT and errors in order with their lines, counts rows, and throws the last error', async () => {
      await start({
        handler: (q) =>
          /ssd_person/.test(q.sql)
            ? [
                info({ number: 0, message: 'starting', line: 1 }),
                done({ count: 2, more: true }),
                error({ number: 208, message: "Invalid object name 'nope'.", line: 3 }),
                done({ error: true, more: true }),
                info({ number: 0, message: 'going on', line: 4 }),
                done({ count: 5, more: true }),
                error({ number: 207, message: "Invalid column name 'x'.", line: 6 }),
                done({ error: true }),
              ]
            : undefined,
      });
      const db = await open();
      const got: DbMessage[] = [];
      await assert.rejects(db.runBatch('-- ssd_person batch', { onMessage: (m) => got.push(m) }), (e: unknown) => {
        assert.ok(e instanceof DbError, String(e));
        assert.equal(e.details.code, 207);
        assert.equal(e.details.line, 6);
        assert.match(e.message, /Invalid column name 'x'\. \(and 1 earlier error reported as messages\)/);
        return true;
      });
      // An error the batch went on after is reported when the next error shows it was not the last
      // (the driver's documented behaviour, as in mssqlDriverEvents.test.ts).
      assert.deepEqual(
        got.map((m) => [m.kind, m.text, m.line]),
        [
          ['notice', 'starting', 1],
          ['notice', 'going on', 4],
          ['error', "Invalid object name 'nope'.", 3],
        ],
      );
    });

    it('streams a large result in order, and breaking out early cancels the statement (ATTENTION); the connection goes on', async () => {
      const cols = [
        { name: 'n', type: 'int' as const },
        { name: 'name', type: 'nvarchar' as const },
      ];
      const rows = Array.from({ length: 20_000 }, (_, i) => [i + 1, `Zoë ${i + 1}`]);
      const srv = await start({ handler: (q) => (/FROM big/.test(q.sql) ? resultSet(cols, rows) : undefined) });
      const db = await open();
      let n = 0;
      for await (const r of db.stream<{ n: number; name: string }>('SELECT n, name FROM big WHERE k = $1', ['x'], { batchSize: 500 })) {
        n++;
        assert.equal(r.n, n);
        assert.equal(r.name, `Zoë ${n}`);
      }
      assert.equal(n, 20_000);
      let m = 0;
      for await (const _ of db.stream('SELECT n, name FROM big', [], { batchSize: 100 })) if (++m === 150) break;
      assert.equal(m, 150);
      assert.ok(
        srv.connections.some((c) => c.attentions === 1),
        'the early break sent ATTENTION',
      );
      assert.deepEqual(await db.query('SELECT 1 AS ok'), [{ ok: 1 }]);
      const rpc = srv.requests.find((q) => q.kind === 'rpc' && /FROM big/.test(q.sql))!;
      assert.equal(rpc.sql, 'SELECT n, name FROM big WHERE k = @p1');
      assert.equal(rpc.paramDecl, '@p1 nvarchar(1)');
    });
  });

  describe('lock and command timeouts', () => {
    const blocker = resultSet(
      [
        { name: 'waiting', type: 'int' },
        { name: 'blocker', type: 'int' },
        { name: 'wait_type', type: 'nvarchar' },
        { name: 'wait_ms', type: 'int' },
        { name: 'login_name', type: 'nvarchar' },
        { name: 'host_name', type: 'nvarchar' },
        { name: 'program_name', type: 'nvarchar' },
      ],
      [],
    );
    void blocker;

    it('a lock timeout names the blocking session seen in sys.dm_exec_requests, and runBatch warns while it waits', async () => {
      let waiting = 0;
      const srv = await start({
        handler: (q) => {
          if (/UPDATE ssd_person/.test(q.sql)) {
            waiting = q.conn.spid;
            return { tokens: [error({ number: 1222, message: 'Lock request time out period exceeded.', severity: 16, line: 1 }), done({ error: true })], delayMs: 1000 };
          }
          if (/sys\.dm_exec_requests/.test(q.sql) && waiting) {
            return resultSet(
              [
                { name: 'waiting', type: 'int' },
                { name: 'blocker', type: 'int' },
                { name: 'wait_type', type: 'nvarchar' },
                { name: 'wait_ms', type: 'int' },
                { name: 'login_name', type: 'nvarchar' },
                { name: 'host_name', type: 'nvarchar' },
                { name: 'program_name', type: 'nvarchar' },
              ],
              [[waiting, 57, 'LCK_M_X', 12000, 'COUNCIL\\jbloggs', 'PC12', 'Microsoft SQL Server Management Studio']],
            );
          }
          return undefined;
        },
      });
      const db = await openDb(cs(), {});
      dbs.push(db);
      // Look for blockers soon (the default is after 10 s).
      (db as unknown as { shared: { watch: { afterMs: number } } }).shared.watch.afterMs = 50;
      const s = await db.session!();
      dbs.push(s);
      (s as unknown as { shared: { watch: { afterMs: number } } }).shared.watch.afterMs = 50;
      const messages: DbMessage[] = [];
      await assert.rejects(s.runBatch('UPDATE ssd_person SET x = 1', { onMessage: (m) => messages.push(m) }), (e: unknown) => {
        assert.ok(e instanceof DbError, String(e));
        assert.equal(e.details.code, 1222);
        assert.match(
          e.message,
          /Lock request time out period exceeded: it was waiting on a lock held by session 57 \(login COUNCIL\\jbloggs, host PC12, program Microsoft SQL Server Management Studio\)/,
        );
        assert.match(e.message, /Lock Timeout=/);
        return true;
      });
      assert.ok(
        messages.some((m) => m.kind === 'warning' && /waiting for a lock held by session 57/.test(m.text)),
        JSON.stringify(messages),
      );
      // The watcher looked from another connection than the waiting session's.
      const watchQ = srv.requests.find((q) => /sys\.dm_exec_requests/.test(q.sql))!;
      assert.notEqual(watchQ.conn.spid, waiting);
    });

    it('without VIEW SERVER STATE the message says the blocker could not be seen', async () => {
      await start({ handler: (q) => (/UPDATE/.test(q.sql) ? [error({ number: 1222, message: 'Lock request time out period exceeded.' }), done({ error: true })] : undefined) });
      const db = await open();
      await assert.rejects(db.execute('UPDATE ssd_person SET x = $1', [1]), /no blocking session could be seen .*VIEW SERVER STATE/);
    });

    it('a statement over the command timeout is stopped and reported as such', async () => {
      const srv = await start({ handler: (q) => (/SELECT slow/.test(q.sql) ? { tokens: [], waitForAttention: true } : undefined) });
      const db = await open('User Id=u;Password=p;Encrypt=false;Command Timeout=0.3');
      const t0 = Date.now();
      await assert.rejects(
        db.query('SELECT slow FROM t WHERE id = $1', [1]),
        (e: unknown) => e instanceof DbError && /did not finish within 0 s \(Command Timeout\)|did not finish within \d+ s \(Command Timeout\)/.test(e.message),
      );
      assert.ok(Date.now() - t0 < 5000);
      assert.ok(srv.requests.some((q) => /SELECT slow/.test(q.sql)));
    });

    it('script batches have no command timeout (a deployment batch may run for hours)', async () => {
      await start({ handler: (q) => (/slow batch/.test(q.sql) ? { tokens: [done({ count: 3 })], delayMs: 600 } : undefined) });
      const db = await open('User Id=u;Password=p;Encrypt=false;Command Timeout=0.2');
      const r = await db.runBatch('-- slow batch\nUPDATE t SET x = 1');
      assert.deepEqual(r.rowsAffected, [3]);
    });
  });

  it('MssqlDb.config: a session leaves language, date format and first weekday to the login', () => {
    const spec = parseConnectionString('Server=h;Database=d;User Id=u;Password=p') as MssqlSpec;
    const pool = MssqlDb.config(spec).options as Record<string, unknown>;
    assert.equal(pool.language, undefined);
    const session = MssqlDb.config(spec, { session: true }).options as Record<string, unknown>;
    assert.equal(session.language, null);
    assert.equal(session.dateFormat, null);
    assert.equal(session.datefirst, null);
  });

  it("trusts the system store when the runtime gives it, plus a CA file, on top of Node's own list", () => {
    const spec = parseConnectionString('Server=h;User Id=u') as MssqlSpec;
    assert.equal(trustedCas(spec, []), undefined, "nothing extra: Node's defaults");
    const withSystem = trustedCas(spec, ['-----BEGIN CERTIFICATE-----\nSYSTEM\n-----END CERTIFICATE-----'])!;
    assert.equal(withSystem.length, tlsModule.rootCertificates.length + 1);
    const withFile = trustedCas({ ...spec, caFile: join(tlsDir, 'ca.pem') }, [])!;
    assert.equal(withFile.at(-1), pem('ca.pem'));
    assert.ok(withFile.includes(tlsModule.rootCertificates[0]!));
  });

  it('says what each TLS failure means, and nothing for other errors', () => {
    assert.match(tlsHint('Failed to connect - self-signed certificate in certificate chain')!, /TrustServerCertificate=true/);
    assert.match(tlsHint('unable to get local issuer certificate')!, /--ca-file/);
    assert.match(tlsHint("Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list")!, /another name/);
    assert.match(tlsHint('certificate has expired')!, /expired/);
    assert.match(tlsHint('routines:ssl_choose_client_version:unsupported protocol')!, /TLS 1\.0\/1\.1/);
    assert.match(tlsHint("Server requires encryption, set 'encrypt' config option to true.")!, /remove Encrypt=false/);
    assert.equal(tlsHint("Login failed for user 'u'."), undefined);
  });

  it('builds the ODBC connection string for Windows sign-in (msnodesqlv8)', () => {
    const spec = parseConnectionString('Server=sql01\\INST;Database=HDM;Trusted_Connection=yes;TrustServerCertificate=true') as MssqlSpec;
    assert.equal(odbcConnectionString(spec), 'Driver={ODBC Driver 18 for SQL Server};Server=sql01\\INST;Database=HDM;Trusted_Connection=yes;Encrypt=yes;TrustServerCertificate=yes;APP=ssd-workbench');
    const c = MssqlDb.config(spec) as { connectionString?: string; user?: string };
    assert.equal(c.connectionString, odbcConnectionString(spec));
    assert.equal(c.user, undefined);
    const ntlm = MssqlDb.config(parseConnectionString('Server=h;Domain=COUNCIL;User Id=jbloggs;Password=pw') as MssqlSpec);
    assert.deepEqual(ntlm.authentication, { type: 'ntlm', options: { domain: 'COUNCIL', userName: 'jbloggs', password: 'pw' } });
  });
});
