// The stage run log (`ssd_api_stage_runs`, beside the staging table): one row per stage run from the
// SSD tables, with the row count of each table the payload builder reads, the run's counts and how
// it ended. The last completed run is the baseline of the safety stop (safetyStop.ts); the editor
// lists the latest runs under the staging table. Counts and ids only, never a child's data.
import { randomUUID } from 'node:crypto';
import { nowExpression, qualify, tableExistsSql, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db } from '../db/types';

export const STAGE_RUNS_TABLE = 'ssd_api_stage_runs';

export type StageRunOutcome = 'running' | 'completed' | 'stopped' | 'failed' | 'cancelled' | 'connection-lost';

export interface StageRunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  asOf: string | null;
  /** schema.table of the staging table (unquoted). */
  stagingTable: string;
  ssdSchema: string;
  /** Rows of each table the builder reads, at the start of the run (null when not recorded). */
  sourceRowCounts: Record<string, number> | null;
  liveRows: number | null;
  acknowledgedRows: number | null;
  cohort: number | null;
  new: number | null;
  updated: number | null;
  unchanged: number | null;
  deleted: number | null;
  deletionPayloads: number | null;
  invalid: number | null;
  plannedPurges: number | null;
  plannedEpisodeLosses: number | null;
  massChangeAllowed: boolean;
  outcome: string;
  stopReason: string | null;
}

export interface StageRunEnd {
  outcome: Exclude<StageRunOutcome, 'running'>;
  stopReason?: string | null;
  cohort?: number | null;
  new?: number | null;
  updated?: number | null;
  unchanged?: number | null;
  deleted?: number | null;
  deletionPayloads?: number | null;
  invalid?: number | null;
  plannedPurges?: number | null;
  plannedEpisodeLosses?: number | null;
}

/** Quoted name of the run log in a schema. */
export function stageRunsTable(db: Db, schema: string): string {
  return qualify(db.dialect, validateIdentifier(schema, 'schema'), STAGE_RUNS_TABLE);
}

/** Create the run log in the staging schema when missing (sql/<dialect>/stage_runs_create.sql). */
export async function ensureStageRunsTable(db: Db, schema: string): Promise<string> {
  const runs = stageRunsTable(db, schema);
  await db.runBatch(fillIdentifiers(loadSql(db.dialect, 'stage_runs_create'), { runs, objectName: `${schema}.${STAGE_RUNS_TABLE}` }));
  return runs;
}

export interface StageRunStart {
  asOf: string;
  stagingTable: string;
  ssdSchema: string;
  sourceRowCounts: Record<string, number>;
  liveRows: number;
  acknowledgedRows: number;
  massChangeAllowed: boolean;
}

export async function startStageRun(db: Db, runs: string, start: StageRunStart): Promise<string> {
  const runId = randomUUID();
  await db.execute(fillIdentifiers(loadSql(db.dialect, 'stage_runs_insert'), { runs }), [
    runId,
    start.asOf,
    start.stagingTable,
    start.ssdSchema,
    JSON.stringify(start.sourceRowCounts),
    start.liveRows,
    start.acknowledgedRows,
    start.massChangeAllowed,
  ]);
  return runId;
}

export async function finishStageRun(db: Db, runs: string, runId: string, end: StageRunEnd): Promise<void> {
  const v = (x: number | null | undefined) => (x === undefined ? null : x);
  await db.execute(fillIdentifiers(loadSql(db.dialect, 'stage_runs_finish'), { runs, now: nowExpression(db.dialect) }), [
    runId,
    end.outcome,
    end.stopReason ?? null,
    v(end.cohort),
    v(end.new),
    v(end.updated),
    v(end.unchanged),
    v(end.deleted),
    v(end.deletionPayloads),
    v(end.invalid),
    v(end.plannedPurges),
    v(end.plannedEpisodeLosses),
  ]);
}

type DbRunRow = Record<string, unknown>;

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function counts(v: unknown): Record<string, number> | null {
  if (typeof v !== 'string' || !v) return null;
  try {
    const o: unknown = JSON.parse(v);
    if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(o as Record<string, unknown>)) if (typeof x === 'number') out[k] = x;
    return out;
  } catch {
    return null;
  }
}

function toRecord(r: DbRunRow): StageRunRecord {
  return {
    runId: String(r.run_id),
    startedAt: text(r.started_at) ?? '',
    finishedAt: text(r.finished_at),
    asOf: text(r.as_of)?.slice(0, 10) ?? null,
    stagingTable: String(r.staging_table),
    ssdSchema: String(r.ssd_schema),
    sourceRowCounts: counts(r.source_row_counts),
    liveRows: num(r.live_rows),
    acknowledgedRows: num(r.acknowledged_rows),
    cohort: num(r.cohort),
    new: num(r.new_rows),
    updated: num(r.updated_rows),
    unchanged: num(r.unchanged_rows),
    deleted: num(r.deleted_rows),
    deletionPayloads: num(r.deletion_payloads),
    invalid: num(r.invalid_rows),
    plannedPurges: num(r.planned_purges),
    plannedEpisodeLosses: num(r.planned_episode_losses),
    massChangeAllowed: r.mass_change_allowed === true || Number(r.mass_change_allowed) === 1,
    outcome: String(r.outcome),
    stopReason: text(r.stop_reason),
  };
}

/**
 * The latest runs into a staging table, newest first (empty when the log does not exist yet).
 * `stagingTable` is "schema.table" as recorded; `outcome` filters (e.g. 'completed').
 */
export async function recentStageRuns(db: Db, schema: string, stagingTable: string, options: { limit?: number; outcome?: string } = {}): Promise<StageRunRecord[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 10)));
  const exists = await db.query(tableExistsSql(db.dialect), [schema, STAGE_RUNS_TABLE]);
  if (!exists.length) return [];
  const rows = await db.query<DbRunRow>(fillIdentifiers(loadSql(db.dialect, 'stage_runs_recent'), { runs: stageRunsTable(db, schema), limit: String(limit) }), [stagingTable, options.outcome ?? null]);
  return rows.map(toRecord);
}

/** The last completed run into this staging table from this SSD schema: the safety stop's baseline. */
export async function lastCompletedRun(db: Db, schema: string, stagingTable: string, ssdSchema: string): Promise<StageRunRecord | undefined> {
  const runs = await recentStageRuns(db, schema, stagingTable, { limit: 20, outcome: 'completed' });
  return runs.find((r) => r.ssdSchema.toLowerCase() === ssdSchema.toLowerCase());
}
