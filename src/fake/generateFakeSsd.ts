// `ssd fake`: fill the 19 SSD tables the payload builder reads with a synthetic cohort
// (src/fake/cohort.ts), in chunks of children, each chunk written in one transaction with
// bulkCopy (COPY … FROM STDIN on a PostgreSQL server, bulkInsert elsewhere). Memory stays flat
// whatever the number of children.
//
// Ownership: every run is recorded in the marker table ssd_workbench_fake_runs (same schema),
// together with what it has committed to each table so far (row count, lowest and highest key),
// updated in the same transaction as each chunk. A table is ours when it is empty or matches the
// latest run's record exactly. If any of the 19 tables holds rows that are not ours, the run
// refuses (FakeRefusedError) unless `replace` is set; then it deletes the rows of those 19 tables
// first, in one transaction. Our own earlier fake rows are always replaced.
import { randomUUID } from 'node:crypto';
import { bulkCopy, pgColumnTypes } from '../db/bulkInsert';
import { DIALECTS, limitClause, qualify, quoteIdent, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, type Db, type Queryable } from '../db/types';
import { initTables } from '../ddl/initTables';
import { todayAsOf } from '../model/asOf';
import { getColumn } from '../model/ssdModel';
import {
  CHILDREN_PER_TEAM,
  FAKE_COLUMNS,
  FAKE_TABLES,
  MAX_CHILDREN,
  PROBLEM_KINDS,
  dateColumns,
  dayOf,
  defaultShares,
  generateChild,
  generateTeam,
  isoOf,
  windowInDays,
  type CohortContext,
  type FakeTable,
  type ProblemKind,
  type ProblemShares,
} from './cohort';

export const FAKE_RUNS_TABLE = 'ssd_workbench_fake_runs';
export const DEFAULT_SEED = '1';
export const DEFAULT_CHUNK = 1000;
declare const SSD_VERSION: string | undefined;

export interface FakeProgress {
  done: number;
  total: number;
}

export interface FakeOptions {
  /** Schema of the SSD tables (default: the connection's default schema). */
  schema?: string;
  children: number;
  /** Same seed + as-of + options give identical rows (default "1"). */
  seed?: string | number;
  /** YYYY-MM-DD; every date is relative to it (default: today, UTC). */
  asOf?: string;
  /** Share of eligible children given each deliberate problem (default 0.01 each). */
  shares?: Partial<ProblemShares>;
  /** Delete rows of the 19 tables that this tool did not write, instead of refusing. */
  replace?: boolean;
  /** Children per transaction (default 1000). */
  chunkSize?: number;
  onProgress?: (p: FakeProgress) => void;
  signal?: AbortSignal;
}

export interface TableFingerprint {
  rows: number;
  min: string | null;
  max: string | null;
}

export interface FakeCohortCounts {
  children: number;
  unborn: number;
  lookedAfter: number;
  careLeavers: number;
  uasc: number;
  openReferral: number;
  cpPlan: number;
  adopted: number;
  professionals: number;
}

export interface FakeSummary {
  schema: string;
  runNo: number;
  runId: string;
  seed: string;
  asOf: string;
  window: { start: string; end: string };
  children: number;
  createdTables: string[];
  /** Rows deleted before writing, per table (our earlier fake rows, or others' with replace). */
  deleted: Record<string, number>;
  rows: Record<FakeTable, number>;
  totalRows: number;
  shares: ProblemShares;
  /** Children given each problem. */
  problems: Record<ProblemKind, number>;
  cohort: FakeCohortCounts;
  seconds: number;
}

export class FakeRefusedError extends Error {
  constructor(
    readonly schema: string,
    readonly foreign: { table: string; rows: number }[],
  ) {
    super(
      `refusing to write fake data into schema ${schema}: ${foreign.map((f) => `${f.table} (${f.rows} rows)`).join(', ')} ` +
        `hold rows that ssd fake did not create. Use another schema, or pass --replace to delete the rows of the 19 builder tables first.`,
    );
    this.name = 'FakeRefusedError';
  }
}

