// Build every child's payload from the SSD tables and stage them: the one staging job behind
// `ssd stage`, the demo's staging step, the editor's "SSD: Build Staging" (through the worker) and
// the benchmark; progress (onProgress, onStageProgress), cancellation (signal) and the safety stop
// are options. Each run is logged in
// ssd_api_stage_runs (stageRuns.ts) and passes the safety stop (safetyStop.ts) before anything is
// written to the staging table.
import { ConnectionError, type Db } from '../db/types';
import { withTableLock } from '../send/tableLock';
import { assertBuilderTables, emptyStats, streamChildPayloads, type BuildStats } from '../payload/buildPayloads';
import { markStagedFromFake, readFakeMark } from '../fake/fakeMarker';
import { reportingWindow } from '../model/asOf';
import { tableExists } from '../ddl/initTables';
import { countRows } from '../browse/inventory';
import { stageChildren, type StageOptions, type StageReport } from './stageChildren';
import {
  builderTableCounts,
  defaultThresholds,
  deletionLimit,
  findingLines,
  formatDeletionLimit,
  isStopped,
  planMassChanges,
  SafetyStopError,
  stagingSafetyCounts,
  tableFindings,
  type SafetyFindings,
  type SafetyThresholds,
} from './safetyStop';
import { ensureStageRunsTable, finishStageRun, lastCompletedRun, startStageRun, type StageRunEnd } from './stageRuns';
import { assertPorted } from '../db/dialect';

export interface StageFromSsdOptions extends Omit<StageOptions, 'schema' | 'beforeWrite'> {
  /** Schema holding the SSD tables (default: the connection's default schema). */
  schema?: string;
  /** Who holds the staging table's lock, for the message another stager or sender sees (default 'ssd stage'). */
  lockPurpose?: string;
  /** Schema of the staging table (default: the SSD schema). */
  stagingSchema?: string;
  /** As-of date YYYY-MM-DD (required: the caller decides "today"). */
  asOf: string;
  /** Rows the builder fetches per round trip. */
  readBatchSize?: number;
  /** Go on even when the safety stop would fire (this run only). */
  allowMassChange?: boolean;
  /** Safety stop thresholds (default max(25, 2%) and 70%). */
  thresholds?: SafetyThresholds;
  /** How the stop message says to go on: the CLI's option (default) or the editor's button. */
  stopMessageFor?: 'cli' | 'editor';
  /** The builder's counters while it streams (the editor's progress). */
  stats?: BuildStats;
  /**
   * Progress over the people read, for a percentage (the editor's Build Staging): ssd_person is
   * counted first, then each committed batch reports people read, that count and children staged.
   */
  onStageProgress?: (p: StageProgress) => void;
}

export interface StageProgress {
  /** People read from ssd_person so far. */
  persons: number;
  /** People in ssd_person when the run started (0 when the table is missing). */
  totalPersons: number;
  /** Children staged (committed) so far. */
  children: number;
}

export interface StageFromSsdReport extends StageReport {
  asOf: string;
  /** The reporting window the cohort and date rules used (src/model/asOf.ts). */
  window?: { start: string; end: string };
  /** People read from ssd_person. */
  persons: number;
  /** ssd_person rows whose person id is NULL: no payload can be built or staged for them. */
  personsWithoutId: number;
  /** People not in the cohort, by gate. */
  excludedGateA: number;
  excludedGateB: number;
  /** Id of this run in ssd_api_stage_runs. */
  runId?: string;
  /** What the safety stop measured (stopped is false here; with allowMassChange it may list findings). */
  safety?: SafetyFindings;
}

function outcomeOf(e: unknown): StageRunEnd['outcome'] {
  if (e instanceof ConnectionError) return 'connection-lost';
  if (e instanceof Error && e.name === 'CancelledError') return 'cancelled';
  return 'failed';
}

