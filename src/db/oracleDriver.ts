// Oracle via oracledb in Thin mode (pure JavaScript: no Instant Client). A small pool: streams and
// transactions each hold their own connection, as with PostgreSQL.
//
// How the project's conventions (types.ts) are kept on Oracle:
// - $1, $2 placeholders become named binds :b1, :b2 (so a repeated $1 binds one value), outside
//   strings, q'[…]' literals, "quoted identifiers" and comments (oracleParams.ts). Booleans bind as
//   1/0 (no SQL BOOLEAN before 23ai), Uint8Array as Buffer, undefined as NULL. A string longer than
//   1,000 characters (more than 4,000 bytes may be, the VARCHAR2 limit of a SQL bind) is bound as a
//   CLOB in execute(), so that it may stand anywhere a CLOB may (DBMS_LOB.COMPARE, a CASE, a CLOB
//   column); executeMany() sends such strings as oracledb does (a LONG bind: the value of a column
//   in INSERT … VALUES or UPDATE … SET, never inside an expression, which the SQL respects).
// - Result column names come back in lower case: Oracle folds unquoted names (and aliases) to upper
//   case, and every caller reads the lower-case keys the other dialects return.
// - DATE and TIMESTAMP values come back as text: the session's NLS formats are set on connect and
//   the columns fetched as strings, so no value passes through a JS Date (no time-zone shift); a
//   DATE at midnight is 'YYYY-MM-DD', otherwise 'YYYY-MM-DDTHH:MM:SS'. CLOBs come back as strings,
//   BLOBs as Buffers, NUMBERs as JS numbers.
// - runBatch runs one statement or one PL/SQL block (the script splitter cuts scripts into those);
//   a single trailing ';' after a SQL statement is dropped, as SQL*Plus does. DBMS_OUTPUT lines are
//   passed on as 'info' messages.
// - cancel() sends a break on every busy connection (connection.break()): the statement fails with
//   ORA-01013, reported as CancelledError.
// The oracledb module is passed in (open(..., { driver })) so the tests can use a scripted fake.
import { redactSecrets, type OracleSpec } from './connectionSpec';
import { rewriteOraclePlaceholders } from './oracleParams';
import { CancelledError, ConnectionError, DbError, type BatchResult, type Db, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

/** The part of oracledb's API this driver uses (see node-oracledb's documentation). */
export interface OracleMetaData {
  name: string;
  dbType?: unknown;
  dbTypeName?: string;
}
export interface OracleResultSet {
  getRows(n: number): Promise<unknown[]>;
  close(): Promise<void>;
  metaData?: OracleMetaData[];
}
export interface OracleExecuteResult {
  rows?: unknown[];
  metaData?: OracleMetaData[];
  rowsAffected?: number;
  resultSet?: OracleResultSet;
  outBinds?: unknown;
  warning?: { message?: string; code?: string; errorNum?: number };
}
export interface OracleExecuteOptions {
  outFormat?: unknown;
  autoCommit?: boolean;
  resultSet?: boolean;
  fetchArraySize?: number;
  fetchTypeHandler?: (m: OracleMetaData) => unknown;
}
export interface OracleConnectionLike {
  execute(sql: string, binds?: unknown, options?: OracleExecuteOptions): Promise<OracleExecuteResult>;
  executeMany(sql: string, binds: unknown[], options?: { autoCommit?: boolean }): Promise<{ rowsAffected?: number }>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  break(): Promise<void>;
  close(options?: { drop?: boolean }): Promise<void>;
}
export interface OraclePoolLike {
  getConnection(): Promise<OracleConnectionLike>;
  close(drainTime?: number): Promise<void>;
}
export interface OracleDriverModule {
  OUT_FORMAT_OBJECT: unknown;
  STRING: unknown;
  BUFFER: unknown;
  DB_TYPE_DATE: unknown;
  DB_TYPE_TIMESTAMP: unknown;
  DB_TYPE_TIMESTAMP_TZ: unknown;
  DB_TYPE_TIMESTAMP_LTZ: unknown;
  DB_TYPE_CLOB: unknown;
  DB_TYPE_NCLOB: unknown;
  DB_TYPE_BLOB: unknown;
  DB_TYPE_NUMBER: unknown;
  BIND_OUT?: unknown;
  createPool(config: Record<string, unknown>): Promise<OraclePoolLike>;
}

/** Session settings so dates travel as text in one fixed shape (see the header). */
export const ORACLE_SESSION_SETUP = `ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS' NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF3' NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF3TZH:TZM' NLS_NUMERIC_CHARACTERS = '.,'`;

export interface OracleOpenOptions {
  /** The oracledb module (default: the real one, loaded on first use). */
  driver?: OracleDriverModule;
  password?: string;
  poolMax?: number;
}

/** ORA-01013: user requested cancel of current operation. */
const ORA_CANCELLED = 1013;

/** The ORA- code of an oracledb error ('ORA-00942'), or its NJS- code. */
export function oracleCode(e: unknown): string | undefined {
  const x = (e ?? {}) as { errorNum?: unknown; code?: unknown; message?: unknown };
  if (typeof x.code === 'string' && /^(ORA|NJS|DPI|TNS)-\d+$/.test(x.code)) return x.code;
  if (typeof x.errorNum === 'number' && x.errorNum > 0) return `ORA-${String(x.errorNum).padStart(5, '0')}`;
  const m = typeof x.message === 'string' ? /^(ORA|NJS|DPI|TNS)-\d+/.exec(x.message) : null;
  return m?.[0];
}

/** Did the connection go (NJS-500/501/521, ORA-03113/03114/…)? oracledb reports those as NJS-5xx. */
export function isOracleConnectionLoss(e: unknown): boolean {
  const code = oracleCode(e) ?? '';
  return /^NJS-(500|501|521)$/.test(code) || ['ORA-03113', 'ORA-03114', 'ORA-03135', 'ORA-00028', 'ORA-01012', 'ORA-02396'].includes(code);
}

/** An oracledb error as a DbError: the ORA- code, the line of the error offset within the SQL. */
export function oracleDbError(e: unknown, sql?: string): DbError {
  if (e instanceof DbError) return e;
  const x = (e ?? {}) as { message?: unknown; errorNum?: unknown; offset?: unknown };
  const message = redactSecrets(typeof x.message === 'string' ? x.message : String(e));
  const code = oracleCode(e);
  const details: DbError['details'] = {};
  if (code) details.code = code;
  if (x.errorNum === ORA_CANCELLED) details.cancelled = true;
  // offset: where in the statement the server stopped parsing (0-based; 0 also means "unknown").
  if (typeof x.offset === 'number' && x.offset > 0 && sql !== undefined && x.offset <= sql.length) {
    const before = sql.slice(0, x.offset);
    details.line = before.split('\n').length;
    details.position = x.offset + 1;
  } else {
    // PL/SQL: "ORA-06550: line 3, column 7:" names the place within the block.
    const m = /ORA-06550: line (\d+), column \d+/.exec(message);
    if (m) details.line = Number(m[1]);
  }
  return new DbError(message, details, { cause: e });
}

/** Driver values → the shapes types.ts promises. */
function fromOracle(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T00:00:00$/.test(v)) return v.slice(0, 10);
  return v;
}

