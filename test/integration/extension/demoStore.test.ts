// The extension's demo database: made in a folder with the demo's steps, READY only when
// finished, removed again when cancelled.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { CancelledError } from '../../../src/db/types';
import { createDemo, demoPaths, MAKING_LOCK_FILE, readDemoInfo } from '../../../src/extension/core/demoStore';

describe('extension demo database', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ssd-demo-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('removes an unfinished demo when cancelled', async () => {
    const ac = new AbortController();
    const steps: string[] = [];
    await assert.rejects(
      createDemo(root, {
        children: 3000,
        asOf: '2026-08-10',
        signal: ac.signal,
        onProgress: (p) => {
          steps.push(p.step);
          if (p.step === 'fake data' && p.done > 0) ac.abort();
        },
      }),
      (e: unknown) => e instanceof CancelledError || (e as Error).name === 'CancelledError',
    );
    assert.ok(steps.includes('fake data'), 'cancelled during the fake data');
    assert.equal(readDemoInfo(root), undefined);
    assert.equal(existsSync(demoPaths(root).dir), false);
  });

  it('refuses to make the demo while another live process is making it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(root, MAKING_LOCK_FILE), JSON.stringify({ pid: child.pid }));
      await assert.rejects(createDemo(root, { children: 10, asOf: '2026-08-10' }), /being made in another editor window/);
      assert.equal(existsSync(demoPaths(root).dir), false, 'nothing touched');
    } finally {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('makes the SSD tables and the fake children, then reads as ready', async () => {
    const lines: string[] = [];
    const r = await createDemo(root, { children: 40, asOf: '2026-08-10', version: 'test', print: (l = '') => lines.push(l) });
    assert.deepEqual(r.steps, ['tables', 'fake data', 'summary']);
    const info = readDemoInfo(root);
    assert.equal(info?.children, 40);
    assert.equal(info?.asOf, '2026-08-10');
    assert.equal(existsSync(join(root, MAKING_LOCK_FILE)), false, 'the making lock is given back');
    assert.ok(
      lines.some((l) => /ssd_person\s+40\b/.test(l)),
      lines.join('\n'),
    );
    const db = await openDb(demoPaths(root).address);
    try {
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM ssd_person');
      assert.equal(Number(row!.n), 40);
    } finally {
      await db.close();
    }
  });
});
