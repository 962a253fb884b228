// The parts of the SQL Server driver that need no server: parameter typing, row normalisation,
// message and error mapping, configuration. The driver against a real server is covered by
// test/integration/db (when SSD_TEST_MSSQL is set).
import assert from 'node:assert/strict';
import sql from 'mssql';
import { bindParams, formatDate, formatTimestamp, infoToMessage, MSSQL_PACKET_SIZE, MssqlDb, rowNormaliser, sqlParamFor, toMssqlError } from '../../../src/db/mssqlDriver';
import { parseConnectionString, type MssqlSpec } from '../../../src/db/connectionSpec';
import { CancelledError, ConnectionError, DbError } from '../../../src/db/types';

const typeOf = (v: unknown) => {
  const t = sqlParamFor(v, 1).type as unknown as { type?: unknown; length?: number } | (() => unknown);
  return typeof t === 'function' ? { type: t, length: undefined } : { type: t.type, length: t.length };
};

describe('mssqlDriver: parameter types', () => {
  it('binds strings as NVARCHAR(length), long ones as NVARCHAR(MAX)', () => {
    assert.deepEqual(typeOf("O'Brien"), { type: sql.NVarChar, length: 7 });
    assert.deepEqual(typeOf('Zoë'), { type: sql.NVarChar, length: 3 });
    assert.deepEqual(typeOf(''), { type: sql.NVarChar, length: 1 });
    assert.deepEqual(typeOf('x'.repeat(4000)), { type: sql.NVarChar, length: 4000 });
    assert.deepEqual(typeOf('x'.repeat(4001)), { type: sql.NVarChar, length: sql.MAX });
    // Text that looks like a number or binary stays text.
    assert.deepEqual(typeOf('0x1A2B'), { type: sql.NVarChar, length: 6 });
    assert.deepEqual(typeOf('007'), { type: sql.NVarChar, length: 3 });
  });

  it('binds numbers as INT, BIGINT or FLOAT', () => {
    assert.equal(typeOf(0).type, sql.Int);
    assert.equal(typeOf(2147483647).type, sql.Int);
    assert.equal(typeOf(-2147483648).type, sql.Int);
    assert.equal(typeOf(2147483648).type, sql.BigInt);
    assert.equal(typeOf(Number.MAX_SAFE_INTEGER).type, sql.BigInt);
    assert.equal(typeOf(2 ** 60).type, sql.Float);
    assert.equal(typeOf(1.5).type, sql.Float);
    assert.equal(typeOf(12n).type, sql.BigInt);
    assert.throws(
      () => sqlParamFor(NaN, 3),
      (e: unknown) => e instanceof DbError && /\$3/.test(e.message),
    );
    assert.throws(() => sqlParamFor(Infinity, 1), DbError);
    assert.throws(() => sqlParamFor(2n ** 64n, 1), /BIGINT/);
  });

  it('binds booleans, dates, binary, null and JSON objects', () => {
    assert.equal(typeOf(true).type, sql.Bit);
    assert.equal(typeOf(new Date(0)).type, sql.DateTime2);
    assert.throws(() => sqlParamFor(new Date('nope'), 2), /invalid date/);
    const bin = sqlParamFor(new Uint8Array([1, 2, 3]), 1);
    assert.ok(Buffer.isBuffer(bin.value));
    assert.deepEqual([...(bin.value as Buffer)], [1, 2, 3]);
    assert.deepEqual(typeOf(Buffer.from('ab')), { type: sql.VarBinary, length: sql.MAX });
    assert.deepEqual(sqlParamFor(null, 1).value, null);
    assert.deepEqual(sqlParamFor(undefined, 1).value, null);
    assert.equal(typeOf(null).type, sql.NVarChar);
    assert.equal(sqlParamFor({ a: 1 }, 1).value, '{"a":1}');
    assert.throws(() => sqlParamFor(() => 1, 4), /\$4/);
    assert.throws(() => sqlParamFor(Symbol('x'), 1), DbError);
  });

  it('bindParams rewrites placeholders and binds exactly the ones used', () => {
    const req = new sql.Request();
    const text = bindParams(req, "SELECT $2 AS b, '$1' AS lit, $2 AS again", ['unused', 'Zoë']);
    assert.equal(text, "SELECT @p2 AS b, '$1' AS lit, @p2 AS again");
    const params = (req as unknown as { parameters: Record<string, { value: unknown }> }).parameters;
    assert.deepEqual(Object.keys(params), ['p2']);
    assert.equal(params.p2!.value, 'Zoë');
  });

  it('bindParams refuses a statement that uses more parameters than given', () => {
    assert.throws(
      () => bindParams(new sql.Request(), 'SELECT $1, $3', [1, 2]),
      (e: unknown) => e instanceof DbError && /\$3 but 2 parameters/.test(e.message),
    );
    assert.throws(() => bindParams(new sql.Request(), 'SELECT $1', []), /\$1 but 0 parameters/);
  });
});

