import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeSpec, parseAdoString, parseConnectionString, redactSecrets, type MssqlSpec, type PostgresSpec } from '../../../src/db/connectionSpec';
import { ConnectionError } from '../../../src/db/types';

const mssql = (s: string) => {
  const spec = parseConnectionString(s);
  assert.equal(spec.kind, 'mssql');
  return spec as MssqlSpec;
};

describe('connectionSpec: ADO.NET strings (SQL Server)', () => {
  it('parses the documented form', () => {
    const s = mssql('Server=db.example.org,1433;Database=ssd;User Id=ssd_user;Password=p@ss;Encrypt=true;TrustServerCertificate=true');
    assert.deepEqual(s, {
      kind: 'mssql',
      server: 'db.example.org',
      port: 1433,
      database: 'ssd',
      user: 'ssd_user',
      password: 'p@ss',
      encrypt: true,
      trustServerCertificate: true,
    });
  });

  it('accepts tcp:, keyword synonyms, any case and spacing, and a trailing ;', () => {
    const s = mssql(' data source = tcp:sql01,1444 ; INITIAL CATALOG=ssd_dev;uid=u;PWD=p; ');
    assert.equal(s.server, 'sql01');
    assert.equal(s.port, 1444);
    assert.equal(s.database, 'ssd_dev');
    assert.equal(s.user, 'u');
    assert.equal(s.password, 'p');
  });

  it('defaults to Encrypt=true and TrustServerCertificate=false', () => {
    const s = mssql('Server=h;User Id=u;Password=p');
    assert.equal(s.encrypt, true);
    assert.equal(s.trustServerCertificate, false);
    assert.equal(mssql('Server=h;User Id=u;Encrypt=no;TrustServerCertificate=yes').encrypt, false);
    assert.equal(mssql('Server=h;User Id=u;Encrypt=Mandatory').encrypt, true);
  });

  it('reads {braced} values with }} escapes, so ; and = may appear in a password', () => {
    const s = mssql('Server=h;User Id=u;Password={a;b=c}}d};Database=x');
    assert.equal(s.password, 'a;b=c}d');
    assert.equal(s.database, 'x');
  });

  it('reads "quoted" and \'quoted\' values with doubled-quote escapes', () => {
    assert.equal(mssql('Server=h;User Id=u;Password="a""b;c"').password, 'a"b;c');
    assert.equal(mssql("Server=h;User Id=u;Password='O''Brien;1'").password, "O'Brien;1");
  });

  it('splits a named instance off the server, with or without a port', () => {
    const a = mssql('Server=sql01\\SQLEXPRESS;Database=ssd;User Id=u');
    assert.equal(a.server, 'sql01');
    assert.equal(a.instanceName, 'SQLEXPRESS');
    assert.equal(a.port, undefined);
    const b = mssql('Server=tcp:sql01\\INST,1500;User Id=u');
    assert.equal(b.instanceName, 'INST');
    assert.equal(b.port, 1500);
    assert.equal(mssql('Server=.\\SQLEXPRESS;User Id=u').server, 'localhost');
    assert.equal(mssql('Server=(local);User Id=u').server, 'localhost');
  });

  it('reads an access token, application name and connect timeout', () => {
    const s = mssql('Server=h.database.windows.net;Database=d;Authentication=ActiveDirectoryAccessToken;Access Token=eyJ0eXAi.abc;Application Name=x;Connect Timeout=7');
    assert.equal(s.accessToken, 'eyJ0eXAi.abc');
    assert.equal(s.user, undefined);
    assert.equal(s.applicationName, 'x');
    assert.equal(s.connectTimeoutMs, 7000);
  });

  it('rejects bad input with a ConnectionError naming the problem', () => {
    const bad: [string, RegExp][] = [
      ['Server=h,99999;User Id=u', /port/],
      ['Server=h,abc;User Id=u', /port/],
      ['Server=h;Domain=LA', /Domain=LA needs User Id=/],
      ['Server=h;User Id=u;Lock Timeout=soon', /Lock Timeout/],
      ['Server=h;User Id=u;Command Timeout=-1', /Command Timeout/],
      ['Server=h;Password={abc', /unterminated/],
      ['Server=h;Password="abc', /unterminated/],
      ['Server=h;Password={a}b;User Id=u', /unexpected text/],
      ['Server=h;Database', /no value/],
      ['Server=h;Database;User Id=u', /no value/],
      ['Server=h;Encrypt=maybe', /boolean/],
      ['Server=h;User Id=u;Connect Timeout=soon', /timeout/],
      ['Server=h;Authentication=ActiveDirectoryDefault;User Id=u', /access token/],
      ['Database=d;Server=', /Server=/],
    ];
    for (const [text, re] of bad) {
      assert.throws(
        () => parseConnectionString(text),
        (e: unknown) => e instanceof ConnectionError && re.test(e.message),
        text,
      );
    }
  });

  it('reads Windows sign-in (Trusted_Connection / Integrated Security) and Windows accounts for NTLM (issue 11)', () => {
    for (const text of ['Server=h;Database=d;Integrated Security=SSPI', 'Server=h;Database=d;Trusted_Connection=yes', 'Server=h;Integrated Security=true;User Id=ignored']) {
      const s = mssql(text);
      assert.equal(s.integrated, true, text);
      assert.equal(s.user, undefined, text);
      assert.equal(s.domain, undefined, text);
    }
    assert.equal(mssql('Server=h;Trusted_Connection=no;User Id=u').integrated, undefined);
    assert.equal(describeSpec(mssql('Server=h;Database=d;Trusted_Connection=yes')), 'SQL Server (Windows sign-in)@h/d');
    const a = mssql('Server=h;Database=d;Domain=COUNCIL;User Id=jbloggs;Password=pw');
    assert.deepEqual([a.domain, a.user, a.password, a.integrated], ['COUNCIL', 'jbloggs', 'pw', undefined]);
    const b = mssql('Server=h;Database=d;User Id=COUNCIL\\jbloggs;Password=pw');
    assert.deepEqual([b.domain, b.user], ['COUNCIL', 'jbloggs']);
    assert.equal(describeSpec(b), 'SQL Server COUNCIL\\jbloggs@h/d');
    // An explicit Windows account with a password is NTLM even when Integrated is also said.
    const c = mssql('Server=h;Integrated Security=SSPI;User Id=COUNCIL\\jbloggs;Password=pw');
    assert.deepEqual([c.integrated, c.domain, c.user], [undefined, 'COUNCIL', 'jbloggs']);
    const u = mssql('mssql://COUNCIL%5Cjbloggs:pw@h/d');
    assert.deepEqual([u.domain, u.user, u.password], ['COUNCIL', 'jbloggs', 'pw']);
    assert.equal(mssql('mssql://h/d?trustedConnection=yes').integrated, true);
  });

  it('reads Lock Timeout, Command Timeout (seconds, 0 = no limit) and the ODBC driver', () => {
    const s = mssql('Server=h;User Id=u;Lock Timeout=30;Command Timeout=0;Driver={ODBC Driver 17 for SQL Server}');
    assert.equal(s.lockTimeoutMs, 30_000);
    assert.equal(s.commandTimeoutMs, 0);
    assert.equal(s.odbcDriver, 'ODBC Driver 17 for SQL Server');
    assert.equal(mssql('mssql://u@h/d?lockTimeout=5&commandTimeout=60').lockTimeoutMs, 5000);
  });

  it('parseAdoString keeps the last value of a repeated keyword and lower-cases keys', () => {
    const kv = parseAdoString('A=1;a=2;  Multi   Word = x ');
    assert.equal(kv.get('a'), '2');
    assert.equal(kv.get('multi word'), 'x');
  });
});

