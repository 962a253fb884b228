// SQL Server via mssql/tedious: SQL authentication or an Entra ID access token.
// - $1..$n placeholders are rewritten to @p1..@pn (mssqlParams.ts) and bound with types inferred
//   from the JS values (sqlParamFor); statements without parameters go as plain batches, so
//   #temp tables they create live on in the session (inside a transaction).
// - Rows follow the conventions of types.ts: DATE → 'YYYY-MM-DD', DATETIME/DATETIME2/
//   SMALLDATETIME → 'YYYY-MM-DDTHH:MM:SS[.fff]' (tedious runs with useUTC, so the values are read
//   and formatted from UTC parts: never shifted by the local zone), DATETIMEOFFSET → ISO text with
//   'Z', BIGINT → number when safe, binary → Buffer.
// - A small pool: streams and transactions each hold their own connection. session() gives a
//   dedicated connection (one server session, the login's language) for scripts.
// - Authentication: SQL login, Entra ID access token, Windows account over NTLM (Domain=), or
//   Windows sign-in as the current user (Trusted_Connection) through msnodesqlv8 when installed.
// - Every connection runs SET LOCK_TIMEOUT; a statement that waits on a lock is reported with the
//   session blocking it (sys.dm_exec_requests), seen by a watcher while it waits.
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import sql from 'mssql';
import { Connection as TediousConnection, ConnectionError as TediousConnectionError, Request as TediousRequest } from 'tedious';
import { redactSecrets, type MssqlSpec } from './connectionSpec';
import { loadSql } from './sqlFiles';
import { mssqlParamName, rewritePlaceholders } from './mssqlParams';
import { CancelledError, ConnectionError, DbError, type BatchResult, type Db, type DbMessage, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

/** TDS packet size asked for at login (tedious's default is 4096; SQL Server grants up to 32767). */
export const MSSQL_PACKET_SIZE = 16384;

// ---------------------------------------------------------------- parameters

export interface TypedParam {
  type: sql.ISqlType | sql.ISqlTypeFactoryWithNoParams;
  value: unknown;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The SQL Server type and value a JS parameter is bound with. */
export function sqlParamFor(value: unknown, index: number): TypedParam {
  if (value === null || value === undefined) return { type: sql.NVarChar(1), value: null };
  switch (typeof value) {
    case 'string':
      return { type: value.length > 4000 ? sql.NVarChar(sql.MAX) : sql.NVarChar(Math.max(1, value.length)), value };
    case 'number':
      if (Number.isSafeInteger(value)) return { type: value >= INT32_MIN && value <= INT32_MAX ? sql.Int() : sql.BigInt(), value };
      if (Number.isFinite(value)) return { type: sql.Float(), value };
      throw new DbError(`parameter $${index} is ${value}, which SQL Server cannot store`);
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw new DbError(`parameter $${index} is outside the BIGINT range`);
      return { type: sql.BigInt(), value };
    case 'boolean':
      return { type: sql.Bit(), value };
    case 'object': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new DbError(`parameter $${index} is an invalid date`);
        return { type: sql.DateTime2(7), value };
      }
      if (value instanceof Uint8Array) {
        const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        return { type: sql.VarBinary(sql.MAX), value: buf };
      }
      // Plain objects and arrays go as JSON text (what pg does for objects).
      const text = JSON.stringify(value);
      return { type: text.length > 4000 ? sql.NVarChar(sql.MAX) : sql.NVarChar(Math.max(1, text.length)), value: text };
    }
    default:
      throw new DbError(`parameter $${index} has a type (${typeof value}) that cannot be sent to the database`);
  }
}

/** Rewrite placeholders and bind the parameters they use; returns the SQL to send. */
export function bindParams(request: sql.Request, text: string, params: readonly unknown[]): string {
  const rewritten = rewritePlaceholders(text);
  if (rewritten.maxIndex > params.length) {
    throw new DbError(`the statement uses $${rewritten.maxIndex} but ${params.length} parameter${params.length === 1 ? ' was' : 's were'} given`);
  }
  for (const i of rewritten.indexes) {
    const p = sqlParamFor(params[i - 1], i);
    request.input(mssqlParamName(i), p.type, p.value);
  }
  return rewritten.text;
}

// ---------------------------------------------------------------- row normalisation

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function fraction(ms: number): string {
  if (!ms) return '';
  return ('.' + pad(ms, 3)).replace(/0+$/, '');
}

/** 'YYYY-MM-DD' from the UTC parts of a date tedious read with useUTC. */
export function formatDate(d: Date): string {
  const y = d.getUTCFullYear();
  return `${y < 1000 ? pad(y, 4) : y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 'YYYY-MM-DDTHH:MM:SS[.fff]' (trailing zeros of the fraction dropped, as PostgreSQL prints). */
export function formatTimestamp(d: Date): string {
  return `${formatDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(d.getUTCMilliseconds())}`;
}

export function formatTime(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(d.getUTCMilliseconds())}`;
}

type Convert = (v: unknown) => unknown;

const asDate =
  (f: (d: Date) => string): Convert =>
  (v) =>
    v instanceof Date ? (Number.isNaN(v.getTime()) ? null : f(v)) : v;
const int8: Convert = (v) => {
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return v;
};

function converterFor(type: unknown): Convert | undefined {
  switch (type) {
    case sql.Date:
      return asDate(formatDate);
    case sql.DateTime:
    case sql.DateTime2:
    case sql.SmallDateTime:
      return asDate(formatTimestamp);
    case sql.DateTimeOffset:
      return asDate((d) => d.toISOString());
    case sql.Time:
      return asDate(formatTime);
    case sql.BigInt:
      return int8;
    default:
      return undefined;
  }
}

interface ColumnMeta {
  name?: string;
  type?: unknown;
}

