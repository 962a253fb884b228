// Bundles the extension and the CLI into dist/extension.cjs (dist/cli.cjs launches the CLI, dist/worker.cjs the
// editor's worker thread) with esbuild, and copies
// what they read at run time next to them: sql/, media/ and PGlite's wasm and data. With --production
// (packaging: vscode:prepublish) PGlite's assets are brotli-compressed (so the .vsix stays small) and
// cached in .build-cache/ between builds; otherwise (npm run demo, npm test) they are copied as they
// are, which takes no time. pgliteDriver.ts reads either form.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');

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
const LAZY = new Set(['ajv', 'ajv-formats', '@faker-js/faker/locale/en_GB']);
const requireHere = createRequire(import.meta.url);
function lazyProxy(spec) {
  const file = `./vendor/${vendorOf.get(spec)}.cjs`;
  const real = requireHere(join(dist, file))[spec];
  const skip = new Set(['length', 'name', 'prototype', 'caller', 'arguments']);
  const keys = Object.getOwnPropertyNames(real).filter((k) => !skip.has(k) && k !== '__esModule');
  return [
    `let m;`,
    `const load = () => (m ??= require(${JSON.stringify(file)})[${JSON.stringify(spec)}]);`,
    typeof real === 'function'
      ? `const lazy = function (...a) { const f = load(); return new.target ? Reflect.construct(f, a) : f.apply(this, a); };`
      : `const lazy = {};`,
    `for (const k of ${JSON.stringify(keys)}) Object.defineProperty(lazy, k, { get: () => load()[k], enumerable: true, configurable: true });`,
    ...(real.__esModule ? [`Object.defineProperty(lazy, '__esModule', { value: true });`] : []),
    `module.exports = lazy;`,
  ].join('\n');
}

// One bundle for the extension and the CLI (src/bundle.ts): the engine ships once in the .vsix.
// dist/cli.cjs is a launcher for the bundle's CLI.
const entries = [{ in: 'src/bundle.ts', out: 'extension.cjs' }];
await build({
  ...common,
  plugins: [vendorPlugin],
  entryPoints: [join(root, entries[0].in)],
  outfile: join(dist, entries[0].out),
});
writeFileSync(join(dist, 'cli.cjs'), '#!/usr/bin/env node\n\'use strict\';\nrequire(\'./extension.cjs\').runCli();\n');
// dist/worker.cjs: the editor's worker thread (src/worker/ssdWorker.ts, in the same bundle), where the
// embedded database and the demo build run, off the extension host's main thread.
writeFileSync(join(dist, 'worker.cjs'), '\'use strict\';\nrequire(\'./extension.cjs\').runWorker();\n');

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
console.log(`built dist/extension.cjs (${size('extension.cjs')}; extension and CLI), dist/worker.cjs (the editor's worker thread's launcher) and dist/cli.cjs (the CLI launcher)`);
