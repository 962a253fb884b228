// PostgreSQL via pg: postgres:// URLs or the PG* environment variables. A small pool: streams and
// transactions each hold their own client, so a staging build can read and write at once.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { noticeToMessage, toDbError } from './pgCommon';
import { typeOverrides } from './pgTypeParsers';
import { redactSecrets } from './connectionSpec';
import { readOffThread } from './pgReadStream';
import type { PgReadConnection } from './pgReadThread';
import { CancelledError, ConnectionError, DbError, type BatchResult, type Db, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

/**
 * Did the server or the network drop the connection (pg_terminate_backend, a restart, a reset)?
 * pg reports it as a FATAL 57P0x / class 08 error, a socket error, or "Connection terminated".
 */
export function isConnectionLoss(e: unknown): boolean {
  const x = (e ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
  const code = typeof x.code === 'string' ? x.code : '';
  if (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH'].includes(code)) return true;
  if (/Connection terminated|connection error and is not queryable|Client was closed and is not queryable/i.test(typeof x.message === 'string' ? x.message : '')) return true;
  return x.cause !== undefined && x.cause !== e && isConnectionLoss(x.cause);
}

/**
 * `COPY … FROM STDIN` on one client, the data streamed from `chunks`. A failed COPY's error context
 * (`where`) quotes the offending line's value: it is dropped, so no value reaches a message or log.
 */
async function copyOn(client: pg.ClientBase, sql: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const stream = client.query(copyFromStdin(sql));
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), stream);
  } catch (e) {
    if (e && typeof e === 'object' && 'where' in e) delete (e as { where?: unknown }).where;
    throw toDbError(e, sql);
  }
  return stream.rowCount;
}

class ClientQueryable implements Queryable {
  readonly dialect = 'postgres' as const;
  runBatch?: Queryable['runBatch'];
  copyFrom?: Queryable['copyFrom'];
  constructor(private readonly client: pg.ClientBase | pg.Pool) {}
  async query<R = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.client.query({ text: sql, values: params as unknown[], types: typeOverrides })).rows as R[];
    } catch (e) {
      throw toDbError(e, sql);
    }
  }
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return (await this.client.query({ text: sql, values: params as unknown[], types: typeOverrides })).rowCount ?? 0;
    } catch (e) {
      throw toDbError(e, sql);
    }
  }
}

/** An off-thread read in progress, as cancel() sees it. */
interface OffThreadReader {
  /** Its reader's server process id, once connected. */
  pid: number | null;
  cancelled: boolean;
  /** Ends the read with CancelledError. */
  stop: () => void;
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly kind = 'postgres' as const;
  readonly defaultSchema = 'public';
  private readonly busy = new Set<pg.PoolClient>();
  /** Off-thread streams running now: their server process ids, for cancel(). */
  private readonly readers = new Set<OffThreadReader>();
  /** Clients whose statement cancel() stopped: their 57014 error becomes CancelledError. */
  private readonly cancelled = new WeakSet<pg.PoolClient>();
  private readonly base: ClientQueryable;

