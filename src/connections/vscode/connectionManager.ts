// The active SSD connection in the editor: our own profiles (globalState + SecretStorage), the
// SQL Server extension's connections (ms-mssql.mssql exported API), Azure Data Studio's current
// connection (`azdata`), and the embedded demo database when nothing else is chosen. Neither host
// API is required: each is looked up when offered and skipped when absent.
import * as vscode from 'vscode';
import { describeSpec, parseConnectionString, redactSecrets, type ConnectionSpec, type MssqlSpec } from '../../db/connectionSpec';
import { openDb } from '../../db/openDb';
import type { Db } from '../../db/types';
import type { Logger } from '../../log';
import { makeProfile, ProfileError, ProfileStore, randomProfileId, type ConnectionProfile } from '../profiles';
import { borrowFromMssqlExtension, specFromAzdata, type AzdataApiLike, type BorrowedConnection, type MssqlExtensionApiLike } from '../hostConnections';
import { readSettings } from '../../extension/settings';
import { connectionErrorMessage } from '../connectionErrors';
import { describeConnectionTest, testOpenConnection } from '../testConnection';

export type ConnectionSource = 'demo' | 'profile' | 'mssql-extension' | 'azdata';

export interface ActiveConnection {
  /** 'demo', a profile id, or a host-connection key. */
  readonly key: string;
  readonly source: ConnectionSource;
  /** What the user sees (profile name, host connection name, "Demo database"). */
  readonly label: string;
  /** Safe description of the target (never a password). */
  readonly description: string;
  readonly db: Db;
  /** Schema holding the SSD tables for this connection. */
  readonly schema: string;
  /** True for the embedded demo database (fake data only). */
  readonly isDemo: boolean;
}

/** Makes (when missing) and locates the embedded demo database. */
export interface DemoDatabase {
  /** The address (pglite:<dir>) when the demo exists, else undefined. */
  existing(): string | undefined;
  /** Create it (with progress) when missing; returns its address. */
  ensure(): Promise<string | undefined>;
  readonly schema: string;
  /** Claim the demo for this window before opening it (throws when another window has it open). */
  acquire?(): void;
  /** Give the claim back after closing it. */
  release?(): void;
}

export type ConnectionState = 'noDemo' | 'opening' | 'open' | 'failed' | 'makingDemo';

type Pending =
  | { source: 'demo' }
  | { source: 'profile'; profile: ConnectionProfile }
  | { source: 'mssql-extension' | 'azdata'; key: string; label: string; spec?: ConnectionSpec; opener?: () => Promise<Db>; schema?: string };

export class ConnectionManager implements vscode.Disposable {
  readonly profiles: ProfileStore;
  private active: ActiveConnection | undefined;
  private opening: Promise<ActiveConnection | undefined> | undefined;
  /** A host-editor connection chosen this session (not persisted: credentials come from the host each time). */
  private hostChoice: Extract<Pending, { source: 'mssql-extension' | 'azdata' }> | undefined;
  private state: ConnectionState = 'noDemo';
  private lastError: string | undefined;
  private readonly emitter = new vscode.EventEmitter<ActiveConnection | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly status: vscode.StatusBarItem;
  private generation = 0;

