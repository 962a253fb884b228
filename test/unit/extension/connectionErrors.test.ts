// Driver errors → one readable line naming the connection and what to do. The error shapes are
// those the drivers raise (recorded from pg 8, mssql 11 / tedious and PGlite through our drivers);
// test/integration/db/connectionErrors.test.ts produces the real ones.
import assert from 'node:assert/strict';
import { classifyConnectionError, connectionErrorMessage } from '../../../src/connections/connectionErrors';
import { ConnectionError } from '../../../src/db/types';

const wrap = (msg: string, cause: object) => new ConnectionError(msg, { cause });
const sysErr = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('connection errors: driver error → one readable line', () => {
  it('pg: refused, unknown host, login, missing database, no password', () => {
    const refused = wrap('cannot connect to PostgreSQL ssd@10.1.2.3:5432/ssd: connect ECONNREFUSED 10.1.2.3:5432', sysErr('connect ECONNREFUSED 10.1.2.3:5432', 'ECONNREFUSED'));
    assert.equal(classifyConnectionError(refused), 'unreachable');
    assert.equal(
      connectionErrorMessage('Live SSD', refused),
      'Could not open "Live SSD" (10.1.2.3:5432): cannot reach the server. Check the server name and port, that the server is running and that this machine can reach it (VPN, firewall).',
    );
    const host = wrap('cannot connect to PostgreSQL ssd@db.example:5432/ssd: getaddrinfo ENOTFOUND db.example', sysErr('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND'));
    assert.equal(classifyConnectionError(host), 'unknown-host');
    assert.match(connectionErrorMessage('Live SSD', host), /^Could not open "Live SSD" \(db\.example\): this machine cannot find a server of that name\./);
    const login = wrap(
      'cannot connect to PostgreSQL ssd@h/ssd: password authentication failed for user "ssd"',
      Object.assign(new Error('password authentication failed for user "ssd"'), { code: '28P01' }),
    );
    assert.equal(classifyConnectionError(login), 'login');
    assert.match(connectionErrorMessage('Test', login), /^Could not open "Test": the server refused the login\. Check the user name and password/);
    const db = wrap('cannot connect to PostgreSQL ssd@h/nope: database "nope" does not exist', Object.assign(new Error('database "nope" does not exist'), { code: '3D000' }));
    assert.equal(classifyConnectionError(db), 'database-missing');
    assert.equal(
      classifyConnectionError(
        new ConnectionError('cannot connect to PostgreSQL ssd@h/ssd: the server asks for a password and none was given (put it in PGPASSWORD or ~/.pgpass, or in the saved profile)'),
      ),
      'no-password',
    );
    assert.equal(
      classifyConnectionError(wrap('cannot connect: self-signed certificate in certificate chain', sysErr('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'))),
      'certificate',
    );
    assert.equal(classifyConnectionError(new Error('The server does not support SSL connections')), 'certificate');
  });

  it('tedious (mssql): socket, timeout, login, database, certificate', () => {
    // mssql's ConnectionError wraps tedious' (code on both, the network error under cause.errors).
    const tedious = (message: string, code: string, inner?: object) =>
      Object.assign(new Error(message), { name: 'ConnectionError', code, originalError: Object.assign(new Error(message), { code, ...(inner ? { cause: inner } : {}) }) });
    const refused = wrap(
      'cannot connect to SQL Server sa@sql01,1433/ssd: Failed to connect to sql01:1433 - Could not connect (sequence): connect ECONNREFUSED 10.0.0.5:1433',
      tedious('Failed to connect to sql01:1433 - Could not connect (sequence)', 'ESOCKET', { errors: [sysErr('connect ECONNREFUSED 10.0.0.5:1433', 'ECONNREFUSED')] }),
    );
    assert.equal(classifyConnectionError(refused), 'unreachable');
    assert.match(connectionErrorMessage('Council SQL', refused), /^Could not open "Council SQL" \(sql01:1433\): cannot reach the server\./);
    const timeout = wrap('cannot connect to SQL Server …: Failed to connect to sql01:1433 in 15000ms', tedious('Failed to connect to sql01:1433 in 15000ms', 'ETIMEOUT'));
    assert.equal(classifyConnectionError(timeout), 'timeout');
    const login = wrap("cannot connect to SQL Server …: Login failed for user 'ssd'.", tedious("Login failed for user 'ssd'.", 'ELOGIN'));
    assert.equal(classifyConnectionError(login), 'login');
    const db = wrap(
      'cannot connect to SQL Server …: Cannot open database "ssd" requested by the login. The login failed.',
      tedious('Cannot open database "ssd" requested by the login. The login failed.', 'ELOGIN'),
    );
    assert.equal(classifyConnectionError(db), 'database-missing', 'the database, not the password');
    const cert = wrap(
      'cannot connect to SQL Server …: Failed to connect to sql01:1433 - unable to verify the first certificate',
      tedious('Failed to connect to sql01:1433 - unable to verify the first certificate', 'ESOCKET', sysErr('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')),
    );
    assert.equal(classifyConnectionError(cert), 'certificate');
    assert.match(connectionErrorMessage('Council SQL', cert), /certificate is not trusted\. Set ssd\.sqlServer\.caFile/);
  });

  it('PGlite: folder in use, no database there, anything else in its own words', () => {
    assert.equal(
      classifyConnectionError(
        new ConnectionError(
          'cannot open embedded PostgreSQL at /x: /x is in use by process 123 (ssd stage): an embedded database can be opened by one process at a time. Wait for it to finish (or stop it), then try again.',
        ),
      ),
      'in-use',
    );
    assert.equal(
      classifyConnectionError(new ConnectionError('cannot open embedded PostgreSQL at /x: there is no embedded database at /x: check the path (ssd init, ssd fake or ssd demo make one)')),
      'no-embedded',
    );
    const other = new ConnectionError('cannot open embedded PostgreSQL at /x: Aborted(). Build with -sASSERTIONS for more info.');
    assert.equal(classifyConnectionError(other), 'other');
    assert.equal(connectionErrorMessage('Demo', other), 'Could not open "Demo": Aborted(). Build with -sASSERTIONS for more info.');
  });

  it('one line, never a password, never longer than 400 characters', () => {
    const e = new Error(`cannot connect to x: weird\nsecond line Password=hunter2;${'x'.repeat(600)}`);
    const m = connectionErrorMessage('P', e, ['hunter2']);
    assert.doesNotMatch(m, /\n|hunter2/);
    assert.ok(m.length <= 400);
    assert.match(connectionErrorMessage('P', 'plain string ECONNREFUSED'), /cannot reach the server/);
  });
});