describe('connectionSpec: URLs and other forms', () => {
  it('parses mssql:// URLs with percent-encoded secrets, instance and options', () => {
    const s = mssql('mssql://ssd%40user:p%40ss%3Bw@sql01:1444/SQLEXPRESS/ssd?encrypt=false&trustServerCertificate=true&connectTimeout=5');
    assert.equal(s.user, 'ssd@user');
    assert.equal(s.password, 'p@ss;w');
    assert.equal(s.server, 'sql01');
    assert.equal(s.port, 1444);
    assert.equal(s.instanceName, 'SQLEXPRESS');
    assert.equal(s.database, 'ssd');
    assert.equal(s.encrypt, false);
    assert.equal(s.trustServerCertificate, true);
    assert.equal(s.connectTimeoutMs, 5000);
    const t = mssql('sqlserver://u:p@h/db');
    assert.equal(t.database, 'db');
    assert.equal(t.encrypt, true);
    assert.throws(() => parseConnectionString('mssql://u:p@h/db?connectTimeout=-1'), ConnectionError);
    assert.throws(() => parseConnectionString('mssql://h:99999/db'), ConnectionError);
  });

  it('parses postgres:// and postgresql:// URLs, keeping the URL for pg', () => {
    const s = parseConnectionString('postgres://ssd:s3cret@db.local:5433/ssd_test?sslmode=require') as PostgresSpec;
    assert.equal(s.kind, 'postgres');
    assert.equal(s.url, 'postgres://ssd:s3cret@db.local:5433/ssd_test?sslmode=require');
    assert.equal(s.host, 'db.local');
    assert.equal(s.port, 5433);
    assert.equal(s.database, 'ssd_test');
    assert.equal(s.user, 'ssd');
    const t = parseConnectionString('postgresql://h/db') as PostgresSpec;
    assert.equal(t.kind, 'postgres');
    assert.equal(t.database, 'db');
    assert.equal(t.port, undefined);
  });

  it('takes postgres: / pg: / postgresql: to mean the PG* environment variables', () => {
    for (const s of ['postgres:', 'pg:', 'PostgreSQL:']) assert.deepEqual(parseConnectionString(s), { kind: 'postgres', url: null });
  });

  it('parses the pglite forms', () => {
    for (const s of ['pglite:memory', 'pglite:', 'pglite://memory', 'PGLITE:MEMORY']) assert.deepEqual(parseConnectionString(s), { kind: 'pglite', dataDir: null });
    assert.deepEqual(parseConnectionString('pglite:./ssd-db'), { kind: 'pglite', dataDir: './ssd-db' });
    assert.deepEqual(parseConnectionString('pglite:///var/tmp/ssd'), { kind: 'pglite', dataDir: '/var/tmp/ssd' });
    assert.deepEqual(parseConnectionString('pglite:C:\\data\\ssd'), { kind: 'pglite', dataDir: 'C:\\data\\ssd' });
  });

  it('rejects empty and unrecognised addresses', () => {
    for (const s of ['', '   ', 'nonsense', 'mysql://u:p@h/db', 'http://example.org']) {
      assert.throws(() => parseConnectionString(s), ConnectionError, JSON.stringify(s));
    }
  });
});

