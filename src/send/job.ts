// The send job: fake data refused first, an optional dry run, the questions a test or live send
// raises, then the run. The one flow `ssd send` and the editor's "SSD: Send Staged Payloads" both
// call (the model is src/script/job.ts); each gives it what differs as options:
// - `dryRunFirst` (the editor): a dry run counts and checks the queue before any question, the
//   questions carry its numbers, and the send is limited to what it counted;
// - `confirm` answers the questions, in order: 'send' (every test or live run: the editor's modal
//   naming the endpoint; `--yes-send-live` for live on the CLI; a yes after a dry run that found
//   more purges than the safety stop allows also allows them, this run only) and 'skip-phases'
//   (live data to the live endpoint before phases 1-3 of connection testing have succeeded:
//   `--yes-skip-phases`). Without `confirm` every answer is no: nothing that needs a yes is sent;
// - `step` runs each phase ('dry-run', 'send') under the caller's progress and cancellation (the
//   editor: a notification with Cancel per phase; the CLI: inline, with `signal`, Ctrl+C);
// - `endpoint` may be a function, called only once every question was answered yes (the editor
//   asks for the secrets while answering 'send').
// Cancellation: a dry run cancelled before a send throws CancelledError (nothing is asked or sent);
// a cancelled send returns its report (stopped: cancelled; answers already received are recorded).
import { CancelledError, type Db } from '../db/types';
import { assertNotFakeSend } from '../fake/fakeMarker';
import { stagingCounts } from '../browse/inventory';
import { readPhases, skippedBeforeLive, type Phase, type PhasesReport } from '../phases/phases';
import type { ApiEndpoint } from './apiClient';
import { runSend, type SendOptions, type SendReport } from './runSend';

export type SendJobPhase = 'dry-run' | 'send';

/** What a phase is given by the caller's `step`: its cancellation and a progress line. */
export interface SendJobStep {
  signal?: AbortSignal;
  /** Percent done (undefined when unknown) and what is happening (counts only). */
  report(percent: number | undefined, message?: string): void;
}

export type SendJobQuestion =
  | {
      kind: 'send';
      mode: 'test' | 'live';
      /** With dryRunFirst: what is queued. */ dryRun?: SendReport;
      /** The dry run found more purges than the safety stop allows: a yes allows them. */ massDeletion: boolean;
    }
  | { kind: 'skip-phases'; phases: PhasesReport; skipped: Phase[] };

export interface SendJobProgress {
  phase: SendJobPhase;
  records: number;
  sent: number;
  /** Records expected (the dry run's: queued rows at most; the send's: what the dry run counted). */
  total?: number;
}

export interface SendJobOptions extends Omit<SendOptions, 'endpoint' | 'signal' | 'onProgress'> {
  /** Required for test and live: the endpoint with its secrets, or a function giving it (called after the questions). */
  endpoint?: ApiEndpoint | (() => ApiEndpoint | Promise<ApiEndpoint>);
  /** Run a dry run first and ask with its numbers (the editor). */
  dryRunFirst?: boolean;
  confirm?(question: SendJobQuestion): boolean | Promise<boolean>;
  step?<T>(phase: SendJobPhase, work: (s: SendJobStep) => Promise<T>): Promise<T>;
  /** Cancellation when there is no `step`. */
  signal?: AbortSignal;
  onProgress?(p: SendJobProgress): void;
}

export type SendJobOutcome =
  | { ran: true; report: SendReport; dryRun?: SendReport }
  /** With dryRunFirst: nothing to send (nothing queued, or every queued record fails the DfE schema). */
  | { ran: false; nothing: 'nothing-queued' | 'all-invalid'; dryRun: SendReport }
  | { ran: false; declined: SendJobQuestion['kind']; dryRun?: SendReport; skipped?: Phase[] };

/** Percent done of a send: records read of those expected, 0–99 until it ends. */
export function sendPercent(records: number, queued: number): number | undefined {
  if (!queued) return undefined;
  return Math.min(99, (records / queued) * 100);
}

const fmt = (n: number) => n.toLocaleString('en-GB');