export function resolveShares(shares: Partial<ProblemShares> | undefined): ProblemShares {
  const out = defaultShares();
  for (const k of PROBLEM_KINDS) {
    const v = shares?.[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`problem share ${k} must be a number from 0 to 1`);
    out[k] = v;
  }
  return out;
}

const keyOf = (t: FakeTable) => FAKE_COLUMNS[t][0];

async function fingerprintOf(q: Queryable, schema: string, table: FakeTable): Promise<TableFingerprint> {
  const k = quoteIdent(q.dialect, keyOf(table));
  const [row] = await q.query<{ n: number | string; lo: string | null; hi: string | null }>(`SELECT COUNT(*) AS n, MIN(${k}) AS lo, MAX(${k}) AS hi FROM ${qualify(q.dialect, schema, table)}`);
  return { rows: Number(row?.n ?? 0), min: row?.lo ?? null, max: row?.hi ?? null };
}

interface MarkerRun {
  run_no: number;
  status: string;
  tables_json: string;
}

async function latestRun(q: Queryable, schema: string): Promise<{ runNo: number; tables: Partial<Record<FakeTable, TableFingerprint>> } | null> {
  const { top, limit } = limitClause(q.dialect, 1);
  const rows = await q.query<MarkerRun>(`SELECT ${top}run_no, status, tables_json FROM ${qualify(q.dialect, schema, FAKE_RUNS_TABLE)} ORDER BY run_no DESC${limit}`);
  const r = rows[0];
  if (!r) return null;
  let tables: Partial<Record<FakeTable, TableFingerprint>> = {};
  try {
    tables = JSON.parse(r.tables_json) as typeof tables;
  } catch {
    tables = {};
  }
  return { runNo: Number(r.run_no), tables };
}

/** Which of the 19 tables hold rows this tool did not write (per the marker table). */
export async function foreignTables(q: Queryable, schema: string): Promise<{ table: FakeTable; rows: number }[]> {
  const last = await latestRun(q, schema);
  const out: { table: FakeTable; rows: number }[] = [];
  for (const table of FAKE_TABLES) {
    const fp = await fingerprintOf(q, schema, table);
    if (fp.rows === 0) continue;
    const rec = last?.tables[table];
    const ours = rec !== undefined && rec.rows === fp.rows && rec.min === fp.min && rec.max === fp.max;
    if (!ours) out.push({ table, rows: fp.rows });
  }
  return out;
}

async function ensureMarkerTable(db: Db, schema: string): Promise<void> {
  const sql = fillIdentifiers(loadSql(db.dialect, 'fake_runs_create'), {
    table: qualify(db.dialect, schema, FAKE_RUNS_TABLE),
    objectName: `${validateIdentifier(schema, 'schema')}.${FAKE_RUNS_TABLE}`,
  });
  await db.execute(sql);
}

export interface Chunk {
  rows: Record<FakeTable, unknown[][]>;
  problems: Record<ProblemKind, number>;
  cohort: FakeCohortCounts;
}

