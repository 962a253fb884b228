#!/usr/bin/env node
// End-to-end test setup: a real VS Code (code-server, which bundles VS Code and runs on Node 20)
// installed on demand into a git-ignored cache directory, never as a project dependency (it is
// ~300 MB), and the browser the suite drives it with.
//
//   node scripts/e2e-setup.mjs      install code-server if needed, print what was found
//
// The suite (test/e2e/helpers/workbench.ts) imports findChromium, ensureCodeServer and
// packageVsix from here, so running mocha on test/e2e directly works too.
//
// Only the npm registry is used: code-server's own install step downloads ripgrep from GitHub,
// so the packages are installed with --ignore-scripts and the native modules VS Code's server
// needs are then built here from source (node-gyp with the local Node headers). ripgrep (VS Code's
// search) is linked from PATH when installed (`apt-get install ripgrep`); the suite does not need
// it. The install goes to a temporary folder and is renamed into place when complete, so a broken
// or interrupted install is never used.
//
// Environment: SSD_E2E_CACHE (cache directory, default <repo>/.e2e-cache), SSD_E2E_CHROMIUM
// (browser executable, default chromium or chromium-browser on PATH).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function cacheDir() {
  return resolve(process.env.SSD_E2E_CACHE || join(REPO_DIR, '.e2e-cache'));
}

/** Where the ready code-server lives (its entry point and the bundled VS Code). */
export function codeServerPaths(root = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`)) {
  const pkg = join(root, 'node_modules', 'code-server');
  return { root, pkg, entry: join(pkg, 'out', 'node', 'entry.js'), vscode: join(pkg, 'lib', 'vscode'), ready: join(root, 'READY') };
}

function log(line) {
  process.stderr.write(`e2e-setup: ${line}\n`);
}

function which(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The chromium executable, or undefined when none is installed. */
export function findChromium() {
  const given = process.env.SSD_E2E_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`SSD_E2E_CHROMIUM=${given} does not exist`);
    return given;
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return which('chromium') ?? which('chromium-browser');
}

/** Why the suite cannot run here, or undefined. Absent chromium only skips outside CI. */
export function skipReason() {
  if (findChromium()) return undefined;
  return 'chromium is not installed (Debian: apt-get install chromium; or set SSD_E2E_CHROMIUM)';
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return r;
}

function mustRun(what, cmd, args, options) {
  const r = run(cmd, args, options);
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${what} failed (exit ${r.status}):\n${out}`);
  }
  return r;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// The running Node's own headers (official builds and Debian's nodejs ship them next to the
// binary), so node-gyp needs no download from nodejs.org.
function localNodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

// npm_config_* from an enclosing `npm run` must not leak into the nested installs (e.g. --prefix).
function npmEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  const nodedir = process.env.npm_config_nodedir || localNodeDir();
  return {
    ...env,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    ...extra,
  };
}

/**
 * Install code-server into the cache (once per version) and return its paths.
 * Native modules: argon2 (code-server loads it at start), @vscode/spdlog and native-watchdog
 * (VS Code's server) are required; kerberos (proxy authentication) and node-pty (terminals)
 * are built when the machine can, and skipped with a note otherwise: the suite uses neither.
 */