/** Bind values: booleans as 1/0, bytes as Buffer, undefined as NULL. */
export function toOracleBind(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

function lowerRow(r: unknown): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r as Row)) out[k.toLowerCase()] = fromOracle(v);
  return out;
}

/** A single trailing ';' after a SQL statement is SQL*Plus's terminator, not part of the statement. */
export function oracleStatementText(sql: string): string {
  // Leading text stays as it is, so the server's error offsets match the caller's text.
  const t = sql.trimEnd();
  const head = t.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  if (/^(declare|begin|<<)/i.test(head) || /^create\s+(or\s+replace\s+)?(editionable\s+|noneditionable\s+)?(procedure|function|package|trigger|type|library)\b/i.test(head)) return t;
  return t.replace(/;$/, '');
}

class ConnQueryable implements Queryable {
  readonly dialect = 'oracle' as const;
  runBatch?: Queryable['runBatch'];
  constructor(
    protected readonly ora: OracleDriverModule,
    protected readonly conn: OracleConnectionLike,
    private readonly autoCommit: boolean,
  ) {}

  options(extra: OracleExecuteOptions = {}): OracleExecuteOptions {
    const o = this.ora;
    return {
      outFormat: o.OUT_FORMAT_OBJECT,
      autoCommit: this.autoCommit,
      fetchTypeHandler: (m) => {
        const t = m.dbType;
        if (t === o.DB_TYPE_DATE || t === o.DB_TYPE_TIMESTAMP || t === o.DB_TYPE_TIMESTAMP_TZ || t === o.DB_TYPE_TIMESTAMP_LTZ || t === o.DB_TYPE_CLOB || t === o.DB_TYPE_NCLOB)
          return { type: o.STRING };
        if (t === o.DB_TYPE_BLOB) return { type: o.BUFFER };
        return undefined;
      },
      ...extra,
    };
  }

