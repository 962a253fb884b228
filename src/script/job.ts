// The run-script job: pre-flight and the structure drift check (read only), the questions they
// raise, then the planned batches in one dedicated session. The one flow the CLI (`ssd run`) and
// the editor ("Run as SSD Script") both call; each gives it what differs as options:
// - `step` runs each phase ('checks', then 'run') under the caller's progress and cancellation
//   (the editor: a notification with Cancel per phase; the CLI: inline, Ctrl+C for the run);
// - `confirm` answers the questions (pre-flight failed or could not run, drift found); without it
//   every answer is yes;
// - `onChecks` shows the checks' results before any question; `onEvent` the runner's events.
import type { Db } from '../db/types';
import { withSession } from '../db/session';
import { checkDrift, type DriftReport } from './drift';
import { runPreflight, type PreflightReport } from './preflight';
import { runPlan, type RunEvent, type RunOptions, type RunResult } from './runner';
import type { ScriptPlan } from './types';

export type ScriptJobPhase = 'checks' | 'run';

/** What a phase is given by the caller's `step`: its cancellation and a progress line. */
export interface JobStep {
  signal?: AbortSignal;
  /** Percent done (0–100) and what is happening (table names and counts only). */
  report(percent: number, message?: string): void;
}

/** The questions the checks raise before anything is written. */
export type ScriptJobQuestion = { kind: 'preflight-failed'; preflight: PreflightReport } | { kind: 'preflight-error'; error: string } | { kind: 'drift'; drift: DriftReport };

export interface ScriptChecks {
  preflight?: PreflightReport;
  /** Pre-flight threw (only with checkErrors 'report'). */
  preflightError?: string;
  drift?: DriftReport;
  /** The drift check threw (only with checkErrors 'report'). */
  driftError?: string;
}

export interface ScriptJobOptions extends Omit<RunOptions, 'signal'> {
  plan: ScriptPlan;
  /** The script's text (pre-flight scans its features, drift its CREATE TABLEs). */
  text: string;
  /** Run pre-flight first (default true). */
  preflight?: boolean;
  /** Compare the script's CREATE TABLEs with the live tables first (default true). */
  drift?: boolean;
  /** A check that throws: 'throw' (default) ends the job; 'report' records it in ScriptChecks and goes on. */
  checkErrors?: 'throw' | 'report';
  /** Stop before the drift check and the run when pre-flight fails (the CLI without --force). */
  stopWhenPreflightFails?: boolean;
  /** The checks' results, before any question is asked. */
  onChecks?(checks: ScriptChecks): void | Promise<void>;
  /** Asked for each question the checks raise, in order; false: nothing is run. */
  confirm?(question: ScriptJobQuestion): boolean | Promise<boolean>;
  /** Runs each phase under the caller's progress and cancellation (default: inline, with `signal`). */
  step?<T>(phase: ScriptJobPhase, work: (s: JobStep) => Promise<T>): Promise<T>;
  /** Cancellation when there is no `step`. */
  signal?: AbortSignal;
}

export type ScriptJobOutcome =
  { ran: true; checks: ScriptChecks; result: RunResult } | { ran: false; checks: ScriptChecks; stoppedBy: 'preflight' } | { ran: false; checks: ScriptChecks; declined: ScriptJobQuestion['kind'] };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Check, ask, run: see the header. Throws what the checks throw (checkErrors 'throw') and what the run throws (cancellation aside: a cancelled run returns its result). */
