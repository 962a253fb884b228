// The check against the fake-data engine: clean fake data (every problem share zero) has no
// errors, and each deliberate problem the generator injects is found by the matching rules with
// the generator's own counts.
import assert from 'node:assert/strict';
import { runChecks } from '../../../src/check/runChecks';
import type { CheckReport } from '../../../src/check/types';
import { PROBLEM_KINDS, type ProblemKind } from '../../../src/fake/cohort';
import { generateFakeSsd, type FakeSummary } from '../../../src/fake/generateFakeSsd';
import { forEachTarget } from '../../helpers/targets';

const AS_OF = '2026-11-25';
const shares = (v: number) => Object.fromEntries(PROBLEM_KINDS.map((k) => [k, v])) as Record<ProblemKind, number>;
const count = (r: CheckReport, id: string) => r.findings.find((f) => f.ruleId === id)?.count ?? 0;

forEachTarget('ssd check on clean fake data', (fx) => {
  let report: CheckReport;
  before(async function () {
    const { db, schema } = fx();
    await generateFakeSsd(db, { schema, children: 400, asOf: AS_OF, seed: 'check-clean', shares: shares(0) });
    report = await runChecks(db, { schema, asOf: AS_OF });
  });

  it('finds no errors and runs every rule', () => {
    const errors = report.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.count}`);
    assert.deepEqual(errors, []);
    assert.equal(report.summary.rulesSkipped, 0);
    assert.notEqual(report.verdict, 'not-fit');
  });

  it('finds none of the problems the generator can inject', () => {
    for (const id of [
      'SSD-PERS-011',
      'SSD-PERS-013',
      'SSD-ADDR-004',
      'SSD-CINA-004',
      'SSD-CINP-004',
      'SSD-S47E-004',
      'SSD-SDQ-007',
      'SSD-CINF-003',
      'SSD-CINE-007',
      'SSD-CINP-005',
      'SSD-S47E-005',
      'SSD-CLAP-011',
      'SSD-INVO-004',
    ]) {
      assert.equal(count(report, id), 0, id);
    }
  });
});

forEachTarget('ssd check on fake data with every problem injected', (fx) => {
  let report: CheckReport;
  let fake: FakeSummary;
  before(async function () {
    const { db, schema } = fx();
    fake = await generateFakeSsd(db, { schema, children: 600, asOf: AS_OF, seed: 'check-problems', shares: shares(0.08) });
    report = await runChecks(db, { schema, asOf: AS_OF });
  });

  it('counts each one-to-one problem exactly', () => {
    assert.ok(fake.problems.missingUpn > 0 && fake.problems.duplicateSdq > 0);
    assert.equal(count(report, 'SSD-PERS-011'), fake.problems.missingUpn, 'missing UPN');
    assert.equal(count(report, 'SSD-ADDR-004'), fake.problems.badPostcode, 'bad postcode');
    assert.equal(count(report, 'SSD-PERS-013'), fake.problems.codesAsDescriptions, 'ethnicity as description');
    assert.equal(count(report, 'SSD-SDQ-007'), fake.problems.duplicateSdq, 'duplicate SDQ');
  });

  it('finds every orphan referral (assessments, CIN plans and S47s together)', () => {
    const found = count(report, 'SSD-CINA-004') + count(report, 'SSD-CINP-004') + count(report, 'SSD-S47E-004');
    assert.equal(found, fake.problems.orphanReferral);
  });

  it('finds every end date before its start', () => {
    const ids = ['SSD-CINE-007', 'SSD-CINP-005', 'SSD-S47E-005', 'SSD-CPPL-006', 'SSD-CLAP-011', 'SSD-INVO-004'];
    assert.ok(ids.reduce((n, id) => n + count(report, id), 0) >= fake.problems.endBeforeStart);
  });

  it('reads factors stored as a JSON object or a comma list (contract D5)', () => {
    assert.ok(fake.problems.factorsAsObject > 0 && fake.problems.factorsAsCommaList > 0);
    assert.equal(count(report, 'SSD-CINF-003'), 0);
    assert.equal(count(report, 'SSD-CINF-005'), 0);
  });

  it('gives the same report with tables checked one at a time and side by side on the pool', async () => {
    const { db, schema } = fx();
    // Count the statements running at once, through a Db that forwards to the real one.
    let running = 0;
    let most = 0;
    const counted = Object.create(db) as typeof db;
    counted.query = async (sql, params) => {
      running++;
      most = Math.max(most, running);
      try {
        return await db.query(sql, params);
      } finally {
        running--;
      }
    };
    const one = await runChecks(counted, { schema, asOf: AS_OF, parallelTables: 1 });
    assert.equal(most, 1);
    most = 0;
    const two = await runChecks(counted, { schema, asOf: AS_OF, parallelTables: 2 });
    // PGlite (one connection) runs one at a time whatever is asked; a server's pool runs two.
    assert.equal(most, (db.parallelStatements ?? 1) > 1 ? 2 : 1);
    const same = (r: CheckReport) => ({ ...r, startedAt: '', elapsedMs: 0 });
    assert.deepEqual(same(two), same(one));
    assert.deepEqual(same(one), same({ ...report }));
  });
});
