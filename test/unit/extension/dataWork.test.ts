// The pure parts of the data commands: staging table choice, fake-data targets, progress, reports,
// and the demo database's lock between editor windows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_STAGING_TABLE, fakeTargets, stagePercent, stagingReportData, stagingSummary, stagingTableFor } from '../../../src/extension/core/dataWork';
import { STAGING_DEMO_TABLE } from '../../../src/staging/demoStep';
import { acquireDemoLock, DemoLockedError, deleteDemo, demoPaths, heldByOtherProcess, readDemoInfo, releaseDemoLock } from '../../../src/extension/core/demoStore';
import type { StageFromSsdReport } from '../../../src/staging/runStage';

function report(over: Partial<StageFromSsdReport> = {}): StageFromSsdReport {
  return {
    schema: 'public',
    table: 'ssd_api_data_staging_anon',
    tableCreated: true,
    partial: false,
    hashIgnoresEntityIds: false,
    cohort: 90,
    new: 80,
    updated: 5,
    unchanged: 3,
    deleted: 2,
    deletionPayloads: 1,
    invalid: 2,
    withheldConverted: 0,
    warnings: 4,
    notStaged: 1,
    invalidChildren: [
      { personId: 'P1', rule: 'required', path: '/la_child_id' },
      { personId: 'P2', rule: 'pattern', path: '' },
    ],
    warningChildren: [{ personId: 'P3', rule: 'W1', path: '/x' }],
    seconds: 1.5,
    asOf: '2026-08-10',
    persons: 120,
    personsWithoutId: 0,
    excludedGateA: 20,
    excludedGateB: 10,
    ...over,
  };
}

describe('data commands (pure parts)', () => {
  it('stages into the anonymised table on the demo, the real one elsewhere, unless set', () => {
    assert.equal(stagingTableFor(true, 'auto'), 'ssd_api_data_staging_anon');
    assert.equal(stagingTableFor(false, 'auto'), 'ssd_api_data_staging');
    assert.equal(stagingTableFor(false, undefined), 'ssd_api_data_staging');
    assert.equal(stagingTableFor(true, 'ssd_api_data_staging'), 'ssd_api_data_staging');
    assert.equal(stagingTableFor(false, 'ssd_api_data_staging_anon'), 'ssd_api_data_staging_anon');
    assert.equal(stagingTableFor(false, 'dbo.other'), 'ssd_api_data_staging', 'an unknown value falls back to auto');
    // The editor's copy of the demo's staging table name (kept apart so activation stays light) agrees with ssd demo's.
    assert.equal(DEMO_STAGING_TABLE, STAGING_DEMO_TABLE);
  });

  it('offers fake data only to the demo and the listed dev schemas of a real connection', () => {
    assert.deepEqual(fakeTargets(undefined, ['dev'], 'public'), [{ kind: 'demo', schema: 'public', database: 'Demo database' }]);
    assert.deepEqual(
      fakeTargets({ isDemo: true, label: 'Demo database' }, ['dev'], 'public').map((t) => t.kind),
      ['demo'],
    );
    const t = fakeTargets({ isDemo: false, label: 'LA test' }, ['ssd_dev', 'SSD_DEV', 'ssd_play'], 'public');
    assert.deepEqual(
      t.map((x) => `${x.kind}:${x.database}:${x.schema}`),
      ['devSchema:LA test:ssd_dev', 'devSchema:LA test:ssd_play', 'demo:Demo database:public'],
    );
  });

  it('turns people read into a percentage that never claims 100 before the end', () => {
    assert.equal(stagePercent({ persons: 50, totalPersons: 200, children: 10 }), 25);
    assert.equal(stagePercent({ persons: 250, totalPersons: 200, children: 10 }), 99);
    assert.equal(stagePercent({ persons: 5, totalPersons: 0, children: 0 }), undefined);
  });

  it('reports staging counts, the table by row_state and submission_status, and the first problems', () => {
    const counts = [
      { rowState: 'New', submissionStatus: 'Pending', count: 78 },
      { rowState: 'New', submissionStatus: 'Error', count: 2 },
      { rowState: 'Updated', submissionStatus: 'Pending', count: 5 },
      { rowState: null, submissionStatus: null, count: 1 },
    ];
    const r = stagingReportData(report(), counts, { target: 'Demo database: pglite', schema: 'public', startedAt: new Date(0), elapsedMs: 1600 });
    assert.equal(r.outcome, 'problems');
    const count = (label: string) => r.counts.find((c) => c.label.startsWith(label))?.value;
    assert.equal(count('Invalid'), 3, 'invalid + not staged');
    assert.equal(count('Children in the cohort'), 90);
    assert.equal(count('People read'), 120);
    const byState = r.charts?.find((c) => c.title.endsWith('by row_state'));
    assert.deepEqual(byState?.bars, [
      { label: 'New', value: 80 },
      { label: 'Updated', value: 5 },
      { label: '(none)', value: 1 },
    ]);
    const byStatus = r.charts?.find((c) => c.title.endsWith('by submission_status'));
    assert.deepEqual(byStatus?.bars, [
      { label: 'Pending', value: 83 },
      { label: 'Error', value: 2 },
      { label: '(none)', value: 1 },
    ]);
    assert.deepEqual(
      r.findings?.map((f) => `${f.severity} ${f.where} ${f.rule}`),
      ['error child P1 required', 'error child P2 pattern', 'warning child P3 W1'],
    );
    assert.equal(stagingReportData(report({ invalid: 0, notStaged: 0, invalidChildren: [] }), [], { target: 't', schema: 's', startedAt: new Date(0), elapsedMs: 1 }).outcome, 'done');
    assert.equal(stagingSummary(report()), 'Staged 90 children into ssd_api_data_staging_anon: 80 new, 5 updated, 3 unchanged, 2 deleted, 3 invalid (Withheld).');
  });

  it('shows Withheld with its reason, the NULL ids not staged and the Error rows converted', () => {
    const r = stagingReportData(
      report({
        personsWithoutId: 2,
        withheldConverted: 5,
        invalidChildren: [{ personId: 'P1', rule: 'person-id-duplicate', path: '/la_child_id', message: '2 ssd_person rows have this person id' }],
      }),
      [{ rowState: 'New', submissionStatus: 'Withheld', count: 1 }],
      { target: 't', schema: 's', startedAt: new Date(0), elapsedMs: 1 },
    );
    const count = (label: string) => r.counts.find((c) => c.label.startsWith(label))?.value;
    assert.equal(count('Invalid (Withheld'), 3);
    assert.equal(count('ssd_person rows without a person id'), 2);
    assert.equal(count('Error rows of earlier versions now Withheld'), 5);
    assert.equal(r.findings![0]!.message, 'Withheld: at /la_child_id: 2 ssd_person rows have this person id');
    assert.deepEqual(r.charts?.find((c) => c.title.endsWith('by submission_status'))?.bars, [{ label: 'Withheld', value: 1 }]);
    assert.match(stagingSummary(report({ personsWithoutId: 2 })), /; 2 ssd_person rows without an id not staged\.$/);
    assert.equal(
      stagingReportData(report(), [], { target: 't', schema: 's', startedAt: new Date(0), elapsedMs: 1 }).counts.some((c) => c.label.startsWith('ssd_person rows without')),
      false,
    );
  });

  it('caps the listed problems and says how many more there are', () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ personId: `P${i}`, rule: 'r', path: '' }));
    const r = stagingReportData(report({ invalidChildren: many, warningChildren: [] }), [], { target: 't', schema: 's', startedAt: new Date(0), elapsedMs: 1 });
    assert.equal(r.findings?.length, 200);
    assert.equal(r.moreFindings, 50);
  });
});

