// `ssd send`'s work: read the send queue from the staging table batch by batch, build and validate
// each request, and (test / live) send it and record every answer in one transaction per batch.
// A dry run (the default) builds and validates the same requests and reports them; it sends
// nothing and writes nothing.
//
// Kill and cancel safety: a batch's rows are written only after its answer, all in one transaction,
// so a kill leaves each row as it was (it is sent again next run; the API takes a repeat) or as the
// answer says. Cancelling (AbortSignal, Ctrl+C) aborts the request in flight at once: its records
// are left as they were, no retry follows.
//
// One sender per staging table: test and live runs hold the table's lock (tableLock.ts) from
// before the queue is read to the end. Safety stop: a test or live run refuses to send more than
// max(25, 2%) deletion payloads (purges at the DfE) without allowMassDeletion.
import type { Db } from '../db/types';
import { silentLogger, type Logger } from '../log';
import { recordSendRun } from '../phases/sendLog';
import { invalidRecord } from '../staging/lifecycle';
import { assertNotFakeSend } from '../fake/fakeMarker';
import { ApiClient, childrenUrl, TokenError, type ApiEndpoint, type FetchFn } from './apiClient';
import { MAX_BATCH, sendWithBisection, type RecordResult, type StopKind } from './batching';
import {
  countQueueAfter,
  countAcknowledged,
  inspectSendTable,
  markError,
  markSent,
  markWithheld,
  prepareRecord,
  readQueue,
  scanDeletions,
  SendUsageError,
  type BodyKind,
  type PreparedRecord,
} from './queue';
import { ChildValues, oneLine, payloadValues, Redactor } from './redact';
import { acquireTableLock, LockLostError, type TableLock } from './tableLock';
import { DEFAULT_RETRY_POLICY, REAL_TIMING, type RetryPolicy, type Timing } from './retry';
import { assertPorted } from '../db/dialect';

export const SEND_MODES = ['dry-run', 'test', 'live'] as const;
export type SendMode = (typeof SEND_MODES)[number];

export interface SendOptions {
  mode: SendMode;
  /** Schema of the staging table (default: the connection's default schema). */
  schema?: string;
  table?: string;
  /** Send partial_json_payload for Updated rows (New rows and deletions always go in full, D10). */
  partial?: boolean;
  /** Children per request, 1–100 (default 100, the DfE maximum). */
  batchSize?: number;
  /** At most this many records this run. */
  limit?: number;
  /** Required for test and live; optional for a dry run (only to show the URL). */
  endpoint?: ApiEndpoint;
  /** Base URL and LA code for the dry-run report when no endpoint is given. */
  baseUrl?: string;
  laCode?: string;
  policy?: Partial<RetryPolicy>;
  timing?: Timing;
  fetch?: FetchFn;
  /** Stop the run after this many records in a row were rejected one by one (default 200). */
  maxConsecutiveRejections?: number;
  /** Send more deletion payloads than the safety stop allows (max(25, 2% of the acknowledged children)), this run only. */
  allowMassDeletion?: boolean;
  /**
   * Send fake data (a schema marked by `ssd fake` / `ssd demo`) to the DfE *test* endpoint this run:
   * phase 1 of phased connection testing. Ignored for live, where fake data is always refused.
   */
  allowFakeToTest?: boolean;
  /** Who takes the table's lock, for a run refused while this one holds it (default "ssd send"). */
  lockPurpose?: string;
  signal?: AbortSignal;
  logger?: Logger;
  /** Called after each batch (records done so far). */
  onProgress?: (p: { records: number; sent: number }) => void;
}

export interface RecordIssue {
  personId: string;
  outcome: 'rejected' | 'failed' | 'invalid';
  /** HTTP status and the API's code/message, or the validation rule and path: never a payload value. */
  reason: string;
}

export interface SendReport {
  mode: SendMode;
  schema: string;
  table: string;
  partial: boolean;
  /** The children endpoint (no secrets), when known. */
  url: string | null;
  batchSize: number;
  /** Queued rows read this run. */
  queued: number;
  /** Of those, sent as full payloads, partial payloads, deletion payloads (dry run: would be). */
  full: number;
  partialPayloads: number;
  deletions: number;
  /** Batches (dry run: requests that would be made). */
  batches: number;
  batchSizes: number[];
  /** Bytes of the largest request body. */
  largestRequestBytes: number;
  /** HTTP data requests made (halves of split batches included), retries, token requests. */
  requests: number;
  retries: number;
  tokenRequests: number;
  sent: number;
  /** Rejected by the API on their own (after splitting, D13). */
  rejected: number;
  /** In a request that failed for another reason (retries used up, answer not understood). */
  failed: number;
  /** Fail the DfE schema: not sent (live/test: marked Error with the reason). */
  invalid: number;
  /** Read but not sent because the run stopped. */
  notSent: number;
  /** Queued rows the run never read because it stopped early (0 when it read the whole queue; null when it could not count them). */
  notRead: number | null;
  /** Deletion payloads (purges at the DfE) among the records this run sends (dry run: would send), counted before anything is sent. */
  deletionsQueued: number;
  /** The most a test or live run sends without allowMassDeletion: max(25, 2% of the acknowledged children). */
  deletionLimit: number;
  /** Acknowledged, but staging had written a newer payload meanwhile: that one stays queued. */
  supersededWhileSending: number;
  issues: RecordIssue[];
  stopped: null | { kind: StopKind | 'rejections' | 'mass-deletion' | 'lock-lost'; reason: string };
  seconds: number;
}