export function ensureCodeServer() {
  const paths = codeServerPaths();
  if (existsSync(paths.ready) && existsSync(paths.entry)) return paths;
  const started = Date.now();
  mkdirSync(cacheDir(), { recursive: true });
  const tmpRoot = join(cacheDir(), `tmp-code-server-${process.pid}`);
  rmSync(tmpRoot, { recursive: true, force: true });
  mkdirSync(tmpRoot, { recursive: true });
  const tmp = codeServerPaths(tmpRoot);
  try {
    writeFileSync(join(tmpRoot, 'package.json'), JSON.stringify({ private: true, description: 'SSD Workbench e2e cache: code-server' }) + '\n');
    log(`installing code-server ${CODE_SERVER_VERSION} from the npm registry into ${paths.root} (once; about a minute)`);
    mustRun('npm install code-server', npm, ['install', '--ignore-scripts', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: tmpRoot, env: npmEnv() });

    const buildEnv = npmEnv({ npm_config_build_from_source: 'true' });
    log('building argon2 (code-server)');
    mustRun('building argon2', npm, ['rebuild', 'argon2'], { cwd: tmpRoot, env: buildEnv });

    log("installing VS Code's server modules");
    mustRun("npm install in code-server's lib/vscode", npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tmp.vscode, env: npmEnv() });
    log('building @vscode/spdlog and native-watchdog');
    mustRun('building VS Code native modules', npm, ['rebuild', '@vscode/spdlog', 'native-watchdog'], { cwd: tmp.vscode, env: buildEnv });
    for (const optional of ['kerberos', 'node-pty']) {
      const r = run(npm, ['rebuild', optional], { cwd: tmp.vscode, env: buildEnv });
      const built =
        optional === 'kerberos'
          ? existsSync(join(tmp.vscode, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'))
          : existsSync(join(tmp.vscode, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'));
      // node-pty's post-install step only generates compile_commands.json (and needs npx): the
      // module itself is built before it runs.
      if (!built) log(`note: ${optional} could not be built here (exit ${r.status}); the suite does not use it`);
    }

    // What code-server's postinstall.sh does after its npm install.
    symlinkSync('node_modules', join(tmp.vscode, 'node_modules.asar'));
    symlinkSync('code-linux.sh', join(tmp.vscode, 'bin', 'remote-cli', 'code-server'));
    symlinkSync('browser-linux.sh', join(tmp.vscode, 'bin', 'helpers', 'browser.sh'));
    const rg = which('rg');
    const rgDir = join(tmp.vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    if (rg) symlinkSync(rg, join(rgDir, 'rg'));
    else log('note: ripgrep not found on PATH: search in that VS Code will not work (the suite does not search)');

    writeFileSync(tmp.ready, `code-server ${CODE_SERVER_VERSION} installed ${new Date().toISOString()}\n`);
    if (existsSync(paths.ready) && existsSync(paths.entry)) {
      // Another run finished its install meanwhile (and may be using it): keep that one.
      rmSync(tmpRoot, { recursive: true, force: true });
      return paths;
    }
    rmSync(paths.root, { recursive: true, force: true });
    renameSync(tmpRoot, paths.root);
  } catch (e) {
    rmSync(tmpRoot, { recursive: true, force: true });
    throw e;
  }
  log(`code-server ${CODE_SERVER_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths;
}

/**
 * Package the extension as it is in the working tree (`npm run package`, which builds the
 * production bundle first) into a fresh temporary folder, removed when this process exits, and
 * return the .vsix path. Always rebuilt: a few seconds, and the suite never tests a stale package;
 * one folder per run, so runs at the same time never share a package.
 */
export function packageVsix() {
  const version = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')).version;
  const dir = mkdtempSync(join(tmpdir(), 'ssd-e2e-vsix-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, `ssd-workbench-${version}.vsix`);
  mustRun('npm run package', npm, ['run', 'package', '--', '--out', out], { cwd: REPO_DIR, env: npmEnv() });
  if (!existsSync(out)) throw new Error(`npm run package did not write ${out}`);
  return out;
}

// CLI: install (or find) code-server and report; used by `npm run test:e2e` before mocha.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const reason = skipReason();
    if (reason) {
      if (process.env.CI && process.env.CI !== 'false') {
        log(`FAILED: ${reason}; CI must run the end-to-end suite`);
        process.exit(1);
      }
      log(`skipping the end-to-end suite: ${reason}`);
      process.exit(0);
    }
    const paths = ensureCodeServer();
    log(`code-server ${CODE_SERVER_VERSION}: ${paths.entry}`);
    log(`chromium: ${findChromium()}`);
  } catch (e) {
    log(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
