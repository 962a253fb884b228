// Launch and drive a real VS Code for the end-to-end suite: code-server (VS Code's own workbench
// and extension host, installed on demand by scripts/e2e-setup.mjs) with the packaged .vsix
// installed, opened on a fresh copy of the fixture workspace, in headless chromium through
// playwright-core. Everything lives in a fresh temporary folder per launch (user data,
// extensions, workspace, browser profile, server log) and is removed on close; the server runs
// in its own process group, which close() ends (no orphan extension hosts or file watchers).
// Waits are on DOM state (waitFor with timeouts), never fixed sleeps.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ensureCodeServer, findChromium, packageVsix, type CodeServerPaths } from '../../../scripts/e2e-setup.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_WORKSPACE = join(HERE, '..', 'fixtures', 'workspace');
export const SCREENSHOT_DIR = join(HERE, '..', 'screenshots');

export interface LaunchOptions {
  /** Short name for the temp folder and screenshots. */
  name: string;
  /** User settings (User/settings.json) on top of the suite's defaults. */
  settings?: Record<string, unknown>;
  /** Browser window size (default 1440 × 900). */
  viewport?: { width: number; height: number };
}

/** Settings every launch gets: no telemetry, no welcome page, no trust prompt, no surprises. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'editor.minimap.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
  'notifications.showExtensionsNotifications': true,
};

let shared: { codeServer: CodeServerPaths; vsix: string; chromium: string } | undefined;

/** Install code-server (cached) and package the .vsix once per test run. */
export function prepare(): { codeServer: CodeServerPaths; vsix: string; chromium: string } {
  if (shared) return shared;
  const browser = findChromium();
  if (!browser) throw new Error('chromium is not installed (apt-get install chromium, or set SSD_E2E_CHROMIUM)');
  const codeServer = ensureCodeServer();
  const vsix = packageVsix();
  shared = { codeServer, vsix, chromium: browser };
  return shared;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of code-server: no SSD_* variables from the caller, config and caches in the temp folder. */
function serverEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SSD_|npm_|VSCODE_|ELECTRON_)/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    NODE_OPTIONS: '',
  };
}

const live = new Set<Workbench>();
// Last resort if mocha dies without running the after hooks: end the servers' process groups.
process.once('exit', () => {
  for (const wb of live) wb.killNow();
});
// `timeout` in .ci/run and Ctrl+C: exit as the signal would have, through the 'exit' handlers.
for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  process.once(signal, () => process.exit(code));
}

