// The editor and `ssd check` agree on the same database: on the editor's demo (made without the
// staging step, so both staging tables are missing), the Problems panel gets one diagnostic per
// finding of the check core, and the CLI reports exactly those findings and counts. (The CLI's
// `ssd demo` stages its children into ssd_api_data_staging_anon, so a check of *that* database has
// one "staging table not present yet" info fewer: a different database, not a different count.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks } from '../../../src/check/index';
import type { CheckFinding, CheckReport } from '../../../src/check/types';
import { openDb } from '../../../src/db/openDb';
import { placeFindings } from '../../../src/extension/core/checkWorkflow';
import { createDemo, demoPaths } from '../../../src/extension/core/demoStore';
import { STAGING_TABLES } from '../../../src/model/ssdModel';
import { runCli } from '../../helpers/runCli';

describe("Check Tables in the editor and ssd check agree on the editor's demo database", function () {
  this.timeout(120_000);
  const asOf = '2026-03-31';
  let root: string;
  let address: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ssd-check-agree-'));
    await createDemo(root, { children: 20, asOf });
    address = demoPaths(root).address;
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("Problems records = the core's findings = the CLI's findings, by severity and rule", async () => {
    const db = await openDb(address);
    let report: CheckReport;
    try {
      report = await runChecks(db, { schema: 'public', asOf });
    } finally {
      await db.close();
    }
    const records = [...placeFindings(report.findings, [], 'postgres', report.startedAt).byUri.values()].flat();

    const cli = await runCli(['check', '--db', address, '--schema', 'public', '--as-of', asOf, '--json', '--no-progress']);
    assert.ok(cli.code === 0 || cli.code === 1, `ssd check exited ${cli.code}: ${cli.stderr}`);
    const cliReport = JSON.parse(cli.stdout) as { summary: CheckReport['summary']; findings: CheckFinding[] };

    const bySeverity = (xs: readonly { severity: string }[]) => ({
      errors: xs.filter((x) => x.severity === 'error').length,
      warnings: xs.filter((x) => x.severity === 'warning').length,
      infos: xs.filter((x) => x.severity === 'info').length,
    });
    const rules = (xs: readonly (string | number | undefined)[]) => xs.map(String).sort();
    assert.equal(records.length, report.findings.length, 'one Problems record per core finding');
    assert.deepEqual(bySeverity(records), bySeverity(report.findings));
    assert.deepEqual(rules(records.map((r) => r.code)), rules(report.findings.map((f) => f.ruleId)));
    assert.equal(cliReport.findings.length, report.findings.length, 'ssd check lists as many findings');
    const { errors, warnings, infos } = cliReport.summary;
    assert.deepEqual({ errors, warnings, infos }, bySeverity(records), 'ssd check counts what the Problems panel shows');
    assert.deepEqual(rules(cliReport.findings.map((f) => f.ruleId)), rules(records.map((r) => r.code)));
    // The editor's demo has no staging table yet: one SSD-SCHEMA-005 per staging table, in both.
    const missing = (fs: readonly CheckFinding[]) =>
      fs
        .filter((f) => f.ruleId === 'SSD-SCHEMA-005')
        .map((f) => f.table)
        .sort();
    assert.deepEqual(missing(cliReport.findings), STAGING_TABLES.map((t) => t.name).sort());
    assert.equal(records.filter((r) => r.code === 'SSD-SCHEMA-005').length, STAGING_TABLES.length);
  });
});
