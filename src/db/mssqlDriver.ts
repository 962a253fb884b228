// SQL Server via mssql/tedious: SQL authentication or an Entra ID access token.
// - $1..$n placeholders are rewritten to @p1..@pn (mssqlParams.ts) and bound with types inferred
//   from the JS values (sqlParamFor); statements without parameters go as plain batches, so
//   #temp tables they create live on in the session (inside a transaction).
// - Rows follow the conventions of types.ts: DATE → 'YYYY-MM-DD', DATETIME/DATETIME2/
//   SMALLDATETIME → 'YYYY-MM-DDTHH:MM:SS[.fff]' (tedious runs with useUTC, so the values are read
//   and formatted from UTC parts: never shifted by the local zone), DATETIMEOFFSET → ISO text with
//   'Z', BIGINT → number when safe, binary → Buffer.
// - A small pool: streams and transactions each hold their own connection.
import sql from 'mssql';
import { redactSecrets, type MssqlSpec } from './connectionSpec';
import { mssqlParamName, rewritePlaceholders } from './mssqlParams';
import { CancelledError, ConnectionError, DbError, type BatchResult, type Db, type DbMessage, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

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

const asDate = (f: (d: Date) => string): Convert => (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? null : f(v)) : v);
const int8: Convert = (v) => {
  if (typeof v === 'string') { const n = Number(v); return Number.isSafeInteger(n) ? n : v; }
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return v;
};

function converterFor(type: unknown): Convert | undefined {
  switch (type) {
    case sql.Date: return asDate(formatDate);
    case sql.DateTime: case sql.DateTime2: case sql.SmallDateTime: return asDate(formatTimestamp);
    case sql.DateTimeOffset: return asDate((d) => d.toISOString());
    case sql.Time: return asDate(formatTime);
    case sql.BigInt: return int8;
    default: return undefined;
  }
}

interface ColumnMeta { name?: string; type?: unknown }

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
  if (err instanceof DbError || err instanceof CancelledError || err instanceof ConnectionError) return err;
  const e = (err ?? {}) as MssqlErrorLike;
  const info = e.originalError?.info;
  if (e.code === 'ECANCEL' || /^Canceled\.?$/.test(e.message ?? '')) return new CancelledError('cancelled by user: the server stopped the statement');
  const message = oneLine(redactSecrets(e.message ?? String(err)));
  // A dropped connection under a request (KILL, a restart, a reset) arrives as EREQUEST/ECLOSE
  // wrapping tedious's "Connection lost" (ESOCKET) or "Connection closed before request completed".
  const lost = e.code === 'ECLOSE' || (e.originalError as { code?: string } | undefined)?.code === 'ESOCKET'
    || /^Connection (lost|closed before request completed)\b/.test(message);
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

interface InfoEvent { message: string; number?: number; class?: number; lineNumber?: number; procName?: string }

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

// ---------------------------------------------------------------- the driver

type Parent = sql.ConnectionPool | sql.Transaction;

/** Runs single statements on a pool or a transaction; remembers running requests for cancel(). */
class MssqlRunner implements Queryable {
  readonly dialect = 'mssql' as const;
  constructor(
    protected readonly parent: Parent,
    protected readonly running: Set<sql.Request>,
    protected readonly description: string,
  ) {}

