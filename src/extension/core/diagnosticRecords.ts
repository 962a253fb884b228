// Editor-neutral diagnostics: what the Problems panel and the squiggles show, computed from the
// cores' results without 'vscode' so it can be unit-tested. The thin layer in
// src/extension/diagnostics/ turns each record into a vscode.Diagnostic. Pure.

export interface Position0 {
  /** 0-based line. */
  line: number;
  /** 0-based character (UTF-16 code unit) in the line. */
  character: number;
}

export interface Range0 {
  start: Position0;
  end: Position0;
}

export type RecordSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticRecord {
  range: Range0;
  message: string;
  severity: RecordSeverity;
  /** Rule id, server error number, keyword… */
  code?: string | number;
  /** Shown after the message in the Problems panel, e.g. "SSD check". */
  source: string;
}

/** Start offset of every line (0-based lines). */
export function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

/** The text of a 0-based line without its line break ('' past the end). */
export function lineText(text: string, starts: readonly number[], line: number): string {
  if (line < 0 || line >= starts.length) return '';
  const s = starts[line]!;
  const e = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
  return text.slice(s, e).replace(/\r$/, '');
}

/** Offsets → a 0-based range. */
export function rangeFromOffsets(starts: readonly number[], start: number, end: number): Range0 {
  return { start: positionOf(starts, start), end: positionOf(starts, Math.max(start, end)) };
}

export function positionOf(starts: readonly number[], offset: number): Position0 {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo]! };
}

/**
 * The range to underline for a problem reported at a 1-based line and column (the form the script
 * core and servers use): the word or quoted name starting there, else the rest of the line from
 * the column, else (an empty line, a position past the text) one character at the line's start so
 * the marker is still visible. Line and column are clamped into the text.
 */
export function rangeAtLineColumn(text: string | undefined, line1: number, column1: number): Range0 {
  const line = Math.max(0, Math.trunc(line1) - 1);
  const col = Math.max(0, Math.trunc(column1) - 1);
  if (text === undefined) return { start: { line, character: col }, end: { line, character: col + 1 } };
  const starts = lineOffsets(text);
  if (line >= starts.length) {
    const last = starts.length - 1;
    const len = lineText(text, starts, last).length;
    return { start: { line: last, character: 0 }, end: { line: last, character: Math.max(len, 0) } };
  }
  const lt = lineText(text, starts, line);
  if (lt.trim() === '') return { start: { line, character: 0 }, end: { line, character: lt.length } };
  const c = Math.min(col, Math.max(0, lt.length - 1));
  const rest = lt.slice(c);
  const word = /^(?:\[[^\]]*\]|"[^"]*"|'[^']*'|[\p{L}\p{N}_@#$.]+)/u.exec(rest);
  if (word && word[0].length > 0) return { start: { line, character: c }, end: { line, character: c + word[0].length } };
  const trimmed = rest.replace(/\s+$/, '');
  if (trimmed.length > 0) return { start: { line, character: c }, end: { line, character: c + trimmed.length } };
  // Only blanks after the column: underline the line's code.
  const first = lt.length - lt.trimStart().length;
  return { start: { line, character: first }, end: { line, character: lt.trimEnd().length } };
}

/** The whole code of one 0-based line (leading blanks left out). */
export function rangeOfLine(text: string, line: number): Range0 {
  const starts = lineOffsets(text);
  const l = Math.min(Math.max(0, line), starts.length - 1);
  const lt = lineText(text, starts, l);
  const first = lt.length - lt.trimStart().length;
  return { start: { line: l, character: first }, end: { line: l, character: Math.max(first, lt.trimEnd().length) } };
}

/** Severity order for sorting (errors first). */
export const SEVERITY_RANK: Readonly<Record<RecordSeverity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };
