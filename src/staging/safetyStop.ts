// The staging safety stop: a broken or half-done refresh of the SSD tables must never turn into
// deletion (purge) payloads for children who did not leave (docs/staging.md "Safety stops").
//
// Decided before anything is written, in two steps:
//  1. the row count of each table the payload builder reads, against the last completed stage run
//     (ssd_api_stage_runs): a table that is empty while the staging table has live rows, or that
//     has fewer than --min-table-share of the rows it had then;
//  2. a planning pass over the cohort (the builder's stream again, without validation or hashing;
//     the cohort's ids go to the run's work table, never to the staging table): how many
//     acknowledged children would be newly marked Deleted with a purge queued, and how many would
//     lose every social care episode. More than --max-deletions (default max(25, 2%) of the
//     acknowledged children) of either stops the run.
// The planning pass is skipped when it cannot fire (no more acknowledged children than the
// limit) and with --allow-mass-change. Memory stays flat: one batch of ids at a time.
import { randomUUID } from 'node:crypto';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, type Db } from '../db/types';
import { BUILDER_TABLES } from '../model/ssdModel';
import { DIALECTS, qualify, quoteIdent } from '../db/dialect';
import type { BuiltChild } from '../payload/types';
import { decideGone } from './lifecycle';
import { goneRowOf, markSeen, queryList, StagingSql, type GoneDbRow } from './stageChildren';
import type { StagingTableInfo } from './stagingTable';
import { openRunMarks, type RunMarks } from './runMarks';

export const DEFAULT_MAX_DELETIONS = '25,2%';
export const DEFAULT_MIN_TABLE_SHARE = '70%';
/** A table must also have lost at least this many rows to count as shrunk (tiny tables move a lot). */
export const MIN_ROWS_LOST = 25;
/** Without a baseline, only these tables are checked for being empty (every LA with children has rows in them). */
export const CORE_TABLES: readonly string[] = ['ssd_person', 'ssd_cin_episodes'];

/** The larger of an absolute count and a share of the acknowledged children. */
export interface DeletionLimit {
  count: number | null;
  /** Percent (0–100) of the acknowledged children. */
  percent: number | null;
}

export class ThresholdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

function parsePercentText(t: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t.trim());
  const p = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(p) || p < 0 || p > 100) throw new ThresholdError(`${what} must be a percentage from 0% to 100%, got ${JSON.stringify(t)}`);
  return p;
}

/** "25", "2%", "25,2%" or "max(25, 2%)": at most that many (the larger of the two when both are given). */
export function parseMaxDeletions(text: string): DeletionLimit {
  const what = '--max-deletions';
  const inner = text.trim().replace(/^max\((.*)\)$/i, '$1');
  const parts = inner
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!parts.length || parts.length > 2) throw new ThresholdError(`${what} must be a number (25), a percentage (2%) or both (25,2%), got ${JSON.stringify(text)}`);
  const out: DeletionLimit = { count: null, percent: null };
  for (const p of parts) {
    if (p.endsWith('%')) {
      if (out.percent !== null) throw new ThresholdError(`${what} has two percentages: ${JSON.stringify(text)}`);
      out.percent = parsePercentText(p, what);
    } else {
      if (!/^\d+$/.test(p) || out.count !== null) throw new ThresholdError(`${what} must be a number (25), a percentage (2%) or both (25,2%), got ${JSON.stringify(text)}`);
      out.count = Number(p);
    }
  }
  return out;
}

/** "70%" (or "70") → 0.7. */
export function parseMinTableShare(text: string): number {
  const t = text.trim();
  return parsePercentText(/%$/.test(t) ? t : `${t}%`, '--min-table-share') / 100;
}

export function formatDeletionLimit(l: DeletionLimit): string {
  if (l.count !== null && l.percent !== null) return `max(${l.count}, ${l.percent}%)`;
  return l.count !== null ? String(l.count) : `${l.percent}%`;
}

/** The most acknowledged children one run may purge (or strip of every episode). */
export function deletionLimit(l: DeletionLimit, acknowledged: number): number {
  const byShare = l.percent !== null ? Math.floor((l.percent / 100) * acknowledged) : 0;
  return Math.max(l.count ?? 0, byShare);
}

export interface SafetyThresholds {
  maxDeletions: DeletionLimit;
  /** 0–1. */
  minTableShare: number;
}

export function defaultThresholds(): SafetyThresholds {
  return { maxDeletions: parseMaxDeletions(DEFAULT_MAX_DELETIONS), minTableShare: parseMinTableShare(DEFAULT_MIN_TABLE_SHARE) };
}

