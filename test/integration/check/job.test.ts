// The check job (src/check/job.ts) `ssd check` and the editor's Check Tables both call: progress
// steps carry a percentage and the time per table is measured; an aborted signal stops it with
// CancelledError; requireSsdTables refuses a schema holding none of the SSD tables (the editor's
// run, without it, reports the missing tables as findings). The check asks nothing: no confirm hook.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { NoSsdTablesError, runCheckJob } from '../../../src/check/job';

const AS_OF = '2026-08-10';

forEachTarget('check job', (fx) => {
  it('refuses an empty schema only with requireSsdTables', async () => {
    const { db, schema } = fx();
    await assert.rejects(runCheckJob(db, { schema, asOf: AS_OF, requireSsdTables: true }), (e: unknown) => e instanceof NoSsdTablesError && e.message.includes(schema));
    const { report } = await runCheckJob(db, { schema, asOf: AS_OF });
    assert.ok(report.findings.some((f) => f.ruleId === 'SSD-SCHEMA-001'));
  });

  it('reports each step with a percentage and times each table', async () => {
    const { db, schema } = fx();
    await generateFakeSsd(db, { schema, children: 40, asOf: AS_OF });
    const percents: Array<number | undefined> = [];
    const tables = new Set<string>();
    let clock = 0;
    const { report, times } = await runCheckJob(db, {
      schema,
      asOf: AS_OF,
      requireSsdTables: true,
      now: () => (clock += 5),
      onProgress: (p) => {
        percents.push(p.percent);
        if (p.table) tables.add(p.table);
        assert.equal(p.percent, p.total ? (p.done / p.total) * 100 : undefined);
      },
    });
    assert.equal(report.asOf, AS_OF);
    assert.ok(percents.length > 5, `${percents.length} steps`);
    assert.equal(percents.at(-1), 100);
    for (let i = 1; i < percents.length; i++) assert.ok(percents[i]! >= percents[i - 1]!);
    assert.ok(tables.has('ssd_person'));
    assert.deepEqual([...times.keys()].sort(), [...tables].sort());
    for (const ms of times.values()) assert.ok(ms > 0);
  });

  it('an aborted signal stops the checks with CancelledError', async () => {
    const { db, schema } = fx();
    const ac = new AbortController();
    let steps = 0;
    const err = await runCheckJob(db, {
      schema,
      asOf: AS_OF,
      signal: ac.signal,
      onProgress: () => {
        if (++steps === 3) ac.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error && err.name === 'CancelledError', `expected CancelledError, got ${String(err)}`);
    assert.ok(steps < 10, `stopped after ${steps} steps`);
  });
});
