// Activation time of the extension (issue 15, item 6): what the editor waits for when SSD
// Workbench activates. Loads the bundle's extension entry with a small stand-in for the 'vscode'
// module (test/integration/extension/fakeVscode.ts) and calls activate() with a minimal extension
// context, in a fresh process each time (no module cache), and reports the median of the runs:
// require + activate, and the CPU time. Two scenarios: the dev bundle as built in dist/ (`npm run
// build` first) and the production bundle the .vsix holds (minified; built by this bench into a
// temporary folder with `scripts/build.mjs --production --out`, dist/ untouched). The drivers, the
// engines (checks, scripts, staging, sending), the payload validator and the fake-data generator
// load on first use, not here. A bare Node process also loads the built-in modules activation
// imports (crypto, worker_threads, streams), most of which the editor's extension host has loaded
// already, so these figures are on the high side. Target: 100 ms.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMain, QUICK } from './benchLib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const TARGET_MS = 100;

/** The child's script: plain Node (no TypeScript loader, which would slow the require down), the
 *  fake 'vscode' module compiled beside it by esbuild. Prints {requireMs, activateMs}. */
function childScript(fakeCjs: string, bundleDir: string): string {
  return `
const Module = require('node:module');
const { mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const root = ${JSON.stringify(root)};
const { createFakeVscode } = require(${JSON.stringify(fakeCjs)});
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const fake = createFakeVscode(pkg);
const FAKE_ID = join(tmpdir(), 'ssd-fake-vscode-bench.cjs');
const orig = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? FAKE_ID : orig.call(this, request, ...rest); };
require.cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: fake.module };
const memento = new Map();
const context = {
  subscriptions: [],
  globalStorageUri: fake.module.Uri.file(mkdtempSync(join(tmpdir(), 'ssd-bench-activation-'))),
  globalState: { get: (k) => memento.get(k), update: async (k, v) => { memento.set(k, v); }, keys: () => [...memento.keys()] },
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
  extension: { packageJSON: pkg, id: 'ssd-workbench.ssd-workbench' },
  extensionUri: fake.module.Uri.file(root),
  extensionPath: root,
};
const c0 = process.cpuUsage();
const t0 = performance.now();
const ext = require(join(${JSON.stringify(bundleDir)}, 'extension.cjs'));
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, cpuMs: (c.user + c.system) / 1000 }) + '\\n');
process.exit(0);
`;
}

/** Require + activate the extension entry in `bundleDir`, `runs` times in fresh processes: the medians. */
async function measure(bundleDir: string, label: string): Promise<{ n: number; seconds: number; note: string }> {
  const runs = QUICK ? 3 : 7;
  const dir = mkdtempSync(join(tmpdir(), 'ssd-bench-fakevscode-'));
  try {
    const fakeCjs = join(dir, 'fakeVscode.cjs');
    await build({ entryPoints: [join(root, 'test/integration/extension/fakeVscode.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: fakeCjs, logLevel: 'error' });
    const script = childScript(fakeCjs, bundleDir);
    const out: { requireMs: number; activateMs: number; cpuMs: number }[] = [];
    const load = loadavg()[0]!;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
      const line = r.stdout
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      if (r.status !== 0 || !line) throw new Error(`activation run failed: ${r.stderr.slice(-1000)}`);
      out.push(JSON.parse(line) as { requireMs: number; activateMs: number; cpuMs: number });
    }
    const total = out.map((r) => r.requireMs + r.activateMs).sort((a, b) => a - b);
    const median = total[Math.floor(total.length / 2)]!;
    const m = (k: 'requireMs' | 'activateMs' | 'cpuMs') => out.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(out.length / 2)]!;
    return {
      n: runs,
      seconds: median / 1000,
      note: `${label}: activation ${median.toFixed(0)} ms (median of ${runs}: require ${m('requireMs').toFixed(0)} ms + activate ${m('activateMs').toFixed(0)} ms; CPU time ${m('cpuMs').toFixed(0)} ms, which a busy machine does not inflate; load average ${load.toFixed(1)}; target ≤ ${TARGET_MS} ms)${median > TARGET_MS ? ' OVER TARGET' : ''}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

{
  void benchMain({
    'extension activation (require + activate)': async () => {
      if (!existsSync(join(root, 'dist/extension.cjs'))) throw new Error('dist/extension.cjs is missing: run `npm run build` first');
      return measure(join(root, 'dist'), 'dev bundle (dist/)');
    },
    'extension activation, production bundle (.vsix)': async () => {
      const out = mkdtempSync(join(tmpdir(), 'ssd-bench-production-'));
      try {
        const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', '--out', out], { cwd: root, encoding: 'utf8' });
        if (b.status !== 0) throw new Error(`production build failed: ${b.stderr.slice(-2000)}`);
        return await measure(out, 'production bundle');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  });
}
