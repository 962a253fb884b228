// Starts the editor's worker thread (src/worker/ssdWorker.ts; dist/worker.cjs in the bundle) and
// talks to it: numbered requests, replies, and events (progress, printed lines, server messages)
// for a request. Used by src/db/workerDb.ts (the embedded database off the main thread) and
// src/extension/core/demoWorker.ts (the demo build).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { deserializeError, type WorkerData, type WorkerReply } from './protocol';

const here = dirname(fileURLToPath(import.meta.url));

/** A new worker thread running ssdWorker in the given mode (`resourceLimits`: the thread's heap, when it must stay small). */
export function startWorker(data: WorkerData, resourceLimits?: ResourceLimits): Worker {
  const bundled = join(here, 'worker.cjs');
  if (existsSync(join(here, 'BUNDLED')) && existsSync(bundled)) {
    return new Worker(bundled, { workerData: data, execArgv: [], ...(resourceLimits ? { resourceLimits } : {}) });
  }
  // From source (tests under tsx): register tsx in the thread, then load the TypeScript entry.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = pathToFileURL(join(here, 'ssdWorker.ts')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: data, ...(resourceLimits ? { resourceLimits } : {}) });
}

type Pending = { resolve(v: unknown): void; reject(e: Error): void; onEvent?: (r: WorkerReply) => void };

/** Request/reply over one worker; a worker that dies fails every pending request. */
export class WorkerChannel {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private dead: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('event' in m) {
        p.onEvent?.(m);
        return;
      }
      this.pending.delete(m.id);
      this.updateRef();
      if (m.ok) p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    });
    worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => this.fail(new Error(`the database worker stopped (exit code ${code})`)));
  }

  /** The reply to request 0 (what the worker posts when it has started, or its job's outcome). */
  first<T>(onEvent?: (r: WorkerReply) => void): Promise<T> {
    return this.wait<T>(0, onEvent);
  }

  request<T>(body: Record<string, unknown>, onEvent?: (r: WorkerReply) => void): Promise<T> {
    const id = ++this.seq;
    const p = this.wait<T>(id, onEvent);
    if (!this.dead) this.worker.postMessage({ ...body, id });
    return p;
  }

  post(body: Record<string, unknown>): void {
    if (!this.dead) this.worker.postMessage(body);
  }

  private wait<T>(id: number, onEvent?: (r: WorkerReply) => void): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onEvent ? { onEvent } : {}) });
      this.updateRef();
    });
  }

  /** An idle worker does not keep the process alive (unrefIdle); one with a request pending does. */
  private idleUnref = false;
  unrefIdle(): void {
    this.idleUnref = true;
    this.updateRef();
  }
  private updateRef(): void {
    if (!this.idleUnref || this.dead) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private fail(e: Error): void {
    if (!this.dead) this.dead = e;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }

  get stopped(): boolean {
    return this.dead !== undefined;
  }
  /** The id of the last request sent. */
  get lastId(): number {
    return this.seq;
  }

  async terminate(): Promise<void> {
    this.fail(new Error('the database worker was stopped'));
    await this.worker.terminate();
  }
}
