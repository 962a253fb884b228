// Check findings indexed for the tree and the Problems panel, and where a table's findings go in an
// SSD script that creates it (the CREATE TABLE line, a column's line inside it). Pure.
import { maskNonCode, type ScriptDialect } from '../../script/lexer';
import type { CheckFinding, Severity } from '../../check/types';

export interface Tally {
  errors: number;
  warnings: number;
  infos: number;
  /** Finding messages (no data values: the check core never puts any in). */
  messages: string[];
}

export interface FindingsByTable {
  table: Tally;
  columns: Map<string, Tally>;
  findings: CheckFinding[];
}

const empty = (): Tally => ({ errors: 0, warnings: 0, infos: 0, messages: [] });

function add(t: Tally, sev: Severity, msg: string): void {
  if (sev === 'error') t.errors++;
  else if (sev === 'warning') t.warnings++;
  else t.infos++;
  t.messages.push(msg);
}

/** Group findings by table (every finding counts for its table) and by column. */
export function indexFindings(findings: readonly CheckFinding[]): Map<string, FindingsByTable> {
  const out = new Map<string, FindingsByTable>();
  for (const f of findings) {
    const key = f.table.toLowerCase();
    let e = out.get(key);
    if (!e) out.set(key, (e = { table: empty(), columns: new Map(), findings: [] }));
    e.findings.push(f);
    const msg = `${f.ruleId}: ${f.message}`;
    add(e.table, f.severity, msg);
    if (f.column) {
      const ck = f.column.toLowerCase();
      let c = e.columns.get(ck);
      if (!c) e.columns.set(ck, (c = empty()));
      add(c, f.severity, msg);
    }
  }
  return out;
}

/** The rule of "staging table … is not present yet (ssd stage creates it)". */
export const STAGING_TABLE_MISSING_RULE = 'SSD-SCHEMA-005';

/**
 * The findings once a staging run has created `table`: its "staging table not present yet"
 * finding no longer holds and goes; every other finding (of any table) stays as the check left it.
 */
export function withoutStagingTableMissing(findings: readonly CheckFinding[], table: string): CheckFinding[] {
  const t = table.toLowerCase();
  return findings.filter((f) => !(f.ruleId === STAGING_TABLE_MISSING_RULE && f.table.toLowerCase() === t));
}

export interface CreateTableLocation {
  /** Offsets of the table name in the CREATE TABLE statement. */
  nameStart: number;
  nameEnd: number;
  /** Offsets of each column's name inside the statement's column list (lower-case keys). */
  columns: Map<string, { start: number; end: number }>;
}

const NAME_PART = String.raw`(?:\[[^\]]+\]|"[^"]+"|[A-Za-z_#][A-Za-z0-9_$#@]*)`;

function unquote(part: string): string {
  return part
    .replace(/^\[|\]$/g, '')
    .replace(/^"|"$/g, '')
    .toLowerCase();
}

/**
 * Find `CREATE TABLE [db.][schema.]<table> (` in a script (comments and strings ignored) and the
 * columns it defines. Returns the first such statement, or undefined.
 */
export function locateCreateTable(text: string, table: string, dialect: ScriptDialect): CreateTableLocation | undefined {
  return locateCreateTables(text, [table], dialect).get(table.toLowerCase());
}

/**
 * locateCreateTable for several tables at once (the script is lexed once): the first CREATE TABLE
 * of each table found, keyed by lower-case table name; tables not created are absent.
 */
export function locateCreateTables(text: string, tables: readonly string[], dialect: ScriptDialect): Map<string, CreateTableLocation> {
  const out = new Map<string, CreateTableLocation>();
  const want = new Set(tables.map((t) => t.toLowerCase()));
  if (!want.size || !/create\s+table/i.test(text)) return out;
  const masked = maskNonCode(text, dialect);
  const re = new RegExp(String.raw`\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:${NAME_PART}\s*\.\s*){0,2})(${NAME_PART})\s*\(`, 'gi');
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const namePart = m[2]!;
    const name = unquote(namePart);
    if (!want.has(name) || out.has(name)) continue;
    const nameStart = m.index + m[0].lastIndexOf(namePart, m[0].length - 1);
    const nameEnd = nameStart + namePart.length;
    const open = m.index + m[0].length - 1;
    const columns = new Map<string, { start: number; end: number }>();
    // Walk the column list: at depth 1, the first identifier after '(' or ',' names a column.
    let depth = 0;
    let expectName = true;
    for (let i = open; i < masked.length; i++) {
      const c = masked[i]!;
      if (c === '(') {
        depth++;
        if (depth === 1) expectName = true;
        continue;
      }
      if (c === ')') {
        depth--;
        if (depth === 0) break;
        continue;
      }
      if (depth === 1 && c === ',') {
        expectName = true;
        continue;
      }
      if (depth === 1 && expectName && !/\s/.test(c)) {
        const rest = masked.slice(i, i + 300);
        const nm = new RegExp('^' + NAME_PART).exec(rest);
        if (nm) {
          const col = unquote(nm[0]);
          if (!['constraint', 'primary', 'foreign', 'unique', 'check', 'index', 'period'].includes(col) && !columns.has(col)) {
            columns.set(col, { start: i, end: i + nm[0].length });
          }
          i += nm[0].length - 1;
        }
        expectName = false;
      }
    }
    out.set(name, { nameStart, nameEnd, columns });
    if (out.size === want.size) break;
  }
  return out;
}
