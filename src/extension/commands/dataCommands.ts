// Data commands: Open / Recreate Demo Database, Generate Fake Data (src/fake), Build Staging
// (src/staging) and Show Staging Row. Writing commands refuse in untrusted workspaces (the manifest
// hides them there too) and name the database and schema before they write anywhere but the demo.
import * as vscode from 'vscode';
import { redactSecrets } from '../../db/connectionSpec';
import type { FakeSummary } from '../../fake/generateFakeSsd';
import { STAGING_TABLE_NAMES, type StagingTableName } from '../../model/ssdModel';
import type { ActiveConnection } from '../connections/connectionManager';
import type { SafetyThresholds } from '../../staging/safetyStop';
import type { StageJobOutcome } from '../../staging/job';
import { fakeInBackground, stageInBackground } from '../core/offThread';
import { fakeReportData, fakeTargets, stagingReportData, stagingSummary, stagingTableFor, type FakeTarget } from '../core/dataWork';
import { readStagingRow, stagingCounts } from '../../browse/inventory';
import { readFakeMark } from '../../fake/fakeMarker';
import type { ExtensionDemoDatabase } from '../demoDatabase';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork, WorkCancelled } from '../work';
import { isNodeKind } from '../core/treeModel';

export const STAGING_ROW_SCHEME = 'ssd-staging';

const fmt = (n: number) => n.toLocaleString('en-GB');

/** Runtime half of the trust rule (the manifest's when-clauses are the other half). */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(`SSD: ${action} writes to a database, which is disabled in an untrusted workspace.`, manage);
  if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

export function registerDataCommands(services: ExtensionServices, demo: ExtensionDemoDatabase): void {
  const rows = new StagingRowDocuments(services);
  services.context.subscriptions.push(
    rows,
    vscode.commands.registerCommand('ssd.openDemo', () => openDemo(services)),
    vscode.commands.registerCommand('ssd.recreateDemo', () => recreateDemo(services, demo)),
    vscode.commands.registerCommand('ssd.generateFakeData', () => generateFakeData(services, demo)),
    vscode.commands.registerCommand('ssd.buildStaging', () => buildStaging(services)),
    vscode.commands.registerCommand('ssd.showStagingRow', (arg?: unknown) => rows.show(arg)),
  );
}

async function openDemo(services: ExtensionServices): Promise<void> {
  const conn = await services.connections.useDemo();
  if (!conn) return;
  await vscode.commands.executeCommand('ssd.tables.focus');
}

