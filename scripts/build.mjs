// Bundles the extension (dist/extension.cjs), the CLI (dist/cli.cjs) and the editor's worker thread
// (dist/worker.cjs) with esbuild, as entries of one code-split build whose shared and on-demand chunks
// sit beside them in dist/ (third-party packages in dist/vendor/), and copies
// what they read at run time next to them: sql/, media/ and PGlite's wasm and data. With --production
// (packaging: vscode:prepublish) PGlite's assets are brotli-compressed (so the .vsix stays small) and
// cached in .build-cache/ between builds; otherwise (npm run demo, npm test) they are copied as they
// are, which takes no time. pgliteDriver.ts reads either form.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');
// --out DIR: build into DIR instead of dist/ (bench/activation.bench.ts builds the production bundle
// there without touching dist/). DIR is emptied first, so it must be new, empty or an earlier build.
const outAt = process.argv.indexOf('--out');
const dist = outAt > 0 ? resolve(process.argv[outAt + 1] ?? '') : join(root, 'dist');
if (outAt > 0 && existsSync(dist) && readdirSync(dist).length && !existsSync(join(dist, 'BUNDLED'))) {
  console.error(`--out ${dist}: not empty and not an earlier build; refusing to empty it`);
  process.exit(2);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // import.meta.url in CommonJS output: point it at the bundle file itself.
  banner: { js: 'const __ssd_import_meta_url = require("url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__ssd_import_meta_url', SSD_VERSION: JSON.stringify(pkg.version) },
  // Prefer ES module entry points: jsonc-parser's UMD 'main' requires files esbuild cannot see.
  mainFields: ['module', 'main'],
  // msnodesqlv8 (Windows sign-in) is native and optional: installed by the user, found at run time.
  external: ['vscode', 'pg-native', 'azdata', 'msnodesqlv8'],
  // PGlite's own asset loading is bypassed: the driver passes the modules (see pgliteDriver.ts).
  logOverride: { 'empty-import-meta': 'silent' },
};

