// Mosaic (SQL Server data mart): inject an LA's local settings (*.ssd-mosaic.json) into the
// ##populate_ssd_<table> procedures of the Mosaic script, run it to create the procedures, run the
// master procedure ##populate_ssd_main with the number of financial years, and, because Mosaic's
// procedures swallow their errors, list which ##ssd_ tables exist with their row counts.
// The injection and the analysis are pure; only runMosaic touches the database (SQL Server only).
import Ajv from 'ajv';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db } from '../db/types';
import { withSession } from '../db/session';
import { lexSql, lineStarts, maskNonCode, positionAt } from './lexer';
import { MOSAIC_DUMMY_VALUES, MOSAIC_SETTINGS, mosaicSettingsJsonSchema } from './mosaicSettings';
import { planScript } from './plan';
import { runPlan, type RunEvent, type RunResult } from './runner';
import type { ScriptDiagnostic } from './types';

export type SettingValue = string | number | null;
export type SettingRow = Record<string, SettingValue> | string | number;

export interface MosaicSettingsFile {
  $schema?: string;
  financialYears?: number;
  settings: Record<string, Record<string, SettingRow[]>>;
}

export class MosaicSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'MosaicSettingsError';
  }
}

/** Validate a parsed settings file against the JSON Schema; throws MosaicSettingsError listing every problem. */
export function validateMosaicSettings(value: unknown): MosaicSettingsFile {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(mosaicSettingsJsonSchema());
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '(top)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String((e.params as { additionalProperty: string }).additionalProperty)}` : ''}`,
    );
    throw new MosaicSettingsError(problems);
  }
  return value as MosaicSettingsFile;
}

export interface DeclaredColumn {
  name: string;
  type: string;
  base: string;
  length: number | null;
  precision: number | null;
}

export interface TableVariable {
  name: string;
  columns: DeclaredColumn[];
  /** The INSERT … VALUES filling it: [statementStart, tuplesStart, tuplesEnd) offsets. */
  insert?: { start: number; tuplesStart: number; tuplesEnd: number; line: number };
  /** The shipped tuples, as text. */
  shipped: string[];
}

export interface MosaicProcedure {
  name: string;
  /** Suffix after ##populate_ssd_, lower-case, or the whole name when it does not follow the pattern. */
  key: string;
  start: number;
  end: number;
  line: number;
  variables: Map<string, TableVariable>;
  /** ##ssd_ tables the procedure creates (lower-case, with ##). */
  globalTables: string[];
  /** Local #ssd_ tables it creates (these vanish when the procedure ends). */
  localTables: string[];
  /** Procedures it EXECs (lower-case names). */
  calls: string[];
}

export interface MosaicAnalysis {
  procedures: MosaicProcedure[];
  master?: MosaicProcedure;
  /** ##ssd_ tables that should exist after the master procedure runs. */
  expectedTables: string[];
  problems: ScriptDiagnostic[];
}

