// Structure drift: the community scripts create a table only when it is missing and never alter
// it, so after an upgrade old tables keep old columns and the new INSERTs fail (their #55/#56).
// Compare the script's CREATE TABLE definitions with the live tables and offer the ALTER/DROP
// statements for the analyst to review. Nothing here runs DDL.
import { loadSql } from '../db/sqlFiles';
import { quoteIdent, validateIdentifier } from '../db/dialect';
import type { Db, Dialect } from '../db/types';
import { lexSql, lineStarts, maskNonCode, positionAt, type ScriptDialect } from './lexer';

export interface ScriptColumn {
  name: string;
  /** Type as written (upper-cased, single spaces), e.g. NVARCHAR(48). */
  type: string;
  /** false for NOT NULL / PRIMARY KEY, true for NULL, null when the script does not say. */
  nullable: boolean | null;
  line: number;
  column: number;
}

export interface ScriptTableDef {
  schema?: string;
  name: string;
  columns: ScriptColumn[];
  file: string;
  line: number;
  column: number;
}

export interface LiveColumn {
  name: string;
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
  nullable: boolean;
  position: number;
}

export interface ColumnChange {
  column: string;
  scriptType: string;
  liveType: string;
  line: number;
}

export interface TableDrift {
  schema: string;
  table: string;
  /** missing: not in the database yet (the script will create it); same; drift: columns differ. */
  status: 'missing' | 'same' | 'drift';
  added: ScriptColumn[];
  removed: LiveColumn[];
  retyped: ColumnChange[];
  /** Same columns in another order (matters to INSERTs without a column list, such as SystemC's ssd_person). */
  orderDiffers: boolean;
  file: string;
  line: number;
  /** ALTER statements to review and run by hand. */
  statements: string[];
  /** The simpler alternative: drop the table so the script creates it again (never for staging tables). */
  dropStatement?: string;
  note?: string;
}

export interface DriftReport {
  tables: TableDrift[];
  /** True when any table drifted. */
  drift: boolean;
}

const CONSTRAINT_START = /^(CONSTRAINT|PRIMARY\s+KEY|FOREIGN\s+KEY|UNIQUE|CHECK|INDEX|KEY|EXCLUDE|LIKE|PERIOD\s+FOR)\b/i;
const TYPE_STOP = /^(NOT|NULL|PRIMARY|DEFAULT|CONSTRAINT|REFERENCES|CHECK|UNIQUE|IDENTITY|COLLATE|GENERATED|CLUSTERED|NONCLUSTERED|ROWGUIDCOL|SPARSE|FILESTREAM|MASKED|ENCRYPTED|AS)$/i;
const NAME = String.raw`(?:\[[^\]\n]+\]|"[^"\n]+"|[A-Za-z_#][\w$#]*)`;
const CREATE_RE = new RegExp(String.raw`\bCREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME}(?:\s*\.\s*${NAME}){0,2})\s*\(`, 'gi');
const unq = (s: string) => s.trim().replace(/^[["]|[\]"]$/g, '');

/** Split at top-level commas; returns [start, end) offsets relative to body. */
function topLevelParts(body: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, body.length]);
  return out;
}

