// The main-thread half of an off-thread PostgreSQL stream (issue 17): a worker thread (mode
// 'pgRead', src/db/pgReadThread.ts) connects on its own, reads the query through a cursor and posts
// its rows in batches; this side turns them back into the rows an in-process stream yields (JSON
// text parsed in one call per batch, or structured-cloned rows with their buffers restored).
//
// Why: in a staging run the main thread both read the rows (the wire protocol, UTF-8 decoding, one
// object per row, about a quarter of its time) and built the payloads, one after the other. With
// the reading on a second thread the two overlap, and the main thread keeps only the JSON.parse.
// What does not change: the SQL, the rows, their order and values, the batch size, the errors
// (mapped by the caller as an in-process error is), cancel and the early break (the reader is told
// to close, and stopped if it does not within a second).
import { startWorker } from '../worker/workerClient';
import { batchedStream, CancelledError, type BatchedStream } from './types';
import type { PgReadConnection, PgReadControl, PgReadMessage } from './pgReadThread';

export interface OffThreadReadOptions {
  connection: PgReadConnection;
  sql: string;
  params: readonly unknown[];
  batchSize: number;
  signal?: AbortSignal;
  /**
   * Called when the read begins, with a function that ends it with CancelledError (Db.cancel()
   * before the reader has connected); then with the reader's server process id once it has
   * connected (for pg_cancel_backend); and with null when the read ends, however it ends.
   */
  onOpen?: (cancel: () => void) => void;
  onBackend?: (pid: number | null) => void;
  /** The error to throw for the reader's error (pg's fields as a plain object). */
  mapError: (e: Record<string, unknown>) => Error;
  /** Called when the reader thread itself died (it cannot be started, or crashed). */
  mapCrash: (e: Error) => Error;
}

/** Batches that may wait on the main thread: enough to keep both threads busy, few enough to stay small (about 1 MB). */
const WINDOW = 4;

/** Buffers arrive from a structured clone as plain Uint8Arrays: make them Buffers again, as pg gives them. */
function restoreBuffers(rows: unknown[]): void {
  for (const r of rows as Record<string, unknown>[]) {
    for (const k in r) {
      const v = r[k];
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) r[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
}

/**
 * A function making a row object from its values, in column order: an object literal of the
 * columns (one shape for every row, made as fast as V8 makes any literal). Names are quoted as
 * JSON strings; a column named __proto__ (a literal would set the prototype) takes the plain loop.
 */
export function rowMaker(names: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  if (names.includes('__proto__')) {
    return (values) => {
      const o: Record<string, unknown> = {};
      names.forEach((n, i) => Object.defineProperty(o, n, { value: values[i], enumerable: true, writable: true, configurable: true }));
      return o;
    };
  }
  return new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => Record<string, unknown>;
}

/** The off-thread read's rows, and its batches as they come (BatchedStream). */
export function readOffThread<R>(o: OffThreadReadOptions): BatchedStream<R> {
  return batchedStream(() => readBatches<R>(o));
}

async function* readBatches<R>(o: OffThreadReadOptions): AsyncIterable<R[]> {
  if (o.signal?.aborted) throw new CancelledError();
  let cancelled = false;
  const shared = new SharedArrayBuffer(4);
  const taken = new Int32Array(shared);
  const worker = startWorker(
    { mode: 'pgRead', connection: o.connection, sql: o.sql, params: [...o.params], batchSize: o.batchSize, window: WINDOW, taken: shared },
    // The reader's objects live for one batch: a small young generation is enough (a larger one
    // added about 15 MB to a staging run's peak RSS at 100k children, and no speed).
    { maxYoungGenerationSizeMb: 8 },
  );
  const inbox: PgReadMessage[] = [];
  let crash: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: PgReadMessage) => {
    inbox.push(m);
    poke();
  });
  worker.on('error', (e: unknown) => {
    crash ??= e instanceof Error ? e : new Error(String(e));
    poke();
  });
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      poke();
      resolve();
    }),
  );
  const close = () => {
    if (!exited) worker.postMessage({ t: 'close' } satisfies PgReadControl);
    Atomics.add(taken, 0, 1);
    Atomics.notify(taken, 0);
  };
  o.signal?.addEventListener('abort', poke);
  o.onOpen?.(() => {
    cancelled = true;
    poke();
  });
  let makeRow: (values: unknown[]) => Record<string, unknown> = () => ({});
  try {
    for (;;) {
      if (o.signal?.aborted) throw new CancelledError();
      if (cancelled) throw new CancelledError('cancelled by user: the read was stopped');
      const m = inbox.shift();
      if (!m) {
        if (crash) throw o.mapCrash(crash);
        if (exited) throw o.mapCrash(new Error('the read thread stopped before the end of the rows'));
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (m.t === 'started') {
        o.onBackend?.(m.pid);
        continue;
      }
      if (m.t === 'end') return;
      if (m.t === 'error') throw o.mapError(m.error);
      Atomics.add(taken, 0, 1);
      Atomics.notify(taken, 0);
      if ('json' in m) {
        if (m.names) makeRow = rowMaker(m.names);
        yield (JSON.parse(m.json) as unknown[][]).map((v) => makeRow(v) as R);
      } else {
        restoreBuffers(m.rows);
        yield m.rows as R[];
      }
    }
  } finally {
    o.signal?.removeEventListener('abort', poke);
    o.onBackend?.(null);
    close();
    // The reader finishes a read on the wire, closes its cursor and connection, and exits; one that
    // does not within a second (a statement still running on the server) is stopped.
    const timer = setTimeout(() => void worker.terminate(), 1000);
    await exit;
    clearTimeout(timer);
  }
}
