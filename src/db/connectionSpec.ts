// Parse what users type as a database address into a typed connection spec, and describe it
// safely. Accepted forms:
//   pglite:memory | pglite:<directory>                         embedded PostgreSQL (PGlite)
//   postgres://user:pass@host:5432/db?sslmode=require          PostgreSQL (also postgresql://)
//   postgres: | pg:                                            PostgreSQL from PG* environment variables
//   mssql://user:pass@host:1433/db?encrypt=true&trustServerCertificate=true
//   Server=host,1433;Database=d;User Id=u;Password=p;Encrypt=true;TrustServerCertificate=true  (ADO)
//   Server=host;Database=d;Domain=LA;User Id=u (or User Id=LA\u);Password=p    Windows account over NTLM
//   Server=host;Database=d;Trusted_Connection=yes (Integrated Security=SSPI)   Windows sign-in (msnodesqlv8)
//   oracle://user:pass@host:1521/service?connectTimeout=30                  Oracle (oracledb Thin mode)
//   [user@]host[:port]/service (EZConnect), oracle:<EZConnect> or oracle:(DESCRIPTION=…)   Oracle
import { ConnectionError } from './types';

export interface PgliteSpec {
  kind: 'pglite';
  dataDir: string | null;
}
export interface PostgresSpec {
  kind: 'postgres';
  /** Connection string for pg, or null to use the PG* environment variables. */
  url: string | null;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}
export interface MssqlSpec {
  kind: 'mssql';
  server: string;
  instanceName?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  /** Windows domain: the account signs in with NTLM (tedious's `ntlm` authentication). */
  domain?: string;
  /** Windows integrated sign-in as the current Windows user (Trusted_Connection / SSPI): needs msnodesqlv8. */
  integrated?: boolean;
  /** ODBC driver for integrated sign-in (default "ODBC Driver 18 for SQL Server"). */
  odbcDriver?: string;
  /** Entra ID access token (azure-active-directory-access-token). */
  accessToken?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** PEM file of the certificate authorities to trust besides Node's and the system's. */
  caFile?: string;
  connectTimeoutMs?: number;
  /** How long a statement waits for a lock before it fails (SET LOCK_TIMEOUT); 0 = forever. */
  lockTimeoutMs?: number;
  /** How long one of our own statements may run before it is stopped; 0 = no limit. Script batches have none. */
  commandTimeoutMs?: number;
  applicationName?: string;
}
export interface OracleSpec {
  kind: 'oracle';
  /** What oracledb's connectString gets: host:port/service (EZConnect) or a (DESCRIPTION=…) descriptor. */
  connectString: string;
  host: string;
  port?: number;
  /** Service name (EZConnect path); undefined for a descriptor without SERVICE_NAME. */
  service?: string;
  user?: string;
  password?: string;
  connectTimeoutMs?: number;
}
export type ConnectionSpec = PgliteSpec | PostgresSpec | MssqlSpec | OracleSpec;

const truthy = (v: string | undefined, dflt: boolean): boolean => {
  if (v === undefined || v === '') return dflt;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', '1', 'mandatory', 'strict', 'sspi'].includes(s)) return true;
  if (['false', 'no', '0', 'optional'].includes(s)) return false;
  throw new ConnectionError(`invalid boolean value ${JSON.stringify(v)} in connection string`);
};

/** Parse an ADO.NET-style connection string (keyword=value;...), honouring {braced} and "quoted" values. */
export function parseAdoString(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ';' || /\s/.test(text[i]!))) i++;
    if (i >= n) break;
    let key = '';
    while (i < n && text[i] !== '=') {
      if (text[i] === ';') throw new ConnectionError(`connection string keyword "${key.trim()}" has no value`);
      key += text[i++];
    }
    if (i >= n) throw new ConnectionError(`connection string keyword "${key.trim()}" has no value`);
    i++; // '='
    while (i < n && text[i] === ' ') i++;
    let value = '';
    const q = text[i];
    if (q === '{' || q === '"' || q === "'") {
      const close = q === '{' ? '}' : q;
      i++;
      for (;;) {
        if (i >= n) throw new ConnectionError(`unterminated ${q}quoted value for "${key.trim()}" in connection string`);
        if (text[i] === close) {
          if (text[i + 1] === close) {
            value += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      while (i < n && text[i] !== ';') {
        if (!/\s/.test(text[i]!)) throw new ConnectionError(`unexpected text after quoted value for "${key.trim()}"`);
        i++;
      }
    } else {
      while (i < n && text[i] !== ';') value += text[i++];
      value = value.trim();
    }
    out.set(key.trim().toLowerCase().replace(/\s+/g, ' '), value);
  }
  return out;
}

/** Connect timeout in seconds (as ADO.NET writes it) → milliseconds; rejects anything else. */
function parseTimeoutSeconds(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(n) || n <= 0) {
    throw new ConnectionError(`invalid connect timeout ${JSON.stringify(text)}: give a number of seconds`);
  }
  return Math.round(n * 1000);
}