/** Rows whose status says Pending or Error (the queue is at most these): the dry run's percentages. */
async function queuedUpperBound(db: Db, schema: string, table: string): Promise<number> {
  if (table !== 'ssd_api_data_staging' && table !== 'ssd_api_data_staging_anon') return 0;
  const counts = await stagingCounts(db, schema, table).catch(() => []);
  return counts.filter((c) => ['pending', 'error'].includes((c.submissionStatus ?? '').trim().toLowerCase())).reduce((a, c) => a + c.count, 0);
}

/** Refuse fake data, dry-run, ask, send: see the header. */
export async function runSendJob(db: Db, options: SendJobOptions): Promise<SendJobOutcome> {
  const { endpoint: endpointOpt, dryRunFirst, confirm, step: stepOpt, signal, onProgress, ...sendOptions } = options;
  const { mode } = sendOptions;
  const schema = sendOptions.schema ?? db.defaultSchema;
  const table = sendOptions.table ?? 'ssd_api_data_staging';
  const step = stepOpt ?? (<T>(_p: SendJobPhase, work: (s: SendJobStep) => Promise<T>) => work({ ...(signal ? { signal } : {}), report: () => undefined }));
  const ask = async (q: SendJobQuestion) => (confirm ? confirm(q) : false);
  // Fake data is refused first, with its own reason (src/fake/fakeMarker.ts), before the phases.
  await assertNotFakeSend(db, mode, schema, { allowFakeToTest: !!sendOptions.allowFakeToTest });

  const run = (phase: SendJobPhase, o: SendOptions, total: number | undefined) =>
    step(phase, async (s) => {
      const report = await runSend(db, {
        ...o,
        ...(s.signal ? { signal: s.signal } : {}),
        onProgress: (p) => {
          onProgress?.({ phase, ...p, ...(total !== undefined ? { total } : {}) });
          s.report(
            sendPercent(p.records, total ?? 0),
            phase === 'dry-run'
              ? `${fmt(p.records)} records read and checked`
              : total !== undefined
                ? `${fmt(p.records)} of ${fmt(total)} records, ${fmt(p.sent)} sent`
                : `${fmt(p.records)} records read, ${fmt(p.sent)} sent`,
          );
        },
      });
      // A dry run cancelled before a send counted only part of the queue: nothing to ask about.
      if (phase === 'dry-run' && mode !== 'dry-run' && report.stopped?.kind === 'cancelled') throw new CancelledError();
      return report;
    });

  let dryRun: SendReport | undefined;
  if (mode === 'dry-run' || dryRunFirst) {
    const { lockPurpose: _l, allowMassDeletion: _a, ...dryOptions } = sendOptions;
    const upTo = dryRunFirst ? await queuedUpperBound(db, schema, table) : undefined;
    dryRun = await run('dry-run', { ...dryOptions, mode: 'dry-run', ...(endpointOpt && typeof endpointOpt !== 'function' ? { endpoint: endpointOpt } : {}) }, upTo);
    if (mode === 'dry-run') return { ran: true, report: dryRun };
    if (dryRun.queued === 0) return { ran: false, nothing: 'nothing-queued', dryRun };
    if (dryRun.queued === dryRun.invalid) return { ran: false, nothing: 'all-invalid', dryRun };
  }

  const massDeletion = !!dryRun && dryRun.deletionsQueued > dryRun.deletionLimit;
  if (!(await ask({ kind: 'send', mode, ...(dryRun ? { dryRun } : {}), massDeletion }))) return { ran: false, declined: 'send', ...(dryRun ? { dryRun } : {}) };
  if (mode === 'live' && table === 'ssd_api_data_staging') {
    const phases = await readPhases([db]);
    const skipped = skippedBeforeLive(phases);
    if (skipped.length && !(await ask({ kind: 'skip-phases', phases, skipped }))) return { ran: false, declined: 'skip-phases', skipped, ...(dryRun ? { dryRun } : {}) };
  }
  const endpoint = typeof endpointOpt === 'function' ? await endpointOpt() : endpointOpt;
  const report = await run(
    'send',
    {
      ...sendOptions,
      ...(endpoint ? { endpoint } : {}),
      ...(dryRun ? { limit: Math.min(dryRun.queued, sendOptions.limit ?? Infinity) } : {}),
      allowMassDeletion: !!sendOptions.allowMassDeletion || massDeletion,
    },
    dryRun?.queued,
  );
  return { ran: true, report, ...(dryRun ? { dryRun } : {}) };
}
