// The report webview: one panel, reused, showing the last report, or a documentation page (the
// check rules). Strict CSP (no scripts, no remote content), rendered by core/report.ts; its links
// may run only the commands in REPORT_COMMANDS (Build payload for a child, the rule documentation).
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderDocumentHtml, renderReportHtml, REPORT_COMMANDS, type ReportData } from './core/report';

export class ReportView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ReportData | undefined;
  /** A documentation page shown instead of the report, until the next report. */
  private doc: { title: string; body: string } | undefined;

  get lastReport(): ReportData | undefined {
    return this.last;
  }

  set(report: ReportData): void {
    this.last = report;
    void vscode.commands.executeCommand('setContext', 'ssd.hasReport', true);
    if (this.panel && !this.doc) this.render();
  }

  show(report?: ReportData): void {
    if (report) this.set(report);
    if (!this.last) {
      void vscode.window.showInformationMessage('SSD: no report yet: run a check, a script or a staging build first.');
      return;
    }
    this.doc = undefined;
    this.open();
    this.render();
  }

  /** Show a documentation page (HTML body made by core/markdown.ts) in the report panel. */
  showDocument(title: string, body: string): void {
    this.doc = { title, body };
    this.open();
    this.render();
  }

  private open(): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('ssd.report', 'SSD report', vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: REPORT_COMMANDS, localResourceRoots: [] });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.doc = undefined;
      });
    } else {
      this.panel.reveal();
    }
  }

  private render(): void {
    if (!this.panel) return;
    const nonce = randomBytes(16).toString('base64');
    if (this.doc) {
      this.panel.title = `SSD: ${this.doc.title}`;
      this.panel.webview.html = renderDocumentHtml(this.doc.title, this.doc.body, nonce, this.panel.webview.cspSource);
      return;
    }
    if (!this.last) return;
    this.panel.title = `SSD: ${this.last.title}`;
    this.panel.webview.html = renderReportHtml(this.last, nonce, this.panel.webview.cspSource);
  }

  /** Notify the outcome with a "Show report" button. */
  async notify(report: ReportData, summary: string): Promise<void> {
    this.set(report);
    const show = 'Show report';
    const fn = report.outcome === 'failed' ? vscode.window.showErrorMessage : report.outcome === 'problems' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const pick = await fn(summary, show);
    if (pick === show) this.show(report);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