function problemsReason(p: PreparedRecord): string {
  const first = p.problems[0]!;
  return `${first.rule} ${first.path || '/'}: ${first.message}${p.problems.length > 1 ? ` (+${p.problems.length - 1} more)` : ''}`;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** An endpoint URL the sender may use: https, or http only to this machine (tests, local mocks). */
export function checkUrl(value: string, what: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new SendUsageError(`${what} is not a URL`);
  }
  if (u.username || u.password) throw new SendUsageError(`${what} must not carry a user name or password`);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    throw new SendUsageError(`${what} must be https:// (plain http is allowed only to localhost)`);
  }
  return value;
}

export function checkLaCode(value: string | undefined): string {
  if (!value || !/^\d{3}$/.test(value)) throw new SendUsageError('the LA code must be the 3-digit code (e.g. --la-code 845)');
  return value;
}

function checkOptions(o: SendOptions): { batchSize: number; limit: number } {
  if (!(SEND_MODES as readonly string[]).includes(o.mode)) throw new SendUsageError(`mode must be one of ${SEND_MODES.join(', ')}`);
  const batchSize = o.batchSize ?? MAX_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new SendUsageError(`the batch size must be a whole number from 1 to ${MAX_BATCH} (the DfE maximum)`);
  const limit = o.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw new SendUsageError('the limit must be a whole number of at least 1');
  if (o.mode !== 'dry-run') {
    const e = o.endpoint;
    if (!e) throw new SendUsageError(`${o.mode} mode needs an endpoint (base URL, token URL, client id, scope, secrets)`);
    checkUrl(e.baseUrl, 'the base URL');
    checkUrl(e.tokenUrl, 'the token URL');
    checkLaCode(e.laCode);
    if (!e.clientId) throw new SendUsageError('no client id');
    if (!e.scope) throw new SendUsageError('no scope');
    if (!e.clientSecret) throw new SendUsageError('no client secret');
    if (!e.supplierKey) throw new SendUsageError('no supplier key');
    if (o.mode === 'live' && (o.table ?? 'ssd_api_data_staging') !== 'ssd_api_data_staging') {
      throw new SendUsageError('live mode sends only the live table ssd_api_data_staging: the _anon table holds fake or scrambled data');
    }
  } else if (o.laCode !== undefined) {
    checkLaCode(o.laCode);
  }
  return { batchSize, limit };
}

/** max(25, 2%) of the acknowledged children: the most deletion payloads a run sends without allowMassDeletion. */
export function massDeletionLimit(acknowledged: number): number {
  return Math.max(25, Math.floor(acknowledged * 0.02));
}

/** Send (or, in a dry run, build and check) every queued row. */
export async function runSend(db: Db, options: SendOptions): Promise<SendReport> {
  assertPorted(db.dialect, 'send');
  const started = performance.now();
  const { batchSize, limit } = checkOptions(options);
  // Fake data never goes to the live endpoint, and to the test endpoint only when this run allows it
  // (the rule the editor shares: src/fake/fakeMarker.ts).
  await assertNotFakeSend(db, options.mode, options.schema ?? db.defaultSchema, { allowFakeToTest: options.allowFakeToTest === true });
  const live = options.mode !== 'dry-run';
  const schema = options.schema ?? db.defaultSchema;
  const table = options.table ?? 'ssd_api_data_staging';
  const t = await inspectSendTable(db, schema, table);
  // One sender per table: before the queue is read (a second run exits here, naming the holder).
  const lock = live ? await acquireTableLock(db, { schema: t.schema, table: t.table, purpose: options.lockPurpose ?? 'ssd send' }) : null;
  try {
    return await sendQueue(db, options, t, { batchSize, limit, started, lock });
  } finally {
    await lock?.release();
  }
}

