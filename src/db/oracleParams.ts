// SQL text in this project uses $1, $2, ... placeholders in every dialect; Oracle wants :name
// binds. The Oracle driver rewrites $n to :bn before sending, only in code: never inside
// 'strings' ('' escapes), alternative quoting q'[…]' / nq'{…}' (any delimiter; [ ( { < close with
// their pair), "quoted identifiers", -- line comments or /* block comments */ (not nested in
// Oracle). A $ right after an identifier character (v$session, col$1) is part of the name.
// Line breaks are kept, so the server's error offsets still point into the same lines.

export interface OracleRewrittenSql {
  /** The SQL with $n replaced by :bn. */
  text: string;
  /** Placeholder numbers used, ascending, without duplicates. */
  indexes: number[];
  /** Placeholder numbers in the order they occur (executeMany binds by position). */
  order: number[];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 35 || c > 127;

/** The closing character of a q-quote opened with `open`. */
export function qQuoteCloser(open: string): string {
  return open === '[' ? ']' : open === '(' ? ')' : open === '{' ? '}' : open === '<' ? '>' : open;
}

/**
 * Length of the literal starting at i when it is a q-quote (q'X…X' or nq'X…X', any case), else 0.
 * Unterminated ones run to the end of the text.
 */
export function qQuoteLength(sql: string, i: number): number {
  return qQuoteAt(sql, i)?.length ?? 0;
}

/** The q-quote starting at i (its length, and whether it is closed), or undefined. */
export function qQuoteAt(sql: string, i: number): { length: number; closed: boolean } | undefined {
  let j = i;
  const c0 = sql[j]?.toLowerCase();
  if (c0 === 'n' && sql[j + 1]?.toLowerCase() === 'q') j++;
  else if (c0 !== 'q') return undefined;
  if (i > 0 && isIdentChar(sql.charCodeAt(i - 1))) return undefined;
  if (sql[j + 1] !== "'") return undefined;
  const open = sql[j + 2];
  if (open === undefined || /\s/.test(open)) return undefined;
  const end = sql.indexOf(`${qQuoteCloser(open)}'`, j + 3);
  return end < 0 ? { length: sql.length - i, closed: false } : { length: end + 2 - i, closed: true };
}

export function rewriteOraclePlaceholders(sql: string): OracleRewrittenSql {
  let out = '';
  let from = 0;
  let i = 0;
  const n = sql.length;
  const used = new Set<number>();
  const order: number[] = [];
  const skipTo = (close: string) => {
    i++;
    while (i < n) {
      if (sql[i] === close) {
        if (sql[i + 1] === close) {
          i += 2;
          continue;
        }
        i++;
        return;
      }
      i++;
    }
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    const q = qQuoteLength(sql, i);
    if (q > 0) {
      i += q;
      continue;
    }
    if (c === 39) {
      skipTo("'");
      continue;
    }
    if (c === 34) {
      skipTo('"');
      continue;
    }
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 36 && isDigit(sql.charCodeAt(i + 1)) && !(i > 0 && isIdentChar(sql.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      const num = Number(sql.slice(i + 1, j));
      if (num >= 1) {
        out += sql.slice(from, i) + `:b${num}`;
        from = j;
        used.add(num);
        order.push(num);
      }
      i = j;
      continue;
    }
    i++;
  }
  out += sql.slice(from);
  return { text: out, indexes: [...used].sort((a, b) => a - b), order };
}
