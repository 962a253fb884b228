// The SQL differences between the dialects (SQL Server, PostgreSQL, Oracle) that code (not sql/
// files) needs: one entry per dialect in DIALECTS below; the functions exported here are the entry
// points the rest of the code calls. Not every difference lives here yet. What remains outside
// (`grep -rn "dialect === 'mssql'\|kind === 'mssql'\|dialect === 'oracle'" src`), to move into
// DIALECTS as each is next touched (a branch touched for Oracle moves here):
// - SQL built in code with a two-way branch, so Oracle falls on the PostgreSQL side:
//   src/check/{runChecks,sqlExpr,schemaChecks}.ts (TOP/LIMIT, CHAR/CHR, casts, the model's type),
//   src/staging/runMarks.ts (#temp / TEMP table names), src/send/tableLock.ts (sp_getapplock,
//   advisory locks, Oracle's row lock),
//   src/db/bulkInsert.ts (parameter caps, Oracle's INSERT ALL), src/fake/generateFakeSsd.ts,
//   src/scramble/runScramble.ts, src/browse/inventory.ts and the editor's table document and
//   check placement (src/extension/core/{tableDocument,checkWorkflow}.ts: the model's type names);
// - connection kinds rather than SQL: src/connections/profiles.ts, src/extension/connections/*,
//   src/db/mssqlFloor.ts (SQL Server's version floor), the drivers (src/db/*Driver.ts);
// - the script runner's own dialect, T-SQL or PostgreSQL scripts (src/script/lexer.ts,
//   splitter.ts, plan.ts, drift.ts, preflight.ts, mosaic*.ts, cli.ts);
// - the SQL catalogue's scenarios and fixtures (src/sqlCatalogue/), which document each dialect.
// SQL longer than a line is in sql/<dialect>/ or sql/common/ (src/db/sqlFiles.ts loadSql).
//
// Identifiers on Oracle: quoted in UPPER case ("SSD_PERSON"), the case Oracle folds unquoted names
// to, so `ssd_person` in a DBA's own SQL names the same table; the Oracle driver returns column
// keys in lower case, as the other dialects do.
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

/** What differs between dialects, for SQL that code builds. Names given are already validated. */
export interface DialectRules {
  quote(name: string): string;
  columnType(col: SsdColumnDef): string;
  defaultSchema: string;
  /** Row limit: text after SELECT (`TOP (n) `) and at the end (` LIMIT n`, ` FETCH FIRST n ROWS ONLY`). */
  limit(n: number): { top: string; limit: string };
  now: string;
  castDate(expr: string): string;
  length(expr: string): string;
  trim(expr: string): string;
  createSchema(schema: string): string;
  addNullableTextColumn(qualifiedTable: string, quotedColumn: string): string;
  /** Column DEFAULTs the SSD model uses: GETDATE(), NEWID(), N'text' / 'text'. */
  defaultNow: string;
  defaultUuid: string;
  stringLiteralPrefix: string;
  /** Column text: DEFAULT then NOT NULL on Oracle (its grammar's order); the others accept either. */
  columnDefinition(quotedName: string, type: string, nullable: boolean, dflt: string): string;
  /** An identity column of the given declared type. */
  identity(col: SsdColumnDef, type: string): string;
  /** CREATE TABLE that does nothing when the table exists (schema and table validated). */
  createTableIfMissing(createSql: string, schema: string, table: string): string;
  // `ssd check`'s building blocks (src/check/sqlExpr.ts):
  /** The first n characters (n a placeholder or number). */
  left(expr: string, n: string): string;
  /** Any value as text (an INT id, a date). */
  castText(expr: string): string;
  /** Not NULL and not blank (col: the column; trimmed: its trimmed text), unparenthesised. Oracle stores '' as NULL. */
  present(col: string, trimmed: string): string;
  blank(col: string, trimmed: string): string;
  /** An id the payload would reject: empty, or a character outside A-Z a-z 0-9 _ -. */
  badId(expr: string): string;
  /** The character-from-code function (CHAR / CHR). */
  chr: string;
  /** Trimmed text as a whole number (up to 9 digits), NULL when it is not one. */
  wholeNumber(trimmed: string): string;
  /** The community builder's referral-source coercion (§2.4) of a trimmed value: a CIN code, or NULL. */
  referralSourceCode(v: string): string;
  /** Dates bound into DATETIME / TIMESTAMP columns are sent as 'YYYY-MM-DDT00:00:00', not 'YYYY-MM-DD'
   *  (SQL Server reads the short form by the session's DATEFORMAT; Oracle by its NLS format). */
  bindDatesWithTime: boolean;
  /** Emptying a table the tool owns (PostgreSQL: TRUNCATE; the others DELETE, which a transaction can undo everywhere). */
  emptyTable(qualifiedTable: string): string;
  /** Tables of schema $1 (n) and how many are named ssd_… (ssd): a connection profile's "Test". */
  tableCounts: string;
  /** One row when the schema ($1, any case) exists (Oracle: the user). */
  schemaExists: string;
  /** Catalogue queries; lower-case keys table_schema, table_name, … (see the functions below). */
  tableExists: string;
  tables: string;
  columns: string;
  // How code sends the staging table's many-row writes and lookups (src/staging/stageChildren.ts,
  // safetyStop.ts):
  /** 'arrays': one array parameter per column (PostgreSQL's unnest); 'values': a VALUES list of
   *  placeholder rows, capped by maxParams (SQL Server); 'many': the one-row statement run once per
   *  row in one round trip (Oracle's executeMany). */
  rowBinding: 'arrays' | 'values' | 'many';
  /** Most placeholders in one VALUES list or IN (…) list (Oracle: 1,000 expressions in a list, ORA-01795). */
  maxListParams: number;
  /** A query that returns one row and touches no table (the table lock's "still connected?"). */
  ping: string;
  /** Refresh the optimiser's statistics of the staging run's work table; null: not needed (Oracle samples a
   *  temporary table without statistics when it plans the anti-join). */
  refreshStatistics(table: string): string | null;
  /** The staging run's work table: a temporary table of the session (#temp / CREATE TEMP TABLE), or,
   *  on Oracle, a global temporary table in the staging schema whose rows belong to the session. */
  workTable: 'session' | 'global';
}