/** The CREATE TABLE definitions in a script (temp tables left out), columns with their types. */
export function parseCreateTables(text: string, dialect: ScriptDialect, file = 'script.sql'): ScriptTableDef[] {
  const spans = lexSql(text, dialect);
  const masked = maskNonCode(text, dialect, { spans });
  const starts = lineStarts(text);
  const out: ScriptTableDef[] = [];
  CREATE_RE.lastIndex = 0;
  for (let m = CREATE_RE.exec(masked); m; m = CREATE_RE.exec(masked)) {
    const parts = m[1]!.split(/\s*\.\s*/).map(unq);
    const name = parts[parts.length - 1]!;
    if (name.startsWith('#')) continue;
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = -1;
    for (let i = open; i < masked.length; i++) {
      const c = masked[i];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      }
    }
    if (close < 0) continue;
    const bodyStart = open + 1;
    const body = masked.slice(bodyStart, close);
    const columns: ScriptColumn[] = [];
    for (const [a, b] of topLevelParts(body)) {
      const piece = body.slice(a, b);
      const lead = piece.search(/\S/);
      if (lead < 0) continue; // trailing comma before ')' (T-SQL tolerates it)
      const def = piece.trim().replace(/\s+/g, ' ');
      if (CONSTRAINT_START.test(def)) continue;
      const nm = new RegExp(`^(${NAME})\\s*(.*)$`).exec(def);
      if (!nm) continue;
      const tokens = (nm[2] ?? '').match(/[A-Za-z_][\w]*(?:\s*\([^)]*\))?(?:\[\])?|\S+/g) ?? [];
      const typeTokens: string[] = [];
      for (const t of tokens) {
        if (TYPE_STOP.test(t.replace(/\(.*$/, ''))) break;
        typeTokens.push(t);
      }
      const rest = tokens.slice(typeTokens.length).join(' ').toUpperCase();
      const nullable = /\bNOT NULL\b|\bPRIMARY KEY\b/.test(rest) ? false : /\bNULL\b/.test(rest) ? true : null;
      const pos = positionAt(starts, bodyStart + a + lead);
      columns.push({
        name: unq(nm[1]!),
        type: typeTokens
          .join(' ')
          .replace(/\s*\(\s*/g, '(')
          .replace(/\s*,\s*/g, ',')
          .replace(/\s*\)/g, ')')
          .toUpperCase(),
        nullable,
        ...pos,
      });
    }
    const def: ScriptTableDef = { name, columns, file, ...positionAt(starts, m.index) };
    if (parts.length >= 2 && parts[parts.length - 2]) def.schema = parts[parts.length - 2]!;
    out.push(def);
  }
  return out;
}

interface CanonType {
  base: string;
  length?: number | null;
  precision?: number | null;
  scale?: number | null;
}

const PG_BASE: Record<string, string> = {
  varchar: 'character varying',
  'character varying': 'character varying',
  nvarchar: 'character varying',
  'national character varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  nchar: 'character',
  text: 'text',
  int: 'integer',
  integer: 'integer',
  int4: 'integer',
  serial: 'integer',
  serial4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallint: 'smallint',
  int2: 'smallint',
  smallserial: 'smallint',
  decimal: 'numeric',
  numeric: 'numeric',
  float: 'double precision',
  float8: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  bool: 'boolean',
  boolean: 'boolean',
  bit: 'boolean',
  date: 'date',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  datetime: 'timestamp without time zone',
  datetime2: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
};

const MSSQL_BASE: Record<string, string> = {
  integer: 'int',
  dec: 'decimal',
  'double precision': 'float',
  'character varying': 'varchar',
  character: 'char',
  'national character varying': 'nvarchar',
  'national char varying': 'nvarchar',
  'national character': 'nchar',
  rowversion: 'timestamp',
};

/** Canonical form of a type written in a script, in the terms information_schema uses. */
export function canonicalScriptType(type: string, dialect: Dialect): CanonType {
  const m = /^([A-Z_ ]+?)\s*(?:\(\s*([^)]*)\))?(\[\])?$/i.exec(type.trim());
  if (!m) return { base: type.toLowerCase() };
  let base = m[1]!.toLowerCase().replace(/\s+/g, ' ').trim();
  const args = (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (m[3]) return { base: 'array' };
  if (dialect === 'postgres') {
    base = PG_BASE[base] ?? base;
    if (base === 'character varying') return { base, length: args[0] ? Number(args[0]) : null };
    if (base === 'character') return { base, length: args[0] ? Number(args[0]) : 1 };
    if (base === 'numeric') return { base, precision: args[0] ? Number(args[0]) : null, scale: args[1] ? Number(args[1]) : args[0] ? 0 : null };
    return { base };
  }
  base = MSSQL_BASE[base] ?? base;
  if (['varchar', 'nvarchar', 'char', 'nchar', 'varbinary', 'binary'].includes(base)) {
    const a = args[0]?.toLowerCase();
    return { base, length: a === 'max' ? -1 : a ? Number(a) : 1 };
  }
  if (base === 'decimal' || base === 'numeric') return { base, precision: args[0] ? Number(args[0]) : 18, scale: args[1] ? Number(args[1]) : 0 };
  return { base };
}

