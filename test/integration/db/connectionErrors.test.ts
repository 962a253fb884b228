// Real connection failures of the three drivers, mapped to one readable line each
// (src/connections/connectionErrors.ts). Refused ports and a missing folder need no server; the
// login and missing-database cases use the PostgreSQL of SSD_TEST_PG.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyConnectionError, connectionErrorMessage } from '../../../src/connections/connectionErrors';
import { openDb, type OpenOptions } from '../../../src/db/openDb';

async function failure(address: string, options: OpenOptions = {}): Promise<unknown> {
  try {
    const db = await openDb(address, options);
    await db.close();
  } catch (e) {
    return e;
  }
  throw new Error(`${address} opened`);
}

describe('connection errors from the real drivers', function () {
  this.timeout(60_000);

  it('pg: a refused port names the endpoint and says what to check', async () => {
    const e = await failure('postgres://ssd@127.0.0.1:1/ssd');
    assert.equal(classifyConnectionError(e), 'unreachable');
    assert.match(connectionErrorMessage('Local PG', e), /^Could not open "Local PG" \(127\.0\.0\.1:1\): cannot reach the server\. Check the server name and port/);
  });

  it('tedious: a refused port names the endpoint', async () => {
    const e = await failure('Server=127.0.0.1,1;Database=ssd;User Id=sa;Encrypt=false', { password: 'not-a-real-one' });
    assert.equal(classifyConnectionError(e), 'unreachable');
    const m = connectionErrorMessage('Council SQL', e, ['not-a-real-one']);
    assert.match(m, /^Could not open "Council SQL" \(127\.0\.0\.1:1\): cannot reach the server\./);
    assert.doesNotMatch(m, /not-a-real-one/);
  });

  it('PGlite: a folder without a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssd-connerr-'));
    try {
      const e = await failure(`pglite:${join(dir, 'missing')}`, { create: false });
      assert.equal(classifyConnectionError(e), 'no-embedded');
      assert.match(connectionErrorMessage('Folder', e), /no embedded database in that folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const pg = process.env.SSD_TEST_PG;
  (pg ? it : it.skip)('pg: a wrong password and a missing database', async () => {
    const u = new URL(pg!);
    const login = await failure(`postgres://${u.username}@${u.host}${u.pathname}`, { password: 'definitely-wrong-h15' });
    assert.equal(classifyConnectionError(login), 'login');
    assert.doesNotMatch(connectionErrorMessage('PG', login, ['definitely-wrong-h15']), /definitely-wrong-h15/);
    const db = await failure(`postgres://${u.username}@${u.host}/no_such_db_ssd_h15`, { password: decodeURIComponent(u.password) });
    assert.equal(classifyConnectionError(db), 'database-missing');
    assert.match(connectionErrorMessage('PG', db), /^Could not open "PG": the database does not exist on that server/);
  });
});
