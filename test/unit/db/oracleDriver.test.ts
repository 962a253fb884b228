import assert from 'node:assert/strict';
import { OracleDb, bindParams, oracleStatementText } from '../../../src/db/oracleDriver';
import { rewriteOraclePlaceholders } from '../../../src/db/oracleParams';
import { parseConnectionString, describeSpec, type OracleSpec } from '../../../src/db/connectionSpec';
import { CancelledError, ConnectionError, DbError } from '../../../src/db/types';
import { FakeOracledb, OraError } from '../../helpers/fakeOracledb';

const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;
const open = (fake: FakeOracledb, password = 'pw') => OracleDb.open(spec, describeSpec(spec), { driver: fake, password });

describe('oracle: connection strings', () => {
  it('parses oracle:// URLs, EZConnect and descriptors', () => {
    assert.deepEqual(parseConnectionString('oracle://ssd:p%40ss@db01:1522/ORCLPDB1'), {
      kind: 'oracle',
      connectString: 'db01:1522/ORCLPDB1',
      host: 'db01',
      port: 1522,
      service: 'ORCLPDB1',
      user: 'ssd',
      password: 'p@ss',
    });
    assert.deepEqual(parseConnectionString('ssd@db01:1521/FREEPDB1'), { kind: 'oracle', connectString: 'db01:1521/FREEPDB1', host: 'db01', port: 1521, service: 'FREEPDB1', user: 'ssd' });
    assert.deepEqual(parseConnectionString('db01.council.local/AZEUS'), { kind: 'oracle', connectString: 'db01.council.local:1521/AZEUS', host: 'db01.council.local', service: 'AZEUS' });
    const d = parseConnectionString('oracle:(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db02)(PORT=1530))(CONNECT_DATA=(SERVICE_NAME=SSD)))') as OracleSpec;
    assert.equal(d.host, 'db02');
    assert.equal(d.port, 1530);
    assert.equal(d.service, 'SSD');
    assert.match(d.connectString, /^\(DESCRIPTION=/);
  });

  it('describes without the password, naming host and service', () => {
    const text = describeSpec(parseConnectionString('oracle://ssd:secret@db01:1521/FREEPDB1'));
    assert.equal(text, 'Oracle ssd@db01:1521/FREEPDB1');
  });

  it('rejects an address without a service or host', () => {
    assert.throws(() => parseConnectionString('oracle://ssd@db01:1521'), /no service name/);
    assert.throws(() => parseConnectionString('oracle://'), ConnectionError);
    assert.throws(() => parseConnectionString('db01:99999/X'), /invalid port/);
  });
});

describe('oracle: placeholders', () => {
  it('rewrites $n to :bn outside strings, q-quotes, quoted names and comments', () => {
    const sql = `SELECT $1, '$2', q'[it's $3]', nq'{$4}', "A$5", v$session, x -- $6\n/* $7 */ FROM t WHERE a = $1 AND b = $8`;
    const r = rewriteOraclePlaceholders(sql);
    assert.equal(r.text, `SELECT :b1, '$2', q'[it's $3]', nq'{$4}', "A$5", v$session, x -- $6\n/* $7 */ FROM t WHERE a = :b1 AND b = :b8`);
    assert.deepEqual(r.indexes, [1, 8]);
    assert.deepEqual(r.order, [1, 1, 8]);
  });

  it('binds booleans as 1/0, undefined as NULL, and complains about a missing parameter', () => {
    assert.deepEqual(bindParams('SELECT $1, $2, $3 FROM dual', [true, undefined, 'x']).binds, { b1: 1, b2: null, b3: 'x' });
    assert.throws(() => bindParams('SELECT $2 FROM dual', ['a']), DbError);
  });

  it('drops a trailing ; after SQL but keeps PL/SQL blocks whole', () => {
    assert.equal(oracleStatementText('SELECT 1 FROM dual;  '), 'SELECT 1 FROM dual');
    assert.equal(oracleStatementText('\n-- note\nSELECT 1 FROM dual;'), '\n-- note\nSELECT 1 FROM dual');
    assert.equal(oracleStatementText('-- c\nDECLARE x NUMBER; BEGIN NULL; END;'), '-- c\nDECLARE x NUMBER; BEGIN NULL; END;');
    assert.equal(oracleStatementText('BEGIN NULL; END;'), 'BEGIN NULL; END;');
    assert.equal(oracleStatementText('create or replace procedure p as begin null; end;'), 'create or replace procedure p as begin null; end;');
  });
});

describe('oracle: driver against a scripted oracledb', () => {
  it('opens a pool with the session set-up, and reads rows with lower-case keys and dates as text', async () => {
    const fake = new FakeOracledb().on(/FROM ssd_person/i, (_sql, binds) => ({
      columns: [
        { name: 'PERSON_ID', type: 'VARCHAR2' },
        { name: 'DOB', type: 'DATE' },
        { name: 'SEEN', type: 'TIMESTAMP' },
        { name: 'N', type: 'NUMBER' },
      ],
      rows: [[(binds as Record<string, unknown>).b1, '2015-03-31', '2024-01-02T10:11:12.5', 7]],
    }));
    const db = await open(fake);
    try {
      const rows = await db.query('SELECT person_id, dob, seen, n FROM ssd_person WHERE person_id = $1', ['P1']);
      assert.deepEqual(rows, [{ person_id: 'P1', dob: '2015-03-31', seen: '2024-01-02T10:11:12.500', n: 7 }]);
      const q = fake.calls.find((c) => /ssd_person/.test(c.sql))!;
      assert.equal(q.sql, 'SELECT person_id, dob, seen, n FROM ssd_person WHERE person_id = :b1');
      assert.deepEqual(q.binds, { b1: 'P1' });
      assert.equal(q.options?.autoCommit, true);
      assert.equal(fake.poolConfigs[0]!.user, 'ssd');
      assert.equal(fake.poolConfigs[0]!.connectString, 'db.example.org:1521/FREEPDB1');
      assert.equal(db.defaultSchema, 'SSD');
    } finally {
      await db.close();
    }
  });

  it("without the session set-up the fake gives Oracle's default date text (so the test above can fail)", async () => {
    const fake = new FakeOracledb().on(/FROM x/, () => ({ columns: [{ name: 'D', type: 'DATE' }], rows: [['2015-03-31']] }));
    const conn = await (await fake.createPool({})).getConnection();
    const r = await conn.execute('SELECT d FROM x', {}, { outFormat: fake.OUT_FORMAT_OBJECT, fetchTypeHandler: () => ({ type: fake.STRING }) });
    assert.deepEqual(r.rows, [{ D: '31-MAR-15' }]);
  });

  it('streams in batches of the requested size and closes the result set when the loop breaks', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [i]);
    const fake = new FakeOracledb().on(/FROM big/, () => ({ columns: [{ name: 'I', type: 'NUMBER' }], rows }));
    const db = await open(fake);
    try {
      const seen: number[] = [];
      for await (const r of db.stream<{ i: number }>('SELECT i FROM big', [], { batchSize: 10 })) seen.push(r.i);
      assert.equal(seen.length, 25);
      assert.deepEqual(fake.fetches, [10, 10, 5]);
      for await (const r of db.stream<{ i: number }>('SELECT i FROM big', [], { batchSize: 10 })) {
        if (r.i === 3) break;
      }
      assert.equal(fake.resultSetsClosed, 2);
    } finally {
      await db.close();
    }
  });

  it('commits a transaction, and rolls it back on error', async () => {
    const fake = new FakeOracledb()
      .on(/^INSERT/, () => ({ rowsAffected: 1 }))
      .on(/^UPDATE/, () => {
        throw new OraError(1, 'unique constraint (SSD.PK) violated');
      });
    const db = await open(fake);
    try {
      await db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t VALUES ($1)', [1]);
      });
      assert.deepEqual(fake.committedWork, ['INSERT INTO t VALUES (:b1)']);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO t VALUES ($1)', [2]);
          await tx.execute('UPDATE t SET a = 1');
        }),
        (e: unknown) => e instanceof DbError && e.details.code === 'ORA-00001',
      );
      assert.deepEqual(fake.committedWork, ['INSERT INTO t VALUES (:b1)']);
      assert.equal(
        fake.connections.reduce((n, c) => n + c.rolledBack, 0),
        1,
      );
    } finally {
      await db.close();
    }
  });

  it('bulk-binds with executeMany by position', async () => {
    const stored: unknown[][] = [];
    const fake = new FakeOracledb().on(/^INSERT INTO T/, (_s, b) => {
      stored.push(b as unknown[]);
      return { rowsAffected: 1 };
    });
    const db = await open(fake);
    try {
      const n = await db.executeMany('INSERT INTO T (A, B) VALUES ($1, $2)', [
        [1, true],
        [2, undefined],
      ]);
      assert.equal(n, 2);
      assert.deepEqual(stored, [
        [1, 1],
        [2, null],
      ]);
    } finally {
      await db.close();
    }
  });

  it('reports ORA- codes with the line of the error offset', async () => {
    const sql = 'SELECT a\nFROM missing_table';
    const fake = new FakeOracledb().on(/missing_table/, () => {
      throw new OraError(942, 'table or view does not exist', sql.indexOf('missing'));
    });
    const db = await open(fake);
    try {
      await assert.rejects(db.query(sql), (e: unknown) => e instanceof DbError && e.details.code === 'ORA-00942' && e.details.line === 2 && /ORA-00942/.test(e.message));
      // A statement the fake has not been scripted for is the server's ORA-00900, not silence.
      await assert.rejects(db.query('SELEC 1 FROM dual'), /ORA-00900/);
    } finally {
      await db.close();
    }
  });

  it("runBatch drops SQL*Plus's ; , passes DBMS_OUTPUT lines on, and cancel() breaks the statement", async () => {
    const lines = ['hello', 'world'];
    let release: () => void = () => undefined;
    const fake = new FakeOracledb()
      .on(/DBMS_OUTPUT.ENABLE/, () => ({}))
      .on(/DBMS_OUTPUT.GET_LINE/, () => (lines.length ? { outBinds: { line: lines.shift(), status: 0 } } : { outBinds: { line: null, status: 1 } }))
      .on(/^UPDATE t/, () => ({ rowsAffected: 3 }))
      .on(
        /^BEGIN slow/,
        () =>
          new Promise<{ rowsAffected: number }>((res) => {
            release = () => res({ rowsAffected: 0 });
          }),
      );
    const db = await open(fake);
    try {
      const msgs: string[] = [];
      const r = await db.runBatch('UPDATE t SET a = 1;', { onMessage: (m) => msgs.push(m.text) });
      assert.deepEqual(r.rowsAffected, [3]);
      assert.deepEqual(msgs, ['hello', 'world']);
      assert.ok(fake.calls.some((c) => c.sql === 'UPDATE t SET a = 1'));
      const running = db.runBatch('BEGIN slow; END;');
      await new Promise((res) => setTimeout(res, 10));
      await db.cancel();
      await assert.rejects(running, CancelledError);
      assert.equal(fake.breaks, 1);
      release();
    } finally {
      await db.close();
    }
  });

  it('a failed connection is one line naming host, service and cause, without the password', async () => {
    const fake = new FakeOracledb();
    fake.connectError = new OraError(1017, 'invalid credential or not authorized; logon denied');
    await assert.rejects(open(fake, 'Sup3rSecret'), (e: unknown) => {
      assert.ok(e instanceof ConnectionError);
      assert.equal(e.message, 'cannot connect to Oracle ssd@db.example.org:1521 service FREEPDB1: the server refused the user name or password (ORA-01017)');
      return true;
    });
    const fake2 = new FakeOracledb();
    fake2.connectError = Object.assign(new Error('NJS-518: cannot connect to Oracle Database. Service "NOPE" is not registered with the listener at host db port 1521. (CONNECTION_ID=x)'), {
      code: 'NJS-518',
    });
    await assert.rejects(open(fake2), /service FREEPDB1: the listener does not know service FREEPDB1 \(NJS-518\)$/);
    const saved = process.env.SSD_ORACLE_PASSWORD;
    delete process.env.SSD_ORACLE_PASSWORD;
    try {
      await assert.rejects(OracleDb.open(spec, 'x', { driver: new FakeOracledb() }), (e: unknown) => e instanceof ConnectionError && /none was given \(set SSD_ORACLE_PASSWORD/.test(e.message));
      process.env.SSD_ORACLE_PASSWORD = 'from-env';
      const f3 = new FakeOracledb();
      await (await OracleDb.open(spec, 'x', { driver: f3 })).close();
      assert.equal(f3.poolConfigs[0]!.password, 'from-env');
    } finally {
      if (saved === undefined) delete process.env.SSD_ORACLE_PASSWORD;
      else process.env.SSD_ORACLE_PASSWORD = saved;
    }
  });

  it('a session keeps one connection for every statement', async () => {
    const fake = new FakeOracledb().on(/FROM dual/, () => ({ columns: [{ name: 'X', type: 'NUMBER' }], rows: [[1]] }));
    const db = await open(fake);
    try {
      const s = await db.session!();
      await s.query('SELECT 1 x FROM dual');
      await s.query('SELECT 1 x FROM dual');
      const ids = fake.calls.filter((c) => /dual/.test(c.sql)).map((c) => c.conn);
      assert.equal(new Set(ids).size, 1);
      await s.close();
    } finally {
      await db.close();
    }
  });
});

