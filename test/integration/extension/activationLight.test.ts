// Activation stays light (issue 15, item 6): the bundle (dist/extension.cjs, `npm run build` first)
// is required and activated with the fake 'vscode' module in a fresh Node process, and what it
// loaded is read from that process's require cache: only the extension entry and the shared chunks
// it imports, no dist/vendor/ group (database drivers, PGlite, ajv, faker, commander, jsonc-parser),
// no lazy engine module (dist/lazy-*.cjs), no CLI, no chunk a command loads on first run; and, from
// the dev build's source maps, none of the engine's big modules (check rules, SSD model, script
// engine, sender, staging core, payload builder). Then the lazy stand-ins the build puts in place of
// ajv (a class) and faker must still work when first used, through the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const bundle = join(root, 'dist/extension.cjs');

/** Plain Node (no TypeScript loader): require the bundle, activate, print the dist/ files in the require cache. */
function childScript(fakeCjs: string, storage: string): string {
  return `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const root = ${JSON.stringify(root)};
const { createFakeVscode } = require(${JSON.stringify(fakeCjs)});
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const fake = createFakeVscode(pkg);
const FAKE_ID = join(${JSON.stringify(dirname(fakeCjs))}, 'vscode.cjs');
const orig = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? FAKE_ID : orig.call(this, request, ...rest); };
require.cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: fake.module };
const memento = new Map();
const context = {
  subscriptions: [],
  globalStorageUri: fake.module.Uri.file(${JSON.stringify(storage)}),
  globalState: { get: (k) => memento.get(k), update: async (k, v) => { memento.set(k, v); }, keys: () => [...memento.keys()] },
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
  extension: { packageJSON: pkg, id: 'ssd-workbench.ssd-workbench' },
  extensionUri: fake.module.Uri.file(root),
  extensionPath: root,
};
require(join(root, 'dist/extension.cjs')).activate(context);
const commands = [...fake.commands.keys()].filter((c) => c.startsWith('ssd.')).length;
const loaded = Object.keys(require.cache).filter((f) => f.startsWith(join(root, 'dist'))).map((f) => f.slice(root.length + 1).split('\\\\').join('/'));
process.stdout.write(JSON.stringify({ commands, loaded }) + '\\n');
process.exit(0);
`;
}

describe('activation stays light (the bundle)', function () {
  this.timeout(120_000);
  let dir: string;

  before(function () {
    assert.ok(existsSync(bundle), 'dist/extension.cjs is missing: run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'ssd-activation-light-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no database driver, PGlite, payload validator, fake-data generator or CLI parser at activation', async () => {
    const fakeCjs = join(dir, 'fakeVscode.cjs');
    await build({ entryPoints: [join(here, 'fakeVscode.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: fakeCjs, logLevel: 'error' });
    const storage = join(dir, 'storage');
    const r = spawnSync(process.execPath, ['-e', childScript(fakeCjs, storage)], { cwd: root, encoding: 'utf8' });
    const line = r.stdout
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    assert.ok(r.status === 0 && line, `activation failed: ${r.stderr.slice(-2000)}`);
    const { commands, loaded } = JSON.parse(line) as { commands: number; loaded: string[] };
    assert.ok(commands > 20, `activation registered the commands (${commands})`);
    const groups = readdirSync(join(root, 'dist/vendor')).filter((f) => f.endsWith('.cjs'));
    assert.ok(groups.length >= 5, `dist/vendor holds the third-party groups: ${groups.join(', ')}`);
    const lazy = readdirSync(join(root, 'dist')).filter((f) => /^lazy-.*\.cjs$/.test(f));
    assert.ok(lazy.length >= 10, `dist/ holds the lazy engine modules: ${lazy.join(', ')}`);
    assert.ok(loaded.includes('dist/extension.cjs'), loaded.join(', '));
    // Shared chunks are named chunk-<hash>.cjs (scripts/build.mjs); anything else is the CLI, the
    // worker, a vendor group, a lazy module or a chunk a command import()s on first run.
    const unexpected = loaded.filter((f) => f !== 'dist/extension.cjs' && !/^dist\/chunk-[A-Z0-9]+\.cjs$/.test(f));
    assert.deepEqual(unexpected, [], `activation loaded only the extension entry and its shared chunks, not ${unexpected.join(', ')}`);
    // What those files hold, from their source maps (the dev build writes one beside each file).
    const sources = new Set(
      loaded.flatMap((f) => {
        const map = join(root, `${f}.map`);
        assert.ok(existsSync(map), `${f}.map is missing: this test reads the dev build's source maps (npm run build, not --production)`);
        return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
      }),
    );
    assert.ok(sources.has('src/extension/extension.ts') && sources.has('src/extension/tree.ts'), [...sources].join(', '));
    const heavy = [
      'src/model/ssdTables.generated.ts',
      'src/model/ssdModel.ts',
      'src/check/rules.ts',
      'src/check/runChecks.ts',
      'src/payload/buildPayload.ts',
      'src/script/plan.ts',
      'src/script/runner.ts',
      'src/script/preflight.ts',
      'src/send/runSend.ts',
      'src/send/apiClient.ts',
      'src/staging/stageChildren.ts',
      'src/staging/safetyStop.ts',
      'src/browse/inventory.ts',
      'src/cli/main.ts',
      'src/extension/core/scriptWorkflow.ts',
      'src/extension/core/sendWork.ts',
    ];
    const evaluated = heavy.filter((m) => sources.has(m));
    assert.deepEqual(evaluated, [], `activation loaded engine modules it does not need: ${evaluated.join(', ')}`);
    assert.ok(![...sources].some((s) => s.includes('node_modules/')), `activation loaded a third-party package: ${[...sources].filter((s) => s.includes('node_modules/')).join(', ')}`);
  });

  it('loads ajv when first used: a Mosaic settings file that breaks the schema is refused with the problems', () => {
    const script = join(dir, 'populate.sql');
    writeFileSync(script, 'SELECT 1;\n');
    const settings = join(dir, 'bad.ssd-mosaic.json');
    writeFileSync(settings, JSON.stringify({ settings: {}, notASetting: 1 }));
    const r = spawnSync(process.execPath, [join(root, 'dist/cli.cjs'), 'mosaic', script, '--settings', settings], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /does not match the Mosaic settings schema/);
    assert.match(r.stderr, /notASetting/);
  });
});