  async run(sql: string, params: readonly unknown[], extra?: OracleExecuteOptions): Promise<OracleExecuteResult> {
    const { text, binds } = bindParams(sql, params, this.ora.DB_TYPE_CLOB);
    try {
      return await this.conn.execute(text, binds, this.options(extra));
    } catch (e) {
      throw oracleDbError(e, text);
    }
  }

  async query<R = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const res = await this.run(sql, params);
    return (res.rows ?? []).map(lowerRow) as R[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).rowsAffected ?? 0;
  }

  async executeMany(sql: string, rows: readonly (readonly unknown[])[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { text, order } = rewriteOraclePlaceholders(sql);
    // executeMany binds by position: one value per placeholder occurrence, in order.
    const binds = rows.map((r) => order.map((n) => toOracleBind(r[n - 1])));
    try {
      return (await this.conn.executeMany(text, binds, { autoCommit: this.autoCommit })).rowsAffected ?? 0;
    } catch (e) {
      throw oracleDbError(e, text);
    }
  }
}

/** Strings longer than this many characters are bound as CLOBs by execute() (see the header). */
export const ORACLE_CLOB_BIND_CHARS = 1000;

/**
 * $n → :bn with a named bind object (a repeated $n binds one value). With `clobType` (the driver's
 * DB_TYPE_CLOB), a string longer than ORACLE_CLOB_BIND_CHARS is bound as { val, type: CLOB }.
 */
export function bindParams(sql: string, params: readonly unknown[], clobType?: unknown): { text: string; binds: Record<string, unknown> } {
  const { text, indexes } = rewriteOraclePlaceholders(sql);
  const binds: Record<string, unknown> = {};
  for (const n of indexes) {
    if (n > params.length) throw new DbError(`statement uses $${n} but only ${params.length} parameter(s) were given`);
    const v = toOracleBind(params[n - 1]);
    binds[`b${n}`] = clobType !== undefined && typeof v === 'string' && v.length > ORACLE_CLOB_BIND_CHARS ? { val: v, type: clobType } : v;
  }
  return { text, binds };
}

/** Where connections come from: the pool, or one connection a session keeps. */
interface Lease {
  acquire(): Promise<OracleConnectionLike>;
  release(c: OracleConnectionLike, broken: boolean): Promise<void>;
  end(): Promise<void>;
}

