// The editor's connection pickers and forms: Select Connection (saved profiles, the SQL Server
// extension's connections through its exported API, Azure Data Studio's current connection
// (`azdata`), the demo), the Add/Edit Connection wizard with its connection test, Remove
// Connection, and the Windows password asked when a profile is opened. Neither host API is
// required: each is looked up when offered and skipped when absent. The switching itself is the
// session's (session.ts).
import * as vscode from 'vscode';
import { describeSpec, parseConnectionString, redactSecrets, type ConnectionSpec, type MssqlSpec } from '../../db/connectionSpec';
import { openDb } from '../../db/openDb';
import type { Db } from '../../db/types';
import type { Logger } from '../../log';
import { makeProfile, ProfileError, randomProfileId, type ConnectionProfile, type ProfileStore } from '../../connections/profiles';
import { borrowFromMssqlExtension, specFromAzdata, type AzdataApiLike, type BorrowedConnection, type MssqlExtensionApiLike } from '../../connections/hostConnections';
import { readSettings } from '../settings';
import { connectionErrorMessage } from '../../connections/connectionErrors';
import { describeConnectionTest, testOpenConnection } from '../../connections/testConnection';
import type { ActiveConnection, ConnectionSession } from './session';
import type { ConnectionStatus } from './status';

export class ConnectionPicker {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: ConnectionSession,
    private readonly status: ConnectionStatus,
    private readonly log: Logger,
  ) {}

  /** Like current(), but tells the user what to do when there is no connection. */
  async require(): Promise<ActiveConnection | undefined> {
    const c = await this.session.current();
    if (c) return c;
    const pick = await vscode.window.showInformationMessage(
      this.session.connectionState === 'failed' ? `SSD: ${this.session.failure ?? 'could not open the database: see the log'}` : 'SSD: no database is chosen yet.',
      'Open Demo Database',
      'Select Connection…',
    );
    if (pick === 'Open Demo Database') await vscode.commands.executeCommand('ssd.openDemo');
    else if (pick === 'Select Connection…') await vscode.commands.executeCommand('ssd.selectConnection');
    return this.session.activeConnection;
  }

  /** Offer every source and switch to the one picked (the status-bar item's one click). */
  async select(): Promise<ActiveConnection | undefined> {
    type Item = vscode.QuickPickItem & { run?: () => Promise<ActiveConnection | undefined> };
    const items: Item[] = [];
    const activeKey = this.session.activeConnection?.key;
    const profiles = this.session.profiles.list();
    if (profiles.length) items.push({ label: 'Saved connections', kind: vscode.QuickPickItemKind.Separator });
    for (const p of profiles) {
      items.push({
        label: `$(database) ${p.name}`,
        description: `${kindName(p.kind)}${p.schema ? ` · schema ${p.schema}` : ''}${p.id === activeKey ? ' · active' : ''}`,
        detail: safeAddress(p),
        run: () => this.session.useProfile(p.id),
      });
    }
    items.push({ label: 'Other sources', kind: vscode.QuickPickItemKind.Separator });
    const mssqlApi = await this.mssqlApi();
    if (mssqlApi)
      items.push({ label: '$(server) SQL Server extension connection…', description: 'borrow a connection from the SQL Server (mssql) extension', run: () => this.useMssqlExtension(mssqlApi) });
    const azdata = loadAzdata();
    if (azdata) items.push({ label: '$(server) Azure Data Studio: current connection', description: 'the connection of the active editor or Object Explorer', run: () => this.useAzdata(azdata) });
    items.push({ label: '$(beaker) Demo database', description: `embedded, fake children${activeKey === 'demo' ? ' · active' : ''}`, run: () => this.session.useDemo() });
    items.push({
      label: '$(add) Add connection…',
      run: async () => {
        await vscode.commands.executeCommand('ssd.addConnection');
        return this.session.activeConnection;
      },
    });
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
    return this.useHostConnection('azdata', () => specFromAzdata(azdata), 'SSD: Azure Data Studio has no current connection: connect in Object Explorer or a query editor first.');
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
    const choice =
      'spec' in got
        ? { source, key: `${source}:${describeSpec(got.spec)}`, label: got.label, spec: got.spec, ...(schema ? { schema } : {}) }
        : { source, key: `${source}:shared:${got.label}`, label: got.label, opener: got.open, ...(schema ? { schema } : {}) };
    return this.session.useHost(choice);
  }

  /** '' = default schema; null = cancelled. */
  private async askSchema(label: string): Promise<string | null> {
    const dflt = readSettings().schema;
    const v = await vscode.window.showInputBox({
      title: `SSD: schema of the SSD tables on ${label}`,
      prompt: 'Schema holding the SSD tables (empty: the database default, dbo)',
      value: dflt,
      validateInput: (s) =>
        s.trim() === '' || /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/.test(s.trim()) ? undefined : 'letters, digits, _, $ and # only, starting with a letter or _, at most 128 characters',
    });
    return v === undefined ? null : v.trim();
  }

  /** Ask for a new profile, test it (unless declined), save it and switch to it. */
  async addProfile(): Promise<ActiveConnection | undefined> {
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'SQL Server', id: 'mssql' as const, detail: 'Server=host,1433;Database=db;User Id=user;Encrypt=true  or  mssql://user@host:1433/db' },
        { label: 'PostgreSQL', id: 'postgres' as const, detail: 'postgres://user@host:5432/db' },
        { label: 'Oracle (Azeus; init, check, payload, fake and scripts so far)', id: 'oracle' as const, detail: 'oracle://user@host:1521/service  or  user@host:1521/service' },
        { label: 'Embedded database folder', id: 'pglite' as const, detail: 'pglite:<folder>: an embedded PostgreSQL kept in a folder on this machine' },
      ],
      { title: 'SSD: Add Connection (1/5)', placeHolder: 'What kind of database?' },
    );
    if (!kind) return undefined;
    const form = await this.profileForm({ kind: kind.id, label: kind.label, title: 'SSD: Add Connection' });
    if (!form) return undefined;
    try {
      const made = makeProfile({ name: form.name, address: form.address, schema: form.schema, ...(form.password ? { password: form.password } : {}) }, randomProfileId);
      await this.session.profiles.add(made.profile, made.password);
      this.log.info(`connection profile added (${made.profile.kind})`);
      await this.status.setContext();
      return this.session.useProfile(made.profile.id);
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: ${redactSecrets(e instanceof Error ? e.message : String(e), [form.password])}`);
      return undefined;
    }
  }

  /** Change a saved profile (address, password, schema, name), test it and reopen it when it is the one in use. */
  async editProfile(id?: string): Promise<ActiveConnection | undefined> {
    const list = this.session.profiles.list();
    if (!list.length) {
      void vscode.window.showInformationMessage('SSD: there are no saved connections to edit: use Add Connection….');
      return undefined;
    }
    let profile = id ? this.session.profiles.get(id) : undefined;
    if (!profile) {
      const activeId = this.session.activeConnection?.source === 'profile' ? this.session.activeConnection.key : undefined;
      const items = list.map((p) => ({ label: p.name, description: `${kindName(p.kind)}${p.id === activeId ? ' · in use' : ''}`, detail: safeAddress(p), id: p.id }));
      const pick = await vscode.window.showQuickPick(items, { title: 'SSD: Edit Connection', placeHolder: 'Which saved connection?' });
      if (!pick) return undefined;
      profile = this.session.profiles.get(pick.id);
      if (!profile) return undefined;
    }
    const form = await this.profileForm({ kind: profile.kind, label: kindName(profile.kind), title: `SSD: Edit Connection "${profile.name}"`, existing: profile });
    if (!form) return undefined;
    try {
      const made = makeProfile({ name: form.name, address: form.address, schema: form.schema, ...(form.password ? { password: form.password } : {}) }, () => profile!.id);
      // An empty password keeps the saved one; a password written in the address replaces it.
      await this.session.profiles.update(made.profile, made.password !== undefined ? { value: made.password } : { keep: true });
      this.log.info(`connection profile edited (${made.profile.kind})`);
      await this.status.setContext();
      if (this.session.activeConnection?.key === profile.id) return this.session.switchToChosen();
      return this.session.activeConnection;
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: ${redactSecrets(e instanceof Error ? e.message : String(e), [form.password])}`);
      return undefined;
    }
  }

  /**
   * The steps of Add/Edit Connection: address, password, schema, name, then Test (or save without
   * testing). A failed test offers to change the answers (kept) or save anyway. Undefined = cancelled.
   */
  private async profileForm(o: {
    kind: ConnectionProfile['kind'];
    label: string;
    title: string;
    existing?: ConnectionProfile;
  }): Promise<{ address: string; password?: string; schema: string; name: string } | undefined> {
    const example = {
      mssql: 'Server=sql01,1433;Database=ssd;User Id=ssd_reader;Encrypt=true;TrustServerCertificate=false',
      postgres: 'postgres://ssd_reader@localhost:5432/ssd',
      pglite: 'pglite:/path/to/folder',
      oracle: 'oracle://ssd_reader@db01:1521/FREEPDB1',
    }[o.kind];
    const editing = o.existing !== undefined;
    let values = { address: o.existing?.address ?? '', password: undefined as string | undefined, schema: o.existing?.schema ?? '', name: o.existing?.name ?? '' };
    for (;;) {
      const address = await vscode.window.showInputBox({
        title: `${o.title} (2/5)`,
        prompt: "Connection string or URL. Leave the password out: it is asked next and kept in the editor's secret storage.",
        placeHolder: example,
        value: values.address,
        ignoreFocusOut: true,
        validateInput: (s) => {
          if (!s.trim()) return 'a connection string is needed';
          try {
            const r = makeProfile({ name: 'x', address: s }, () => 'x');
            return r.profile.kind === o.kind ? undefined : `that is a ${kindName(r.profile.kind)} address, not ${o.label}`;
          } catch (e) {
            return e instanceof ProfileError ? redactSecrets(e.message) : 'not a valid address';
          }
        },
      });
      if (!address) return undefined;
      let password: string | undefined;
      if (o.kind !== 'pglite') {
        password = await vscode.window.showInputBox({
          title: `${o.title} (3/5)`,
          prompt:
            editing && o.existing!.hasPassword
              ? "New password (empty: keep the saved one). Kept in the editor's secret storage."
              : "Password (empty for none, or if the address holds it). Kept in the editor's secret storage.",
          password: true,
          ignoreFocusOut: true,
          value: values.password ?? '',
        });
        if (password === undefined) return undefined;
      }
      const schema = await vscode.window.showInputBox({
        title: `${o.title} (4/5)`,
        prompt: 'Schema holding the SSD tables (empty: the database default; SystemC deployments use ssd_development)',
        ignoreFocusOut: true,
        value: values.schema,
        validateInput: (s) =>
          s.trim() === '' || /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/.test(s.trim()) ? undefined : 'letters, digits, _, $ and # only, starting with a letter or _, at most 128 characters',
      });
      if (schema === undefined) return undefined;
      const name = await vscode.window.showInputBox({
        title: `${o.title} (5/5)`,
        prompt: 'A name for this connection',
        value: values.name || suggestName(address),
        ignoreFocusOut: true,
        validateInput: (s) => (s.trim() ? undefined : 'a name is needed'),
      });
      if (!name) return undefined;
      values = { address, password: password || undefined, schema, name };
      const testIt = { label: '$(plug) Test, then save', detail: 'Connect now, count the SSD tables in the schema, then save (nothing is written).', test: true };
      const saveIt = { label: '$(save) Save without testing', detail: 'Save the connection as it is.', test: false };
      const how = await vscode.window.showQuickPick([testIt, saveIt], { title: `${o.title}: test "${name}" before saving?`, ignoreFocusOut: true });
      if (!how) return undefined;
      if (!how.test) return values;
      let usePassword = values.password;
      if (usePassword === undefined && o.existing?.hasPassword) usePassword = await this.session.profiles.password(o.existing.id);
      const outcome = await this.testAddress(name, address, schema, usePassword);
      if (outcome.ok) {
        void vscode.window.showInformationMessage(`SSD: ${outcome.message}`);
        return values;
      }
      const pick = await vscode.window.showWarningMessage(
        `SSD: ${outcome.message}`,
        { modal: true, detail: 'Change the answers and test again, or save the connection as it is.' },
        'Change Answers',
        'Save Anyway',
      );
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
          lockTimeoutSeconds: settings.lockTimeoutSeconds,
          commandTimeoutSeconds: settings.commandTimeoutSeconds,
        });
        const r = await testOpenConnection(db, schema.trim() || settings.schema || db.defaultSchema);
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
    const list = this.session.profiles.list();
    if (!list.length) {
      void vscode.window.showInformationMessage('SSD: there are no saved connections.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      list.map((p) => ({ label: p.name, description: kindName(p.kind), detail: safeAddress(p), id: p.id })),
      { title: 'SSD: Remove Connection', placeHolder: 'Which saved connection?' },
    );
    if (!pick) return;
    const ok = await vscode.window.showWarningMessage(`Remove the connection "${pick.label}" and its saved password?`, { modal: true }, 'Remove');
    if (ok !== 'Remove') return;
    const wasActive = this.session.activeConnection?.key === pick.id;
    await this.session.profiles.remove(pick.id);
    this.log.info('connection profile removed');
    await this.status.setContext();
    if (wasActive) await this.session.switchToChosen();
  }
}

/**
 * A Windows account (Domain= or DOMAIN\user) saved without its password: ask once and keep it in
 * the editor's secret storage, as for any profile.
 */
export async function askWindowsPassword(profiles: ProfileStore, profile: ConnectionProfile): Promise<string | undefined> {
  if (profile.kind !== 'mssql') return undefined;
  let spec: ConnectionSpec;
  try {
    spec = parseConnectionString(profile.address);
  } catch {
    return undefined;
  }
  if (spec.kind !== 'mssql' || !spec.domain) return undefined;
  const pw = await vscode.window.showInputBox({
    title: `SSD: password of ${spec.domain}\\${spec.user ?? ''}`,
    prompt: `The Windows password for ${profile.name} (signed in over NTLM). Kept in the editor's secret storage; asked only once.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (!pw) return undefined;
  await profiles.setPassword(profile.id, pw);
  return pw;
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
  try {
    return describeSpecText(p.address);
  } catch {
    return kindName(p.kind);
  }
}

function describeSpecText(address: string): string {
  return redactSecrets(address);
}

function suggestName(address: string): string {
  try {
    const r = makeProfile({ name: 'x', address }, () => 'x');
    return describeSpecText(r.profile.address)
      .replace(/^(postgres(ql)?|mssql):\/\//i, '')
      .slice(0, 60);
  } catch {
    return '';
  }
}