// Catalogue queries are written for a case-sensitive database collation (Latin1_General_CS_AS):
// SQL Server then resolves INFORMATION_SCHEMA and its column names only in upper case, so they are
// spelled that way and aliased to the lower-case keys the code reads (PostgreSQL folds both).
const INFO_TABLE_COUNTS = `SELECT COUNT(*) AS n, SUM(CASE WHEN LOWER(LEFT(TABLE_NAME, 4)) = 'ssd_' THEN 1 ELSE 0 END) AS ssd FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = $1`;
const INFO_SCHEMA_EXISTS = 'SELECT 1 AS one FROM information_schema.schemata WHERE LOWER(schema_name) = LOWER($1)';
const INFO_TABLE_EXISTS = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER($1) AND LOWER(TABLE_NAME) = LOWER($2)`;
const INFO_TABLES = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER($1)`;
const INFO_COLUMNS = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
    CHARACTER_MAXIMUM_LENGTH AS character_maximum_length, IS_NULLABLE AS is_nullable, ORDINAL_POSITION AS ordinal_position
FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_SCHEMA) = LOWER($1)
ORDER BY TABLE_NAME, ORDINAL_POSITION`;

// Oracle has no INFORMATION_SCHEMA: the ALL_* views, names lower-cased to match the other dialects.
const ORA_TABLE_EXISTS = `SELECT LOWER(owner) AS table_schema, LOWER(object_name) AS table_name FROM all_objects WHERE object_type IN ('TABLE', 'VIEW') AND UPPER(owner) = UPPER($1) AND UPPER(object_name) = UPPER($2)`;
const ORA_TABLES = `SELECT LOWER(owner) AS table_schema, LOWER(object_name) AS table_name FROM all_objects WHERE object_type IN ('TABLE', 'VIEW') AND UPPER(owner) = UPPER($1)`;
const ORA_COLUMNS = `SELECT LOWER(owner) AS table_schema, LOWER(table_name) AS table_name, LOWER(column_name) AS column_name, LOWER(data_type) AS data_type,
    CASE WHEN char_used IS NOT NULL THEN char_length END AS character_maximum_length, CASE nullable WHEN 'Y' THEN 'YES' ELSE 'NO' END AS is_nullable, column_id AS ordinal_position
