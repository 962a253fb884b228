// The demo job (src/demo/job.ts) `ssd demo` and the editor's demo database both call. The demo
// makes its own embedded database (PGlite), so it runs on that target only, not forEachTarget's.
// Progress names each step as it starts and counts the fake children; an aborted signal stops it
// with CancelledError; the confirm hook is asked before an earlier demo is replaced and a no
// leaves it untouched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { runDemoJob, type DemoJobQuestion } from '../../../src/demo/job';
import type { DemoProgress } from '../../../src/demo/runDemo';

describe('demo job', function () {
  this.timeout(300000);
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'ssd-demo-job-'));
  });
  after(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('runs the chosen steps with progress; asks before replacing an earlier demo (no: untouched, yes: made again)', async () => {
    const events: DemoProgress[] = [];
    const made = await runDemoJob({ dir: 'demo', cwd: base, children: 60, asOf: '2026-08-10', steps: ['tables', 'fake data', 'summary'], fakeChunkSize: 20, onProgress: (p) => events.push(p) });
    assert.ok(made.ran);
    assert.deepEqual(made.result.steps, ['tables', 'fake data', 'summary']);
    assert.deepEqual(
      events.filter((e) => e.starting).map((e) => e.step),
      ['tables', 'fake data', 'summary'],
    );
    assert.deepEqual(
      events.filter((e) => e.step === 'fake data' && !e.starting).map((e) => e.done),
      [20, 40, 60],
    );

    const dir = join(base, 'demo');
    writeFileSync(join(dir, 'keep-me.txt'), 'x');
    const asked: DemoJobQuestion[] = [];
    const no = await runDemoJob({
      dir: 'demo',
      cwd: base,
      children: 30,
      asOf: '2026-08-10',
      confirm: (q) => {
        asked.push(q);
        return false;
      },
    });
    assert.ok(!no.ran && no.declined === 'replace');
    assert.deepEqual(asked, [{ kind: 'replace', dir }]);
    assert.ok(existsSync(join(dir, 'keep-me.txt')), 'a refused replace leaves the earlier demo as it was');

    const lines: string[] = [];
    const yes = await runDemoJob({ dir: 'demo', cwd: base, children: 30, asOf: '2026-08-10', confirm: () => true, print: (l = '') => lines.push(l) });
    assert.ok(yes.ran);
    assert.ok(yes.result.steps.includes('staging'), 'every step by default');
    assert.equal(existsSync(join(dir, 'keep-me.txt')), false, 'made again');
    assert.ok(
      lines.some((l) => /ssd_person +30$/.test(l.trimEnd())),
      lines.join('\n'),
    );
    const db = await openDb(`pglite:${join(dir, 'db')}`);
    try {
      assert.equal(Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM ssd_person'))[0]!.n), 30);
    } finally {
      await db.close();
    }
  });

  it('an aborted signal stops the demo with CancelledError before the next step', async () => {
    const ac = new AbortController();
    const started: string[] = [];
    const err = await runDemoJob({
      dir: 'memory',
      children: 200,
      asOf: '2026-08-10',
      fakeChunkSize: 50,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.starting) started.push(p.step);
        if (p.step === 'fake data' && p.done > 0) ac.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error && err.name === 'CancelledError', `expected CancelledError, got ${String(err)}`);
    assert.deepEqual(started, ['tables', 'fake data'], 'no step after the cancelled one');
  });
});
