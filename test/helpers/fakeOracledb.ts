// A scripted stand-in for the oracledb module, at the level of its API (createPool, getConnection,
// execute with binds and options, result sets, executeMany, commit/rollback, break, close). It keeps
// tables in memory for the few statement shapes a test scripts, records every SQL text and bind,
// and behaves as oracledb does where the driver depends on it:
// - rows as objects with UPPER-case keys under OUT_FORMAT_OBJECT, as arrays otherwise; metaData;
// - DATE/TIMESTAMP columns as JS Dates unless fetchTypeHandler asks for STRING, then formatted by
//   the session's NLS_DATE_FORMAT (default DD-MON-RR, as a fresh Oracle session has);
// - named binds (:b1) must all be supplied, else ORA-01008 (a ':name' inside a 'string' or a comment
//   is not a bind); positional executeMany binds; a { val, type } bind (the driver's CLOB binds) reaches
//   the handler as its value;
// - errors carry errorNum, code 'ORA-nnnnn', message 'ORA-nnnnn: …' and offset;
// - break() makes the statement in flight fail with ORA-01013;
// - a trailing ';' on a SQL statement is ORA-00933 (as the server says), an unknown table ORA-00942.
// It is not a SQL engine: statements a test has not scripted fail with ORA-00900.
import type { OracleConnectionLike, OracleDriverModule, OracleExecuteOptions, OracleExecuteResult, OracleMetaData, OraclePoolLike } from '../../src/db/oracleDriver';

export class OraError extends Error {
  readonly code: string;
  constructor(
    readonly errorNum: number,
    text: string,
    readonly offset = 0,
  ) {
    const code = `ORA-${String(errorNum).padStart(5, '0')}`;
    super(`${code}: ${text}`);
    this.code = code;
  }
}

export interface FakeColumn {
  name: string;
  type: 'NUMBER' | 'VARCHAR2' | 'DATE' | 'TIMESTAMP' | 'CLOB';
}
export interface FakeResult {
  columns?: FakeColumn[];
  rows?: unknown[][];
  rowsAffected?: number;
  outBinds?: Record<string, unknown>;
}
export type FakeHandler = (sql: string, binds: Record<string, unknown> | unknown[], conn: FakeConnection) => FakeResult | Promise<FakeResult>;

export interface FakeCall {
  conn: number;
  sql: string;
  binds: unknown;
  options?: OracleExecuteOptions;
  many?: boolean;
}

const T = {
  OUT_FORMAT_OBJECT: 4002,
  OUT_FORMAT_ARRAY: 4001,
  STRING: 'STRING',
  BUFFER: 'BUFFER',
  BIND_OUT: 3003,
  DB_TYPE_DATE: { name: 'DB_TYPE_DATE' },
  DB_TYPE_TIMESTAMP: { name: 'DB_TYPE_TIMESTAMP' },
  DB_TYPE_TIMESTAMP_TZ: { name: 'DB_TYPE_TIMESTAMP_TZ' },
  DB_TYPE_TIMESTAMP_LTZ: { name: 'DB_TYPE_TIMESTAMP_LTZ' },
  DB_TYPE_CLOB: { name: 'DB_TYPE_CLOB' },
  DB_TYPE_NCLOB: { name: 'DB_TYPE_NCLOB' },
  DB_TYPE_BLOB: { name: 'DB_TYPE_BLOB' },
  DB_TYPE_NUMBER: { name: 'DB_TYPE_NUMBER' },
  DB_TYPE_VARCHAR: { name: 'DB_TYPE_VARCHAR' },
} as const;

const dbTypeOf = (t: FakeColumn['type']) =>
  t === 'NUMBER' ? T.DB_TYPE_NUMBER : t === 'DATE' ? T.DB_TYPE_DATE : t === 'TIMESTAMP' ? T.DB_TYPE_TIMESTAMP : t === 'CLOB' ? T.DB_TYPE_CLOB : T.DB_TYPE_VARCHAR;
/** A bind given with its type ({ val, type }, not an OUT bind). */
function typedBind(v: unknown): v is { val: unknown; type: unknown } {
  return !!v && typeof v === 'object' && !Buffer.isBuffer(v) && 'val' in v && 'type' in v && !('dir' in v);
}

