// "Run as SSD Script" without the editor: whether a SQL file looks like an SSD script (so the
// editor shows the button only there), the target the confirmation names (server, database,
// schema), and SELECT results summarised for the output ("returned 12 rows; first rows below").
// Pure (no 'vscode').
import type { ResultSummary, RunResult } from '../../script/runner';

/** How much of a file the scan reads: enough for a header and the first tables, cheap on any file. */
const SCAN_CHARS = 200_000;

/**
 * True when SQL text looks like an SSD deployment or extract script: the community scripts' META
 * tags (META-CONTAINER, META-ELEMENT…), or statements that create, fill or change `ssd_` tables.
 * A plain query that only reads an `ssd_` table does not count.
 */
export function looksLikeSsdScript(text: string): boolean {
  const t = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  if (/META-(CONTAINER|ELEMENT|END)\b/i.test(t)) return true;
  const name = String.raw`(?:(?:\[[^\]]+\]|"[^"]+"|\w+)\s*\.\s*)*[\["]?ssd_\w+`;
  const writes = new RegExp(
    String.raw`\b(?:CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|TRUNCATE\s+TABLE|INSERT\s+INTO|DELETE\s+FROM|UPDATE|SELECT\b[\s\S]{0,2000}?\bINTO)\s+${name}`,
    'i',
  );
  return writes.test(t);
}

export interface ScriptTarget {
  /** The connection's name ("Demo database", a profile's name). */
  connection: string;
  server: string;
  database: string;
  schema: string;
}

/** Server and database from a connection's safe description ("SQL Server u@sql01,1433/ssd", "PostgreSQL u@h:5432/db", "embedded PostgreSQL at /dir"). */
export function scriptTarget(label: string, description: string, schema: string): ScriptTarget {
  const embedded = /^embedded PostgreSQL(?: at (.+))?/.exec(description);
  if (embedded) return { connection: label, server: 'embedded database on this machine', database: embedded[1] ?? '(in memory)', schema };
  const m = /^(?:SQL Server|PostgreSQL)\s+(?:.*@)?([^@/\s]+)\/([^\s]*)/.exec(description);
  if (m) return { connection: label, server: m[1]!, database: m[2] || "(the login's default)", schema };
  return { connection: label, server: description, database: '(see the server)', schema };
}

/** The modal's question and detail before a script writes to a database that is not the demo. */
export function confirmRunText(file: string, t: ScriptTarget): { message: string; detail: string } {
  return {
    message: `Run ${file} as an SSD script on "${t.connection}"?`,
    detail: `Server: ${t.server}\nDatabase: ${t.database}\nSchema: ${t.schema}\n\nThe script's statements run on that database as written: tables it drops, truncates or fills change there.`,
  };
}

const cell = (v: unknown): string => {
  const s =
    v === null || v === undefined
      ? 'NULL'
      : v instanceof Date
        ? v
            .toISOString()
            .replace('T', ' ')
            .replace(/\.000Z$|Z$/, '')
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
};

/** Output lines of a batch's SELECT results: "returned 12 rows; first rows below" and a small table. */
export function resultLines(results: readonly ResultSummary[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const rows = `${r.rows.toLocaleString('en-GB')} row${r.rows === 1 ? '' : 's'}`;
    if (r.rows === 0 || r.columns.length === 0) {
      out.push(`    returned ${rows}`);
      continue;
    }
    out.push(`    returned ${rows}; ${r.first.length < r.rows ? `first ${r.first.length} below` : r.rows === 1 ? 'below' : 'all below'}:`);
    const grid = [r.columns.map(cell), ...r.first.map((row) => r.columns.map((c) => cell(row[c])))];
    const widths = r.columns.map((_, i) => Math.max(...grid.map((g) => g[i]!.length)));
    grid.forEach((g, k) => {
      out.push(
        `      ${g
          .map((c, i) => c.padEnd(widths[i]!))
          .join(' | ')
          .trimEnd()}`,
      );
      if (k === 0) out.push(`      ${widths.map((w) => '-'.repeat(w)).join('-+-')}`);
    });
  }
  return out;
}

/** One phrase for the end of a run with SELECTs: "returned 12 rows; first rows in the output" (undefined without any). */
export function selectSummary(r: Pick<RunResult, 'batches'>): string | undefined {
  const all = r.batches.flatMap((b) => b.results ?? []);
  if (!all.length) return undefined;
  const rows = all.reduce((a, x) => a + x.rows, 0);
  const sets = all.length === 1 ? 'a SELECT' : `${all.length} SELECTs`;
  return `${sets} returned ${rows.toLocaleString('en-GB')} row${rows === 1 ? '' : 's'}${rows ? '; first rows in the SSD Script output' : ''}`;
}
