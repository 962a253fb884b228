// The editor never freezes while the demo is made (issue 15, item 1): the bundled extension
// (dist/extension.cjs, `npm run build`) in a fake editor makes the 1,000-child demo through the
// same command an analyst runs (SSD: Open Demo Database) while this test measures the event-loop
// delay of the host thread (perf_hooks.monitorEventLoopDelay); the demo is made and opened in a
// worker thread, so the host thread stays free. Then SSD: Recreate Demo Database is cancelled in
// the middle: the command returns within 2 s of Cancel, the demo is removed and never opened, and
// the view says "being made…" only while it is being made.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFakeVscode, fakeExtensionContext, type FakeVscode } from './fakeVscode';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const bundle = join(root, 'dist/extension.cjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as unknown;

/** The longest the host thread may be blocked at a time while the demo is made. */
const MAX_DELAY_MS = 200;

type Ext = { activate(ctx: unknown): void; deactivate(): Promise<void> };
type Fn = (...a: unknown[]) => unknown;

describe('demo database made off the editor thread', function () {
  this.timeout(300_000);
  let fake: FakeVscode;
  let ext: Ext;
  let storage: string;
  const resolveOrig = (Module as unknown as { _resolveFilename: Fn })._resolveFilename;
  const FAKE_ID = join(tmpdir(), 'ssd-fake-vscode-responsive.cjs');

  before(() => {
    assert.ok(existsSync(bundle), 'dist/extension.cjs is missing: run `npm run build` first (npm test does)');
    fake = createFakeVscode(pkg);
    fake.config.set('ssd.asOf', '2026-08-10');
    (Module as unknown as { _resolveFilename: Fn })._resolveFilename = function (this: unknown, request: unknown, ...rest: unknown[]) {
      return request === 'vscode' ? FAKE_ID : resolveOrig.call(this, request, ...rest);
    };
    const req = createRequire(join(here, 'demoResponsive.test.ts'));
    req.cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: fake.module } as unknown as NodeJS.Module;
    delete req.cache[bundle];
    ext = req(bundle) as Ext;
    storage = mkdtempSync(join(tmpdir(), 'ssd-ext-responsive-'));
    ext.activate(fakeExtensionContext(fake, pkg, storage, root));
  });

  after(async () => {
    await ext?.deactivate().catch(() => undefined);
    (Module as unknown as { _resolveFilename: Fn })._resolveFilename = resolveOrig;
    rmSync(storage, { recursive: true, force: true });
  });

  const tree = () => fake.treeProvider();
  const rootLabels = async () => ((await tree().getChildren()) as unknown[]).map((n) => String(tree().getTreeItem(n).label));

  it(`makes and opens the 1,000-child demo with the host thread never blocked over ${MAX_DELAY_MS} ms`, async () => {
    assert.equal(fake.config.get('ssd.demo.children'), undefined, 'the default size, as an analyst gets it');
    const h = monitorEventLoopDelay({ resolution: 10 });
    const t0 = performance.now();
    // A 50 ms timer on the host thread, as the issue's probe: it must keep ticking.
    let ticks = 0;
    let lastTick = performance.now();
    const gaps: string[] = [];
    const timer = setInterval(() => {
      ticks++;
      const now = performance.now();
      if (now - lastTick > 120)
        gaps.push(`${(now - lastTick).toFixed(0)} ms at ${((now - t0) / 1000).toFixed(1)} s (${fake.contexts.get('ssd.state')}, ${fake.progress.at(-1)?.messages.at(-1) ?? ''})`);
      lastTick = now;
    }, 50);
    const viewWhileMaking = new Set<string>();
    h.enable();
    const done = fake.exec('ssd.openDemo');
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    while (!finished) {
      if (fake.contexts.get('ssd.state') === 'makingDemo') for (const l of await rootLabels()) viewWhileMaking.add(l);
      await new Promise((r) => setTimeout(r, 100));
    }
    await done;
    // The tree lists the demo's tables with counts (statements run through the worker) before stopping the clock.
    const conn = ((await tree().getChildren()) as unknown[])[0];
    const groups = (await tree().getChildren(conn)) as unknown[];
    await tree().getChildren(groups[0]);
    h.disable();
    clearInterval(timer);
    const seconds = (performance.now() - t0) / 1000;
    const maxMs = h.max / 1e6;
    const note = fake.progress.find((p) => /making the demo/.test(p.title));
    assert.ok(note, 'a progress notification');
    assert.ok(note.done);
    assert.equal(fake.contexts.get('ssd.state'), 'open');
    assert.deepEqual(await rootLabels(), ['Demo database']);
    assert.ok(viewWhileMaking.has('Demo database being made…'), `the view while making: ${[...viewWhileMaking].join(', ')}`);
    // Real steps, in order: the tables, the fake children as they are written, the summary.
    const steps = note.messages;
    const iTables = steps.findIndex((m) => /creating the SSD tables/.test(m));
    const iFake = steps.findIndex((m) => /of 1,000 fake children/.test(m));
    const iSummary = steps.findIndex((m) => /counting the rows/.test(m));
    assert.ok(iTables >= 0 && iFake > iTables && iSummary > iFake, steps.join(' | '));
    assert.ok(steps.filter((m) => /fake children/.test(m)).length >= 2, `progress moves during the fake data: ${steps.join(' | ')}`);
    const expectedTicks = (seconds * 1000) / 50;
    assert.ok(
      maxMs <= MAX_DELAY_MS,
      `the host thread was blocked for ${maxMs.toFixed(0)} ms at a time (limit ${MAX_DELAY_MS} ms) over ${seconds.toFixed(1)} s; long gaps of a 50 ms timer: ${gaps.join('; ')}`,
    );
    assert.ok(ticks >= expectedTicks * 0.5, `a 50 ms timer ticked ${ticks} times in ${seconds.toFixed(1)} s`);
    console.log(
      `      demo made and opened in ${seconds.toFixed(1)} s; longest event-loop delay ${maxMs.toFixed(0)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms; 50 ms timer ticked ${ticks} times${gaps.length ? `; gaps over 120 ms: ${gaps.join('; ')}` : ''}`,
    );
  });

  it('checks, stages and fills the demo with the host thread never blocked over the limit', async () => {
    fake.respond = (m) => m.items.find((i) => i === 'Generate') ?? undefined;
    fake.config.set('ssd.fake.children', 1000);
    try {
      for (const command of ['ssd.checkTables', 'ssd.buildStaging', 'ssd.generateFakeData']) {
        const h = monitorEventLoopDelay({ resolution: 10 });
        const t0 = performance.now();
        h.enable();
        const before = fake.messages.length;
        await fake.exec(command);
        h.disable();
        const seconds = (performance.now() - t0) / 1000;
        const maxMs = h.max / 1e6;
        const said = fake.messages.slice(before).map((m) => m.text);
        assert.ok(!said.some((t) => /failed|could not/i.test(t)), `${command}: ${said.join(' | ')}`);
        console.log(`      ${command}: ${seconds.toFixed(1)} s; longest event-loop delay ${maxMs.toFixed(0)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms`);
        assert.ok(maxMs <= MAX_DELAY_MS, `${command}: the host thread was blocked for ${maxMs.toFixed(0)} ms at a time (limit ${MAX_DELAY_MS} ms) over ${seconds.toFixed(1)} s`);
      }
    } finally {
      fake.respond = () => undefined;
      fake.config.delete('ssd.fake.children');
    }
  });

  it('cancels a Recreate in the middle: stopped within 2 s, removed and never opened', async () => {
    fake.respond = (m) => (m.items.includes('Recreate') ? 'Recreate' : undefined);
    const before = fake.progress.length;
    const done = fake.exec('ssd.recreateDemo');
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    // Wait until the fake children are being written, then press Cancel.
    let note;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !finished) {
      note = fake.progress.slice(before).find((p) => /making the demo/.test(p.title));
      if (note?.messages.some((m) => /fake children/.test(m))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(note && !finished, 'the demo was still being made when Cancel was pressed');
    assert.equal(fake.contexts.get('ssd.state'), 'makingDemo');
    assert.deepEqual(await rootLabels(), ['Demo database being made…']);
    const t0 = performance.now();
    note.cancel();
    await done;
    const stoppedMs = performance.now() - t0;
    assert.ok(stoppedMs < 2000, `stopped ${stoppedMs.toFixed(0)} ms after Cancel`);
    assert.ok(note.done);
    assert.equal(existsSync(join(storage, 'demo')), false, 'the cancelled demo is removed');
    assert.equal(existsSync(join(storage, 'demo-making.lock')), false);
    assert.equal(fake.contexts.get('ssd.state'), 'noDemo', 'nothing is open');
    assert.deepEqual(await rootLabels(), [], 'the view offers the demo again (welcome content)');
    // Nothing reopens it later either.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(existsSync(join(storage, 'demo')), false);
    assert.ok(
      fake.logs.some((l) => /making the demo database was cancelled/.test(l)),
      fake.logs.slice(-5).join('\n'),
    );
    fake.respond = () => undefined;
  });

  it('a Cancel pressed as the last step starts still removes the demo and opens nothing', async () => {
    fake.respond = (m) => (m.items.includes('Recreate') ? 'Recreate' : undefined);
    const before = fake.progress.length;
    const done = fake.exec('ssd.recreateDemo');
    // Press Cancel the moment the last step (the row counts) is reported: the worker has no step
    // left that checks for it, so the job finishes; the demo must still be removed, never opened.
    let pressed = false;
    const deadline = Date.now() + 120_000;
    let note;
    while (Date.now() < deadline && !(note = fake.progress.slice(before).find((p) => /making the demo/.test(p.title)))) await new Promise((r) => setTimeout(r, 5));
    assert.ok(note, 'the demo is being made');
    const n = note;
    const push = n.messages.push.bind(n.messages);
    n.messages.push = (...items: string[]) => {
      const r = push(...items);
      if (!pressed && items.some((m) => /counting the rows/.test(m))) {
        pressed = true;
        n.cancel();
      }
      return r;
    };
    await done;
    assert.ok(pressed, `Cancel was pressed at the last step (${n.messages.join(' | ')})`);
    assert.equal(existsSync(join(storage, 'demo')), false, 'the cancelled demo is removed');
    assert.equal(fake.contexts.get('ssd.state'), 'noDemo', 'nothing is open');
    assert.deepEqual(await rootLabels(), [], 'the view offers the demo again (welcome content)');
    assert.ok(
      fake.logs.some((l) => /making the demo database was cancelled/.test(l)),
      fake.logs.slice(-5).join('\n'),
    );
    fake.respond = () => undefined;
  });
});
