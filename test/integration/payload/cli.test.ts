// `ssd payload` end to end through the CLI entry (main), on an embedded database in a temporary
// directory and, when SSD_TEST_PG is set, on PostgreSQL in a fresh schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/runCli';
import { openDb } from '../../../src/db/openDb';
import { initTables } from '../../../src/ddl/initTables';
import { insertSsdRows, type SsdRows } from '../../helpers/ssdRows';
import { testTargets } from '../../helpers/targets';
import { quoteIdent } from '../../../src/db/dialect';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const ROWS: SsdRows = {
  ssd_person: [
    { pers_person_id: 'C1', pers_forename: "O'Brien", pers_surname: 'Zoë', pers_dob: '2015-05-01', pers_sex: 'F' },
    { pers_person_id: 'C2', pers_forename: 'Ann', pers_surname: 'Bad-Upn', pers_dob: '2014-02-03', pers_upn: 'A12345678901', pers_sex: 'M' },
    { pers_person_id: 'OLD', pers_dob: '1990-01-01' },
  ],
  ssd_cin_episodes: [
    { cine_referral_id: 'R1', cine_person_id: 'C1', cine_referral_date: '2025-01-01' },
    { cine_referral_id: 'R2', cine_person_id: 'C2', cine_referral_date: '2025-01-01' },
  ],
};

for (const target of testTargets().filter((t) => t.name !== 'mssql')) {
  describe(`ssd payload CLI [${target.name}]`, function () {
    let url = '';
    let schemaArgs: string[] = [];
    let cleanup: () => Promise<void> = async () => undefined;

    before(async function () {
      if (target.name === 'pglite') {
        const dir = mkdtempSync(join(tmpdir(), 'ssd-payload-cli-'));
        url = `pglite:${dir}`;
        const db = await openDb(url);
        await initTables(db, {});
        await insertSsdRows(db, 'public', ROWS);
        await db.close();
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        url = target.url;
        const schema = `ssd_cli_${process.pid}_${Date.now() % 100000}`;
        const db = await openDb(url);
        await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
        await initTables(db, { schema });
        await insertSsdRows(db, schema, ROWS);
        await db.close();
        schemaArgs = ['--schema', schema];
        cleanup = async () => {
          const d = await openDb(url);
          await d.execute(`DROP SCHEMA ${quoteIdent('postgres', schema)} CASCADE`);
          await d.close();
        };
      }
    });
    after(async () => cleanup());

    it("prints a valid child's payload as pretty JSON and exits 0", async () => {
      const r = await run(['payload', 'C1', '--db', url, ...schemaArgs, '--as-of', '2026-08-10']);
      assert.equal(r.code, 0, r.err);
      const json = r.out.slice(0, r.out.indexOf('\n}\n') + 2);
      const payload = JSON.parse(json);
      assert.equal(payload.child_details.surname, 'Zoë');
      assert.equal(payload.child_details.first_name, "O'Brien");
      assert.match(r.out, /^Valid: /m);
      assert.equal(json, JSON.stringify(payload, null, 2));
    });

    it('lists the problems of an invalid child without its values, exit 1', async () => {
      const r = await run(['payload', 'C2', '--db', url, ...schemaArgs, '--as-of', '2026-08-10']);
      assert.equal(r.code, 1);
      assert.match(r.out, /^Invalid: 1 problem/m);
      assert.match(
        r.out,
        /\/child_details\/unique_pupil_number {2}\[minLength\] {2}unique pupil number \(13 letters or digits\): 12 characters; at least 13 required {2}\(from ssd_person\.pers_upn\)/,
      );
      const problemLines = r.out.slice(r.out.indexOf('Invalid:'));
      assert.doesNotMatch(problemLines, /A12345678901|2014-02-03|Bad-Upn/);
    });

    it('--json prints one object with payload, problems and validity', async () => {
      const r = await run(['payload', 'C2', '--db', url, ...schemaArgs, '--as-of', '2026-08-10', '--json']);
      assert.equal(r.code, 1);
      const o = JSON.parse(r.out);
      assert.deepEqual(Object.keys(o), ['personId', 'asOf', 'window', 'inCohort', 'valid', 'payload', 'problems']);
      assert.deepEqual(o.window, { start: '2024-04-01', end: '2026-08-11' });
      assert.equal(o.valid, false);
      assert.equal(o.problems[0].path, '/child_details/unique_pupil_number');
    });

    it('says plainly which gate excludes a child, or that there is no such person; exit 1', async () => {
      const a = await run(['payload', 'OLD', '--db', url, ...schemaArgs, '--as-of', '2026-08-10']);
      assert.equal(a.code, 1);
      assert.match(a.out, /OLD is not in the cohort for as-of 2026-08-10 \(window 2024-04-01 to 2026-08-11\): excluded by gate A/);
      const m = await run(['payload', 'NOBODY', '--db', url, ...schemaArgs, '--as-of', '2026-08-10', '--json']);
      assert.equal(m.code, 1);
      assert.equal(JSON.parse(m.out).exclusion.gate, 'missing');
    });

    it('bad usage exits 2: impossible date, bad schema name', async () => {
      assert.equal((await run(['payload', 'C1', '--db', url, '--as-of', '2026-02-30'])).code, 2);
      assert.equal((await run(['payload', 'C1', '--db', url, '--schema', 'x;drop'])).code, 2);
    });

    it('a schema without the SSD tables exits 2 and names what is missing', async () => {
      const r = await run(['payload', 'C1', '--db', url, '--schema', 'no_such_schema', '--as-of', '2026-08-10']);
      assert.equal(r.code, 2);
      assert.match(r.err, /schema no_such_schema lacks 19 of the 19 SSD tables the payload builder reads: ssd_person, /);
    });
  });
}

describe('ssd payload CLI: no connection', () => {
  // Run as its own process, as users do (in-process, mocha's loader gives the lazily imported
  // driver its own copy of the error classes).
  it('exits 2 when the database cannot be reached, without printing the password', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'payload', 'C1', '--db', 'postgres://someone:s3cret@127.0.0.1:1/none', '--as-of', '2026-08-10'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot connect/);
    assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
  });
});
