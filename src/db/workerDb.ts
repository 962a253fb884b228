// The embedded database (PGlite) in a worker thread, behind the same Db interface: every
// statement, stream, script batch and transaction is forwarded to a worker that owns the PGlite
// instance (src/worker/ssdWorker.ts), so the editor's main thread never runs the database. Streams
// come back in batches (one round trip per batch; the cursor stays in the worker). The editor uses
// it for embedded databases (openDb with inWorker); the CLI keeps PGlite in its own thread.
//
// The directory's lock (src/db/dirLock.ts) is taken here, in the main thread, for this process.
import { resolve } from 'node:path';
import { acquireLock, lockPathFor, releaseLock } from './dirLock';
import { pgliteDirState } from './pgliteDir';
import { CancelledError, ConnectionError, type BatchResult, type Db, type DbMessage, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';
import { startWorker, WorkerChannel } from '../worker/workerClient';
import type { JobName } from '../worker/protocol';
import type { Logger } from '../log';

export class WorkerDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly kind = 'pglite' as const;
  readonly defaultSchema = 'public';
  private closed = false;

  private constructor(
    private readonly ch: WorkerChannel,
    readonly description: string,
    private lockFile: string | null,
  ) {}

  static async open(dataDir: string | null, description: string, options: { create?: boolean } = {}): Promise<WorkerDb> {
    let lockFile: string | null = null;
    if (dataDir) {
      // The same refusals as PgliteDb.open, before a thread is started.
      const state = pgliteDirState(dataDir);
      if (state === 'other')
        throw new ConnectionError(`cannot open ${description}: ${resolve(dataDir)} is not an embedded database (no PG_VERSION file in it, and it is not an empty folder): check the path`);
      if (state === 'none' && options.create === false)
        throw new ConnectionError(`cannot open ${description}: there is no embedded database at ${resolve(dataDir)}: check the path (ssd init, ssd fake or ssd demo make one)`);
      lockFile = lockPathFor(dataDir);
      acquireLock(lockFile, description);
    }
    const ch = new WorkerChannel(startWorker({ mode: 'db', dataDir, description, create: options.create !== false }));
    try {
      await ch.first();
    } catch (e) {
      await ch.terminate().catch(() => undefined);
      if (lockFile) releaseLock(lockFile);
      throw e instanceof ConnectionError ? e : new ConnectionError(`cannot open ${description}: ${(e as Error).message}`, { cause: e });
    }
    // An idle database thread must not keep the editor (or a test run) alive on its own.
    ch.unrefIdle();
    return new WorkerDb(ch, description, lockFile);
  }

  private q(txId?: number): Queryable {
    const ch = this.ch;
    return {
      dialect: 'postgres',
      query: <R = Row>(sql: string, params: readonly unknown[] = []) => ch.request<R[]>({ op: 'query', sql, params: [...params], ...(txId !== undefined ? { txId } : {}) }),
      execute: (sql: string, params: readonly unknown[] = []) => ch.request<number>({ op: 'execute', sql, params: [...params], ...(txId !== undefined ? { txId } : {}) }),
      runBatch: (sql: string, options: RunBatchOptions = {}) => this.batch(sql, options, txId),
    };
  }

  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.q().query<R>(sql, params);
  }
  execute(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.q().execute(sql, params);
  }

  async *stream<R = Row>(sql: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    const batchSize = options.batchSize ?? 2000;
    const streamId = await this.ch.request<number>({ op: 'streamOpen', sql, params: [...params], batchSize });
    let done = false;
    try {
      while (!done) {
        if (options.signal?.aborted) throw new CancelledError();
        const r = await this.ch.request<{ rows: R[]; done: boolean }>({ op: 'streamNext', streamId, batchSize });
        done = r.done;
        for (const row of r.rows) yield row;
      }
    } finally {
      if (!done) await this.ch.request({ op: 'streamClose', streamId }).catch(() => undefined);
    }
  }

  private async batch(sql: string, options: RunBatchOptions, txId?: number): Promise<BatchResult> {
    if (options.signal?.aborted) throw new CancelledError();
    const onAbort = () => {
      void this.cancel();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.ch.request<BatchResult>({ op: 'runBatch', sql, collectResults: options.collectResults === true, ...(txId !== undefined ? { txId } : {}) }, (ev) => {
        if ('event' in ev && ev.event === 'message') options.onMessage?.(ev.data as DbMessage);
      });
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  runBatch(sql: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    return this.batch(sql, options);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const txId = await this.ch.request<number>({ op: 'txBegin' });
    let value: T;
    try {
      value = await fn(this.q(txId));
    } catch (e) {
      await this.ch.request({ op: 'txEnd', txId, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.ch.request({ op: 'txEnd', txId, commit: true });
    return value;
  }

  /**
   * Run a CPU-heavy job (staging, fake data) in the worker, next to the database, so its payload
   * building, validation and hashing never run on the caller's thread. Options must be plain data;
   * progress and log lines come back as they happen; the signal stops the job (and the statement).
   */
  async runJob<T>(job: JobName, options: Record<string, unknown>, hooks: { signal?: AbortSignal; onProgress?: (p: unknown) => void; logger?: Logger } = {}): Promise<T> {
    if (hooks.signal?.aborted) throw new CancelledError();
    let jobId = -1;
    const onAbort = () => {
      if (jobId >= 0) this.ch.post({ op: 'jobCancel', id: -1, jobId });
      void this.cancel();
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const p = this.ch.request<T>({ op: 'job', job, options }, (ev) => {
        if (!('event' in ev)) return;
        if (ev.event === 'jobProgress') hooks.onProgress?.(ev.data);
        else if (ev.event === 'log') hooks.logger?.[ev.data.level](ev.data.text);
      });
      jobId = this.ch.lastId;
      if (hooks.signal?.aborted) onAbort();
      return await p;
    } finally {
      hooks.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Takes effect before the next statement (as in-process PGlite); a running one finishes. */
  async cancel(): Promise<void> {
    if (!this.ch.stopped) await this.ch.request({ op: 'cancel' }).catch(() => undefined);
  }

  /** PGlite is one connection: the session is this Db, except that closing it leaves the database open. */
  async session(): Promise<Db> {
    const session: Db = {
      dialect: this.dialect,
      kind: this.kind,
      description: this.description,
      defaultSchema: this.defaultSchema,
      query: (sql, params) => this.query(sql, params),
      execute: (sql, params) => this.execute(sql, params),
      stream: (sql, params, options) => this.stream(sql, params, options),
      runBatch: (sql, options) => this.runBatch(sql, options),
      transaction: (fn) => this.transaction(fn),
      cancel: () => this.cancel(),
      session: async () => session,
      close: async () => undefined,
    };
    return session;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.ch.stopped) await this.ch.request({ op: 'close' });
    } finally {
      await this.ch.terminate().catch(() => undefined);
      if (this.lockFile) {
        releaseLock(this.lockFile);
        this.lockFile = null;
      }
    }
  }
}