FROM all_tab_columns WHERE UPPER(owner) = UPPER($1)
ORDER BY table_name, column_id`;

const ORA_NOT_ID_CHAR = '[^ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-]';

const checkLimit = (n: number) => {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid row limit ${n}`);
  return n;
};

/**
 * Oracle type of an SSD column, derived from its SQL Server type (the model's reference): text up to
 * 2,000 characters as NVARCHAR2 (the limit of NVARCHAR2 under the default MAX_STRING_SIZE), longer
 * text and JSON as CLOB, DATETIME as TIMESTAMP, integers and BIT as NUMBER, FLOAT as BINARY_DOUBLE,
 * BINARY as RAW.
 */
export function oracleColumnType(sqlServerType: string): string {
  const t = sqlServerType.trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = /^N?VARCHAR\((\d+|MAX)\)$/.exec(t))) {
    const nvar = t.startsWith('N');
    if (m[1] === 'MAX' || Number(m[1]) > 2000) return 'CLOB';
    return nvar ? `NVARCHAR2(${m[1]})` : `VARCHAR2(${m[1]} CHAR)`;
  }
  if ((m = /^N?CHAR\((\d+)\)$/.exec(t))) return t.startsWith('N') ? `NCHAR(${m[1]})` : `CHAR(${m[1]} CHAR)`;
  if ((m = /^(?:VAR)?BINARY\((\d+)\)$/.exec(t))) return `RAW(${m[1]})`;
  switch (t) {
    case 'DATE':
      return 'DATE';
    case 'DATETIME':
    case 'DATETIME2':
    case 'SMALLDATETIME':
      return 'TIMESTAMP(3)';
    case 'INT':
    case 'INTEGER':
      return 'NUMBER(10)';
    case 'BIGINT':
      return 'NUMBER(19)';
    case 'SMALLINT':
      return 'NUMBER(5)';
    case 'TINYINT':
      return 'NUMBER(3)';
    case 'BIT':
      return 'NUMBER(1)';
    case 'FLOAT':
    case 'REAL':
      return 'BINARY_DOUBLE';
    case 'NVARCHAR(MAX)':
    case 'NTEXT':
    case 'TEXT':
      return 'CLOB';
  }
  if ((m = /^DECIMAL\((\d+)(?:,\s*(\d+))?\)$/.exec(t))) return `NUMBER(${m[1]}${m[2] !== undefined ? `,${m[2]}` : ''})`;
  throw new Error(`no Oracle type for SQL Server type ${sqlServerType}: add it to oracleColumnType (src/db/dialect.ts)`);
}