/** A function normalising the rows of one result set, given mssql's column metadata. */
export function rowNormaliser(columns: Record<string, ColumnMeta> | undefined): (row: Row) => Row {
  const conv: [string, Convert][] = [];
  for (const [name, meta] of Object.entries(columns ?? {})) {
    const f = converterFor(meta.type);
    if (f) conv.push([name, f]);
  }
  if (!conv.length) return (r) => r;
  return (row) => {
    for (const [name, f] of conv) {
      const v = row[name];
      if (v !== null && v !== undefined) row[name] = Array.isArray(v) ? v.map(f) : f(v);
    }
    return row;
  };
}

// ---------------------------------------------------------------- errors and messages

interface MssqlErrorLike {
  message?: string;
  code?: string;
  number?: number;
  lineNumber?: number;
  class?: number;
  procName?: string;
  precedingErrors?: unknown[];
  originalError?: { message?: string; info?: { number?: number; lineNumber?: number; class?: number; procName?: string } };
}

const CONNECTION_CODES = new Set(['ESOCKET', 'ECONNCLOSED', 'ELOGIN', 'ENOTOPEN', 'EINSTLOOKUP', 'ENOCONN']);

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Map an mssql/tedious error to CancelledError, ConnectionError or DbError. */
export function toMssqlError(err: unknown, description: string): Error {
  // mssql's own ConnectionError has the same name as ours but carries a code: map it below.
  if (err instanceof DbError || err instanceof CancelledError || (err instanceof ConnectionError && (err as { code?: unknown }).code === undefined)) return err;
  const e = (err ?? {}) as MssqlErrorLike;
  const info = e.originalError?.info;
  if (e.code === 'ECANCEL' || /^Canceled\.?$/.test(e.message ?? '')) return new CancelledError('cancelled by user: the server stopped the statement');
  const message = oneLine(redactSecrets(e.message ?? String(err)));
  // A dropped connection under a request (KILL, a restart, a reset) arrives as EREQUEST/ECLOSE
  // wrapping tedious's "Connection lost" (ESOCKET) or "Connection closed before request completed".
  const lost = e.code === 'ECLOSE' || (e.originalError as { code?: string } | undefined)?.code === 'ESOCKET' || /^Connection (lost|closed before request completed)\b/.test(message);
  if ((e.code && CONNECTION_CODES.has(e.code)) || lost) return new ConnectionError(`lost connection to ${description}: ${message}`, { cause: err });
  const details: DbError['details'] = {};
  const number = e.number ?? info?.number;
  const line = e.lineNumber ?? info?.lineNumber;
  const severity = e.class ?? info?.class;
  if (number !== undefined) details.code = number;
  else if (e.code) details.code = e.code;
  if (line) details.line = line;
  if (severity !== undefined) details.severity = severity;
  const proc = e.procName ?? info?.procName;
  const more = e.precedingErrors?.length ? ` (after ${e.precedingErrors.length} earlier error${e.precedingErrors.length === 1 ? '' : 's'})` : '';
  return new DbError(`${message}${proc ? ` (in ${proc})` : ''}${more}`, details, { cause: err });
}

interface InfoEvent {
  message: string;
  number?: number;
  class?: number;
  lineNumber?: number;
  procName?: string;
}

/** PRINT → notice; RAISERROR severity ≤ 10 → notice; server "Warning: …" messages → warning; other server information → info. */
export function infoToMessage(m: InfoEvent): DbMessage {
  const severity = m.class ?? 0;
  let kind: DbMessage['kind'];
  if (!m.number || m.number >= 50000) kind = 'notice';
  else if (/^warning\b/i.test(m.message)) kind = 'warning';
  else kind = 'info';
  const out: DbMessage = { kind, text: m.message, severity };
  if (m.number) out.code = m.number;
  if (m.lineNumber) out.line = m.lineNumber;
  if (m.procName) out.procedure = m.procName;
  return out;
}

function errorToMessage(e: MssqlErrorLike): DbMessage {
  const info = e.originalError?.info;
  const out: DbMessage = { kind: 'error', text: oneLine(e.message ?? '') };
  const number = e.number ?? info?.number;
  const line = e.lineNumber ?? info?.lineNumber;
  const severity = e.class ?? info?.class;
  const proc = e.procName ?? info?.procName;
  if (number !== undefined) out.code = number;
  if (line) out.line = line;
  if (severity !== undefined) out.severity = severity;
  if (proc) out.procedure = proc;
  return out;
}

// ---------------------------------------------------------------- connecting: TLS, Windows, limits

/** Default lock wait: generous (a report may legitimately wait behind an overnight load), not forever. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;
/** Default limit for one of our own statements (check rules, staging reads and writes); script batches have none. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2 * 60 * 60_000;
/** How long a statement runs before the watcher starts looking for a session blocking it. */
const BLOCK_WATCH_AFTER_MS = 10_000;

export const MSNODESQLV8_NEEDED =
  'Windows sign-in (Trusted_Connection=yes / Integrated Security=SSPI) needs the msnodesqlv8 driver, which is not installed: ' +
  'run `npm i -g msnodesqlv8` and install Microsoft ODBC Driver 18 for SQL Server, then try again ' +
  '(or give the Windows account with Domain= and User Id= and its password, for NTLM; or use a SQL login)';

/** The parts of the mssql module the driver uses: the tedious one, or mssql/msnodesqlv8 for Windows sign-in. */
export interface MssqlLib {
  ConnectionPool: typeof sql.ConnectionPool;
  Request: typeof sql.Request;
  Transaction: typeof sql.Transaction;
}

/** The operating system's certificate store, where this runtime can read it (Node ≥ 22.15 / 23.5). */
export function systemCaCertificates(): string[] {
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return [];
  try {
    return get('system') ?? [];
  } catch {
    return [];
  }
}

