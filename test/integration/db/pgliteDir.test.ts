// An embedded (PGlite) database directory, from outside: one process at a time (a lock file beside
// it names the holder; a second process exits 2 naming it; a dead holder's lock is taken over),
// read-only commands never make a database at a mistyped path, a path that is not a database is a
// clear error (exit 2), and the database's files respect the umask. Real processes, real PGlite.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../../src/db/openDb';
import { lockPathFor, readLock } from '../../../src/db/dirLock';
import { runCli } from '../../helpers/runCli';

const here = dirname(fileURLToPath(import.meta.url));

function startHolder(url: string): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(here, 'lockHolder.ts'), url], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve(p);
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('exit', (code) => reject(new Error(`holder exited ${code} before it was ready: ${err}`)));
    p.on('error', reject);
  });
}

const exited = (p: ChildProcessWithoutNullStreams) =>
  new Promise<void>((r) => {
    if (p.exitCode !== null || p.signalCode !== null) r();
    else p.once('exit', () => r());
  });

/** The real CLI in its own process. */
function cliProcess(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    out.push(p);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
  return out;
}

describe('embedded database directory (PGlite)', function () {
  this.timeout(180_000);
  let root: string;
  let dir: string;
  let url: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ssd-pglite-dir-'));
    dir = join(root, 'db');
    url = `pglite:${dir}`;
    // Made under umask 022 (the last test looks at its files).
    const old = process.umask(0o022);
    try {
      const db = await openDb(url);
      await db.execute('CREATE TABLE t (a int)');
      await db.execute('INSERT INTO t VALUES (1)');
      await db.close();
    } finally {
      process.umask(old);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("is opened by one process at a time: a second process exits 2 naming the holder; a killed holder's lock is stale", async () => {
    const holder = await startHolder(url);
    try {
      const lock = readLock(lockPathFor(dir));
      assert.equal(lock?.pid, holder.pid, 'the lock file names the holder');
      // A second process (the real CLI) is refused, naming the holder; it does not touch the database.
      const r = cliProcess(['check', '--db', url]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`in use by process ${holder.pid} \\(node lockHolder\\.ts\\), since \\d{4}-\\d{2}-\\d{2}T`));
      assert.match(r.stderr, /one process at a time/);
      assert.equal(r.stdout, '');
      // Stage in this process (another process again) is refused the same way, and creates nothing.
      const s = await runCli(['stage', '--db', url, '--as-of', '2026-08-10']);
      assert.equal(s.code, 2);
      assert.match(s.stderr, new RegExp(`process ${holder.pid}`));
      assert.equal(readLock(lockPathFor(dir))?.pid, holder.pid, "the refused process leaves the holder's lock alone");
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
    // The holder died without cleaning up: its lock file is still there but stale (its pid is gone).
    assert.equal(readLock(lockPathFor(dir))?.pid, holder.pid);
    const db = await openDb(url);
    try {
      assert.equal(readLock(lockPathFor(dir))?.pid, process.pid, 'the stale lock was taken over');
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await db.close();
    }
    assert.equal(existsSync(lockPathFor(dir)), false, 'closing gives the lock back');
  });

  it('a holder that closes normally gives the lock back, and the next process opens it', async () => {
    const holder = await startHolder(url);
    holder.stdin.end();
    await exited(holder);
    assert.equal(existsSync(lockPathFor(dir)), false);
    const r = await runCli(['init', '--db', url]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('read-only commands never make a database at a mistyped path (exit 2)', async () => {
    const typo = join(root, 'no-such-db');
    for (const args of [['check'], ['payload', 'C1', '--as-of', '2026-08-10'], ['stage', '--as-of', '2026-08-10'], ['send']]) {
      const r = await runCli([...args, '--db', `pglite:${typo}`]);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /there is no embedded database at .*no-such-db: check the path/);
      assert.equal(existsSync(typo), false, `${args[0]} made nothing`);
      assert.equal(existsSync(lockPathFor(typo)), false);
    }
    // An empty folder is no database either, and stays empty.
    mkdirSync(typo);
    const r = await runCli(['check', '--db', `pglite:${typo}`]);
    assert.equal(r.code, 2);
    assert.deepEqual(readdirSync(typo), []);
  });

  it('a path that is not a database is a clear error, exit 2 (pglite:/proc/self, a file, a folder of other files)', async () => {
    const file = join(root, 'a-file.txt');
    writeFileSync(file, 'not a database');
    const other = join(root, 'photos');
    mkdirSync(other);
    writeFileSync(join(other, 'x.jpg'), 'x');
    const targets = [file, other, ...(existsSync('/proc/self') ? ['/proc/self'] : [])];
    for (const t of targets) {
      for (const cmd of [['check'], ['init']]) {
        const r = await runCli([...cmd, '--db', `pglite:${t}`]);
        assert.equal(r.code, 2, `${cmd[0]} ${t}: ${r.stderr}`);
        assert.match(r.stderr, /is not an embedded database \(no PG_VERSION file in it, and it is not an empty folder\): check the path/);
        assert.doesNotMatch(r.stderr, /\[object Object\]/);
      }
    }
    assert.equal(readFileSync(file, 'utf8'), 'not a database');
    assert.deepEqual(readdirSync(other), ['x.jpg']);
  });

  it('its files respect the umask: none is writable by group or others under umask 022', () => {
    // (PGlite itself writes a new database's files 0666.)
    const all = filesUnder(dir);
    const loose = all.filter((f) => (statSync(f).mode & 0o022) !== 0);
    assert.deepEqual(loose.slice(0, 5), [], `${loose.length} of ${all.length} files are group/world-writable`);
    assert.ok(all.length > 100, 'a real database was made');
  });
});
