// "SSD: Run Script", "SSD: Pre-flight" and the structure drift check on a SQL script: the active
// editor's document or a .sql file chosen in the explorer. The work is src/script's (planScript,
// runPreflight, checkDrift, and runScriptJob for the run: the same flow as `ssd run`); this layer
// asks, shows progress, streams server messages to the "SSD Script" output channel, puts errors on
// their lines ('ssd-script' diagnostics) and ends with a report. Running a script writes to the
// database: refused in untrusted workspaces.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { DriftReport } from '../../script/drift';
import type { ScriptJobOutcome, ScriptJobPhase, ScriptJobQuestion } from '../../script/job';
import { ScriptPlanError, type ScriptDiagnostic, type ScriptDialect, type ScriptPlan } from '../../script/types';
import type { ActiveConnection } from '../connections/connectionManager';
import {
  driftDiagnostics,
  driftReport,
  driftReviewSql,
  formatDrift,
  formatPreflight,
  formatRunEvent,
  hasTableContainers,
  preflightDiagnostics,
  preflightProblems,
  preflightReport,
  runSummaryLine,
  scriptRunReport,
  unsetVariables,
} from '../core/scriptWorkflow';
import { ScriptDiagnostics } from '../diagnostics/scriptDiagnostics';
import { isSqlDocument } from '../diagnostics/checkDiagnostics';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork } from '../work';
import { confirmRunText, looksLikeSsdScript, resultLines, scriptTarget, selectSummary } from '../core/scriptRun';

/** First rows of each SELECT a script returns, shown in the SSD Script output. */
const RESULT_PREVIEW_ROWS = 5;

/** Options a caller (a test, another command) may pass after the script's URI. */
export interface RunScriptArgs {
  perTable?: boolean;
  continueOnError?: boolean;
  /** Atomic table refresh (default: the ssd.script.atomicRefresh setting). */
  atomic?: boolean;
  /** Skip the pre-flight and drift questions (they still run and are reported). */
  noPrompt?: boolean;
  /** The target was confirmed by the caller: skip the "Run on server/database/schema?" question. */
  confirmed?: boolean;
}

function runArgs(v: unknown): RunScriptArgs | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isUriLike(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: RunScriptArgs = {};
  if (typeof o.perTable === 'boolean') out.perTable = o.perTable;
  if (typeof o.continueOnError === 'boolean') out.continueOnError = o.continueOnError;
  if (typeof o.atomic === 'boolean') out.atomic = o.atomic;
  if (typeof o.noPrompt === 'boolean') out.noPrompt = o.noPrompt;
  if (typeof o.confirmed === 'boolean') out.confirmed = o.confirmed;
  return out;
}

interface ScriptSource {
  uri: vscode.Uri;
  /** Name the core uses in diagnostics and to resolve `:r` includes (the file path when on disk). */
  file: string;
  text: string;
  name: string;
}

/** The script engine (src/script), loaded on first use, not at activation (issue 15, item 6). */
async function engine() {
  const [index, plan, preflight, job, drift] = await Promise.all([
    import('../../script/index'),
    import('../../script/plan'),
    import('../../script/preflight'),
    import('../../script/job'),
    import('../../script/drift'),
  ]);
  return {
    decodeScript: index.decodeScript,
    dialectForDb: index.dialectForDb,
    diskIncludeReader: index.diskIncludeReader,
    planScript: plan.planScript,
    runPreflight: preflight.runPreflight,
    runScriptJob: job.runScriptJob,
    checkDrift: drift.checkDrift,
  };
}