/** The CAs to trust when more than Node's own are needed (a CA file, the system store); undefined otherwise. */
export function trustedCas(spec: MssqlSpec, system: string[] = systemCaCertificates()): string[] | undefined {
  const extra: string[] = [];
  if (spec.caFile) {
    let text: string;
    try {
      text = readFileSync(spec.caFile, 'utf8');
    } catch (e) {
      throw new ConnectionError(`cannot read the CA file ${spec.caFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(text))
      throw new ConnectionError(`the CA file ${spec.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----): export the CA certificate as Base-64 (PEM)`);
    extra.push(text);
  }
  if (!extra.length && !system.length) return undefined;
  return [...tls.rootCertificates, ...system, ...extra];
}

/** One line saying what a TLS failure means and what to do, or undefined when it is not one. */
export function tlsHint(text: string): string | undefined {
  const t = text.toLowerCase();
  const caHelp = 'give the certificate of the authority that signed it with --ca-file, SSD_CA_FILE or the ssd.sqlServer.caFile setting';
  if (/self[- ]signed certificate|depth_zero_self_signed_cert|self_signed_cert_in_chain/.test(t)) {
    return (
      `the server presented a self-signed certificate, which cannot prove it is the server you meant. Ask the DBA for the certificate (or its CA) and ${caHelp}; ` +
      'or, as a deliberate choice, add TrustServerCertificate=true: the connection stays encrypted but the server is not verified, so anyone able to intercept the network could pose as it and read the password'
    );
  }
  if (/unable to get local issuer certificate|unable_to_verify_leaf_signature|unable to verify the first certificate|unable_to_get_issuer_cert/.test(t)) {
    return (
      `the server's certificate was issued by an authority this machine does not trust (often the council's internal CA): ${caHelp}` +
      (systemCaCertificates().length ? '' : " (this runtime cannot read the operating system's certificate store; Node 22.15 or later can)")
    );
  }
  if (/err_tls_cert_altname_invalid|does not match certificate's altnames|hostname\/ip does not match/.test(t)) {
    return "the server's certificate is for another name: connect with the server name written in the certificate (ask the DBA), not an alias or IP address";
  }
  if (/certificate has expired|cert_has_expired/.test(t)) return "the server's certificate has expired: ask the DBA to renew it";
  if (/unsupported protocol|wrong version number|err_ssl_unsupported_protocol|tlsv1 alert protocol version|no protocols available|tlsv1_alert_protocol_version|version too low/.test(t)) {
    return (
      'the server speaks only TLS 1.0/1.1, which this runtime refuses as insecure: ask the DBA to enable TLS 1.2 on the server ' +
      '(SQL Server 2016 and later have it; older versions need the TLS 1.2 update). Encrypt=false would connect but send the password in clear: not recommended'
    );
  }
  if (/server requires encryption/.test(t)) return 'the server requires encryption: remove Encrypt=false from the connection string';
  return undefined;
}

export const UNENCRYPTED_REFUSED =
  'the server does not offer encryption, and Encrypt=true asks for it: the password was not sent. ' + 'Ask the DBA to enable encryption on the server; Encrypt=false would send the password in clear';

/**
 * tedious goes on without TLS when Encrypt=true asked for it but the server's PRELOGIN answer
 * offers none, and would then send LOGIN7 (with the password) in clear. Refuse instead, before
 * LOGIN7 is written, as tedious itself does for the opposite case ("Server requires encryption").
 */
function guardUnencryptedLogin(): void {
  type Conn = {
    config?: { options?: { encrypt?: unknown } };
    messageIo?: { tlsNegotiationComplete?: boolean };
    emit(event: string, ...args: unknown[]): boolean;
    close(): void;
    transitionTo: (state: unknown) => void;
  };
  const proto = TediousConnection.prototype as unknown as { sendLogin7Packet?: (this: Conn) => void; ssdEncryptGuard?: boolean };
  if (typeof proto.sendLogin7Packet !== 'function' || proto.ssdEncryptGuard) return;
  const send = proto.sendLogin7Packet;
  proto.sendLogin7Packet = function (this: Conn) {
    if (this.config?.options?.encrypt === true && this.messageIo && this.messageIo.tlsNegotiationComplete === false) {
      this.emit('connect', new TediousConnectionError(UNENCRYPTED_REFUSED, 'EENCRYPT'));
      this.close();
      // tedious moves to its "login sent" state next: stay closed.
      const transitionTo = this.transitionTo;
      this.transitionTo = () => {
        this.transitionTo = transitionTo;
      };
      return;
    }
    send.call(this);
  };
  proto.ssdEncryptGuard = true;
}
guardUnencryptedLogin();

/**
 * tedious passes the address it connects to as the TLS server name; for an IP address Node warns
 * (DEP0123) on every encrypted connection, an extra two lines under the CLI's one-line messages.
 * Node ignores the name for an IP address anyway (the certificate is still checked against it):
 * drop that one warning, pass every other.
 */
function quietIpServerNameWarning(): void {
  const p = process as NodeJS.Process & { ssdQuietDep0123?: boolean };
  if (p.ssdQuietDep0123) return;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  (process as unknown as { emitWarning: (...args: unknown[]) => void }).emitWarning = (...args: unknown[]) => {
    const [warning, second, third] = args;
    const code = typeof second === 'object' && second !== null ? (second as { code?: unknown }).code : third;
    const text = typeof warning === 'string' ? warning : warning instanceof Error ? warning.message : '';
    if (code === 'DEP0123' || /Setting the TLS ServerName to an IP address/.test(text)) return;
    emit(...args);
  };
  p.ssdQuietDep0123 = true;
}
quietIpServerNameWarning();

/** Add the global npm folders to module resolution, so `npm i -g msnodesqlv8` is found. */
function addGlobalModulePaths(): void {
  const dirs = new Set<string>();
  if (process.env.APPDATA) dirs.add(join(process.env.APPDATA, 'npm', 'node_modules'));
  if (process.env.npm_config_prefix) dirs.add(join(process.env.npm_config_prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules'));
  dirs.add(join(dirname(process.execPath), 'node_modules'));
  dirs.add(join(dirname(dirname(process.execPath)), 'lib', 'node_modules'));
  const sep = process.platform === 'win32' ? ';' : ':';
  const current = (process.env.NODE_PATH ?? '').split(sep).filter(Boolean);
  const next = [...new Set([...current, ...dirs])];
  if (next.length === current.length) return;
  process.env.NODE_PATH = next.join(sep);
  (Module as unknown as { _initPaths?: () => void })._initPaths?.();
}

/** mssql's msnodesqlv8 flavour, or a ConnectionError saying how to install it. */
export async function loadMsnodesqlv8(): Promise<MssqlLib> {
  try {
    addGlobalModulePaths();
    const m = (await import('mssql/msnodesqlv8' as string)) as { default?: MssqlLib } & MssqlLib;
    const lib = m.default ?? m;
    if (typeof lib.ConnectionPool !== 'function') throw new Error('no ConnectionPool');
    return lib;
  } catch {
    throw new ConnectionError(MSNODESQLV8_NEEDED);
  }
}

/** ODBC connection string for Windows sign-in through msnodesqlv8. */
export function odbcConnectionString(spec: MssqlSpec): string {
  const q = (v: string) => (/[;{}=]/.test(v) ? `{${v.replace(/}/g, '}}')}}` : v);
  const server = spec.port ? `${spec.server},${spec.port}` : spec.instanceName ? `${spec.server}\\${spec.instanceName}` : spec.server;
  const parts = [
    `Driver={${spec.odbcDriver ?? 'ODBC Driver 18 for SQL Server'}}`,
    `Server=${q(server)}`,
    ...(spec.database ? [`Database=${q(spec.database)}`] : []),
    'Trusted_Connection=yes',
    `Encrypt=${spec.encrypt ? 'yes' : 'no'}`,
    `TrustServerCertificate=${spec.trustServerCertificate ? 'yes' : 'no'}`,
    `APP=${q(spec.applicationName ?? 'ssd-workbench')}`,
  ];
  return parts.join(';');
}

// ---------------------------------------------------------------- blocking sessions

export interface BlockInfo {
  waiting: number;
  blocker: number;
  waitType: string;
  waitMs: number;
  login?: string;
  host?: string;
  program?: string;
}

/** "session 57 (login LA\\bob, host PC12, program SSMS)" */
export function describeBlocker(b: BlockInfo): string {
  const who = [b.login ? `login ${b.login}` : '', b.host ? `host ${b.host}` : '', b.program ? `program ${b.program}` : ''].filter(Boolean).join(', ');
  return `session ${b.blocker}${who ? ` (${who})` : ''}`;
}

/** Connections of one Db (pool or session) and the blockers the watcher saw for them. */
class BlockWatch {
  readonly spids = new Set<number>();
  readonly seen = new Map<number, BlockInfo>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** Called when a blocker is first seen for a spid (runBatch turns it into a warning message). */
  onBlocked: ((b: BlockInfo) => void) | undefined;
  constructor(
    private readonly lookup: () => sql.ConnectionPool | undefined,
    private readonly running: Set<{ started?: number }>,
    private readonly afterMs: number,
  ) {}

  /** Start polling while something runs; stops itself when nothing does. */
  arm(): void {
    if (this.timer || this.afterMs <= 0) return;
    this.timer = setInterval(() => void this.poll(), Math.min(this.afterMs, 10_000));
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (!this.running.size) {
      this.stop();
      this.seen.clear();
      return;
    }
    const now = Date.now();
    if (![...this.running].some((r) => r.started !== undefined && now - r.started >= this.afterMs)) return;
    const pool = this.lookup();
    if (this.busy || !pool || !this.spids.size) return;
    this.busy = true;
    try {
      const req = new sql.Request(pool);
      req.input('spids', sql.NVarChar(4000), `,${[...this.spids].join(',')},`);
      req.input('pid', sql.Int(), process.pid);
      const r = await req.query<{ waiting: number; blocker: number; wait_type: string | null; wait_ms: number; login_name: string | null; host_name: string | null; program_name: string | null }>(
        loadSql('mssql', 'blocking_sessions'),
      );
      for (const x of r.recordset) {
        const b: BlockInfo = { waiting: x.waiting, blocker: x.blocker, waitType: x.wait_type ?? '', waitMs: Number(x.wait_ms) || 0 };
        if (x.login_name) b.login = x.login_name;
        if (x.host_name) b.host = x.host_name;
        if (x.program_name) b.program = x.program_name;
        const first = !this.seen.has(b.waiting);
        this.seen.set(b.waiting, b);
        if (first) this.onBlocked?.(b);
      }
    } catch {
      // No permission or a busy pool: the error message says the blocker could not be seen.
    } finally {
      this.busy = false;
    }
  }

  /** The text added to a lock-timeout or command-timeout error. */
  explain(): string {
    const all = [...this.seen.values()];
    const b = all.find((x) => x.waitType.toUpperCase().startsWith('LCK')) ?? all[0];
    if (b) return `: it was waiting on a lock held by ${describeBlocker(b)}, seen in sys.dm_exec_requests; ask its owner to finish or cancel it, then run again`;
    return ': no blocking session could be seen in sys.dm_exec_requests (seeing other sessions needs the VIEW SERVER STATE permission; ask the DBA who holds the lock)';
  }
}

// ---------------------------------------------------------------- the driver

type Parent = sql.ConnectionPool | sql.Transaction;
type Running = sql.Request & { started?: number };

interface Shared {
  readonly lib: MssqlLib;
  readonly description: string;
  readonly commandTimeoutMs: number;
  readonly running: Set<Running>;
  readonly watch: BlockWatch;
}

const LOCK_TIMEOUT_NUMBER = 1222;

/** A DbError for a lock timeout or our own command timeout, naming the blocking session when seen. */
function withBlocker(err: Error, shared: Shared, timedOutMs?: number): Error {
  if (timedOutMs !== undefined) {
    return new DbError(`the statement did not finish within ${Math.round(timedOutMs / 1000)} s (Command Timeout) and was stopped${shared.watch.explain()}`, { code: 'ETIMEOUT' }, { cause: err });
  }
  if (err instanceof DbError && err.details.code === LOCK_TIMEOUT_NUMBER) {
    err.message = `${err.message.replace(/\.$/, '')}${shared.watch.explain()} (Lock Timeout= in the connection string, SSD_LOCK_TIMEOUT or ssd.sqlServer.lockTimeoutSeconds sets how long to wait)`;
  }
  return err;
}

/** Runs single statements on a pool or a transaction; remembers running requests for cancel(). */
class MssqlRunner implements Queryable {
  readonly dialect = 'mssql' as const;
  constructor(
    protected readonly parent: Parent,
    protected readonly shared: Shared,
  ) {}

  protected async run(text: string, params: readonly unknown[]): Promise<sql.IResult<Row>> {
    const { lib, running, description, commandTimeoutMs, watch } = this.shared;
    const request: Running = new lib.Request(this.parent as sql.ConnectionPool);
    let out: string;
    try {
      out = bindParams(request, text, params);
    } catch (e) {
      throw toMssqlError(e, description);
    }
    request.started = Date.now();
    running.add(request);
    watch.arm();
    let timedOut = false;
    const timer =
      commandTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            request.cancel();
          }, commandTimeoutMs)
        : undefined;
    try {
      // No parameters: a plain batch (no sp_executesql scope), else sp_executesql with @p1..@pn.
      return params.length === 0 && out === text ? await request.batch<Row>(out) : await request.query<Row>(out);
    } catch (e) {
      const err = toMssqlError(e, description);
      throw withBlocker(err, this.shared, timedOut ? commandTimeoutMs : undefined);
    } finally {
      if (timer) clearTimeout(timer);
      running.delete(request);
    }
  }

  async query<R = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const res = await this.run(text, params);
    const set = res.recordsets && (res.recordsets as unknown as sql.IRecordSet<Row>[])[0];
    if (!set) return [];
    const norm = rowNormaliser((set as unknown as { columns?: Record<string, ColumnMeta> }).columns);
    return Array.from(set, (r) => norm(r)) as R[];
  }

  async execute(text: string, params: readonly unknown[] = []): Promise<number> {
    const res = await this.run(text, params);
    return (res.rowsAffected ?? []).reduce((a, b) => a + b, 0);
  }
}

/** Statements inside a transaction go one at a time (a transaction holds one connection). */
class MssqlTxRunner extends MssqlRunner {
  private chain: Promise<unknown> = Promise.resolve();
  protected override run(text: string, params: readonly unknown[]): Promise<sql.IResult<Row>> {
    const next = this.chain.then(() => super.run(text, params));
    this.chain = next.catch(() => undefined);
    return next;
  }
  /** Resolves when no statement of this transaction is running (before commit or rollback). */
  idle(): Promise<unknown> {
    return this.chain;
  }
}

/** What open() needs besides the spec (tests use small values). */
export interface MssqlOpenOptions {
  /** The mssql flavour (default: tedious; msnodesqlv8 for Windows sign-in). */
  lib?: MssqlLib;
  /** Start looking for a blocking session after a statement has run this long (default 10 s). */
  blockWatchAfterMs?: number;
}

interface SessionInfo {
  spid?: number;
  language?: string;
}

/** The batch every new connection runs first (see initConnection). */
export function connectionInitSql(lockTimeoutMs: number): string {
  return `SET LOCK_TIMEOUT ${lockTimeoutMs > 0 ? Math.round(lockTimeoutMs) : -1}; SELECT @@SPID AS spid, @@LANGUAGE AS language`;
}

/**
 * What the driver sends on its own, outside any command's statements, with example parameters:
 * for `ssd sql` and the grammar test (src/sqlCatalogue/scenarios/core.ts).
 */
export function driverOwnStatements(): Array<{ sql: string; params: unknown[] }> {
  return [
    { sql: connectionInitSql(DEFAULT_LOCK_TIMEOUT_MS), params: [] },
    // The blocking watcher: $1 = ',spid,spid,' of our waiting sessions, $2 = our process id.
    { sql: loadSql('mssql', 'blocking_sessions'), params: [',57,61,', 4242] },
  ];
}

/**
 * After tedious's own session settings, every new connection sets the lock timeout and reports
 * its session id (for the blocking watcher) and language. Works for tedious and msnodesqlv8 connections.
 */
function initConnection(conn: unknown, lockTimeoutMs: number): Promise<SessionInfo> {
  const text = connectionInitSql(lockTimeoutMs);
  const c = conn as { execSqlBatch?: (r: TediousRequest) => void } & { query?: (q: string, cb: (err: unknown, rows?: { spid?: number; language?: string }[]) => void) => void };
  return new Promise((resolve, reject) => {
    if (typeof c.execSqlBatch === 'function') {
      const info: SessionInfo = {};
      const req = new TediousRequest(text, (err) => (err ? reject(err) : resolve(info)));
      req.on('row', (cols: { value: unknown }[]) => {
        if (typeof cols[0]?.value === 'number') info.spid = cols[0].value;
        if (typeof cols[1]?.value === 'string') info.language = cols[1].value;
      });
      c.execSqlBatch(req);
    } else if (typeof c.query === 'function') {
      c.query(text, (err, rows) => (err ? reject(err) : resolve({ ...(rows?.[0]?.spid !== undefined ? { spid: rows[0].spid } : {}), ...(rows?.[0]?.language ? { language: rows[0].language } : {}) })));
    } else {
      resolve({});
    }
  });
}

/**
 * Wrap the pool's connection factory: run initConnection on each new connection. For a session
 * (maxConnections 1 after mssql's test connection), a second real connection means the first was
 * lost, and with it the session's state: refuse it rather than go on silently in a new session.
 */
function hookPool(pool: sql.ConnectionPool, lockTimeoutMs: number, onInfo: (info: SessionInfo) => void, session?: { description: string }): void {
  const p = pool as unknown as { _poolCreate: () => Promise<unknown> };
  const create = p._poolCreate.bind(pool);
  let made = 0;
  p._poolCreate = async () => {
    made++;
    // mssql's connect() makes a test connection and closes it; the session's own is the second.
    if (session && made > 2) {
      throw new ConnectionError(`the session's connection to ${session.description} was lost, and with it the script's session state (#temp tables, SET options): run it again`);
    }
    const conn = await create();
    try {
      onInfo(await initConnection(conn, lockTimeoutMs));
    } catch (e) {
      await (pool as unknown as { _poolDestroy: (c: unknown) => Promise<void> })._poolDestroy(conn).catch(() => undefined);
      throw e;
    }
    return conn;
  };
}