// Third-party packages go in dist/vendor/<group>.cjs, outside the main bundle: the editor reads and
// compiles only what activation needs (issue 15, item 6), and each group (its packages, in fact) is
// loaded the first time the code that imports it runs. The main bundle requires a package through a
// small proxy module: module.exports = require('./vendor/<group>.cjs')['<package>'].
const VENDOR = {
  pglite: ['@electric-sql/pglite'],
  mssql: ['mssql', 'tedious', 'mssql/msnodesqlv8'],
  pg: ['pg', 'pg-cursor', 'pg-copy-streams'],
  oracle: ['oracledb'],
  faker: ['@faker-js/faker/locale/en_GB'],
  ajv: ['ajv', 'ajv-formats'],
  commander: ['commander'],
  jsonc: ['jsonc-parser'],
};
const vendorOf = new Map(Object.entries(VENDOR).flatMap(([g, specs]) => specs.map((s) => [s, g])));
const escapeRe = (t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const vendorPlugin = {
  name: 'ssd-vendor',
  setup(b) {
    const filter = new RegExp(`^(${[...vendorOf.keys()].map(escapeRe).join('|')})$`);
    b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'ssd-vendor' }));
    b.onResolve({ filter: /^\.\/vendor\// }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'ssd-vendor' }, (a) => ({
      contents: LAZY.has(a.path) ? lazyProxy(a.path) : `module.exports = require(${JSON.stringify(`./vendor/${vendorOf.get(a.path)}.cjs`)})[${JSON.stringify(a.path)}];`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
mkdirSync(join(dist, 'vendor'), { recursive: true });
for (const [group, specs] of Object.entries(VENDOR)) {
  // Getters: a package of the group is loaded when first asked for (mssql/msnodesqlv8 needs a native module).
  const contents = `module.exports = {\n${specs.map((s) => `  get ${JSON.stringify(s)}() { return require(${JSON.stringify(s)}); },`).join('\n')}\n};\n`;
  await build({
    ...common,
    stdin: { contents, resolveDir: root, sourcefile: `vendor-${group}.js`, loader: 'js' },
    outfile: join(dist, 'vendor', `${group}.cjs`),
  });
}

// Packages imported (statically) by modules that activation evaluates, used only inside functions: their proxy
// loads the vendor group on the first access to an export, not when the importing module is evaluated
// (esbuild's __toESM copies exports as getters, so importing reads no property). The export names are read
// from the vendor bundle just built. A package whose exports are a function (ajv's class, ajv-formats'
// plugin) gets a function stand-in that calls or constructs the real one.
const LAZY = new Set(['ajv', 'ajv-formats', '@faker-js/faker/locale/en_GB', 'jsonc-parser']);
const requireHere = createRequire(import.meta.url);
function lazyProxy(spec) {
  const file = `./vendor/${vendorOf.get(spec)}.cjs`;
  const real = requireHere(join(dist, file))[spec];
  const skip = new Set(['length', 'name', 'prototype', 'caller', 'arguments']);
  const keys = Object.getOwnPropertyNames(real).filter((k) => !skip.has(k) && k !== '__esModule');
  return [
    `let m;`,
    `const load = () => (m ??= require(${JSON.stringify(file)})[${JSON.stringify(spec)}]);`,
    typeof real === 'function' ? `const lazy = function (...a) { const f = load(); return new.target ? Reflect.construct(f, a) : f.apply(this, a); };` : `const lazy = {};`,
    `for (const k of ${JSON.stringify(keys)}) Object.defineProperty(lazy, k, { get: () => load()[k], enumerable: true, configurable: true });`,
    ...(real.__esModule ? [`Object.defineProperty(lazy, '__esModule', { value: true });`] : []),
    `module.exports = lazy;`,
  ].join('\n');
}

// Engine modules the editor layer (src/extension/) imports statically but uses only inside functions (when a
// command runs, when the tree first shows a connection): an import of one of them from src/extension/ gets a
// stand-in that requires the real module (built as its own entry, dist/lazy-<path>.cjs) on the first access
// to an export, as LAZY does for ajv and faker, so activation neither reads nor compiles them. The stand-in
// holds no copy: the lazy entry re-exports the one instance of the module (and its imports) that the
// code-split build made, which the CLI, the worker and import() share. A module in this list must not be
// used at the top level of an editor module (test/integration/extension/activationLight.test.ts fails if
// activation loads a dist/lazy-*.cjs file).
const LAZY_MODULES = [
  'src/model/ssdModel.ts',
  'src/check/job.ts',
  'src/script/runner.ts',
  'src/script/job.ts',
  'src/send/runSend.ts',
  'src/send/job.ts',
  'src/send/apiClient.ts',
  'src/staging/job.ts',
  'src/browse/inventory.ts',
  'src/staging/stageRuns.ts',
  'src/connections/hostConnections.ts',
  'src/phases/phases.ts',
  'src/fake/fakeMarker.ts',
  'src/payload/sources.ts',
  'src/payload/window.ts',
  'src/script/lexer.ts',
  'src/db/workerDb.ts',
  'src/extension/core/scriptWorkflow.ts',
  'src/extension/core/sendWork.ts',
  'src/extension/core/checkWorkflow.ts',
  'src/extension/core/report.ts',
  'src/extension/core/dataWork.ts',
  'src/extension/core/payloadWorkflow.ts',
  'src/extension/core/markdown.ts',
];
const lazyFile = (m) =>
  `lazy-${m
    .replace(/^src\//, '')
    .replace(/\.ts$/, '')
    .replace(/\//g, '-')}`;
const LAZY_BUILTINS = /^node:(crypto|fs\/promises|perf_hooks|worker_threads)$/;
const lazyByPath = new Map(LAZY_MODULES.map((m) => [join(root, m), m]));
/** The names a lazy module exports (a small bundle of it, for its metafile). */
async function exportsOf(m) {
  const r = await build({
    ...common,
    banner: undefined,
    format: 'esm',
    entryPoints: [join(root, m)],
    write: false,
    metafile: true,
    outdir: join(root, '.build-cache', 'exports'),
    packages: 'external',
    plugins: [vendorPlugin],
  });
  return Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.exports ?? [];
}
const lazyExports = new Map(await Promise.all(LAZY_MODULES.map(async (m) => [m, await exportsOf(m)])));
const lazyModulesPlugin = {
  name: 'ssd-lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/lazy-/ }, (a) => (a.namespace === 'ssd-lazy' ? { path: a.path, external: true } : undefined));
    b.onResolve({ filter: /^\./ }, async (a) => {
      if (a.kind !== 'import-statement' || a.pluginData?.ssdLazySkip || a.namespace !== 'file' || !a.importer.startsWith(join(root, 'src', 'extension'))) return undefined;
      const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: { ssdLazySkip: true } });
      const m = lazyByPath.get(r.path);
      return m ? { path: m, namespace: 'ssd-lazy' } : undefined;
    });
    // Node built-in modules the editor's modules import for one call (a nonce, a lock's id, the
    // worker thread, the event-loop monitor): required on first use too.
    b.onResolve({ filter: LAZY_BUILTINS }, (a) =>
      a.kind === 'import-statement' && a.namespace === 'file' && a.importer.startsWith(join(root, 'src')) ? { path: a.path, namespace: 'ssd-lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ssd-lazy-builtin' }, (a) => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        `let m;`,
        `const load = () => (m ??= require(${JSON.stringify(a.path)}));`,
        `const lazy = {};`,
        `for (const k of ${JSON.stringify(Object.keys(requireHere(a.path)))}) Object.defineProperty(lazy, k, { get: () => load()[k], enumerable: true, configurable: true });`,
        `Object.defineProperty(lazy, 'default', { get: load, enumerable: true, configurable: true });`,
        `Object.defineProperty(lazy, '__esModule', { value: true });`,
        `module.exports = lazy;`,
      ].join('\n'),
    }));
    b.onLoad({ filter: /.*/, namespace: 'ssd-lazy' }, (a) => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        `let m;`,
        `const load = () => (m ??= require(${JSON.stringify(`./${lazyFile(a.path)}.cjs`)}));`,
        `const lazy = {};`,
        `for (const k of ${JSON.stringify(lazyExports.get(a.path))}) Object.defineProperty(lazy, k, { get: () => load()[k], enumerable: true, configurable: true });`,
        `Object.defineProperty(lazy, '__esModule', { value: true });`,
        `module.exports = lazy;`,
      ].join('\n'),
    }));
  },
};