export async function stageFromSsd(db: Db, options: StageFromSsdOptions): Promise<StageFromSsdReport> {
  assertPorted(db.dialect, 'stage');
  const schema = options.schema ?? db.defaultSchema;
  if (options.onStageProgress) options = await withStageProgress(db, schema, options, options.onStageProgress);
  // One stager or sender per staging table at a time (tableLock.ts), taken before anything is read:
  // a second run is told who holds the table; the safety stop's planning pass runs under the lock too.
  return withTableLock(db, { schema: options.stagingSchema ?? schema, table: options.table ?? 'ssd_api_data_staging', purpose: options.lockPurpose ?? 'ssd stage' }, () =>
    stageUnderLock(db, options, schema),
  );
}

async function stageUnderLock(db: Db, options: StageFromSsdOptions, schema: string): Promise<StageFromSsdReport> {
  // Nothing is created (no staging table) before the SSD tables are found.
  await assertBuilderTables(db, schema);
  // Payloads of fake children staged into another schema carry the fake mark there too, so that
  // schema's send refuses them as well (src/fake/fakeMarker.ts).
  if (options.stagingSchema && (await readFakeMark(db, schema))) await markStagedFromFake(db, schema, options.stagingSchema, options.asOf);
  const stats = options.stats ?? emptyStats();
  const thresholds = options.thresholds ?? defaultThresholds();
  // Schema validation is deferred to staging, which skips it for an unchanged child whose row
  // proves it passed the same validation (validation_stamp, issue 17).
  // The builder's read starts now (PostgreSQL: on its reader thread's own connection), so the
  // server runs its query (the sort alone takes about two seconds at 100k children) while the
  // prologue below (staging table, safety counts, run log) does its statements (issue 17).
  const early = new AbortController();
  const children = startEarly(
    streamChildPayloads(db, {
      schema,
      asOf: options.asOf,
      batchSize: options.readBatchSize,
      signal: options.signal ? AbortSignal.any([options.signal, early.signal]) : early.signal,
      stats,
      validate: 'deferred',
    }),
    db.kind === 'postgres',
    early,
  );
  let run: { runs: string; runId: string } | undefined;
  let safety: SafetyFindings | undefined;
  let planned: { purges: number; episodeLosses: number } | undefined;

  const beforeWrite: StageOptions['beforeWrite'] = async (info, marks) => {
    const runs = await ensureStageRunsTable(db, info.schema);
    const stagingTable = `${info.schema}.${info.table}`;
    const counts = await builderTableCounts(db, schema);
    const { live, acknowledged } = await stagingSafetyCounts(db, info);
    const baseline = await lastCompletedRun(db, info.schema, stagingTable, schema);
    const runId = await startStageRun(db, runs, {
      asOf: options.asOf,
      stagingTable,
      ssdSchema: schema,
      sourceRowCounts: counts,
      liveRows: live,
      acknowledgedRows: acknowledged,
      massChangeAllowed: !!options.allowMassChange,
    });
    run = { runs, runId };
    const limit = deletionLimit(thresholds.maxDeletions, acknowledged);
    const f: Omit<SafetyFindings, 'stopped'> = {
      stagingTable,
      tables: tableFindings(counts, baseline?.sourceRowCounts ?? null, live, thresholds.minTableShare),
      baselineStartedAt: baseline?.startedAt ?? null,
      liveRows: live,
      acknowledged,
      limit,
      maxDeletions: formatDeletionLimit(thresholds.maxDeletions),
      minTableShare: thresholds.minTableShare,
      purges: null,
      episodeLosses: null,
    };
    // The planning pass can only fire when more children are acknowledged than the limit.
    if (!options.allowMassChange && acknowledged > limit) {
      const plan = planMassChanges(db, info, streamChildPayloads(db, { schema, asOf: options.asOf, batchSize: options.readBatchSize, signal: options.signal, validate: false }), {
        batchSize: options.batchSize,
        signal: options.signal,
        hashIgnoresEntityIds: options.hashIgnoresEntityIds,
        marks,
      });
      planned = await plan;
      f.purges = planned.purges;
      f.episodeLosses = planned.episodeLosses;
    }
    safety = { ...f, stopped: isStopped(f) };
    if (safety.stopped && !options.allowMassChange) {
      const stop = new SafetyStopError(safety, options.stopMessageFor ?? 'cli');
      await finishStageRun(db, runs, runId, {
        outcome: 'stopped',
        stopReason: findingLines(safety).join('; '),
        plannedPurges: f.purges,
        plannedEpisodeLosses: f.episodeLosses,
      });
      throw stop;
    }
  };

  let report: StageReport;
  try {
    report = await stageChildren(db, children, { ...options, schema: options.stagingSchema ?? schema, beforeWrite });
  } catch (e) {
    // Stopped before the children were read (the safety stop, a failed prologue): the read started early ends here.
    await children.stop();
    if (run && !(e instanceof SafetyStopError)) {
      const message = e instanceof Error ? e.message : String(e);
      await finishStageRun(db, run.runs, run.runId, { outcome: outcomeOf(e), stopReason: message.slice(0, 2000), plannedPurges: planned?.purges, plannedEpisodeLosses: planned?.episodeLosses }).catch(
        () => undefined,
      );
    }
    throw e;
  }
  const r = run!;
  await finishStageRun(db, r.runs, r.runId, {
    outcome: 'completed',
    cohort: report.cohort,
    new: report.new,
    updated: report.updated,
    unchanged: report.unchanged,
    deleted: report.deleted,
    deletionPayloads: report.deletionPayloads,
    invalid: report.invalid + report.notStaged,
    plannedPurges: planned?.purges,
    plannedEpisodeLosses: planned?.episodeLosses,
  });
  return {
    ...report,
    asOf: options.asOf,
    window: windowOf(options.asOf),
    persons: stats.persons,
    personsWithoutId: stats.personsWithoutId,
    excludedGateA: stats.excludedGateA,
    excludedGateB: stats.excludedGateB,
    runId: r.runId,
    safety: safety!,
  };
}