/** Connections in a Db's pool: streams and transactions each hold one (a session has its own). */
const MSSQL_POOL_MAX = 4;

export class MssqlDb implements Db {
  readonly dialect = 'mssql' as const;
  readonly kind = 'mssql' as const;
  private readonly shared: Shared;
  private readonly base: MssqlRunner;
  /** For a session: its session id and language, and the Db it came from. */
  private sessionInfo: SessionInfo = {};
  private readonly sessions = new Set<MssqlDb>();

  private constructor(
    private readonly pool: sql.ConnectionPool,
    readonly description: string,
    readonly defaultSchema: string,
    private readonly spec: MssqlSpec = { kind: 'mssql', server: '', encrypt: true, trustServerCertificate: false },
    lib: MssqlLib = sql as unknown as MssqlLib,
    private readonly openOptions: MssqlOpenOptions = {},
    running: Set<Running> = new Set(),
    watch: BlockWatch = new BlockWatch(() => undefined, running, 0),
    private readonly owner?: MssqlDb,
  ) {
    this.shared = {
      lib,
      description,
      running,
      watch,
      commandTimeoutMs: spec.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    };
    this.base = new MssqlRunner(pool, this.shared);
  }

  /** The pool's size (4); a session is one connection. See Db.parallelStatements. */
  get parallelStatements(): number {
    return this.owner ? 1 : MSSQL_POOL_MAX;
  }