export function generateChunk(from: number, to: number, ctx: CohortContext, datesWithTime: boolean): Chunk {
  const rows = Object.fromEntries(FAKE_TABLES.map((t) => [t, [] as unknown[][]])) as unknown as Record<FakeTable, unknown[][]>;
  const problems = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0])) as Record<ProblemKind, number>;
  const cohort: FakeCohortCounts = { children: 0, unborn: 0, lookedAfter: 0, careLeavers: 0, uasc: 0, openReferral: 0, cpPlan: 0, adopted: 0, professionals: 0 };
  const push = (table: FakeTable, rec: Record<string, unknown>) => {
    const cols = FAKE_COLUMNS[table];
    const row = new Array(cols.length);
    for (let i = 0; i < cols.length; i++) row[i] = rec[cols[i]!] ?? null;
    rows[table].push(row);
  };
  for (let k = from; k < to; k++) {
    if (k % CHILDREN_PER_TEAM === 0) {
      for (const p of generateTeam(k / CHILDREN_PER_TEAM, ctx)) {
        push('ssd_professionals', p);
        cohort.professionals++;
      }
    }
    const child = generateChild(k, ctx);
    for (const t of FAKE_TABLES) for (const rec of child.tables[t]) push(t, rec);
    for (const p of child.problems) problems[p]++;
    const f = child.facts;
    cohort.children++;
    if (f.profile === 'unborn') cohort.unborn++;
    if (f.profile === 'lookedAfter') cohort.lookedAfter++;
    if (f.profile === 'careLeaver') cohort.careLeavers++;
    if (f.uasc) cohort.uasc++;
    if (f.openReferral) cohort.openReferral++;
    if (f.cpPlan) cohort.cpPlan++;
    if (f.adopted) cohort.adopted++;
  }
  // SQL Server reads 'YYYY-MM-DD' into DATETIME by the session's DATEFORMAT (British: y-d-m),
  // Oracle by the session's NLS format ('YYYY-MM-DD"T"HH24:MI:SS', set by the driver); the ISO
  // form with a time is read the same way everywhere.
  if (datesWithTime) {
    for (const t of FAKE_TABLES) {
      const idx = dateColumns(t).map((c) => (FAKE_COLUMNS[t] as readonly string[]).indexOf(c));
      for (const row of rows[t]) for (const i of idx) if (typeof row[i] === 'string') row[i] = `${row[i]}T00:00:00`;
    }
  }
  return { rows, problems, cohort };
}

