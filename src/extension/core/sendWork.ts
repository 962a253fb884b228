// The pure decisions of "SSD: Send Staged Payloads" (src/extension/commands/sendCommands.ts): the
// modes offered, what a mode needs that is missing or wrong, what it refuses (the demo database,
// the _anon table for live), the confirmation naming the endpoint, LA code, table and records, the
// secrets' storage scope, progress, and the report. No 'vscode'. The sending itself is the core's
// runSend (src/send); nothing here holds a payload or a secret value in a message.
import type { SendMode, SendReport } from '../../send/runSend';
import { checkLaCode, checkUrl } from '../../send/runSend';
import { childrenUrl } from '../../send/apiClient';
import type { StagingTableName } from '../../model/ssdModel';
import type { ReportBar, ReportData, ReportFinding } from './report';
import type { ReportContext } from './dataWork';
import { fakeSendRefusal, type FakeDataMark } from '../../fake/fakeMarker';

export interface SendModeItem {
  mode: SendMode;
  label: string;
  description: string;
  detail: string;
}

/** The modes in the order offered: the dry run first (the default: nothing leaves the machine). */
export const SEND_MODE_ITEMS: readonly SendModeItem[] = [
  { mode: 'dry-run', label: 'Dry run (nothing leaves this machine)', description: 'default', detail: 'Build and check every request exactly as it would be sent; send nothing, write nothing.' },
  {
    mode: 'test',
    label: 'DfE test endpoint',
    description: 'sends',
    detail: 'Send the queued records to the endpoint in ssd.api.baseUrl (the DfE test receiver) and record every answer in the staging table.',
  },
  {
    mode: 'live',
    label: 'DfE live endpoint',
    description: "sends children's data to the DfE",
    detail: 'Send the queued records to the live DfE receiver in ssd.api.baseUrl. Asks again every run, naming the endpoint, LA code, table and records.',
  },
];

/** The API settings a test or live send reads ('' when not set). */
export interface ApiSettings {
  baseUrl: string;
  tokenUrl: string;
  scope: string;
  clientId: string;
  laCode: string | undefined;
}

/** The settings (by id) a mode needs and that are not set. A dry run needs none. */
export function missingApiSettings(mode: SendMode, s: ApiSettings): string[] {
  if (mode === 'dry-run') return [];
  const need: Array<[string, string | undefined]> = [
    ['ssd.api.baseUrl', s.baseUrl],
    ['ssd.api.tokenUrl', s.tokenUrl],
    ['ssd.api.scope', s.scope],
    ['ssd.api.clientId', s.clientId],
    ['ssd.laCode', s.laCode],
  ];
  return need.filter(([, v]) => !v || !v.trim()).map(([k]) => k);
}

/**
 * What is wrong with set API settings (URLs not https (http only to localhost), carrying a user or
 * password, an LA code that is not 3 digits), by the core's own checks; undefined when fine.
 */
export function apiSettingsProblem(mode: SendMode, s: ApiSettings): string | undefined {
  if (mode === 'dry-run') return undefined;
  const checks: Array<() => unknown> = [() => checkUrl(s.baseUrl, 'ssd.api.baseUrl'), () => checkUrl(s.tokenUrl, 'ssd.api.tokenUrl'), () => checkLaCode(s.laCode)];
  for (const c of checks) {
    try {
      c();
    } catch (e) {
      return e instanceof Error ? e.message.replace('(e.g. --la-code 845)', '(the ssd.laCode setting, e.g. 845)') : String(e);
    }
  }
  return undefined;
}

/** Why this send is refused before anything else (undefined: allowed). The core refuses live _anon
 *  and fake data too (the same rule: fakeSendRefusal, src/fake/fakeMarker.ts). */
