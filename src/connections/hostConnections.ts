// Connections borrowed from the host editor, turned into specs our drivers open. Pure: the shapes
// below are the parts of the SQL Server extension's (ms-mssql.mssql) exported API and Azure Data
// Studio's `azdata.connection` API that we use, declared here so nothing depends on them at build
// or run time.
import { describeSpec, parseAdoString, parseConnectionString, type MssqlSpec } from '../db/connectionSpec';
import { CONNECTION_SHARING_MIN_VERSION, SharedConnectionDb, type ConnectionSharingLike } from '../db/sharedConnectionDriver';
import { ConnectionError, type Db } from '../db/types';

/** The part of vscode-mssql's IConnectionInfo we read. */
export interface MssqlConnectionInfoLike {
  server: string;
  database?: string;
  user?: string;
  password?: string;
  port?: number;
  authenticationType?: string;
  azureAccountToken?: string;
  encrypt?: string | boolean;
  trustServerCertificate?: boolean;
  connectionString?: string;
  profileName?: string;
  /** The saved profile's id (what the connection sharing API connects by). */
  id?: string;
}

/** The part of vscode-mssql's exported API (IExtension) we call. */
export interface MssqlExtensionApiLike {
  promptForConnection(ignoreFocusOut?: boolean): Promise<MssqlConnectionInfoLike | undefined>;
  connect(connectionInfo: MssqlConnectionInfoLike, saveConnection?: boolean): Promise<string>;
  getConnectionString(connectionUriOrDetails: string, includePassword?: boolean, includeApplicationName?: boolean): Promise<string>;
  listDatabases?(connectionUri: string): Promise<string[]>;
  /** The connection sharing API (SQL Server extension 1.34 and later). */
  connectionSharing?: ConnectionSharingLike;
}

/** The part of azdata's connection API we call. */
export interface AzdataConnectionLike {
  connectionId: string;
  providerName?: string;
  options: Record<string, unknown>;
}
export interface AzdataApiLike {
  connection: {
    getCurrentConnection(): Thenable<AzdataConnectionLike | undefined>;
    getCredentials(connectionId: string): Thenable<Record<string, string>>;
    getConnectionString?(connectionId: string, includePassword: boolean): Thenable<string>;
  };
}
type Thenable<T> = PromiseLike<T>;

const ENTRA = new Set(['azuremfa', 'azuremfaanduser', 'activedirectoryinteractive', 'activedirectorypassword', 'activedirectorydefault', 'dstsauth']);

function encryptFlag(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  return !(s === 'false' || s === 'optional' || s === 'no');
}

/** Split "host,port" / "host\instance" / "tcp:host" as SQL Server tools write a server name. */
function splitServer(server: string): { server: string; port?: number; instanceName?: string } {
  let s = server.trim().replace(/^tcp:/i, '');
  let port: number | undefined;
  let instanceName: string | undefined;
  const comma = s.lastIndexOf(',');
  if (comma >= 0) {
    port = Number(s.slice(comma + 1));
    s = s.slice(0, comma);
  }
  const slash = s.indexOf('\\');
  if (slash >= 0) {
    instanceName = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  if (s === '.' || s.toLowerCase() === '(local)') s = 'localhost';
  const out: { server: string; port?: number; instanceName?: string } = { server: s };
  if (port !== undefined && Number.isInteger(port) && port > 0) out.port = port;
  if (instanceName) out.instanceName = instanceName;
  return out;
}

/**
 * A spec from a connection string the host gave (with its password), plus an Entra ID token when the
 * host holds one. An Authentication=Active Directory… keyword is dropped when we have the token
 * (tedious is given the token itself).
 */
export function specFromHostConnectionString(connectionString: string, accessToken?: string): MssqlSpec {
  let text = connectionString;
  if (accessToken) {
    const kv = parseAdoString(connectionString);
    kv.delete('authentication');
    text = [...kv].map(([k, v]) => `${k}=${/[;{}]/.test(v) ? `{${v.replace(/}/g, '}}')}}` : v}`).join(';');
  }
  const spec = parseConnectionString(text);
  if (spec.kind !== 'mssql') throw new ConnectionError("the editor's connection is not a SQL Server connection");
  if (accessToken) {
    spec.accessToken = accessToken;
    delete spec.user;
    delete spec.password;
  }
  return spec;
}