export function registerScriptCommands(services: ExtensionServices): void {
  const output = vscode.window.createOutputChannel('SSD Script');
  const diagnostics = new ScriptDiagnostics();
  /** Values given for sqlcmd variables this session, per script. */
  const varValues = new Map<string, Record<string, string>>();
  const ctx: Ctx = { services, output, diagnostics, varValues, running: undefined };
  const scan = new SsdScriptContext();
  services.context.subscriptions.push(
    output,
    diagnostics,
    scan,
    vscode.commands.registerCommand('ssd.stopScript', () => {
      if (!ctx.running) return;
      output.appendLine('stop requested: the running statement is being cancelled…');
      ctx.running.abort();
    }),
    // From the explorer the second argument is the list of selected URIs: only a plain options object counts.
    vscode.commands.registerCommand('ssd.runScript', (arg?: unknown, opts?: unknown) => runScriptCommand(ctx, arg, runArgs(opts))),
    vscode.commands.registerCommand('ssd.preflight', (arg?: unknown) => preflightCommand(ctx, arg)),
    vscode.commands.registerCommand('ssd.checkDrift', (arg?: unknown) => driftCommand(ctx, arg)),
  );
}

interface Ctx {
  services: ExtensionServices;
  output: vscode.OutputChannel;
  diagnostics: ScriptDiagnostics;
  varValues: Map<string, Record<string, string>>;
  /** The run in progress (one at a time): Stop aborts it. */
  running: AbortController | undefined;
}

/**
 * The `ssd.isSsdScript` context key: the active editor holds a SQL file that looks like an SSD
 * script (META tags, statements writing ssd_ tables), so the editor title offers "Run as SSD
 * Script" there and not on every .sql file. A cheap scan, repeated half a second after typing stops.
 */
class SsdScriptContext implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: boolean | undefined;
  constructor() {
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== vscode.window.activeTextEditor?.document) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.update(), 500);
      }),
    );
    this.update();
  }
  private update(): void {
    const d = vscode.window.activeTextEditor?.document;
    const is = !!d && isSqlDocument(d) && looksLikeSsdScript(d.getText());
    if (is === this.last) return;
    this.last = is;
    void vscode.commands.executeCommand('setContext', 'ssd.isSsdScript', is);
  }
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}

function isUriLike(v: unknown): v is vscode.Uri {
  return (
    v instanceof vscode.Uri ||
    (typeof v === 'object' &&
      v !== null &&
      typeof (v as vscode.Uri).scheme === 'string' &&
      typeof (v as vscode.Uri).path === 'string' &&
      typeof (v as vscode.Uri).toString === 'function' &&
      'fsPath' in v)
  );
}

