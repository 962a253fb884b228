// The editor's demo build in a worker thread (src/worker/ssdWorker.ts runs createDemo there), so
// the SSD tables and the fake children are made off the extension host's main thread. Progress
// reports the demo's real steps. Cancel asks the worker to stop; if it has not stopped within
// STOP_GRACE_MS the thread is terminated. Either way a cancelled demo is removed (its folder and
// the making lock) and the promise rejects with CancelledError, so it is never opened.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../db/types';
import { startWorker, WorkerChannel } from '../../worker/workerClient';
import type { CreateDemoOptions } from './demoStore';
import { DEMO_FOLDER, MAKING_LOCK_FILE } from './demoStore';

/** How long a cancelled demo build may take to stop by itself before its thread is terminated. */
export const STOP_GRACE_MS = 1000;

export interface DemoBuildResult {
  steps: string[];
  seconds: number;
}

export async function createDemoInWorker(storageRoot: string, options: CreateDemoOptions): Promise<DemoBuildResult> {
  if (options.signal?.aborted) throw new CancelledError();
  const ch = new WorkerChannel(
    startWorker({
      mode: 'demo',
      storageRoot,
      demo: { children: options.children, asOf: options.asOf, ...(options.seed ? { seed: options.seed } : {}), ...(options.version ? { version: options.version } : {}) },
    }),
  );
  const outcome = ch.first<DemoBuildResult>((ev) => {
    if (!('event' in ev)) return;
    if (ev.event === 'progress') options.onProgress?.(ev.data);
    else if (ev.event === 'print') options.print?.(ev.data);
  });
  let timer: NodeJS.Timeout | undefined;
  const cancelled = new Promise<'cancelled'>((resolve) => {
    const onAbort = () => {
      ch.post({ op: 'cancel' });
      timer = setTimeout(() => resolve('cancelled'), STOP_GRACE_MS);
      // The worker stopping by itself (its own CancelledError, or finishing) settles it sooner.
      outcome.then(
        () => resolve('cancelled'),
        () => resolve('cancelled'),
      );
    };
    if (options.signal) options.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([outcome, cancelled]);
    if (first === 'cancelled' || options.signal?.aborted) throw new CancelledError('cancelled by user');
    return first;
  } catch (e) {
    if (options.signal?.aborted) {
      await ch.terminate().catch(() => undefined);
      removeUnfinishedDemo(storageRoot);
      throw new CancelledError('cancelled by user');
    }
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    if (!ch.stopped) await ch.terminate().catch(() => undefined);
  }
}

/** Remove what a stopped demo build left: its folder (with any READY file) and the making lock. */
export function removeUnfinishedDemo(storageRoot: string): void {
  const dir = join(storageRoot, DEMO_FOLDER);
  // A terminated thread's files may be released a moment later (Windows): retry briefly.
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  rmSync(join(storageRoot, MAKING_LOCK_FILE), { force: true });
}
