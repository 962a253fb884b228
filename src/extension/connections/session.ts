// The editor's connection session: which connection is chosen (a saved profile, a host editor's
// connection, or the embedded demo database), opening it when first needed, closing and switching,
// and the state the status bar and the view show. No pickers or forms here (picker.ts) and no
// status bar (status.ts): the session fires onDidChange (the open connection) and onDidChangeState.
import * as vscode from 'vscode';
import { parseConnectionString, redactSecrets, type ConnectionSpec } from '../../db/connectionSpec';
import { openDb } from '../../db/openDb';
import type { Db } from '../../db/types';
import type { Logger } from '../../log';
import type { ConnectionProfile, ProfileStore } from '../../connections/profiles';
import { readSettings } from '../settings';
import { connectionErrorMessage } from '../../connections/connectionErrors';

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

/** A host editor's connection chosen this session (not persisted: credentials come from the host each time). */
export interface HostChoice {
  source: 'mssql-extension' | 'azdata';
  key: string;
  label: string;
  spec?: ConnectionSpec;
  opener?: () => Promise<Db>;
  schema?: string;
}

type Pending = { source: 'demo' } | { source: 'profile'; profile: ConnectionProfile } | HostChoice;

export interface SessionOptions {
  /** A Windows account saved without its password: ask for it (undefined = not given). */
  askWindowsPassword(profile: ConnectionProfile): Promise<string | undefined>;
}

export class ConnectionSession implements vscode.Disposable {
  private active: ActiveConnection | undefined;
  private opening: Promise<ActiveConnection | undefined> | undefined;
  private hostChoice: HostChoice | undefined;
  private state: ConnectionState = 'noDemo';
  private lastError: string | undefined;
  private readonly emitter = new vscode.EventEmitter<ActiveConnection | undefined>();
  /** The open connection changed (undefined: none is open). */
  readonly onDidChange = this.emitter.event;
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionState>();
  /** The state changed (status bar, context keys). */
  readonly onDidChangeState = this.stateEmitter.event;
  private generation = 0;

  constructor(
    readonly profiles: ProfileStore,
    private readonly demo: DemoDatabase,
    private readonly log: Logger,
    private readonly options: SessionOptions,
  ) {}

  dispose(): void {
    this.emitter.dispose();
    this.stateEmitter.dispose();
    void this.closeActive();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }
  get failure(): string | undefined {
    return this.lastError;
  }
  /** Changes each time the connection changes: lets caches know they are stale. */
  get epoch(): number {
    return this.generation;
  }

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
    if (!pending) {
      this.setState('noDemo');
      return undefined;
    }
    this.opening = this.open(pending).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
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
        if (!address) {
          this.setState('noDemo');
          return undefined;
        }
        spec = address;
        key = 'demo';
        label = 'Demo database';
        schema = this.demo.schema;
        break;
      }
      case 'profile':
        spec = p.profile.address;
        key = p.profile.id;
        label = p.profile.name;
        schema = p.profile.schema ?? (settings.schema || undefined);
        if (p.profile.hasPassword) password = await this.profiles.password(p.profile.id);
        else password = await this.options.askWindowsPassword(p.profile);
        break;
      default:
        spec = p.spec;
        opener = p.opener;
        key = p.key;
        label = p.label;
        schema = p.schema ?? (settings.schema || undefined);
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
        key,
        source: p.source,
        label,
        description: db.description,
        db,
        schema: schema ?? db.defaultSchema,
        isDemo: p.source === 'demo',
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

  private async closeActive(): Promise<void> {
    const a = this.active;
    this.active = undefined;
    this.generation++;
    if (a) await a.db.close().catch((e: unknown) => this.log.warn(`closing ${a.description}: ${redactSecrets(String(e))}`));
    if (a?.isDemo) this.demo.release?.();
  }

  /** The open connection without opening one (undefined while none is open). */
  get activeConnection(): ActiveConnection | undefined {
    return this.active;
  }

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
    return this.switchTo(async () => {
      this.hostChoice = undefined;
      await this.profiles.setActive({ source: 'demo' });
    });
  }

  async useProfile(id: string): Promise<ActiveConnection | undefined> {
    return this.switchTo(async () => {
      this.hostChoice = undefined;
      await this.profiles.setActive({ source: 'profile', id });
    });
  }

  /** Switch to a host editor's connection (picked in picker.ts). */
  async useHost(choice: HostChoice): Promise<ActiveConnection | undefined> {
    return this.switchTo(() => {
      this.hostChoice = choice;
    });
  }

  /** Close and open the chosen connection again (after its profile was edited or removed). */
  async switchToChosen(): Promise<ActiveConnection | undefined> {
    return this.switchTo(() => undefined);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.stateEmitter.fire(s);
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