const PROC_RE = /\bcreate\s+(?:or\s+alter\s+)?proc(?:edure)?\s+(##?[\w]+|\[[^\]]+\]|[\w.]+)/gi;
const DECLARE_RE = /\bdeclare\s+@(\w+)\s+table\s*\(/gi;
const INSERT_RE = /\binsert\s+into\s+@(\w+)\s*(?:\([^)]*\)\s*)?values\b/gi;
const CREATE_TABLE_RE = /\bcreate\s+table\s+(#{1,2}ssd_\w+)/gi;
const EXEC_RE = /\bexec(?:ute)?\s+(##[\w]+)/gi;

function matchingParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseColumns(body: string): DeclaredColumn[] {
  const out: DeclaredColumn[] = [];
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '(') depth++;
    else if (body[i] === ')') depth--;
    else if (body[i] === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  for (const p of parts) {
    const m = /^\s*\[?(\w+)\]?\s+(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*\d+\s*)?\))?/.exec(p);
    if (!m) continue;
    const base = m[2]!.toLowerCase();
    const arg = m[3];
    const isText = /char/.test(base);
    out.push({
      name: m[1]!,
      type: `${base}${arg ? `(${arg})` : ''}`,
      base,
      length: isText ? (arg && /^\d+$/.test(arg) ? Number(arg) : arg?.toLowerCase() === 'max' ? null : 1) : null,
      precision: !isText && arg && /^\d+$/.test(arg) ? Number(arg) : null,
    });
  }
  return out;
}

/** Find the procedures, their settings (table variables) and what they create and call. */
export function analyseMosaicScript(text: string, file = 'mosaic.sql'): MosaicAnalysis {
  const spans = lexSql(text, 'tsql');
  const masked = maskNonCode(text, 'tsql', { spans });
  const starts = lineStarts(text);
  const heads: Array<{ name: string; at: number }> = [];
  PROC_RE.lastIndex = 0;
  for (let m = PROC_RE.exec(masked); m; m = PROC_RE.exec(masked)) heads.push({ name: m[1]!.toLowerCase(), at: m.index });
  const procedures: MosaicProcedure[] = heads.map((h, i) => {
    const end = i + 1 < heads.length ? heads[i + 1]!.at : text.length;
    const body = masked.slice(h.at, end);
    const key = h.name.startsWith('##populate_ssd_') ? h.name.slice('##populate_ssd_'.length) : h.name;
    const p: MosaicProcedure = { name: h.name, key, start: h.at, end, line: positionAt(starts, h.at).line, variables: new Map(), globalTables: [], localTables: [], calls: [] };
    DECLARE_RE.lastIndex = 0;
    for (let m = DECLARE_RE.exec(body); m; m = DECLARE_RE.exec(body)) {
      const open = h.at + m.index + m[0].length - 1;
      const close = matchingParen(masked, open);
      if (close < 0) continue;
      p.variables.set(m[1]!.toLowerCase(), { name: m[1]!, columns: parseColumns(masked.slice(open + 1, close)), shipped: [] });
    }
    INSERT_RE.lastIndex = 0;
    for (let m = INSERT_RE.exec(body); m; m = INSERT_RE.exec(body)) {
      const v = p.variables.get(m[1]!.toLowerCase());
      if (!v || v.insert) continue;
      let i = h.at + m.index + m[0].length;
      let tuplesStart = -1;
      let tuplesEnd = -1;
      for (;;) {
        while (i < masked.length && /\s/.test(masked[i]!)) i++;
        if (tuplesEnd >= 0) {
          if (masked[i] !== ',') break;
          i++;
          while (i < masked.length && /\s/.test(masked[i]!)) i++;
        }
        if (masked[i] !== '(') break;
        const close = matchingParen(masked, i);
        if (close < 0) break;
        if (tuplesStart < 0) tuplesStart = i;
        v.shipped.push(text.slice(i, close + 1));
        tuplesEnd = close + 1;
        i = close + 1;
      }
      if (tuplesStart >= 0) v.insert = { start: h.at + m.index, tuplesStart, tuplesEnd, line: positionAt(starts, h.at + m.index).line };
    }
    CREATE_TABLE_RE.lastIndex = 0;
    for (let m = CREATE_TABLE_RE.exec(body); m; m = CREATE_TABLE_RE.exec(body)) {
      const t = m[1]!.toLowerCase();
      (t.startsWith('##') ? p.globalTables : p.localTables).push(t);
    }
    EXEC_RE.lastIndex = 0;
    for (let m = EXEC_RE.exec(body); m; m = EXEC_RE.exec(body)) p.calls.push(m[1]!.toLowerCase());
    return p;
  });
  const master = procedures.find((p) => p.name === '##populate_ssd_main');
  const problems: ScriptDiagnostic[] = [];
  const byName = new Map(procedures.map((p) => [p.name, p]));
  const expected: string[] = [];
  const diag = (line: number, message: string, severity: ScriptDiagnostic['severity'] = 'warning'): ScriptDiagnostic => ({ file, line, column: 1, message, severity, source: 'mosaic' });
  if (!master) problems.push(diag(1, 'no ##populate_ssd_main procedure in the script: is this the Mosaic populate_ssd_data_warehouse.sql?', 'error'));
  const called = new Set(master?.calls ?? []);
  for (const c of master?.calls ?? []) {
    if (byName.has(c)) continue;
    const guess = c.startsWith('##ssd_') ? c.replace('##ssd_', '##populate_ssd_') : null;
    problems.push(
      diag(
        master!.line,
        `##populate_ssd_main calls ${c}, which the script never creates${guess && byName.has(guess) ? ` (did it mean ${guess}? fix the call in the master procedure)` : ''}: that part of the build fails with "could not find stored procedure"`,
      ),
    );
  }
  for (const p of procedures) {
    if (p === master) continue;
    if (master && !called.has(p.name)) {
      if (p.globalTables.length) problems.push(diag(p.line, `${p.name} is never run by ##populate_ssd_main, so ${p.globalTables.join(', ')} will be missing`));
      continue;
    }
    expected.push(...p.globalTables);
    for (const t of p.localTables) problems.push(diag(p.line, `${p.name} builds ${t}, a local temporary table that disappears when the procedure ends: no ##${t.slice(1)} will be left to read`));
  }
  return { procedures, ...(master ? { master } : {}), expectedTables: [...new Set(expected)], problems };
}

function sqlLiteral(value: SettingValue, col: DeclaredColumn, where: string): string {
  if (value === null) return 'NULL';
  if (/char/.test(col.base)) {
    const s = String(value);
    if (col.length !== null && [...s].length > col.length)
      throw new MosaicSettingsError([
        `${where}: "${s.slice(0, 40)}${s.length > 40 ? '…' : ''}" is ${[...s].length} characters, longer than ${col.name} ${col.type} allows (${col.length}); SQL Server would fail and the procedure would hide the error`,
      ]);
    return `${col.base.startsWith('n') ? 'N' : ''}'${s.replace(/'/g, "''")}'`;
  }
  if (/^(numeric|decimal|int|bigint|smallint|tinyint)$/.test(col.base)) {
    const s = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : String(value).trim();
    if (!/^-?\d+$/.test(s)) throw new MosaicSettingsError([`${where}: ${JSON.stringify(value)} is not a whole number, as ${col.name} ${col.type} needs`]);
    if (col.precision !== null && s.replace('-', '').length > col.precision) throw new MosaicSettingsError([`${where}: ${s} has more than ${col.precision} digits (${col.name} ${col.type})`]);
    return s;
  }
  if (/^(float|real)$/.test(col.base) && typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new MosaicSettingsError([`${where}: cannot write a value for ${col.name} ${col.type}`]);
}

export interface InjectionResult {
  text: string;
  /** procedure.variable → number of rows written. */
  applied: Array<{ procedure: string; variable: string; rows: number; line: number }>;
  /** Settings still holding the script's dummy values (their outputs stay empty). */
  dummies: Array<{ procedure: string; variable: string; line: number }>;
  analysis: MosaicAnalysis;
}

/** Write the settings into the script's INSERT … VALUES lists. Pure; throws MosaicSettingsError. */
export function injectMosaicSettings(text: string, settings: MosaicSettingsFile, file = 'mosaic.sql'): InjectionResult {
  const analysis = analyseMosaicScript(text, file);
  const problems: string[] = [];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const applied: InjectionResult['applied'] = [];
  const touched = new Set<string>();
  const eol = text.includes('\r\n') ? '\r\n' : '\n'; // the Mosaic script ships with CRLF
  for (const [procKey, vars] of Object.entries(settings.settings ?? {})) {
    const proc = analysis.procedures.find((p) => p.key === procKey.toLowerCase());
    if (!proc) {
      problems.push(`settings.${procKey}: the script has no procedure ##populate_ssd_${procKey}`);
      continue;
    }
    for (const [varName, rows] of Object.entries(vars)) {
      const v = proc.variables.get(varName.toLowerCase());
      const where = `settings.${procKey}.${varName}`;
      if (!v) {
        problems.push(`${where}: ##populate_ssd_${procKey} declares no table variable @${varName}`);
        continue;
      }
      if (!v.insert) {
        problems.push(`${where}: ##populate_ssd_${procKey} never fills @${v.name} with INSERT … VALUES, so there is nothing to replace`);
        continue;
      }
      touched.add(`${proc.key}.${v.name.toLowerCase()}`);
      try {
        const tuples = rows.map((row, i) => {
          const at = `${where}[${i}]`;
          let values: SettingValue[];
          if (row !== null && typeof row === 'object') {
            const lower = new Map(Object.entries(row).map(([k, val]) => [k.toLowerCase(), val] as const));
            for (const k of lower.keys())
              if (!v.columns.some((c) => c.name.toLowerCase() === k)) throw new MosaicSettingsError([`${at}: @${v.name} has no column ${k} (it has ${v.columns.map((c) => c.name).join(', ')})`]);
            values = v.columns.map((c, ci) => {
              const val = lower.get(c.name.toLowerCase());
              if (val === undefined && ci === 0) throw new MosaicSettingsError([`${at}: ${c.name} is missing`]);
              return val === undefined ? null : val;
            });
          } else {
            values = v.columns.map((_, ci) => (ci === 0 ? row : null));
          }
          return `(${values.map((val, ci) => sqlLiteral(val, v.columns[ci]!, at)).join(', ')})`;
        });
        const ins = v.insert;
        if (tuples.length) {
          const lineStart = text.lastIndexOf('\n', ins.tuplesStart - 1) + 1;
          const indent = /^[ \t]*/.exec(text.slice(lineStart, ins.tuplesStart))![0];
          const sameLine = lineStart > ins.start;
          edits.push({ start: ins.tuplesStart, end: ins.tuplesEnd, text: tuples.join(`,${eol}${sameLine ? indent : '\t\t\t'}`) });
        } else {
          edits.push({ start: ins.start, end: ins.tuplesEnd, text: `insert into @${v.name} select ${v.columns.map(() => 'NULL').join(', ')} where 1 = 0` });
        }
        applied.push({ procedure: proc.key, variable: v.name, rows: rows.length, line: ins.line });
      } catch (e) {
        if (e instanceof MosaicSettingsError) problems.push(...e.problems);
        else throw e;
      }
    }
  }
  if (problems.length) throw new MosaicSettingsError(problems);
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const dummies: InjectionResult['dummies'] = [];
  for (const p of analysis.procedures) {
    for (const v of p.variables.values()) {
      if (touched.has(`${p.key}.${v.name.toLowerCase()}`)) continue;
      const strings = v.shipped.flatMap((t) => [...t.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")));
      if (strings.some((s) => MOSAIC_DUMMY_VALUES.some((re) => re.test(s)))) dummies.push({ procedure: p.key, variable: v.name, line: v.insert?.line ?? p.line });
    }
  }
  return { text: out, applied, dummies, analysis };
}

/** The listing query: expected ##ssd_ tables (as parameters) and any other ##ssd_ table found, with row counts. */
export function mosaicListingQuery(expected: readonly string[]): { sql: string; params: string[] } {
  const names = expected.filter((t) => /^##ssd_\w+$/i.test(t));
  const values = names.length ? names.map((_, i) => `($${i + 1})`).join(', ') : '(CAST(NULL AS NVARCHAR(128)))';
  return { sql: fillIdentifiers(loadSql('mssql', 'mosaic_tables'), { expected_values: values }), params: names };
}

export interface MosaicTableStatus {
  table: string;
  expected: boolean;
  present: boolean;
  rows: number | null;
  status: 'ok' | 'empty' | 'missing' | 'unexpected';
  hint?: string;
}

/** Classify the listing rows; hints point at unset settings and known Mosaic defects. */
export function classifyMosaicTables(
  expected: readonly string[],
  rows: ReadonlyArray<{ table_name: string; present: number | boolean; row_count: number | string | null }>,
  injection?: Pick<InjectionResult, 'dummies' | 'analysis'>,
): MosaicTableStatus[] {
  const exp = new Set(expected.map((t) => t.toLowerCase()));
  const seen = new Map<string, { present: boolean; rows: number | null }>();
  for (const r of rows) seen.set(r.table_name.toLowerCase(), { present: r.present === true || r.present === 1, rows: r.row_count === null ? null : Number(r.row_count) });
  const procOf = (t: string) => injection?.analysis.procedures.find((p) => p.globalTables.includes(t));
  const out: MosaicTableStatus[] = [];
  for (const t of [...exp, ...[...seen.keys()].filter((k) => !exp.has(k)).sort()]) {
    const s = seen.get(t);
    const present = !!s?.present;
    const rowsN = present ? (s?.rows ?? 0) : null;
    const status: MosaicTableStatus['status'] = !exp.has(t) ? 'unexpected' : !present ? 'missing' : rowsN === 0 ? 'empty' : 'ok';
    const item: MosaicTableStatus = { table: t, expected: exp.has(t), present, rows: rowsN, status };
    const p = procOf(t);
    if (status === 'missing') item.hint = `${p?.name ?? 'its procedure'} failed (Mosaic procedures hide their errors): run it on its own to see the error`;
    if (status === 'empty' && p) {
      const d = injection?.dummies.filter((x) => x.procedure === p.key) ?? [];
      item.hint = d.length
        ? `settings still hold the script's dummy values: ${d.map((x) => '@' + x.variable).join(', ')}`
        : `no rows in the window: check the settings of ${p.name} and the data-mart mapping`;
    }
    out.push(item);
  }
  return out;
}

/** A ##ssd_ table the master procedure left empty or with less than half of the rows it had before. */
export interface MosaicShrunkTable {
  table: string;
  before: number;
  after: number;
  why: 'became empty' | 'lost more than half of its rows';
}

type ListingRow = { table_name: string; present: number | boolean; row_count: number | string | null };

/** Compare the ##ssd_ listing before and after ##populate_ssd_main: tables that fell to 0 or by more than half. */
export function mosaicShrunk(before: readonly ListingRow[], after: readonly ListingRow[]): MosaicShrunkTable[] {
  const rows = (r: ListingRow) => ((r.present === true || r.present === 1) && r.row_count !== null ? Number(r.row_count) : null);
  const was = new Map(before.map((r) => [r.table_name.toLowerCase(), rows(r)] as const));
  const out: MosaicShrunkTable[] = [];
  for (const r of after) {
    const b = was.get(r.table_name.toLowerCase());
    if (b === undefined || b === null || b <= 0) continue;
    const a = rows(r) ?? 0; // gone after the run counts as empty
    if (a === 0) out.push({ table: r.table_name.toLowerCase(), before: b, after: 0, why: 'became empty' });
    else if (a * 2 < b) out.push({ table: r.table_name.toLowerCase(), before: b, after: a, why: 'lost more than half of its rows' });
  }
  return out;
}

export interface MosaicRunOptions {
  file: string;
  settings: MosaicSettingsFile;
  /** Overrides settings.financialYears. */
  years?: number;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  onMessage?: (text: string) => void;
}

export interface MosaicRunResult {
  injection: Omit<InjectionResult, 'text' | 'analysis'> & { problems: ScriptDiagnostic[] };
  create: RunResult;
  master: { ran: boolean; elapsedMs: number; error?: string };
  tables: MosaicTableStatus[];
  /** Row-count watch: ##ssd_ tables that held rows before the master procedure and fell to 0 or by more than half. */
  shrunk: MosaicShrunkTable[];
  ok: boolean;
}

/** Create the procedures with the settings injected, run the master procedure, list the ##ssd_ tables. SQL Server only. */
export async function runMosaic(db: Db, text: string, options: MosaicRunOptions): Promise<MosaicRunResult> {
  if (db.dialect !== 'mssql') throw new Error('the Mosaic script is T-SQL: it runs on SQL Server only');
  // One dedicated session: the ## procedures and tables belong to the session that creates them.
  return withSession(db, (session) => runMosaicIn(session, text, options));
}

async function runMosaicIn(db: Db, text: string, options: MosaicRunOptions): Promise<MosaicRunResult> {
  const years = options.years ?? options.settings.financialYears ?? 2;
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new MosaicSettingsError([`financial years must be a whole number from 1 to 20, got ${years}`]);
  const inj = injectMosaicSettings(text, options.settings, options.file);
  const plan = planScript(inj.text, { dialect: 'tsql', file: options.file });
  const create = await runPlan(db, plan, {
    continueOnError: true,
    countRows: false,
    atomic: false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const master: MosaicRunResult['master'] = { ran: false, elapsedMs: 0 };
  const q = mosaicListingQuery(inj.analysis.expectedTables);
  // Row counts before the master procedure (##ssd_ tables left by an earlier run in a session still open).
  let before: ListingRow[] = [];
  if (!create.cancelled && inj.analysis.master) {
    try {
      before = await db.query<ListingRow>(q.sql, q.params);
    } catch {
      before = [];
    }
  }
  if (!create.cancelled && inj.analysis.master) {
    const t = performance.now();
    try {
      // years is a validated whole number: the only value written into the statement.
      await db.runBatch(`EXEC ##populate_ssd_main ${years}`, { onMessage: (m) => options.onMessage?.(m.text), ...(options.signal ? { signal: options.signal } : {}) });
      master.ran = true;
    } catch (e) {
      master.error = e instanceof Error ? e.message : String(e);
    }
    master.elapsedMs = performance.now() - t;
  }
  const rows = await db.query<{ table_name: string; present: number; row_count: number | null }>(q.sql, q.params);
  const tables = classifyMosaicTables(inj.analysis.expectedTables, rows, inj);
  const shrunk = mosaicShrunk(before, rows);
  return {
    injection: { applied: inj.applied, dummies: inj.dummies, problems: inj.analysis.problems },
    create,
    master,
    tables,
    shrunk,
    ok: master.ran && !shrunk.length && tables.every((t) => t.status === 'ok' || t.status === 'unexpected'),
  };
}

export { MOSAIC_SETTINGS };