  /** The session id (@@SPID) of a session's connection; undefined for the pool. */
  get sessionId(): number | undefined {
    return this.owner ? this.sessionInfo.spid : undefined;
  }
  /** The session's language (@@LANGUAGE): the login's default, as in SSMS. */
  get sessionLanguage(): string | undefined {
    return this.owner ? this.sessionInfo.language : undefined;
  }

  /**
   * The mssql configuration for a spec (exported for tests; contains the secret, never log it).
   * A session leaves language, date format and first weekday to the login's defaults, as SSMS does.
   */
  static config(spec: MssqlSpec, opts: { session?: boolean; ca?: string[] } = {}): sql.config {
    const options: sql.IOptions = {
      encrypt: spec.encrypt,
      trustServerCertificate: spec.trustServerCertificate,
      appName: spec.applicationName ?? 'ssd-workbench',
      // Read and write DATE/DATETIME as UTC parts, so values are never shifted by the local zone.
      useUTC: true,
      enableArithAbort: true,
      // TDS packets of 16 KiB instead of tedious's 4 KiB (the server may grant less; it answers
      // with the size it uses): a streamed read of the builder's rows (5,000 rows a batch, about
      // 1 MB) arrives in a quarter of the packets. docs/performance.md.
      packetSize: MSSQL_PACKET_SIZE,
    };
    if (opts.session) {
      // tedious would otherwise send SET LANGUAGE us_english / SET DATEFORMAT mdy / SET DATEFIRST 7
      // and put us_english in LOGIN7: null leaves them to the server (the login's default language).
      Object.assign(options, { language: null, dateFormat: null, datefirst: null });
    }
    if (opts.ca) (options as sql.IOptions & { cryptoCredentialsDetails?: tls.SecureContextOptions }).cryptoCredentialsDetails = { ca: opts.ca };
    // An explicit port wins over the instance name (as in ADO.NET); the instance needs SQL Browser.
    if (spec.instanceName && !spec.port) options.instanceName = spec.instanceName;
    const config: sql.config = {
      server: spec.server,
      options,
      connectionTimeout: spec.connectTimeoutMs ?? 15_000,
      requestTimeout: 0, // the driver times its own statements (Command Timeout); scripts have no limit
      pool: opts.session ? { max: 1, min: 0, idleTimeoutMillis: 2_147_483_647 } : { max: MSSQL_POOL_MAX, min: 0, idleTimeoutMillis: 30_000 },
      // mssql would otherwise run SELECT 1 before every borrowed connection is used (a round
      // trip per statement); closed or broken connections are still discarded.
      validateConnection: false,
    };
    if (spec.port) config.port = spec.port;
    if (spec.database) config.database = spec.database;
    if (spec.accessToken) {
      config.authentication = { type: 'azure-active-directory-access-token', options: { token: spec.accessToken } };
    } else if (spec.integrated) {
      (config as sql.config & { connectionString?: string }).connectionString = odbcConnectionString(spec);
      (options as sql.IOptions & { trustedConnection?: boolean }).trustedConnection = true;
    } else if (spec.domain) {
      config.authentication = { type: 'ntlm', options: { domain: spec.domain, userName: spec.user ?? '', password: spec.password ?? '' } };
    } else {
      if (spec.user !== undefined) config.user = spec.user;
      if (spec.password !== undefined) config.password = spec.password;
    }
    return config;
  }

