// SQL Server through the SQL Server (mssql) extension's connection sharing API: our statements run
// over the extension's own connection, so Windows (Integrated) and Entra MFA sign-in work in the
// editor without a driver of ours signing in. Pure: the API is declared below and handed in.
//
// What the API gives: executeSimpleQuery(uri, text) → the first result set as display text. So:
// - parameters go through sp_executesql with typed literals (N'…' with quotes doubled, numbers,
//   0x… binary): the statement text stays parameterised, values are never spliced into it;
// - values come back converted from text by column type, following types.ts's conventions;
// - stream() does not hold the result in memory: the rows are put into a #temp table of the
//   shared session numbered in the statement's order (INSERT … EXEC), then read in pages;
// - statements without a result set get one appended (@@ROWCOUNT), except script batches;
// - no PRINT/RAISERROR messages, and no cancel of a running statement (the API has neither):
//   cancel() takes effect before the next statement.
import { rewritePlaceholders } from './mssqlParams';
import { CancelledError, DbError, type BatchResult, type Db, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

/** The version of the SQL Server extension that has the connection sharing API. */
export const CONNECTION_SHARING_MIN_VERSION = '1.34';

export interface SharedCell {
  displayValue: string;
  isNull: boolean;
  invariantCultureDisplayValue?: string;
}
export interface SharedColumn {
  columnName: string;
  dataTypeName?: string;
  dataType?: string;
}
export interface SimpleExecuteResult {
  rowCount: number;
  columnInfo: SharedColumn[];
  rows: SharedCell[][];
}
export interface SharedServerInfo {
  serverVersion?: string;
  serverMajorVersion?: number;
  serverEdition?: string;
  isCloud?: boolean;
}

/** The part of ms-mssql.mssql's exported `connectionSharing` service we use. */
export interface ConnectionSharingLike {
  getActiveEditorConnectionId(extensionId: string): Promise<string | undefined>;
  getActiveDatabase?(extensionId: string): Promise<string | undefined> | string | undefined;
  connect(extensionId: string, connectionId: string, database?: string): Promise<string | undefined>;
  executeSimpleQuery(connectionUri: string, queryString: string): Promise<SimpleExecuteResult>;
  getServerInfo?(connectionUri: string): Promise<SharedServerInfo> | SharedServerInfo;
  disconnect?(connectionUri: string): Promise<void> | void;
}

// ---------------------------------------------------------------- literals and parameters

const nstr = (s: string): string => `N'${s.replace(/'/g, "''")}'`;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** 'YYYY-MM-DDTHH:MM:SS[.fff]' from UTC parts, as the SQL Server driver binds dates (useUTC). */
function utcTimestamp(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? '.' + pad(ms, 3) : ''}`;
}

/** A typed T-SQL literal and its sp_executesql declaration for one parameter value. */
export function sharedParam(value: unknown, index: number): { decl: string; literal: string } {
  const name = `@p${index}`;
  if (value === null || value === undefined) return { decl: `${name} NVARCHAR(1)`, literal: 'NULL' };
  switch (typeof value) {
    case 'string':
      return { decl: `${name} NVARCHAR(MAX)`, literal: nstr(value) };
    case 'number':
      if (Number.isSafeInteger(value)) return { decl: `${name} ${value >= -2147483648 && value <= 2147483647 ? 'INT' : 'BIGINT'}`, literal: String(value) };
      if (Number.isFinite(value)) return { decl: `${name} FLOAT`, literal: value.toExponential() };
      throw new DbError(`parameter $${index} is ${value}, which SQL Server cannot store`);
    case 'bigint':
      if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) throw new DbError(`parameter $${index} is outside the BIGINT range`);
      return { decl: `${name} BIGINT`, literal: value.toString() };
    case 'boolean':
      return { decl: `${name} BIT`, literal: value ? '1' : '0' };
    case 'object': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new DbError(`parameter $${index} is an invalid date`);
        return { decl: `${name} DATETIME2(7)`, literal: `'${utcTimestamp(value)}'` };
      }
      if (value instanceof Uint8Array) return { decl: `${name} VARBINARY(MAX)`, literal: `0x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` };
      return { decl: `${name} NVARCHAR(MAX)`, literal: nstr(JSON.stringify(value)) };
    }
    default:
      throw new DbError(`parameter $${index} has a type (${typeof value}) that cannot be sent to the database`);
  }
}

/** The statement as one batch: plain when it has no parameters, else sp_executesql with typed values. */
export function sharedStatement(text: string, params: readonly unknown[]): { sql: string; inner: string; declarations: string; call: string } {
  const r = rewritePlaceholders(text);
  if (r.maxIndex > params.length) throw new DbError(`the statement uses $${r.maxIndex} but ${params.length} parameter${params.length === 1 ? ' was' : 's were'} given`);
  if (!r.indexes.length) return { sql: text, inner: text, declarations: '', call: `EXEC sp_executesql ${nstr(text)}` };
  const ps = r.indexes.map((i) => ({ i, ...sharedParam(params[i - 1], i) }));
  const declarations = ps.map((p) => p.decl).join(', ');
  const call = `EXEC sp_executesql ${nstr(r.text)}, ${nstr(declarations)}, ${ps.map((p) => `@p${p.i} = ${p.literal}`).join(', ')}`;
  return { sql: call, inner: r.text, declarations, call };
}

// ---------------------------------------------------------------- values

type Convert = (text: string) => unknown;

const number: Convert = (t) => {
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};
const int8: Convert = (t) => {
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : t;
};
/** '2024-01-02 13:45:00.1230000' → '2024-01-02T13:45:00.123' (milliseconds, trailing zeros dropped, as the driver does). */
const timestamp: Convert = (t) => {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(t);
  if (!m) return t;
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const frac = ms.replace(/0+$/, '');
  return `${m[1]}T${m[2]}${frac ? '.' + frac : ''}`;
};
const date: Convert = (t) => /^\d{4}-\d{2}-\d{2}/.exec(t)?.[0] ?? t;
const offset: Convert = (t) => {
  const d = new Date(t.replace(' ', 'T').replace(/ ([+-]\d{2}:\d{2})$/, '$1'));
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
};
const bit: Convert = (t) => (/^(1|true)$/i.test(t) ? true : /^(0|false)$/i.test(t) ? false : t);
const binary: Convert = (t) => (/^0x[0-9a-f]*$/i.test(t) ? Buffer.from(t.slice(2), 'hex') : t);

/** How to read a column's display text, from its SQL Server type name. */
export function sharedConverter(typeName: string | undefined): Convert | undefined {
  const t = (typeName ?? '').toLowerCase().replace(/\(.*$/, '').trim();
  switch (t) {
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'decimal':
    case 'numeric':
    case 'float':
    case 'real':
    case 'money':
    case 'smallmoney':
      return number;
    case 'bigint':
      return int8;
    case 'bit':
      return bit;
    case 'date':
      return date;
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
      return timestamp;
    case 'datetimeoffset':
      return offset;
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'timestamp':
    case 'rowversion':
      return binary;
    default:
      return undefined;
  }
}

function toRows(result: SimpleExecuteResult, types?: (string | undefined)[]): Row[] {
  const cols = result.columnInfo ?? [];
  const conv = cols.map((c, i) => sharedConverter(types?.[i] ?? c.dataTypeName ?? c.dataType));
  return (result.rows ?? []).map((cells) => {
    const row: Row = {};
    cols.forEach((c, i) => {
      const cell = cells[i];
      if (!cell || cell.isNull) {
        row[c.columnName] = null;
        return;
      }
      const text = cell.invariantCultureDisplayValue ?? cell.displayValue;
      const f = conv[i];
      row[c.columnName] = f ? f(text) : text;
    });
    return row;
  });
}

// ---------------------------------------------------------------- the driver

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
/** "Msg 208, Level 16, State 1, Line 1 Invalid object name 'x'." → code and line, when the text says. */
function toError(e: unknown, description: string): Error {
  if (e instanceof DbError || e instanceof CancelledError) return e;
  const text = oneLine(e instanceof Error ? e.message : String(e));
  const details: DbError['details'] = {};
  const msg = /Msg (\d+), Level (\d+), State \d+, Line (\d+)/i.exec(text);
  if (msg) {
    details.code = Number(msg[1]);
    details.severity = Number(msg[2]);
    details.line = Number(msg[3]);
  }
  return new DbError(`${text || 'the SQL Server extension reported an error'} (through the SQL Server extension's connection to ${description})`, details, { cause: e });
}

const NO_RESULTS = /no result|does not return|returned no|has no results/i;

export class SharedConnectionDb implements Db {
  readonly dialect = 'mssql' as const;
  readonly kind = 'mssql' as const;
  private cancelRequested = false;
  private chain: Promise<unknown> = Promise.resolve();
  private streams = 0;

  constructor(
    private readonly api: ConnectionSharingLike,
    private readonly uri: string,
    readonly description: string,
    readonly defaultSchema: string,
    private readonly onClose?: () => Promise<void> | void,
  ) {}

  /** Open over a connection of the SQL Server extension (its permission prompt shows on first use). */
  static async open(api: ConnectionSharingLike, extensionId: string, connectionId: string, label: string, database?: string): Promise<SharedConnectionDb> {
    const uri = await api.connect(extensionId, connectionId, database);
    if (!uri)
      throw new DbError(
        `the SQL Server extension did not share the connection "${label}" (permission refused, or the connection failed): allow SSD Workbench when it asks, or run its "Edit Connection Sharing Permissions" command`,
      );
    // The server's version, as the extension reports it (informational; never a secret).
    let version = '';
    try {
      const info = await api.getServerInfo?.(uri);
      if (info?.serverVersion) version = ` ${info.serverVersion}`;
    } catch {
      /* older extension */
    }
    const description = `SQL Server${version} ${label} (through the SQL Server extension)`;
    const probe = new SharedConnectionDb(api, uri, description, 'dbo');
    const [s] = await probe.query<{ s: string | null }>('SELECT SCHEMA_NAME() AS s');
    return new SharedConnectionDb(api, uri, description, s?.s || 'dbo', () => api.disconnect?.(uri));
  }

  /** One call at a time: the extension runs one query per connection. */
  private call(text: string): Promise<SimpleExecuteResult> {
    const next = this.chain.then(async () => {
      if (this.cancelRequested) {
        this.cancelRequested = false;
        throw new CancelledError('cancelled by user');
      }
      try {
        return await this.api.executeSimpleQuery(this.uri, text);
      } catch (e) {
        throw toError(e, this.description);
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async query<R = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const st = sharedStatement(text, params);
    return toRows(await this.call(st.sql)) as R[];
  }

  async execute(text: string, params: readonly unknown[] = []): Promise<number> {
    const st = sharedStatement(text, params);
    // A result set the extension can return: the count of the statement.
    const rows = toRows(await this.call(`${st.sql};\nSELECT @@ROWCOUNT AS ssd_rowcount;`));
    const n = rows.at(-1)?.ssd_rowcount;
    return typeof n === 'number' ? n : 0;
  }

  async *stream<R = Row>(text: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    const size = Math.max(1, options.batchSize ?? 2000);
    const signal = options.signal;
    const st = sharedStatement(text, params);
    // The columns of the result, to make the #temp table that holds it.
    const cols = toRows(
      await this.call(
        `SELECT name, system_type_name AS type FROM sys.dm_exec_describe_first_result_set(${nstr(st.inner)}, ${st.declarations ? nstr(st.declarations) : 'NULL'}, 0) WHERE is_hidden = 0 ORDER BY column_ordinal;`,
      ),
    ) as { name: string | null; type: string | null }[];
    if (!cols.length || cols.some((c) => !c.name || !c.type)) {
      throw new DbError('a statement read through the SQL Server extension must return named columns');
    }
    const table = `#ssd_stream_${process.pid}_${++this.streams}`;
    const q = (n: string) => `[${n.replace(/]/g, ']]')}]`;
    const list = cols.map((c) => q(c.name!)).join(', ');
    const types = cols.map((c) => c.type!);
    // Rows are numbered in the order the statement returns them (INSERT … EXEC keeps it).
    const counted = toRows(
      await this.call(
        `CREATE TABLE ${table} (ssd_rn BIGINT IDENTITY(1,1) PRIMARY KEY, ${cols.map((c) => `${q(c.name!)} ${c.type} NULL`).join(', ')});\n` +
          `INSERT INTO ${table} (${list}) ${st.call};\nSELECT COUNT_BIG(*) AS n FROM ${table};`,
      ),
    );
    const total = Number(counted[0]?.n ?? 0);
    try {
      for (let from = 1; from <= total; from += size) {
        if (signal?.aborted) throw new CancelledError();
        const page = await this.call(`SELECT ${list} FROM ${table} WHERE ssd_rn BETWEEN ${from} AND ${from + size - 1} ORDER BY ssd_rn;`);
        for (const r of toRows(page, types)) yield r as R;
      }
    } finally {
      await this.call(`DROP TABLE ${table};\nSELECT 1 AS dropped;`).catch(() => undefined);
    }
  }

  async runBatch(text: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    if (options.signal?.aborted) throw new CancelledError();
    const start = performance.now();
    let result: SimpleExecuteResult | undefined;
    try {
      result = await this.call(text);
    } catch (e) {
      // A batch without a result set (DDL, INSERT …) is not an error of the batch.
      if (!(e instanceof DbError && NO_RESULTS.test(e.message))) throw e;
    }
    if (options.signal?.aborted) throw new CancelledError('cancelled by user');
    return {
      rowsAffected: [],
      resultSets: options.collectResults && result?.columnInfo?.length ? [toRows(result)] : [],
      elapsedMs: performance.now() - start,
    };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    await this.call('BEGIN TRANSACTION;\nSELECT @@TRANCOUNT AS trancount;');
    let out: T;
    try {
      out = await fn({ dialect: 'mssql', query: (s, p) => this.query(s, p), execute: (s, p) => this.execute(s, p) });
    } catch (e) {
      await this.call('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;\nSELECT @@TRANCOUNT AS trancount;').catch(() => undefined);
      throw e;
    }
    await this.call('COMMIT TRANSACTION;\nSELECT @@TRANCOUNT AS trancount;');
    return out;
  }

  /** The API cannot stop a running statement: the next statement is refused instead. */
  async cancel(): Promise<void> {
    this.cancelRequested = true;
  }

  /** The extension's connection is one session already: the session is this Db, kept open. */
  async session(): Promise<Db> {
    const db = this as Db;
    const s: Db = {
      dialect: 'mssql',
      kind: 'mssql',
      description: db.description,
      defaultSchema: db.defaultSchema,
      query: (a, b) => db.query(a, b),
      execute: (a, b) => db.execute(a, b),
      stream: (a, b, c) => db.stream(a, b, c),
      runBatch: (a, b) => db.runBatch(a, b),
      transaction: (f) => db.transaction(f),
      cancel: () => db.cancel(),
      session: async () => s,
      close: async () => undefined,
    };
    return s;
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.onClose?.();
  }
}