describe('connectionSpec: describeSpec and redactSecrets never show a secret', () => {
  const password = 'Zx9!secret;pw';
  const forms = [
    `Server=h,1433;Database=d;User Id=u;Password={${password.replace(/}/g, '}}')}};Encrypt=true`,
    `mssql://u:${encodeURIComponent(password)}@h:1433/d`,
    `postgres://u:${encodeURIComponent(password)}@h:5432/d`,
  ];

  it('describes each kind with host, port and database but no password', () => {
    for (const f of forms) {
      const d = describeSpec(parseConnectionString(f));
      assert.ok(!d.includes(password) && !d.includes('secret'), d);
      assert.match(d, /\bh\b/);
      assert.match(d, /\/d$/);
    }
    assert.equal(describeSpec(mssql('Server=h;Database=d;Access Token=tok-secret-123')), 'SQL Server (Entra ID token)@h/d');
    assert.equal(describeSpec({ kind: 'pglite', dataDir: null }), 'embedded PostgreSQL (in memory)');
    assert.equal(describeSpec({ kind: 'pglite', dataDir: '/x' }), 'embedded PostgreSQL at /x');
  });

  it('describes the PG* environment form from the environment, without PGPASSWORD', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { PGHOST: 'envhost', PGPORT: '6543', PGDATABASE: 'envdb', PGUSER: 'envuser', PGPASSWORD: 'env-secret' });
      const d = describeSpec({ kind: 'postgres', url: null });
      assert.equal(d, 'PostgreSQL envuser@envhost:6543/envdb (from PG* environment)');
    } finally {
      for (const k of ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('redacts Password=, PWD= and Access Token= values in every quoting style', () => {
    const cases = [
      'Server=h;Password=plainpw;User Id=u',
      'Server=h;PWD={br;ac}}ed};User Id=u',
      'Server=h;Password="quo""ted;x";User Id=u',
      "Server=h;password = 'sin''gle;y';User Id=u",
      'Server=h;Access Token=eyJhbGciOi.tok;Database=d',
      'Server=h;AccessToken=eyJhbGciOi.tok',
    ];
    for (const c of cases) {
      const r = redactSecrets(c);
      assert.ok(!/plainpw|br;ac|ac}}ed|quo|ted;x|sin|gle;y|eyJ|tok/.test(r), r);
      assert.match(r, /=\*\*\*/);
      assert.ok(r.startsWith('Server=h;'), r);
    }
  });

  it('redacts passwords in URLs and any explicitly named secret', () => {
    assert.equal(redactSecrets('connect postgres://u:s3cret@h/db failed'), 'connect postgres://u:***@h/db failed');
    assert.equal(redactSecrets('mssql://u:p%40ss@h:1433/d'), 'mssql://u:***@h:1433/d');
    assert.equal(redactSecrets('login failed for hunter22 today', ['hunter22']), 'login failed for *** today');
    assert.equal(redactSecrets('no secrets here'), 'no secrets here');
  });

  it('property: a password in an ADO string never survives redaction or description', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 24 }).filter((p) => /^[\x21-\x7e]+$/.test(p) && /[a-z]{4}/i.test(p)),
        (pw) => {
          const text = `Server=h;Database=d;User Id=u;Password={${pw.replace(/}/g, '}}')}}`;
          const spec = mssql(text);
          assert.equal(spec.password, pw);
          assert.ok(!describeSpec(spec).includes(pw));
          assert.ok(!redactSecrets(text).includes(pw), redactSecrets(text));
        },
      ),
    );
  });
});