export class Workbench {
  readonly page: Page;
  private closed = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly workspace: string,
    readonly url: string,
    private readonly server: ChildProcess,
    private readonly context: BrowserContext,
    page: Page,
  ) {
    this.page = page;
  }

  static async launch(options: LaunchOptions): Promise<Workbench> {
    const { codeServer, vsix, chromium: chromiumPath } = prepare();
    const dir = mkdtempSync(join(tmpdir(), `ssd-e2e-${options.name}-`));
    let server: ChildProcess | undefined;
    let context: BrowserContext | undefined;
    try {
      const workspace = join(dir, 'workspace');
      cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
      const userData = join(dir, 'user-data');
      const extensions = join(dir, 'extensions');
      mkdirSync(join(userData, 'User'), { recursive: true });
      mkdirSync(extensions, { recursive: true });
      writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...(options.settings ?? {}) }, null, 2));
      const config = join(dir, 'code-server.yaml');
      writeFileSync(config, 'auth: none\ncert: false\n');
      const env = serverEnv(dir);
      const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

      const install = spawnSync(process.execPath, [codeServer.entry, ...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
      if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
        throw new Error(`code-server --install-extension ${vsix} failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
      }

      const port = await freePort();
      const logPath = join(dir, 'code-server.log');
      const logFd = openSync(logPath, 'a');
      server = spawn(
        process.execPath,
        [codeServer.entry, ...common, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--bind-addr', `127.0.0.1:${port}`, workspace],
        { env, detached: true, stdio: ['ignore', logFd, logFd] },
      );
      closeSync(logFd);
      const exited = new Promise<never>((_, reject) => {
        server!.once('exit', (code, signal) => reject(new Error(`code-server exited early (${code ?? signal}); log:\n${tail(logPath)}`)));
      });
      exited.catch(() => undefined);
      const base = `http://127.0.0.1:${port}`;
      await Promise.race([waitForHttp(`${base}/healthz`, 60_000, logPath), exited]);

      context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
        executablePath: chromiumPath,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
        viewport: options.viewport ?? { width: 1440, height: 900 },
        locale: 'en-GB',
        timezoneId: 'Europe/London',
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const url = `${base}/?folder=${encodeURIComponent(workspace)}`;
      const wb = new Workbench(options.name, dir, workspace, url, server, context, page);
      live.add(wb);
      await page.goto(url);
      await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });
      // The workspace folder is open in the explorer: the workbench is connected to the server.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      return wb;
    } catch (e) {
      await context?.close().catch(() => undefined);
      if (server?.pid) killGroup(server.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The code-server log (extension host errors end up here and in the SSD output channel). */
  serverLog(): string {
    return tail(join(this.dir, 'code-server.log'), 200);
  }

  /**
   * Change a user setting as a user does: Preferences: Open Settings (UI), its key in the search,
   * the value typed into its input and committed (Tab), the Settings editor closed. The Settings
   * editor writes through the editor's configuration service, which reloads the user settings
   * itself; writing User/settings.json from outside depended on code-server's file watcher
   * noticing the change, and on a CI machine it never did. Returns once the value is in
   * User/settings.json and the Settings editor is closed. For a setting with a text or number input.
   */
  async setUserSetting(key: string, value: string | number): Promise<void> {
    const page = this.page;
    const file = join(this.dir, 'user-data', 'User', 'settings.json');
    await this.closeQuickInput();
    await this.runCommand('Preferences: Open Settings (UI)');
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    // The User tab (not Workspace): the value goes into User/settings.json.
    await editor.locator('.settings-tabs-widget .action-label.checked', { hasText: /^User$/ }).waitFor({ state: 'visible', timeout: 15_000 });
    // The search box is a small editor: focus it and type the key.
    await editor.locator('.settings-header .search-container .suggest-input-container .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(key);
    const row = editor.locator(`.setting-item-contents[data-key="${key}"]`);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const input = row.locator('.setting-item-control input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(String(value));
    await input.press('Tab');
    // The Settings editor writes a typed value after a short pause; wait until it is in the file.
    const written = (): boolean => {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[key] === value;
      } catch {
        return false; // being written
      }
    };
    for (const end = Date.now() + 20_000; !written();) {
      if (Date.now() > end) throw new Error(`the Settings editor did not write ${key} = ${JSON.stringify(value)} to ${file}`);
      await delay(200);
    }
    // Closed with its tab's close button: the Settings editor re-renders the changed setting and
    // takes the focus back, which would close a command palette opened meanwhile.
    const tab = page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^Settings$/ }) }).first();
    await tab.locator('.tab-actions .action-label').first().click();
    await editor.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The SSD Workbench log channel as the editor wrote it (under the user-data logs folder), '' when none yet. */
  extensionLog(): string {
    const found: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (/SSD Workbench\.log$/.test(e.name)) found.push(join(d, e.name));
      }
    };
    try {
      walk(join(this.dir, 'user-data', 'logs'));
    } catch {
      return '';
    }
    return found.map((f) => readFileSync(f, 'utf8')).join('\n');
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  // ------------------------------------------------------------------ driving the workbench

  /**
   * Run a command from the command palette by its full title, e.g. "SSD: Check Tables".
   * Commands contributed by extensions reach the palette a moment after the workbench shows, so
   * the palette is reopened until the command is listed (up to timeoutMs).
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const page = this.page;
    const deadline = Date.now() + timeoutMs;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const row = page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({
        has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
      })
      .first();
    for (;;) {
      await this.closeQuickInput();
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      try {
        // The palette closes when something else takes the focus (a view re-rendered): then open it again.
        await input.fill(`>${title}`, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) });
        break;
      } catch (e) {
        if (Date.now() >= deadline) throw new Error(`command "${title}" is not in the command palette (${e instanceof Error ? e.message.split('\n')[0] : e})`);
      }
    }
    await row.click();
  }

  /**
   * Labels the command palette lists for a filter, once `control` (a command that must be there)
   * is listed, so an absent command is really absent and not just not loaded yet.
   */
  async paletteLabels(filter: string, control: string): Promise<string[]> {
    const page = this.page;
    await this.closeQuickInput();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${filter}`);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
    await rows
      .filter({ hasText: new RegExp(`^${escapeRegExp(control)}$`) })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const labels = (await rows.allInnerTexts()).map((t) => t.trim());
    // The list is virtual: make sure every match is rendered, or the caller would miss some.
    const listed = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const total = Number(await listed.first().getAttribute('aria-setsize'));
    if (Number.isFinite(total) && total > (await listed.count())) {
      throw new Error(`the palette shows ${await listed.count()} of ${total} matches for "${filter}": use a taller viewport or a narrower filter`);
    }
    await this.closeQuickInput();
    return labels;
  }

  /**
   * Type into the open quick input (input box or quick pick) and accept it: Enter, or a click on
   * the item labelled pickLabel. With title, first wait until the prompt with exactly that title is
   * shown, and after accepting until it is gone (multi-step prompts reuse one widget, so typing
   * too early goes into the previous step).
   */
  async answerQuickInput(text: string, pickLabel?: string | RegExp, title?: string): Promise<void> {
    const page = this.page;
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const titled = title === undefined ? undefined : widget.locator('.quick-input-title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
    if (titled) await titled.waitFor({ state: 'visible', timeout: 30_000 });
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(text);
    if (pickLabel !== undefined) {
      const row = widget
        .locator('.quick-input-list .monaco-list-row')
        .filter({
          has: page.locator('.label-name', { hasText: pickLabel }),
        })
        .first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click();
    } else {
      await input.press('Enter');
    }
    if (titled) await titled.waitFor({ state: 'hidden', timeout: 30_000 });
  }

  async closeQuickInput(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 10_000 });
    }
  }

  /** A notification toast whose message matches. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    });
  }

  /** Wait for a notification whose message matches and return its message text. */
  async waitForNotification(text: string | RegExp, timeout = 120_000): Promise<string> {
    const toast = this.notification(text).first();
    await toast.waitFor({ state: 'visible', timeout });
    // Settled: faded in, and no progress notification of the finished work left on screen.
    await this.page
      .locator('.notifications-toasts .notification-toast.notification-fade-in-done')
      .filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await this.waitForProgressDone();
    return (await toast.locator('.notification-list-item-message').innerText()).trim();
  }

  /** Wait until no progress notification (one with a Cancel button) is on screen. */
  async waitForProgressDone(timeout = 30_000): Promise<void> {
    await this.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ has: this.page.locator('.monaco-button', { hasText: /^Cancel$/ }) })
      .first()
      .waitFor({ state: 'hidden', timeout });
  }

  /** Close every notification toast (so later waits see only new ones). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page
      .locator('.notifications-toasts .notification-toast')
      .first()
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => undefined);
  }

  /** The body of the webview shown in the active editor (e.g. a report). */
  webviewBody(): Locator {
    return this.page.locator('.editor-group-container.active iframe.webview, iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame().locator('body');
  }

  /** The rows of the view pane with this title (e.g. "Tables"). */
  viewRows(paneTitle: string): Locator {
    const pane = this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: paneTitle }) });
    return pane.locator('.monaco-list-row');
  }

  /** A tree row by its label (exact) in a view pane. */
  treeRow(paneTitle: string, label: string): Locator {
    return this.viewRows(paneTitle)
      .filter({
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
      })
      .first();
  }

  /** Open the Problems panel and return its rows (each row's aria-label holds the message and position). */
  async openProblems(): Promise<Locator> {
    await this.runCommand('Problems: Focus on Problems View');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 20_000 });
    return panel.locator('.monaco-list-row');
  }

  /** Texts of the Problems panel's marker rows (aria-labels), e.g. "Error: ... at line 7 column 1 ...". */
  async problemLabels(): Promise<string[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const labels: string[] = [];
    for (const row of await rows.all()) labels.push((await row.getAttribute('aria-label')) ?? (await row.innerText()));
    return labels;
  }

  /** The editor cursor position as the status bar shows it, e.g. "Ln 7, Col 12". */
  async cursorPosition(): Promise<string> {
    const item = this.page.locator('.statusbar [id="status.editor.selection"]');
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    return (await item.innerText()).trim();
  }

  /** The active editor's cursor moves to the next problem (F8) and its marker widget opens; returns the widget's text. */
  async goToNextProblem(): Promise<string> {
    await this.page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .click({ position: { x: 2, y: 2 } });
    await this.page.keyboard.press('Control+Home');
    await this.runCommand('Go to Next Problem (Error, Warning, Info)');
    const widget = this.page.locator('.monaco-editor .marker-widget').first();
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    return (await widget.innerText()).trim();
  }

  /** Text of the line the active editor's cursor is on (from the rendered lines). */
  async currentLineText(): Promise<string> {
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    return editor.evaluate((el) => {
      const cursor = el.querySelector('.cursors-layer .cursor') as HTMLElement | null;
      if (!cursor) return '';
      const top = cursor.style.top;
      for (const line of Array.from(el.querySelectorAll('.view-lines .view-line')) as HTMLElement[]) {
        if (line.style.top === top) return (line.textContent ?? '').replace(/\u00a0/g, ' ');
      }
      return '';
    });
  }

  /** The Problems status bar item's counts ("Errors: 3, Warnings: 7, Infos: 2"). */
  async problemCounts(): Promise<{ errors: number; warnings: number; infos: number }> {
    const label = (await this.page.locator('.statusbar [id="status.problems"]').getAttribute('aria-label')) ?? '';
    const n = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(label)?.[1] ?? NaN);
    return { errors: n('Errors'), warnings: n('Warnings'), infos: n('Infos') };
  }

  /** Open a workspace file by its path relative to the workspace, through the explorer. */
  async openWorkspaceFile(relPath: string): Promise<void> {
    await this.runCommand('View: Show Explorer');
    const parts = relPath.split('/');
    for (let i = 0; i < parts.length; i++) {
      const row = this.viewRows('Explorer')
        .or(this.page.locator('.explorer-folders-view .monaco-list-row'))
        .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(parts[i]!)}$`) }) })
        .first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      const expanded = await row.getAttribute('aria-expanded');
      if (i < parts.length - 1) {
        if (expanded !== 'true') await row.click();
      } else {
        await row.dblclick();
      }
    }
    await this.page.locator('.tabs-container .tab.active', { hasText: parts[parts.length - 1]! }).waitFor({ timeout: 20_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  }

  // ------------------------------------------------------------------ lifecycle

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    await this.context.close().catch(() => undefined);
    await stopServer(this.server);
    if (!process.env.SSD_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
    else process.stderr.write(`e2e: kept ${this.dir}\n`);
  }

  /** Synchronous kill and clean-up for process exit. */
  killNow(): void {
    if (this.server.pid && this.server.exitCode === null) killGroup(this.server.pid, 'SIGKILL');
    if (!process.env.SSD_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the server's process group, then SIGKILL what is left after 5 s. */
async function stopServer(server: ChildProcess): Promise<void> {
  const pid = server.pid;
  if (!pid) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < deadline) await delay(100);
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
  const hard = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < hard) await delay(100);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForHttp(url: string, timeoutMs: number, logPath: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s; log:\n${tail(logPath)}`);
    await delay(200);
  }
}

function tail(path: string, lines = 60): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
