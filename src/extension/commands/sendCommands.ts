// "SSD: Send Staged Payloads" (ssd.send): the staging table's queue to the DfE children's social
// care API through the sender core (src/send/runSend.ts), and "SSD: Forget API Secrets". A dry
// run (the default mode) always comes first: it counts and checks what is queued, sends nothing and
// writes nothing. Test and live then need the ssd.api.* settings and the LA code, the client secret
// and supplier key (SecretStorage, asked with hidden input boxes, kept only if the user agrees),
// and a modal confirmation naming the endpoint, LA code, table and records, every run. The demo
// database is never sent anywhere; the _anon table never goes live. Decisions live in
// core/sendWork.ts; nothing here logs a payload or a secret.
import * as vscode from 'vscode';
import { redactSecrets } from '../../db/connectionSpec';
import type { StagingTableName } from '../../model/ssdModel';
import type { SendMode, SendReport } from '../../send/runSend';
import type { SendJobOutcome, SendJobPhase } from '../../send/job';
import type { ActiveConnection } from '../connections/connectionManager';
import { stagingTableFor } from '../core/dataWork';
import { readFakeMark } from '../../fake/fakeMarker';
import { stagingCounts } from '../../browse/inventory';
import {
  apiSettingsProblem,
  missingApiSettings,
  packSecret,
  SECRET_KEYS,
  secretScope,
  SEND_MODE_ITEMS,
  sendConfirmation,
  sendRefusal,
  sendRefusedUpFront,
  sendReportData,
  sendSummary,
  statusBars,
  unpackSecret,
  type ApiSettings,
  type SecretKind,
} from '../core/sendWork';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork, WorkCancelled } from '../work';
import { requireTrust } from './dataCommands';
import { liveSkipConfirmation } from '../core/phasesWork';
import { stagingTableOfNode } from '../core/treeModel';

const TITLE = 'SSD: Send Staged Payloads';
const fmt = (n: number) => n.toLocaleString('en-GB');
const SECRET_LABEL: Record<SecretKind, string> = { clientSecret: 'client secret', supplierKey: 'supplier key' };
const SECRET_PROMPT: Record<SecretKind, string> = {
  clientSecret: 'The OAuth2 client secret from the DfE API portal (a key of your OAuth application). Not shown; never put in settings or logs.',
  supplierKey: 'The supplier (subscription) key from the DfE API portal, sent in the SupplierKey header. Not shown; never put in settings or logs.',
};

export function registerSendCommands(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ssd.send', (arg?: unknown) => sendStaged(services, arg)),
    vscode.commands.registerCommand('ssd.clearApiSecrets', () => forgetSecrets(services)),
  );
}

/** The staging table of the tree node the command was run on, if any. */
function tableOf(arg: unknown): StagingTableName | undefined {
  return stagingTableOfNode(arg);
}

async function sendStaged(services: ExtensionServices, arg: unknown): Promise<void> {
  if (!(await requireTrust('Send Staged Payloads'))) return;
  const conn = await services.connections.require();
  if (!conn) return;
  // Fake data (ssd fake, the demo) stages into the _anon table and is never sent (src/fake/fakeMarker.ts).
  const fake = await readFakeMark(conn.db, conn.schema).catch(() => undefined);
  const table = tableOf(arg) ?? stagingTableFor(conn.isDemo || !!fake, vscode.workspace.getConfiguration('ssd').get<string>('staging.table', 'auto'));

  // The demo (or a schema of fake data) is never sent: say so before offering any endpoint.
  const upFront = sendRefusedUpFront({ isDemo: conn.isDemo, table, ...(fake ? { fake } : {}) });
  if (upFront) {
    const dryRun = 'Dry Run';
    const p = await vscode.window.showWarningMessage(`SSD: ${upFront}`, dryRun);
    if (p === dryRun) await sendMode(services, conn, table, 'dry-run', fake);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    SEND_MODE_ITEMS.map((i) => ({ label: i.label, description: i.description, detail: i.detail, mode: i.mode })),
    {
      title: TITLE,
      placeHolder: `Send the queue of ${conn.schema}.${table} (${conn.label}) where?`,
      ignoreFocusOut: true,
    },
  );
  if (!pick) return;
  await sendMode(services, conn, table, pick.mode, fake);
}