export class OracleDb implements Db {
  readonly dialect = 'oracle' as const;
  readonly kind = 'oracle' as const;
  private readonly busy = new Set<OracleConnectionLike>();
  private readonly cancelled = new WeakSet<OracleConnectionLike>();
  private readonly sessions = new Set<OracleDb>();

  private constructor(
    private readonly ora: OracleDriverModule,
    private readonly lease: Lease,
    readonly description: string,
    readonly defaultSchema: string,
    private readonly pool: OraclePoolLike,
    private readonly owner?: OracleDb,
    private readonly poolMax = 1,
  ) {}

  /** The pool's size (poolMax, 4 unless set); a session is one connection. See Db.parallelStatements. */
  get parallelStatements(): number {
    return this.owner ? 1 : this.poolMax;
  }

  static async open(spec: OracleSpec, description: string, options: OracleOpenOptions = {}): Promise<OracleDb> {
    const ora = options.driver ?? (await loadOracledb());
    const password = options.password ?? spec.password ?? process.env.SSD_ORACLE_PASSWORD;
    if (!spec.user) throw new ConnectionError(`cannot connect to ${description}: no user name (write oracle://USER@${spec.host}:${spec.port ?? 1521}/${spec.service ?? 'SERVICE'})`);
    if (password === undefined || password === '') {
      throw new ConnectionError(`cannot connect to ${description}: the server asks for a password and none was given (set SSD_ORACLE_PASSWORD, or save it in the connection profile)`);
    }
    const config: Record<string, unknown> = {
      user: spec.user,
      password,
      connectString: spec.connectString,
      poolMin: 0,
      poolMax: options.poolMax ?? 4,
      poolIncrement: 1,
      poolTimeout: 30,
      connectTimeout: Math.ceil((spec.connectTimeoutMs ?? 15_000) / 1000),
      sessionCallback: (conn: OracleConnectionLike, _tag: unknown, done: (e?: unknown) => void) => {
        conn.execute(ORACLE_SESSION_SETUP).then(
          () => done(),
          (e: unknown) => done(e),
        );
      },
    };
    let pool: OraclePoolLike | undefined;
    try {
      pool = await ora.createPool(config);
      const c = await pool.getConnection(); // the first connection proves address, service and login
      await c.close();
    } catch (e) {
      await pool?.close(0).catch(() => undefined);
      throw oracleConnectError(spec, e, password);
    }
    return new OracleDb(ora, poolLease(pool), description, spec.user.toUpperCase(), pool, undefined, options.poolMax ?? 4);
  }