async function sendQueue(
  db: Db,
  options: SendOptions,
  t: Awaited<ReturnType<typeof inspectSendTable>>,
  run: { batchSize: number; limit: number; started: number; lock: TableLock | null },
): Promise<SendReport> {
  const { batchSize, limit, started, lock } = run;
  const log = options.logger ?? silentLogger;
  const partial = options.partial ?? false;
  const timing = options.timing ?? REAL_TIMING;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const redactor = new Redactor(options.endpoint ? [options.endpoint.clientSecret, options.endpoint.supplierKey] : []);
  const client = lock
    ? new ApiClient({
        endpoint: options.endpoint!,
        policy,
        timing,
        redactor,
        fetch: options.fetch,
        onRetry: (what, ms) => log.warn(`retrying after ${(ms / 1000).toFixed(1)} s: ${what}`),
        onDebug: (text) => log.debug(`API said: ${text}`),
      })
    : null;
  const url = client ? client.url : options.baseUrl && options.laCode ? childrenUrl(options.baseUrl, options.laCode) : null;
  const maxRejections = options.maxConsecutiveRejections ?? 200;

  const report: SendReport = {
    mode: options.mode,
    schema: t.schema,
    table: t.table,
    partial,
    url,
    batchSize,
    queued: 0,
    full: 0,
    partialPayloads: 0,
    deletions: 0,
    batches: 0,
    batchSizes: [],
    largestRequestBytes: 0,
    requests: 0,
    retries: 0,
    tokenRequests: 0,
    sent: 0,
    rejected: 0,
    failed: 0,
    invalid: 0,
    notSent: 0,
    notRead: 0,
    deletionsQueued: 0,
    deletionLimit: 0,
    supersededWhileSending: 0,
    issues: [],
    stopped: null,
    seconds: 0,
  };
  const count: Record<BodyKind, 'full' | 'partialPayloads' | 'deletions'> = { full: 'full', partial: 'partialPayloads', deletion: 'deletions' };

  // Safety stop (decided before anything is sent): a run purges at most max(25, 2%) children.
  report.deletionsQueued = await scanDeletions(db, t, partial, limit);
  const acknowledged = await countAcknowledged(db, t);
  report.deletionLimit = massDeletionLimit(acknowledged);
  if (client && report.deletionsQueued > report.deletionLimit && !options.allowMassDeletion) {
    report.stopped = {
      kind: 'mass-deletion',
      reason:
        `${fmt(report.deletionsQueued)} deletion payloads are queued: each asks the DfE to purge a child. That is more than the ${fmt(report.deletionLimit)} ` +
        `a run sends without --allow-mass-deletion (max(25, 2% of the ${fmt(acknowledged)} acknowledged children)). Nothing was sent. ` +
        'Check the last staging run (an empty or half-refreshed source table marks children Deleted); if these children really left, send again with --allow-mass-deletion.',
    };
    report.notRead = await countQueueAfter(db, t, 0).catch(() => null);
    report.seconds = (performance.now() - started) / 1000;
    return report;
  }

  let afterId: number | string = 0;
  let consecutiveRejected = 0;
  for (;;) {
    if (options.signal?.aborted) {
      report.stopped = { kind: 'cancelled', reason: 'cancelled' };
      break;
    }
    const want = Math.min(batchSize, limit - report.queued);
    if (want <= 0) break;
    if (lock) {
      try {
        await lock.assertHeld();
      } catch (e) {
        if (!(e instanceof LockLostError)) throw e;
        report.stopped = { kind: 'lock-lost', reason: `${e.message}: stopped, so that no other run sends the same rows (batches before this one are recorded)` };
        break;
      }
    }
    const rows = await readQueue(db, t, afterId, want);
    if (!rows.length) break;
    if (client && report.queued === 0) {
      // A token before the first request: a wrong id/secret/scope stops the run here (exit 2), before
      // anything is sent. An empty queue asks for no token at all.
      try {
        await client.getToken(options.signal);
      } catch (e) {
        if (e instanceof Error && e.name === 'CancelledError') {
          report.stopped = { kind: 'cancelled', reason: 'cancelled' };
          break;
        }
        throw e;
      } finally {
        report.tokenRequests = client.tokenRequests;
        report.retries = client.retries;
      }
    }
    afterId = rows[rows.length - 1]!.id;
    report.queued += rows.length;

    const prepared = rows.map((r) => prepareRecord(r, partial));
    const invalid = prepared.filter((p) => p.problems.length);
    const valid = prepared.filter((p) => !p.problems.length);
    for (const p of invalid) {
      report.invalid++;
      report.issues.push({ personId: p.row.personId, outcome: 'invalid', reason: problemsReason(p) });
    }
    const bodyText = (part: readonly PreparedRecord[]) => `[${part.map((p) => JSON.stringify(p.body)).join(',')}]`;
    if (valid.length) {
      report.batches++;
      report.batchSizes.push(valid.length);
      report.largestRequestBytes = Math.max(report.largestRequestBytes, Buffer.byteLength(bodyText(valid), 'utf8'));
      for (const p of valid) report[count[p.kind]]++;
    }

    if (!client) {
      options.onProgress?.({ records: report.queued, sent: 0 });
      continue;
    }

    // Send, splitting on content refusals (D13).
    const outcome = await sendWithBisection(valid, (part) => {
      const values = new Set<string>();
      for (const p of part) payloadValues(p.body, values);
      const ids = part.map((p) => String(p.body.la_child_id ?? p.row.personId));
      return client.postChildren(bodyText(part), part.length, new ChildValues(values), options.signal, ids);
    });
    report.requests = client.dataRequests;
    report.retries = client.retries;
    report.tokenRequests = client.tokenRequests;

    // Record every answer of the batch in one transaction.
    const results: Array<[PreparedRecord, RecordResult]> = valid.map((p, i) => [p, outcome.results[i]!]);
    await db.transaction(async (tx) => {
      for (const p of invalid) await markWithheld(tx, t, p.row, invalidRecord(p.problems));
      for (const [p, r] of results) {
        if (r.kind === 'sent') {
          await markSent(tx, t, p.row, r.token);
        } else if (r.kind === 'rejected') {
          await markError(tx, t, p.row, oneLine(`rejected by the API: ${r.reason}`, 500));
        } else if (r.kind === 'failed') {
          await markError(tx, t, p.row, oneLine(`send failed: ${r.reason}`, 500));
        }
      }
    });
    // Superseded rows: acknowledged, but the staging build wrote a newer payload while we sent.
    const sentRows = results.filter(([, r]) => r.kind === 'sent').map(([p]) => p.row);
    if (sentRows.length) {
      const still = await readSentState(
        db,
        t,
        sentRows.map((r) => r.id),
      );
      report.supersededWhileSending += sentRows.length - still;
    }
    for (const [p, r] of results) {
      switch (r.kind) {
        case 'sent':
          report.sent++;
          consecutiveRejected = 0;
          break;
        case 'rejected':
          report.rejected++;
          consecutiveRejected++;
          report.issues.push({ personId: p.row.personId, outcome: 'rejected', reason: r.reason });
          break;
        case 'failed':
          report.failed++;
          report.issues.push({ personId: p.row.personId, outcome: 'failed', reason: r.reason });
          break;
        case 'unsent':
          report.notSent++;
          break;
      }
    }
    log.info(`batch of ${valid.length}: ${results.filter(([, r]) => r.kind === 'sent').length} sent, ${results.filter(([, r]) => r.kind === 'rejected').length} rejected, ${invalid.length} invalid`);
    options.onProgress?.({ records: report.queued, sent: report.sent });
    if (outcome.stop) {
      report.stopped = outcome.stop;
      break;
    }
    if (consecutiveRejected >= maxRejections) {
      report.stopped = { kind: 'rejections', reason: `the API rejected ${consecutiveRejected} records in a row: stopped (check the endpoint, the LA code and the payload schema version)` };
      break;
    }
  }
  // A run that stopped early says how much of the queue it never read (within its limit).
  if (report.stopped) {
    const left = await countQueueAfter(db, t, afterId).catch(() => null);
    report.notRead = left === null ? null : Math.min(left, limit - report.queued);
  }
  report.seconds = (performance.now() - started) / 1000;
  // The send history `ssd phases` reads (test and live runs that read a queue; never a dry run).
  if (client && report.queued > 0) {
    await recordSendRun(db, t.schema, {
      mode: options.mode as 'test' | 'live',
      table: t.table,
      endpoint: url,
      queued: report.queued,
      posted: report.sent + report.rejected + report.failed,
      acknowledged: report.sent,
      rejected: report.rejected,
      failed: report.failed,
      invalid: report.invalid,
      stopped: report.stopped?.kind ?? null,
    }).catch((e) => log.warn(`could not record the send history: ${(e as Error).message}`));
  }
  return report;
}

const fmt = (v: number) => v.toLocaleString('en-GB');

/** How many of these rows now say Sent (the others were superseded by a newer staged payload). */
async function readSentState(db: Db, t: { qualified: string }, ids: Array<number | string>): Promise<number> {
  const marks = ids.map((_, i) => `$${i + 1}`).join(',');
  const r = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t.qualified} WHERE id IN (${marks}) AND LOWER(submission_status) = 'sent'`, ids);
  return Number(r[0]?.n ?? 0);
}

export { SendUsageError, TokenError };