async function sendMode(services: ExtensionServices, conn: ActiveConnection, table: StagingTableName, mode: SendMode, fake: Awaited<ReturnType<typeof readFakeMark>> | undefined): Promise<void> {
  const settings = readSettings();
  const refusal = sendRefusal(mode, { isDemo: conn.isDemo, table, ...(fake ? { fake } : {}) });
  if (refusal) {
    void vscode.window.showErrorMessage(`SSD: ${refusal}`);
    return;
  }
  const api: ApiSettings = { baseUrl: settings.apiBaseUrl, tokenUrl: settings.apiTokenUrl, scope: settings.apiScope, clientId: settings.apiClientId, laCode: settings.laCode };
  const missing = missingApiSettings(mode, api);
  const openSettings = 'Open Settings';
  if (missing.length) {
    const p = await vscode.window.showWarningMessage(
      `SSD: sending to the DfE ${mode} endpoint needs the setting${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (from the DfE API portal; the secrets are asked for separately).`,
      openSettings,
    );
    if (p === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', missing.length === 1 ? missing[0] : 'ssd.api');
    return;
  }
  const problem = apiSettingsProblem(mode, api);
  if (problem) {
    const p = await vscode.window.showErrorMessage(`SSD: ${problem}`, openSettings);
    if (p === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'ssd.api');
    return;
  }

  // The send job (src/send/job.ts): the dry run first, whatever the mode (what is queued, every
  // record checked; nothing sent or written), then the secrets and the modal naming the endpoint,
  // the phases question for live, and the send, each phase under its own notification.
  const startedAt = new Date();
  let sendStarted = startedAt;
  let queuedLine: string | undefined;
  let secrets: { clientSecret: string; supplierKey: string } | undefined;
  let failed = undefined as { phase: SendJobPhase; cancelled: boolean; error?: string } | undefined;
  let outcome: SendJobOutcome | undefined;
  // The sender (and its payload validator) loads on first use, not at activation (issue 15, item 6).
  const { runSendJob } = await import('../../send/job');
  try {
    outcome = await runSendJob(conn.db, {
      mode,
      schema: conn.schema,
      table,
      partial: settings.partialPayloads,
      dryRunFirst: true,
      ...(api.baseUrl && api.laCode ? { baseUrl: api.baseUrl, laCode: api.laCode } : {}),
      logger: services.log,
      lockPurpose: "the editor's Send",
      endpoint: () => ({ baseUrl: api.baseUrl, tokenUrl: api.tokenUrl, laCode: api.laCode!, clientId: api.clientId, scope: api.scope, ...secrets! }),
      step: async (phase, work) => {
        if (phase === 'send') {
          if (queuedLine) services.log.info(queuedLine);
          sendStarted = new Date();
        }
        // No database handle for withWork: Cancel aborts the request in flight through the core's
        // signal (its records stay queued); answers already received are recorded. Another run
        // holding the table (ssd send, ssd stage, Build Staging) makes this one fail at once, naming it.
        const title = phase === 'dry-run' ? `SSD: Send: checking ${table}` : `SSD: Send to the ${mode} endpoint (${table})`;
        const r = await withWork(title, undefined, services.log, async (w) => {
          try {
            return await work(w);
          } catch (e) {
            if (secrets && e instanceof Error) e.message = redactSecrets(e.message, [secrets.clientSecret, secrets.supplierKey]);
            throw e;
          }
        });
        if (!r.ok) {
          failed = { phase, cancelled: r.cancelled, ...(r.error !== undefined ? { error: r.error } : {}) };
          throw new WorkCancelled();
        }
        return r.value;
      },
      confirm: async (q) => {
        if (q.kind === 'skip-phases') {
          const skip = liveSkipConfirmation(q.phases);
          return !skip || (await vscode.window.showWarningMessage(skip.message, { modal: true, detail: skip.detail }, skip.button)) === skip.button;
        }
        const dry = q.dryRun!;
        secrets = await apiSecrets(services, api);
        if (!secrets) return false;
        const c = sendConfirmation({
          mode: q.mode,
          baseUrl: api.baseUrl,
          laCode: api.laCode!,
          connection: `${conn.label} (${conn.description})`,
          schema: dry.schema,
          table,
          queued: dry.queued,
          invalid: dry.invalid,
          partial: settings.partialPayloads,
          deletions: dry.deletionsQueued,
          deletionLimit: dry.deletionLimit,
        });
        const ok = (await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.button)) === c.button;
        if (ok) queuedLine = `Send (${mode}): ${fmt(dry.queued)} records queued in ${dry.schema}.${table}`;
        return ok;
      },
    });
  } catch (e) {
    if (!failed) throw e;
  }
  if (failed) {
    if (failed.phase === 'dry-run') {
      if (failed.cancelled) void vscode.window.showInformationMessage('SSD: Send cancelled; nothing was sent.');
      else void vscode.window.showErrorMessage(`SSD: Send failed: ${failed.error ?? 'unknown error'}`);
      return;
    }
    services.tree.refresh();
    if (failed.cancelled) void vscode.window.showInformationMessage('SSD: Send cancelled. Answers already received are recorded; the rest stay queued.');
    else if (/ is in use by another run: /.test(failed.error ?? '')) void vscode.window.showErrorMessage(`SSD: Send refused: ${failed.error ?? ''}`);
    else void vscode.window.showErrorMessage(`SSD: Send failed: ${redactSecrets(failed.error ?? 'unknown error', secrets ? [secrets.clientSecret, secrets.supplierKey] : [])}`);
    return;
  }
  const out = outcome!;
  if (!out.ran && 'nothing' in out) {
    const why =
      out.nothing === 'nothing-queued'
        ? ` Nothing is queued in ${out.dryRun.schema}.${out.dryRun.table}: nothing to send (run SSD: Build Staging).`
        : ' None of the queued records passes the DfE schema: nothing to send.';
    await finish(services, conn, out.dryRun, startedAt, why);
    return;
  }
  if (!out.ran) {
    // The secrets' boxes were closed (nothing said) or a modal was answered no.
    if (out.declined === 'skip-phases' || secrets) void vscode.window.showInformationMessage('SSD: nothing was sent.');
    return;
  }
  if (mode === 'dry-run') {
    await finish(services, conn, out.report, startedAt, '');
    return;
  }
  services.tree.refresh();
  await finish(services, conn, out.report, sendStarted, '');
}

