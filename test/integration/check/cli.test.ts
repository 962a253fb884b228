// `ssd check` from the command line: exit codes, JSON shape, text grouped by table with a verdict.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../../src/check/rules';
import type { CheckReport } from '../../../src/check/types';
import { runCli } from '../../helpers/runCli';
import { openDb } from '../../../src/db/openDb';
import { insertSsdRows } from '../../helpers/ssdRows';

const run = runCli;

describe('ssd check (CLI, PGlite directory)', function () {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssd-check-cli-'));
    db = `pglite:${dir}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on empty tables, with a stable JSON shape', async () => {
    assert.equal((await run(['init', '--db', db])).code, 0);
    const r = await run(['check', '--db', db, '--as-of', '2026-11-25', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as CheckReport;
    assert.equal(report.formatVersion, 1);
    assert.equal(report.tool, 'ssd check');
    assert.equal(report.asOf, '2026-11-25');
    assert.deepEqual(report.window, { start: '2024-04-01', end: '2026-11-26' });
    assert.equal(report.tables.length, 21);
    assert.equal(report.summary.errors, 0);
    assert.equal(report.verdict, 'fit');
    assert.ok(report.findings.every((f) => f.severity === 'info'));
  });

  it('exits 1 when an error is found; text groups findings by table and ends with the verdict', async () => {
    const h = await openDb(db);
    try {
      await insertSsdRows(h, 'public', {
        ssd_person: [{ pers_person_id: 'BAD ID', pers_upn_unknown: 'UN1', pers_sex: 'F', pers_ethnicity: 'WBRI', pers_dob: '2015-01-01', pers_forename: 'Zebedee' }],
      });
    } finally {
      await h.close();
    }
    const r = await run(['check', '--db', db, '--as-of', '2026-11-25']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const person = lines.indexOf('ssd_person (1 rows)');
    assert.ok(person > 0, 'a heading for ssd_person');
    assert.match(lines[person + 1]!, /ERROR\s+SSD-PERS-001\s+pers_person_id\s+1 row: .*e\.g\. 'BAD ID'$/);
    assert.match(lines[person + 2]!, /fix: /);
    assert.match(lines.at(-1)!, /Not fit to build every payload: 1 error: 1 child affected/);
    assert.doesNotMatch(r.stdout, /Zebedee|2015-01-01/, 'no names or dates of birth');
  });

  it('exits 2 on bad usage', async () => {
    assert.equal((await run(['check', '--db', db, '--as-of', '2026-02-30'])).code, 2);
    assert.equal((await run(['check', '--db', db, '--schema', 'bad schema'])).code, 2);
    assert.equal((await run(['check'])).code, 2);
    for (const bad of ['0', '5', '1.5', 'two']) {
      const r = await run(['check', '--db', db, '--parallel', bad]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--parallel must be a whole number from 1 to 4/);
    }
    assert.notEqual((await run(['check', '--db', db, '--as-of', '2026-11-25', '--parallel', '1'])).code, 2);
  });

  it('--list-rules prints the catalogue', async () => {
    const r = await run(['check', '--list-rules', '--json']);
    assert.equal(r.code, 0);
    const docs = JSON.parse(r.stdout) as { id: string; why: string }[];
    assert.deepEqual(
      docs.map((d) => d.id),
      RULES.map((x) => x.id),
    );
    const text = await run(['check', '--list-rules']);
    assert.equal(text.stdout.trim().split('\n').length, RULES.length);
  });
});