export function canonicalLiveType(c: LiveColumn, dialect: Dialect): CanonType {
  const base = c.dataType.toLowerCase();
  if (dialect === 'postgres') {
    if (base === 'character varying' || base === 'character') return { base, length: c.length };
    if (base === 'numeric') return { base, precision: c.precision, scale: c.scale };
    return { base: base === 'array' ? 'array' : base };
  }
  if (['varchar', 'nvarchar', 'char', 'nchar', 'varbinary', 'binary'].includes(base)) return { base, length: c.length };
  if (base === 'decimal' || base === 'numeric') return { base, precision: c.precision, scale: c.scale };
  return { base };
}

function sameType(a: CanonType, b: CanonType): boolean {
  if (a.base !== b.base) return false;
  if (a.length !== undefined && b.length !== undefined && a.length !== null && b.length !== null && a.length !== b.length) return false;
  if (a.length === null && b.length !== undefined && b.length !== null) return false; // varchar vs varchar(n)
  if (a.precision != null && b.precision != null && (a.precision !== b.precision || (a.scale ?? 0) !== (b.scale ?? 0))) return false;
  return true;
}

export function describeLiveType(c: LiveColumn): string {
  const t = c.dataType.toUpperCase();
  if (c.length !== null && c.length !== undefined) return `${t}(${c.length === -1 ? 'MAX' : c.length})`;
  if ((t === 'NUMERIC' || t === 'DECIMAL') && c.precision !== null) return `${t}(${c.precision},${c.scale ?? 0})`;
  return t;
}

const SAFE_TYPE = /^[A-Z0-9_ (),[\]]+$/i;
const STAGING = /^ssd_api_data_staging/i;

function statementsFor(d: Omit<TableDrift, 'statements'>, def: ScriptTableDef, dialect: Dialect): { statements: string[]; drop?: string; note?: string } {
  let table: string;
  try {
    table = `${quoteIdent(dialect, d.schema)}.${quoteIdent(dialect, d.table)}`;
  } catch {
    return { statements: [], note: 'names are unusual: write the statements by hand' };
  }
  const q = (c: string) => {
    try {
      return quoteIdent(dialect, validateIdentifier(c, 'column'));
    } catch {
      return null;
    }
  };
  const out: string[] = [];
  const skipped: string[] = [];
  for (const c of d.added) {
    const col = q(c.name);
    if (!col || !SAFE_TYPE.test(c.type)) {
      skipped.push(c.name);
      continue;
    }
    const nn = c.nullable === false ? ' NOT NULL' : c.nullable === true ? ' NULL' : '';
    out.push(dialect === 'mssql' ? `ALTER TABLE ${table} ADD ${col} ${c.type}${nn};` : `ALTER TABLE ${table} ADD COLUMN ${col} ${c.type}${nn};`);
  }
  for (const c of d.retyped) {
    const col = q(c.column);
    const sc = def.columns.find((x) => x.name.toLowerCase() === c.column.toLowerCase());
    if (!col || !SAFE_TYPE.test(c.scriptType)) {
      skipped.push(c.column);
      continue;
    }
    out.push(
      dialect === 'mssql'
        ? `ALTER TABLE ${table} ALTER COLUMN ${col} ${c.scriptType}${sc?.nullable === false ? ' NOT NULL' : ' NULL'};`
        : `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${c.scriptType} USING ${col}::${c.scriptType};`,
    );
  }
  for (const c of d.removed) {
    const col = q(c.name);
    if (!col) {
      skipped.push(c.name);
      continue;
    }
    out.push(`ALTER TABLE ${table} DROP COLUMN ${col};`);
  }
  const staging = STAGING.test(d.table);
  const res: { statements: string[]; drop?: string; note?: string } = { statements: out };
  if (!staging) res.drop = `DROP TABLE ${table};`;
  const notes: string[] = [];
  if (staging) notes.push('staging table: keeps payload history between runs, never drop it; alter it');
  if (d.orderDiffers) notes.push('column order differs: an INSERT without a column list (SystemC ssd_person) fills the wrong columns; dropping the table so the script recreates it fixes the order');
  if (skipped.length) notes.push(`write the statements for ${skipped.join(', ')} by hand`);
  if (notes.length) res.note = notes.join('; ');
  return res;
}

