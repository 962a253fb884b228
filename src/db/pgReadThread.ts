// The reading half of an off-thread PostgreSQL stream (PostgresDb.stream with `offThread`, issue 17):
// runs in a worker thread (src/worker/ssdWorker.ts, mode 'pgRead') on a connection of its own, reads
// the query through a cursor and posts the rows to the main thread in batches, so the wire protocol,
// the UTF-8 decoding and the value parsers (the same ones the in-process stream uses) run beside the
// payload builder instead of taking turns with it. The main half is src/db/pgReadStream.ts.
//
// Flow control: at most `window` batches wait unread on the main thread (it counts the batches it
// has taken in a shared Int32, so a batch costs it no message); the cursor reads one batch ahead.
// 'close' ends the read (the main side broke out of the loop, was cancelled or failed). Errors are
// posted as plain objects with pg's fields (code, position, …) and mapped on the main side exactly
// as an in-process error is. Nothing is logged here, and no row leaves the process.
import type { MessagePort } from 'node:worker_threads';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { typeOverrides } from './pgTypeParsers';

/** What the worker needs to connect: the pool's settings that can cross a thread (no functions). */
export type PgReadConnection = Record<string, unknown>;

export interface PgReadRequest {
  mode: 'pgRead';
  connection: PgReadConnection;
  sql: string;
  params: unknown[];
  batchSize: number;
  /** Batches that may wait on the main thread before the reader waits for the main thread to take one. */
  window: number;
  /** One Int32 the main thread adds 1 to (and notifies) each time it takes a batch: the reader's credit, without a message per batch. */
  taken: SharedArrayBuffer;
}

export type PgReadMessage =
  /** Connected: the server process id (for a cancel). */
  | { t: 'started'; pid: number | null }
  /**
   * Rows as JSON text of arrays of values (every value text, a finite number, a boolean or NULL),
   * else as objects (structured clone); `names` (the columns, in order) with the first JSON batch.
   */
  | { t: 'rows'; json: string; names?: string[] }
  | { t: 'rows'; rows: unknown[] }
  | { t: 'end' }
  | { t: 'error'; error: Record<string, unknown> };

export type PgReadControl = { t: 'close' };

/** Atomics.waitAsync (ES2024; in Node since 16), typed here as the project's lib predates it. */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, index: number, value: number, timeout: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** Can JSON carry these rows unchanged (text, finite numbers, booleans, NULL)? */
export function jsonSafe(rows: readonly Record<string, unknown>[]): boolean {
  for (const r of rows) {
    for (const k in r) {
      const v = r[k];
      if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
      if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) continue;
      return false;
    }
  }
  return true;
}

/** pg's error as a plain object: its message and pg's own fields (code, position, detail, …). */
function plainError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  const out: Record<string, unknown> = { message: e.message, name: e.name };
  for (const [k, v] of Object.entries(e)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

export async function serveRead(port: MessagePort, req: PgReadRequest): Promise<void> {
  const taken = new Int32Array(req.taken);
  let sent = 0;
  let closing = false;
  port.on('message', (m: PgReadControl) => {
    if (m.t === 'close') closing = true;
  });
  /** Wait while `window` batches wait on the main thread (it notifies when it takes one, and when it closes). */
  const waitForRoom = async () => {
    for (;;) {
      const t = Atomics.load(taken, 0);
      if (closing || sent - t < req.window) return;
      const w = waitAsync(taken, 0, t, 1000);
      if (w.async) await w.value;
    }
  };
  const client = new pg.Client({ ...(req.connection as pg.ClientConfig) });
  // A dropped connection surfaces as the pending read's error; without a listener it would crash the thread.
  client.on('error', () => undefined);
  let pending: Promise<unknown> | undefined;
  try {
    await client.connect();
    // Closed while connecting (cancelled, or the caller stopped first): the statement is not sent.
    if (closing) return;
    port.postMessage({ t: 'started', pid: (client as unknown as { processID?: number }).processID ?? null } satisfies PgReadMessage);
    const cursor = client.query(new Cursor<Record<string, unknown>>(req.sql, req.params, { types: typeOverrides }));
    let named = false;
    let next: Promise<Record<string, unknown>[]> | undefined = cursor.read(req.batchSize);
    pending = next;
    while (next && !closing) {
      const rows: Record<string, unknown>[] = await next;
      const more = rows.length === req.batchSize;
      // One batch ahead: the next read is on the wire while this one crosses to the main thread.
      next = more ? cursor.read(req.batchSize) : undefined;
      pending = next;
      port.postMessage(
        (jsonSafe(rows)
          ? { t: 'rows', json: JSON.stringify(rows.map((r) => Object.values(r))), ...(named || !rows.length ? {} : { names: ((named = true), Object.keys(rows[0]!)) }) }
          : { t: 'rows', rows }) satisfies PgReadMessage,
      );
      sent++;
      await waitForRoom();
    }
    // A read still on the wire finishes before the cursor closes (pg-cursor serves one at a time).
    if (next) await next.catch(() => undefined);
    pending = undefined;
    await cursor.close().catch(() => undefined);
    if (!closing) port.postMessage({ t: 'end' } satisfies PgReadMessage);
  } catch (e) {
    if (pending) await pending.catch(() => undefined);
    if (!closing) port.postMessage({ t: 'error', error: plainError(e) } satisfies PgReadMessage);
  } finally {
    await client.end().catch(() => undefined);
    port.close();
  }
}