/** A spec from the SQL Server extension's connection info (when it gave no connection string). */
export function specFromMssqlConnectionInfo(info: MssqlConnectionInfoLike): MssqlSpec {
  if (info.connectionString) return specFromHostConnectionString(info.connectionString, info.azureAccountToken);
  const auth = (info.authenticationType ?? 'SqlLogin').toLowerCase();
  if (auth === 'integrated') {
    throw new ConnectionError(
      'a Windows (Integrated) sign-in cannot be borrowed from here: in VS Code, the SQL Server extension shares it (version ' +
        CONNECTION_SHARING_MIN_VERSION +
        ' or later); or add a connection with Domain=…;User Id=… and the Windows password (NTLM)',
    );
  }
  const server = splitServer(info.server);
  const spec: MssqlSpec = {
    kind: 'mssql',
    server: server.server,
    encrypt: encryptFlag(info.encrypt),
    trustServerCertificate: info.trustServerCertificate === true,
  };
  if (server.instanceName) spec.instanceName = server.instanceName;
  const port = info.port && info.port > 0 ? info.port : server.port;
  if (port) spec.port = port;
  if (info.database) spec.database = info.database;
  if (ENTRA.has(auth)) {
    if (!info.azureAccountToken) throw new ConnectionError('the SQL Server extension gave no Entra ID token for this connection: connect in its Connections view first, then try again');
    spec.accessToken = info.azureAccountToken;
  } else {
    if (info.user) spec.user = info.user;
    if (info.password) spec.password = info.password;
  }
  return spec;
}

/** What borrowing a connection of the SQL Server extension gives: a spec our driver opens, or a Db over the extension's own connection. */
export type BorrowedConnection = { label: string; spec: MssqlSpec } | { label: string; open: () => Promise<Db>; auth: 'integrated' | 'entra-mfa' };

/** Sign-ins our driver cannot repeat in the editor: these go over the extension's own connection. */
function sharedAuth(auth: string): 'integrated' | 'entra-mfa' | undefined {
  if (auth === 'integrated') return 'integrated';
  if (auth === 'azuremfa' || auth === 'azuremfaanduser' || auth === 'activedirectoryinteractive') return 'entra-mfa';
  return undefined;
}

/**
 * Ask the SQL Server extension for a connection. Windows (Integrated) and Entra MFA sign-ins run
 * over the extension's own connection through its connection sharing API (it asks the user once
 * whether SSD Workbench may use it); other sign-ins become a spec with their credentials.
 */
export async function borrowFromMssqlExtension(api: MssqlExtensionApiLike, extensionId: string): Promise<BorrowedConnection | undefined> {
  const info = await api.promptForConnection(true);
  if (!info) return undefined;
  const kind = sharedAuth((info.authenticationType ?? '').toLowerCase());
  if (!kind) return specFromPromptedInfo(api, info);
  const what = kind === 'integrated' ? 'Windows (Integrated) sign-in' : 'Entra ID MFA sign-in';
  const sharing = api.connectionSharing;
  if (!sharing || typeof sharing.connect !== 'function' || typeof sharing.executeSimpleQuery !== 'function') {
    // An older extension: Entra MFA can still go with the token it gives; Windows sign-in cannot.
    if (kind === 'entra-mfa' && info.azureAccountToken) return specFromPromptedInfo(api, info);
    throw new ConnectionError(
      `a connection with ${what} is used through the SQL Server extension's connection sharing API, which this version of the extension does not have: update the SQL Server (mssql) extension to ${CONNECTION_SHARING_MIN_VERSION} or later`,
    );
  }
  const connectionId = info.id || (await sharing.getActiveEditorConnectionId(extensionId));
  if (!connectionId) {
    throw new ConnectionError(`to use a connection with ${what}, open a query editor connected with it in the SQL Server extension, then choose it again here`);
  }
  const label = info.profileName || `${info.server}${info.database ? '/' + info.database : ''}`;
  return { label, auth: kind, open: () => SharedConnectionDb.open(sharing, extensionId, connectionId, label, info.database || undefined) };
}

