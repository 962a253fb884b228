import assert from 'node:assert/strict';
import { DEMO_STEPS, runDemo, type DemoStep } from '../../../src/demo/runDemo';
import { STAGING_DEMO_TABLE } from '../../../src/staging/demoStep';
import type { StageFromSsdReport } from '../../../src/staging/runStage';

describe('demo staging step', () => {
  it('stages the fake children into the _anon table and prints the counts and one example payload', async () => {
    const lines: string[] = [];
    let report: StageFromSsdReport | undefined;
    let rows = -1;
    const check: DemoStep = {
      name: 'check',
      async run(ctx) {
        report = ctx.extra.staging as StageFromSsdReport;
        rows = Number((await ctx.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${STAGING_DEMO_TABLE}`))[0]!.n);
      },
    };
    await runDemo({ dir: 'memory', children: 120, seed: 'staging', asOf: '2026-08-10' }, (l = '') => lines.push(l), [...DEMO_STEPS, check]);
    assert.ok(report && report.cohort > 50, 'most fake children are in the cohort');
    assert.equal(report.new, report.cohort);
    assert.equal(rows, report.cohort - report.notStaged);
    const text = lines.join('\n');
    assert.match(text, new RegExp(`cohort\\s+${report.cohort}`));
    assert.match(text, /Example payload \(fake child \S+\)/);
    const start = lines.findIndex((l) => l.startsWith('Example payload'));
    const json = JSON.parse(
      lines
        .slice(start + 1)
        .join('\n')
        .split('\n\nDone')[0]!,
    );
    assert.equal(typeof json.la_child_id, 'string');
    assert.ok(json.child_details);
  });
});