export interface TableFinding {
  table: string;
  rows: number;
  /** Rows at the last completed run (null: no baseline). */
  baselineRows: number | null;
  kind: 'empty' | 'shrunk';
}

/** What the safety stop found; `stopped` when any of it is over a threshold. */
export interface SafetyFindings {
  stagingTable: string;
  tables: TableFinding[];
  /** Start of the baseline run (null: none). */
  baselineStartedAt: string | null;
  liveRows: number;
  acknowledged: number;
  limit: number;
  maxDeletions: string;
  minTableShare: number;
  /** Acknowledged children the run would newly mark Deleted with a purge (null: not planned). */
  purges: number | null;
  /** Acknowledged children who would lose every social care episode (null: not planned). */
  episodeLosses: number | null;
  stopped: boolean;
}

/** Pure: which builder tables look broken against the baseline. */
export function tableFindings(counts: Readonly<Record<string, number>>, baseline: Readonly<Record<string, number>> | null, liveRows: number, minTableShare: number): TableFinding[] {
  const out: TableFinding[] = [];
  for (const t of BUILDER_TABLES.map((x) => x.name)) {
    const rows = counts[t];
    if (rows === undefined) continue;
    const b = baseline && typeof baseline[t] === 'number' ? baseline[t]! : null;
    if (rows === 0 && liveRows > 0 && (b === null ? CORE_TABLES.includes(t) : b > 0)) {
      out.push({ table: t, rows, baselineRows: b, kind: 'empty' });
    } else if (b !== null && b > 0 && rows < minTableShare * b && b - rows >= MIN_ROWS_LOST) {
      out.push({ table: t, rows, baselineRows: b, kind: 'shrunk' });
    }
  }
  return out;
}

export function isStopped(f: Omit<SafetyFindings, 'stopped'>): boolean {
  return f.tables.length > 0 || (f.purges ?? 0) > f.limit || (f.episodeLosses ?? 0) > f.limit;
}

const n = (v: number) => v.toLocaleString('en-GB');

/** The lines naming the tables and numbers (no child's data: counts only). */
export function findingLines(f: SafetyFindings): string[] {
  const day = f.baselineStartedAt ? f.baselineStartedAt.slice(0, 10) : null;
  const lines: string[] = [];
  for (const t of f.tables) {
    if (t.kind === 'empty') {
      lines.push(
        t.baselineRows !== null
          ? `${t.table} has 0 rows (${n(t.baselineRows)} at the last stage on ${day})`
          : `${t.table} has 0 rows while ${f.stagingTable} has ${n(f.liveRows)} rows that are not Deleted`,
      );
    } else {
      const share = Math.floor((t.rows / t.baselineRows!) * 100);
      lines.push(`${t.table} has ${n(t.rows)} rows, ${share}% of the ${n(t.baselineRows!)} at the last stage on ${day} (the minimum is ${Math.round(f.minTableShare * 100)}%)`);
    }
  }
  if (f.purges !== null && f.purges > f.limit) {
    lines.push(
      `${n(f.purges)} of ${n(f.acknowledged)} acknowledged children would be purged (marked Deleted with a deletion payload queued; the limit is ${n(f.limit)}, --max-deletions ${f.maxDeletions})`,
    );
  }
  if (f.episodeLosses !== null && f.episodeLosses > f.limit) {
    lines.push(`${n(f.episodeLosses)} acknowledged children would lose every social care episode (the limit is ${n(f.limit)})`);
  }
  return lines;
}

/** The whole stop message; `how` says how to go on (the CLI's option or the editor's button). */
export function stopMessage(f: SafetyFindings, how: 'cli' | 'editor'): string {
  const goOn =
    how === 'cli'
      ? 'If these changes are real, run again with --allow-mass-change (for that run only); the limits are --max-deletions and --min-table-share.'
      : 'If these changes are real, choose "Stage Anyway" (for this run only); the limits are the settings ssd.staging.maxDeletions and ssd.staging.minTableShare.';
  return [
    `Staging stopped before writing anything: the SSD tables look broken or half-refreshed, and ${f.stagingTable} was not changed.`,
    ...findingLines(f).map((l) => `  ${l}`),
    "Check that the last refresh of the SSD tables finished (the ssd run summary or the scheduler's log), that no table was emptied or only partly reloaded, and that the schema and as-of date are right.",
    goOn,
  ].join('\n');
}

/** A safety stop: nothing was written to the staging table. */
export class SafetyStopError extends Error {
  constructor(
    readonly findings: SafetyFindings,
    how: 'cli' | 'editor' = 'cli',
  ) {
    super(stopMessage(findings, how));
    this.name = 'SafetyStopError';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'SafetyStopError';
  }
}