/** Ask the SQL Server extension for a connection and turn it into a spec with credentials. */
export async function specFromMssqlExtension(api: MssqlExtensionApiLike): Promise<{ spec: MssqlSpec; label: string } | undefined> {
  const info = await api.promptForConnection(true);
  if (!info) return undefined;
  return specFromPromptedInfo(api, info);
}

async function specFromPromptedInfo(api: MssqlExtensionApiLike, info: MssqlConnectionInfoLike): Promise<{ spec: MssqlSpec; label: string }> {
  const auth = (info.authenticationType ?? '').toLowerCase();
  let spec: MssqlSpec;
  try {
    // The extension's own connection string, with the password, through its API.
    const uri = await api.connect(info, false);
    const cs = await api.getConnectionString(uri, true, false);
    spec = specFromHostConnectionString(cs, ENTRA.has(auth) ? info.azureAccountToken : undefined);
  } catch (e) {
    if (e instanceof ConnectionError) throw e;
    // Older versions: fall back to the fields of the connection info.
    spec = specFromMssqlConnectionInfo(info);
  }
  if (!spec.database && info.database) spec.database = info.database;
  return { spec, label: info.profileName || describeSpec(spec) };
}

/** The current Azure Data Studio connection as a spec with credentials, or undefined when none. */
export async function specFromAzdata(azdata: AzdataApiLike): Promise<{ spec: MssqlSpec; label: string } | undefined> {
  const conn = await azdata.connection.getCurrentConnection();
  if (!conn) return undefined;
  if (conn.providerName && conn.providerName !== 'MSSQL') {
    throw new ConnectionError(`the current Azure Data Studio connection is a ${conn.providerName} connection: SSD Workbench borrows SQL Server connections only`);
  }
  const o = conn.options;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const auth = (str('authenticationType') ?? 'SqlLogin').toLowerCase();
  const token = str('azureAccountToken');
  let spec: MssqlSpec | undefined;
  if (azdata.connection.getConnectionString) {
    try {
      const cs = await azdata.connection.getConnectionString(conn.connectionId, true);
      if (cs) spec = specFromHostConnectionString(cs, ENTRA.has(auth) ? token : undefined);
    } catch (e) {
      if (e instanceof ConnectionError) throw e;
      spec = undefined;
    }
  }
  if (!spec) {
    const creds = ENTRA.has(auth) ? {} : await azdata.connection.getCredentials(conn.connectionId);
    const port = o.port !== undefined && o.port !== '' ? Number(o.port) : undefined;
    const info: MssqlConnectionInfoLike = {
      server: str('server') ?? 'localhost',
      authenticationType: str('authenticationType') ?? 'SqlLogin',
      encrypt: o.encrypt as string | boolean | undefined,
      trustServerCertificate: o.trustServerCertificate === true || o.trustServerCertificate === 'true',
    };
    const database = str('database');
    if (database) info.database = database;
    const user = str('user');
    if (user) info.user = user;
    const password = creds.password ?? str('password');
    if (password) info.password = password;
    if (token) info.azureAccountToken = token;
    if (port && Number.isInteger(port)) info.port = port;
    spec = specFromMssqlConnectionInfo(info);
  }
  const label = str('connectionName') ?? describeSpec(spec);
  return { spec, label };
}
