// The connection's status-bar item (one click: Select Connection) and the context keys the menus
// and the welcome view test (ssd.state, ssd.connected, ssd.isDemo, ssd.activeIsProfile,
// ssd.hasProfiles), both following the session's state.
import * as vscode from 'vscode';
import type { ConnectionSession } from './session';

export class ConnectionStatus implements vscode.Disposable {
  private readonly status: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: ConnectionSession) {
    this.status = vscode.window.createStatusBarItem('ssd.connection', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'SSD Connection';
    this.status.command = 'ssd.selectConnection';
    this.updateStatus();
    this.status.show();
    void this.setContext();
    this.subscription = session.onDidChangeState(() => {
      this.updateStatus();
      void this.setContext();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.status.dispose();
  }

  /** The context keys menus and views test (`when` clauses in package.json). */
  async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'ssd.state', this.session.connectionState);
    await vscode.commands.executeCommand('setContext', 'ssd.connected', this.session.connectionState === 'open');
    await vscode.commands.executeCommand('setContext', 'ssd.isDemo', this.session.activeConnection?.isDemo === true);
    await vscode.commands.executeCommand('setContext', 'ssd.activeIsProfile', this.session.activeConnection?.source === 'profile');
    await vscode.commands.executeCommand('setContext', 'ssd.hasProfiles', this.session.profiles.list().length > 0);
  }

  private updateStatus(): void {
    const a = this.session.activeConnection;
    const state = this.session.connectionState;
    if (state === 'makingDemo') {
      this.status.text = '$(sync~spin) SSD: making the demo…';
      this.status.tooltip = 'SSD Workbench is making the demo database (in the background; Cancel in its notification)';
    } else if (state === 'opening') {
      this.status.text = '$(sync~spin) SSD: connecting…';
      this.status.tooltip = 'SSD Workbench is opening the database';
    } else if (a) {
      this.status.text = `$(database) SSD: ${a.label} · ${a.schema}`;
      const md = new vscode.MarkdownString(`**SSD connection**\n\n${escapeMd(a.description)}\n\nSchema: \`${a.schema}\`\n\nClick to switch.`);
      this.status.tooltip = md;
    } else if (state === 'failed') {
      this.status.text = '$(error) SSD: not connected';
      this.status.tooltip = `Could not open the database: ${this.session.failure ?? ''}. Click to choose another.`;
    } else {
      this.status.text = '$(database) SSD: no database';
      this.status.tooltip = 'Choose an SSD connection, or open the demo database';
    }
    this.status.accessibilityInformation = { label: this.status.text.replace(/\$\([^)]*\)\s*/g, '') };
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
