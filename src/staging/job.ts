// The staging job: which staging table (the _anon one on fake data), one staging run
// (stageFromSsd) with progress over the people read, and the safety stop's question. The one flow
// `ssd stage` and the editor's "SSD: Build Staging" both call; each gives it what differs as
// options (the model is src/script/job.ts):
// - `onProgress` receives people read (of those present at the start) and children staged;
//   `step` runs each attempt under the caller's progress and cancellation (the editor: a
//   notification with Cancel per attempt; the CLI: inline, with `signal`, Ctrl+C);
// - `confirm` answers the safety stop ("stage anyway, this run only?"): yes runs again with
//   allowMassChange; no (or no `confirm`) ends the job with nothing written. Without `confirm` the
//   stop is thrown as a SafetyStopError, as stageFromSsd does;
// - `stage` runs one attempt (default stageFromSsd here; the editor: in the embedded database's
//   worker thread, src/extension/core/offThread.ts).
import type { Db } from '../db/types';
import { defaultStagingTable, readFakeMark } from '../fake/fakeMarker';
import type { StagingTableName } from '../model/ssdModel';
import type { StageFromSsdOptions, StageFromSsdReport, StageProgress } from './runStage';
import { SafetyStopError } from './safetyStop';

export type { StageProgress } from './runStage';

/** The attempts of a job: the first, and the one after a "stage anyway" answer. */
export type StageJobAttempt = 'stage' | 'stage-anyway';

/** What an attempt is given by the caller's `step`: its cancellation and a progress line. */
export interface StageJobStep {
  signal?: AbortSignal;
  /** Percent done (undefined when unknown) and what is happening (counts only). */
  report(percent: number | undefined, message?: string): void;
}

/** The question the job asks: the safety stop fired and nothing was written. */
export type StageJobQuestion = { kind: 'safety-stop'; stop: SafetyStopError };

export interface StageJobOptions extends Omit<StageFromSsdOptions, 'table' | 'onProgress' | 'onStageProgress' | 'signal'> {
  /** Staging table (default: ssd_api_data_staging_anon on fake data made by ssd fake or ssd demo, else ssd_api_data_staging). */
  table?: StagingTableName;
  /** People read, of those present at the start, and children staged, after each committed batch. */
  onProgress?(p: StageProgress): void;
  /** The table chosen, before anything is read (the CLI's "waiting for a lock on …" line). */
  onStart?(info: { table: StagingTableName; stagingSchema: string }): void;
  /** Asked when the safety stop fires: true runs again with allowMassChange (this run only). */
  confirm?(question: StageJobQuestion): boolean | Promise<boolean>;
  /** Runs each attempt under the caller's progress and cancellation (default: inline, with `signal`). */
  step?<T>(attempt: StageJobAttempt, work: (s: StageJobStep) => Promise<T>): Promise<T>;
  /** Cancellation when there is no `step`. */
  signal?: AbortSignal;
  /** Runs one attempt (default: stageFromSsd in this thread). */
  stage?(db: Db, options: StageFromSsdOptions, onProgress: (p: StageProgress) => void): Promise<StageFromSsdReport>;
}

export type StageJobOutcome =
  | { staged: true; report: StageFromSsdReport; table: StagingTableName; /** The stop a "yes" went past, if any. */ stop?: SafetyStopError }
  | { staged: false; table: StagingTableName; declined: 'safety-stop'; stop: SafetyStopError };

/** Percent done of a staging run (people read of those present at the start), 0–99 until it ends. */
export function stagePercent(p: StageProgress): number | undefined {
  if (!p.totalPersons) return undefined;
  return Math.min(99, (p.persons / p.totalPersons) * 100);
}

const fmt = (v: number) => v.toLocaleString('en-GB');

/** The progress line of a staging run (counts only). */
export function stageProgressText(p: StageProgress): string {
  return `${fmt(p.persons)}${p.totalPersons ? ` of ${fmt(p.totalPersons)}` : ''} people read, ${fmt(p.children)} children staged`;
}

/** Choose the table, stage, ask about a safety stop, stage again if told to: see the header. */
export async function runStageJob(db: Db, options: StageJobOptions): Promise<StageJobOutcome> {
  const { table: tableOpt, onProgress, onStart, confirm, step: stepOpt, signal, stage: stageOpt, ...stageOptions } = options;
  const ssdSchema = stageOptions.schema ?? db.defaultSchema;
  const table = tableOpt ?? defaultStagingTable(await readFakeMark(db, ssdSchema));
  onStart?.({ table, stagingSchema: stageOptions.stagingSchema ?? ssdSchema });
  // Loaded on first use (the builder, the DfE schema validator and staging): the editor imports this module at activation.
  const stage = stageOpt ?? (async (d: Db, o: StageFromSsdOptions, p: (x: StageProgress) => void) => (await import('./runStage')).stageFromSsd(d, { ...o, onStageProgress: p }));
  const step = stepOpt ?? (<T>(_a: StageJobAttempt, work: (s: StageJobStep) => Promise<T>) => work({ ...(signal ? { signal } : {}), report: () => undefined }));
  const attempt = (which: StageJobAttempt, allowMassChange: boolean) =>
    step(which, async (s) => {
      try {
        return await stage(db, { ...stageOptions, table, allowMassChange, ...(s.signal ? { signal: s.signal } : {}) }, (p) => {
          onProgress?.(p);
          s.report(stagePercent(p), stageProgressText(p));
        });
      } catch (e) {
        // Only a stop the caller can answer is handed back; without `confirm` it is thrown.
        if (confirm && e instanceof SafetyStopError) return e;
        throw e;
      }
    });

  const first = await attempt('stage', !!stageOptions.allowMassChange);
  if (!(first instanceof SafetyStopError)) return { staged: true, report: first, table };
  if (!(await confirm!({ kind: 'safety-stop', stop: first }))) return { staged: false, table, declined: 'safety-stop', stop: first };
  const second = await attempt('stage-anyway', true);
  if (second instanceof SafetyStopError) throw second; // allowMassChange never stops; kept for the type
  return { staged: true, report: second, table, stop: first };
}
