// The active SSD connection in the editor, made of three parts: the session (session.ts: which
// connection is chosen, opening, closing, switching, the state), the pickers and the Add/Edit
// Connection wizard (picker.ts) and the status-bar item with the context keys (status.ts). This
// class wires them together and is what the commands and the tree are given
// (services.connections); the pure parts (profiles, host-connection specs, error text, the
// connection test) are in src/connections/.
import type * as vscode from 'vscode';
import type { Logger } from '../../log';
import { ProfileStore } from '../../connections/profiles';
import { ConnectionSession, type ActiveConnection, type ConnectionState, type DemoDatabase } from './session';
import { askWindowsPassword, ConnectionPicker } from './picker';
import { ConnectionStatus } from './status';

export type { ActiveConnection, ConnectionSource, ConnectionState, DemoDatabase } from './session';
export { kindName } from './picker';

export class ConnectionManager implements vscode.Disposable {
  readonly session: ConnectionSession;
  readonly status: ConnectionStatus;
  readonly picker: ConnectionPicker;

  constructor(context: vscode.ExtensionContext, demo: DemoDatabase, log: Logger) {
    const profiles = new ProfileStore(context.globalState, context.secrets);
    this.session = new ConnectionSession(profiles, demo, log, { askWindowsPassword: (p) => askWindowsPassword(profiles, p) });
    this.status = new ConnectionStatus(this.session);
    this.picker = new ConnectionPicker(context, this.session, this.status, log);
  }

  dispose(): void {
    this.status.dispose();
    this.session.dispose();
  }

  get profiles(): ProfileStore {
    return this.session.profiles;
  }
  get onDidChange(): vscode.Event<ActiveConnection | undefined> {
    return this.session.onDidChange;
  }
  get connectionState(): ConnectionState {
    return this.session.connectionState;
  }
  get failure(): string | undefined {
    return this.session.failure;
  }
  /** Changes each time the connection changes: lets caches know they are stale. */
  get epoch(): number {
    return this.session.epoch;
  }
  /** The open connection without opening one (undefined while none is open). */
  get activeConnection(): ActiveConnection | undefined {
    return this.session.activeConnection;
  }

  /** The open connection, opening the chosen one (or the demo) when needed; undefined when there is none. */
  current(): Promise<ActiveConnection | undefined> {
    return this.session.current();
  }
  /** Like current(), but tells the user what to do when there is no connection. */
  require(): Promise<ActiveConnection | undefined> {
    return this.picker.require();
  }
  /** Close the connection (deactivation, or before deleting the demo). */
  close(): Promise<void> {
    return this.session.close();
  }
  /** Close and reopen (after a setting change or a refresh). */
  reopen(): Promise<ActiveConnection | undefined> {
    return this.session.reopen();
  }
  /** Switch to the demo, making it first when missing (`remake`: Recreate Demo Database). */
  useDemo(remake?: () => void): Promise<ActiveConnection | undefined> {
    return this.session.useDemo(remake);
  }
  useProfile(id: string): Promise<ActiveConnection | undefined> {
    return this.session.useProfile(id);
  }
  /** Offer every source and switch to the one picked (the status-bar item's one click). */
  select(): Promise<ActiveConnection | undefined> {
    return this.picker.select();
  }
  addProfile(): Promise<ActiveConnection | undefined> {
    return this.picker.addProfile();
  }
  editProfile(id?: string): Promise<ActiveConnection | undefined> {
    return this.picker.editProfile(id);
  }
  removeProfile(): Promise<void> {
    return this.picker.removeProfile();
  }
}
