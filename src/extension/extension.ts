// SSD Workbench's entry point in VS Code and Azure Data Studio. activate() builds the shared
// services (log, findings, connections with the embedded demo, the SSD Tables tree, the report
// view) and hands them to the command modules. Activation is lazy: the SSD view, an SSD command, a
// payload/table/staging-row document or the walkthrough.
import { mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { ConnectionManager } from './connections/connectionManager';
import { registerCheckCommands } from './commands/checkCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerDataCommands } from './commands/dataCommands';
import { registerPayloadCommands } from './commands/payloadCommands';
import { registerScriptCommands } from './commands/scriptCommands';
import { registerSendCommands } from './commands/sendCommands';
import { registerScrambleCommands } from './commands/scrambleCommands';
import { ExtensionDemoDatabase } from './demoDatabase';
import { FindingsIndex } from './findings';
import { createLogger } from './log';
import { ReportView } from './reportView';
import type { ExtensionServices } from './services';
import { SsdTreeProvider } from './tree';

let connectionsRef: ConnectionManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = createLogger(context);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  const storage = context.globalStorageUri.fsPath;
  mkdirSync(storage, { recursive: true });

  const demo = new ExtensionDemoDatabase(storage, log, version);
  const findings = new FindingsIndex();
  const connections = new ConnectionManager(context, demo, log);
  connectionsRef = connections;
  const tree = new SsdTreeProvider(connections, findings, log);
  const view = vscode.window.createTreeView('ssd.tables', { treeDataProvider: tree, showCollapseAll: true });
  const reports = new ReportView();
  context.subscriptions.push(findings, connections, tree, view, reports);
  // The view's badge: the last check's errors (the tables' own badges are in their descriptions).
  context.subscriptions.push(
    findings.onDidChange(() => {
      const errors = findings.findings.filter((f) => f.severity === 'error').length;
      view.badge = errors ? { value: errors, tooltip: `${errors} error finding${errors === 1 ? '' : 's'} in the last check` } : undefined;
    }),
  );

  const services: ExtensionServices = { context, log, connections, findings, tree, reports };

  // A check's findings describe one database: forget them when the connection changes.
  context.subscriptions.push(
    connections.onDidChange((c) => {
      findings.clear();
      view.description = c ? `${c.label} · ${c.schema}` : undefined;
    }),
  );

  registerConnectionCommands(services);
  registerDataCommands(services, demo);
  registerScriptCommands(services);
  registerCheckCommands(services);
  registerPayloadCommands(services);
  registerSendCommands(services);
  registerScrambleCommands(services);
  try {
    context.subscriptions.push(vscode.commands.registerCommand('ssd.showReport', () => reports.show()));
  } catch {
    // Registered by one of the command modules.
  }

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ssd.schema')) {
        const a = connections.activeConnection;
        if (a && !a.isDemo) void connections.reopen();
      } else if (e.affectsConfiguration('ssd.children.pageSize')) {
        tree.refresh();
      }
    }),
  );

  log.info(`SSD Workbench ${version} activated in ${vscode.env.appName}`);
}

export async function deactivate(): Promise<void> {
  const c = connectionsRef;
  connectionsRef = undefined;
  await c?.close();
}
