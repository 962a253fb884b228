// The editor's worker thread (dist/worker.cjs; src/worker/workerClient.ts starts it): the embedded
// database (PGlite) and the demo build run here, off the extension host's main thread, so a long
// statement or the demo's fake children never freeze the editor. Three modes (workerData.mode):
// - 'db': owns one PgliteDb and answers the Db operations src/db/workerDb.ts forwards
//   (query, execute, stream in batches, runBatch with its messages, transactions, cancel, close);
// - 'pgRead': reads one PostgreSQL query for an off-thread stream (src/db/pgReadThread.ts), in the
//   editor and in the CLI alike;
// - 'demo': makes the extension's demo database (src/extension/core/demoStore.ts createDemo) and
//   reports its real steps; 'cancel' aborts it (the host also terminates the thread if it lingers).
// Messages carry ids, counts, SQL text and rows only; nothing is logged here.
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Db, Queryable, RunBatchOptions } from '../db/types';
import { serializeError, type DbRequest, type WorkerData, type WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('ssdWorker runs in a worker thread only');
const data = workerData as WorkerData;

const post = (m: WorkerReply): void => port.postMessage(m);

// On Linux a thread's priority is its own: this thread yields to the editor's (and to the user's
// other programs) when the machine is busy. Elsewhere the call would lower the whole editor process.
// Not the reader of an off-thread stream: the job waiting for its rows is the one that runs.
if (process.platform === 'linux' && data.mode !== 'pgRead') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    /* not allowed: run as is */
  }
}

if (data.mode === 'pgRead') {
  // An off-thread PostgreSQL stream's reader (src/db/pgReadThread.ts).
  void import('../db/pgReadThread').then(({ serveRead }) => serveRead(port, data));
} else if (data.mode === 'demo') {
  const ac = new AbortController();
  port.on('message', (m: { op: string }) => {
    if (m.op === 'cancel') ac.abort();
  });
  void (async () => {
    try {
      const { createDemo } = await import('../extension/core/demoStore');
      const r = await createDemo(data.storageRoot, {
        ...data.demo,
        signal: ac.signal,
        onProgress: (p) => post({ id: 0, event: 'progress', data: p }),
        print: (line) => post({ id: 0, event: 'print', data: line ?? '' }),
      });
      post({ id: 0, ok: true, value: { steps: r.steps, seconds: r.seconds } });
    } catch (e) {
      post({ id: 0, ok: false, error: serializeError(e) });
    }
  })();
} else {
  void serveDb(data.dataDir, data.description, data.create);
}

