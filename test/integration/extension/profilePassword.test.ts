// A saved PostgreSQL profile keeps its password in the secret store, apart from the address; the
// connection must use it (pg would otherwise let the address's missing password win).
import assert from 'node:assert/strict';
import { makeProfile } from '../../../src/connections/profiles';
import { openDb } from '../../../src/db/openDb';

describe('profile passwords [postgres]', () => {
  const url = process.env.SSD_TEST_PG;
  before(function () {
    if (!url || !new URL(url).password) this.skip(); // needs SSD_TEST_PG with a password in it
  });

  it('opens with the password kept apart from the address, and fails cleanly with a wrong one', async () => {
    const { profile, password } = makeProfile({ name: 'pg', address: url! }, () => 'id');
    assert.ok(password && !profile.address.includes(`:${password}@`));
    const db = await openDb(profile.address, { password });
    try {
      assert.deepEqual(await db.query('SELECT 1 AS x'), [{ x: 1 }]);
    } finally {
      await db.close();
    }
    const wrong = 'not-the-Password-42';
    await assert.rejects(openDb(profile.address, { password: wrong }), (e: Error) => {
      assert.equal(e.name, 'ConnectionError');
      assert.ok(!e.message.includes(wrong), e.message);
      return true;
    });
  });

  it('says plainly that a password is needed when none was given', async function () {
    const { profile } = makeProfile({ name: 'pg', address: url! }, () => 'id');
    const saved = process.env.PGPASSWORD;
    const savedFile = process.env.PGPASSFILE;
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/ssd-workbench-test-pgpass'; // no ~/.pgpass either
    try {
      await assert.rejects(openDb(profile.address), (e: Error) => {
        assert.equal(e.name, 'ConnectionError');
        assert.match(e.message, /asks for a password and none was given/);
        return true;
      });
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
      if (savedFile !== undefined) process.env.PGPASSFILE = savedFile;
      else delete process.env.PGPASSFILE;
    }
  });
});
