// DiagnosticRecord (pure, core/diagnosticRecords.ts) → vscode.Diagnostic. The only place the
// editor-neutral records meet the VS Code API.
import * as vscode from 'vscode';
import type { DiagnosticRecord, Range0, RecordSeverity } from '../core/diagnosticRecords';

const SEVERITY: Readonly<Record<RecordSeverity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Range0): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toDiagnostic(r: DiagnosticRecord): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(r.range), r.message, SEVERITY[r.severity]);
  d.source = r.source;
  if (r.code !== undefined) d.code = r.code;
  return d;
}

export function toDiagnostics(records: readonly DiagnosticRecord[]): vscode.Diagnostic[] {
  return records.map(toDiagnostic);
}
