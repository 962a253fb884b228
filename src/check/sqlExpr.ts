// SQL fragments the check rules are written with. Every dialect difference of the rules lives
// here; values (dates, numbers, code lists) are bound parameters, identifiers come from the
// database's own catalogue and are validated and quoted by src/db/dialect.ts.
import { castDate, DIALECTS, lengthExpression, qualify, quoteIdent, trimExpression } from '../db/dialect';
import type { Dialect } from '../db/types';
import type { CheckBounds } from '../model/asOf';

export type ColKind = 'text' | 'date' | 'integer' | 'float' | 'boolean' | 'binary' | 'json' | 'other';

export interface ColumnInfo {
  /** Lower-case name (as in the model). */
  name: string;
  /** Name as the database spells it. */
  actual: string;
  dataType: string;
  kind: ColKind;
  maxLength: number | null;
}

export interface TableInfo {
  name: string;
  actual: string;
  columns: Map<string, ColumnInfo>;
}

/** Category of an information_schema data_type (any dialect; Oracle's ALL_TAB_COLUMNS.DATA_TYPE, e.g. timestamp(3)). */
export function kindOfDataType(dataType: string): ColKind {
  const t = dataType
    .toLowerCase()
    .trim()
    .replace(/\(\d+\)/, '');
  // Oracle's CLOB is text here: its long values (JSON) are read as they are, never cast to a shorter type.
  if (/^(n?varchar|n?char|character varying|character|text|ntext|citext|bpchar|name|uniqueidentifier|sysname|uuid|n?varchar2|n?clob)$/.test(t)) return 'text';
  if (/^(date|datetime|datetime2|smalldatetime|datetimeoffset|timestamp|timestamp without time zone|timestamp with time zone|timestamptz|timestamp with local time zone)$/.test(t)) return 'date';
  if (/^(int|integer|bigint|smallint|tinyint|int2|int4|int8|numeric|decimal|bigserial|serial|number)$/.test(t)) return 'integer';
  if (/^(float|real|double precision|float4|float8|money|smallmoney|binary_double|binary_float)$/.test(t)) return 'float';
  if (/^(bit|boolean|bool)$/.test(t)) return 'boolean';
  if (/^(binary|varbinary|bytea|image|raw|blob)$/.test(t)) return 'binary';
  if (/^(json|jsonb)$/.test(t)) return 'json';
  return 'other';
}

/** Category of a model type (SsdColumnDef.sqlServerType / postgresType), e.g. NVARCHAR(48), DATETIME, JSONB. */
export function kindOfModelType(modelType: string): ColKind {
  const base = modelType.toLowerCase().replace(/\(.*$/, '').trim();
  return kindOfDataType(base);
}

/** Builds one statement: collects bound parameters in order ($1, $2, …). */
export class SqlBuilder {
  readonly params: unknown[] = [];
  constructor(
    readonly dialect: Dialect,
    readonly schema: string,
  ) {}

  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  list(values: readonly unknown[]): string {
    return `(${values.map((v) => this.p(v)).join(', ')})`;
  }

  table(t: TableInfo): string {
    return qualify(this.dialect, this.schema, t.actual);
  }

  date(iso: string): string {
    return castDate(this.dialect, this.p(iso));
  }
}

/** The date bounds the rules compare with, derived from the as-of date (src/model/asOf.ts checkBounds). */
export type DateBounds = CheckBounds;

/** Expressions over one row of one table (alias t), for one statement. */
export class RowExpr {
  readonly dialect: Dialect;
  constructor(
    readonly b: SqlBuilder,
    readonly info: TableInfo,
    readonly bounds: DateBounds,
    readonly alias = 't',
  ) {
    this.dialect = b.dialect;
  }

  private column(name: string): ColumnInfo {
    const c = this.info.columns.get(name);
    if (!c) throw new Error(`internal: column ${this.info.name}.${name} used by a rule is missing`);
    return c;
  }

  has(name: string): boolean {
    return this.info.columns.has(name);
  }

  col(name: string): string {
    return `${this.alias}.${quoteIdent(this.dialect, this.column(name).actual)}`;
  }

  /** The column as text (cast when the database holds it as something else, e.g. INT ids). */
  text(name: string): string {
    const c = this.column(name);
    return c.kind === 'text' ? this.col(name) : castText(this.dialect, this.col(name));
  }

  /** Trimmed text. */
  tt(name: string): string {
    return trimExpression(this.dialect, this.text(name));
  }

  len(expr: string): string {
    return lengthExpression(this.dialect, expr);
  }

  /** Trimmed, upper-cased text. */
  ut(name: string): string {
    return `UPPER(${this.tt(name)})`;
  }

  left(expr: string, n: number): string {
    return DIALECTS[this.dialect].left(expr, this.b.p(n));
  }

  /** Non-null and not blank. */
  present(name: string): string {
    return `(${DIALECTS[this.dialect].present(this.col(name), this.tt(name))})`;
  }

  blank(name: string): string {
    return `(${DIALECTS[this.dialect].blank(this.col(name), this.tt(name))})`;
  }

  inList(expr: string, values: readonly unknown[]): string {
    return `${expr} IN ${this.b.list(values)}`;
  }

  notInList(expr: string, values: readonly unknown[]): string {
    return `${expr} NOT IN ${this.b.list(values)}`;
  }

  /** An id the payload would reject: empty, or a character outside A-Z a-z 0-9 _ -. */
  badId(expr: string): string {
    return DIALECTS[this.dialect].badId(expr);
  }

  /** Whitespace (space, tab, LF, CR) removed. */
  stripWs(expr: string): string {
    const ch = DIALECTS[this.dialect].chr;
    return `REPLACE(REPLACE(REPLACE(REPLACE(${expr}, ' ', ''), ${ch}(9), ''), ${ch}(10), ''), ${ch}(13), '')`;
  }

  /** The column as a whole number: INT as is, text converted when it is one, else NULL. */
  num(name: string): string {
    const c = this.column(name);
    if (c.kind === 'integer' || c.kind === 'float') return this.col(name);
    return DIALECTS[this.dialect].wholeNumber(this.tt(name));
  }

  /** Date before 1900-01-01 or after the as-of date. */
  implausibleDate(name: string): string {
    const c = this.col(name);
    return `(${c} < ${this.b.date(this.bounds.min)} OR ${c} >= ${this.b.date(this.bounds.afterAsOf)})`;
  }

  before1900(name: string): string {
    return `${this.col(name)} < ${this.b.date(this.bounds.min)}`;
  }

  afterAsOf(name: string): string {
    return `${this.col(name)} >= ${this.b.date(this.bounds.afterAsOf)}`;
  }

  /** Date later than the given day (e.g. DateBounds.yearAfterAsOf). */
  afterAsOfPlus(name: string, isoLimit: string): string {
    return `${this.col(name)} > ${this.b.date(isoLimit)}`;
  }

  /** The community builder's referral-source coercion (§2.4): trimmed value to a CIN code, or NULL. */
  coercedReferralSource(name: string): string {
    return DIALECTS[this.dialect].referralSourceCode(this.tt(name));
  }
}

export function castText(dialect: Dialect, expr: string): string {
  return DIALECTS[dialect].castText(expr);
}
