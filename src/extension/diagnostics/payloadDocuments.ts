// A child's payload as a read-only JSON document (scheme ssd-payload, `ssd-payload:/<id>.json`),
// its problems as diagnostics at their exact JSON path ('ssd-payload' collection) and a hover naming
// the rules and the SSD column each value came from. Payloads are held in memory only while their
// document may be open; nothing here logs a payload or a value from it.
import * as vscode from 'vscode';
import type { PayloadProblem } from '../../payload/types';
import { payloadDiagnosticRecords, payloadHoverAt, payloadPath, personIdFromPayloadPath } from '../core/payloadWorkflow';
import { toDiagnostics } from './convert';

export const PAYLOAD_SCHEME = 'ssd-payload';

interface Entry {
  personId: string;
  text: string;
  problems: PayloadProblem[];
}

/** The payload document a tab shows, or undefined (other tabs, diff and custom editors). */
function payloadTabUri(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  return input instanceof vscode.TabInputText && input.uri.scheme === PAYLOAD_SCHEME ? input.uri : undefined;
}

function payloadTabShown(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => payloadTabUri(t)?.toString() === key));
}

export class PayloadDocuments implements vscode.Disposable, vscode.TextDocumentContentProvider, vscode.HoverProvider {
  readonly collection = vscode.languages.createDiagnosticCollection('ssd-payload');
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  /** `rebuild` makes a document's content again when the editor asks for one not held (e.g. after a window reload). */
  constructor(private readonly rebuild: (personId: string) => Promise<{ text: string; problems: PayloadProblem[] } | string>) {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(PAYLOAD_SCHEME, this),
      vscode.languages.registerHoverProvider({ scheme: PAYLOAD_SCHEME }, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme !== PAYLOAD_SCHEME) return;
        // Keep nothing of a closed child's payload in memory; its problems go with it.
        this.entries.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
      // The editor disposes a closed document (onDidCloseTextDocument) only minutes after its last
      // tab closes, so the Problems panel would keep a closed payload's problems until then: take
      // them away when no tab shows the payload any more, and put them back if it is shown again.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = payloadTabUri(tab);
          if (uri && !payloadTabShown(uri)) this.collection.delete(uri);
        }
        for (const tab of e.opened) {
          const uri = payloadTabUri(tab);
          const held = uri && this.entries.get(uri.toString());
          if (uri && held) this.collection.set(uri, toDiagnostics(payloadDiagnosticRecords(held.text, held.problems)));
        }
      }),
    );
  }

  static uriFor(personId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PAYLOAD_SCHEME, path: payloadPath(personId) });
  }

  /** Hold a built payload, update an open document and its problems. Returns the document's URI. */
  set(personId: string, text: string, problems: PayloadProblem[]): vscode.Uri {
    const uri = PayloadDocuments.uriFor(personId);
    this.entries.set(uri.toString(), { personId, text, problems });
    this.collection.set(uri, toDiagnostics(payloadDiagnosticRecords(text, problems)));
    this.changed.fire(uri);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const held = this.entries.get(uri.toString());
    if (held) return held.text;
    const personId = personIdFromPayloadPath(uri.path);
    if (!personId) return JSON.stringify({ ssd_workbench: 'not a payload document' }, null, 2) + '\n';
    const built = await this.rebuild(personId);
    if (typeof built === 'string') return JSON.stringify({ ssd_workbench: built }, null, 2) + '\n';
    this.entries.set(uri.toString(), { personId, text: built.text, problems: built.problems });
    this.collection.set(uri, toDiagnostics(payloadDiagnosticRecords(built.text, built.problems)));
    return built.text;
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const problems = this.entries.get(doc.uri.toString())?.problems ?? [];
    const h = payloadHoverAt(doc.getText(), doc.offsetAt(pos), problems);
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.markdown, true);
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
    this.collection.dispose();
    this.entries.clear();
  }
}
