// Every SQL difference between SQL Server and PostgreSQL that code (not sql/ files) needs lives here.
import type { Dialect } from './types';
import type { SsdColumnDef } from '../model/ssdModel';

const IDENT = /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/;

/** Validate an identifier (schema, table or column name); throws on anything unusual. */
export function validateIdentifier(name: string, what = 'identifier'): string {
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw new Error(`invalid ${what} ${JSON.stringify(name)}: use letters, digits, _, $ and # only, starting with a letter or _, at most 128 characters`);
  }
  return name;
}

export function quoteIdent(dialect: Dialect, name: string): string {
  validateIdentifier(name);
  return dialect === 'mssql' ? `[${name}]` : `"${name}"`;
}

/** schema.table, both validated and quoted. */
export function qualify(dialect: Dialect, schema: string, table: string): string {
  return `${quoteIdent(dialect, schema)}.${quoteIdent(dialect, table)}`;
}

export function columnType(dialect: Dialect, col: SsdColumnDef): string {
  return dialect === 'mssql' ? col.sqlServerType : col.postgresType;
}

export function defaultSchemaFor(dialect: Dialect): string {
  return dialect === 'mssql' ? 'dbo' : 'public';
}

/** `SELECT ... LIMIT n` vs `SELECT TOP (n) ...`: returns [afterSelect, atEnd]. */
export function limitClause(dialect: Dialect, n: number): { top: string; limit: string } {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid row limit ${n}`);
  return dialect === 'mssql' ? { top: `TOP (${n}) `, limit: '' } : { top: '', limit: ` LIMIT ${n}` };
}

/** Text for the current timestamp. */
export function nowExpression(dialect: Dialect): string {
  return dialect === 'mssql' ? 'SYSDATETIME()' : 'CURRENT_TIMESTAMP';
}

/** Cast of a parameter/expression to a date. */
export function castDate(dialect: Dialect, expr: string): string {
  return dialect === 'mssql' ? `CAST(${expr} AS DATE)` : `CAST(${expr} AS DATE)`;
}

/** Length of a string expression in characters (LEN ignores trailing spaces in SQL Server). */
export function lengthExpression(dialect: Dialect, expr: string): string {
  return dialect === 'mssql' ? `LEN(${expr})` : `CHAR_LENGTH(${expr})`;
}

/** Trim both ends. */
export function trimExpression(dialect: Dialect, expr: string): string {
  return dialect === 'mssql' ? `LTRIM(RTRIM(${expr}))` : `TRIM(${expr})`;
}

// Catalogue queries are written for a case-sensitive database collation (Latin1_General_CS_AS):
// SQL Server then resolves INFORMATION_SCHEMA and its column names only in upper case, so they are
// spelled that way and aliased to the lower-case keys the code reads (PostgreSQL folds both).

/** Does a table exist in the schema? Returns SQL with $1 = schema, $2 = table (case-insensitive). */
export function tableExistsSql(): string {
  return `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER($1) AND LOWER(TABLE_NAME) = LOWER($2)`;
}

/** Tables of a schema ($1 = schema), names as the catalog stores them. */
export function tablesSql(): string {
  return `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER($1)`;
}

/** Columns of all tables in a schema ($1 = schema). Standard information_schema on both. */
export function columnsSql(): string {
  return `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
    CHARACTER_MAXIMUM_LENGTH AS character_maximum_length, IS_NULLABLE AS is_nullable, ORDINAL_POSITION AS ordinal_position
FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_SCHEMA) = LOWER($1)
ORDER BY TABLE_NAME, ORDINAL_POSITION`;
}

/** Create the schema if missing. */
export function createSchemaSql(dialect: Dialect, schema: string): string {
  return dialect === 'mssql'
    ? `IF SCHEMA_ID(N'${validateIdentifier(schema, 'schema')}') IS NULL EXEC(N'CREATE SCHEMA ${quoteIdent(dialect, schema)}')`
    : `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(dialect, schema)}`;
}

/** ALTER TABLE … ADD a nullable text column (`ssd scramble`: a source column it does not know, left NULL in the copy). */
export function addNullableTextColumnSql(dialect: Dialect, qualifiedTable: string, column: string): string {
  return dialect === 'mssql'
    ? `ALTER TABLE ${qualifiedTable} ADD ${quoteIdent(dialect, column)} NVARCHAR(MAX) NULL`
    : `ALTER TABLE ${qualifiedTable} ADD COLUMN ${quoteIdent(dialect, column)} TEXT NULL`;
}

/**
 * The dialect's pieces of the SQL rendered from specs (scripts/render-sql.ts): the payload row
 * stream (src/payload/rowSpec.ts → sql/<dialect>/payload_child_rows.sql, payload_orphan_rows.sql)
 * and the cohort rule of the checks (src/check/cohortSql.ts → check_cohort_without_episode.sql).
 * Those files are rendered from these alone, so a new dialect adds one entry to SQL_SYNTAX and
 * re-renders them.
 */
export interface SqlSyntax {
  /** Type of the person id column (pid) and of $1. */
  readonly personId: string;
  /** Type of the row kind tag (k). */
  readonly kind: string;
  /** Types of the generic columns: s1… text, d1… timestamps, n1 integer, x long text. */
  readonly text: string;
  readonly timestamp: string;
  readonly integer: string;
  readonly longText: string;
  /** A string literal (the kind tags, table and column names of orphan rows). */
  literal(value: string): string;
  /** ORDER BY term sorting an expression in code-point order (the builder's person-id order). */
  orderByCodePoint(expr: string): string;
  /** Line after the stream's ORDER BY ('' for none). */
  readonly queryHint: string;
  /**
   * A date or timestamp plus whole years, keeping the time of day; 29 February becomes
   * 28 February in a common year (addYears in src/model/asOf.ts, the T-SQL's DATEADD).
   */
  addYears(expr: string, years: number): string;
}

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
const wholeYears = (years: number) => {
  if (!Number.isInteger(years)) throw new Error(`invalid number of years ${years}`);
  return years;
};

const SQL_SYNTAX: Readonly<Record<Dialect, SqlSyntax>> = {
  postgres: {
    personId: 'VARCHAR', kind: 'VARCHAR', text: 'VARCHAR', timestamp: 'TIMESTAMP', integer: 'INTEGER', longText: 'TEXT',
    literal: quoteLiteral,
    orderByCodePoint: (expr) => `${expr} COLLATE "C"`,
    queryHint: '',
    addYears: (expr, years) => `${expr} + INTERVAL '${wholeYears(years)} years'`,
  },
  mssql: {
    personId: 'NVARCHAR(48)', kind: 'NVARCHAR(2)', text: 'NVARCHAR(4000)', timestamp: 'DATETIME2', integer: 'INT', longText: 'NVARCHAR(MAX)',
    literal: (value) => `N${quoteLiteral(value)}`,
    orderByCodePoint: (expr) => `${expr} COLLATE Latin1_General_BIN2`,
    // A fresh plan per call: $1 is NULL (everyone) or one person id, two very different reads.
    queryHint: 'OPTION (RECOMPILE)',
    addYears: (expr, years) => `DATEADD(year, ${wholeYears(years)}, ${expr})`,
  },
};

export function sqlSyntax(dialect: Dialect): SqlSyntax {
  const syntax = SQL_SYNTAX[dialect];
  if (!syntax) throw new Error(`no SQL syntax for dialect ${String(dialect)}`);
  return syntax;
}