// The extension, the CLI and the editor's worker thread are three entry points of one code-split build, so
// each reads only its own code and the engine modules it needs (issue 15, item 6: the editor reads and
// compiles what activation needs, not the CLI or the check/script/staging/send engines, which are loaded
// by their commands on first run through import()). esbuild splits ES module output only, so the build
// has two steps: (1) one ES module build with splitting, written to a scratch folder: every module is
// in exactly one file (an entry or a shared chunk), so a module with state or a class checked with
// instanceof (CancelledError) exists once however many files import it; (2) each of those files
// converted on its own to CommonJS in dist/ (imports become require() of the sibling file, import() a
// require() in a promise, so the editor's require hook still answers 'vscode'), reading the first
// step's source maps so the dev build maps to src/. Chunks sit next to the entries in dist/ (their
// import.meta.url is the dist/ folder, as runtimePaths.ts expects).
const ENTRIES = { extension: 'src/bundle.ts', cli: 'src/cli/index.ts', worker: 'src/worker/ssdWorker.ts' };
const esmDir = join(root, '.build-cache', 'esm', outAt > 0 ? createHash('sha256').update(dist).digest('hex').slice(0, 12) : 'dist');
rmSync(esmDir, { recursive: true, force: true });
const step1 = await build({
  ...common,
  banner: undefined,
  format: 'esm',
  splitting: true,
  // Minified in production here too: esbuild then shortens the names the chunks import from each other.
  minify: production,
  sourcemap: production ? false : 'linked',
  plugins: [lazyModulesPlugin, vendorPlugin],
  entryPoints: { ...Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, join(root, src)])), ...Object.fromEntries(LAZY_MODULES.map((m) => [lazyFile(m), join(root, m)])) },
  outdir: esmDir,
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  metafile: true,
});
writeFileSync(join(esmDir, 'meta.json'), JSON.stringify(step1.metafile));
const outputs = Object.keys(step1.metafile.outputs)
  .filter((f) => f.endsWith('.cjs'))
  .map((f) => resolve(f));