  /** A dedicated connection: every statement, batch and transaction runs in one session. */
  async session(): Promise<Db> {
    if (this.owner) return this;
    let conn: OracleConnectionLike;
    try {
      conn = await this.pool.getConnection();
    } catch (e) {
      throw new ConnectionError(`cannot open a session on ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
    }
    let held = false;
    const lease: Lease = {
      acquire: async () => {
        if (held) throw new DbError('this session is running another statement: finish (or break out of) it first');
        held = true;
        return conn;
      },
      release: async () => {
        held = false;
      },
      end: async () => {
        await conn.close().catch(() => undefined);
      },
    };
    const s = new OracleDb(this.ora, lease, this.description, this.defaultSchema, this.pool, this);
    this.sessions.add(s);
    return s;
  }

  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.withConn((c) => new ConnQueryable(this.ora, c, true).query<R>(sql, params));
  }

  execute(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.withConn((c) => new ConnQueryable(this.ora, c, true).execute(sql, params));
  }

  executeMany(sql: string, rows: readonly (readonly unknown[])[]): Promise<number> {
    return this.withConn((c) => new ConnQueryable(this.ora, c, true).executeMany(sql, rows));
  }

  async *stream<R = Row>(sql: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    const size = options.batchSize ?? 2000;
    const conn = await this.acquire();
    this.busy.add(conn);
    let broken = false;
    let rs: OracleResultSet | undefined;
    try {
      const q = new ConnQueryable(this.ora, conn, true);
      const res = await q.run(sql, params, { resultSet: true, fetchArraySize: size });
      rs = res.resultSet;
      if (!rs) {
        for (const r of res.rows ?? []) yield lowerRow(r) as R;
        return;
      }
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError();
        let rows: unknown[];
        try {
          rows = await rs.getRows(size);
        } catch (e) {
          throw oracleDbError(e, sql);
        }
        for (const r of rows) yield lowerRow(r) as R;
        if (rows.length < size) break;
      }
    } catch (e) {
      if (isOracleConnectionLoss(e) || isOracleConnectionLoss((e as { cause?: unknown })?.cause)) {
        broken = true;
        throw this.lost(e);
      }
      throw this.cancelledOr(conn, e);
    } finally {
      if (rs && !broken) await rs.close().catch(() => undefined);
      this.busy.delete(conn);
      this.cancelled.delete(conn);
      await this.lease.release(conn, broken);
    }
  }

  async runBatch(sql: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    return this.withConn((c) => this.batchOn(c, sql, options, true));
  }

  /** One statement or PL/SQL block; DBMS_OUTPUT lines become messages when someone listens. */
  private async batchOn(conn: OracleConnectionLike, sql: string, options: RunBatchOptions, autoCommit: boolean): Promise<BatchResult> {
    if (options.signal?.aborted) throw new CancelledError();
    const onAbort = () => {
      void this.breakConn(conn);
    };
    options.signal?.addEventListener('abort', onAbort);
    const start = performance.now();
    const q = new ConnQueryable(this.ora, conn, autoCommit);
    try {
      if (options.onMessage) await conn.execute('BEGIN DBMS_OUTPUT.ENABLE(NULL); END;').catch(() => undefined);
      const text = oracleStatementText(sql);
      let res: OracleExecuteResult;
      // Script text is sent as written: no $n rewriting (a batch has no parameters).
      try {
        res = await conn.execute(text, {}, q.options());
      } catch (e) {
        throw oracleDbError(e, text);
      }
      // CREATE PROCEDURE … with compilation errors succeeds with a warning, as SQL*Plus shows it.
      if (res.warning)
        options.onMessage?.({
          kind: 'warning',
          text: `${res.warning.message ?? 'created with compilation errors'} (query USER_ERRORS for the details)`,
          ...(oracleCode(res.warning) ? { code: oracleCode(res.warning)! } : {}),
        });
      if (options.onMessage) for (const line of await this.outputLines(conn)) options.onMessage({ kind: 'info', text: line });
      const isSelect = Array.isArray(res.rows);
      return {
        rowsAffected: !isSelect && typeof res.rowsAffected === 'number' ? [res.rowsAffected] : [],
        resultSets: options.collectResults && isSelect ? [(res.rows ?? []).map(lowerRow)] : [],
        elapsedMs: performance.now() - start,
      };
    } catch (e) {
      const err = oracleDbError(e, sql);
      if (options.signal?.aborted || err.details.cancelled) throw new CancelledError('cancelled by user: the server stopped the statement');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** DBMS_OUTPUT lines the last block wrote (a few hundred at a time). */
  private async outputLines(conn: OracleConnectionLike): Promise<string[]> {
    const out: string[] = [];
    for (let round = 0; round < 100; round++) {
      const res = await conn
        .execute('BEGIN DBMS_OUTPUT.GET_LINE(:line, :status); END;', {
          line: { dir: this.ora.BIND_OUT, type: this.ora.STRING, maxSize: 32767 },
          status: { dir: this.ora.BIND_OUT, type: this.ora.DB_TYPE_NUMBER },
        })
        .catch(() => undefined);
      const ob = res?.outBinds as { line?: string | null; status?: number } | undefined;
      if (!ob || ob.status !== 0) break;
      out.push(ob.line ?? '');
    }
    return out;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withConn(async (conn) => {
      const tx = new ConnQueryable(this.ora, conn, false);
      tx.runBatch = (text: string, options: RunBatchOptions = {}) => this.batchOn(conn, text, options, false);
      try {
        const out = await fn(tx);
        await conn.commit();
        return out;
      } catch (e) {
        await conn.rollback().catch(() => undefined);
        throw e;
      }
    });
  }

  async cancel(): Promise<void> {
    await Promise.all([...this.busy].map((c) => this.breakConn(c)));
    for (const s of this.sessions) await s.cancel();
  }

  private async breakConn(c: OracleConnectionLike): Promise<void> {
    this.cancelled.add(c);
    await c.break().catch(() => undefined);
  }

  private async acquire(): Promise<OracleConnectionLike> {
    try {
      return await this.lease.acquire();
    } catch (e) {
      if (e instanceof DbError) throw e;
      throw new ConnectionError(`lost connection to ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
    }
  }

  private lost(e: unknown): ConnectionError {
    if (e instanceof ConnectionError) return e;
    return new ConnectionError(`lost connection to ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
  }

  private cancelledOr(c: OracleConnectionLike, e: unknown): unknown {
    if ((this.cancelled.has(c) && e instanceof DbError && e.details.cancelled) || e instanceof CancelledError) {
      return e instanceof CancelledError ? e : new CancelledError('cancelled by user: the server stopped the statement');
    }
    return e;
  }

  private async withConn<T>(fn: (c: OracleConnectionLike) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    this.busy.add(conn);
    let broken = false;
    try {
      return await fn(conn);
    } catch (e) {
      if (isOracleConnectionLoss(e) || isOracleConnectionLoss((e as { cause?: unknown })?.cause)) {
        broken = true;
        throw this.lost(e);
      }
      throw this.cancelledOr(conn, e);
    } finally {
      this.busy.delete(conn);
      this.cancelled.delete(conn);
      await this.lease.release(conn, broken);
    }
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) await s.close().catch(() => undefined);
    if (this.owner) {
      this.owner.sessions.delete(this);
      await this.lease.end();
      return;
    }
    await this.lease.end();
  }
}

function poolLease(pool: OraclePoolLike): Lease {
  return {
    acquire: () => pool.getConnection(),
    release: async (c, broken) => {
      await c.close(broken ? { drop: true } : undefined).catch(() => undefined);
    },
    end: () => pool.close(0),
  };
}

/** One line naming host, service and the cause. */
export function oracleConnectError(spec: OracleSpec, e: unknown, password?: string): ConnectionError {
  const code = oracleCode(e);
  const raw = redactSecrets(e instanceof Error ? e.message : String(e), [password]).replace(/\s*[\r\n]+\s*/g, ' ');
  const known: Record<string, string> = {
    'ORA-01017': 'the server refused the user name or password',
    'ORA-28000': 'the account is locked',
    'ORA-28001': 'the password has expired',
    'ORA-12514': `the listener does not know service ${spec.service ?? ''}`.trimEnd(),
    'NJS-518': `the listener does not know service ${spec.service ?? ''}`.trimEnd(),
    'ORA-12541': 'no listener at that host and port',
    'NJS-503': 'cannot reach the server (check host, port, VPN and firewall)',
    'NJS-511': 'the connection was refused (check host and port)',
    'NJS-510': 'the server did not answer in time',
  };
  const cause = code && known[code] ? `${known[code]} (${code})` : raw;
  return new ConnectionError(`cannot connect to Oracle ${spec.user ? spec.user + '@' : ''}${spec.host}:${spec.port ?? 1521} service ${spec.service ?? '(descriptor)'}: ${cause}`.slice(0, 400), {
    cause: e,
  });
}

async function loadOracledb(): Promise<OracleDriverModule> {
  const m = (await import('oracledb')) as unknown as { default?: OracleDriverModule } & OracleDriverModule;
  return (m.default ?? m) as OracleDriverModule;
}
