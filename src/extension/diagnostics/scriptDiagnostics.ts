// Script problems ('ssd-script' collection): server errors of "SSD: Run Script" at their line and
// column in the original file (and in `:r` included files), pre-flight and drift findings that
// point into the script. Replaced on each run of a command on the script; a file's problems are
// dropped as soon as its text is edited, since their positions no longer hold.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { ScriptDiagnostic } from '../../script/types';
import { scriptDiagnosticRecords } from '../core/scriptWorkflow';
import { toDiagnostics } from './convert';

export class ScriptDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('ssd-script');
  /** URIs the last command on each main script set problems on (the script and its includes). */
  private readonly owned = new Map<string, vscode.Uri[]>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
    );
  }

  /**
   * Replace the problems of one script (and of the files it includes) with `diags`.
   * `main` is the script's URI and `mainFile` the name the core used for it; `mainText` the text that ran.
   */
  set(main: vscode.Uri, mainFile: string, mainText: string, diags: readonly ScriptDiagnostic[]): number {
    for (const u of this.owned.get(main.toString()) ?? [main]) this.collection.delete(u);
    const textOf = (file: string): string | undefined => {
      if (file === mainFile) return mainText;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
      return open?.getText();
    };
    const byFile = scriptDiagnosticRecords(diags, textOf);
    const uris: vscode.Uri[] = [main];
    let n = 0;
    for (const [file, records] of byFile) {
      const uri = file === mainFile ? main : isAbsolute(file) ? vscode.Uri.file(file) : undefined;
      if (!uri) continue;
      if (uri.toString() !== main.toString()) uris.push(uri);
      this.collection.set(uri, toDiagnostics(records));
      n += records.length;
    }
    this.owned.set(main.toString(), uris);
    return n;
  }

  clear(main: vscode.Uri): void {
    for (const u of this.owned.get(main.toString()) ?? [main]) this.collection.delete(u);
    this.owned.delete(main.toString());
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.collection.dispose();
  }
}