  protected async run(text: string, params: readonly unknown[]): Promise<sql.IResult<Row>> {
    const request = new sql.Request(this.parent as sql.ConnectionPool);
    let out: string;
    try { out = bindParams(request, text, params); } catch (e) { throw toMssqlError(e, this.description); }
    this.running.add(request);
    try {
      // No parameters: a plain batch (no sp_executesql scope), else sp_executesql with @p1..@pn.
      return params.length === 0 && out === text ? await request.batch<Row>(out) : await request.query<Row>(out);
    } catch (e) {
      throw toMssqlError(e, this.description);
    } finally {
      this.running.delete(request);
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

export class MssqlDb implements Db {
  readonly dialect = 'mssql' as const;
  readonly kind = 'mssql' as const;
  private readonly running = new Set<sql.Request>();
  private readonly base: MssqlRunner;

  private constructor(
    private readonly pool: sql.ConnectionPool,
    readonly description: string,
    readonly defaultSchema: string,
  ) {
    this.base = new MssqlRunner(pool, this.running, description);
  }

  /** The mssql configuration for a spec (exported for tests; contains the secret, never log it). */
  static config(spec: MssqlSpec): sql.config {
    const options: sql.IOptions = {
      encrypt: spec.encrypt,
      trustServerCertificate: spec.trustServerCertificate,
      appName: spec.applicationName ?? 'ssd-workbench',
      // Read and write DATE/DATETIME as UTC parts, so values are never shifted by the local zone.
      useUTC: true,
      enableArithAbort: true,
    };
    // An explicit port wins over the instance name (as in ADO.NET); the instance needs SQL Browser.
    if (spec.instanceName && !spec.port) options.instanceName = spec.instanceName;
    const config: sql.config = {
      server: spec.server,
      options,
      connectionTimeout: spec.connectTimeoutMs ?? 15_000,
      requestTimeout: 0, // scripts and staging runs may take long; cancel() stops them
      pool: { max: 4, min: 0, idleTimeoutMillis: 30_000 },
      // mssql would otherwise run SELECT 1 before every borrowed connection is used (a round
      // trip per statement); closed or broken connections are still discarded.
      validateConnection: false,
    };
    if (spec.port) config.port = spec.port;
    if (spec.database) config.database = spec.database;
    if (spec.accessToken) {
      config.authentication = { type: 'azure-active-directory-access-token', options: { token: spec.accessToken } };
    } else {
      if (spec.user !== undefined) config.user = spec.user;
      if (spec.password !== undefined) config.password = spec.password;
    }
    return config;
  }

  static async open(spec: MssqlSpec, description: string): Promise<Db> {
    if (!spec.accessToken && !spec.user) {
      throw new ConnectionError(`cannot connect to ${description}: no User Id= or access token (Windows integrated authentication is not supported)`);
    }
    const secrets = [spec.password, spec.accessToken];
    const fail = (e: unknown): ConnectionError => {
      const cause = e as { message?: string; originalError?: { message?: string; cause?: { errors?: { message?: string }[] } } };
      let text = cause?.message ?? String(e);
      const inner = cause?.originalError?.message;
      if (inner && !text.includes(inner)) text += ` (${inner})`;
      // tedious tries each address in turn and reports "Could not connect (sequence)": say why.
      const tries = (cause?.originalError?.cause?.errors ?? []).map((x) => x?.message).filter((x): x is string => !!x);
      if (tries.length) text += `: ${[...new Set(tries)].join('; ')}`;
      return new ConnectionError(`cannot connect to ${description}: ${oneLine(redactSecrets(text, secrets))}`, { cause: e });
    };
    let pool: sql.ConnectionPool;
    try {
      pool = new sql.ConnectionPool(MssqlDb.config(spec));
    } catch (e) {
      throw fail(e);
    }
    pool.on('error', () => undefined); // surfaces on the next request
    try {
      await pool.connect();
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw fail(e);
    }
    let schema = 'dbo';
    try {
      const r = await pool.request().query<{ s: string | null }>('SELECT SCHEMA_NAME() AS s');
      schema = r.recordset[0]?.s || 'dbo';
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw fail(e);
    }
    return new MssqlDb(pool, description, schema);
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
    const request = new sql.Request(this.pool);
    let out: string;
    try { out = bindParams(request, text, params); } catch (e) { throw toMssqlError(e, this.description); }
    request.stream = true;

    let buffer: Row[] = [];
    let paused = false;
    let finished = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => { const w = wake; wake = undefined; w?.(); };
    let normalise: (r: Row) => Row = (r) => r;

    request.on('recordset', (columns: Record<string, ColumnMeta>) => { normalise = rowNormaliser(columns); });
    request.on('row', (row: Row) => {
      buffer.push(normalise(row));
      // Backpressure: stop reading from the socket until the consumer has taken this batch.
      if (buffer.length >= batchSize && !paused) { paused = true; request.pause(); }
      notify();
    });
    request.on('error', (e: unknown) => { failure ??= e; notify(); });
    const done = new Promise<void>((resolve) => {
      request.on('done', () => { finished = true; notify(); resolve(); });
    });
    const onAbort = () => { request.cancel(); notify(); };
    signal?.addEventListener('abort', onAbort);
    this.running.add(request);
    const started = params.length === 0 && out === text ? request.batch(out) : request.query(out);
    (started as unknown as Promise<unknown>).catch(() => undefined); // errors arrive as 'error' events

    try {
      for (;;) {
        if (signal?.aborted) throw new CancelledError();
        if (buffer.length) {
          const chunk = buffer;
          buffer = [];
          if (paused) { paused = false; request.resume(); }
          for (const r of chunk) yield r as R;
          continue;
        }
        if (failure !== undefined) throw toMssqlError(failure, this.description);
        if (finished) return;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished) {
        // The consumer stopped early (break, error or abort): stop the statement and let the
        // connection go back to the pool once the server has acknowledged.
        request.cancel();
        if (paused) { paused = false; request.resume(); }
        await done;
      }
      this.running.delete(request);
    }
  }

  async runBatch(text: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    const { signal, onMessage } = options;
    if (signal?.aborted) throw new CancelledError();
    const start = performance.now();
    const request = new sql.Request(this.pool);
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
      if (e?.code === 'ECANCEL') { cancelled = true; return; }
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
    this.running.add(request);
    try {
      (request.batch(text) as unknown as Promise<unknown>).catch(() => undefined);
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(request);
    }
    if (cancelled || signal?.aborted) throw new CancelledError('cancelled by user: the server stopped the batch');
    if (held) {
      const err = toMssqlError(held, this.description);
      if (err instanceof DbError && errorCount > 1) err.message += ` (and ${errorCount - 1} earlier error${errorCount > 2 ? 's' : ''} reported as messages)`;
      throw err;
    }
    return { rowsAffected, resultSets, elapsedMs: performance.now() - start };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = new sql.Transaction(this.pool);
    let aborted = false;
    tx.on('rollback', (abortedByServer: boolean) => { if (abortedByServer) aborted = true; });
    try {
      await tx.begin();
    } catch (e) {
      throw toMssqlError(e, this.description);
    }
    const runner = new MssqlTxRunner(tx, this.running, this.description);
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
    for (const r of [...this.running]) {
      try { r.cancel(); } catch { /* finished already */ }
    }
  }

  async close(): Promise<void> {
    await this.cancel();
    await this.pool.close();
  }
}