async function recreateDemo(services: ExtensionServices, demo: ExtensionDemoDatabase): Promise<void> {
  const { demoChildren } = readSettings();
  const ok = await vscode.window.showWarningMessage(
    `Delete the demo database and make a new one with ${fmt(demoChildren)} fake children?`,
    { modal: true, detail: 'The demo holds fake children only. Anything you staged or changed in it is lost. The number of children is the "ssd.demo.children" setting.' },
    'Recreate',
  );
  if (ok !== 'Recreate') return;
  // The demo connection is closed, the demo deleted and made again; the view says "being made…"
  // meanwhile, and a cancelled remake leaves no demo (never half a one).
  let conn;
  try {
    conn = await services.connections.useDemo(() => {
      demo.delete();
      services.log.info('demo database deleted; making a new one');
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`SSD: could not delete the demo database: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
    return;
  }
  if (conn) await vscode.commands.executeCommand('ssd.tables.focus');
}

async function generateFakeData(services: ExtensionServices, demo: ExtensionDemoDatabase): Promise<void> {
  if (!(await requireTrust('Generate Fake Data'))) return;
  const settings = readSettings();
  const active = await services.connections.current();
  const targets = fakeTargets(active, settings.fakeDevSchemas, demo.schema);
  let target: FakeTarget | undefined = targets[0];
  if (targets.length > 1) {
    const pick = await vscode.window.showQuickPick(
      targets.map((t) => ({
        label: t.kind === 'demo' ? '$(beaker) Demo database' : `$(database) ${t.database} · schema ${t.schema}`,
        description: t.kind === 'demo' ? 'embedded, on this machine' : 'listed in ssd.fake.devSchemas',
        target: t,
      })),
      { title: 'SSD: Generate Fake Data', placeHolder: 'Where should the fake children go?' },
    );
    if (!pick) return;
    target = pick.target;
  }
  if (!target) return;
  let conn: ActiveConnection | undefined = active;
  if (target.kind === 'demo' && !active?.isDemo) conn = await services.connections.useDemo();
  if (!conn) return;
  const where = target.kind === 'demo' ? 'the demo database' : `${conn.label} (${conn.description})`;
  const ok = await vscode.window.showWarningMessage(
    `Generate ${fmt(settings.fakeChildren)} fake children into ${where}, schema ${target.schema}?`,
    {
      modal: true,
      detail: `This writes to the 19 tables the payload builder reads in schema ${target.schema}, replacing the rows an earlier fake run wrote there (seed ${settings.fakeSeed}, as of ${settings.asOf}). If those tables hold rows SSD Workbench did not write, it stops and asks again.`,
    },
    'Generate',
  );
  if (ok !== 'Generate') return;
  const run = (replace: boolean) =>
    withWork(`SSD: Generate Fake Data (${target!.schema})`, conn!.db, services.log, async (w) => {
      try {
        // In the embedded database's worker thread on the demo (the editor stays responsive).
        const summary = await fakeInBackground(conn!.db, {
          schema: target!.schema,
          children: settings.fakeChildren,
          seed: settings.fakeSeed,
          asOf: settings.asOf,
          replace,
          signal: w.signal,
          onProgress: (p) => w.report((p.done / p.total) * 100, `${fmt(p.done)} of ${fmt(p.total)} children`),
        });
        return { summary };
      } catch (e) {
        // Recognised by name: the core's error class may be a separate copy under tests.
        if (e instanceof Error && e.name === 'FakeRefusedError') return { refused: e.message };
        throw e;
      }
    });
  const startedAt = new Date();
  let res = await run(false);
  if (res.ok && 'refused' in res.value) {
    const again = await vscode.window.showWarningMessage(
      `Schema ${target.schema} of ${where} holds rows SSD Workbench did not write. Delete every row of the 19 builder tables in ${target.schema} and generate fake data?`,
      { modal: true, detail: redactSecrets(res.value.refused ?? '') },
      'Delete and Generate',
    );
    if (again !== 'Delete and Generate') return;
    res = await run(true);
  }
  services.tree.refresh();
  if (!res.ok) {
    if (res.cancelled) void vscode.window.showInformationMessage('SSD: Generate Fake Data cancelled; the chunks already written stay (run it again to replace them).');
    else void vscode.window.showErrorMessage(`SSD: Generate Fake Data failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  const summary = (res.value as { summary: FakeSummary }).summary;
  // The data changed: the last check's findings no longer describe it.
  services.findings.clear();
  services.log.info(`Generate Fake Data: ${summary.children} children, ${summary.totalRows} rows into schema ${summary.schema} in ${summary.seconds.toFixed(1)} s`);
  const report = fakeReportData(summary, { target: `${conn.label}: ${conn.description}`, schema: summary.schema, startedAt, elapsedMs: Date.now() - startedAt.getTime() });
  const elsewhere = summary.schema.toLowerCase() !== conn.schema.toLowerCase() ? ` (the SSD view shows schema ${conn.schema}: set ssd.schema to see them)` : '';
  void services.reports.notify(report, `SSD: generated ${fmt(summary.children)} fake children (${fmt(summary.totalRows)} rows) into schema ${summary.schema}${elsewhere}.`);
}

async function buildStaging(services: ExtensionServices): Promise<void> {
  if (!(await requireTrust('Build Staging'))) return;
  const conn = await services.connections.require();
  if (!conn) return;
  const settings = readSettings();
  // 'auto': the _anon table on fake data (the demo, or a schema ssd fake filled), as `ssd stage` does.
  const fake = await readFakeMark(conn.db, conn.schema).catch(() => undefined);
  const table = stagingTableFor(conn.isDemo || !!fake, vscode.workspace.getConfiguration('ssd').get<string>('staging.table', 'auto'));
  if (!conn.isDemo) {
    const ok = await vscode.window.showWarningMessage(
      `Build staging in ${conn.label}, table ${conn.schema}.${table}?`,
      {
        modal: true,
        detail: `Every child's payload is built from the SSD tables as of ${settings.asOf}, validated and compared with the staged one; new and changed children are queued (Pending). Nothing is sent.`,
      },
      'Build Staging',
    );
    if (ok !== 'Build Staging') return;
  }
  // The staging core loads on first use, not at activation (issue 15, item 6).
  const { DEFAULT_MAX_DELETIONS, DEFAULT_MIN_TABLE_SHARE, findingLines, parseMaxDeletions, parseMinTableShare } = await import('../../staging/safetyStop');
  const { runStageJob } = await import('../../staging/job');
  let thresholds: SafetyThresholds;
  try {
    const c = vscode.workspace.getConfiguration('ssd');
    thresholds = {
      maxDeletions: parseMaxDeletions(c.get<string>('staging.maxDeletions', DEFAULT_MAX_DELETIONS) || DEFAULT_MAX_DELETIONS),
      minTableShare: parseMinTableShare(c.get<string>('staging.minTableShare', DEFAULT_MIN_TABLE_SHARE) || DEFAULT_MIN_TABLE_SHARE),
    };
  } catch (e) {
    void vscode.window.showErrorMessage(`SSD: Build Staging: setting ssd.staging.*: ${(e as Error).message}`);
    return;
  }
  const startedAt = new Date();
  // The staging job (src/staging/job.ts): each attempt under its own notification with Cancel, in
  // the embedded database's worker thread on the demo; the safety stop is asked as a modal between
  // them (nothing was written).
  let failed = undefined as { ok: false; cancelled: boolean; error?: string } | undefined;
  let outcome: StageJobOutcome | undefined;
  try {
    outcome = await runStageJob(conn.db, {
      schema: conn.schema,
      asOf: settings.asOf,
      table,
      partial: settings.partialPayloads,
      hashIgnoresEntityIds: settings.hashIgnoresEntityIds,
      logger: services.log,
      thresholds,
      stopMessageFor: 'editor',
      stage: stageInBackground,
      step: async (_attempt, work) => {
        const r = await withWork(`SSD: Build Staging (${table})`, conn.db, services.log, work);
        if (!r.ok) {
          failed = r;
          throw new WorkCancelled();
        }
        return r.value;
      },
      confirm: async ({ stop }) => {
        services.log.warn(`Build Staging: safety stop, nothing written: ${findingLines(stop.findings).join('; ')}`);
        services.tree.refresh();
        const [head, ...rest] = stop.message.split('\n');
        const choice = await vscode.window.showWarningMessage(head!, { modal: true, detail: rest.map((l) => l.trim()).join('\n') }, 'Stage Anyway (this run only)');
        return choice === 'Stage Anyway (this run only)';
      },
    });
  } catch (e) {
    if (!failed) throw e;
  }
  const res = failed ?? { ok: true as const, value: outcome! };
  services.tree.refresh();
  if (!res.ok) {
    if (res.cancelled) void vscode.window.showInformationMessage('SSD: Build Staging cancelled. Batches already committed stay staged; run it again to finish.');
    else void vscode.window.showErrorMessage(`SSD: Build Staging failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  if (!res.value.staged) return;
  const r = res.value.report;
  // The staging table exists now: the last check's "not present yet" finding for it is stale.
  services.findings.stagingTableCreated(table);
  services.log.info(
    `Build Staging: cohort ${r.cohort}, new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}, deleted ${r.deleted}, invalid ${r.invalid + r.notStaged} in ${r.seconds.toFixed(1)} s`,
  );
  const counts = await stagingCounts(conn.db, r.schema, table as StagingTableName).catch(() => []);
  const report = stagingReportData(r, counts, { target: `${conn.label}: ${conn.description}`, schema: r.schema, startedAt, elapsedMs: Date.now() - startedAt.getTime() });
  void services.reports.notify(report, `SSD: ${stagingSummary(r)}`);
}

/** Staging rows as read-only JSON documents: ssd-staging:/<table>/row-<id>.json. */
class StagingRowDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly held = new Map<string, string>();
  private readonly subs: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ExtensionServices) {
    this.subs = [
      vscode.workspace.registerTextDocumentContentProvider(STAGING_ROW_SCHEME, this),
      // Keep no payload in memory once its document is closed.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === STAGING_ROW_SCHEME) this.held.delete(d.uri.toString());
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
    this.held.clear();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const have = this.held.get(uri.toString());
    if (have !== undefined) return have;
    // The editor restored the document (e.g. after a reload): read the row again.
    const m = /^\/(ssd_api_data_staging(?:_anon)?)\/row-(\d+)\.json$/.exec(uri.path);
    if (!m) return JSON.stringify({ ssd_workbench: 'not a staging row document' }, null, 2) + '\n';
    const conn = await this.services.connections.current();
    if (!conn) return JSON.stringify({ ssd_workbench: 'no database is open: run "SSD: Show Staging Row" again' }, null, 2) + '\n';
    try {
      return await this.text(conn, m[1] as StagingTableName, m[2]!);
    } catch (e) {
      return JSON.stringify({ ssd_workbench: `could not read the row: ${redactSecrets(e instanceof Error ? e.message : String(e))}` }, null, 2) + '\n';
    }
  }

  private async text(conn: ActiveConnection, table: StagingTableName, id: string): Promise<string> {
    const row = await readStagingRow(conn.db, conn.schema, table, id);
    if (!row) return JSON.stringify({ ssd_workbench: `${table} has no row ${id}` }, null, 2) + '\n';
    return JSON.stringify({ staging_table: `${conn.schema}.${table}`, id: Number(id), ...row.values }, null, 2) + '\n';
  }

  async show(arg: unknown): Promise<void> {
    const conn = await this.services.connections.require();
    if (!conn) return;
    let table: StagingTableName | undefined;
    let id: string | undefined;
    if (isNodeKind(arg, 'stagingRow') && arg.table && arg.id) {
      table = arg.table;
      id = arg.id;
    } else {
      const t = await vscode.window.showQuickPick([...STAGING_TABLE_NAMES], { title: 'SSD: Show Staging Row (1/2)', placeHolder: 'Which staging table?' });
      if (!t) return;
      const v = await vscode.window.showInputBox({
        title: 'SSD: Show Staging Row (2/2)',
        prompt: `Row id (${t}.id)`,
        validateInput: (s) => (/^\d{1,19}$/.test(s.trim()) ? undefined : 'a row id is a whole number'),
      });
      if (!v) return;
      table = t as StagingTableName;
      id = v.trim();
    }
    try {
      const uri = vscode.Uri.from({ scheme: STAGING_ROW_SCHEME, path: `/${table}/row-${id}.json` });
      // The user asked to see this row: its payload goes to the editor, never to the log.
      this.held.set(uri.toString(), await this.text(conn, table, id));
      this.changed.fire(uri);
      this.services.log.info(`Show Staging Row: ${table} #${id}`);
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json').then(undefined, () => undefined);
      await vscode.window.showTextDocument(doc, { preview: true });
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: could not show ${table} row ${id}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
    }
  }
}
