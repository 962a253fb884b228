// A lost database connection is a clean stop, never a crash (issue 18, item 8): PostgreSQL
// terminates the CLI's backends (pg_terminate_backend, as a restart or a network reset would) in
// the middle of its work; the command ends with one line naming the connection and what was
// committed, exit 2, and the next run finishes the job. PostgreSQL only (SSD_TEST_PG).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freshSchema, dropSchema, type SchemaFixture } from '../../helpers/targets';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { PROBLEM_KINDS } from '../../../src/fake/cohort';
import { ensureStagingTable } from '../../../src/staging/stagingTable';
import { qualify, quoteIdent } from '../../../src/db/dialect';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', '..', '..', 'src', 'cli', 'index.ts');
const AS_OF = '2026-08-10';
const url = process.env.SSD_TEST_PG;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI in its own process; `during` runs while it works (it may kill the connection). */
function runCli(args: string[], during?: () => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSD_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    if (during)
      during().catch((e: unknown) => {
        p.kill('SIGKILL');
        reject(e);
      });
  });
}

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function until(what: string, test: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Terminate every backend of the CLI in this database (not the test's). */
async function terminateCli(): Promise<number> {
  return withClient(
    async (c) =>
      (await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ssd-workbench' AND pid <> pg_backend_pid()`)).rowCount ?? 0,
  );
}

/** Hold an exclusive lock on a table until release(); the CLI's read of it waits, then is killed. */
async function killWhileWaitingOn(table: string): Promise<() => Promise<void>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('BEGIN');
  await c.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end();
  };
}

function assertCleanStop(r: Run, what: RegExp): void {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.doesNotMatch(r.stderr, /Unhandled|node:events|\n\s+at /, 'no crash or stack trace');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, /^ssd: lost connection to PostgreSQL /);
  assert.match(lines[0]!, what);
}

(url ? describe : describe.skip)('a lost PostgreSQL connection is a clean stop [postgres]', function () {
  let f: SchemaFixture;
  let dbUrl: string;
  before(async function () {
    f = await freshSchema({ name: 'postgres', url: url! });
    dbUrl = url!;
    await generateFakeSsd(f.db, { schema: f.schema, children: 200, asOf: AS_OF, shares: Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0])) });
  });
  after(async function () {
    if (f) await dropSchema(f);
  });

  async function lockedRun(args: string[], table = 'ssd_cin_episodes'): Promise<Run> {
    const release = await killWhileWaitingOn(f.t(table));
    try {
      return await runCli(args, async () => {
        await until('the CLI to wait on the lock', () =>
          withClient(
            async (c) => ((await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ssd-workbench' AND wait_event_type = 'Lock'`)).rowCount ?? 0) > 0,
          ),
        );
        assert.ok((await terminateCli()) > 0);
      });
    } finally {
      await release();
    }
  }

  it('ssd stage: batches committed so far are kept and named, no child is marked Deleted; the next run finishes', async () => {
    const { db, schema } = f;
    const info = await ensureStagingTable(db, { schema });
    // Slow every batch down (a statement trigger on the staging table's inserts: every child is new
    // here, so each batch inserts; the run's work table is a temporary table of its own session) so
    // the kill lands mid-run.
    const fn = qualify('postgres', schema, 'slow_marks');
    await db.execute(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$`);
    await db.execute(`CREATE TRIGGER ${quoteIdent('postgres', 'slow_marks')} BEFORE INSERT ON ${info.qualified} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    const staged = async () => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${info.qualified}`))[0]!.n);
    const r = await runCli(['stage', '--db', dbUrl, '--schema', schema, '--as-of', AS_OF, '--batch-size', '5', '--table', 'ssd_api_data_staging'], async () => {
      await until('some batches to commit', async () => (await staged()) >= 20);
      assert.ok((await terminateCli()) > 0);
    });
    assertCleanStop(r, /staging batches 1–\d+ committed \([\d,]+ children\)(, batch \d+ rolled back)?, no child was marked Deleted; run it again to finish$/);
    const committed = Number(/committed \(([\d,]+) children\)/.exec(r.stderr)![1]!.replace(/,/g, ''));
    assert.equal(await staged(), committed, 'exactly the committed batches are in the table');
    await db.execute(`DROP TRIGGER ${quoteIdent('postgres', 'slow_marks')} ON ${info.qualified}`);
    const again = await runCli(['stage', '--db', dbUrl, '--schema', schema, '--as-of', AS_OF, '--table', 'ssd_api_data_staging', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const rep = JSON.parse(again.stdout) as { cohort: number; new: number; unchanged: number; deleted: number };
    assert.deepEqual([rep.new + rep.unchanged, rep.unchanged, rep.deleted], [rep.cohort, committed, 0]);
    assert.equal(await staged(), rep.cohort);
  });

  it('ssd check ends with one line and exit 2, and runs clean next time', async () => {
    const r = await lockedRun(['check', '--db', dbUrl, '--schema', f.schema, '--as-of', AS_OF]);
    assertCleanStop(r, /terminating connection|Connection terminated/);
    const again = await runCli(['check', '--db', dbUrl, '--schema', f.schema, '--as-of', AS_OF, '--json']);
    assert.notEqual(again.code, 2, again.stderr);
  });

  it('ssd stage killed before its first batch (while the safety stop counts) ends with one line and exit 2, nothing written', async () => {
    const r = await lockedRun(['stage', '--db', dbUrl, '--schema', f.schema, '--as-of', AS_OF, '--table', 'ssd_api_data_staging_anon'], 'ssd_cla_episodes');
    assertCleanStop(r, /no staging batch committed, no child was marked Deleted; run it again to finish$/);
    const again = await runCli(['stage', '--db', dbUrl, '--schema', f.schema, '--as-of', AS_OF, '--table', 'ssd_api_data_staging_anon', '--json']);
    assert.equal(again.code, 0, again.stderr);
  });

  it('ssd payload ends with one line and exit 2', async () => {
    const id = String((await f.db.query<{ id: string }>(`SELECT MIN(pers_person_id) AS id FROM ${f.t('ssd_person')}`))[0]!.id);
    const r = await lockedRun(['payload', id, '--db', dbUrl, '--schema', f.schema, '--as-of', AS_OF]);
    assertCleanStop(r, /terminating connection|Connection terminated/);
  });

  it('ssd run does not crash: the batch fails naming the lost connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssd-lost-'));
    try {
      const file = join(dir, 'count.sql');
      writeFileSync(file, `SELECT COUNT(*) FROM ${f.schema}.ssd_cin_episodes;\n`);
      const r = await lockedRun(['run', file, '--db', dbUrl]);
      // ssd run reports the failed batch in its summary and exits 2, as every command on a lost connection.
      assert.equal(r.code, 2, `exit code ${r.code} (stderr: ${r.stderr}, stdout: ${r.stdout})`);
      assert.match(r.stderr, /connection to the database was lost during the run/);
      assert.doesNotMatch(r.stderr, /Unhandled|node:events|\n\s+at /);
      assert.match(r.stderr + r.stdout, /lost connection to PostgreSQL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