const MON = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export class FakeConnection implements OracleConnectionLike {
  nls: Record<string, string> = {};
  closed = false;
  dropped = false;
  committed = 0;
  rolledBack = 0;
  /** Uncommitted work (statements run with autoCommit false since the last commit/rollback). */
  pending: string[] = [];
  private inFlight: ((e: unknown) => void) | undefined;
  constructor(
    readonly id: number,
    private readonly fake: FakeOracledb,
  ) {}

  async execute(sql: string, binds: unknown = {}, options: OracleExecuteOptions = {}): Promise<OracleExecuteResult> {
    if (this.closed) throw Object.assign(new Error('NJS-003: invalid or closed connection'), { code: 'NJS-003' });
    this.fake.calls.push({ conn: this.id, sql, binds, options });
    const alter = /^ALTER SESSION SET (.*)$/is.exec(sql);
    if (alter) {
      for (const m of alter[1]!.matchAll(/(\w+)\s*=\s*'((?:[^']|'')*)'/g)) this.nls[m[1]!.toUpperCase()] = m[2]!.replace(/''/g, "'");
      return {};
    }
    if (!/^\s*(BEGIN|DECLARE)\b/i.test(sql) && /;\s*$/.test(sql)) throw new OraError(933, 'SQL command not properly ended', sql.length - 1);
    // Named binds: every :name in the text must be supplied (ORA-01008).
    let values = binds;
    if (binds && !Array.isArray(binds)) {
      const code = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
      for (const m of code.matchAll(/:([A-Za-z]\w*)/g)) if (!(m[1]! in (binds as Record<string, unknown>))) throw new OraError(1008, 'not all variables bound');
      values = Object.fromEntries(Object.entries(binds as Record<string, unknown>).map(([k, v]) => [k, typedBind(v) ? v.val : v]));
    }
    const handler = this.fake.handlerFor(sql);
    if (!handler) throw new OraError(900, 'invalid SQL statement');
    const work = Promise.resolve().then(() => handler(sql, values as Record<string, unknown>, this));
    const res = await new Promise<FakeResult>((resolve, reject) => {
      this.inFlight = reject;
      work.then(resolve, reject);
    }).finally(() => {
      this.inFlight = undefined;
    });
    if (options.autoCommit === false && !/^\s*select/i.test(sql)) this.pending.push(sql);
    else if (options.autoCommit) this.pending = [];
    return this.shape(res, options);
  }

  private shape(res: FakeResult, options: OracleExecuteOptions): OracleExecuteResult {
    if (!res.columns) return { rowsAffected: res.rowsAffected ?? 0, ...(res.outBinds ? { outBinds: res.outBinds } : {}) };
    const metaData: OracleMetaData[] = res.columns.map((c) => ({ name: c.name.toUpperCase(), dbType: dbTypeOf(c.type), dbTypeName: c.type }));
    const asks = metaData.map((m) => options.fetchTypeHandler?.(m) as { type?: unknown } | undefined);
    const rows = (res.rows ?? []).map((r) => {
      const vals = r.map((v, i) => this.convert(v, res.columns![i]!, asks[i]?.type));
      if (options.outFormat !== T.OUT_FORMAT_OBJECT) return vals;
      return Object.fromEntries(metaData.map((m, i) => [m.name, vals[i]]));
    });
    if (options.resultSet) {
      let at = 0;
      let closed = false;
      return {
        metaData,
        resultSet: {
          metaData,
          getRows: async (n: number) => {
            if (closed) throw Object.assign(new Error('NJS-018: invalid ResultSet'), { code: 'NJS-018' });
            const out = rows.slice(at, at + n);
            at += out.length;
            this.fake.fetches.push(out.length);
            return out;
          },
          close: async () => {
            closed = true;
            this.fake.resultSetsClosed++;
          },
        },
      };
    }
    return { metaData, rows };
  }

  /** What the server sends for a value: dates as Date, or as text in the session's format. */
  private convert(v: unknown, col: FakeColumn, as: unknown): unknown {
    if (v === null || v === undefined) return null;
    if ((col.type === 'DATE' || col.type === 'TIMESTAMP') && typeof v === 'string') {
      const [d, t = '00:00:00'] = v.split('T');
      if (as !== T.STRING) return new Date(`${d}T${t}`);
      const fmt = (col.type === 'DATE' ? this.nls.NLS_DATE_FORMAT : this.nls.NLS_TIMESTAMP_FORMAT) ?? 'DD-MON-RR';
      const [y, mo, da] = d!.split('-');
      const [hh, mi, ssf] = t.split(':');
      const [ss, ff = '000'] = (ssf ?? '00').split('.');
      return fmt
        .replace('YYYY', y!)
        .replace('MON', MON[Number(mo) - 1]!)
        .replace('MM', mo!)
        .replace('DD', da!)
        .replace('RR', y!.slice(2))
        .replace('"T"', 'T')
        .replace('HH24', hh!)
        .replace('MI', mi!)
        .replace('SS', ss!)
        .replace('.FF3', `.${ff.padEnd(3, '0').slice(0, 3)}`);
    }
    return v;
  }

  async executeMany(sql: string, binds: unknown[], options: { autoCommit?: boolean } = {}): Promise<{ rowsAffected?: number }> {
    this.fake.calls.push({ conn: this.id, sql, binds, many: true });
    const handler = this.fake.handlerFor(sql);
    if (!handler) throw new OraError(900, 'invalid SQL statement');
    let n = 0;
    for (const b of binds) n += (await handler(sql, b as unknown[], this)).rowsAffected ?? 0;
    if (options.autoCommit === false) this.pending.push(sql);
    return { rowsAffected: n };
  }

  async commit(): Promise<void> {
    this.committed++;
    this.fake.committedWork.push(...this.pending);
    this.pending = [];
  }
  async rollback(): Promise<void> {
    this.rolledBack++;
    this.pending = [];
  }
  async break(): Promise<void> {
    this.fake.breaks++;
    this.inFlight?.(new OraError(1013, 'user requested cancel of current operation'));
  }
  async close(options?: { drop?: boolean }): Promise<void> {
    if (options?.drop) this.dropped = true;
    this.closed = true;
    this.fake.released.push(this.id);
    // A pooled connection goes back to the pool with its session (NLS settings stay).
    this.fake.idle.push(this);
  }
}

