// The report webview: one panel, reused, showing the last report. Strict CSP (no scripts, no
// remote content), rendered by core/report.ts.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderReportHtml, type ReportData } from './core/report';

export class ReportView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ReportData | undefined;

  get lastReport(): ReportData | undefined { return this.last; }

  set(report: ReportData): void {
    this.last = report;
    void vscode.commands.executeCommand('setContext', 'ssd.hasReport', true);
    if (this.panel) this.render();
  }

  show(report?: ReportData): void {
    if (report) this.set(report);
    if (!this.last) { void vscode.window.showInformationMessage('SSD: no report yet: run a check, a script or a staging build first.'); return; }
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('ssd.report', 'SSD report', vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => { this.panel = undefined; });
    } else {
      this.panel.reveal();
    }
    this.render();
  }

  private render(): void {
    if (!this.panel || !this.last) return;
    this.panel.title = `SSD: ${this.last.title}`;
    this.panel.webview.html = renderReportHtml(this.last, randomBytes(16).toString('base64'), this.panel.webview.cspSource);
  }

  /** Notify the outcome with a "Show report" button. */
  async notify(report: ReportData, summary: string): Promise<void> {
    this.set(report);
    const show = 'Show report';
    const fn = report.outcome === 'failed' ? vscode.window.showErrorMessage
      : report.outcome === 'problems' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const pick = await fn(summary, show);
    if (pick === show) this.show(report);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