export async function runScriptJob(db: Db, options: ScriptJobOptions): Promise<ScriptJobOutcome> {
  const { plan, text } = options;
  const schemaOpt = options.schema ? { schema: options.schema } : {};
  const step = options.step ?? (<T>(_phase: ScriptJobPhase, work: (s: JobStep) => Promise<T>) => work({ ...(options.signal ? { signal: options.signal } : {}), report: () => undefined }));
  const wantPreflight = options.preflight !== false;
  const wantDrift = options.drift !== false;
  const reportErrors = options.checkErrors === 'report';

  let checks: ScriptChecks = {};
  let stopped = false;
  if (wantPreflight || wantDrift) {
    checks = await step('checks', async (s) => {
      const c: ScriptChecks = {};
      if (wantPreflight) {
        s.report(5, 'server, schemas and permissions');
        try {
          c.preflight = await runPreflight(db, { script: { text, file: plan.file, dialect: plan.dialect, plan }, ...schemaOpt });
        } catch (e) {
          if (!reportErrors || s.signal?.aborted) throw e;
          c.preflightError = message(e);
        }
        if (c.preflight && !c.preflight.ok && options.stopWhenPreflightFails) {
          stopped = true;
          return c;
        }
      }
      if (wantDrift) {
        s.report(50, 'structure drift');
        try {
          c.drift = await checkDrift(db, text, plan.dialect, { file: plan.file, ...schemaOpt });
        } catch (e) {
          if (!reportErrors || s.signal?.aborted) throw e;
          c.driftError = message(e);
        }
      }
      s.report(100);
      return c;
    });
  }
  await options.onChecks?.(checks);
  if (stopped) return { ran: false, checks, stoppedBy: 'preflight' };

  const questions: ScriptJobQuestion[] = [];
  if (checks.preflight && !checks.preflight.ok) questions.push({ kind: 'preflight-failed', preflight: checks.preflight });
  else if (checks.preflightError !== undefined) questions.push({ kind: 'preflight-error', error: checks.preflightError });
  if (checks.drift?.drift) questions.push({ kind: 'drift', drift: checks.drift });
  if (options.confirm) {
    for (const q of questions) if (!(await options.confirm(q))) return { ran: false, checks, declined: q.kind };
  }

  const skip = new Set([...(options.skipBatches ?? []), ...(checks.preflight?.skipBatches ?? [])]);
  const result = await step('run', async (s) => {
    let lastPercent = 0;
    let batchAt = '';
    const {
      plan: _plan,
      text: _text,
      preflight: _p,
      drift: _d,
      checkErrors: _c,
      stopWhenPreflightFails: _s,
      onChecks: _o,
      confirm: _q,
      step: _step,
      signal: _signal,
      skipBatches: _skip,
      onEvent,
      ...runOptions
    } = options;
    // One dedicated session for the whole script: SET options, #temp tables and USE carry over.
    return withSession(db, (session) =>
      runPlan(session, plan, {
        ...runOptions,
        ...(s.signal ? { signal: s.signal } : {}),
        ...(skip.size ? { skipBatches: skip } : {}),
        onEvent: (e) => {
          onEvent?.(e);
          const p = progressForEvent(e);
          if (p && p.percent >= 0) {
            s.report(p.percent, p.message);
            lastPercent = p.percent;
            batchAt = e.type === 'batch-start' ? `batch ${e.n} of ${e.total}` : batchAt;
          } else if (p) s.report(lastPercent, batchAt ? `${batchAt} · ${p.message}` : p.message);
        },
      }),
    );
  });
  return { ran: true, checks, result };
}

/** Progress bar update for a runner event: percent done and a short message (table names and counts only). */
export function progressForEvent(e: RunEvent): { percent: number; message: string } | undefined {
  switch (e.type) {
    case 'start':
      return { percent: 0, message: `${e.total} batch${e.total === 1 ? '' : 'es'}` };
    case 'batch-start':
      return { percent: ((e.n - 1) / Math.max(1, e.total)) * 100, message: `batch ${e.n} of ${e.total} · ${e.batch.label}${e.batch.repeat > 1 ? ` (run ${e.iteration} of ${e.batch.repeat})` : ''}` };
    case 'table':
      return e.state === 'building' ? { percent: -1, message: `building ${e.name}` } : undefined;
    case 'batch-end':
      return { percent: (e.n / Math.max(1, e.total)) * 100, message: `batch ${e.n} of ${e.total} ${e.outcome.status}` };
    default:
      return undefined;
  }
}