  static async open(spec: MssqlSpec, description: string, openOptions: MssqlOpenOptions = {}): Promise<MssqlDb> {
    if (!spec.accessToken && !spec.user && !spec.integrated) {
      throw new ConnectionError(`cannot connect to ${description}: no User Id= or access token, and no Trusted_Connection=yes (Windows sign-in)`);
    }
    if (spec.domain && spec.password === undefined) {
      throw new ConnectionError(`cannot connect to ${description}: the Windows account ${spec.domain}\\${spec.user ?? ''} needs its password (Password=, or the editor's saved password)`);
    }
    const lib = openOptions.lib ?? (spec.integrated ? await loadMsnodesqlv8() : (sql as unknown as MssqlLib));
    const ca = trustedCas(spec);
    const running = new Set<Running>();
    let rootPool: sql.ConnectionPool | undefined;
    const watch = new BlockWatch(() => rootPool, running, openOptions.blockWatchAfterMs ?? BLOCK_WATCH_AFTER_MS);
    const pool = await MssqlDb.connectPool(lib, spec, description, { ...(ca ? { ca } : {}) }, (info) => {
      if (info.spid !== undefined) watch.spids.add(info.spid);
    });
    rootPool = pool;
    let schema = 'dbo';
    try {
      const r = await new lib.Request(pool).query<{ s: string | null }>('SELECT SCHEMA_NAME() AS s');
      schema = r.recordset[0]?.s || 'dbo';
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw connectFailure(e, description, spec);
    }
    return new MssqlDb(pool, description, schema, spec, lib, openOptions, running, watch);
  }