async function finish(services: ExtensionServices, conn: ActiveConnection, r: SendReport, startedAt: Date, extra: string): Promise<void> {
  services.log.info(
    `Send (${r.mode}) ${r.schema}.${r.table}: queued ${r.queued}, sent ${r.sent}, rejected ${r.rejected}, failed ${r.failed}, invalid ${r.invalid}, not sent ${r.notSent}, requests ${r.requests}, retries ${r.retries} in ${r.seconds.toFixed(1)} s${r.stopped ? `; stopped (${r.stopped.kind})` : ''}`,
  );
  const counts = await stagingCounts(conn.db, r.schema, r.table as StagingTableName).catch(() => []);
  const report = sendReportData(r, statusBars(counts), { target: `${conn.label}: ${conn.description}`, schema: r.schema, startedAt, elapsedMs: Date.now() - startedAt.getTime() });
  void services.reports.notify(report, `SSD: ${sendSummary(r)}${extra}`);
}

/**
 * The client secret and supplier key: from SecretStorage when stored for these settings (see
 * secretScope), else asked in hidden input boxes and stored only if the user says so.
 */
async function apiSecrets(services: ExtensionServices, api: ApiSettings): Promise<{ clientSecret: string; supplierKey: string } | undefined> {
  const store = services.context.secrets;
  const values: Partial<Record<SecretKind, string>> = {};
  const typed: SecretKind[] = [];
  for (const kind of ['clientSecret', 'supplierKey'] as const) {
    const have = unpackSecret(await store.get(SECRET_KEYS[kind]), secretScope(kind, api));
    if (have) {
      values[kind] = have;
      continue;
    }
    const v = await vscode.window.showInputBox({
      title: `${TITLE}: ${SECRET_LABEL[kind]}`,
      prompt: SECRET_PROMPT[kind],
      password: true,
      ignoreFocusOut: true,
      validateInput: (s) => (s.trim() ? undefined : `the ${SECRET_LABEL[kind]} is needed to send`),
    });
    if (!v || !v.trim()) return undefined;
    values[kind] = v.trim();
    typed.push(kind);
  }
  if (typed.length) {
    const remember = 'Remember';
    const once = 'Only This Time';
    const what = typed.map((k) => SECRET_LABEL[k]).join(' and ');
    const pick = await vscode.window.showInformationMessage(
      `Keep the ${what} in the editor's secret storage for the next send?`,
      {
        modal: true,
        detail: 'Kept encrypted by the editor (SecretStorage), for this client id and these endpoint hosts only; never in settings or logs. "SSD: Forget API Secrets" removes them.',
      },
      remember,
      once,
    );
    if (pick !== remember && pick !== once) return undefined;
    if (pick === remember) {
      for (const k of typed) await store.store(SECRET_KEYS[k], packSecret(secretScope(k, api), values[k]!));
      services.log.info(`Send: the ${what} stored in the editor's secret storage`);
    }
  }
  return { clientSecret: values.clientSecret!, supplierKey: values.supplierKey! };
}

async function forgetSecrets(services: ExtensionServices): Promise<void> {
  for (const key of Object.values(SECRET_KEYS)) await services.context.secrets.delete(key);
  services.log.info('Send: the stored API client secret and supplier key were removed');
  void vscode.window.showInformationMessage("SSD: the DfE API client secret and supplier key were removed from the editor's secret storage; the next send asks for them.");
}