/** Lock / command timeout in seconds → milliseconds; 0 means no limit. */
export function parseLimitSeconds(text: string, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+(\.\d+)?$/.test(t) || !Number.isFinite(n)) throw new ConnectionError(`invalid ${what} ${JSON.stringify(text)}: give a number of seconds (0 = no limit)`);
  return Math.round(n * 1000);
}

/** DOMAIN\user → { domain, user }; a user without a backslash stays as it is. */
export function splitDomainUser(user: string): { domain?: string; user: string } {
  const i = user.indexOf('\\');
  if (i <= 0 || i === user.length - 1) return { user };
  return { domain: user.slice(0, i), user: user.slice(i + 1) };
}

/** Windows credentials: Domain= or DOMAIN\user makes NTLM; Integrated/Trusted without a password makes SSPI. */
function applyWindowsAuth(spec: MssqlSpec, integrated: boolean, domain: string | undefined): void {
  if (spec.user) {
    const split = splitDomainUser(spec.user);
    if (split.domain) {
      spec.user = split.user;
      spec.domain ??= split.domain;
    }
  }
  if (domain) spec.domain = domain;
  if (spec.domain && !spec.user) throw new ConnectionError(`Domain=${spec.domain} needs User Id= (the Windows account name)`);
  // An explicit Windows account and password is NTLM even when the string also says Integrated.
  if (integrated && !(spec.domain && spec.user)) {
    spec.integrated = true;
    delete spec.user;
    delete spec.password;
    delete spec.domain;
  }
}

function parseMssqlAdo(text: string): MssqlSpec {
  const kv = parseAdoString(text);
  const get = (...names: string[]) => {
    for (const k of names) if (kv.has(k)) return kv.get(k);
    return undefined;
  };
  let server = get('server', 'data source', 'address', 'addr', 'network address');
  if (!server) throw new ConnectionError('SQL Server connection string has no Server=');
  server = server.replace(/^tcp:/i, '');
  let port: number | undefined;
  let instanceName: string | undefined;
  const comma = server.lastIndexOf(',');
  if (comma >= 0) {
    port = Number(server.slice(comma + 1));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConnectionError(`invalid port in Server=${server}`);
    server = server.slice(0, comma);
  }
  const slash = server.indexOf('\\');
  if (slash >= 0) {
    instanceName = server.slice(slash + 1);
    server = server.slice(0, slash);
  }
  if (server === '.' || server.toLowerCase() === '(local)') server = 'localhost';
  const auth = get('authentication')?.toLowerCase();
  const integrated = get('integrated security', 'trusted_connection');
  const spec: MssqlSpec = {
    kind: 'mssql',
    server,
    encrypt: truthy(get('encrypt'), true),
    trustServerCertificate: truthy(get('trustservercertificate', 'trust server certificate'), false),
  };
  if (instanceName) spec.instanceName = instanceName;
  if (port) spec.port = port;
  const db = get('database', 'initial catalog');
  if (db) spec.database = db;
  const user = get('user id', 'uid', 'user');
  if (user) spec.user = user;
  const pw = get('password', 'pwd');
  if (pw !== undefined) spec.password = pw;
  const token = get('access token', 'accesstoken');
  if (token) spec.accessToken = token;
  if (auth && auth !== 'sqlpassword' && auth !== 'sql password' && !(auth.includes('token') && token)) {
    if (!token) throw new ConnectionError(`Authentication=${get('authentication')} needs an access token: sign in through the editor, or use SQL authentication`);
  }
  const timeout = get('connect timeout', 'connection timeout', 'timeout');
  if (timeout) spec.connectTimeoutMs = parseTimeoutSeconds(timeout);
  const app = get('application name', 'app');
  if (app) spec.applicationName = app;
  applyWindowsAuth(spec, !!integrated && truthy(integrated, false), get('domain'));
  const lock = get('lock timeout');
  if (lock !== undefined && lock !== '') spec.lockTimeoutMs = parseLimitSeconds(lock, 'Lock Timeout');
  const command = get('command timeout');
  if (command !== undefined && command !== '') spec.commandTimeoutMs = parseLimitSeconds(command, 'Command Timeout');
  const driver = get('driver');
  if (driver) spec.odbcDriver = driver;
  return spec;
}