/** The script: a URI argument (explorer, editor title), else the active SQL editor, else a file chosen now. */
async function resolveScript(arg: unknown, required: boolean): Promise<ScriptSource | undefined> {
  let uri: vscode.Uri | undefined = isUriLike(arg) ? arg : undefined;
  if (!uri) {
    const ed = vscode.window.activeTextEditor;
    if (ed && isSqlDocument(ed.document)) uri = ed.document.uri;
  }
  if (!uri) {
    if (!required) return undefined;
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this script', filters: { 'SQL scripts': ['sql'] }, title: 'SSD: choose a SQL script' });
    uri = picked?.[0];
    if (!uri) return undefined;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
  let text: string;
  if (open) text = open.getText();
  else {
    try {
      const { decodeScript } = await engine();
      text = decodeScript(await vscode.workspace.fs.readFile(uri)).text;
    } catch (e) {
      void vscode.window.showErrorMessage(`SSD: cannot read ${basename(uri.path)}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const file = uri.scheme === 'file' ? uri.fsPath : (open?.fileName ?? uri.toString());
  return { uri, file, text, name: basename(uri.path) || file };
}

function refuseUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(`SSD: ${what} is disabled in an untrusted workspace: it writes to a database. Trust this workspace to use it.`, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}

function meta(conn: ActiveConnection, startedAt: Date) {
  return { target: `${conn.label}: ${conn.description}`, schema: conn.schema, startedAt };
}

/** Plan the script, asking for any sqlcmd variable it uses that is not set. Undefined when it cannot be planned (problems shown). */
async function planWithVariables(c: Ctx, src: ScriptSource, dialect: ScriptDialect, perTable: boolean): Promise<ScriptPlan | undefined> {
  const vars = { ...(c.varValues.get(src.uri.toString()) ?? {}) };
  const { planScript, diskIncludeReader } = await engine();
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return planScript(src.text, { dialect, file: src.file, perTable, vars, readInclude: diskIncludeReader });
    } catch (e) {
      if (!(e instanceof ScriptPlanError)) throw e;
      const unset = unsetVariables(e.diagnostics).filter((n) => !(n in vars));
      if (unset.length > 0) {
        for (const name of unset) {
          const value = await vscode.window.showInputBox({
            title: `SSD: ${src.name} uses the sqlcmd variable $(${name})`,
            prompt: `Value for $(${name}) (as sqlcmd -v ${name}=… or :setvar ${name} …). Not saved anywhere.`,
            ignoreFocusOut: true,
            validateInput: (v) => (/[\r\n]/.test(v) ? 'One line only' : undefined),
          });
          if (value === undefined) return undefined;
          vars[name] = value;
        }
        c.varValues.set(src.uri.toString(), { ...vars });
        continue;
      }
      const n = c.diagnostics.set(src.uri, src.file, src.text, e.diagnostics);
      c.output.appendLine(`${src.name}: cannot be planned:`);
      for (const d of e.diagnostics) c.output.appendLine(`  ${basename(d.file)}:${d.line}:${d.column}: ${d.message}`);
      void vscode.window.showErrorMessage(`SSD: ${src.name} cannot be run: ${e.diagnostics[0]?.message ?? e.message}${n > 1 ? ` (and ${n - 1} more, see the Problems panel)` : ''}`);
      return undefined;
    }
  }
  return undefined;
}

async function chooseMode(plan: ScriptPlan, opts: RunScriptArgs | undefined): Promise<boolean | undefined> {
  if (opts?.perTable !== undefined) return opts.perTable;
  if (!hasTableContainers(plan)) return false;
  const perTable = {
    label: 'Per table',
    description: 'recommended',
    detail: 'Each table (with the configuration block) as its own batch: progress per table, and a failing table does not stop the others.',
    perTable: true,
  };
  const asWritten = {
    label: 'As written',
    detail: `The script's own batches (${plan.batches.length}), split on ${plan.dialect === 'tsql' ? 'GO' : ';'} as ${plan.dialect === 'tsql' ? 'SSMS and sqlcmd do' : 'psql does'}.`,
    perTable: false,
  };
  const pick = await vscode.window.showQuickPick([perTable, asWritten], { title: 'SSD: this script is in the tagged (META-CONTAINER) format: how should it run?', ignoreFocusOut: true });
  return pick?.perTable;
}

async function runScriptCommand(c: Ctx, arg: unknown, opts: RunScriptArgs | undefined): Promise<void> {
  const { services, output } = c;
  if (refuseUntrusted('running a script')) return;
  const src = await resolveScript(arg, true);
  if (!src) return;
  const conn = await services.connections.require();
  if (!conn) return;
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted('running a script');
    return;
  }
  if (c.running) {
    void vscode.window.showWarningMessage('SSD: a script is already running: stop it first (Stop in the editor title or Cancel in its progress notification).');
    return;
  }
  // Anything but the demo: say where it will write (server, database, schema) and ask.
  if (!conn.isDemo && !opts?.confirmed) {
    const q = confirmRunText(src.name, scriptTarget(conn.label, conn.description, conn.schema));
    const go = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, 'Run');
    if (go !== 'Run') return;
  }
  const settings = readSettings();
  const { dialectForDb, runScriptJob } = await engine();
  const dialect = dialectForDb(conn.db);
  let plan = await planWithVariables(c, src, dialect, false);
  if (!plan) return;
  const perTable = await chooseMode(plan, opts);
  if (perTable === undefined) return;
  if (perTable) {
    plan = await planWithVariables(c, src, dialect, true);
    if (!plan) return;
  }
  const startedAt = new Date();
  output.clear();
  output.show(true);
  output.appendLine(`SSD: Run as SSD Script ${src.name} on ${conn.label} (${conn.description}), schema ${conn.schema}, started ${startedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`);
  for (const w of plan.warnings) output.appendLine(`${basename(w.file)}:${w.line}:${w.column}: ${w.severity}: ${w.message}`);

  // Pre-flight and drift first (they only read), each phase under its own progress notification.
  const continueOnError = opts?.continueOnError ?? !settings.stopOnError;
  let preDiags: ScriptDiagnostic[] = [];
  const errors: ScriptDiagnostic[] = [];
  let job: ScriptJobOutcome;
  try {
    job = await runScriptJob(conn.db, {
      plan,
      text: src.text,
      schema: conn.schema,
      checkErrors: 'report',
      continueOnError,
      atomic: opts?.atomic ?? settings.atomicRefresh,
      resultPreview: RESULT_PREVIEW_ROWS,
      step: async (phase, work) => {
        if (phase === 'checks') return phaseValue(phase, await withWork(`SSD: Pre-flight for ${src.name}`, conn.db, services.log, work));
        const stop = new AbortController();
        c.running = stop;
        void vscode.commands.executeCommand('setContext', 'ssd.scriptRunning', true);
        const run = await withWork(`SSD: Run Script ${src.name} on ${conn.label}`, conn.db, services.log, work, { stop: stop.signal }).finally(() => {
          c.running = undefined;
          void vscode.commands.executeCommand('setContext', 'ssd.scriptRunning', false);
        });
        return phaseValue(phase, run);
      },
      onChecks: ({ preflight, preflightError, drift, driftError }) => {
        if (driftError !== undefined) services.log.warn(`Run Script: drift check could not run: ${driftError}`);
        preDiags = [...(preflight ? preflightDiagnostics(preflight, src.file) : []), ...(drift ? driftDiagnostics(drift) : [])];
        errors.push(...preDiags);
        c.diagnostics.set(src.uri, src.file, src.text, preDiags);
        if (preflight) for (const l of formatPreflight(preflight)) output.appendLine(l);
        if (preflightError) output.appendLine(`pre-flight could not run: ${preflightError}`);
        if (drift?.drift) for (const l of formatDrift(drift)) output.appendLine(l);
      },
      ...(opts?.noPrompt ? {} : { confirm: (q: ScriptJobQuestion) => confirmRun(q, src, dialect, output) }),
      onEvent: (e) => {
        for (const l of formatRunEvent(e)) output.appendLine(l);
        if (e.type === 'batch-end' && e.outcome.results?.length) for (const l of resultLines(e.outcome.results)) output.appendLine(l);
        if (e.type === 'batch-end' && e.outcome.errors.length) {
          errors.push(...e.outcome.errors);
          c.diagnostics.set(src.uri, src.file, src.text, errors);
        }
      },
    });
  } catch (e) {
    if (!(e instanceof PhaseStopped)) throw e;
    if (e.phase === 'checks') {
      if (e.cancelled) output.appendLine('cancelled before the run.');
      else void vscode.window.showErrorMessage(`SSD: pre-flight for ${src.name} failed: ${e.error ?? 'unknown error'}`);
      return;
    }
    if (e.cancelled) {
      output.appendLine('cancelled.');
      return;
    }
    output.appendLine(`failed: ${e.error ?? 'unknown error'}`);
    void vscode.window.showErrorMessage(`SSD: Run Script ${src.name} failed: ${e.error ?? 'unknown error'}`);
    return;
  }
  if (!job.ran) return;
  const { preflight, drift } = job.checks;
  const result = job.result;
  const n = c.diagnostics.set(src.uri, src.file, src.text, [...preDiags, ...result.diagnostics]);
  services.log.info(
    `Run Script ${src.name}: ${result.total} batches, ${result.batches.filter((b) => b.status === 'ok').length} ok, ${result.diagnostics.filter((d) => d.severity === 'error').length} errors${result.cancelled ? ', cancelled' : ''}`,
  );
  const report = scriptRunReport(result, meta(conn, startedAt), { ...(preflight ? { preflight } : {}), ...(drift ? { drift } : {}) });
  const selects = selectSummary(result);
  const summary = `SSD: ${runSummaryLine(result)}${selects ? ` · ${selects}` : ''}${n && !result.ok ? ' · errors are in the Problems panel' : ''}`;
  void services.reports.notify(report, summary);
  if (result.tables.length) void vscode.commands.executeCommand('ssd.refresh').then(undefined, () => undefined);
}

/** A phase of the run-script job that did not finish (withWork already logged an error). */
class PhaseStopped extends Error {
  constructor(
    readonly phase: ScriptJobPhase,
    readonly cancelled: boolean,
    readonly error: string | undefined,
  ) {
    super(cancelled ? 'cancelled' : (error ?? 'unknown error'));
    this.name = 'PhaseStopped';
  }
}

function phaseValue<T>(phase: ScriptJobPhase, r: { ok: true; value: T } | { ok: false; cancelled: boolean; error?: string }): T {
  if (r.ok) return r.value;
  throw new PhaseStopped(phase, r.cancelled, r.error);
}

/** The questions before a script writes: pre-flight failed or could not run, drift found. */
async function confirmRun(q: ScriptJobQuestion, src: ScriptSource, dialect: ScriptDialect, output: vscode.OutputChannel): Promise<boolean> {
  if (q.kind === 'preflight-failed') {
    const problems = preflightProblems(q.preflight);
    const go = await vscode.window.showWarningMessage(
      `SSD: pre-flight found ${problems.length} problem${problems.length === 1 ? '' : 's'} for ${src.name}. Run it anyway?`,
      { modal: true, detail: problems.slice(0, 6).join('\n') + (problems.length > 6 ? `\n…and ${problems.length - 6} more (see the SSD Script output)` : '') },
      'Run Anyway',
    );
    if (go !== 'Run Anyway') output.appendLine('not run: fix the pre-flight failures above, or run again and choose Run Anyway.');
    return go === 'Run Anyway';
  }
  if (q.kind === 'preflight-error') {
    const go = await vscode.window.showWarningMessage(`SSD: the pre-flight checks could not run (${q.error}). Run ${src.name} anyway?`, { modal: true }, 'Run Anyway');
    return go === 'Run Anyway';
  }
  const drift = q.drift;
  const n = drift.tables.filter((t) => t.status === 'drift').length;
  const review = 'Review Statements';
  const go = await vscode.window.showWarningMessage(
    `SSD: ${n} table${n === 1 ? '' : 's'} already exist${n === 1 ? 's' : ''} with other columns than ${src.name} defines. The script will not change ${n === 1 ? 'it' : 'them'}, so its INSERTs may fail.`,
    {
      modal: true,
      detail: `${drift.tables
        .filter((t) => t.status === 'drift')
        .map((t) => `${t.schema}.${t.table}`)
        .join(', ')}\n\nReview Statements opens the ALTER/DROP statements in a new editor (nothing is run).`,
    },
    review,
    'Run Anyway',
  );
  if (go === review) {
    await openDriftReview(drift, dialect, src.file);
    return false;
  }
  return go === 'Run Anyway';
}

async function openDriftReview(drift: DriftReport, dialect: ScriptDialect, file: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: driftReviewSql(drift, dialect, file) });
  await vscode.window.showTextDocument(doc, { preview: false });
}