describe('demo database store', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ssd-demo-store-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('counts a demo as present only once its READY file and data folder exist', () => {
    const p = demoPaths(root);
    assert.equal(readDemoInfo(root), undefined);
    mkdirSync(p.dataDir, { recursive: true });
    assert.equal(readDemoInfo(root), undefined, 'half-made demo');
    writeFileSync(p.ready, '{not json');
    assert.equal(readDemoInfo(root), undefined);
    writeFileSync(p.ready, JSON.stringify({ children: 30, seed: '1', asOf: '2026-08-10', createdAt: 'x', version: '0.1.0' }));
    assert.equal(readDemoInfo(root)?.children, 30);
    assert.equal(p.address, `pglite:${p.dataDir}`);
  });

  it("locks the demo for one process at a time and takes over a dead holder's lock", async () => {
    const p = demoPaths(root);
    mkdirSync(p.dir, { recursive: true });
    acquireDemoLock(root);
    assert.equal(JSON.parse(readFileSync(p.lock, 'utf8')).pid, process.pid);
    acquireDemoLock(root); // the same process again
    assert.equal(heldByOtherProcess(p.lock), false);

    // Another live process holding it.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(p.lock, JSON.stringify({ pid: child.pid }));
      assert.equal(heldByOtherProcess(p.lock), true);
      assert.throws(() => acquireDemoLock(root), DemoLockedError);
      assert.throws(() => deleteDemo(root), DemoLockedError);
      releaseDemoLock(root);
      assert.equal(heldByOtherProcess(p.lock), true, "release leaves another process's lock alone");
    } finally {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    }
    // The holder is gone: the lock is stale.
    assert.equal(heldByOtherProcess(p.lock), false);
    acquireDemoLock(root);
    releaseDemoLock(root);
    assert.equal(heldByOtherProcess(p.lock), false);
    deleteDemo(root);
    assert.equal(readDemoInfo(root), undefined);
  });
});