/**
 * An async iterable whose first item is asked for at once when `now` (else on first use, as
 * usual). Read it once. `stop()` ends a read that was started but not taken (the run failed or
 * stopped first): `abort` is the signal the source was given, so a first item still being waited
 * for ends at once instead of when the server's first rows arrive.
 */
export function startEarly<T>(source: AsyncIterable<T>, now: boolean, abort: AbortController): AsyncIterable<T> & { stop(): Promise<void> } {
  const it = source[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<T>> | undefined;
  if (now) {
    first = it.next();
    first.catch(() => undefined); // seen where it is taken, or dropped by stop()
  }
  let taken = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      if (taken) throw new Error('startEarly: the source can be read once');
      taken = true;
      return {
        next: () => {
          const f = first;
          first = undefined;
          return f ?? it.next();
        },
        return: async (value?: unknown) => (it.return ? it.return(value) : { done: true, value: value as T }),
      };
    },
    async stop() {
      if (taken || !first) return;
      abort.abort();
      await first.catch(() => undefined);
      first = undefined;
      await it.return?.(undefined).catch(() => undefined);
    },
  };
}

/** Options that report StageProgress through the builder's counters (shared with stageUnderLock). */
async function withStageProgress(db: Db, schema: string, options: StageFromSsdOptions, report: (p: StageProgress) => void): Promise<StageFromSsdOptions> {
  const totalPersons = (await tableExists(db, schema, 'ssd_person')) ? await countRows(db, schema, 'ssd_person') : 0;
  const stats = options.stats ?? emptyStats();
  return {
    ...options,
    stats,
    onProgress: (p) => {
      options.onProgress?.(p);
      report({ persons: stats.persons, totalPersons, children: p.children });
    },
  };
}

function windowOf(asOf: string): { start: string; end: string } {
  const w = reportingWindow(asOf);
  return { start: w.start, end: w.end };
}