export const DIALECTS: Readonly<Record<Dialect, DialectRules>> = {
  mssql: {
    quote: (n) => `[${n}]`,
    columnType: (c) => c.sqlServerType,
    defaultSchema: 'dbo',
    limit: (n) => ({ top: `TOP (${checkLimit(n)}) `, limit: '' }),
    now: 'SYSDATETIME()',
    castDate: (e) => `CAST(${e} AS DATE)`,
    length: (e) => `LEN(${e})`,
    trim: (e) => `LTRIM(RTRIM(${e}))`,
    createSchema: (s) => `IF SCHEMA_ID(N'${s}') IS NULL EXEC(N'CREATE SCHEMA [${s}]')`,
    addNullableTextColumn: (t, c) => `ALTER TABLE ${t} ADD ${c} NVARCHAR(MAX) NULL`,
    defaultNow: 'GETDATE()',
    defaultUuid: 'NEWID()',
    stringLiteralPrefix: 'N',
    columnDefinition: (n, t, nullable, d) => `${n} ${t}${nullable ? ' NULL' : ' NOT NULL'}${d}`,
    identity: (c) => `${c.sqlServerType} IDENTITY(1,1)`,
    createTableIfMissing: (sql, schema, table) => `IF OBJECT_ID(N'${schema}.${table}', N'U') IS NULL\n${sql}`,
    left: (e, n) => `LEFT(${e}, ${n})`,
    castText: (e) => `CAST(${e} AS NVARCHAR(4000))`,
    present: (c, t) => `${c} IS NOT NULL AND ${t} <> ''`,
    blank: (c, t) => `${c} IS NULL OR ${t} = ''`,
    badId: (e) => `(${e} = N'' OR ${e} COLLATE Latin1_General_BIN LIKE N'%[^A-Za-z0-9_-]%')`,
    chr: 'CHAR',
    wholeNumber: (t) => `TRY_CONVERT(INT, ${t})`,
    referralSourceCode: (v) =>
      `CASE WHEN ${v} LIKE '10%' THEN '10' WHEN ${v} LIKE '[1-3][A-F]%' THEN LEFT(${v}, 2) WHEN ${v} LIKE '5[A-D]%' THEN LEFT(${v}, 2) WHEN ${v} LIKE '[46789]%' THEN LEFT(${v}, 1) END`,
    bindDatesWithTime: true,
    emptyTable: (t) => `DELETE FROM ${t}`,
    schemaExists: INFO_SCHEMA_EXISTS,
    tableCounts: INFO_TABLE_COUNTS,
    tableExists: INFO_TABLE_EXISTS,
    tables: INFO_TABLES,
    columns: INFO_COLUMNS,
    rowBinding: 'values',
    maxListParams: 2000,
    ping: 'SELECT 1 AS one',
    refreshStatistics: (t) => `UPDATE STATISTICS ${t}`,
    workTable: 'session',
  },
  postgres: {
    quote: (n) => `"${n}"`,
    columnType: (c) => c.postgresType,
    defaultSchema: 'public',
    limit: (n) => ({ top: '', limit: ` LIMIT ${checkLimit(n)}` }),
    now: 'CURRENT_TIMESTAMP',
    castDate: (e) => `CAST(${e} AS DATE)`,
    length: (e) => `CHAR_LENGTH(${e})`,
    trim: (e) => `TRIM(${e})`,
    createSchema: (s) => `CREATE SCHEMA IF NOT EXISTS "${s}"`,
    addNullableTextColumn: (t, c) => `ALTER TABLE ${t} ADD COLUMN ${c} TEXT NULL`,
    defaultNow: 'CURRENT_TIMESTAMP',
    defaultUuid: '(gen_random_uuid())::text',
    stringLiteralPrefix: '',
    columnDefinition: (n, t, nullable, d) => `${n} ${t}${nullable ? ' NULL' : ' NOT NULL'}${d}`,
    identity: (c, t) => (c.postgresType === 'BIGSERIAL' ? 'BIGSERIAL' : `${t} GENERATED BY DEFAULT AS IDENTITY`),
    createTableIfMissing: (sql) => sql.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS '),
    left: (e, n) => `LEFT(${e}, ${n})`,
    castText: (e) => `CAST(${e} AS VARCHAR)`,
    present: (c, t) => `${c} IS NOT NULL AND ${t} <> ''`,
    blank: (c, t) => `${c} IS NULL OR ${t} = ''`,
    badId: (e) => `(${e} = '' OR ${e} ~ '[^A-Za-z0-9_-]')`,
    chr: 'CHR',
    wholeNumber: (t) => `CASE WHEN ${t} ~ '^-?[0-9]{1,9}$' THEN CAST(${t} AS INTEGER) END`,
    referralSourceCode: (v) =>
      `CASE WHEN ${v} LIKE '10%' THEN '10' WHEN ${v} ~ '^[1-3][A-Fa-f]' THEN LEFT(${v}, 2) WHEN ${v} ~ '^5[A-Da-d]' THEN LEFT(${v}, 2) WHEN ${v} ~ '^[46789]' THEN LEFT(${v}, 1) END`,
    bindDatesWithTime: false,
    emptyTable: (t) => `TRUNCATE TABLE ${t}`,
    schemaExists: INFO_SCHEMA_EXISTS,
    tableCounts: INFO_TABLE_COUNTS,
    tableExists: INFO_TABLE_EXISTS,
    tables: INFO_TABLES,
    columns: INFO_COLUMNS,
    rowBinding: 'arrays',
    maxListParams: 2000,
    ping: 'SELECT 1 AS one',
    refreshStatistics: (t) => `ANALYZE ${t}`,
    workTable: 'session',
  },
  oracle: {
    quote: (n) => `"${n.toUpperCase()}"`,
    columnType: (c) => oracleColumnType(c.sqlServerType),
    // Oracle's default schema is the signed-in user's; the driver knows it (OracleDb.defaultSchema).
    defaultSchema: 'SSD',
    limit: (n) => ({ top: '', limit: ` FETCH FIRST ${checkLimit(n)} ROWS ONLY` }),
    now: 'SYSTIMESTAMP',
    // Dates travel as 'YYYY-MM-DD' text: converted with an explicit format, never the session's.
    castDate: (e) => `TO_DATE(SUBSTR(${e}, 1, 10), 'YYYY-MM-DD')`,
    length: (e) => `LENGTH(${e})`,
    trim: (e) => `TRIM(${e})`,
    // A schema is a user in Oracle: creating one is the DBA's job, so only its presence is checked.
    createSchema: (s) =>
      `DECLARE n NUMBER; BEGIN SELECT COUNT(*) INTO n FROM all_users WHERE username = '${s.toUpperCase()}'; IF n = 0 THEN RAISE_APPLICATION_ERROR(-20001, 'schema ${s.toUpperCase()} does not exist: in Oracle a schema is a user, which the DBA creates (CREATE USER ${s.toUpperCase()} ...)'); END IF; END;`,
    addNullableTextColumn: (t, c) => `ALTER TABLE ${t} ADD (${c} CLOB NULL)`,
    defaultNow: 'SYSTIMESTAMP',
    defaultUuid: 'LOWER(RAWTOHEX(SYS_GUID()))',
    stringLiteralPrefix: 'N',
    columnDefinition: (n, t, nullable, d) => `${n} ${t}${d}${nullable ? ' NULL' : ' NOT NULL'}`,
    identity: (_c, t) => `${t} GENERATED BY DEFAULT AS IDENTITY`,
    // No IF NOT EXISTS before 23ai: run the CREATE and take ORA-00955 (name already used) as "there".
    createTableIfMissing: (sql) => `BEGIN\n  EXECUTE IMMEDIATE '${sql.replace(/'/g, "''")}';\nEXCEPTION\n  WHEN OTHERS THEN\n    IF SQLCODE != -955 THEN RAISE; END IF;\nEND;`,
    left: (e, n) => `SUBSTR(${e}, 1, ${n})`,
    castText: (e) => `CAST(${e} AS NVARCHAR2(2000))`,
    // '' is NULL in Oracle, and TRIM of blanks is NULL: "x <> ''" would be true for no row.
    present: (_c, t) => `${t} IS NOT NULL`,
    blank: (_c, t) => `${t} IS NULL`,
    // Classes spelt out rather than as ranges (A-Z), whose meaning follows NLS_SORT; no empty
    // value exists to test for. 'c': case-sensitive whatever NLS_COMP says.
    badId: (e) => `REGEXP_LIKE(${e}, '${ORA_NOT_ID_CHAR}', 'c')`,
    chr: 'CHR',
    wholeNumber: (t) => `CASE WHEN REGEXP_LIKE(${t}, '^-?[0123456789]{1,9}$') THEN CAST(${t} AS NUMBER(10)) END`,
    referralSourceCode: (v) =>
      `CASE WHEN ${v} LIKE '10%' THEN '10' WHEN REGEXP_LIKE(${v}, '^[123][ABCDEFabcdef]') THEN SUBSTR(${v}, 1, 2) WHEN REGEXP_LIKE(${v}, '^5[ABCDabcd]') THEN SUBSTR(${v}, 1, 2) WHEN REGEXP_LIKE(${v}, '^[46789]') THEN SUBSTR(${v}, 1, 1) END`,
    bindDatesWithTime: true,
    emptyTable: (t) => `DELETE FROM ${t}`,
    schemaExists: `SELECT 1 AS one FROM all_users WHERE UPPER(username) = UPPER($1)`,
    tableCounts: `SELECT COUNT(*) AS n, SUM(CASE WHEN LOWER(SUBSTR(table_name, 1, 4)) = 'ssd_' THEN 1 ELSE 0 END) AS ssd FROM all_tables WHERE UPPER(owner) = UPPER($1)`,
    tableExists: ORA_TABLE_EXISTS,
    tables: ORA_TABLES,
    columns: ORA_COLUMNS,
    rowBinding: 'many',
    maxListParams: 1000,
    ping: 'SELECT 1 AS one FROM dual',
    refreshStatistics: () => null,
    workTable: 'global',
  },
};

