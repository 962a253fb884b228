// Split a SQL script into batches, exactly as the usual tools do. Pure: no I/O.
//
// T-SQL (sqlcmd / SSMS): a batch ends at a line holding only `GO` (any case), optionally followed
// by a repeat count (`GO 5`) and a `--` comment. A GO inside a comment (nested /* */ too), a string
// literal or a quoted/[bracketed] identifier is not a separator. Lines starting with `:` (sqlcmd
// commands such as :setvar, :r, :on error) and `!!` are reported as directives.
// PostgreSQL (psql): a statement ends at `;` outside strings, E'' strings, dollar-quoted bodies,
// quoted identifiers, comments and parentheses. Lines starting with `\` are psql meta-commands.
// Oracle (SQL*Plus / SQLcl): a SQL statement ends at `;` outside strings (q'[…]' too), quoted
// identifiers and comments, or at a line holding only `/`. A PL/SQL unit (DECLARE, BEGIN, CREATE
// [OR REPLACE] [EDITIONABLE|NONEDITIONABLE] PROCEDURE|FUNCTION|PACKAGE [BODY]|TRIGGER|TYPE [BODY]|
// LIBRARY) keeps its inner `;` and ends only at a line holding only `/`. SQL*Plus command lines
// (SET, PROMPT, DEFINE, WHENEVER, SPOOL, REM, @file, …) between statements are directives.
//
// The pieces (text, separator, directive) cover the input exactly, in order: joining their texts
// gives the input back. Batches are built from the text pieces between separators.
import { lexSql, lineStarts, positionAt, type ScriptDialect, type Span } from './lexer';

export type PieceKind = 'text' | 'separator' | 'directive';

export interface Piece {
  kind: PieceKind;
  start: number;
  /** exclusive */
  end: number;
  /** GO n: how many times the batch before this separator runs (1 when no count). */
  repeat?: number;
}

export interface RawBatch {
  /** Offsets of the text pieces making the batch (more than one when a directive sits inside). */
  ranges: Array<{ start: number; end: number }>;
  /** Offsets of the directive pieces inside the batch, in order (they sit between ranges). */
  directives: Array<{ start: number; end: number }>;
  start: number;
  end: number;
  repeat: number;
  /** Nothing but whitespace and comments. */
  blank: boolean;
}

export interface SplitWarning {
  offset: number;
  line: number;
  column: number;
  message: string;
  /** The script cannot be run as it is (an unclosed comment or string at the end, a file that is
   *  not text): planScript turns these into errors. */
  fatal?: boolean;
}

/**
 * The first character that no SQL text holds (NUL, or another control character than tab, line
 * feed, carriage return, form feed and vertical tab; C1 controls included, which is what the bytes
 * of a binary file read as Windows-1252 become), or -1. A script holding one is not text.
 */
export function firstNonTextChar(text: string): number {
  const m = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffe\uffff]/.exec(text);
  return m ? m.index : -1;
}

/** The message for a script that is not text, naming the character found. */
export function notTextMessage(text: string, at: number): string {
  const code = text.charCodeAt(at);
  const what = code === 0 ? 'a NUL byte' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `this file is not a text script (${what} here): it is not sent to the server. Is it binary, or UTF-16 saved without a byte-order mark? Save it as UTF-8 text.`;
}

export interface SplitResult {
  dialect: ScriptDialect;
  pieces: Piece[];
  batches: RawBatch[];
  warnings: SplitWarning[];
  spans: Span[];
  lineStarts: number[];
}

const GO_LINE = /^[ \t]*go(?:[ \t]+(\d+))?[ \t]*(?:--[^\n]*)?$/i;
const TSQL_DIRECTIVE = /^[ \t]*(?::[A-Za-z]|!!)/;
const PSQL_META = /^[ \t]*\\[A-Za-z!?]/;
/** A line holding only `/` (blanks around it allowed): runs the buffer in SQL*Plus. */
const SLASH_LINE = /^[ \t]*\/[ \t]*\r?$/;
/** The start of a PL/SQL unit, which only a `/` line ends (read on text with comments blanked). */
export const PLSQL_START = /^(?:declare\b|begin\b|<<|create\s+(?:or\s+replace\s+)?(?:(?:editionable|noneditionable)\s+)?(?:procedure|function|package|trigger|type|library)\b)/i;
/** SQL*Plus / SQLcl commands (lines of their own, between statements). SET TRANSACTION, SET ROLE
 *  and SET CONSTRAINTS are SQL. */