  constructor(private readonly context: vscode.ExtensionContext, private readonly demo: DemoDatabase, private readonly log: Logger) {
    this.profiles = new ProfileStore(context.globalState, context.secrets);
    this.status = vscode.window.createStatusBarItem('ssd.connection', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'SSD Connection';
    this.status.command = 'ssd.selectConnection';
    this.updateStatus();
    this.status.show();
    void this.setContext();
  }

  dispose(): void {
    this.status.dispose();
    this.emitter.dispose();
    void this.closeActive();
  }

  get connectionState(): ConnectionState { return this.state; }
  get failure(): string | undefined { return this.lastError; }
  /** Changes each time the connection changes: lets caches know they are stale. */
  get epoch(): number { return this.generation; }

  /** The open connection, opening the chosen one (or the demo) when needed; undefined when there is none. */
  async current(): Promise<ActiveConnection | undefined> {
    if (this.active) return this.active;
    if (this.opening) return this.opening;
    // A connection that failed is tried again only when asked (Refresh, Select, a setting change):
    // retrying on every redraw would hammer the server and could lock the account.
    if (this.state === 'failed') return undefined;
    // The demo is being made: nothing to open until it is ready.
    if (this.state === 'makingDemo') return undefined;
    const pending = this.pendingChoice();
    if (!pending) { this.setState('noDemo'); return undefined; }
    this.opening = this.open(pending).finally(() => { this.opening = undefined; });
    return this.opening;
  }

  /** Like current(), but tells the user what to do when there is no connection. */
  async require(): Promise<ActiveConnection | undefined> {
    const c = await this.current();
    if (c) return c;
    const pick = await vscode.window.showInformationMessage(
      this.state === 'failed' ? `SSD: ${this.lastError ?? 'could not open the database: see the log'}` : 'SSD: no database is chosen yet.',
      'Open Demo Database', 'Select Connection…',
    );
    if (pick === 'Open Demo Database') await vscode.commands.executeCommand('ssd.openDemo');
    else if (pick === 'Select Connection…') await vscode.commands.executeCommand('ssd.selectConnection');
    return this.active;
  }

  private pendingChoice(): Pending | undefined {
    if (this.hostChoice) return this.hostChoice;
    const chosen = this.profiles.active();
    if (chosen?.source === 'profile') {
      const profile = this.profiles.get(chosen.id);
      if (profile) return { source: 'profile', profile };
    }
    if (this.demo.existing()) return { source: 'demo' };
    return undefined;
  }

  private async open(p: Pending): Promise<ActiveConnection | undefined> {
    this.setState('opening');
    const settings = readSettings();
    let spec: string | ConnectionSpec | undefined;
    let opener: (() => Promise<Db>) | undefined;
    let password: string | undefined;
    let key: string;
    let label: string;
    let schema: string | undefined;
    switch (p.source) {
      case 'demo': {
        const address = this.demo.existing();
        if (!address) { this.setState('noDemo'); return undefined; }
        spec = address; key = 'demo'; label = 'Demo database'; schema = this.demo.schema;
        break;
      }
      case 'profile':
        spec = p.profile.address; key = p.profile.id; label = p.profile.name;
        schema = p.profile.schema ?? (settings.schema || undefined);
        if (p.profile.hasPassword) password = await this.profiles.password(p.profile.id);
        else password = await this.askWindowsPassword(p.profile);
        break;
      default:
        spec = p.spec; opener = p.opener; key = p.key; label = p.label; schema = p.schema ?? (settings.schema || undefined);
    }
    const t0 = Date.now();
    try {
      if (p.source === 'demo') this.demo.acquire?.();
      const sqlServer = {
        ...(settings.sqlServerCaFile ? { caFile: settings.sqlServerCaFile } : {}),
        lockTimeoutSeconds: settings.lockTimeoutSeconds,
        commandTimeoutSeconds: settings.commandTimeoutSeconds,
      };
      if (!opener && spec === undefined) throw new Error('the chosen connection has no address');
      // Embedded databases run in a worker thread: the extension host's main thread never runs them.
      const db = opener ? await opener() : await openDb(spec!, { ...sqlServer, inWorker: true, ...(password !== undefined ? { password } : {}) });
      const conn: ActiveConnection = {
        key, source: p.source, label, description: db.description, db,
        schema: schema ?? db.defaultSchema, isDemo: p.source === 'demo',
      };
      this.active = conn;
      this.generation++;
      this.lastError = undefined;
      this.log.info(`connected to ${db.description} (schema ${conn.schema}) in ${Date.now() - t0} ms`);
      this.setState('open');
      this.emitter.fire(conn);
      return conn;
    } catch (e) {
      if (p.source === 'demo') this.demo.release?.();
      const raw = redactSecrets(e instanceof Error ? e.message : String(e), [password]);
      // One readable line naming the connection and what to do; the driver's words go to the log.
      this.lastError = connectionErrorMessage(label, e, [password]);
      // A Windows password the server refused is asked again next time, not retried (account lockout).
      if (p.source === 'profile' && p.profile.hasPassword !== false && /login failed/i.test(raw) && windowsAccount(p.profile)) {
        await this.profiles.forgetPassword(p.profile.id).catch(() => undefined);
        this.lastError += ' (the saved Windows password was forgotten: it is asked again next time)';
      }
      this.log.error(`could not open ${label}: ${raw}`);
      this.setState('failed');
      this.emitter.fire(undefined);
      return undefined;
    }
  }

  /**
   * A Windows account (Domain= or DOMAIN\user) saved without its password: ask once and keep it in
   * the editor's secret storage, as for any profile.
   */
  private async askWindowsPassword(profile: ConnectionProfile): Promise<string | undefined> {
    if (profile.kind !== 'mssql') return undefined;
    let spec: ConnectionSpec;
    try { spec = parseConnectionString(profile.address); } catch { return undefined; }
    if (spec.kind !== 'mssql' || !spec.domain) return undefined;
    const pw = await vscode.window.showInputBox({
      title: `SSD: password of ${spec.domain}\\${spec.user ?? ''}`,
      prompt: `The Windows password for ${profile.name} (signed in over NTLM). Kept in the editor's secret storage; asked only once.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!pw) return undefined;
    await this.profiles.setPassword(profile.id, pw);
    return pw;
  }

  private async closeActive(): Promise<void> {
    const a = this.active;
    this.active = undefined;
    this.generation++;
    if (a) await a.db.close().catch((e: unknown) => this.log.warn(`closing ${a.description}: ${redactSecrets(String(e))}`));
    if (a?.isDemo) this.demo.release?.();
  }

  /** The open connection without opening one (undefined while none is open). */
  get activeConnection(): ActiveConnection | undefined { return this.active; }

  /** Close the connection (deactivation, or before deleting the demo). */
  async close(): Promise<void> {
    if (this.opening) await this.opening.catch(() => undefined);
    await this.closeActive();
  }

  /** Close and reopen (after a setting change or a refresh). */
  async reopen(): Promise<ActiveConnection | undefined> {
    await this.closeActive();
    this.clearFailure();
    return this.current();
  }

  private clearFailure(): void {
    if (this.state === 'failed') this.state = 'noDemo';
  }

  private async switchTo(change: () => Promise<void> | void): Promise<ActiveConnection | undefined> {
    if (this.opening) await this.opening.catch(() => undefined);
    await this.closeActive();
    await change();
    this.clearFailure();
    const c = await this.current();
    if (!c && this.state === 'failed') void vscode.window.showErrorMessage(`SSD: ${this.lastError ?? 'could not open the database: see the log'}`);
    return c;
  }

  /**
   * Switch to the demo, making it first when missing. `remake` (Recreate Demo Database) deletes the
   * demo after the demo connection is closed; it may throw (another window has it open), and the
   * demo connection is then reopened. While the demo is being made the view says so ('makingDemo').
   */
  async useDemo(remake?: () => void): Promise<ActiveConnection | undefined> {
    let address = remake ? undefined : this.demo.existing();
    if (!address) {
      if (this.opening) await this.opening.catch(() => undefined);
      const wasDemo = this.active?.isDemo === true;
      if (remake && wasDemo) await this.closeActive();
      this.setState('makingDemo');
      this.emitter.fire(undefined);
      try {
        remake?.();
        address = await this.demo.ensure();
      } catch (e) {
        this.setState(this.active ? 'open' : 'noDemo');
        if (wasDemo) await this.reopen();
        else this.emitter.fire(this.active);
        throw e;
      }
      this.setState(this.active ? 'open' : 'noDemo');
      if (!address) {
        // Cancelled or failed: nothing was made; whatever was open before stays open.
        this.emitter.fire(this.active);
        return undefined;
      }
    }
    return this.switchTo(async () => { this.hostChoice = undefined; await this.profiles.setActive({ source: 'demo' }); });
  }

  async useProfile(id: string): Promise<ActiveConnection | undefined> {
    return this.switchTo(async () => { this.hostChoice = undefined; await this.profiles.setActive({ source: 'profile', id }); });
  }

  /** Offer every source and switch to the one picked (the status-bar item's one click). */
  async select(): Promise<ActiveConnection | undefined> {
    type Item = vscode.QuickPickItem & { run?: () => Promise<ActiveConnection | undefined> };
    const items: Item[] = [];
    const activeKey = this.active?.key;
    const profiles = this.profiles.list();
    if (profiles.length) items.push({ label: 'Saved connections', kind: vscode.QuickPickItemKind.Separator });
    for (const p of profiles) {
      items.push({
        label: `$(database) ${p.name}`,
        description: `${kindName(p.kind)}${p.schema ? ` · schema ${p.schema}` : ''}${p.id === activeKey ? ' · active' : ''}`,
        detail: safeAddress(p),
        run: () => this.useProfile(p.id),
      });
    }
    items.push({ label: 'Other sources', kind: vscode.QuickPickItemKind.Separator });
    const mssqlApi = await this.mssqlApi();
    if (mssqlApi) items.push({ label: '$(server) SQL Server extension connection…', description: 'borrow a connection from the SQL Server (mssql) extension', run: () => this.useMssqlExtension(mssqlApi) });
    const azdata = loadAzdata();
    if (azdata) items.push({ label: '$(server) Azure Data Studio: current connection', description: 'the connection of the active editor or Object Explorer', run: () => this.useAzdata(azdata) });
    items.push({ label: '$(beaker) Demo database', description: `embedded, fake children${activeKey === 'demo' ? ' · active' : ''}`, run: () => this.useDemo() });
    items.push({ label: '$(add) Add connection…', run: async () => { await vscode.commands.executeCommand('ssd.addConnection'); return this.active; } });
    const pick = await vscode.window.showQuickPick(items, { title: 'SSD: Select Connection', placeHolder: 'Which database holds the SSD tables?', matchOnDescription: true });
    return pick?.run ? pick.run() : undefined;
  }

  private async mssqlApi(): Promise<MssqlExtensionApiLike | undefined> {
    const ext = vscode.extensions.getExtension<MssqlExtensionApiLike>('ms-mssql.mssql');
    if (!ext) return undefined;
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      return api && typeof api.promptForConnection === 'function' ? api : undefined;
    } catch (e) {
      this.log.warn(`the SQL Server extension did not activate: ${redactSecrets(String(e))}`);
      return undefined;
    }
  }

  private useMssqlExtension(api: MssqlExtensionApiLike): Promise<ActiveConnection | undefined> {
    return this.useHostConnection('mssql-extension', () => borrowFromMssqlExtension(api, this.context.extension.id));
  }

  private useAzdata(azdata: AzdataApiLike): Promise<ActiveConnection | undefined> {
    return this.useHostConnection('azdata', () => specFromAzdata(azdata),
      'SSD: Azure Data Studio has no current connection: connect in Object Explorer or a query editor first.');
  }

  /** A host editor's connection: its details from the host, then the schema, then switch to it. */
  private async useHostConnection(
    source: 'mssql-extension' | 'azdata',
    fetch: () => Promise<BorrowedConnection | { spec: MssqlSpec; label: string } | undefined>,
    noneMessage?: string,
  ): Promise<ActiveConnection | undefined> {
    let got: BorrowedConnection | { spec: MssqlSpec; label: string } | undefined;
    try {
      got = await fetch();
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
      return undefined;
    }
    if (!got) {
      if (noneMessage) void vscode.window.showInformationMessage(noneMessage);
      return undefined;
    }
    const schema = await this.askSchema(got.label);
    if (schema === null) return undefined;
    const choice = 'spec' in got
      ? { source, key: `${source}:${describeSpec(got.spec)}`, label: got.label, spec: got.spec, ...(schema ? { schema } : {}) }
      : { source, key: `${source}:shared:${got.label}`, label: got.label, opener: got.open, ...(schema ? { schema } : {}) };
    return this.switchTo(() => { this.hostChoice = choice; });
  }

  /** '' = default schema; null = cancelled. */
  private async askSchema(label: string): Promise<string | null> {
    const dflt = readSettings().schema;
    const v = await vscode.window.showInputBox({
      title: `SSD: schema of the SSD tables on ${label}`,
      prompt: 'Schema holding the SSD tables (empty: the database default, dbo)',
      value: dflt,
      validateInput: (s) => (s.trim() === '' || /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/.test(s.trim()) ? undefined : 'letters, digits, _, $ and # only, starting with a letter or _, at most 128 characters'),
    });
    return v === undefined ? null : v.trim();
  }

  /** Ask for a new profile, test it (unless declined), save it and switch to it. */
  async addProfile(): Promise<ActiveConnection | undefined> {
    const kind = await vscode.window.showQuickPick([
      { label: 'SQL Server', id: 'mssql' as const, detail: 'Server=host,1433;Database=db;User Id=user;Encrypt=true  or  mssql://user@host:1433/db' },
      { label: 'PostgreSQL', id: 'postgres' as const, detail: 'postgres://user@host:5432/db' },
      { label: 'Oracle (Azeus; init and scripts so far)', id: 'oracle' as const, detail: 'oracle://user@host:1521/service  or  user@host:1521/service' },
      { label: 'Embedded database folder', id: 'pglite' as const, detail: 'pglite:<folder>: an embedded PostgreSQL kept in a folder on this machine' },
    ], { title: 'SSD: Add Connection (1/5)', placeHolder: 'What kind of database?' });
    if (!kind) return undefined;
    const form = await this.profileForm({ kind: kind.id, label: kind.label, title: 'SSD: Add Connection' });
    if (!form) return undefined;
    try {
      const made = makeProfile({ name: form.name, address: form.address, schema: form.schema, ...(form.password ? { password: form.password } : {}) }, randomProfileId);
      await this.profiles.add(made.profile, made.password);
      this.log.info(`connection profile added (${made.profile.kind})`);
      await this.setContext();
      return this.useProfile(made.profile.id);
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: ${redactSecrets(e instanceof Error ? e.message : String(e), [form.password])}`);
      return undefined;
    }
  }

  /** Change a saved profile (address, password, schema, name), test it and reopen it when it is the one in use. */
  async editProfile(id?: string): Promise<ActiveConnection | undefined> {
    const list = this.profiles.list();
    if (!list.length) { void vscode.window.showInformationMessage('SSD: there are no saved connections to edit: use Add Connection….'); return undefined; }
    let profile = id ? this.profiles.get(id) : undefined;
    if (!profile) {
      const activeId = this.active?.source === 'profile' ? this.active.key : undefined;
      const items = list.map((p) => ({ label: p.name, description: `${kindName(p.kind)}${p.id === activeId ? ' · in use' : ''}`, detail: safeAddress(p), id: p.id }));
      const pick = await vscode.window.showQuickPick(items, { title: 'SSD: Edit Connection', placeHolder: 'Which saved connection?' });
      if (!pick) return undefined;
      profile = this.profiles.get(pick.id);
      if (!profile) return undefined;
    }
    const form = await this.profileForm({ kind: profile.kind, label: kindName(profile.kind), title: `SSD: Edit Connection "${profile.name}"`, existing: profile });
    if (!form) return undefined;
    try {
      const made = makeProfile({ name: form.name, address: form.address, schema: form.schema, ...(form.password ? { password: form.password } : {}) }, () => profile!.id);
      // An empty password keeps the saved one; a password written in the address replaces it.
      await this.profiles.update(made.profile, made.password !== undefined ? { value: made.password } : { keep: true });
      this.log.info(`connection profile edited (${made.profile.kind})`);
      await this.setContext();
      if (this.active?.key === profile.id) return this.switchTo(() => undefined);
      return this.active;
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: ${redactSecrets(e instanceof Error ? e.message : String(e), [form.password])}`);
      return undefined;
    }
  }

  /**
   * The steps of Add/Edit Connection: address, password, schema, name, then Test (or save without
   * testing). A failed test offers to change the answers (kept) or save anyway. Undefined = cancelled.
   */
  private async profileForm(o: { kind: ConnectionProfile['kind']; label: string; title: string; existing?: ConnectionProfile }): Promise<{ address: string; password?: string; schema: string; name: string } | undefined> {
    const example = { mssql: 'Server=sql01,1433;Database=ssd;User Id=ssd_reader;Encrypt=true;TrustServerCertificate=false', postgres: 'postgres://ssd_reader@localhost:5432/ssd', pglite: 'pglite:/path/to/folder', oracle: 'oracle://ssd_reader@db01:1521/FREEPDB1' }[o.kind];
    const editing = o.existing !== undefined;
    let values = { address: o.existing?.address ?? '', password: undefined as string | undefined, schema: o.existing?.schema ?? '', name: o.existing?.name ?? '' };
    for (;;) {
      const address = await vscode.window.showInputBox({
        title: `${o.title} (2/5)`,
        prompt: 'Connection string or URL. Leave the password out: it is asked next and kept in the editor\'s secret storage.',
        placeHolder: example,
        value: values.address,
        ignoreFocusOut: true,
        validateInput: (s) => {
          if (!s.trim()) return 'a connection string is needed';
          try { const r = makeProfile({ name: 'x', address: s }, () => 'x'); return r.profile.kind === o.kind ? undefined : `that is a ${kindName(r.profile.kind)} address, not ${o.label}`; } catch (e) { return e instanceof ProfileError ? redactSecrets(e.message) : 'not a valid address'; }
        },
      });
      if (!address) return undefined;
      let password: string | undefined;
      if (o.kind !== 'pglite') {
        password = await vscode.window.showInputBox({
          title: `${o.title} (3/5)`,
          prompt: editing && o.existing!.hasPassword
            ? 'New password (empty: keep the saved one). Kept in the editor\'s secret storage.'
            : 'Password (empty for none, or if the address holds it). Kept in the editor\'s secret storage.',
          password: true, ignoreFocusOut: true, value: values.password ?? '',
        });
        if (password === undefined) return undefined;
      }
      const schema = await vscode.window.showInputBox({
        title: `${o.title} (4/5)`, prompt: 'Schema holding the SSD tables (empty: the database default; SystemC deployments use ssd_development)', ignoreFocusOut: true, value: values.schema,
        validateInput: (s) => (s.trim() === '' || /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/.test(s.trim()) ? undefined : 'letters, digits, _, $ and # only, starting with a letter or _, at most 128 characters'),
      });
      if (schema === undefined) return undefined;
      const name = await vscode.window.showInputBox({ title: `${o.title} (5/5)`, prompt: 'A name for this connection', value: values.name || suggestName(address), ignoreFocusOut: true, validateInput: (s) => (s.trim() ? undefined : 'a name is needed') });
      if (!name) return undefined;
      values = { address, password: password || undefined, schema, name };
      const testIt = { label: '$(plug) Test, then save', detail: 'Connect now, count the SSD tables in the schema, then save (nothing is written).', test: true };
      const saveIt = { label: '$(save) Save without testing', detail: 'Save the connection as it is.', test: false };
      const how = await vscode.window.showQuickPick([testIt, saveIt], { title: `${o.title}: test "${name}" before saving?`, ignoreFocusOut: true });
      if (!how) return undefined;
      if (!how.test) return values;
      let usePassword = values.password;
      if (usePassword === undefined && o.existing?.hasPassword) usePassword = await this.profiles.password(o.existing.id);
      const outcome = await this.testAddress(name, address, schema, usePassword);
      if (outcome.ok) {
        void vscode.window.showInformationMessage(`SSD: ${outcome.message}`);
        return values;
      }
      const pick = await vscode.window.showWarningMessage(`SSD: ${outcome.message}`, { modal: true, detail: 'Change the answers and test again, or save the connection as it is.' }, 'Change Answers', 'Save Anyway');
      if (pick === 'Save Anyway') return values;
      if (pick !== 'Change Answers') return undefined;
    }
  }

  /** Open the address once (with progress), count the schema's SSD tables, close it. */
  private async testAddress(label: string, address: string, schema: string, password: string | undefined): Promise<{ ok: boolean; message: string }> {
    const settings = readSettings();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `SSD: testing "${label}"…` }, async () => {
      let db: Db | undefined;
      try {
        const split = makeProfile({ name: 'x', address, ...(password ? { password } : {}) }, () => 'x');
        db = await openDb(split.profile.address, {
          create: false,
          ...(split.password !== undefined ? { password: split.password } : {}),
          ...(settings.sqlServerCaFile ? { caFile: settings.sqlServerCaFile } : {}),
          lockTimeoutSeconds: settings.lockTimeoutSeconds, commandTimeoutSeconds: settings.commandTimeoutSeconds,
        });
        const r = await testOpenConnection(db, schema.trim() || (settings.schema || db.defaultSchema));
        this.log.info(`connection test: ${r.ssdTables} SSD tables`);
        return { ok: true, message: describeConnectionTest(label, r) };
      } catch (e) {
        this.log.warn(`connection test failed: ${redactSecrets(e instanceof Error ? e.message : String(e), [password])}`);
        return { ok: false, message: connectionErrorMessage(label, e, [password]) };
      } finally {
        await db?.close().catch(() => undefined);
      }
    });
  }

  async removeProfile(): Promise<void> {
    const list = this.profiles.list();
    if (!list.length) { void vscode.window.showInformationMessage('SSD: there are no saved connections.'); return; }
    const pick = await vscode.window.showQuickPick(list.map((p) => ({ label: p.name, description: kindName(p.kind), detail: safeAddress(p), id: p.id })), { title: 'SSD: Remove Connection', placeHolder: 'Which saved connection?' });
    if (!pick) return;
    const ok = await vscode.window.showWarningMessage(`Remove the connection "${pick.label}" and its saved password?`, { modal: true }, 'Remove');
    if (ok !== 'Remove') return;
    const wasActive = this.active?.key === pick.id;
    await this.profiles.remove(pick.id);
    this.log.info('connection profile removed');
    await this.setContext();
    if (wasActive) await this.switchTo(() => undefined);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.updateStatus();
    void this.setContext();
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'ssd.state', this.state);
    await vscode.commands.executeCommand('setContext', 'ssd.connected', this.state === 'open');
    await vscode.commands.executeCommand('setContext', 'ssd.isDemo', this.active?.isDemo === true);
    await vscode.commands.executeCommand('setContext', 'ssd.activeIsProfile', this.active?.source === 'profile');
    await vscode.commands.executeCommand('setContext', 'ssd.hasProfiles', this.profiles.list().length > 0);
  }

  private updateStatus(): void {
    const a = this.active;
    if (this.state === 'makingDemo') {
      this.status.text = '$(sync~spin) SSD: making the demo…';
      this.status.tooltip = 'SSD Workbench is making the demo database (in the background; Cancel in its notification)';
    } else if (this.state === 'opening') {
      this.status.text = '$(sync~spin) SSD: connecting…';
      this.status.tooltip = 'SSD Workbench is opening the database';
    } else if (a) {
      this.status.text = `$(database) SSD: ${a.label} · ${a.schema}`;
      const md = new vscode.MarkdownString(`**SSD connection**\n\n${escapeMd(a.description)}\n\nSchema: \`${a.schema}\`\n\nClick to switch.`);
      this.status.tooltip = md;
    } else if (this.state === 'failed') {
      this.status.text = '$(error) SSD: not connected';
      this.status.tooltip = `Could not open the database: ${this.lastError ?? ''}. Click to choose another.`;
    } else {
      this.status.text = '$(database) SSD: no database';
      this.status.tooltip = 'Choose an SSD connection, or open the demo database';
    }
    this.status.accessibilityInformation = { label: this.status.text.replace(/\$\([^)]*\)\s*/g, '') };
  }
}