/** Commands whose SQL is not written for a dialect yet (issue 16: Oracle is being ported command by command). */
const NOT_PORTED: Readonly<Partial<Record<Dialect, readonly string[]>>> = { oracle: ['scramble', 'phases'] };

/** Refuse, before anything is read or written, a command whose SQL is not written for this dialect yet. */
export function assertPorted(dialect: Dialect, command: string): void {
  if (NOT_PORTED[dialect]?.includes(command)) {
    throw new Error(`ssd ${command} does not run on Oracle yet (issue 16): init, check, payload, fake, stage, send and preflight do; nothing was read or written`);
  }
}

export function quoteIdent(dialect: Dialect, name: string): string {
  validateIdentifier(name);
  return DIALECTS[dialect].quote(name);
}

/** schema.table, both validated and quoted. */
export function qualify(dialect: Dialect, schema: string, table: string): string {
  return `${quoteIdent(dialect, schema)}.${quoteIdent(dialect, table)}`;
}

export function columnType(dialect: Dialect, col: SsdColumnDef): string {
  return DIALECTS[dialect].columnType(col);
}

export function defaultSchemaFor(dialect: Dialect): string {
  return DIALECTS[dialect].defaultSchema;
}

/** `SELECT ... LIMIT n` vs `SELECT TOP (n) ...` vs `FETCH FIRST n ROWS ONLY`: returns [afterSelect, atEnd]. */
export function limitClause(dialect: Dialect, n: number): { top: string; limit: string } {
  return DIALECTS[dialect].limit(n);
}