  private static async connectPool(lib: MssqlLib, spec: MssqlSpec, description: string, opts: { session?: boolean; ca?: string[] }, onInfo: (info: SessionInfo) => void): Promise<sql.ConnectionPool> {
    let pool: sql.ConnectionPool;
    try {
      pool = new lib.ConnectionPool(MssqlDb.config(spec, opts));
    } catch (e) {
      throw connectFailure(e, description, spec);
    }
    pool.on('error', () => undefined); // surfaces on the next request
    hookPool(pool, spec.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, onInfo, opts.session ? { description } : undefined);
    try {
      await pool.connect();
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw connectFailure(e, description, spec);
    }
    return pool;
  }

  /** A dedicated connection: one server session for a whole script (see Db.session). */
  async session(): Promise<Db> {
    if (this.owner) return this;
    const ca = trustedCas(this.spec);
    const info: SessionInfo = {};
    const running = new Set<Running>();
    // Blockers of the session are looked up from the pool (the session's own connection is busy).
    const watch = new BlockWatch(() => this.pool, running, this.openOptions.blockWatchAfterMs ?? BLOCK_WATCH_AFTER_MS);
    const pool = await MssqlDb.connectPool(this.shared.lib, this.spec, this.description, { session: true, ...(ca ? { ca } : {}) }, (i) => {
      Object.assign(info, i);
      if (i.spid !== undefined) {
        watch.spids.clear();
        watch.spids.add(i.spid);
      }
    });
    // mssql connects lazily after its test connection: open the session's own connection now.
    try {
      await new this.shared.lib.Request(pool).batch('SELECT 1 AS ok');
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw connectFailure(e, this.description, this.spec);
    }
    const s = new MssqlDb(pool, this.description, this.defaultSchema, this.spec, this.shared.lib, this.openOptions, running, watch, this);
    s.sessionInfo = info;
    this.sessions.add(s);
    return s;
  }

  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.base.query<R>(text, params);
  }

  execute(text: string, params?: readonly unknown[]): Promise<number> {
    return this.base.execute(text, params);
  }

  async *stream<R = Row>(text: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    const batchSize = Math.max(1, options.batchSize ?? 2000);
    const signal = options.signal;
    if (signal?.aborted) throw new CancelledError();
    const { lib, running, description } = this.shared;
    const request: Running = new lib.Request(this.pool);
    let out: string;
    try {
      out = bindParams(request, text, params);
    } catch (e) {
      throw toMssqlError(e, description);
    }
    request.stream = true;

    let buffer: Row[] = [];
    let paused = false;
    let finished = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let normalise: (r: Row) => Row = (r) => r;

    request.on('recordset', (columns: Record<string, ColumnMeta>) => {
      normalise = rowNormaliser(columns);
    });
    request.on('row', (row: Row) => {
      buffer.push(normalise(row));
      // Backpressure: stop reading from the socket until the consumer has taken this batch.
      if (buffer.length >= batchSize && !paused) {
        paused = true;
        request.pause();
      }
      notify();
    });
    request.on('error', (e: unknown) => {
      failure ??= e;
      notify();
    });
    const done = new Promise<void>((resolve) => {
      request.on('done', () => {
        finished = true;
        notify();
        resolve();
      });
    });
    const onAbort = () => {
      request.cancel();
      notify();
    };
    signal?.addEventListener('abort', onAbort);
    request.started = Date.now();
    running.add(request);
    this.shared.watch.arm();
    const started = params.length === 0 && out === text ? request.batch(out) : request.query(out);
    (started as unknown as Promise<unknown>).catch(() => undefined); // errors arrive as 'error' events

    try {
      for (;;) {
        if (signal?.aborted) throw new CancelledError();
        if (buffer.length) {
          const chunk = buffer;
          buffer = [];
          if (paused) {
            paused = false;
            request.resume();
          }
          for (const r of chunk) yield r as R;
          continue;
        }
        if (failure !== undefined) throw withBlocker(toMssqlError(failure, description), this.shared);
        if (finished) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished) {
        // The consumer stopped early (break, error or abort): stop the statement and let the
        // connection go back to the pool once the server has acknowledged.
        request.cancel();
        if (paused) {
          paused = false;
          request.resume();
        }
        await done;
      }
      running.delete(request);
    }
  }

  async runBatch(text: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    const { signal, onMessage } = options;
    if (signal?.aborted) throw new CancelledError();
    const { lib, running, description, watch } = this.shared;
    const start = performance.now();
    const request: Running = new lib.Request(this.pool);
    request.stream = true; // messages, errors and rows arrive as events, in server order
    const rowsAffected: number[] = [];
    const resultSets: Row[][] = [];
    let current: Row[] | undefined;
    let normalise: (r: Row) => Row = (r) => r;
    // An error is held until the next one arrives: errors the batch went on after are reported
    // as messages (kind 'error'); the last one is what runBatch throws.
    let held: MssqlErrorLike | undefined;
    let errorCount = 0;
    let cancelled = false;

    request.on('info', (m: InfoEvent) => onMessage?.(infoToMessage(m)));
    request.on('error', (e: MssqlErrorLike) => {
      if (e?.code === 'ECANCEL') {
        cancelled = true;
        return;
      }
      errorCount++;
      if (held) onMessage?.(errorToMessage(held));
      held = e;
    });
    // Counts of statements that returned rows (SELECT) are left out, as on PostgreSQL.
    let selecting = false;
    request.on('rowsaffected', (n: number) => {
      if (selecting) selecting = false;
      else rowsAffected.push(n);
    });
    request.on('recordset', (columns: Record<string, ColumnMeta>) => {
      selecting = true;
      if (!options.collectResults) return;
      normalise = rowNormaliser(columns);
      current = [];
      resultSets.push(current);
    });
    if (options.collectResults) request.on('row', (row: Row) => current?.push(normalise(row)));
    const done = new Promise<void>((resolve) => request.on('done', () => resolve()));
    const onAbort = () => request.cancel();
    signal?.addEventListener('abort', onAbort);
    // While this batch waits on a lock, say who holds it (once per blocker).
    const previous = watch.onBlocked;
    watch.onBlocked = (b) => onMessage?.({ kind: 'warning', text: `waiting for a lock held by ${describeBlocker(b)} (${Math.round(b.waitMs / 1000)} s so far)` });
    request.started = Date.now();
    running.add(request);
    watch.arm();
    try {
      (request.batch(text) as unknown as Promise<unknown>).catch(() => undefined);
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      running.delete(request);
      watch.onBlocked = previous;
    }
    if (cancelled || signal?.aborted) throw new CancelledError('cancelled by user: the server stopped the batch');
    if (held) {
      const err = withBlocker(toMssqlError(held, description), this.shared);
      if (err instanceof DbError && errorCount > 1) err.message += ` (and ${errorCount - 1} earlier error${errorCount > 2 ? 's' : ''} reported as messages)`;
      throw err;
    }
    return { rowsAffected, resultSets, elapsedMs: performance.now() - start };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = new this.shared.lib.Transaction(this.pool);
    let aborted = false;
    tx.on('rollback', (abortedByServer: boolean) => {
      if (abortedByServer) aborted = true;
    });
    try {
      await tx.begin();
    } catch (e) {
      throw toMssqlError(e, this.description);
    }
    const runner = new MssqlTxRunner(tx, this.shared);
    let out: T;
    try {
      out = await fn(runner);
    } catch (e) {
      // A statement fn did not wait for may still be running: a transaction runs one at a time.
      await runner.idle();
      if (!aborted) await tx.rollback().catch(() => undefined);
      throw e;
    }
    try {
      await runner.idle();
      await tx.commit();
    } catch (e) {
      if (!aborted) await tx.rollback().catch(() => undefined);
      throw toMssqlError(e, this.description);
    }
    return out;
  }

  async cancel(): Promise<void> {
    for (const r of [...this.shared.running]) {
      try {
        r.cancel();
      } catch {
        /* finished already */
      }
    }
    for (const s of this.sessions) await s.cancel();
  }

  async close(): Promise<void> {
    await this.cancel();
    this.shared.watch.stop();
    for (const s of [...this.sessions]) await s.close().catch(() => undefined);
    this.owner?.sessions.delete(this);
    await this.pool.close();
  }
}

