// "SSD: Check Tables" and "SSD: Open Table Document": run src/check's runChecks with progress,
// hand the findings to the tree (services.findings) and the Problems panel ('ssd-check': on the
// CREATE TABLE of an open SSD script, else on the read-only per-table document), end with a report.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { renderMarkdown } from '../core/markdown';
import { SSD_TABLES } from '../../model/ssdModel';
import { checkReportData, tableDocumentUri } from '../core/checkWorkflow';
import { CheckDiagnostics } from '../diagnostics/checkDiagnostics';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork } from '../work';
import { isTreeNode, tableOfNode } from '../core/treeModel';

export function registerCheckCommands(services: ExtensionServices): void {
  const diagnostics = new CheckDiagnostics(services.findings);
  services.context.subscriptions.push(
    diagnostics,
    vscode.commands.registerCommand('ssd.checkTables', () => checkTables(services, diagnostics)),
    vscode.commands.registerCommand('ssd.openTableDocument', (arg?: unknown) => openTableDocument(services, arg)),
    vscode.commands.registerCommand('ssd.showCheckRules', () => showCheckRules(services)),
  );
}

async function checkTables(services: ExtensionServices, diagnostics: CheckDiagnostics): Promise<void> {
  const conn = await services.connections.require();
  if (!conn) return;
  const settings = readSettings();
  // The check job (src/check/job.ts): percentages and the time per table come with it. The rules
  // load on first use, not at activation (issue 15, item 6).
  const { runCheckJob } = await import('../../check/job');
  const res = await withWork('SSD: Check Tables', conn.db, services.log, (w) =>
    runCheckJob(conn.db, {
      schema: conn.schema,
      asOf: settings.asOf,
      signal: w.signal,
      onProgress: (p) => w.report(p.percent, p.message),
    }),
  );
  if (!res.ok) {
    if (res.cancelled) void vscode.window.showInformationMessage('SSD: Check Tables cancelled; the previous findings are kept.');
    else void vscode.window.showErrorMessage(`SSD: Check Tables failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  const { report, times } = res.value;
  diagnostics.setDialect(conn.db.dialect);
  // Setting the findings refreshes the tree's markers and (through the listener) the Problems panel.
  services.findings.set(report.findings, report.startedAt);
  const { errors, warnings, infos } = report.summary;
  services.log.info(`Check Tables: ${errors} errors, ${warnings} warnings, ${infos} info, ${report.summary.rulesRun} rules in ${Math.round(report.elapsedMs)} ms`);
  const data = checkReportData(report, { target: `${conn.label}: ${conn.description}`, times });
  void services.reports.notify(data, `SSD: ${report.verdictText}`);
}

function tableFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim().toLowerCase();
  // A node of the tree (a table, its columns or a column, a staging node): the model says which table.
  if (isTreeNode(arg)) return tableOfNode(arg);
  return undefined;
}

async function openTableDocument(services: ExtensionServices, arg: unknown): Promise<void> {
  let table = tableFromArg(arg);
  if (!table) {
    const items = SSD_TABLES.map((t) => {
      const tally = services.findings.forTable(t.name);
      const detail = tally ? `${tally.errors} errors, ${tally.warnings} warnings, ${tally.infos} info` : 'not checked yet';
      return { label: t.name, description: detail };
    });
    const pick = await vscode.window.showQuickPick(items, { title: 'SSD: open the table document (model and last check findings)', matchOnDescription: false });
    if (!pick) return;
    table = pick.label;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(tableDocumentUri(table), true));
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** docs/check-rules.md (shipped in the .vsix) rendered in the report view. */
async function showCheckRules(services: ExtensionServices): Promise<void> {
  const file = join(services.context.extensionPath, 'docs', 'check-rules.md');
  let md: string;
  try {
    md = await readFile(file, 'utf8');
  } catch (e) {
    services.log.error(`check rules: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage('SSD: the rule documentation (docs/check-rules.md) is missing from this installation: reinstall SSD Workbench.');
    return;
  }
  services.reports.showDocument('Check rules', renderMarkdown(md));
}