async function preflightCommand(c: Ctx, arg: unknown): Promise<void> {
  const { services, output } = c;
  const src = await resolveScript(arg, false);
  const conn = await services.connections.require();
  if (!conn) return;
  const { dialectForDb, planScript, diskIncludeReader, runPreflight } = await engine();
  const dialect = dialectForDb(conn.db);
  let plan: ScriptPlan | undefined;
  if (src) {
    try {
      plan = planScript(src.text, { dialect, file: src.file, vars: c.varValues.get(src.uri.toString()) ?? {}, readInclude: diskIncludeReader });
    } catch (e) {
      if (!(e instanceof ScriptPlanError)) throw e;
    }
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const res = await withWork(`SSD: Pre-flight${src ? ` for ${src.name}` : ''}`, conn.db, services.log, async (w) => {
    w.report(10, 'server, schemas and permissions');
    const r = await runPreflight(conn.db, { ...(src ? { script: { text: src.text, file: src.file, dialect, ...(plan ? { plan } : {}) } } : {}), schema: conn.schema });
    w.report(100);
    return r;
  });
  if (!res.ok) {
    if (!res.cancelled) void vscode.window.showErrorMessage(`SSD: pre-flight failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  const r = res.value;
  output.clear();
  output.appendLine(`SSD: Pre-flight${src ? ` for ${src.name}` : ''} on ${conn.label} (${conn.description}), schema ${conn.schema}`);
  for (const l of formatPreflight(r)) output.appendLine(l);
  if (src) c.diagnostics.set(src.uri, src.file, src.text, preflightDiagnostics(r, src.file));
  const failed = r.checks.filter((x) => x.status === 'fail').length;
  const warned = r.checks.filter((x) => x.status === 'warn').length;
  services.log.info(`Pre-flight: ${r.checks.length} checks, ${failed} failed, ${warned} warnings`);
  const report = preflightReport(r, { ...meta(conn, startedAt), elapsedMs: performance.now() - t0, ...(src ? { file: src.file } : {}) });
  void services.reports.notify(
    report,
    r.ok
      ? `SSD: pre-flight passed (${r.checks.length} checks${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}).`
      : `SSD: pre-flight found ${failed} problem${failed === 1 ? '' : 's'}: see the report or the SSD Script output.`,
  );
}

async function driftCommand(c: Ctx, arg: unknown): Promise<void> {
  const { services, output } = c;
  const src = await resolveScript(arg, true);
  if (!src) return;
  const conn = await services.connections.require();
  if (!conn) return;
  const { dialectForDb, checkDrift } = await engine();
  const dialect = dialectForDb(conn.db);
  const startedAt = new Date();
  const t0 = performance.now();
  const res = await withWork(`SSD: Structure drift for ${src.name}`, conn.db, services.log, async (w) => {
    w.report(10, 'reading the live tables');
    const r = await checkDrift(conn.db, src.text, dialect, { file: src.file, schema: conn.schema });
    w.report(100);
    return r;
  });
  if (!res.ok) {
    if (!res.cancelled) void vscode.window.showErrorMessage(`SSD: drift check failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  const r = res.value;
  output.clear();
  output.appendLine(`SSD: structure drift of ${src.name} against ${conn.label} (${conn.description}), schema ${conn.schema}`);
  for (const l of formatDrift(r)) output.appendLine(l);
  c.diagnostics.set(src.uri, src.file, src.text, driftDiagnostics(r));
  const n = r.tables.filter((t) => t.status === 'drift').length;
  services.log.info(`Drift: ${r.tables.length} table definitions, ${n} differ`);
  if (r.drift) await openDriftReview(r, dialect, src.file);
  const report = driftReport(r, { ...meta(conn, startedAt), elapsedMs: performance.now() - t0, file: src.file });
  void services.reports.notify(
    report,
    r.drift
      ? `SSD: ${n} table${n === 1 ? '' : 's'} differ from ${src.name}: the statements to review are in the new editor (nothing was run).`
      : r.tables.length
        ? `SSD: no drift: the ${r.tables.length} table definition${r.tables.length === 1 ? '' : 's'} in ${src.name} match the live tables or are not created yet.`
        : `SSD: ${src.name} has no CREATE TABLE to compare.`,
  );
}