describe('mssqlDriver: row normalisation', () => {
  it('formats dates and timestamps from UTC parts, without zone shift', () => {
    assert.equal(formatDate(new Date(Date.UTC(2024, 0, 2))), '2024-01-02');
    assert.equal(formatDate(new Date(Date.UTC(999, 11, 31))), '0999-12-31');
    assert.equal(formatTimestamp(new Date(Date.UTC(2024, 2, 31, 1, 30, 5))), '2024-03-31T01:30:05');
    assert.equal(formatTimestamp(new Date(Date.UTC(2024, 2, 31, 23, 59, 59, 120))), '2024-03-31T23:59:59.12');
    assert.equal(formatTimestamp(new Date(Date.UTC(2024, 5, 1, 0, 0, 0, 7))), '2024-06-01T00:00:00.007');
  });

  it('normalises columns by their SQL Server type', () => {
    const cols = {
      d: { name: 'd', type: sql.Date },
      dt: { name: 'dt', type: sql.DateTime },
      dt2: { name: 'dt2', type: sql.DateTime2 },
      sdt: { name: 'sdt', type: sql.SmallDateTime },
      dto: { name: 'dto', type: sql.DateTimeOffset },
      t: { name: 't', type: sql.Time },
      big: { name: 'big', type: sql.BigInt },
      hugeBig: { name: 'hugeBig', type: sql.BigInt },
      s: { name: 's', type: sql.NVarChar },
      b: { name: 'b', type: sql.VarBinary },
      n: { name: 'n', type: sql.Date },
    };
    const norm = rowNormaliser(cols);
    const row = norm({
      d: new Date(Date.UTC(2010, 6, 15)),
      dt: new Date(Date.UTC(2010, 6, 15, 13, 14, 15, 500)),
      dt2: new Date(Date.UTC(2010, 6, 15, 0, 0, 0)),
      sdt: new Date(Date.UTC(2010, 6, 15, 8, 30)),
      dto: new Date(Date.UTC(2010, 6, 15, 8, 30)),
      t: new Date(Date.UTC(1970, 0, 1, 9, 5, 7)),
      big: '9007199254740991',
      hugeBig: '9223372036854775807',
      s: '2010-07-15',
      b: Buffer.from([0xff]),
      n: null,
    });
    assert.deepEqual(row, {
      d: '2010-07-15',
      dt: '2010-07-15T13:14:15.5',
      dt2: '2010-07-15T00:00:00',
      sdt: '2010-07-15T08:30:00',
      dto: '2010-07-15T08:30:00.000Z',
      t: '09:05:07',
      big: 9007199254740991,
      hugeBig: '9223372036854775807',
      s: '2010-07-15',
      b: Buffer.from([0xff]),
      n: null,
    });
  });

  it('leaves rows alone when no column needs converting', () => {
    const r = { a: 1, s: 'x' };
    assert.equal(rowNormaliser({ a: { type: sql.Int }, s: { type: sql.NVarChar } })(r), r);
    assert.equal(rowNormaliser(undefined)(r), r);
  });
});

