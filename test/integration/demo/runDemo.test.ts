import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { BUILDER_TABLES, SSD_TABLES } from '../../../src/model/ssdModel';
import { DEMO_MARK_FILE, DEMO_STEPS, runDemo, type DemoStep } from '../../../src/demo/runDemo';

describe('ssd demo (runDemo)', function () {
  this.timeout(300000);
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'ssd-demo-test-'));
  });
  after(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('creates an embedded database in a directory, builds the tables, fills fake children and prints a summary', async () => {
    const lines: string[] = [];
    const r = await runDemo({ dir: 'demo-db', cwd: base, children: 300, asOf: '2026-08-10' }, (l = '') => lines.push(l));
    assert.deepEqual(r.steps.slice(0, 3), ['tables', 'fake data', 'summary']);
    assert.deepEqual(
      r.steps,
      DEMO_STEPS.map((s) => s.name),
    );
    assert.equal(r.dir, join(base, 'demo-db'));
    assert.ok(existsSync(join(base, 'demo-db', DEMO_MARK_FILE)));
    assert.equal(r.tableRows.ssd_person, 300);
    for (const t of BUILDER_TABLES) assert.ok(t.name in r.tableRows, t.name);
    assert.ok(Object.keys(r.tableRows).length > BUILDER_TABLES.length);
    assert.equal(r.fake?.children, 300);
    const text = lines.join('\n');
    assert.match(text, /embedded PostgreSQL \(PGlite\) in .*demo-db/);
    assert.match(text, /\* ssd_person +300\n/);
    assert.match(text, /Cohort hints \(reporting window 2024-04-01 to 2026-08-11\)/);
    assert.match(text, /looked after/);
    assert.doesNotMatch(text, /undefined|NaN/);
    // The database is really there: reopen it.
    const db = await openDb(r.url);
    try {
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM ssd_cin_episodes');
      assert.equal(Number(row!.n), r.tableRows.ssd_cin_episodes);
    } finally {
      await db.close();
    }
  });

  it('recreates the directory fresh on the next run', async () => {
    const r = await runDemo({ dir: 'demo-db', cwd: base, children: 120, asOf: '2026-08-10' }, () => undefined);
    assert.equal(r.tableRows.ssd_person, 120);
    assert.deepEqual(Object.keys(r.fake?.deleted ?? {}), []);
  });

  it('refuses to delete a directory that is not a demo directory', async () => {
    writeFileSync(join(base, 'x'), '');
    await assert.rejects(
      runDemo({ dir: base, children: 10 }, () => undefined),
      /not an ssd demo directory/,
    );
    assert.ok(existsSync(join(base, 'x')));
  });

  it('runs in memory and takes extra steps that see what earlier steps left', async () => {
    const seen: number[] = [];
    const extra: DemoStep = {
      name: 'extra',
      async run(ctx) {
        seen.push(ctx.fake!.children, ctx.tableRows!.ssd_person!);
        ctx.print('extra step ran');
      },
    };
    const lines: string[] = [];
    const r = await runDemo({ dir: 'memory', children: 50, seed: 'x' }, (l = '') => lines.push(l), [...DEMO_STEPS, extra]);
    assert.equal(r.dir, null);
    assert.equal(r.url, 'pglite:memory');
    assert.deepEqual(seen, [50, 50]);
    assert.ok(lines.includes('extra step ran'));
    assert.ok(Object.keys(r.tableRows).length >= SSD_TABLES.filter((t) => t.apiUsage !== 'READ_WRITE').length);
  });
});
