// The code-split bundle (scripts/build.mjs; `npm run build` first): the extension, the CLI and the
// worker are entries of one split build, with shared chunks, chunks loaded by import() and lazy
// engine modules (dist/lazy-*.cjs) beside them. What must hold (issue 15, item 6):
// - one copy of every module: a source file is in exactly one file of dist/ (read from the dev
//   build's source maps), so module state and classes checked with instanceof (CancelledError,
//   ScriptPlanError, WorkCancelled) are never duplicated across files;
// - every file of dist/ that the JavaScript requires exists, and the .vsix carries it;
// - each lazy engine module loads on its own in plain Node and exports what its module exports;
// - the CLI never loads the editor layer, and the extension entry holds none of the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '@vscode/vsce';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const dist = join(root, 'dist');

/** dist/*.cjs and dist/vendor/*.cjs, relative to dist/. */
function jsFiles(): string[] {
  return [
    ...readdirSync(dist).filter((f) => f.endsWith('.cjs')),
    ...readdirSync(join(dist, 'vendor'))
      .filter((f) => f.endsWith('.cjs'))
      .map((f) => `vendor/${f}`),
  ];
}

/** The source files a dist file holds (its source map's sources, relative to the repository). */
function sourcesOf(file: string): string[] {
  const map = join(dist, `${file}.map`);
  assert.ok(existsSync(map), `dist/${file}.map is missing: this test reads the dev build's source maps (npm run build, not --production)`);
  const m = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return m.sources.map((s) =>
    resolve(dirname(map), s)
      .slice(root.length + 1)
      .split('\\')
      .join('/'),
  );
}

describe('the code-split bundle', function () {
  this.timeout(120_000);

  before(() => {
    assert.ok(existsSync(join(dist, 'extension.cjs')), 'dist/extension.cjs is missing: run `npm run build` first (npm test does)');
  });

  it('holds every source module in exactly one file (one copy of module state and of each class)', () => {
    const where = new Map<string, string[]>();
    for (const f of jsFiles()) {
      for (const s of sourcesOf(f)) where.set(s, [...(where.get(s) ?? []), f]);
    }
    const ours = [...where.keys()].filter((s) => s.startsWith('src/'));
    assert.ok(ours.length > 150, `the source maps name the project's modules (${ours.length})`);
    for (const m of ['src/db/types.ts', 'src/extension/work.ts', 'src/script/types.ts', 'src/model/ssdModel.ts', 'src/check/rules.ts']) {
      assert.ok(where.has(m), `${m} is in the bundle`);
    }
    const twice = [...where].filter(([, files]) => files.length > 1).map(([s, files]) => `${s} in ${files.join(' and ')}`);
    assert.deepEqual(twice, [], 'a module is in more than one file');
  });

  it('requires only files that exist, and the .vsix carries them', async () => {
    const packaged = new Set(await listFiles({ cwd: root, packageManager: 'none' } as unknown as Parameters<typeof listFiles>[0]));
    const missing: string[] = [];
    const notPackaged: string[] = [];
    let relative = 0;
    for (const f of jsFiles()) {
      const text = readFileSync(join(dist, f), 'utf8');
      for (const m of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        relative++;
        const target = resolve(dirname(join(dist, f)), m[1]!);
        const rel = target
          .slice(root.length + 1)
          .split('\\')
          .join('/');
        if (!existsSync(target)) missing.push(`${rel} (required by dist/${f})`);
        else if (!packaged.has(rel)) notPackaged.push(rel);
      }
      if (!f.startsWith('vendor/')) assert.ok(packaged.has(`dist/${f}`), `the .vsix carries dist/${f}`);
    }
    assert.ok(relative > 100, `the files require one another (${relative} relative requires)`);
    assert.deepEqual(missing, [], 'required files that are not in dist/');
    assert.deepEqual([...new Set(notPackaged)], [], 'required files the .vsix leaves out (.vscodeignore)');
  });

  it('loads each lazy engine module on its own in plain Node', () => {
    const lazy = readdirSync(dist).filter((f) => /^lazy-.*\.cjs$/.test(f));
    assert.ok(lazy.length >= 10, lazy.join(', '));
    const script = `
      const out = {};
      for (const f of ${JSON.stringify(lazy)}) out[f] = Object.keys(require(${JSON.stringify(dist)} + '/' + f));
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const exportsOf = JSON.parse(r.stdout) as Record<string, string[]>;
    for (const f of lazy) assert.ok(exportsOf[f]!.length > 0, `${f} exports its module's names`);
    assert.ok(exportsOf['lazy-model-ssdModel.cjs']!.includes('SSD_TABLES'), exportsOf['lazy-model-ssdModel.cjs']!.join(', '));
    assert.ok(exportsOf['lazy-check-job.cjs']!.includes('TableTimer'), exportsOf['lazy-check-job.cjs']!.join(', '));
  });

  it('keeps the CLI out of the extension entry and the editor layer out of the CLI', () => {
    const ext = sourcesOf('extension.cjs');
    assert.ok(ext.includes('src/extension/extension.ts'), ext.join(', '));
    assert.ok(!ext.some((s) => s.startsWith('src/cli/') || s.startsWith('src/cliSupport/')), ext.join(', '));
    // The CLI's whole static graph: its entry and the chunks it requires, transitively.
    const seen = new Set<string>();
    const visit = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const m of readFileSync(join(dist, f), 'utf8').matchAll(/^var \w+ = (?:__toESM\()?require\("\.\/([^"/]+\.cjs)"\)/gm)) visit(m[1]!);
    };
    visit('cli.cjs');
    assert.ok(seen.size > 1, [...seen].join(', '));
    const editor = [...seen].flatMap(sourcesOf).filter((s) => s.startsWith('src/extension/') && !s.startsWith('src/extension/core/'));
    assert.deepEqual(editor, [], 'the CLI loads the editor layer');
  });
});