describe('mssqlDriver: messages and errors', () => {
  it('maps PRINT and RAISERROR ≤ 10 to notices, server warnings to warnings, keeping line numbers', () => {
    assert.deepEqual(infoToMessage({ message: 'hello', number: 0, class: 0, lineNumber: 3 }), { kind: 'notice', text: 'hello', severity: 0, line: 3 });
    assert.deepEqual(infoToMessage({ message: 'step 2', number: 50000, class: 10, lineNumber: 7, procName: 'p' }), {
      kind: 'notice',
      text: 'step 2',
      severity: 10,
      code: 50000,
      line: 7,
      procedure: 'p',
    });
    assert.equal(infoToMessage({ message: 'Warning: Null value is eliminated by an aggregate or other SET operation.', number: 8153, class: 10 }).kind, 'warning');
    assert.equal(infoToMessage({ message: "Changed database context to 'ssd'.", number: 5701, class: 0 }).kind, 'info');
  });

  it('turns a server error into a DbError with number, line and severity', () => {
    const e = toMssqlError({ name: 'RequestError', code: 'EREQUEST', message: "Invalid object name 'nope'.", number: 208, lineNumber: 3, class: 16 }, 'SQL Server h/d');
    assert.ok(e instanceof DbError);
    assert.equal(e.message, "Invalid object name 'nope'.");
    assert.deepEqual(e.details, { code: 208, line: 3, severity: 16 });
  });

  it('turns a cancelled request into CancelledError and a lost socket into ConnectionError', () => {
    assert.ok(toMssqlError({ code: 'ECANCEL', message: 'Canceled.' }, 'x') instanceof CancelledError);
    const c = toMssqlError({ code: 'ESOCKET', message: 'Connection lost - read ECONNRESET' }, 'SQL Server u@h/d');
    assert.ok(c instanceof ConnectionError);
    assert.equal(c.message, 'lost connection to SQL Server u@h/d: Connection lost - read ECONNRESET');
  });

  it('never copies a password from a driver message', () => {
    const e = toMssqlError({ code: 'EREQUEST', message: 'bad string Server=h;Password=hunter2;Database=d' }, 'x');
    assert.ok(!e.message.includes('hunter2'), e.message);
  });
});

describe('mssqlDriver: configuration', () => {
  const spec = (s: string) => parseConnectionString(s) as MssqlSpec;

  it('configures SQL authentication, TLS options, port, timeouts and the application name', () => {
    const c = MssqlDb.config(spec('Server=h,1500;Database=d;User Id=u;Password=p;Encrypt=true;TrustServerCertificate=true;Connect Timeout=9'));
    assert.equal(c.server, 'h');
    assert.equal(c.port, 1500);
    assert.equal(c.database, 'd');
    assert.equal(c.user, 'u');
    assert.equal(c.password, 'p');
    assert.equal(c.connectionTimeout, 9000);
    assert.equal(c.requestTimeout, 0);
    assert.equal(c.authentication, undefined);
    assert.deepEqual({ ...c.options }, { encrypt: true, trustServerCertificate: true, appName: 'ssd-workbench', useUTC: true, enableArithAbort: true, packetSize: MSSQL_PACKET_SIZE });
  });

  it('uses the instance name only when no port is given', () => {
    assert.equal(MssqlDb.config(spec('Server=h\\SQLEXPRESS;User Id=u')).options?.instanceName, 'SQLEXPRESS');
    const c = MssqlDb.config(spec('Server=h\\SQLEXPRESS,1500;User Id=u'));
    assert.equal(c.options?.instanceName, undefined);
    assert.equal(c.port, 1500);
  });

  it('configures Entra ID access-token authentication', () => {
    const c = MssqlDb.config(spec('Server=x.database.windows.net;Database=d;Access Token=tok.en'));
    assert.deepEqual(c.authentication, { type: 'azure-active-directory-access-token', options: { token: 'tok.en' } });
    assert.equal(c.user, undefined);
  });

  it('refuses to connect without a user or token, saying so in one line', async () => {
    await assert.rejects(MssqlDb.open(spec('Server=h;Database=d'), 'SQL Server h/d'), (e: unknown) => e instanceof ConnectionError && /no User Id= or access token/.test(e.message));
  });

  it('reports a refused connection in one line with host, database and cause, without the password', async function () {
    this.timeout(20_000);
    const s = spec('Server=127.0.0.1,9;Database=ssd;User Id=u;Password=Hunter2secret;Connect Timeout=5');
    await assert.rejects(MssqlDb.open(s, 'SQL Server u@127.0.0.1,9/ssd'), (e: unknown) => {
      assert.ok(e instanceof ConnectionError);
      assert.match(e.message, /^cannot connect to SQL Server u@127\.0\.0\.1,9\/ssd: .*(ECONNREFUSED|connect)/);
      assert.ok(!e.message.includes('Hunter2secret'));
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  });
});