/** Text for the current timestamp. */
export function nowExpression(dialect: Dialect): string {
  return DIALECTS[dialect].now;
}

/** Cast of a parameter/expression to a date. */
export function castDate(dialect: Dialect, expr: string): string {
  return DIALECTS[dialect].castDate(expr);
}

/** Length of a string expression in characters (LEN ignores trailing spaces in SQL Server). */
export function lengthExpression(dialect: Dialect, expr: string): string {
  return DIALECTS[dialect].length(expr);
}

/** Trim both ends. */
export function trimExpression(dialect: Dialect, expr: string): string {
  return DIALECTS[dialect].trim(expr);
}

/** Does the schema exist? SQL with $1 = schema (case-insensitive); a row when it does. */
export function schemaExistsSql(dialect: Dialect): string {
  return DIALECTS[dialect].schemaExists;
}

/** Does a table exist in the schema? Returns SQL with $1 = schema, $2 = table (case-insensitive).
 *  The dialect is required: Oracle reads its own catalogue, not INFORMATION_SCHEMA. */
export function tableExistsSql(dialect: Dialect): string {
  return DIALECTS[dialect].tableExists;
}

/** Tables of a schema ($1 = schema), names as the catalog stores them (lower case on Oracle). */
export function tablesSql(dialect: Dialect): string {
  return DIALECTS[dialect].tables;
}

/** Columns of all tables in a schema ($1 = schema). */
export function columnsSql(dialect: Dialect): string {
  return DIALECTS[dialect].columns;
}

/** Create the schema if missing (Oracle: check that it exists). */
export function createSchemaSql(dialect: Dialect, schema: string): string {
  return DIALECTS[dialect].createSchema(validateIdentifier(schema, 'schema'));
}

/** ALTER TABLE … ADD a nullable text column (`ssd scramble`: a source column it does not know, left NULL in the copy). */
export function addNullableTextColumnSql(dialect: Dialect, qualifiedTable: string, column: string): string {
  return DIALECTS[dialect].addNullableTextColumn(qualifiedTable, quoteIdent(dialect, column));
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
  /** A 'YYYY-MM-DD' date parameter ($1) as a DATE (default CAST($1 AS DATE)). */
  dateParam?(param: string): string;
  /** The long-text column x from an expression, where CAST cannot make it (default CAST(… AS longText)). */
  castLongText?(expr: string): string;
}

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
const wholeYears = (years: number) => {
  if (!Number.isInteger(years)) throw new Error(`invalid number of years ${years}`);
  return years;
};

