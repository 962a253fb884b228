// Text output: grouped by table in model order, skipped rules collapsed per reason, verdict last.
import assert from 'node:assert/strict';
import { formatReport, quoteId } from '../../../src/check/format';
import type { CheckFinding, CheckReport } from '../../../src/check/types';

const f = (o: Partial<CheckFinding>): CheckFinding => ({
  ruleId: 'SSD-X-001',
  severity: 'error',
  category: 'data',
  table: 'ssd_person',
  column: null,
  count: 1,
  examples: [],
  message: 'm',
  fix: 'do this',
  ...o,
});

describe('check text output', () => {
  const report: CheckReport = {
    formatVersion: 1,
    tool: 'ssd check',
    database: 'PGlite memory',
    dialect: 'postgres',
    schema: 'public',
    asOf: '2026-11-25',
    window: { start: '2024-04-01', end: '2026-11-26' },
    startedAt: '2026-11-25T07:00:00.000Z',
    elapsedMs: 1234,
    summary: { errors: 1, warnings: 1, infos: 2, rulesRun: 10, rulesSkipped: 2 },
    verdict: 'not-fit',
    verdictText: 'Not fit to build payloads: 1 error, 1 warning. Fix the errors first.',
    tables: [
      { table: 'ssd_person', present: true, actualName: 'ssd_person', rows: 1200, role: 'builder', errors: 1, warnings: 1, infos: 0 },
      { table: 'ssd_address', present: true, actualName: 'ssd_address', rows: 5, role: 'builder', errors: 0, warnings: 0, infos: 0 },
      { table: 'ssd_sdq_scores', present: false, rows: null, role: 'builder', errors: 0, warnings: 0, infos: 2 },
    ],
    findings: [
      f({ ruleId: 'SSD-PERS-001', column: 'pers_person_id', count: 3, examples: ['', 'A 1', "B'2"], message: '3 rows: bad id' }),
      f({ ruleId: 'SSD-PERS-012', severity: 'warning', column: 'pers_sex', message: '1 row: sex' }),
      f({
        ruleId: 'SSD-SCHEMA-006',
        severity: 'info',
        category: 'schema',
        table: 'ssd_sdq_scores',
        count: 0,
        message: 'SSD-SDQ-001 not run: table ssd_sdq_scores is missing',
        skippedRule: 'SSD-SDQ-001',
      }),
      f({
        ruleId: 'SSD-SCHEMA-006',
        severity: 'info',
        category: 'schema',
        table: 'ssd_sdq_scores',
        count: 0,
        message: 'SSD-SDQ-002 not run: table ssd_sdq_scores is missing',
        skippedRule: 'SSD-SDQ-002',
      }),
    ],
  };
  const lines = formatReport(report);

  it('groups findings under their table, with example ids (quoted: an empty id shows) and the fix', () => {
    const i = lines.indexOf('ssd_person (1,200 rows)');
    assert.ok(i > 0);
    assert.match(lines[i + 1]!, /^ {2}ERROR {4}SSD-PERS-001 {2}pers_person_id {2}3 rows: bad id; e\.g\. '', 'A 1', 'B''2'$/);
    assert.equal(lines[i + 2], '           fix: do this');
    assert.match(lines[i + 3]!, /warning {2}SSD-PERS-012/);
    assert.ok(lines.includes('ssd_address (5 rows): no findings'));
  });

  it('quotes example ids, so an empty id or one with spaces is visible', () => {
    assert.deepEqual(['', 'C 3', "O'1"].map(quoteId), ["''", "'C 3'", "'O''1'"]);
  });

  it('collapses skipped rules per reason', () => {
    const i = lines.indexOf('ssd_sdq_scores (missing)');
    assert.ok(i > 0);
    assert.equal(lines[i + 1], '  info     SSD-SCHEMA-006  2 rules not run (table ssd_sdq_scores is missing): SSD-SDQ-001, SSD-SDQ-002');
  });

  it('ends with the verdict', () => {
    assert.match(lines.at(-1)!, /Not fit to build payloads/);
    assert.match(lines[0]!, /as of 2026-11-25 \(window 2024-04-01 to 2026-11-26\)/);
  });
});
