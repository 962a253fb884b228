// Run a planned script batch by batch: progress events (batch n of N, the SSD table being built),
// server messages as they arrive, rows affected and time per batch, errors mapped to the line in
// the original file, real cancellation through AbortSignal, and a per-table summary at the end.
// Pure core: the CLI (`ssd run`) and the editor ("SSD: Run Script") both drive it through onEvent.
import type { Db, DbError, DbMessage } from '../db/types';
import { qualify, tableExistsSql, validateIdentifier } from '../db/dialect';
import { mapBatchLine, mapBatchPosition, type MappedPosition } from './plan';
import type { PlannedBatch, ScriptDiagnostic, ScriptPlan, TableRef } from './types';

export interface RunOptions {
  signal?: AbortSignal;
  /** Go on after a failing batch (per-table plans always do). */
  continueOnError?: boolean;
  onEvent?: (e: RunEvent) => void;
  /** Schema for tables the script does not qualify (default: the connection's default schema). */
  schema?: string;
  /** Count each table's rows at the end (default true). */
  countRows?: boolean;
  /** Batches (plan indexes) pre-flight judged optional and too new for this server: not sent, status 'skipped'. */
  skipBatches?: ReadonlySet<number>;
}

export type BatchStatus = 'ok' | 'errors' | 'failed' | 'cancelled' | 'not run' | 'skipped';

export interface BatchOutcome {
  index: number;
  label: string;
  file: string;
  line: number;
  column: number;
  status: BatchStatus;
  /** Sum of the rows affected reported by the batch's statements (all repeats). */
  rowsAffected: number;
  /** Rows affected per statement that reported a count, in order. */
  statementCounts: number[];
  elapsedMs: number;
  /** Errors of this batch, located in the file. */
  errors: ScriptDiagnostic[];
}

export type TableStatus = 'built' | 'failed' | 'uncertain' | 'not run';

export interface TableOutcome {
  name: string;
  schema?: string;
  status: TableStatus;
  /** Did the table exist before the run (null when it could not be checked)? */
  existedBefore: boolean | null;
  /** Created by this run. */
  created: boolean;
  /** Rows at the end of the run (null when it could not be counted). */
  rows: number | null;
  elapsedMs: number | null;
  batchIndex: number;
  error?: ScriptDiagnostic;
}

export interface RunResult {
  file: string;
  dialect: ScriptPlan['dialect'];
  perTable: boolean;
  ok: boolean;
  cancelled: boolean;
  elapsedMs: number;
  total: number;
  batches: BatchOutcome[];
  tables: TableOutcome[];
  /** Every error and warning with file, line and column (server errors, error messages, plan warnings). */
  diagnostics: ScriptDiagnostic[];
}

export type RunEvent =
  | { type: 'start'; total: number; plan: ScriptPlan }
  | { type: 'batch-start'; n: number; total: number; batch: PlannedBatch; iteration: number }
  | { type: 'table'; name: string; state: 'building' | 'done' | 'failed'; batchIndex: number; elapsedMs?: number }
  | { type: 'message'; batchIndex: number; message: DbMessage; at: MappedPosition | null }
  | { type: 'batch-end'; n: number; total: number; outcome: BatchOutcome }
  | { type: 'done'; result: RunResult };

// Errors are recognised by name, not instanceof: drivers are loaded through dynamic import and a
// test runner may hold two copies of the class.
function dbErrorDetails(e: unknown): DbError['details'] | null {
  if (e instanceof Error && e.name === 'DbError' && typeof (e as DbError).details === 'object') return (e as DbError).details;
  return null;
}

function isCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CancelledError' || !!dbErrorDetails(e)?.cancelled);
}

function keyOf(t: TableRef): string {
  return `${t.schema ?? ''}.${t.name}`;
}

function locate(batch: PlannedBatch, details: { line?: number; position?: number }): MappedPosition {
  if (details.position && details.position > 0) return mapBatchPosition(batch, details.position);
  if (details.line && details.line > 0) return mapBatchLine(batch, details.line);
  return { file: batch.file, line: batch.line, column: batch.column };
}

/** The table a batch line belongs to (the last table whose part starts at or before it). */
function tableAtLine(batch: PlannedBatch, line: number | undefined): TableRef | undefined {
  if (batch.tables.length <= 1 || line === undefined) return batch.tables[0];
  let hit: TableRef | undefined;
  for (const t of batch.tables) if ((t.batchLine ?? 1) <= line) hit = t;
  return hit ?? batch.tables[0];
}