/** decodeURIComponent for a part of a URL, with a clear error instead of "URI malformed". */
function decodePart(text: string, what: string, scheme: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConnectionError(`invalid ${scheme} URL: the ${what} holds a % that is not followed by two hex digits (write a % in a password as %25)`);
  }
}

function parseMssqlUrl(text: string): MssqlSpec {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConnectionError('invalid mssql:// URL');
  }
  const p = u.searchParams;
  const spec: MssqlSpec = {
    kind: 'mssql',
    server: decodePart(u.hostname, 'host', 'mssql://') || 'localhost',
    encrypt: truthy(p.get('encrypt') ?? undefined, true),
    trustServerCertificate: truthy(p.get('trustServerCertificate') ?? p.get('trustservercertificate') ?? undefined, false),
  };
  if (u.port) spec.port = Number(u.port);
  const path = decodePart(u.pathname.replace(/^\//, ''), 'database name', 'mssql://');
  const [dbOrInstance, maybeDb] = path.split('/');
  if (maybeDb !== undefined) {
    spec.instanceName = dbOrInstance;
    if (maybeDb) spec.database = maybeDb;
  } else if (dbOrInstance) spec.database = dbOrInstance;
  if (p.get('instanceName')) spec.instanceName = p.get('instanceName')!;
  if (u.username) spec.user = decodePart(u.username, 'user name', 'mssql://');
  if (u.password) spec.password = decodePart(u.password, 'password', 'mssql://');
  if (p.get('database')) spec.database = p.get('database')!;
  const t = p.get('connectTimeout') ?? p.get('connect_timeout');
  if (t) spec.connectTimeoutMs = parseTimeoutSeconds(t);
  const integrated = p.get('integratedSecurity') ?? p.get('trustedConnection') ?? undefined;
  applyWindowsAuth(spec, !!integrated && truthy(integrated, false), p.get('domain') ?? undefined);
  const lock = p.get('lockTimeout');
  if (lock) spec.lockTimeoutMs = parseLimitSeconds(lock, 'lockTimeout');
  const command = p.get('commandTimeout');
  if (command) spec.commandTimeoutMs = parseLimitSeconds(command, 'commandTimeout');
  return spec;
}

/** Oracle: oracle://user:pass@host:port/service, [user@]host[:port]/service, or oracle:(DESCRIPTION=…). */
function parseOracle(text: string): OracleSpec {
  const lower = text.toLowerCase();
  if (lower.startsWith('oracle://')) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new ConnectionError('invalid oracle:// URL');
    }
    const host = decodePart(u.hostname, 'host', 'oracle://');
    if (!host) throw new ConnectionError('oracle:// URL has no host: write oracle://user@host:1521/service');
    const service = decodePart(u.pathname.replace(/^\//, ''), 'service name', 'oracle://');
    if (!service) throw new ConnectionError(`oracle://${host} has no service name: write oracle://user@${host}:1521/SERVICE (e.g. FREEPDB1)`);
    const port = u.port ? Number(u.port) : undefined;
    const spec: OracleSpec = { kind: 'oracle', connectString: `${host}:${port ?? 1521}/${service}`, host, service };
    if (port) spec.port = port;
    if (u.username) spec.user = decodePart(u.username, 'user name', 'oracle://');
    if (u.password) spec.password = decodePart(u.password, 'password', 'oracle://');
    const t = u.searchParams.get('connectTimeout') ?? u.searchParams.get('connect_timeout');
    if (t) spec.connectTimeoutMs = parseTimeoutSeconds(t);
    return spec;
  }
  const rest = lower.startsWith('oracle:') ? text.slice('oracle:'.length).trim() : text;
  if (rest.startsWith('(')) {
    // A connect descriptor: passed on as it is; host and service read out for messages only.
    const host = /\(\s*HOST\s*=\s*([^)\s]+)\s*\)/i.exec(rest)?.[1];
    if (!host) throw new ConnectionError('Oracle connect descriptor has no (HOST=…)');
    const port = /\(\s*PORT\s*=\s*(\d+)\s*\)/i.exec(rest)?.[1];
    const service = /\(\s*SERVICE_NAME\s*=\s*([^)\s]+)\s*\)/i.exec(rest)?.[1];
    const spec: OracleSpec = { kind: 'oracle', connectString: rest, host };
    if (port) spec.port = Number(port);
    if (service) spec.service = service;
    return spec;
  }
  const m = EZCONNECT.exec(rest);
  if (!m) throw new ConnectionError('invalid Oracle address: write oracle://user@host:1521/service or user@host:1521/service');
  const [, user, host, port, service] = m;
  if (port !== undefined && (!Number.isInteger(Number(port)) || Number(port) <= 0 || Number(port) > 65535)) throw new ConnectionError(`invalid port in Oracle address ${host}:${port}`);
  const spec: OracleSpec = { kind: 'oracle', connectString: `${host}:${port ?? 1521}/${service}`, host: host!, service: service! };
  if (port) spec.port = Number(port);
  if (user) spec.user = user;
  return spec;
}

