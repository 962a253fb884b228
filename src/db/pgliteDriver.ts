// Embedded PostgreSQL (PGlite): pglite:memory or pglite:<directory>.
// PGlite runs in this process on one connection, so:
// - stream() uses a WITH HOLD cursor (the result is held by the embedded server, not in JS) and
//   fetches in batches, letting other statements run between fetches;
// - cancel() takes effect between statements (a running statement cannot be interrupted in-process).
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { bundledAssetDir } from '../runtimePaths';
import { acquireLock, lockPathFor, releaseLock } from './dirLock';
import { pgParsers, noticeToMessage, toDbError } from './pgCommon';
import { batchedStream, CancelledError, ConnectionError, type BatchResult, type Db, type Queryable, type Row, type RunBatchOptions, type StreamOptions } from './types';

let cursorSeq = 0;

export interface PgliteOpenOptions {
  /** Make a new database when the directory holds none (default true). Read-only commands pass
   *  false, so a mistyped path is an error instead of a new 39 MB database. */
  create?: boolean;
  /** The directory's lock is held by this process's main thread (the editor's worker: see
   *  src/db/workerDb.ts); dirLock counts per process, so the worker thread must not take it again. */
  lockedByHost?: boolean;
}

/** A driver's error as one line: PGlite sometimes throws plain objects, not Errors. */
function causeText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; code?: unknown; errno?: unknown };
    if (typeof o.message === 'string' && o.message) return o.message;
    if (typeof o.code === 'string') return `file system error ${o.code}`;
    if (typeof o.errno === 'number') return `file system error ${o.errno}`;
    try {
      return JSON.stringify(e).slice(0, 200);
    } catch {
      /* fall through */
    }
  }
  return String(e);
}

export { pgliteDirState } from './pgliteDir';
import { pgliteDirState } from './pgliteDir';

/** PGlite writes the files of a new database world-writable (0666) whatever the umask: give them
 *  the permissions the umask allows, as any other program's files have. */
export function applyUmask(dir: string, umask = process.umask()): void {
  const walk = (p: string): void => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    const want = st.mode & 0o7777 & ~umask;
    if ((st.mode & 0o7777) !== want) chmodSync(p, want);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
}

async function bundledOptions(): Promise<Partial<PGliteOptions>> {
  // The bundle ships PGlite's wasm and data as they are (a development build: npm run build) or
  // brotli-compressed (a packaged build: build --production, for the .vsix); see scripts/build.mjs.
  const dir = bundledAssetDir('pglite');
  if (!dir) return {};
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : brotliDecompressSync(readFileSync(join(dir, f + '.br'))));
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(read('pglite.wasm')), WebAssembly.compile(read('initdb.wasm'))]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([read('pglite.data')]) };
}

class PgliteTx implements Queryable {
  readonly dialect = 'postgres' as const;
  runBatch?: Queryable['runBatch'];
  constructor(private readonly tx: { query: PGlite['query'] }) {}
  async query<R = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.tx.query<R>(sql, params as unknown[], { parsers: pgParsers })).rows;
    } catch (e) {
      throw toDbError(e, sql);
    }
  }
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return (await this.tx.query(sql, params as unknown[])).affectedRows ?? 0;
    } catch (e) {
      throw toDbError(e, sql);
    }
  }
}

/** PGlite's exec() reports affectedRows cumulatively over the batch (0.5.x): turn them back into
 *  per-statement counts, for statements that return no rows. */
export function perStatementCounts(results: readonly { affectedRows?: number; fields: readonly unknown[] }[]): number[] {
  const out: number[] = [];
  let before = 0;
  for (const r of results) {
    const total = r.affectedRows ?? before;
    if (r.fields.length === 0 && r.affectedRows !== undefined) out.push(Math.max(0, total - before));
    before = Math.max(before, total);
  }
  return out;
}

// A new embedded database (in memory, or a new directory) starts with PostgreSQL's initdb, seconds
// of work each time. With the template on (usePgliteMemoryTemplate, for test suites that make
// hundreds of them), the first new database of the process keeps its fresh image (about 40 MB,
// dumped before any statement runs) and later new ones load it instead. Off by default. Kept on globalThis so every copy
// of this module in a process shares it.
interface MemoryTemplate {
  image?: File | Blob;
}
const TEMPLATE_KEY = Symbol.for('ssd-workbench.pgliteMemoryTemplate');
function memoryTemplate(): MemoryTemplate | undefined {
  return (globalThis as unknown as Record<symbol, MemoryTemplate | undefined>)[TEMPLATE_KEY];
}
/** Turn the in-memory database template on (or off) for this process. */
export function usePgliteMemoryTemplate(on: boolean): void {
  const g = globalThis as unknown as Record<symbol, MemoryTemplate | undefined>;
  if (on) g[TEMPLATE_KEY] ??= {};
  else delete g[TEMPLATE_KEY];
}

