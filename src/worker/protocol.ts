// Messages between the extension host and its worker thread (src/worker/ssdWorker.ts). Errors
// cross the thread as name, message and details and are rebuilt as the same classes (DbError,
// ConnectionError, CancelledError), so callers cannot tell the worker is there.
import type { FakeProgress } from '../fake/generateFakeSsd';
import { CancelledError, ConnectionError, DbError } from '../db/types';
import type { PgReadRequest } from '../db/pgReadThread';

export type WorkerData =
  | { mode: 'db'; dataDir: string | null; description: string; create: boolean }
  | { mode: 'demo'; storageRoot: string; demo: { children: number; asOf: string; seed?: string; version?: string } }
  | PgReadRequest;

export type DbRequest = { id: number } & (
  | { op: 'query' | 'execute'; sql: string; params: unknown[]; txId?: number }
  | { op: 'runBatch'; sql: string; collectResults: boolean; txId?: number }
  | { op: 'streamOpen'; sql: string; params: unknown[]; batchSize: number }
  | { op: 'streamNext'; streamId: number; batchSize: number }
  | { op: 'streamClose'; streamId: number }
  | { op: 'txBegin' }
  | { op: 'txEnd'; txId: number; commit: boolean }
  | { op: 'cancel' }
  | { op: 'close' }
  | { op: 'job'; job: JobName; options: Record<string, unknown> }
  | { op: 'jobCancel'; jobId: number }
);

/** CPU-heavy work the editor runs in the database's worker, next to the database: staging (build,
 *  validate, hash every child's payload), fake data, one child's payload. */
export type JobName = 'stage' | 'fake' | 'payload';

export interface SerializedError {
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; event: 'progress'; data: FakeProgress & { step: string } }
  | { id: number; event: 'print'; data: string }
  | { id: number; event: 'message'; data: unknown }
  | { id: number; event: 'log'; data: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; text: string } }
  | { id: number; event: 'jobProgress'; data: unknown };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const details = (e as { details?: unknown }).details;
    // A safety stop carries its findings (table names and counts), shown by the editor's modal.
    const findings = (e as { findings?: unknown }).findings;
    const d = details && typeof details === 'object' ? { ...(details as Record<string, unknown>) } : findings !== undefined ? { findings } : undefined;
    return { name: e.name, message: e.message, ...(d ? { details: d } : {}) };
  }
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return { name: 'Error', message: (e as { message: string }).message };
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): Error {
  let e: Error;
  switch (s.name) {
    case 'DbError':
      e = new DbError(s.message, (s.details ?? {}) as DbError['details']);
      break;
    case 'ConnectionError':
      e = new ConnectionError(s.message);
      break;
    case 'CancelledError':
      e = new CancelledError(s.message);
      break;
    case 'SafetyStopError':
      e = Object.assign(new Error(s.message), { findings: s.details?.findings });
      e.name = s.name;
      break;
    default:
      e = new Error(s.message);
      e.name = s.name;
  }
  return e;
}