export function sendRefusal(mode: SendMode, target: { isDemo: boolean; table: StagingTableName; fake?: FakeDataMark }): string | undefined {
  if (mode === 'dry-run') return undefined;
  if (target.isDemo) {
    return 'The demo database holds fake children made on this machine: it is never sent to a DfE endpoint. Use a dry run here, or connect to your own database.';
  }
  const fake = fakeSendRefusal(mode, target.fake);
  if (fake) return fake.charAt(0).toUpperCase() + fake.slice(1).replace('Use --mode dry-run', 'Use a dry run');
  if (mode === 'live' && target.table !== 'ssd_api_data_staging') {
    return `The live endpoint takes only ssd_api_data_staging: ${target.table} holds fake or scrambled data, which must never reach the live receiver.`;
  }
  return undefined;
}

/**
 * Refused before any endpoint is offered: when neither the test nor the live endpoint may take
 * this target (the demo, a schema holding fake data), the reason, shown up front with only a dry
 * run offered. Undefined when some endpoint may be chosen (each choice is still checked).
 */
export function sendRefusedUpFront(target: { isDemo: boolean; table: StagingTableName; fake?: FakeDataMark }): string | undefined {
  const test = sendRefusal('test', target);
  return test && sendRefusal('live', target) ? test.replace('to the DfE test endpoint', 'to a DfE endpoint') : undefined;
}

/** The host of an endpoint URL (what the confirmation names). */
export function endpointHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface SendConfirmation {
  message: string;
  detail: string;
  /** The button that sends. */
  button: string;
  /** More purges than the safety stop allows: the button also allows them, for this run only. */
  allowMassDeletion: boolean;
}

export interface ConfirmFacts {
  mode: 'test' | 'live';
  baseUrl: string;
  laCode: string;
  connection: string;
  schema: string;
  table: string;
  /** Records queued (the dry run just made); invalid ones among them are held back. */
  queued: number;
  invalid: number;
  partial: boolean;
  /** Deletion payloads (purges at the DfE) among them, and the most a run sends without an explicit choice. */
  deletions?: number;
  deletionLimit?: number;
}

const fmt = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** The modal question asked before a test or live send, every run. */
export function sendConfirmation(f: ConfirmFacts): SendConfirmation {
  const host = endpointHost(f.baseUrl);
  const where = f.mode === 'live' ? 'the LIVE DfE endpoint' : 'the DfE test endpoint';
  const toSend = f.queued - f.invalid;
  const deletions = f.deletions ?? 0;
  const mass = f.deletionLimit !== undefined && deletions > f.deletionLimit;
  return {
    message:
      `Send ${plural(toSend, 'record')} from ${f.schema}.${f.table} to ${where} ${host} as LA ${f.laCode}?` +
      (mass ? ` ${fmt(deletions)} of them ask the DfE to purge a child: more than the ${fmt(f.deletionLimit!)} a run sends without asking.` : ''),
    detail: [
      `Endpoint: POST ${childrenUrl(f.baseUrl, f.laCode)}`,
      `Database: ${f.connection}, table ${f.schema}.${f.table}.`,
      `${plural(f.queued, 'record')} queued${f.invalid ? `; ${plural(f.invalid, 'fails', 'fail')} the DfE schema and will be marked Withheld, not sent` : ''}.`,
      `Purges: ${fmt(deletions)} deletion payload${deletions === 1 ? '' : 's'} (children deleted at the DfE)${mass ? ` — more than the safety stop's ${fmt(f.deletionLimit!)}: check the last Build Staging (a half-refreshed source table marks children Deleted) before sending them` : ''}.`,
      f.partial ? 'Partial payloads for updated children (ssd.payload.partial); new children and deletions in full.' : 'Full payloads.',
      f.mode === 'live' ? "This sends children's data to the DfE. Every answer is recorded in the staging table." : 'Every answer is recorded in the staging table (Sent or Error).',
    ].join('\n'),
    button: mass ? `Send to ${f.mode === 'live' ? 'Live' : 'Test'}, Including ${fmt(deletions)} Purges` : f.mode === 'live' ? 'Send to Live' : 'Send to Test',
    allowMassDeletion: mass,
  };
}

