// Run a planned script batch by batch: progress events (batch n of N, the SSD table being built),
// server messages as they arrive, rows affected and time per batch, errors mapped to the line in
// the original file, real cancellation through AbortSignal, and a per-table summary at the end.
// Pure core: the CLI (`ssd run`) and the editor ("SSD: Run Script") both drive it through onEvent.
import { CancelledError, type BatchResult, type Db, type DbError, type DbMessage, type Queryable, type RunBatchOptions } from '../db/types';
import { qualify, tableExistsSql, validateIdentifier } from '../db/dialect';
import { planTableBlocks, type TableBlock } from './atomic';
import { mapBatchLine, mapBatchPosition, type MappedPosition } from './plan';
import type { PlannedBatch, ScriptDiagnostic, ScriptPlan, TableRef } from './types';

export interface RunOptions {
  signal?: AbortSignal;
  /** Go on after a failing batch (per-table plans always do). */
  continueOnError?: boolean;
  onEvent?: (e: RunEvent) => void;
  /** Schema for tables the script does not qualify (default: the connection's default schema). */
  schema?: string;
  /** Count each table's rows at the end (default true); also needed for the row-count watch. */
  countRows?: boolean;
  /**
   * Atomic table refresh (default true): the batches that refresh one table (its META-CONTAINER,
   * or from its TRUNCATE/DELETE FROM to the next table's statements) run in one transaction, so a
   * failure or a cancel leaves the rows it had before. See atomic.ts.
   */
  atomic?: boolean;
  /** Batches (plan indexes) pre-flight judged optional and too new for this server: not sent, status 'skipped'. */
  skipBatches?: ReadonlySet<number>;
  /**
   * Keep a summary of each SELECT's result (row count, columns and this many first rows) in the
   * batch outcome, for the editor's "returned 12 rows" (default 0: results are not collected). The
   * driver holds a batch's result while it runs: meant for the ad hoc SELECTs of a script.
   */
  resultPreview?: number;
}

/** A SELECT's result, summarised: how many rows, the columns and the first few rows. */
export interface ResultSummary {
  rows: number;
  columns: string[];
  first: Record<string, unknown>[];
}

/** 'rolled back': the batch ran, but its table block failed later and was rolled back. */
export type BatchStatus = 'ok' | 'errors' | 'failed' | 'cancelled' | 'rolled back' | 'not run' | 'skipped';

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
  /** The batch's SELECT results, summarised (only with RunOptions.resultPreview). */
  results?: ResultSummary[];
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
  /** Rows before the run (null when the table did not exist or could not be counted). */
  rowsBefore?: number | null;
  /** How its table block went, when the script refreshes it (atomic.ts). */
  refresh?: TableRefresh;
}

export interface TableRefresh {
  /**
   * refreshed: its block ran in one transaction and committed; kept previous rows: the block
   * failed or was cancelled and was rolled back; not atomic: the block could not run in a
   * transaction (reason) and ran as written; not run: the run stopped before the block.
   */
  outcome: 'refreshed' | 'kept previous rows' | 'not atomic' | 'not run';
  rowsBefore: number | null;
  rowsAfter: number | null;
  /** not atomic: why, at the statement's position. */
  reason?: string;
  at?: MappedPosition;
  /** kept previous rows: the error that rolled it back (absent when cancelled). */
  error?: ScriptDiagnostic;
  cancelled?: boolean;
  /** 0-based batch indexes of the block. */
  batches: number[];
}

/** A table the run left with less than half of its rows, or empty (row-count watch). */
export interface ShrunkTable {
  name: string;
  schema: string;
  before: number;
  after: number;
  why: 'became empty' | 'lost more than half of its rows';
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
  /** Whether table blocks ran in transactions (RunOptions.atomic). */
  atomic: boolean;
  /** Row-count watch: tables that lost more than half of their rows or became empty (`ssd run` exits 1). */
  shrunk: ShrunkTable[];
  /** The connection was lost during the run: later batches were not sent (`ssd run` exits 2). */
  connectionLost: boolean;
}

export type RunEvent =
  | { type: 'start'; total: number; plan: ScriptPlan }
  | { type: 'batch-start'; n: number; total: number; batch: PlannedBatch; iteration: number }
  | { type: 'table'; name: string; state: 'building' | 'done' | 'failed'; batchIndex: number; elapsedMs?: number }
  | { type: 'message'; batchIndex: number; message: DbMessage; at: MappedPosition | null }
  | { type: 'batch-end'; n: number; total: number; outcome: BatchOutcome }
  | { type: 'refresh'; name: string; refresh: TableRefresh }
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
    return (await db.query(tableExistsSql(db.dialect), [schema, name])).length > 0;
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

const fmtRows = (x: number | null) => (x === null ? '-' : x.toLocaleString('en-GB'));

