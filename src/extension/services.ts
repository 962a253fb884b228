// What every command module of the extension is given: one object built in extension.ts's
// activate(). Command modules export `register…(services)` and push their disposables onto
// services.context.subscriptions.
import type * as vscode from 'vscode';
import type { ConnectionManager } from './connections/connectionManager';
import type { FindingsIndex } from './findings';
import type { ExtensionLogger } from './log';
import type { ReportView } from './reportView';
import type { SsdTreeProvider } from './tree';

export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: ExtensionLogger;
  readonly connections: ConnectionManager;
  readonly findings: FindingsIndex;
  readonly tree: SsdTreeProvider;
  readonly reports: ReportView;
}