/** Row count of each table the payload builder reads. */
export async function builderTableCounts(db: Db, schema: string): Promise<Record<string, number>> {
  const parts = BUILDER_TABLES.map((t) => `SELECT '${t.name}' AS t, COUNT(*) AS n FROM ${qualify(db.dialect, schema, t.name)}`);
  const rows = await db.query<{ t: string; n: number | string }>(parts.join('\nUNION ALL\n'));
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r.t)] = Number(r.n);
  return out;
}

/** Live (not Deleted) and acknowledged live rows of the staging table. */
export async function stagingSafetyCounts(db: Db, info: StagingTableInfo): Promise<{ live: number; acknowledged: number }> {
  const rows = await db.query<{ live: number | string; acknowledged: number | string }>(fillIdentifiers(loadSql(db.dialect, 'staging_safety_counts'), { table: info.qualified }));
  return { live: Number(rows[0]?.live ?? 0), acknowledged: Number(rows[0]?.acknowledged ?? 0) };
}

function hasEpisodes(payload: Record<string, unknown> | null | undefined): boolean {
  const e = payload?.social_care_episodes;
  return Array.isArray(e) && e.length > 0;
}

function parse(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function countEpisodeLosses(db: Db, sql: StagingSql, personIds: string[]): Promise<number> {
  let lost = 0;
  const rows = await queryList<{ json_payload: string | null }>(db, (ids) => sql.fill('staging_select_ack_payloads', ids === undefined ? {} : { ids }), personIds);
  for (const r of rows) if (hasEpisodes(parse(r.json_payload))) lost++;
  return lost;
}

export interface PlanOptions {
  batchSize?: number;
  signal?: AbortSignal;
  partial?: boolean;
  hashIgnoresEntityIds?: boolean;
  /** The staging run's work table and session (stageChildren's); without it the pass opens its own. */
  marks?: RunMarks;
}

/**
 * The planning pass: what staging these children would do to the acknowledged rows, writing
 * nothing to the staging table (the ids go to the run's temporary work table under their own run
 * id, removed at the end). `children` must be the same cohort the real pass will stage.
 */
export async function planMassChanges(
  db: Db,
  info: StagingTableInfo,
  children: AsyncIterable<BuiltChild>,
  options: PlanOptions = {},
): Promise<{ cohort: number; purges: number; episodeLosses: number }> {
  if (!options.marks) {
    const marks = await openRunMarks(db, info.schema);
    try {
      return await planMassChanges(db, info, children, { ...options, marks });
    } finally {
      await marks.close();
    }
  }
  const marks = options.marks;
  // Everything naming the work table runs on its session; the children stream from the pool.
  const work = marks.db;
  const sql = new StagingSql(info, db.dialect, false, marks.table);
  const runId = randomUUID();
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  let cohort = 0;
  let episodeLosses = 0;
  let purges = 0;
  try {
    let ids: string[] = [];
    let withoutEpisodes: string[] = [];
    const flush = async () => {
      if (options.signal?.aborted) throw new CancelledError('staging cancelled before anything was written');
      if (ids.length) await markSeen(work, sql, runId, ids);
      if (withoutEpisodes.length) episodeLosses += await countEpisodeLosses(work, sql, withoutEpisodes);
      ids = [];
      withoutEpisodes = [];
    };
    for await (const c of children) {
      cohort++;
      ids.push(c.personId);
      if (!hasEpisodes(c.payload)) withoutEpisodes.push(c.personId);
      if (ids.length >= batchSize) await flush();
    }
    await flush();
    const analyze = DIALECTS[db.dialect].refreshStatistics(marks.table);
    if (analyze) await work.execute(analyze).catch(() => undefined);
    let lastId: number | string = 0;
    const pageSize = 500;
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError('staging cancelled before anything was written');
      const rows: GoneDbRow[] = await work.query<GoneDbRow>(sql.fill('staging_select_gone'), [runId, lastId, pageSize]);
      for (const r of rows) {
        const d = decideGone(goneRowOf(r), { partial: false, hashIgnoresEntityIds: options.hashIgnoresEntityIds ?? false });
        if (d.outcome === 'deleted-purge') purges++;
      }
      if (rows.length) lastId = rows[rows.length - 1]!.id;
      if (rows.length < pageSize) break;
    }
  } finally {
    await work.execute(`DELETE FROM ${marks.table} WHERE ${quoteIdent(db.dialect, 'run_id')} = $1`, [runId]).catch(() => undefined);
  }
  return { cohort, purges, episodeLosses };
}
