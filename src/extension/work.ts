// Long work (script runs, checks, staging builds) under a cancellable progress notification with
// percentages. Cancel aborts the core's AbortSignal and asks the database to cancel the running
// statement. The outcome ends in a notification offering "Show report".
import * as vscode from 'vscode';
import { redactSecrets } from '../db/connectionSpec';
import type { Db } from '../db/types';
import type { Logger } from '../log';

export interface WorkContext {
  signal: AbortSignal;
  /** Report progress: percent done (0–100, never goes back) and what is happening (ids and counts only). */
  report(percent: number | undefined, message?: string): void;
}

export class WorkCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WorkCancelled';
  }
}

/** True when an error means "the user cancelled". */
export function isCancellation(e: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  if (!(e instanceof Error)) return false;
  return e.name === 'CancelledError' || e.name === 'AbortError' || e.name === 'WorkCancelled' || (e as { details?: { cancelled?: boolean } }).details?.cancelled === true;
}

/** `stop`: a second way to cancel besides the notification's Cancel (e.g. a Stop button in the editor title). */
export async function withWork<T>(
  title: string,
  db: Db | undefined,
  log: Logger,
  fn: (w: WorkContext) => Promise<T>,
  options: { stop?: AbortSignal } = {},
): Promise<{ ok: true; value: T } | { ok: false; cancelled: boolean; error?: string }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    const cancel = () => {
      if (ac.signal.aborted) return;
      log.info(`${title}: cancel requested`);
      ac.abort();
      if (db) void db.cancel().catch(() => undefined);
    };
    const sub = token.onCancellationRequested(cancel);
    if (options.stop?.aborted) cancel();
    options.stop?.addEventListener('abort', cancel, { once: true });
    let last = 0;
    const ctx: WorkContext = {
      signal: ac.signal,
      report(percent, message) {
        if (percent === undefined) {
          progress.report(message !== undefined ? { message } : {});
          return;
        }
        const p = Math.max(last, Math.min(100, percent));
        const inc = p - last;
        last = p;
        progress.report({ increment: inc, message: message !== undefined ? `${Math.round(p)}% · ${message}` : `${Math.round(p)}%` });
      },
    };
    try {
      const value = await fn(ctx);
      return { ok: true as const, value };
    } catch (e) {
      if (isCancellation(e, ac.signal)) return { ok: false as const, cancelled: true };
      const error = redactSecrets(e instanceof Error ? e.message : String(e));
      log.error(`${title}: ${error}`);
      return { ok: false as const, cancelled: false, error };
    } finally {
      sub.dispose();
      options.stop?.removeEventListener('abort', cancel);
    }
  });
}