const SQLPLUS_COMMAND =
  /^[ \t]*(?:@@?|(?:set(?![ \t]+(?:transaction|role|constraints?)\b)|pro|prompt|spo|spool|whenever|def|define|undef|undefine|rem|remark|col|column|sho|show|ttitle|btitle|break|clear|exec|execute|start|conn|connect|disc|disconnect|exit|quit|var|variable|print|accept|pause|timing|host|store|repfooter|repheader)(?=[ \t;]|\r?$))/i;

/** For each line start, whether it lies in code (not strictly inside a comment, string or identifier). */
function lineStartsInCode(starts: readonly number[], spans: readonly Span[]): boolean[] {
  const out = new Array<boolean>(starts.length);
  let k = 0;
  for (let li = 0; li < starts.length; li++) {
    const off = starts[li]!;
    while (k < spans.length && spans[k]!.end <= off) k++;
    const s = spans[k];
    out[li] = !s || s.kind === 'code' || s.start === off;
  }
  return out;
}

function lineEnd(text: string, starts: readonly number[], li: number): number {
  return li + 1 < starts.length ? starts[li + 1]! : text.length;
}

function describe(kind: Span['kind']): string {
  switch (kind) {
    case 'block-comment':
      return '/* comment';
    case 'string':
      return 'string literal';
    case 'ident':
      return 'quoted identifier';
    case 'dollar':
      return 'dollar-quoted body';
    default:
      return kind;
  }
}

export function splitScript(text: string, dialect: ScriptDialect): SplitResult {
  const spans = lexSql(text, dialect);
  const starts = lineStarts(text);
  const pieces: Piece[] = [];
  const warnings: SplitWarning[] = [];
  const bad = firstNonTextChar(text);
  if (bad >= 0) warnings.push({ offset: bad, ...positionAt(starts, bad), message: notTextMessage(text, bad), fatal: true });
  for (const s of spans) {
    if (!s.closed) {
      const p = positionAt(starts, s.start);
      warnings.push({
        offset: s.start,
        ...p,
        message: `${describe(s.kind)} opened here is never closed: everything after it is part of it${dialect === 'tsql' ? ' (GO lines included)' : ''}, so the script cannot be run as it is`,
        fatal: true,
      });
    }
  }
  let textStart = 0;
  const cut = (kind: PieceKind, start: number, end: number, repeat?: number) => {
    if (textStart < start) pieces.push({ kind: 'text', start: textStart, end: start });
    const p: Piece = { kind, start, end };
    if (repeat !== undefined) p.repeat = repeat;
    pieces.push(p);
    textStart = end;
  };

  if (dialect === 'tsql') {
    const inCode = lineStartsInCode(starts, spans);
    for (let li = 0; li < starts.length; li++) {
      if (!inCode[li]) continue;
      const ls = starts[li]!;
      const le = lineEnd(text, starts, li);
      let content = text.slice(ls, le);
      if (content.endsWith('\n')) content = content.slice(0, -1);
      if (content.endsWith('\r')) content = content.slice(0, -1);
      if (content.length > 200) continue;
      const m = GO_LINE.exec(content);
      if (m) {
        const repeat = m[1] ? Number(m[1]) : 1;
        if (m[1] && (!Number.isSafeInteger(repeat) || repeat < 1)) {
          warnings.push({ offset: ls, line: li + 1, column: 1, message: `GO count must be a positive whole number, got ${m[1]}` });
        }
        cut('separator', ls, le, Math.max(1, Number.isSafeInteger(repeat) ? repeat : 1));
      } else if (TSQL_DIRECTIVE.test(content)) {
        cut('directive', ls, le);
      }
    }
  } else if (dialect === 'oracle') {
    splitOracle(text, spans, starts, cut, warnings);
  } else {
    const inCode = lineStartsInCode(starts, spans);
    let li = 0;
    let depth = 0;
    for (const s of spans) {
      if (s.kind !== 'code') continue;
      for (let i = Math.max(s.start, textStart); i < s.end; i++) {
        const c = text.charCodeAt(i);
        if (c === 40) depth++;
        else if (c === 41) {
          if (depth > 0) depth--;
        } else if (c === 59 && depth === 0) cut('separator', i, i + 1);
        else if (c === 92 /* \ */) {
          // psql meta-command: only when it starts its line (after blanks) in code.
          while (li + 1 < starts.length && starts[li + 1]! <= i) li++;
          const ls = starts[li]!;
          if (inCode[li] && ls >= textStart && PSQL_META.test(text.slice(ls, Math.min(text.length, ls + 64)))) {
            const le = lineEnd(text, starts, li);
            cut('directive', ls, le);
            i = le - 1;
          }
        }
      }
    }
  }
  if (textStart < text.length) pieces.push({ kind: 'text', start: textStart, end: text.length });

  // Assemble batches: text (and directives) up to each separator.
  const batches: RawBatch[] = [];
  let cur: RawBatch | null = null;
  const codeAt = codeChecker(text, spans);
  for (const p of pieces) {
    if (p.kind === 'separator') {
      const b: RawBatch = cur ?? { ranges: [], directives: [], start: p.start, end: p.start, repeat: 1, blank: true };
      b.repeat = p.repeat ?? 1;
      batches.push(b);
      cur = null;
      continue;
    }
    if (!cur) cur = { ranges: [], directives: [], start: p.start, end: p.end, repeat: 1, blank: true };
    cur.end = p.end;
    if (p.kind === 'text') {
      cur.ranges.push({ start: p.start, end: p.end });
      if (cur.blank && codeAt(p.start, p.end)) cur.blank = false;
    } else {
      cur.directives.push({ start: p.start, end: p.end });
    }
  }
  if (cur) batches.push(cur);
  return { dialect, pieces, batches, warnings, spans, lineStarts: starts };
}

