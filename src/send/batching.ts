// Batches and D13: a batch the API refuses for its content (400 / 413 / 422) is split in halves,
// recursively, until the records the API rejects are isolated, so one bad child does not block 99
// good ones. Pure: the request is a function passed in.
import type { PostOutcome } from './apiClient';
import type { ResponseToken } from './tokens';

/** The DfE maximum number of children per request. */
export const MAX_BATCH = 100;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid batch size ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type RecordResult =
  /** Acknowledged: the token for this record. */
  | { kind: 'sent'; token: ResponseToken }
  /** The API rejected this record on its own (a request holding only it was refused). */
  | { kind: 'rejected'; reason: string }
  /** The request holding it failed for a reason that is not the record's (or the answer could not be matched). */
  | { kind: 'failed'; reason: string }
  /** Never sent: the run stopped (or was cancelled) first. */
  | { kind: 'unsent' };

export type StopKind = 'cancelled' | 'auth' | 'endpoint' | 'malformed';

export interface BatchOutcome {
  /** One result per record, in the order given. */
  results: RecordResult[];
  /** Requests made for this batch (halves included, retries not). */
  requests: number;
  /** Set when the run must not go on (the reason is already redacted). */
  stop?: { kind: StopKind; reason: string };
}

/**
 * Send `items` as one request; on a content refusal split and send each half, down to single
 * records. A failure that is not about content (retries used up, auth, malformed answer) stops:
 * the records of that request are 'failed', the ones not yet sent 'unsent'.
 */
export async function sendWithBisection<T>(items: readonly T[], post: (part: readonly T[]) => Promise<PostOutcome>): Promise<BatchOutcome> {
  const results: RecordResult[] = new Array(items.length).fill({ kind: 'unsent' });
  const out: BatchOutcome = { results, requests: 0 };

  const run = async (from: number, to: number): Promise<void> => {
    if (out.stop) return;
    const part = items.slice(from, to);
    const r = await post(part);
    if (r.kind !== 'cancelled') out.requests++;
    switch (r.kind) {
      case 'ok':
        for (let i = from; i < to; i++) results[i] = { kind: 'sent', token: r.tokens[i - from]! };
        return;
      case 'rejected':
        if (to - from === 1) {
          results[from] = { kind: 'rejected', reason: r.reason };
          return;
        }
        {
          const mid = from + Math.ceil((to - from) / 2);
          await run(from, mid);
          await run(mid, to);
        }
        return;
      case 'malformed':
        for (let i = from; i < to; i++) results[i] = { kind: 'failed', reason: `${r.reason}; not marked Sent` };
        out.stop = { kind: 'malformed', reason: r.reason };
        return;
      case 'failed':
        for (let i = from; i < to; i++) results[i] = { kind: 'failed', reason: r.reason };
        out.stop = { kind: r.auth ? 'auth' : 'endpoint', reason: r.reason };
        return;
      case 'cancelled':
        out.stop = { kind: 'cancelled', reason: 'cancelled' };
        return;
    }
  };

  if (items.length) await run(0, items.length);
  return out;
}