/** Whether a profile signs in with a Windows account over NTLM (Domain= or DOMAIN\user). */
function windowsAccount(profile: ConnectionProfile): boolean {
  if (profile.kind !== 'mssql') return false;
  try {
    const spec = parseConnectionString(profile.address);
    return spec.kind === 'mssql' && !!spec.domain;
  } catch {
    return false;
  }
}

function loadAzdata(): AzdataApiLike | undefined {
  try {
    // Only exists inside Azure Data Studio; the bundle marks it external.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('azdata') as AzdataApiLike;
    return m && m.connection && typeof m.connection.getCurrentConnection === 'function' ? m : undefined;
  } catch {
    return undefined;
  }
}

export function kindName(kind: string): string {
  return kind === 'mssql' ? 'SQL Server' : kind === 'postgres' ? 'PostgreSQL' : kind === 'oracle' ? 'Oracle' : 'embedded';
}

function safeAddress(p: ConnectionProfile): string {
  try { return describeSpecText(p.address); } catch { return kindName(p.kind); }
}

function describeSpecText(address: string): string {
  return redactSecrets(address);
}

function suggestName(address: string): string {
  try {
    const r = makeProfile({ name: 'x', address }, () => 'x');
    return describeSpecText(r.profile.address).replace(/^(postgres(ql)?|mssql):\/\//i, '').slice(0, 60);
  } catch {
    return '';
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