/** Fill the 19 builder tables with `children` fake children. */
export async function generateFakeSsd(db: Db, options: FakeOptions): Promise<FakeSummary> {
  const t0 = performance.now();
  const schema = validateIdentifier(options.schema ?? db.defaultSchema, 'schema');
  const children = options.children;
  if (!Number.isInteger(children) || children < 1 || children > MAX_CHILDREN) throw new Error(`children must be a whole number from 1 to ${MAX_CHILDREN}`);
  const seed = String(options.seed ?? DEFAULT_SEED);
  if (seed.length === 0 || seed.length > 100) throw new Error('seed must be 1 to 100 characters');
  const asOf = options.asOf ?? todayAsOf();
  const asOfDay = dayOf(asOf);
  if (isoOf(asOfDay) !== asOf) throw new Error(`as-of must be a real date written YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const shares = resolveShares(options.shares);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error('chunkSize must be a positive whole number');
  for (const t of FAKE_TABLES) for (const c of FAKE_COLUMNS[t]) getColumn(t, c);
  const signal = options.signal;
  const checkCancel = () => {
    if (signal?.aborted) throw new CancelledError();
  };

  // Tables, marker, ownership.
  const init = await initTables(db, { schema, tables: 'api' });
  await ensureMarkerTable(db, schema);
  checkCancel();
  const foreign = await foreignTables(db, schema);
  if (foreign.length && !options.replace) throw new FakeRefusedError(schema, foreign);

  const marker = qualify(db.dialect, schema, FAKE_RUNS_TABLE);
  const runId = randomUUID();
  const state = Object.fromEntries(FAKE_TABLES.map((t) => [t, { rows: 0, min: null, max: null } as TableFingerprint])) as Record<FakeTable, TableFingerprint>;
  const deleted: Record<string, number> = {};
  const optionsJson = JSON.stringify({ seed, asOf, children, shares, replace: !!options.replace });
  let runNo = 0;
  await db.transaction(async (tx) => {
    for (const table of FAKE_TABLES) {
      const n = (await fingerprintOf(tx, schema, table)).rows;
      if (n === 0) continue;
      const target = qualify(db.dialect, schema, table);
      await tx.execute(DIALECTS[db.dialect].emptyTable(target));
      deleted[table] = n;
    }
    const [m] = await tx.query<{ n: number | string | null }>(`SELECT MAX(run_no) AS n FROM ${marker}`);
    runNo = Number(m?.n ?? 0) + 1;
    await tx.execute(
      `INSERT INTO ${marker} (run_no, run_id, status, seed, as_of, children, children_written, options_json, tables_json, tool_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [runNo, runId, 'running', seed, asOf, children, 0, optionsJson, JSON.stringify(state), typeof SSD_VERSION === 'string' ? SSD_VERSION : 'dev'],
    );
  });

  // Column types (PostgreSQL) from the real tables, read once.
  const pgTypes = new Map<FakeTable, string[]>();
  if (db.dialect === 'postgres') for (const t of FAKE_TABLES) pgTypes.set(t, await pgColumnTypes(db, schema, t, FAKE_COLUMNS[t]));

  const ctx: CohortContext = { seed, asOfDay, shares };
  const problems = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0])) as Record<ProblemKind, number>;
  const cohort: FakeCohortCounts = { children: 0, unborn: 0, lookedAfter: 0, careLeavers: 0, uasc: 0, openReferral: 0, cpPlan: 0, adopted: 0, professionals: 0 };

  const write = async (chunk: Chunk, done: number, tablesJson: string) => {
    await db.transaction(async (tx) => {
      for (const t of FAKE_TABLES) {
        const rows = chunk.rows[t];
        if (rows.length) await bulkCopy(tx, db.dialect, schema, t, FAKE_COLUMNS[t], rows, { pgTypes: pgTypes.get(t) });
      }
      await tx.execute(`UPDATE ${marker} SET children_written = $1, tables_json = $2 WHERE run_no = $3`, [done, tablesJson, runNo]);
    });
    options.onProgress?.({ done, total: children });
  };

  // Generate chunk i+1 while chunk i is being written.
  let pending: Promise<void> | null = null;
  try {
    for (let from = 0; from < children; from += chunkSize) {
      checkCancel();
      const to = Math.min(children, from + chunkSize);
      const chunk = generateChunk(from, to, ctx, DIALECTS[db.dialect].bindDatesWithTime);
      for (const t of FAKE_TABLES) {
        const s = state[t];
        for (const row of chunk.rows[t]) {
          const key = row[0] as string;
          if (s.min === null || key < s.min) s.min = key;
          if (s.max === null || key > s.max) s.max = key;
        }
        s.rows += chunk.rows[t].length;
      }
      for (const k of PROBLEM_KINDS) problems[k] += chunk.problems[k];
      for (const k of Object.keys(cohort) as (keyof FakeCohortCounts)[]) cohort[k] += chunk.cohort[k];
      const tablesJson = JSON.stringify(state);
      if (pending) await pending;
      checkCancel();
      pending = write(chunk, to, tablesJson);
    }
    if (pending) await pending;
    pending = null;
  } catch (e) {
    if (pending) await pending.catch(() => undefined);
    await db.execute(`UPDATE ${marker} SET status = $1 WHERE run_no = $2`, [e instanceof CancelledError ? 'cancelled' : 'failed', runNo]).catch(() => undefined);
    throw e;
  }
  await db.execute(`UPDATE ${marker} SET status = $1, finished_at = CURRENT_TIMESTAMP WHERE run_no = $2`, ['complete', runNo]);

  const rows = Object.fromEntries(FAKE_TABLES.map((t) => [t, state[t].rows])) as Record<FakeTable, number>;
  const win = windowInDays(asOfDay);
  return {
    schema,
    runNo,
    runId,
    seed,
    asOf,
    window: { start: isoOf(win.start), end: isoOf(win.end) },
    children,
    createdTables: init.created,
    deleted,
    rows,
    totalRows: Object.values(rows).reduce((a, b) => a + b, 0),
    shares,
    problems,
    cohort,
    seconds: (performance.now() - t0) / 1000,
  };
}