describe('oracle: bulkInsert', () => {
  it('inserts in executeMany chunks with quoted upper-case names', async () => {
    const { bulkInsert } = await import('../../../src/db/bulkInsert');
    const stored: unknown[][] = [];
    const fake = new FakeOracledb().on(/^INSERT INTO "SSD"\."SSD_PERSON"/, (_s, b) => {
      stored.push(b as unknown[]);
      return { rowsAffected: 1 };
    });
    const db = await open(fake);
    try {
      const rows = Array.from({ length: 5 }, (_, i) => [`P${i}`, i % 2 === 0]);
      assert.equal(await db.transaction((tx) => bulkInsert(tx, 'oracle', 'ssd', 'ssd_person', ['person_id', 'flag'], rows, { maxRowsPerStatement: 2 })), 5);
      const many = fake.calls.filter((c) => c.many);
      assert.deepEqual(
        many.map((c) => (c.binds as unknown[]).length),
        [2, 2, 1],
      );
      assert.equal(many[0]!.sql, 'INSERT INTO "SSD"."SSD_PERSON" ("PERSON_ID", "FLAG") VALUES (:b1, :b2)');
      assert.deepEqual(stored[4], ['P4', 1]);
      assert.equal(fake.committedWork.length, 3);
    } finally {
      await db.close();
    }
  });
});

describe('oracle: profiles and connection error classes', () => {
  it('a saved Oracle profile keeps its password out of the address', async () => {
    const { makeProfile } = await import('../../../src/connections/profiles');
    const r = makeProfile({ name: 'Azeus', address: 'oracle://ssd:s3cret@db01:1521/AZEUS' }, () => 'id1');
    assert.equal(r.profile.kind, 'oracle');
    assert.equal(r.password, 's3cret');
    assert.doesNotMatch(r.profile.address, /s3cret/);
  });

  it("ORA-/NJS- codes map to the editor's problem classes", async () => {
    const { classifyConnectionError } = await import('../../../src/connections/connectionErrors');
    assert.equal(classifyConnectionError(new OraError(1017, 'invalid credential or not authorized; logon denied')), 'login');
    assert.equal(classifyConnectionError(Object.assign(new Error('NJS-518: cannot connect'), { code: 'NJS-518' })), 'database-missing');
    assert.equal(classifyConnectionError(Object.assign(new Error('NJS-503: connection to host 127.0.0.1 port 1 could not be established'), { code: 'NJS-503' })), 'unreachable');
  });
});