export interface DriftOptions {
  /** Schema for tables the script does not qualify (default: the connection's default). */
  schema?: string;
  file?: string;
}

/** Compare the script's CREATE TABLE definitions with the live tables. Reads only. */
export async function checkDrift(db: Db, text: string, dialect: ScriptDialect, options: DriftOptions = {}): Promise<DriftReport> {
  const defs = parseCreateTables(text, dialect, options.file ?? 'script.sql');
  const fallback = options.schema ?? db.defaultSchema;
  const bySchema = new Map<string, Map<string, LiveColumn[]>>();
  const live = async (schema: string) => {
    const key = schema.toLowerCase();
    let m = bySchema.get(key);
    if (!m) {
      m = new Map();
      const rows = await db.query<{
        table_name: string;
        column_name: string;
        data_type: string;
        character_maximum_length: number | null;
        numeric_precision: number | null;
        numeric_scale: number | null;
        is_nullable: string;
        ordinal_position: number;
      }>(loadSql(db.dialect, 'drift_columns'), [schema]);
      for (const r of rows) {
        const t = r.table_name.toLowerCase();
        if (!m.has(t)) m.set(t, []);
        m.get(t)!.push({
          name: r.column_name,
          dataType: r.data_type,
          length: r.character_maximum_length === null ? null : Number(r.character_maximum_length),
          precision: r.numeric_precision === null ? null : Number(r.numeric_precision),
          scale: r.numeric_scale === null ? null : Number(r.numeric_scale),
          nullable: r.is_nullable === 'YES',
          position: Number(r.ordinal_position),
        });
      }
      bySchema.set(key, m);
    }
    return m;
  };
  const tables: TableDrift[] = [];
  const seen = new Set<string>();
  for (const def of defs) {
    const schema = def.schema ?? fallback;
    const key = `${schema.toLowerCase()}.${def.name.toLowerCase()}`;
    if (seen.has(key)) continue; // the same table created twice (IF/ELSE variants): the first wins
    seen.add(key);
    const cols = (await live(schema)).get(def.name.toLowerCase());
    const base = { schema, table: def.name, file: def.file, line: def.line };
    if (!cols) {
      tables.push({ ...base, status: 'missing', added: [], removed: [], retyped: [], orderDiffers: false, statements: [] });
      continue;
    }
    const liveBy = new Map(cols.map((c) => [c.name.toLowerCase(), c]));
    const scriptBy = new Map(def.columns.map((c) => [c.name.toLowerCase(), c]));
    const added = def.columns.filter((c) => !liveBy.has(c.name.toLowerCase()));
    const removed = cols.filter((c) => !scriptBy.has(c.name.toLowerCase()));
    const retyped: ColumnChange[] = [];
    for (const c of def.columns) {
      const l = liveBy.get(c.name.toLowerCase());
      if (!l || !c.type) continue;
      if (!sameType(canonicalScriptType(c.type, db.dialect), canonicalLiveType(l, db.dialect))) retyped.push({ column: c.name, scriptType: c.type, liveType: describeLiveType(l), line: c.line });
    }
    const common = def.columns.filter((c) => liveBy.has(c.name.toLowerCase())).map((c) => c.name.toLowerCase());
    const liveOrder = [...cols]
      .sort((a, b) => a.position - b.position)
      .map((c) => c.name.toLowerCase())
      .filter((n) => scriptBy.has(n));
    const orderDiffers = common.join(',') !== liveOrder.join(',');
    const status = added.length || removed.length || retyped.length || orderDiffers ? 'drift' : 'same';
    const partial = { ...base, status, added, removed, retyped, orderDiffers } as const;
    const s = status === 'drift' ? statementsFor(partial, def, db.dialect) : { statements: [] as string[] };
    const t: TableDrift = { ...partial, statements: s.statements };
    if (status === 'drift' && 'drop' in s && s.drop) t.dropStatement = s.drop;
    if ('note' in s && s.note) t.note = s.note;
    tables.push(t);
  }
  return { tables, drift: tables.some((t) => t.status === 'drift') };
}
