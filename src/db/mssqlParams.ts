// SQL text in this project uses $1, $2, ... placeholders in every dialect. SQL Server (through
// sp_executesql) wants named parameters, so the SQL Server driver rewrites $n to @pn before sending.
// Only placeholders in code are rewritten: never inside 'strings' / N'strings' ('' escapes),
// [bracketed identifiers] (]] escapes), "quoted identifiers" ("" escapes), -- line comments or
// /* nested block comments */. A $ directly after an identifier character (col$1, @x$2) is part of
// the name, not a placeholder. Line breaks are kept, so server line numbers still match the text.

export interface RewrittenSql {
  /** The SQL with $n replaced by @pn. */
  text: string;
  /** Highest placeholder number used (0 when there are none). */
  maxIndex: number;
  /** Placeholder numbers used, ascending, without duplicates. */
  indexes: number[];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters that may continue a T-SQL identifier or variable name. */
const isIdentChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 36 /* $ */ || c === 35 /* # */ || c === 64 /* @ */ || c > 127;

/** Parameter name the driver binds for placeholder $n. */
export function mssqlParamName(n: number): string {
  return `p${n}`;
}

/** Rewrite $1..$n placeholders to @p1..@pn outside strings, quoted identifiers and comments. */
export function rewritePlaceholders(sql: string): RewrittenSql {
  let out = '';
  let from = 0; // start of the text not yet copied to out
  let i = 0;
  const n = sql.length;
  const used = new Set<number>();
  let maxIndex = 0;

  // Skip a delimited run starting at i (the opening character), where a doubled closing
  // character is an escape. Unterminated runs extend to the end (the server reports them).
  const skipDelimited = (close: number): void => {
    i++;
    while (i < n) {
      if (sql.charCodeAt(i) === close) {
        if (sql.charCodeAt(i + 1) === close) {
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
    if (c === 39 /* ' */) {
      skipDelimited(39);
      continue;
    }
    if (c === 91 /* [ */) {
      skipDelimited(93);
      continue;
    }
    if (c === 34 /* " */) {
      skipDelimited(34);
      continue;
    }
    if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      i += 2;
      while (i < n && sql.charCodeAt(i) !== 10 && sql.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      // T-SQL block comments nest.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = sql.charCodeAt(i);
        if (d === 47 && sql.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
          continue;
        }
        if (d === 42 && sql.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
          continue;
        }
        i++;
      }
      continue;
    }
    if (c === 36 /* $ */ && isDigit(sql.charCodeAt(i + 1)) && (i === 0 || !isIdentChar(sql.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      // $1abc is not a placeholder followed by a name: leave such text alone.
      if (j < n && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) {
        i = j;
        continue;
      }
      const index = Number(sql.slice(i + 1, j));
      if (index === 0) throw new Error(`invalid parameter placeholder $0 (placeholders start at $1)`);
      used.add(index);
      if (index > maxIndex) maxIndex = index;
      out += sql.slice(from, i) + '@' + mssqlParamName(index);
      from = j;
      i = j;
      continue;
    }
    // Skip whole identifiers/variables so a $ inside them is never seen as a placeholder start.
    if (isIdentChar(c) && c !== 36) {
      i++;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  out += sql.slice(from);
  return { text: out, maxIndex, indexes: [...used].sort((a, b) => a - b) };
}