/** EZConnect without a password: [user@]host[:port]/service (service names: letters, digits, _ . $ # -). */
const EZCONNECT = /^(?:([A-Za-z][A-Za-z0-9_$#]*)@)?([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d+))?\/([A-Za-z][A-Za-z0-9_.$#-]*)$/;

export function parseConnectionString(text: string): ConnectionSpec {
  const s = (text ?? '').trim();
  if (!s) throw new ConnectionError('no database given: pass --db (e.g. pglite:memory, postgres://…, or a SQL Server connection string) or set SSD_DB');
  const lower = s.toLowerCase();
  if (lower.startsWith('pglite:')) {
    const rest = s.slice('pglite:'.length);
    if (rest === '' || rest.toLowerCase() === 'memory' || rest === '//memory') return { kind: 'pglite', dataDir: null };
    return { kind: 'pglite', dataDir: rest.replace(/^\/\/(?=\/)/, '') };
  }
  if (lower === 'postgres:' || lower === 'pg:' || lower === 'postgresql:') return { kind: 'postgres', url: null };
  if (lower.startsWith('postgres://') || lower.startsWith('postgresql://')) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new ConnectionError('invalid postgres:// URL');
    }
    const spec: PostgresSpec = { kind: 'postgres', url: s, host: decodePart(u.hostname, 'host', 'postgres://') || undefined };
    if (u.port) spec.port = Number(u.port);
    const db = decodePart(u.pathname.replace(/^\//, ''), 'database name', 'postgres://');
    if (db) spec.database = db;
    if (u.username) spec.user = decodePart(u.username, 'user name', 'postgres://');
    if (u.password) decodePart(u.password, 'password', 'postgres://');
    return spec;
  }
  if (lower.startsWith('mssql://') || lower.startsWith('sqlserver://')) return parseMssqlUrl(s.replace(/^sqlserver:/i, 'mssql:'));
  if (/(^|;)\s*(server|data source|address|addr)\s*=/i.test(s)) return parseMssqlAdo(s);
  if (lower.startsWith('oracle:') || EZCONNECT.test(s)) return parseOracle(s);
  throw new ConnectionError('unrecognised database address: expected pglite:memory, pglite:<dir>, postgres://…, mssql://…, Server=…;Database=…, oracle://… or host:1521/service');
}

/** One safe line naming the target: kind, user, host, port, database. Never a password or token. */
export function describeSpec(spec: ConnectionSpec): string {
  switch (spec.kind) {
    case 'pglite':
      return spec.dataDir ? `embedded PostgreSQL at ${spec.dataDir}` : 'embedded PostgreSQL (in memory)';
    case 'postgres': {
      if (!spec.url) {
        const e = process.env;
        return `PostgreSQL ${e.PGUSER ?? e.USER ?? ''}@${e.PGHOST ?? 'localhost'}:${e.PGPORT ?? 5432}/${e.PGDATABASE ?? e.PGUSER ?? ''} (from PG* environment)`;
      }
      return `PostgreSQL ${spec.user ? spec.user + '@' : ''}${spec.host ?? 'localhost'}:${spec.port ?? 5432}/${spec.database ?? ''}`;
    }
    case 'oracle':
      return `Oracle ${spec.user ? spec.user + '@' : ''}${spec.host}:${spec.port ?? 1521}/${spec.service ?? '(descriptor)'}`;
    case 'mssql':
      return `SQL Server ${spec.user ? (spec.domain ? spec.domain + '\\' : '') + spec.user + '@' : spec.accessToken ? '(Entra ID token)@' : spec.integrated ? '(Windows sign-in)@' : ''}${spec.server}${spec.instanceName ? '\\' + spec.instanceName : ''}${spec.port ? ',' + spec.port : ''}/${spec.database ?? ''}`;
  }
}

/** Remove anything secret-looking from free text (error messages from drivers, connection strings). */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
    // Braced/quoted values may contain their closing character doubled ({a}}b}, "a""b").
    .replace(/(password|pwd|access ?token|accesstoken)\s*=\s*(\{(?:[^}]|\}\})*\}?|"(?:[^"]|"")*"?|'(?:[^']|'')*'?|[^;]*)/gi, '$1=***')
    .replace(/(\/\/[^:/@\s]+:)([^@\s]+)@/g, '$1***@');
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