/** A connect failure as one line: the cause, what a TLS failure means, never a secret or stack. */
function connectFailure(e: unknown, description: string, spec: MssqlSpec): ConnectionError {
  // Ours (not mssql's ConnectionError, which has the same name and a code): already one line.
  if (e instanceof ConnectionError && (e as { code?: unknown }).code === undefined) return e;
  const cause = e as { message?: string; code?: string; originalError?: { message?: string; code?: string; cause?: { errors?: { message?: string }[]; code?: string } } };
  let text = cause?.message ?? String(e);
  const inner = cause?.originalError?.message;
  if (inner && !text.includes(inner)) text += ` (${inner})`;
  // tedious tries each address in turn and reports "Could not connect (sequence)": say why.
  const tries = (cause?.originalError?.cause?.errors ?? []).map((x) => x?.message).filter((x): x is string => !!x);
  if (tries.length) text += `: ${[...new Set(tries)].join('; ')}`;
  const codes = [cause?.code, cause?.originalError?.code, cause?.originalError?.cause?.code].filter(Boolean).join(' ');
  let hint = tlsHint(`${text} ${codes}`);
  if (!hint && spec.encrypt && /socket hang up|ECONNRESET/i.test(`${text} ${codes}`)) {
    hint = `${oneLine(text)}: the server closed the connection; if this happens at every try while Encrypt=true, the server may speak only TLS 1.0/1.1, which this runtime refuses (ask the DBA to enable TLS 1.2; Encrypt=false would send the password in clear)`;
  }
  const secrets = [spec.password, spec.accessToken];
  const line = hint ?? oneLine(redactSecrets(text, secrets));
  return new ConnectionError(`cannot connect to ${description}: ${oneLine(redactSecrets(line, secrets))}`, { cause: e });
}