/** The Oracle cuts (see the header): statements by `;` or `/` lines, PL/SQL units by `/` lines. */
function splitOracle(text: string, spans: readonly Span[], starts: readonly number[], cut: (kind: PieceKind, start: number, end: number) => void, warnings: SplitWarning[]): void {
  const inCode = lineStartsInCode(starts, spans);
  // Code with comments and strings blanked (same offsets), so keywords and ; are found only in code.
  const masked = spans
    .map((s) => {
      const piece = text.slice(s.start, s.end);
      return s.kind === 'code' ? piece : piece.replace(/[^\n]/g, s.kind === 'ident' ? '_' : ' ');
    })
    .join('');
  type State = 'idle' | 'sql' | 'plsql';
  let state: State = 'idle';
  let endedBySemicolon = false;
  for (let li = 0; li < starts.length; li++) {
    const ls = starts[li]!;
    const le = lineEnd(text, starts, li);
    let content = text.slice(ls, le);
    if (content.endsWith('\n')) content = content.slice(0, -1);
    if (inCode[li] && SLASH_LINE.test(content)) {
      if (state === 'idle' && endedBySemicolon) {
        warnings.push({ offset: ls, line: li + 1, column: 1, message: 'a "/" line after a statement ended by ";" runs that statement again in SQL*Plus; here it is run once' });
      }
      cut('separator', ls, le);
      state = 'idle';
      endedBySemicolon = false;
      continue;
    }
    if (state === 'idle' && inCode[li] && SQLPLUS_COMMAND.test(content) && /^\s*\S/.test(masked.slice(ls, le))) {
      cut('directive', ls, le);
      continue;
    }
    for (let i = ls; i < le; i++) {
      const c = masked.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (state === 'idle') {
        if (c === 59) continue; // a stray ; between statements
        state = PLSQL_START.test(masked.slice(i, i + 200)) ? 'plsql' : 'sql';
        endedBySemicolon = false;
      }
      if (state === 'sql' && c === 59) {
        cut('separator', i, i + 1);
        state = 'idle';
        endedBySemicolon = true;
      }
    }
  }
  if (state === 'plsql') {
    const at = text.length;
    warnings.push({ offset: at, ...positionAt(starts, at), message: 'the last PL/SQL block has no line holding only "/" after it: SQL*Plus would not run it; here it is run' });
  }
}

/** Whether [start, end) holds any non-blank code character. */
function codeChecker(text: string, spans: readonly Span[]): (start: number, end: number) => boolean {
  return (start, end) => {
    // binary search the first span ending after start
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < spans.length && spans[k]!.start < end; k++) {
      const s = spans[k]!;
      if (s.kind === 'line-comment' || s.kind === 'block-comment') continue;
      if (s.kind !== 'code') return true;
      const a = Math.max(s.start, start);
      const b = Math.min(s.end, end);
      for (let i = a; i < b; i++) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 59) return true;
      }
    }
    return false;
  };
}

/** Text of a raw batch (directive lines removed). */
export function rawBatchText(text: string, b: RawBatch): string {
  return b.ranges.map((r) => text.slice(r.start, r.end)).join('');
}