/**
 * Oracle's "+ n years", as DATEADD(year, n, x) and src/model/asOf.ts's addYears count them:
 * - ADD_MONTHS alone is wrong: it keeps "last day of the month" as last day, so 28 February 2023
 *   + 1 year gives 29 February 2024 (DATEADD: 28 February 2024); it also returns a DATE, dropping
 *   the fraction of a TIMESTAMP.
 * - x + NUMTOYMINTERVAL(n, 'YEAR') alone is wrong: 29 February + 1 year raises ORA-01839 (date not
 *   valid for month specified) instead of giving 28 February.
 * So: the interval for every day but 29 February (any other month-day exists in every year, so
 * the interval keeps day and time exactly); for 29 February, ADD_MONTHS on the day (TRUNC, a DATE)
 * gives the last day of February n years on (29th in a leap year, 28th otherwise: DATEADD's rule),
 * and the difference in days is added to x as a day interval, which keeps the time of day and a
 * TIMESTAMP's fraction (TIMESTAMP + INTERVAL DAY TO SECOND stays a TIMESTAMP, DATE stays DATE).
 * TO_CHAR(x, 'MM-DD') names its format, so the session's NLS settings play no part; a NULL x takes
 * the ELSE branch and stays NULL.
 */
function oracleAddYears(expr: string, years: number): string {
  const n = wholeYears(years);
  return `CASE WHEN TO_CHAR(${expr}, 'MM-DD') = '02-29' THEN ${expr} + NUMTODSINTERVAL(ADD_MONTHS(TRUNC(${expr}), ${12 * n}) - TRUNC(${expr}), 'DAY') ELSE ${expr} + NUMTOYMINTERVAL(${n}, 'YEAR') END`;
}

const SQL_SYNTAX: Readonly<Partial<Record<Dialect, SqlSyntax>>> = {
  postgres: {
    personId: 'VARCHAR',
    kind: 'VARCHAR',
    text: 'VARCHAR',
    timestamp: 'TIMESTAMP',
    integer: 'INTEGER',
    longText: 'TEXT',
    literal: quoteLiteral,
    orderByCodePoint: (expr) => `${expr} COLLATE "C"`,
    queryHint: '',
    addYears: (expr, years) => `${expr} + INTERVAL '${wholeYears(years)} years'`,
  },
  mssql: {
    personId: 'NVARCHAR(48)',
    kind: 'NVARCHAR(2)',
    text: 'NVARCHAR(4000)',
    timestamp: 'DATETIME2',
    integer: 'INT',
    longText: 'NVARCHAR(MAX)',
    literal: (value) => `N${quoteLiteral(value)}`,
    orderByCodePoint: (expr) => `${expr} COLLATE Latin1_General_BIN2`,
    // A fresh plan per call: $1 is NULL (everyone) or one person id, two very different reads.
    queryHint: 'OPTION (RECOMPILE)',
    addYears: (expr, years) => `DATEADD(year, ${wholeYears(years)}, ${expr})`,
  },
  oracle: {
    // NVARCHAR2 holds any character whatever the database character set; 2,000 characters is its
    // limit under the default MAX_STRING_SIZE. Long text (JSON) travels as CLOB, made by TO_CLOB
    // (CAST does not convert to LOBs).
    personId: 'NVARCHAR2(48)',
    kind: 'NVARCHAR2(2)',
    text: 'NVARCHAR2(2000)',
    timestamp: 'TIMESTAMP(3)',
    integer: 'NUMBER(10)',
    longText: 'CLOB',
    literal: (value) => `N${quoteLiteral(value)}`,
    // Code-point order whatever the character sets: the UTF-8 bytes of the id, compared as RAW
    // (byte by byte). NLSSORT(…, 'NLS_SORT=BINARY') on NVARCHAR2 would compare UTF-16 code units,
    // which puts characters above U+FFFF before U+E000–U+FFFF (compareCodePoints does not).
    orderByCodePoint: (expr) => `UTL_I18N.STRING_TO_RAW(${expr}, 'AL32UTF8')`,
    queryHint: '',
    castLongText: (expr) => `TO_CLOB(${expr})`,
    // Not CAST(… AS DATE), which reads the text in the session's NLS_DATE_FORMAT.
    dateParam: (param) => DIALECTS.oracle.castDate(param),
    addYears: oracleAddYears,
  },
};

export function sqlSyntax(dialect: Dialect): SqlSyntax {
  const syntax = SQL_SYNTAX[dialect];
  if (!syntax) throw new Error(`no SQL syntax for dialect ${String(dialect)}`);
  return syntax;
}