  /** Sessions opened from this Db (cancel() and close() reach them too). */
  private readonly sessions = new Set<PostgresDb>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
    private readonly owner?: PostgresDb,
  ) {
    this.base = new ClientQueryable(pool);
  }

  /** The pool's size (4); a session is one connection. See Db.parallelStatements. */
  get parallelStatements(): number {
    return this.owner ? 1 : (this.pool.options.max ?? 1);
  }

  /** A dedicated connection (a pool of one that never closes it when idle): see Db.session. */
  async session(): Promise<Db> {
    if (this.owner) return this;
    const pool = new pg.Pool({ ...(this.pool.options as pg.PoolConfig), max: 1, idleTimeoutMillis: 0 });
    pool.on('error', () => undefined);
    try {
      const c = await pool.connect();
      c.release();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new ConnectionError(`cannot open a session on ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
    }
    const s = new PostgresDb(pool, this.description, this);
    this.sessions.add(s);
    return s;
  }

  static async open(url: string | null, description: string, password?: string): Promise<PostgresDb> {
    const config: pg.PoolConfig = { max: 4, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 15_000, application_name: 'ssd-workbench' };
    if (url) config.connectionString = url;
    if (password !== undefined) {
      config.password = password;
      // pg lets the connection string's (absent) password override config.password: put it in the URL.
      if (url) {
        const u = new URL(url);
        if (u.host) {
          u.password = password;
          config.connectionString = u.toString();
        }
      }
    }
    // The clients the pool makes, so a failed first connection can be closed for sure: when the
    // server asks for a password and none is given, pg rejects but leaves the socket open until the
    // server's authentication timeout (a minute), which kept the process alive after the error.
    const made: pg.Client[] = [];
    let probing = true;
    config.Client = class extends pg.Client {
      constructor(c?: string | pg.ClientConfig) {
        super(c);
        if (probing) made.push(this);
      }
    };
    const pool = new pg.Pool(config);
    pool.on('error', () => undefined); // idle client errors surface on the next query
    try {
      const c = await pool.connect();
      c.release();
    } catch (e) {
      for (const c of made) (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      await pool.end().catch(() => undefined);
      let cause = redactSecrets(e instanceof Error ? e.message : String(e), [password]);
      // pg's wording when the server wants a password and none was given anywhere.
      if (/client password must be a string/i.test(cause)) cause = 'the server asks for a password and none was given (put it in PGPASSWORD or ~/.pgpass, or in the saved profile)';
      throw new ConnectionError(`cannot connect to ${description}: ${cause}`, { cause: e });
    } finally {
      probing = false;
      made.length = 0;
    }
    return new PostgresDb(pool, description);
  }

  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.withClient((c) => new ClientQueryable(c).query<R>(sql, params));
  }

  execute(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.withClient((c) => new ClientQueryable(c).execute(sql, params));
  }

  copyFrom(sql: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<number> {
    return this.withClient((c) => copyOn(c, sql, chunks));
  }

  stream<R = Row>(sql: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    const connection = options.offThread ? this.readerConnection() : undefined;
    return connection ? this.streamOffThread<R>(connection, sql, params, options.batchSize ?? 2000, options.signal) : this.streamHere<R>(sql, params, options);
  }

  private async *streamHere<R>(sql: string, params: readonly unknown[], options: StreamOptions): AsyncIterable<R> {
    const size = options.batchSize ?? 2000;
    const client = await this.connectClient();
    this.busy.add(client);
    // A checked-out client has no 'error' listener of the pool's: without ours, a dropped
    // connection would be an unhandled 'error' event (a crash).
    let broken: unknown;
    const onError = (e: unknown) => {
      broken ??= e;
    };
    client.on('error', onError);
    const cursor = client.query(new Cursor<R>(sql, params as unknown[], { types: typeOverrides }));
    // One batch ahead: the next read is on the wire while the consumer works through this one, so
    // the database and the consumer work at the same time (at most two batches in memory).
    const read = (): Promise<R[] | { error: unknown }> =>
      cursor.read(size).then(
        (rows) => rows,
        (error: unknown) => ({ error }),
      );
    let next: Promise<R[] | { error: unknown }> | undefined = read();
    try {
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError();
        const got = await next!;
        next = undefined;
        if (!Array.isArray(got)) {
          const e = got.error;
          if (broken !== undefined || isConnectionLoss(e)) {
            broken ??= e;
            throw this.lost(e);
          }
          throw this.cancelledOr(client, toDbError(e, sql));
        }
        const rows = got;
        if (rows.length === size) next = read();
        for (const r of rows) yield r;
        if (rows.length < size) break;
      }
    } finally {
      // A read still on the wire finishes before the cursor closes (pg-cursor serves one at a time).
      if (next) await next;
      // Closing a cursor on a dead connection would wait for the server forever.
      if (broken === undefined) await cursor.close().catch(() => undefined);
      this.busy.delete(client);
      this.cancelled.delete(client);
      this.releaseClient(client, onError, broken);
    }
  }

  /**
   * The pool's connection settings for an off-thread reader (a connection of its own, as each pooled
   * stream has), or undefined when the rows must be read here: on a session (its statements must run
   * in that one session), or when a setting cannot cross to another thread (a password callback).
   */
  private readerConnection(): PgReadConnection | undefined {
    if (this.owner) return undefined;
    const out: PgReadConnection = {};
    for (const [k, v] of Object.entries(this.pool.options as unknown as Record<string, unknown>)) {
      if (['max', 'min', 'idleTimeoutMillis', 'Client', 'Promise', 'log', 'maxUses', 'allowExitOnIdle'].includes(k) || v === undefined) continue;
      if (typeof v === 'function') return undefined;
      out[k] = v;
    }
    try {
      structuredClone(out);
    } catch {
      return undefined;
    }
    out.application_name = `${typeof out.application_name === 'string' ? out.application_name : 'ssd-workbench'} (reader)`;
    return out;
  }

  /** stream() with the rows read on a worker thread (StreamOptions.offThread; src/db/pgReadStream.ts). */
  private streamOffThread<R>(connection: PgReadConnection, sql: string, params: readonly unknown[], batchSize: number, signal?: AbortSignal): AsyncIterable<R> {
    // Known to cancel() from the moment the read begins until it ends.
    const reader: OffThreadReader = { pid: null, cancelled: false, stop: () => undefined };
    return readOffThread<R>({
      connection,
      sql,
      params,
      batchSize,
      signal,
      onOpen: (stop) => {
        reader.stop = stop;
        this.readers.add(reader);
      },
      onBackend: (pid) => {
        reader.pid = pid;
        if (pid === null) this.readers.delete(reader);
      },
      mapError: (e) => {
        if (isConnectionLoss(e)) return this.lost(Object.assign(new Error(String(e.message)), e));
        const err = toDbError(e, sql);
        return reader.cancelled && err.details.cancelled ? new CancelledError('cancelled by user: the server stopped the statement') : err;
      },
      mapCrash: (e) => new ConnectionError(`the thread reading from ${this.description} stopped: ${redactSecrets(e.message)}`, { cause: e }),
    });
  }

  async runBatch(sql: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    return this.withClient((client) => this.batchOn(client, sql, options));
  }

  /** A script batch on one client (the pool's, or a transaction's): notices as they arrive, cancel on abort. */
  private async batchOn(client: pg.PoolClient, sql: string, options: RunBatchOptions): Promise<BatchResult> {
    if (options.signal?.aborted) throw new CancelledError();
    const onNotice = (n: Parameters<typeof noticeToMessage>[0]) => options.onMessage?.(noticeToMessage(n, sql));
    const onAbort = () => {
      void this.cancelClient(client);
    };
    client.on('notice', onNotice);
    options.signal?.addEventListener('abort', onAbort);
    const start = performance.now();
    try {
      const res = (await client.query({ text: sql, types: typeOverrides } as pg.QueryConfig)) as unknown as pg.QueryResult | pg.QueryResult[];
      const list = Array.isArray(res) ? res : [res];
      return {
        rowsAffected: list.filter((r) => r.command !== 'SELECT' && r.rowCount !== null).map((r) => r.rowCount ?? 0),
        resultSets: options.collectResults ? list.filter((r) => r.command === 'SELECT').map((r) => r.rows as Row[]) : [],
        elapsedMs: performance.now() - start,
      };
    } catch (e) {
      const err = toDbError(e, sql);
      if (options.signal?.aborted || err.details.cancelled) throw new CancelledError('cancelled by user: the server stopped the statement');
      throw err;
    } finally {
      client.off('notice', onNotice);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const tx = new ClientQueryable(client);
        tx.runBatch = (text: string, options: RunBatchOptions = {}) => this.batchOn(client, text, options);
        tx.copyFrom = (text, chunks) => copyOn(client, text, chunks);
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async cancel(): Promise<void> {
    await Promise.all([
      ...[...this.busy].map((c) => this.cancelClient(c)),
      // An off-thread read: the statement on its reader's connection is cancelled (if it has
      // connected) and the read ends at once with CancelledError, whether or not the server had
      // started the statement yet.
      ...[...this.readers].map((r) => {
        r.cancelled = true;
        r.stop();
        return r.pid === null ? undefined : this.cancelBackend(r.pid);
      }),
    ]);
    for (const s of this.sessions) await s.cancel();
  }

  private async cancelClient(client: pg.PoolClient): Promise<void> {
    const pid = (client as unknown as { processID?: number }).processID;
    if (!pid) return;
    this.cancelled.add(client);
    await this.cancelBackend(pid);
  }

  /** pg_cancel_backend(pid) from a short-lived connection of its own. */
  private async cancelBackend(pid: number): Promise<void> {
    const other = new pg.Client({ ...(this.pool.options as pg.ClientConfig) });
    try {
      await other.connect();
      await other.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      /* the statement may have finished already */
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  private async connectClient(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw new ConnectionError(`lost connection to ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
    }
  }

  /** The connection was dropped under a statement: one clear ConnectionError naming it. */
  private lost(e: unknown): ConnectionError {
    if (e instanceof ConnectionError) return e;
    return new ConnectionError(`lost connection to ${this.description}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, { cause: e });
  }

  /** Back to the pool, or destroyed when the connection broke (a listener stays: late socket errors are not crashes). */
  private releaseClient(client: pg.PoolClient, onError: (e: unknown) => void, broken: unknown): void {
    if (broken === undefined) {
      client.off('error', onError);
      client.release();
    } else {
      client.release(true);
    }
  }

  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connectClient();
    this.busy.add(client);
    let broken: unknown;
    const onError = (e: unknown) => {
      broken ??= e;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (e) {
      if (broken !== undefined || isConnectionLoss(e)) {
        broken ??= e;
        throw this.lost(e);
      }
      throw this.cancelledOr(client, e);
    } finally {
      this.busy.delete(client);
      this.cancelled.delete(client);
      this.releaseClient(client, onError, broken);
    }
  }

  /** A statement stopped by our own cancel() reports CancelledError, like the other drivers. */
  private cancelledOr(client: pg.PoolClient, e: unknown): unknown {
    if (this.cancelled.has(client) && e instanceof DbError && e.details.cancelled) {
      return new CancelledError('cancelled by user: the server stopped the statement');
    }
    return e;
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) await s.close().catch(() => undefined);
    this.owner?.sessions.delete(this);
    await this.pool.end();
  }
}