/** A table's refresh outcome in a few words: refreshed (10,000 → 9,998), kept previous rows (10,000, error at f:3:5), not atomic (why, at line). */
export function refreshText(f: TableRefresh): string {
  switch (f.outcome) {
    case 'refreshed':
      return `refreshed (${fmtRows(f.rowsBefore)} → ${fmtRows(f.rowsAfter)})`;
    case 'kept previous rows':
      return `kept previous rows (${fmtRows(f.rowsAfter)}${f.error ? `, error at ${f.error.file}:${f.error.line}:${f.error.column}` : f.cancelled ? ', cancelled' : ''})`;
    case 'not atomic':
      return `not atomic (${f.reason ?? 'no transaction'}${f.at ? `, at ${f.at.file}:${f.at.line}:${f.at.column}` : ''})`;
    default:
      return 'not run';
  }
}

/** Thrown inside a table block's transaction to roll it back (the batch outcome says why). */
class RollBack extends Error {
  constructor() {
    super('roll back the table block');
    this.name = 'RollBack';
  }
}

type BatchExec = (text: string, options: RunBatchOptions) => Promise<BatchResult>;

/** Run script batches inside a transaction: on its connection when the driver can (tx.runBatch), else as one statement each. */
function txExec(db: Db, tx: Queryable): BatchExec {
  if (tx.runBatch) return (text, o) => tx.runBatch!(text, o);
  return async (text, o) => {
    if (o.signal?.aborted) throw new CancelledError();
    const onAbort = () => {
      void db.cancel().catch(() => undefined);
    };
    o.signal?.addEventListener('abort', onAbort);
    const t = performance.now();
    try {
      const n = await tx.execute(text);
      return { rowsAffected: [n], resultSets: [], elapsedMs: performance.now() - t };
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  };
}

export async function runPlan(db: Db, plan: ScriptPlan, options: RunOptions = {}): Promise<RunResult> {
  const emit = (e: RunEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      /* a listener's failure must not stop the run */
    }
  };
  const started = performance.now();
  const total = plan.batches.length;
  const defaultSchema = (options.schema ?? db.defaultSchema).toLowerCase();
  const continueAll = options.continueOnError || plan.perTable;
  const atomic = options.atomic !== false;
  const counting = options.countRows !== false;
  const diagnostics: ScriptDiagnostic[] = [...plan.warnings];
  const batches: BatchOutcome[] = plan.batches.map((b) => ({
    index: b.index,
    label: b.label,
    file: b.file,
    line: b.line,
    column: b.column,
    status: 'not run',
    rowsAffected: 0,
    statementCounts: [],
    elapsedMs: 0,
    errors: [],
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
  // Table blocks (atomic refresh): tables a block names that no batch builds still get an outcome.
  const blocks: TableBlock[] = planTableBlocks(plan);
  for (const blk of blocks) {
    if (!blk.atomic || !atomic) continue;
    for (const t of blk.tables) {
      if (tables.has(keyOf(t))) continue;
      const o: TableOutcome = { name: t.name, status: 'not run', existedBefore: null, created: false, rows: null, elapsedMs: null, batchIndex: blk.batches[0]! };
      if (t.schema) o.schema = t.schema;
      tables.set(keyOf(t), o);
      tableRefs.set(keyOf(t), t);
    }
  }
  const blockAt = new Map<number, TableBlock>();
  for (const blk of blocks) blockAt.set(blk.batches[0]!, blk);
  const lastBatch = new Map<string, number>();
  for (const b of plan.batches) for (const t of b.tables) lastBatch.set(keyOf(t), b.index);
  const countable = (t: TableRef) => !t.database && !t.name.startsWith('#');
  const schemaOf = (t: TableRef) => t.schema ?? defaultSchema;
  for (const [k, t] of tableRefs) {
    if (!countable(t)) continue;
    const o = tables.get(k)!;
    o.existedBefore = await tableExists(db, schemaOf(t), t.name);
    if (counting) o.rowsBefore = o.existedBefore ? await countRows(db, schemaOf(t), t.name) : null;
  }
  let connectionLost = false;
  const countNow = async (t: TableRef): Promise<number | null> => (!connectionLost && countable(t) && (await tableExists(db, schemaOf(t), t.name)) ? countRows(db, schemaOf(t), t.name) : null);
  /** A lost connection stops the run: every later batch would fail the same way. */
  const noteLost = (e: unknown) => {
    if (e instanceof Error && e.name === 'ConnectionError') {
      connectionLost = true;
      stopped = true;
    }
  };

  emit({ type: 'start', total, plan });
  let cancelled = false;
  let stopped = false;

  /** Run one batch (all its GO n repeats) with exec; records its outcome and its tables' states. */
  const runOne = async (b: PlannedBatch, exec: BatchExec): Promise<void> => {
    const out = batches[b.index]!;
    if (stopped || cancelled) return;
    if (options.signal?.aborted) {
      cancelled = true;
      return;
    } // never started: stays 'not run'
    if (options.skipBatches?.has(b.index)) {
      out.status = 'skipped';
      return;
    }
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
        if (t) {
          const o = tables.get(keyOf(t));
          if (o && !o.error) o.error = d;
        }
      }
      // Progress inside a multi-table batch: a message naming the next pending table marks it done.
      if (pending.length > 1 || (pending.length === 1 && b.tables.length > 1)) {
        const lower = m.text.toLowerCase();
        const idx = pending.findIndex((t) => new RegExp(`(^|[^a-z0-9_])${t.name.replace(/[^a-z0-9_]/g, '')}([^a-z0-9_]|$)`).test(lower));
        if (idx >= 0) {
          const now = performance.now();
          const done = pending.splice(0, idx + 1);
          for (const t of done) {
            doneInBatch.add(keyOf(t));
            setTable(t, 'done', t === done[done.length - 1] ? now - markAt : undefined);
          }
          markAt = now;
          if (pending[0]) setTable(pending[0], 'building');
        }
      }
    };
    let failed: ScriptDiagnostic | null = null;
    for (let it = 1; it <= b.repeat; it++) {
      emit({ type: 'batch-start', n: b.index + 1, total, batch: b, iteration: it });
      try {
        const preview = options.resultPreview ?? 0;
        const r = await exec(b.text, { onMessage, ...(options.signal ? { signal: options.signal } : {}), ...(preview > 0 ? { collectResults: true } : {}) });
        if (preview > 0 && r.resultSets.length) {
          out.results = [...(out.results ?? []), ...r.resultSets.map((rows) => ({ rows: rows.length, columns: rows[0] ? Object.keys(rows[0]) : [], first: rows.slice(0, preview) }))];
        }
        out.statementCounts.push(...r.rowsAffected);
        out.rowsAffected += r.rowsAffected.reduce((a, n) => a + n, 0);
      } catch (e) {
        if (isCancelled(e) || options.signal?.aborted) {
          cancelled = true;
          out.status = 'cancelled';
          break;
        }
        noteLost(e);
        const details = dbErrorDetails(e) ?? {};
        const pos = locate(b, details);
        failed = { ...pos, message: e instanceof Error ? e.message : String(e), severity: 'error', source: 'server', batchIndex: b.index };
        if (details.code !== undefined) failed.code = details.code;
        out.errors.push(failed);
        const t = tableAtLine(b, batchLineOf(b, details));
        if (t) {
          const o = tables.get(keyOf(t));
          if (o) o.error = failed;
        }
        break;
      }
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
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
      if (out.status === 'failed') {
        o.status = 'uncertain';
        continue;
      }
      if (!single && pending.includes(t) && pending[pending.length - 1] === t) o.elapsedMs = performance.now() - markAt;
      if (b.index < (lastBatch.get(keyOf(t)) ?? b.index)) {
        o.status = 'uncertain';
        continue;
      } // more to come
      o.status = 'built';
      emit({ type: 'table', name: t.name, state: 'done', batchIndex: b.index, ...(o.elapsedMs !== null ? { elapsedMs: o.elapsedMs } : {}) });
    }
    diagnostics.push(...out.errors);
    emit({ type: 'batch-end', n: b.index + 1, total, outcome: out });
    if (out.status === 'failed' && !(continueAll || b.onError === 'ignore')) stopped = true;
  };

  const direct: BatchExec = (text, o) => db.runBatch(text, o);
  const setRefresh = (blk: TableBlock, r: Omit<TableRefresh, 'rowsBefore' | 'rowsAfter' | 'batches'>, before: Map<string, number | null>, after: Map<string, number | null>) => {
    for (const t of blk.tables) {
      const o = tables.get(keyOf(t));
      if (!o) continue;
      const refresh: TableRefresh = { ...r, rowsBefore: before.get(keyOf(t)) ?? null, rowsAfter: after.get(keyOf(t)) ?? null, batches: blk.batches };
      o.refresh = refresh;
      emit({ type: 'refresh', name: t.name, refresh });
    }
  };

  for (let i = 0; i < plan.batches.length;) {
    const blk = atomic ? blockAt.get(i) : undefined;
    if (!blk || !blk.atomic || stopped || cancelled) {
      await runOne(plan.batches[i]!, direct);
      i++;
      continue;
    }
    i = blk.batches[blk.batches.length - 1]! + 1;
    if (options.signal?.aborted) {
      cancelled = true;
      continue;
    }
    // One table block, in one transaction: a failure or a cancel rolls it back.
    const before = new Map<string, number | null>();
    for (const t of blk.tables) before.set(keyOf(t), await countNow(t));
    let rolledBack = false;
    let rollBack = false; // we asked for the roll-back (drivers may wrap the error we threw)
    let txError: ScriptDiagnostic | undefined;
    try {
      await db.transaction(async (tx) => {
        const exec = txExec(db, tx);
        for (const bi of blk.batches) {
          // runOne says whether the run goes on after a failure (stopped); the block ends either way
          await runOne(plan.batches[bi]!, exec);
          if (options.signal?.aborted) cancelled = true;
          if (batches[bi]!.status !== 'ok' || cancelled) {
            rollBack = true;
            throw new RollBack();
          }
        }
      });
    } catch (e) {
      rolledBack = true;
      if (!rollBack) {
        // BEGIN or COMMIT failed (e.g. the connection went): nothing of the block was kept.
        if (isCancelled(e) || options.signal?.aborted) cancelled = true;
        else {
          const b = plan.batches[blk.batches[0]!]!;
          txError = {
            file: blk.at.file,
            line: blk.at.line,
            column: blk.at.column,
            severity: 'error',
            source: 'server',
            batchIndex: b.index,
            message: `the transaction of ${blk.tables.map((t) => t.name).join(', ')} did not commit: ${e instanceof Error ? e.message : String(e)}`,
          };
          diagnostics.push(txError);
          const last = batches[blk.batches[blk.batches.length - 1]!]!;
          last.errors.push(txError);
          if (last.status === 'ok') last.status = 'failed';
          if (!continueAll) stopped = true;
          noteLost(e);
        }
      }
    }
    const after = new Map<string, number | null>();
    for (const t of blk.tables) after.set(keyOf(t), await countNow(t));
    if (!rolledBack) {
      for (const t of blk.tables) {
        const o = tables.get(keyOf(t));
        if (o && o.status === 'not run') o.status = 'built';
      }
      setRefresh(blk, { outcome: 'refreshed' }, before, after);
      continue;
    }
    // Rolled back: the batches that had run are undone, and the block's tables have their previous rows.
    let error: ScriptDiagnostic | undefined = txError;
    for (const bi of blk.batches) {
      const out = batches[bi]!;
      if (out.status === 'ok') out.status = 'rolled back';
      error ??= out.errors.find((d) => d.severity === 'error');
    }
    for (const t of blk.tables) {
      const o = tables.get(keyOf(t));
      if (!o) continue;
      const wasBuilt = o.status === 'built' || o.status === 'uncertain';
      o.status = cancelled && !error ? 'not run' : 'failed';
      if (error && !o.error) o.error = error;
      if (wasBuilt && o.status === 'failed') emit({ type: 'table', name: t.name, state: 'failed', batchIndex: blk.batches[0]! });
    }
    setRefresh(blk, { outcome: 'kept previous rows', ...(error ? { error } : {}), ...(cancelled && !error ? { cancelled: true } : {}) }, before, after);
  }

  if (counting) {
    for (const [k, t] of tableRefs) {
      if (!countable(t)) continue;
      const o = tables.get(k)!;
      o.rows = await countRows(db, schemaOf(t), t.name);
      if (o.existedBefore === false && o.rows !== null) o.created = true;
    }
  }
  // Blocks that did not run in a transaction, or did not run at all.
  const finalRows = new Map([...tableRefs].map(([k]) => [k, tables.get(k)!.rows] as const));
  const startRows = new Map([...tableRefs].map(([k]) => [k, tables.get(k)!.rowsBefore ?? null] as const));
  for (const blk of blocks) {
    if (blk.tables.every((t) => !tables.has(keyOf(t)) || tables.get(keyOf(t))!.refresh)) continue;
    const ran = blk.batches.some((bi) => batches[bi]!.status !== 'not run');
    if (!ran) setRefresh(blk, { outcome: 'not run' }, startRows, finalRows);
    else if (!blk.atomic && atomic) setRefresh(blk, { outcome: 'not atomic', ...(blk.reason ? { reason: blk.reason } : {}), at: blk.at }, startRows, finalRows);
  }

  // Row-count watch: a table that lost more than half of its rows, or became empty.
  const shrunk: ShrunkTable[] = [];
  if (counting) {
    for (const [k, t] of tableRefs) {
      const o = tables.get(k)!;
      const was = o.rowsBefore;
      if (!countable(t) || was === null || was === undefined || was <= 0 || o.rows === null) continue;
      if (o.rows === 0) shrunk.push({ name: t.name, schema: schemaOf(t), before: was, after: 0, why: 'became empty' });
      else if (o.rows * 2 < was) shrunk.push({ name: t.name, schema: schemaOf(t), before: was, after: o.rows, why: 'lost more than half of its rows' });
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
    atomic,
    shrunk,
    connectionLost,
  };
  emit({ type: 'done', result });
  return result;
}
