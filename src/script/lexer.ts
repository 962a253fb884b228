// A small SQL lexer for scripts: it only knows what is code and what is not (comments, string
// literals, quoted identifiers, dollar-quoted bodies), which is all the splitter, the feature
// scanner and the CREATE TABLE reader need. Pure: no I/O.
//
// T-SQL: -- line comments, nested /* */ comments, '...' strings ('' escapes; N'...' is N + string),
//        "..." identifiers ("" escapes), [...] identifiers (]] escapes).
// PostgreSQL: -- line comments, nested /* */ comments, '...' strings ('' escapes), E'...' strings
//        (backslash escapes too), "..." identifiers, $tag$...$tag$ dollar-quoted bodies.
// Oracle: -- line comments, /* */ comments (not nested), '...' strings ('' escapes; N'...' is N +
//        string), q'X...X' / nq'X...X' alternative quoting (any delimiter; [ ( { < close with their
//        pair) as strings, "..." identifiers.
import { qQuoteAt } from '../db/oracleParams';

export type ScriptDialect = 'tsql' | 'postgres' | 'oracle';

export type SpanKind = 'code' | 'line-comment' | 'block-comment' | 'string' | 'ident' | 'dollar';

export interface Span {
  kind: SpanKind;
  start: number;
  /** exclusive */
  end: number;
  /** false when the construct runs to the end of the text without being closed. */
  closed: boolean;
}

const isIdentChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** End (exclusive) of a nested block comment starting at i ("/*"); also whether it was closed. */
function blockCommentEnd(text: string, i: number): [number, boolean] {
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      depth++;
      i += 2;
      continue;
    }
    if (c === 42 && text.charCodeAt(i + 1) === 47) {
      depth--;
      i += 2;
      if (depth === 0) return [i, true];
      continue;
    }
    i++;
  }
  return [n, false];
}

/** End of a quoted run opened at i by `quote`, where a doubled closing char is an escape. */
function quotedEnd(text: string, i: number, close: number, backslash = false): [number, boolean] {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (backslash && c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === close) {
      if (text.charCodeAt(i + 1) === close) {
        i += 2;
        continue;
      }
      return [i + 1, true];
    }
    i++;
  }
  return [n, false];
}

/** If a dollar quote opens at i, its tag (e.g. "$$" or "$body$"); else null. */
function dollarTag(text: string, i: number): string | null {
  if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) return null; // part of an identifier like a$b
  let j = i + 1;
  const n = text.length;
  if (j < n && text.charCodeAt(j) === 36) return '$$';
  if (j >= n || !isIdentStart(text.charCodeAt(j))) return null; // $1 is a parameter
  j++;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 36) return text.slice(i, j + 1);
    if (!isIdentChar(c) || c === 36) return null;
    j++;
  }
  return null;
}

/**
 * Cut text into contiguous spans. Code spans are maximal runs of code; every character belongs to
 * exactly one span. Never throws: an unclosed construct runs to the end with closed = false.
 */
export function lexSql(text: string, dialect: ScriptDialect): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  let codeStart = 0;
  let i = 0;
  const push = (kind: SpanKind, start: number, end: number, closed: boolean) => {
    if (codeStart < start) spans.push({ kind: 'code', start: codeStart, end: start, closed: true });
    spans.push({ kind, start, end, closed });
    codeStart = end;
    i = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      let j = text.indexOf('\n', i + 2);
      if (j < 0) j = n;
      else if (j > i && text.charCodeAt(j - 1) === 13) j--; // keep \r\n together with the newline
      push('line-comment', i, j, true);
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      if (dialect === 'oracle') {
        const close = text.indexOf('*/', i + 2);
        push('block-comment', i, close < 0 ? n : close + 2, close >= 0);
        continue;
      }
      const [end, closed] = blockCommentEnd(text, i);
      push('block-comment', i, end, closed);
      continue;
    }
    if (dialect === 'oracle' && (c === 113 || c === 81 || c === 110 || c === 78) /* q Q n N */) {
      const q = qQuoteAt(text, i);
      if (q) {
        push('string', i, i + q.length, q.closed);
        continue;
      }
    }
    if (c === 39 /* ' */) {
      let backslash = false;
      if (dialect === 'postgres' && i > 0) {
        const p = text.charCodeAt(i - 1);
        if ((p === 69 || p === 101) && (i < 2 || !isIdentChar(text.charCodeAt(i - 2)))) backslash = true;
      }
      const [end, closed] = quotedEnd(text, i, 39, backslash);
      push('string', backslash ? i - 1 : i, end, closed);
      continue;
    }
    if (c === 34 /* " */) {
      const [end, closed] = quotedEnd(text, i, 34);
      push('ident', i, end, closed);
      continue;
    }
    if (dialect === 'tsql' && c === 91 /* [ */) {
      const [end, closed] = quotedEnd(text, i, 93);
      push('ident', i, end, closed);
      continue;
    }
    if (dialect === 'postgres' && c === 36 /* $ */) {
      const tag = dollarTag(text, i);
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        push('dollar', i, end, close >= 0);
        continue;
      }
    }
    i++;
  }
  if (codeStart < n) spans.push({ kind: 'code', start: codeStart, end: n, closed: true });
  return spans.filter((s) => s.end > s.start);
}

/**
 * The text with everything that is not code blanked out (each character replaced by a space,
 * newlines kept), so offsets and lines stay the same. With keepStrings, string literals stay.
 */
export function maskNonCode(text: string, dialect: ScriptDialect, options: { keepStrings?: boolean; spans?: Span[] } = {}): string {
  const spans = options.spans ?? lexSql(text, dialect);
  const parts: string[] = [];
  for (const s of spans) {
    const piece = text.slice(s.start, s.end);
    if (s.kind === 'code' || s.kind === 'ident' || (options.keepStrings && s.kind === 'string')) parts.push(piece);
    else
      parts.push(
        piece.indexOf('\n') < 0
          ? ' '.repeat(piece.length)
          : piece
              .split('\n')
              .map((l) => ' '.repeat(l.length))
              .join('\n'),
      );
  }
  return parts.join('');
}

/** Offsets where each line starts (line 1 at index 0). */
export function lineStarts(text: string): number[] {
  const out = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    out.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return out;
}

/** 1-based line and column of an offset, given lineStarts(text). */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
