// The embedded-database lock (src/db/dirLock.ts): counted within a process, refused naming the
// holder when another live process has it, taken over when its process is gone or it is unreadable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, DirLockedError, holdsLock, lockPathFor, otherHolder, readLock, releaseLock } from '../../../src/db/dirLock';

describe('embedded database lock file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ssd-lock-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lives beside the data folder', () => {
    assert.equal(lockPathFor(join(root, 'db')), join(root, 'db.lock'));
    assert.equal(lockPathFor(join(root, 'db') + '/'), join(root, 'db.lock'));
  });

  it('is counted within a process and removed when the last take is given back', () => {
    const f = lockPathFor(join(root, 'db'));
    acquireLock(f, 'db', 'ssd test');
    acquireLock(f, 'db', 'ssd test');
    const h = readLock(f);
    assert.equal(h?.pid, process.pid);
    assert.equal(h?.command, 'ssd test');
    assert.ok(h && !Number.isNaN(Date.parse(h.since)));
    releaseLock(f);
    assert.equal(holdsLock(f), true, 'still held once');
    releaseLock(f);
    assert.equal(existsSync(f), false);
    releaseLock(f); // giving back more than was taken is harmless
  });

  it('refuses while another live process holds it, naming it; takes over once that process is gone', async () => {
    const f = lockPathFor(join(root, 'db'));
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(f, JSON.stringify({ pid: child.pid, command: 'ssd stage', since: '2026-08-10T09:00:00.000Z' }));
      assert.throws(
        () => acquireLock(f, 'embedded PostgreSQL at x'),
        (e: unknown) => {
          assert.ok(e instanceof DirLockedError);
          assert.equal(e.name, 'ConnectionError', 'exit 2 in the CLI');
          assert.equal(
            e.message,
            `embedded PostgreSQL at x is in use by process ${child.pid} (ssd stage), since 2026-08-10T09:00:00.000Z: an embedded database can be opened by one process at a time. Wait for it to finish (or stop it), then try again.`,
          );
          return true;
        },
      );
      assert.equal(otherHolder(f)?.pid, child.pid);
      assert.equal(readLock(f)?.pid, child.pid, 'left alone');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    assert.equal(otherHolder(f), undefined, 'stale: its process is gone');
    acquireLock(f, 'x');
    assert.equal(readLock(f)?.pid, process.pid);
    releaseLock(f);
    assert.equal(existsSync(f), false);
  });

  it('takes over an unreadable lock file (a crash while it was written)', () => {
    const f = lockPathFor(join(root, 'db'));
    writeFileSync(f, '{"pid":');
    acquireLock(f, 'x');
    assert.equal(JSON.parse(readFileSync(f, 'utf8')).pid, process.pid);
    releaseLock(f);
  });
});