/** The SecretStorage keys (fixed, so "Forget API Secrets" can delete them without listing). */
export const SECRET_KEYS = { clientSecret: 'ssd.api.clientSecret', supplierKey: 'ssd.api.supplierKey' } as const;
export type SecretKind = keyof typeof SECRET_KEYS;

/**
 * What a stored secret is for: the client secret for this client id at this token endpoint, the
 * supplier key for this API host. A stored secret is used only when its scope matches the current
 * settings, so changing a URL (e.g. a workspace pointing ssd.api.baseUrl elsewhere) asks again
 * instead of handing a stored secret to another host.
 */
export function secretScope(kind: SecretKind, s: ApiSettings): string {
  const origin = (u: string) => {
    try {
      return new URL(u).origin;
    } catch {
      return u;
    }
  };
  return kind === 'clientSecret' ? `${s.clientId.trim()} ${origin(s.tokenUrl)}` : origin(s.baseUrl);
}

/** A secret as stored: the value with its scope. */
export function packSecret(scope: string, value: string): string {
  return JSON.stringify({ for: scope, value });
}

/** The stored value when it was stored for this scope; undefined otherwise (or unreadable). */
export function unpackSecret(stored: string | undefined, scope: string): string | undefined {
  if (!stored) return undefined;
  try {
    const v = JSON.parse(stored) as { for?: unknown; value?: unknown };
    return v.for === scope && typeof v.value === 'string' && v.value ? v.value : undefined;
  } catch {
    return undefined;
  }
}

/** Percent done of a send: the send job's (src/send/job.ts). */
export { sendPercent } from '../../send/job';

const MODE_NAME: Record<SendMode, string> = { 'dry-run': 'dry run', test: 'test endpoint', live: 'live endpoint' };

/** One-line outcome for the notification. */
export function sendSummary(r: SendReport): string {
  const where = `${r.schema}.${r.table}`;
  if (r.mode === 'dry-run') {
    return `Dry run of ${where}: ${plural(r.queued, 'record')} queued in ${plural(r.batches, 'request')}${r.invalid ? `, ${fmt(r.invalid)} invalid (would not be sent)` : ''}. Nothing was sent.`;
  }
  const parts = [`${fmt(r.sent)} sent`];
  if (r.rejected) parts.push(`${fmt(r.rejected)} rejected`);
  if (r.failed) parts.push(`${fmt(r.failed)} failed`);
  if (r.invalid) parts.push(`${fmt(r.invalid)} invalid`);
  if (r.notSent) parts.push(`${fmt(r.notSent)} not sent`);
  if (r.notRead) parts.push(`${fmt(r.notRead)} not read (still queued)`);
  const stop = r.stopped ? (r.stopped.kind === 'cancelled' ? ' Cancelled.' : ` Stopped: ${r.stopped.reason}`) : '';
  return `Sent ${where} to the ${MODE_NAME[r.mode]}: ${plural(r.queued, 'record')} queued, ${parts.join(', ')}.${stop}`;
}

const ISSUE_LIMIT = 200;

