// Check findings in the Problems panel ('ssd-check' collection) and the read-only per-table
// documents (scheme ssd-table) they fall back to. Placement is recomputed from the last check's
// findings (services.findings) whenever they change and when SQL documents open, close or are
// saved, so findings move onto a CREATE TABLE as soon as a script creating the table is open.
import * as vscode from 'vscode';
import type { Dialect } from '../../db/types';
import { placeFindings, tableDocumentFor, tableFromDocumentPath, type OpenScript } from '../core/checkWorkflow';
import type { FindingsIndex } from '../findings';
import { toDiagnostics } from './convert';

export const TABLE_SCHEME = 'ssd-table';

const SQL_LANGUAGES = new Set(['sql', 'mssql', 'pgsql', 'postgres', 'postgresql', 'plpgsql', 'tsql']);

export function isSqlDocument(d: vscode.TextDocument): boolean {
  if (d.uri.scheme === TABLE_SCHEME || d.uri.scheme === 'ssd-payload' || d.uri.scheme === 'output') return false;
  return SQL_LANGUAGES.has(d.languageId) || /\.(sql|psql|pgsql)$/i.test(d.uri.path);
}

export class CheckDiagnostics implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly collection = vscode.languages.createDiagnosticCollection('ssd-check');
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private dialect: Dialect = 'postgres';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly findings: FindingsIndex) {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(TABLE_SCHEME, this),
      findings.onDidChange(() => this.refresh()),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isSqlDocument(d)) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (isSqlDocument(d)) this.schedule();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isSqlDocument(d)) this.schedule();
      }),
    );
  }

  /** The dialect of the database the findings are about (column types in the table documents). */
  setDialect(d: Dialect): void {
    this.dialect = d;
  }

  private schedule(): void {
    if (!this.findings.checked) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 300);
  }

  /** Recompute where every finding goes and replace the whole collection. */
  refresh(): void {
    this.collection.clear();
    if (this.findings.checked) {
      const docs = vscode.workspace.textDocuments.filter(isSqlDocument);
      const uris = new Map(docs.map((d) => [d.uri.toString(), d.uri] as const));
      const scripts: OpenScript[] = docs.map((d) => ({ uri: d.uri.toString(), text: d.getText() }));
      const placed = placeFindings(this.findings.findings, scripts, this.dialect, this.findings.checkedAt);
      for (const [uri, records] of placed.byUri) this.collection.set(uris.get(uri) ?? vscode.Uri.parse(uri, true), toDiagnostics(records));
    }
    // Table documents already open show the new findings.
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme !== TABLE_SCHEME) continue;
      this.changed.fire(d.uri);
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const table = tableFromDocumentPath(uri.path);
    if (!table) return `Not an SSD table document: ${uri.path}\n`;
    return tableDocumentFor(table, this.dialect, this.findings.findingsFor(table), this.findings.checkedAt).text;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
    this.collection.dispose();
  }
}
