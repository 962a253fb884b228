// Bad input to the CLI gets one clear line and the exit code the README gives (2: bad usage, a bad
// address, missing tables), and changes nothing: issue 19's smaller items, on an embedded database
// directory and, when SSD_TEST_PG is set, on PostgreSQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { quoteIdent } from '../../../src/db/dialect';
import { runCli } from '../../helpers/runCli';

/** The real CLI in its own process, with how long it took to exit. */
function cliProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 90_000);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('CLI: bad input, clear answers', function () {
  this.timeout(180_000);

  it('ssd with no command prints the help and exits 2; ssd --help and ssd help exit 0', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout + r.stderr, /Usage: ssd \[options\] \[command\]/);
    assert.equal((await runCli(['--help'])).code, 0);
    assert.equal((await runCli(['help'])).code, 0);
  });

  it('a % not followed by two hex digits in a URL password: a clear error, exit 2 (not "URI malformed")', async () => {
    for (const url of ['mssql://u:p%@h/d', 'postgres://u:50%off@localhost/d']) {
      const r = await runCli(['check', '--db', url]);
      assert.equal(r.code, 2, url);
      assert.match(r.stderr, /holds a % that is not followed by two hex digits \(write a % in a password as %25\)/);
      assert.doesNotMatch(r.stderr, /URI malformed|p%|50%off/);
    }
  });

  it('--as-of must fall within 2000–2100 unless --force', async () => {
    for (const cmd of [['check'], ['stage'], ['payload', 'C1'], ['fake', '--children', '1'], ['demo', '--dir', 'memory']]) {
      const r = await runCli([...cmd, '--db', 'pglite:memory', '--as-of', '9999-12-31'].filter((a, i, xs) => !(cmd[0] === 'demo' && (a === '--db' || xs[i - 1] === '--db'))));
      assert.equal(r.code, 2, `${cmd[0]}: ${r.stderr}`);
      assert.match(r.stderr, /--as-of 9999-12-31 is outside the years 2000–2100: check the date \(pass --force if you really mean it\)/);
    }
    assert.equal((await runCli(['check', '--db', 'pglite:memory', '--as-of', '1999-12-31'])).code, 2);
    // --force accepts it: the command gets as far as the database (here: no SSD tables, exit 2 for that).
    const forced = await runCli(['check', '--db', 'pglite:memory', '--as-of', '2101-01-01', '--force']);
    assert.doesNotMatch(forced.stderr, /outside the years/);
    assert.match(forced.stderr, /holds none of the 19 SSD tables/);
  });

  it('schema names: the message states the documented rule (docs/connections.md)', async () => {
    const r = await runCli(['check', '--db', 'pglite:memory', '--schema', 'my schema']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid schema "my schema": use letters, digits, _, \$ and # only, starting with a letter or _, at most 128 characters/);
    // What the rule allows is accepted ($ and #).
    const ok = await runCli(['check', '--db', 'pglite:memory', '--schema', 'ssd$dev#1']);
    assert.doesNotMatch(ok.stderr, /invalid schema/);
  });

  const pg = process.env.SSD_TEST_PG;
  it('no PostgreSQL password: the error at once, and the process exits promptly (its socket closed)', async function () {
    if (!pg) this.skip();
    const u = new URL(pg!);
    if (!u.password) this.skip();
    u.password = '';
    const { PGPASSWORD: _ignored, ...rest } = process.env;
    const env = { ...rest, PGPASSFILE: join(tmpdir(), 'ssd-no-such-pgpass') };
    const r = await cliProcess(['check', '--db', u.toString()], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the server asks for a password and none was given/);
    // Node and tsx start in a few seconds here; the server's authentication timeout is 60 s.
    assert.ok(r.ms < 30_000, `exited after ${r.ms} ms`);
  });
});

interface Target {
  name: string;
  setup(): Promise<{ url: string; schema: string; cleanup(): Promise<void> }>;
}
const targets: Target[] = [
  {
    name: 'pglite directory',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'ssd-badinput-'));
      const url = `pglite:${join(dir, 'db')}`;
      await (await openDb(url)).close(); // a database without SSD tables
      return { url, schema: 'public', cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (process.env.SSD_TEST_PG) {
  const url = process.env.SSD_TEST_PG;
  targets.push({
    name: 'postgres',
    async setup() {
      const schema = `ssd_bad_${randomBytes(4).toString('hex')}`;
      const db = await openDb(url);
      try {
        await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
      } finally {
        await db.close();
      }
      return {
        url,
        schema,
        cleanup: async () => {
          const d = await openDb(url);
          try {
            await d.execute(`DROP SCHEMA ${quoteIdent('postgres', schema)} CASCADE`);
          } finally {
            await d.close();
          }
        },
      };
    },
  });
}

for (const target of targets) {
  describe(`CLI on a database without the SSD tables [${target.name}]`, function () {
    this.timeout(180_000);
    let url: string;
    let schema: string;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ url, schema, cleanup } = await target.setup());
    });
    after(async () => {
      await cleanup();
    });

    const tablesIn = async (s: string): Promise<string[]> => {
      const db = await openDb(url);
      try {
        return (await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [s])).map((r) => r.table_name);
      } finally {
        await db.close();
      }
    };

    it('check --schema nosuch says the schema does not exist (exit 2), not 19 missing tables', async () => {
      const r = await runCli(['check', '--db', url, '--schema', 'nosuch', '--as-of', '2026-08-10']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^ssd: schema nosuch does not exist in .*: check --schema\n$/);
      assert.equal(r.stdout, '');
    });

    it('check on a schema holding none of the SSD tables: exit 2, says so once', async () => {
      const r = await runCli(['check', '--db', url, '--schema', schema, '--as-of', '2026-08-10']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`schema ${schema} holds none of the 19 SSD tables the payload builder reads: check --schema, or create them with ssd init`));
    });

    it('stage creates nothing before the SSD tables are found (exit 2), so send has nothing to call "queued 0"', async () => {
      const r = await runCli(['stage', '--db', url, '--schema', schema, '--as-of', '2026-08-10']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`schema ${schema} lacks 19 of the 19 SSD tables the payload builder reads`));
      assert.deepEqual(await tablesIn(schema), [], 'no staging table was made');
      const s = await runCli(['send', '--db', url, '--schema', schema]);
      assert.notEqual(s.code, 0, 'send does not report success on a database that was never staged');
      assert.match(s.stderr, /there is no staging table/);
    });
  });
}