/** The report after a send or dry run: counts, requests and retries, outcomes chart, records not sent. */
export function sendReportData(r: SendReport, tableByStatus: readonly ReportBar[], ctx: ReportContext): ReportData {
  const dry = r.mode === 'dry-run';
  const findings: ReportFinding[] = r.issues.slice(0, ISSUE_LIMIT).map((i) => ({
    severity: i.outcome === 'failed' ? 'warning' : 'error',
    where: `child ${i.personId}`,
    rule: i.outcome,
    message: i.reason,
  }));
  const more = Math.max(0, r.issues.length - ISSUE_LIMIT);
  const outcome: ReportData['outcome'] =
    r.stopped?.kind === 'cancelled' ? 'cancelled' : r.stopped && r.sent === 0 && r.queued > 0 && !dry ? 'failed' : r.stopped || r.invalid || r.rejected || r.failed || r.notSent ? 'problems' : 'done';
  const counts: ReportBar[] = dry
    ? [
        { label: 'Records queued', value: r.queued },
        { label: 'Full payloads', value: r.full },
        { label: 'Partial payloads', value: r.partialPayloads },
        { label: 'Deletion payloads', value: r.deletions },
        { label: `Safety stop: deletion payloads a run sends without asking`, value: r.deletionLimit },
        { label: 'Invalid (would not be sent)', value: r.invalid },
        { label: 'Requests (would be made)', value: r.batches },
        { label: 'Largest request (KiB)', value: Math.ceil(r.largestRequestBytes / 1024) },
      ]
    : [
        { label: 'Records queued', value: r.queued },
        { label: 'Sent', value: r.sent },
        { label: 'Rejected by the API', value: r.rejected },
        { label: 'Failed (retried next run)', value: r.failed },
        { label: 'Invalid (not sent)', value: r.invalid },
        { label: 'Not sent (the run stopped)', value: r.notSent },
        { label: 'Not read (still queued: the run stopped first)', value: r.notRead ?? 0 },
        { label: 'Deletion payloads (purges) queued', value: r.deletionsQueued },
        { label: 'Restaged while sending (stay queued)', value: r.supersededWhileSending },
        { label: 'Batches', value: r.batches },
        { label: 'HTTP requests', value: r.requests },
        { label: 'Retries', value: r.retries },
        { label: 'Token requests', value: r.tokenRequests },
      ];
  const outcomeBars: ReportBar[] = dry
    ? [
        { label: 'would be sent', value: r.queued - r.invalid },
        { label: 'invalid', value: r.invalid },
      ]
    : [
        { label: 'sent', value: r.sent },
        { label: 'rejected', value: r.rejected },
        { label: 'failed', value: r.failed },
        { label: 'invalid', value: r.invalid },
        { label: 'not sent', value: r.notSent },
      ];
  return {
    title: dry ? `Send (dry run): ${r.table}` : `Send to the ${MODE_NAME[r.mode]}: ${r.table}`,
    outcome,
    target: ctx.target,
    schema: r.schema,
    startedAt: ctx.startedAt,
    elapsedMs: ctx.elapsedMs,
    counts,
    timings: [{ label: dry ? 'Read, build and check' : 'Send and record', value: r.seconds * 1000 }],
    charts: [{ title: 'Records by outcome', bars: outcomeBars }, ...(tableByStatus.length ? [{ title: `${r.table} by submission_status`, bars: [...tableByStatus] }] : [])],
    findings,
    ...(more ? { moreFindings: more } : {}),
    notes: [
      dry ? 'Dry run: nothing left this machine and nothing was written.' : `Mode ${r.mode}: every answer was recorded in ${r.schema}.${r.table}.`,
      ...(r.url ? [`Endpoint: POST ${r.url}`] : []),
      r.partial ? 'Partial payloads for updated children; new children and deletions in full.' : 'Full payloads.',
      `Up to ${r.batchSize} children per request.`,
      ...(r.stopped
        ? [r.stopped.kind === 'cancelled' ? 'Cancelled: the request in flight was abandoned; answers already received are recorded, the rest stay queued.' : `Stopped early: ${r.stopped.reason}`]
        : []),
    ],
  };
}

/** Staging rows by submission_status (for the report's chart after a send). */
export function statusBars(counts: readonly { submissionStatus: string | null; count: number }[]): ReportBar[] {
  const m = new Map<string, number>();
  for (const c of counts) {
    const k = c.submissionStatus ?? '(none)';
    m.set(k, (m.get(k) ?? 0) + c.count);
  }
  return [...m].map(([label, value]) => ({ label, value }));
}