export class FakeOracledb implements OracleDriverModule {
  readonly OUT_FORMAT_OBJECT = T.OUT_FORMAT_OBJECT;
  readonly STRING = T.STRING;
  readonly BUFFER = T.BUFFER;
  readonly BIND_OUT = T.BIND_OUT;
  readonly DB_TYPE_DATE = T.DB_TYPE_DATE;
  readonly DB_TYPE_TIMESTAMP = T.DB_TYPE_TIMESTAMP;
  readonly DB_TYPE_TIMESTAMP_TZ = T.DB_TYPE_TIMESTAMP_TZ;
  readonly DB_TYPE_TIMESTAMP_LTZ = T.DB_TYPE_TIMESTAMP_LTZ;
  readonly DB_TYPE_CLOB = T.DB_TYPE_CLOB;
  readonly DB_TYPE_NCLOB = T.DB_TYPE_NCLOB;
  readonly DB_TYPE_BLOB = T.DB_TYPE_BLOB;
  readonly DB_TYPE_NUMBER = T.DB_TYPE_NUMBER;

  calls: FakeCall[] = [];
  fetches: number[] = [];
  released: number[] = [];
  committedWork: string[] = [];
  idle: FakeConnection[] = [];
  connections: FakeConnection[] = [];
  poolConfigs: Record<string, unknown>[] = [];
  resultSetsClosed = 0;
  breaks = 0;
  /** Thrown by getConnection (a failed sign-in, an unknown service …). */
  connectError: unknown;
  private readonly handlers: [RegExp, FakeHandler][] = [];

  on(pattern: RegExp, handler: FakeHandler): this {
    this.handlers.push([pattern, handler]);
    return this;
  }
  handlerFor(sql: string): FakeHandler | undefined {
    return this.handlers.find(([p]) => p.test(sql))?.[1];
  }
  sqlSeen(): string[] {
    return this.calls.map((c) => c.sql);
  }

  async createPool(config: Record<string, unknown>): Promise<OraclePoolLike> {
    this.poolConfigs.push(config);
    const callback = config.sessionCallback as ((c: FakeConnection, tag: unknown, done: (e?: unknown) => void) => void) | undefined;
    let closed = false;
    return {
      getConnection: async () => {
        if (closed) throw Object.assign(new Error('NJS-065: connection pool was closed'), { code: 'NJS-065' });
        if (this.connectError) throw this.connectError;
        const reused = this.idle.pop();
        if (reused && !reused.dropped) {
          reused.closed = false;
          return reused;
        }
        const c = new FakeConnection(this.connections.length + 1, this);
        this.connections.push(c);
        if (callback) await new Promise<void>((res, rej) => callback(c, undefined, (e) => (e ? rej(e) : res())));
        return c;
      },
      close: async () => {
        closed = true;
      },
    };
  }
}