async function serveDb(dataDir: string | null, description: string, create: boolean): Promise<void> {
  let db: Db;
  try {
    const { PgliteDb } = await import('../db/pgliteDriver');
    // The host took the directory's lock for this process (dirLock is per process, not per thread).
    db = await PgliteDb.open(dataDir, description, { create, lockedByHost: true });
  } catch (e) {
    post({ id: 0, ok: false, error: serializeError(e) });
    return;
  }
  post({ id: 0, ok: true, value: 'ready' });

  const streams = new Map<number, AsyncIterator<unknown>>();
  const jobs = new Map<number, AbortController>();
  const txs = new Map<number, { q: Queryable; end: (commit: boolean) => void }>();
  const target = (txId: number | undefined): Queryable => {
    if (txId === undefined) return db;
    const t = txs.get(txId);
    if (!t) throw new Error(`transaction ${txId} has ended`);
    return t.q;
  };

  port!.on('message', (m: DbRequest) => {
    void handle(m).then(
      (value) => post({ id: m.id, ok: true, value }),
      (e: unknown) => post({ id: m.id, ok: false, error: serializeError(e) }),
    );
  });

  async function handle(m: DbRequest): Promise<unknown> {
    switch (m.op) {
      case 'query':
        return target(m.txId).query(m.sql, m.params);
      case 'execute':
        return target(m.txId).execute(m.sql, m.params);
      case 'runBatch': {
        const q = target(m.txId);
        const options: RunBatchOptions = {
          collectResults: m.collectResults,
          onMessage: (msg) => post({ id: m.id, event: 'message', data: msg }),
        };
        if (!q.runBatch) throw new Error('this transaction cannot run script batches');
        return q.runBatch(m.sql, options);
      }
      case 'streamOpen': {
        const it = db.stream(m.sql, m.params, { batchSize: m.batchSize })[Symbol.asyncIterator]();
        streams.set(m.id, it);
        return m.id;
      }
      case 'streamNext': {
        // One batch of rows per round trip: the cursor stays in the worker.
        const it = streams.get(m.streamId);
        if (!it) return { rows: [], done: true };
        const rows: unknown[] = [];
        while (rows.length < m.batchSize) {
          let r: IteratorResult<unknown>;
          try {
            r = await it.next();
          } catch (e) {
            streams.delete(m.streamId);
            throw e;
          }
          if (r.done) {
            streams.delete(m.streamId);
            return { rows, done: true };
          }
          rows.push(r.value);
        }
        return { rows, done: false };
      }
      case 'streamClose': {
        const it = streams.get(m.streamId);
        streams.delete(m.streamId);
        await it?.return?.();
        return undefined;
      }
      case 'txBegin': {
        // The transaction stays open until the host sends txEnd; statements in between name it.
        let opened!: () => void;
        const ready = new Promise<void>((r) => {
          opened = r;
        });
        const done = db.transaction(
          (tx) =>
            new Promise<void>((resolve, reject) => {
              txs.set(m.id, { q: tx, end: (commit) => (commit ? resolve() : reject(new RollbackRequest())) });
              opened();
            }),
        );
        const outcome = done.then(
          () => undefined,
          (e: unknown) => e,
        );
        const first = await Promise.race([ready.then(() => 'open' as const), outcome.then((e) => e)]);
        if (first !== 'open') throw first;
        txEnds.set(m.id, outcome);
        return m.id;
      }
      case 'txEnd': {
        const t = txs.get(m.txId);
        txs.delete(m.txId);
        t?.end(m.commit);
        const outcome = txEnds.get(m.txId);
        txEnds.delete(m.txId);
        const e = await outcome;
        // A rollback the host asked for is no error here: the host rethrows its own.
        if (m.commit && e) throw e;
        return undefined;
      }
      case 'job': {
        const ac = new AbortController();
        jobs.set(m.id, ac);
        try {
          return await runJob(
            db,
            m.job,
            m.options,
            ac.signal,
            (data) => post({ id: m.id, event: 'jobProgress', data }),
            (level, text) => post({ id: m.id, event: 'log', data: { level, text } }),
          );
        } finally {
          jobs.delete(m.id);
        }
      }
      case 'jobCancel':
        jobs.get(m.jobId)?.abort();
        return undefined;
      case 'cancel':
        await db.cancel();
        return undefined;
      case 'close': {
        for (const it of streams.values()) await it.return?.().catch(() => undefined);
        streams.clear();
        await db.close();
        return undefined;
      }
    }
  }
  const txEnds = new Map<number, Promise<unknown>>();
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A CPU-heavy job on this thread's database: the same cores the CLI and the editor run in-process. */
async function runJob(db: Db, job: string, options: Record<string, unknown>, signal: AbortSignal, progress: (p: unknown) => void, log: (level: Level, text: string) => void): Promise<unknown> {
  const logger = {
    trace: (t: string) => log('trace', t),
    debug: (t: string) => log('debug', t),
    info: (t: string) => log('info', t),
    warn: (t: string) => log('warn', t),
    error: (t: string) => log('error', t),
  };
  switch (job) {
    case 'stage': {
      const { stageWithProgress } = await import('../extension/core/dataWork');
      return stageWithProgress(db, { ...(options as object), signal, logger } as Parameters<typeof stageWithProgress>[1], progress);
    }
    case 'fake': {
      const { generateFakeSsd } = await import('../fake/generateFakeSsd');
      return generateFakeSsd(db, { ...(options as object), signal, onProgress: progress } as Parameters<typeof generateFakeSsd>[1]);
    }
    case 'payload': {
      const { buildChildPayload } = await import('../payload/buildPayloads');
      const { personId, ...rest } = options as { personId: string };
      return buildChildPayload(db, personId, { ...rest, signal } as Parameters<typeof buildChildPayload>[2]);
    }
    default:
      throw new Error(`unknown job ${job}`);
  }
}

class RollbackRequest extends Error {
  constructor() {
    super('rolled back');
    this.name = 'RollbackRequest';
  }
}