export class PgliteDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly kind = 'pglite' as const;
  readonly defaultSchema = 'public';
  private cancelRequested = false;
  private readonly base: PgliteTx;

  private constructor(
    private readonly pg: PGlite,
    readonly description: string,
  ) {
    this.base = new PgliteTx(pg);
  }

  private lockFile: string | null = null;

  static async open(dataDir: string | null, description: string, openOptions: PgliteOpenOptions = {}): Promise<PgliteDb> {
    let lockFile: string | null = null;
    let fresh = !dataDir;
    if (dataDir) {
      const state = pgliteDirState(dataDir);
      fresh = state === 'none';
      if (state === 'other') {
        throw new ConnectionError(`cannot open ${description}: ${resolve(dataDir)} is not an embedded database (no PG_VERSION file in it, and it is not an empty folder): check the path`);
      }
      if (state === 'none' && openOptions.create === false) {
        throw new ConnectionError(`cannot open ${description}: there is no embedded database at ${resolve(dataDir)}: check the path (ssd init, ssd fake or ssd demo make one)`);
      }
      // One process at a time (throws naming the holder), before PGlite touches the directory.
      if (!openOptions.lockedByHost) {
        lockFile = lockPathFor(dataDir);
        acquireLock(lockFile, description);
      }
    }
    try {
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      const options: PGliteOptions = { ...(await bundledOptions()), parsers: pgParsers };
      if (dataDir) options.dataDir = dataDir;
      const template = fresh ? memoryTemplate() : undefined;
      if (template?.image) options.loadDataDir = template.image;
      const pg = await PGlite.create(options);
      // The first new database of a process with the template on: keep its fresh image.
      if (template && !template.image) template.image = await pg.dumpDataDir('none');
      if (dataDir) applyUmask(dataDir);
      const db = new PgliteDb(pg, description);
      db.lockFile = lockFile;
      return db;
    } catch (e) {
      if (lockFile) releaseLock(lockFile);
      throw new ConnectionError(`cannot open ${description}: ${causeText(e)}`, { cause: e });
    }
  }

  async query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.throwIfCancelled(); // async: a pending cancel rejects the promise, never throws synchronously
    return this.base.query<R>(sql, params);
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<number> {
    this.throwIfCancelled();
    return this.base.execute(sql, params);
  }

  /** The rows, also a batch (one FETCH) at a time (BatchedStream). */
  stream<R = Row>(sql: string, params: readonly unknown[] = [], options: StreamOptions = {}): AsyncIterable<R> {
    return batchedStream(() => this.fetchBatches<R>(sql, params, options));
  }

  private async *fetchBatches<R>(sql: string, params: readonly unknown[], options: StreamOptions): AsyncIterable<R[]> {
    const size = options.batchSize ?? 2000;
    const name = `ssd_cursor_${++cursorSeq}`;
    try {
      await this.pg.query(`DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${sql}`, params as unknown[]);
    } catch (e) {
      throw toDbError(e, sql);
    }
    try {
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError();
        const res = await this.pg.query<R>(`FETCH FORWARD ${size} FROM ${name}`, [], { parsers: pgParsers });
        if (res.rows.length) yield res.rows;
        if (res.rows.length < size) break;
      }
    } finally {
      await this.pg.query(`CLOSE ${name}`).catch(() => undefined);
    }
  }

  async runBatch(sql: string, options: RunBatchOptions = {}): Promise<BatchResult> {
    this.throwIfCancelled();
    if (options.signal?.aborted) throw new CancelledError();
    const start = performance.now();
    try {
      const results = await this.pg.exec(sql, {
        parsers: pgParsers,
        onNotice: (n) => options.onMessage?.(noticeToMessage(n, sql)),
      });
      return {
        rowsAffected: perStatementCounts(results),
        resultSets: options.collectResults ? results.filter((r) => r.fields.length > 0).map((r) => r.rows as Row[]) : [],
        elapsedMs: performance.now() - start,
      };
    } catch (e) {
      // A failed multi-statement batch leaves an implicit transaction aborted; clear it.
      await this.pg.exec('ROLLBACK').catch(() => undefined);
      throw toDbError(e, sql);
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.throwIfCancelled();
    try {
      return await this.pg.transaction((tx) => {
        const q = new PgliteTx(tx);
        // A script batch inside the transaction (no ROLLBACK of its own on failure: the transaction ends it).
        q.runBatch = async (sql: string, options: RunBatchOptions = {}) => {
          if (options.signal?.aborted) throw new CancelledError();
          const start = performance.now();
          try {
            const results = await tx.exec(sql, { parsers: pgParsers, onNotice: (n) => options.onMessage?.(noticeToMessage(n, sql)) });
            return {
              rowsAffected: perStatementCounts(results),
              resultSets: options.collectResults ? results.filter((r) => r.fields.length > 0).map((r) => r.rows as Row[]) : [],
              elapsedMs: performance.now() - start,
            };
          } catch (e) {
            throw toDbError(e, sql);
          }
        };
        return fn(q);
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'DbError' || e.name === 'CancelledError')) throw e;
      throw toDbError(e);
    }
  }

  /** PGlite runs in-process: the request takes effect before the next statement this Db runs. */
  async cancel(): Promise<void> {
    this.cancelRequested = true;
  }

  private throwIfCancelled(): void {
    if (this.cancelRequested) {
      this.cancelRequested = false;
      throw new CancelledError('cancelled by user');
    }
  }

  /**
   * PGlite is one in-process connection, so every statement already runs in one session: the
   * session is this Db except that closing it leaves the database open.
   */
  async session(): Promise<Db> {
    const db = this as Db;
    const session: Db = {
      dialect: db.dialect,
      kind: db.kind,
      description: db.description,
      defaultSchema: db.defaultSchema,
      query: (sql, params) => db.query(sql, params),
      execute: (sql, params) => db.execute(sql, params),
      stream: (sql, params, options) => db.stream(sql, params, options),
      runBatch: (sql, options) => db.runBatch(sql, options),
      transaction: (fn) => db.transaction(fn),
      cancel: () => db.cancel(),
      session: async () => session,
      close: async () => undefined,
    };
    return session;
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await this.pg.close();
    } finally {
      if (this.lockFile) {
        releaseLock(this.lockFile);
        this.lockFile = null;
      }
    }
  }
}