await build({
  ...common,
  entryPoints: outputs,
  outbase: esmDir,
  outdir: dist,
  // Every import is another file of dist/ (or node:*, vscode, a vendor group): kept, as require().
  plugins: [
    {
      name: 'ssd-keep-imports',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true }));
      },
    },
  ],
  supported: { 'dynamic-import': false },
  define: undefined,
  outExtension: { '.js': '.cjs' },
});
if (outAt > 0) rmSync(esmDir, { recursive: true, force: true });
// dist/cli.cjs is also the `ssd` command (package.json "bin").
writeFileSync(join(dist, 'cli.cjs'), '#!/usr/bin/env node\n' + readFileSync(join(dist, 'cli.cjs'), 'utf8'));

cpSync(join(root, 'sql'), join(dist, 'sql'), { recursive: true });
if (existsSync(join(root, 'media'))) cpSync(join(root, 'media'), join(dist, 'media'), { recursive: true });

// PGlite assets: brotli-compressed once and cached by content hash when packaging; copied otherwise.
const pgliteDist = join(root, 'node_modules/@electric-sql/pglite/dist');
const cache = join(root, '.build-cache');
mkdirSync(join(dist, 'pglite'), { recursive: true });
for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) {
  if (!production) {
    cpSync(join(pgliteDist, f), join(dist, 'pglite', f));
    continue;
  }
  mkdirSync(cache, { recursive: true });
  const src = readFileSync(join(pgliteDist, f));
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const cached = join(cache, `${f}.${hash}.br`);
  if (!existsSync(cached)) {
    const t = Date.now();
    writeFileSync(cached, brotliCompressSync(src, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: src.length } }));
    console.log(`compressed ${f} in ${Date.now() - t} ms`);
  }
  cpSync(cached, join(dist, 'pglite', `${f}.br`));
}
import { chmodSync } from 'node:fs';
chmodSync(join(dist, 'cli.cjs'), 0o755);
writeFileSync(join(dist, 'BUNDLED'), `ssd-workbench ${pkg.version}\n`);
const size = (f) => (statSync(join(dist, f)).size / 1024).toFixed(0) + ' KiB';
const chunks = outputs.map((f) => f.slice(esmDir.length + 1)).filter((f) => !['extension.cjs', 'cli.cjs', 'worker.cjs'].includes(f));
const kib = (files) => (files.reduce((a, f) => a + statSync(join(dist, f)).size, 0) / 1024).toFixed(0) + ' KiB';
const d = dist.startsWith(root) ? dist.slice(root.length + 1) : dist;
console.log(
  `built ${d}/extension.cjs (${size('extension.cjs')}; the extension), ${d}/cli.cjs (${size('cli.cjs')}; the CLI), ${d}/worker.cjs (${size('worker.cjs')}; the editor's worker thread) and ${chunks.length} shared or on-demand chunks beside them (${kib(chunks)})`,
);