function batchLineOf(batch: PlannedBatch, details: { line?: number; position?: number }): number | undefined {
  if (details.line) return details.line;
  if (details.position) {
    let line = 1;
    const end = Math.min(details.position - 1, batch.text.length);
    for (let i = 0; i < end; i++) if (batch.text.charCodeAt(i) === 10) line++;
    return line;
  }
  return undefined;
}

async function tableExists(db: Db, schema: string, name: string): Promise<boolean | null> {
  try {
    return (await db.query(tableExistsSql(), [schema, name])).length > 0;
  } catch {
    return null;
  }
}

async function countRows(db: Db, schema: string, name: string): Promise<number | null> {
  try {
    validateIdentifier(schema, 'schema');
    validateIdentifier(name, 'table');
    const rows = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify(db.dialect, schema, name)}`);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

export async function runPlan(db: Db, plan: ScriptPlan, options: RunOptions = {}): Promise<RunResult> {
  const emit = (e: RunEvent) => { try { options.onEvent?.(e); } catch { /* a listener's failure must not stop the run */ } };
  const started = performance.now();
  const total = plan.batches.length;
  const defaultSchema = (options.schema ?? db.defaultSchema).toLowerCase();
  const continueAll = options.continueOnError || plan.perTable;
  const diagnostics: ScriptDiagnostic[] = [...plan.warnings];
  const batches: BatchOutcome[] = plan.batches.map((b) => ({
    index: b.index, label: b.label, file: b.file, line: b.line, column: b.column, status: 'not run', rowsAffected: 0, statementCounts: [], elapsedMs: 0, errors: [],
  }));

  // Tables: one outcome per table, attributed to the first batch that builds it.
  const tables = new Map<string, TableOutcome>();
  const tableRefs = new Map<string, TableRef>();
  for (const b of plan.batches) {
    for (const t of b.tables) {
      if (tables.has(keyOf(t))) continue;
      const o: TableOutcome = { name: t.name, status: 'not run', existedBefore: null, created: false, rows: null, elapsedMs: null, batchIndex: b.index };
      if (t.schema) o.schema = t.schema;
      tables.set(keyOf(t), o);
      tableRefs.set(keyOf(t), t);
    }
  }
  const lastBatch = new Map<string, number>();
  for (const b of plan.batches) for (const t of b.tables) lastBatch.set(keyOf(t), b.index);
  const countable = (t: TableRef) => !t.database && !t.name.startsWith('#');
  for (const [k, t] of tableRefs) {
    if (!countable(t)) continue;
    tables.get(k)!.existedBefore = await tableExists(db, t.schema ?? defaultSchema, t.name);
  }

  emit({ type: 'start', total, plan });
  let cancelled = false;
  let stopped = false;
  for (const b of plan.batches) {
    const out = batches[b.index]!;
    if (stopped || cancelled) continue;
    if (options.signal?.aborted) { cancelled = true; continue; } // never started: stays 'not run'
    if (options.skipBatches?.has(b.index)) { out.status = 'skipped'; continue; }
    const bt = performance.now();
    let markAt = bt;
    const pending = [...b.tables];
    const doneInBatch = new Set<string>();
    const setTable = (t: TableRef, state: 'building' | 'done' | 'failed', elapsed?: number) => {
      const o = tables.get(keyOf(t));
      if (o) {
        if (state === 'done' && o.status !== 'failed') o.status = 'built';
        if (state === 'failed') o.status = 'failed';
        if (elapsed !== undefined && state !== 'building') o.elapsedMs = elapsed;
      }
      emit({ type: 'table', name: t.name, state, batchIndex: b.index, ...(elapsed !== undefined && state !== 'building' ? { elapsedMs: elapsed } : {}) });
    };
    if (pending[0] && tables.get(keyOf(pending[0]))?.status === 'not run') setTable(pending[0], 'building');
    const onMessage = (m: DbMessage) => {
      const at = m.line ? mapBatchLine(b, m.line) : null;
      emit({ type: 'message', batchIndex: b.index, message: m, at });
      if (m.kind === 'error') {
        const pos = at ?? { file: b.file, line: b.line, column: b.column };
        const d: ScriptDiagnostic = { ...pos, message: m.text, severity: 'error', source: 'server', batchIndex: b.index };
        if (m.code !== undefined) d.code = m.code;
        out.errors.push(d);
        const t = tableAtLine(b, m.line);
        if (t) { const o = tables.get(keyOf(t)); if (o && !o.error) o.error = d; }
      }
      // Progress inside a multi-table batch: a message naming the next pending table marks it done.
      if (pending.length > 1 || (pending.length === 1 && b.tables.length > 1)) {
        const lower = m.text.toLowerCase();
        const idx = pending.findIndex((t) => new RegExp(`(^|[^a-z0-9_])${t.name.replace(/[^a-z0-9_]/g, '')}([^a-z0-9_]|$)`).test(lower));
        if (idx >= 0) {
          const now = performance.now();
          const done = pending.splice(0, idx + 1);
          for (const t of done) { doneInBatch.add(keyOf(t)); setTable(t, 'done', t === done[done.length - 1] ? now - markAt : undefined); }
          markAt = now;
          if (pending[0]) setTable(pending[0], 'building');
        }
      }
    };
    let failed: ScriptDiagnostic | null = null;
    for (let it = 1; it <= b.repeat; it++) {
      emit({ type: 'batch-start', n: b.index + 1, total, batch: b, iteration: it });
      try {
        const r = await db.runBatch(b.text, { onMessage, ...(options.signal ? { signal: options.signal } : {}) });
        out.statementCounts.push(...r.rowsAffected);
        out.rowsAffected += r.rowsAffected.reduce((a, n) => a + n, 0);
      } catch (e) {
        if (isCancelled(e) || options.signal?.aborted) {
          cancelled = true;
          out.status = 'cancelled';
          break;
        }
        const details = dbErrorDetails(e) ?? {};
        const pos = locate(b, details);
        failed = { ...pos, message: e instanceof Error ? e.message : String(e), severity: 'error', source: 'server', batchIndex: b.index };
        if (details.code !== undefined) failed.code = details.code;
        out.errors.push(failed);
        const t = tableAtLine(b, batchLineOf(b, details));
        if (t) { const o = tables.get(keyOf(t)); if (o) o.error = failed; }
        break;
      }
      if (options.signal?.aborted) { cancelled = true; break; }
    }
    out.elapsedMs = performance.now() - bt;
    if (out.status !== 'cancelled') out.status = failed ? 'failed' : out.errors.length ? 'errors' : 'ok';

    // Table states for this batch.
    const errorTables = new Set<string>();
    if (out.status === 'failed' || out.status === 'errors') {
      for (const t of b.tables) {
        const o = tables.get(keyOf(t));
        if (o?.error && o.error.batchIndex === b.index) errorTables.add(keyOf(t));
      }
    }
    // A table may be built by several batches (PostgreSQL statements, or CREATE and INSERT apart):
    // it is built when all of them ran, failed when any failed; single-table batches add their time.
    const single = b.tables.length === 1;
    for (const t of b.tables) {
      const o = tables.get(keyOf(t));
      if (!o) continue;
      if (single) o.elapsedMs = (o.elapsedMs ?? 0) + out.elapsedMs;
      if (doneInBatch.has(keyOf(t)) && !errorTables.has(keyOf(t))) continue; // already reported done by its progress message
      if (out.status === 'cancelled') continue;
      if (errorTables.has(keyOf(t)) || (single && (out.status === 'failed' || out.status === 'errors'))) {
        if (o.status !== 'failed') emit({ type: 'table', name: t.name, state: 'failed', batchIndex: b.index });
        o.status = 'failed';
        continue;
      }
      if (o.status === 'failed') continue;
      if (out.status === 'failed') { o.status = 'uncertain'; continue; }
      if (!single && pending.includes(t) && pending[pending.length - 1] === t) o.elapsedMs = performance.now() - markAt;
      if (b.index < (lastBatch.get(keyOf(t)) ?? b.index)) { o.status = 'uncertain'; continue; } // more to come
      o.status = 'built';
      emit({ type: 'table', name: t.name, state: 'done', batchIndex: b.index, ...(o.elapsedMs !== null ? { elapsedMs: o.elapsedMs } : {}) });
    }
    diagnostics.push(...out.errors);
    emit({ type: 'batch-end', n: b.index + 1, total, outcome: out });
    if (out.status === 'failed' && !(continueAll || b.onError === 'ignore')) stopped = true;
  }

  if (options.countRows !== false) {
    for (const [k, t] of tableRefs) {
      if (!countable(t)) continue;
      const o = tables.get(k)!;
      const schema = t.schema ?? defaultSchema;
      o.rows = await countRows(db, schema, t.name);
      if (o.existedBefore === false && o.rows !== null) o.created = true;
    }
  }

  const result: RunResult = {
    file: plan.file,
    dialect: plan.dialect,
    perTable: plan.perTable,
    ok: !cancelled && batches.every((b) => b.status === 'ok' || b.status === 'skipped'),
    cancelled,
    elapsedMs: performance.now() - started,
    total,
    batches,
    tables: [...tables.values()],
    diagnostics,
  };
  emit({ type: 'done', result });
  return result;
}
