// The database interface every capability uses. Four drivers implement it: SQL Server (mssql/
// tedious), PostgreSQL (pg), embedded PostgreSQL (PGlite) and Oracle (oracledb, Thin mode).
// Nothing outside src/db knows which.
//
// Conventions shared by all drivers:
// - SQL text uses $1, $2, ... placeholders in every dialect; the SQL Server driver rewrites them
//   to @p1, @p2 (outside strings, comments and brackets), the Oracle driver to :b1, :b2. Never
//   build SQL from values.
// - DATE / DATETIME / TIMESTAMP values come back as text: 'YYYY-MM-DD' for dates and
//   'YYYY-MM-DDTHH:MM:SS[.fff]' for timestamps (no time zone, never shifted by the local zone).
//   timestamptz comes back as ISO text with 'Z'.
// - 64-bit integers come back as JS numbers when safe, else as strings.
// - Binary values come back as Uint8Array (Buffer on Node).
export type Dialect = 'postgres' | 'mssql' | 'oracle';
export type DriverKind = 'mssql' | 'postgres' | 'pglite' | 'oracle';

export type Row = Record<string, unknown>;

export interface DbMessage {
  /** notice: PRINT / RAISE NOTICE / severity <= 10; warning; error: severity >= 11 inside a batch that went on. */
  kind: 'info' | 'notice' | 'warning' | 'error';
  text: string;
  /** Line within the batch the server reported (1-based), when known. */
  line?: number;
  code?: string | number;
  severity?: number;
  procedure?: string;
}

export interface BatchResult {
  /** Rows affected by each statement that reported a count, in order. */
  rowsAffected: number[];
  /** Result sets returned by SELECT statements in the batch (kept small by the caller). */
  resultSets: Row[][];
  elapsedMs: number;
}

export interface RunBatchOptions {
  onMessage?: (m: DbMessage) => void;
  signal?: AbortSignal;
  /** Whether to collect result sets (default false; only counts are kept). */
  collectResults?: boolean;
}

export interface StreamOptions {
  /** Rows fetched per round trip (default 2000). */
  batchSize?: number;
  signal?: AbortSignal;
  /**
   * Read the rows on a worker thread (PostgreSQL, on a connection of its own, as a pooled stream
   * is), so that reading and the caller's work on the rows overlap: for long reads whose every row
   * the caller processes (the payload builder's). The rows, their order, the errors and cancel are
   * those of the in-process stream. Ignored where the driver reads in-process only (PGlite, SQL
   * Server, Oracle, a session).
   */
  offThread?: boolean;
}

/**
 * A stream that can also be read a batch at a time (each array the rows of one round trip, in
 * order): a caller that takes every row saves a turn of the event loop per row (an off-thread
 * stream's rows come in batches anyway). `batches()` starts its own read, as iterating does.
 */
export interface BatchedStream<R> extends AsyncIterable<R> {
  batches(): AsyncIterable<R[]>;
}

/** A BatchedStream from a function that reads the batches (each call a new read). */
export function batchedStream<R>(batches: () => AsyncIterable<R[]>): BatchedStream<R> {
  return {
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const rows of batches()) yield* rows;
    },
  };
}

/** The stream's rows a batch at a time: its own batches where it has them, else its rows in arrays of up to `size`. */
export async function* rowBatches<R>(stream: AsyncIterable<R>, size = 1000): AsyncIterable<R[]> {
  if (typeof (stream as Partial<BatchedStream<R>>).batches === 'function') {
    yield* (stream as BatchedStream<R>).batches();
    return;
  }
  let batch: R[] = [];
  for await (const r of stream) {
    batch.push(r);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** What can run statements: the connection itself or a transaction on it. */
export interface Queryable {
  readonly dialect: Dialect;
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Execute a statement and return the number of rows affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Run a script batch (several statements, no parameters) with server messages. Always there on a
   *  Db; on a transaction handle when the driver can run batches inside the transaction, on its
   *  connection (the script runner's atomic table refresh uses it, else execute()). */
  runBatch?(sql: string, options?: RunBatchOptions): Promise<BatchResult>;
  /** One statement run once per row of binds in one round trip (Oracle's executeMany; bulkInsert
   *  uses it when present). Returns the rows affected in all. */
  executeMany?(sql: string, rows: readonly (readonly unknown[])[]): Promise<number>;
  /** PostgreSQL's `COPY … FROM STDIN` (text format), the data sent as the chunks given; returns the
   *  rows copied. Only on drivers that can stream a COPY (pg; not PGlite, SQL Server or Oracle):
   *  bulkCopy (bulkInsert.ts) uses it when present and falls back to bulkInsert otherwise. */
  copyFrom?(sql: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<number>;
}

export interface Db extends Queryable {
  readonly kind: DriverKind;
  /** Safe one-line description (never contains a password), e.g. "postgres db@host:5432". */
  readonly description: string;
  /** Default schema used when a name is not qualified ('public' / 'dbo' unless the connection says otherwise). */
  readonly defaultSchema: string;
  /**
   * How many statements this Db can run at the same time, each on its own pooled connection
   * (query() calls made without waiting for each other). Absent or 1: one at a time (PGlite, a
   * session, a test double). Read-only jobs made of independent queries (`ssd check`) use it to
   * keep the server's cores busy; nothing that needs one session or an order between statements may.
   */
  readonly parallelStatements?: number;
  /** Stream rows without holding the whole result in memory. Breaking out of the loop closes the cursor. */
  stream<R = Row>(sql: string, params?: readonly unknown[], options?: StreamOptions): AsyncIterable<R>;
  /** Run a script batch (several statements, no parameters), receiving server messages as they arrive. */
  runBatch(sql: string, options?: RunBatchOptions): Promise<BatchResult>;
  /** Run fn in a transaction: commit on success, roll back on error. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Ask the server to cancel the statement(s) currently running on this connection. */
  cancel(): Promise<void>;
  /**
   * A dedicated connection (one server session) with this same interface: every statement,
   * script batch and transaction on it runs in that session, so `USE`, `SET` options, `#temp`
   * tables and `DECLARE`d state carry over from one batch to the next (what SSMS does for one
   * query window). Statements on it run one at a time: finish (or break out of) a stream before
   * the next statement, and inside `transaction(fn)` use the transaction's `tx`, not the session.
   * On SQL Server the session takes the login's default language and date format, as SSMS does
   * (the pool keeps us_english/mdy, which our own SQL is written for). `close()` ends the session
   * only; the Db it came from stays open. All three drivers implement it (optional only so that
   * test doubles need not); use `withSession` (session.ts), which also covers a Db without it.
   */
  session?(): Promise<Db>;
  close(): Promise<void>;
}

/** Raised by drivers for any database failure; message never contains a password. */
export class DbError extends Error {
  constructor(
    message: string,
    readonly details: {
      code?: string | number;
      /** Line within the batch/statement (1-based) when the server says. */
      line?: number;
      /** Character position within the statement (1-based, PostgreSQL). */
      position?: number;
      severity?: number;
      cancelled?: boolean;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DbError';
  }
  /** Match by name, so errors raised by a second copy of this module (tests load src/ both as
   *  CommonJS and as ESM through the drivers' dynamic imports) are still recognised. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'DbError';
  }
}

export class ConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
  /** Match by name, so errors raised by a second copy of this module (tests load src/ both as
   *  CommonJS and as ESM through the drivers' dynamic imports) are still recognised. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'ConnectionError';
  }
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
  /** Match by name, so errors raised by a second copy of this module (tests load src/ both as
   *  CommonJS and as ESM through the drivers' dynamic imports) are still recognised. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'CancelledError';
  }
}
