// The SQL catalogue: every statement the tool can send, per command and dialect, captured by
// driving each command's real code against a RecordingDb (src/db/recordingDb.ts) that runs nothing
// and answers with rows that steer the code down every path (new, changed and gone staging rows,
// check rules that fire, sends that succeed and fail). Nothing here copies SQL: a statement changed
// in a capability changes here, and a new statement a command sends appears here by itself.
//
// Used by `ssd sql <command>` (print what a command runs, for a DBA's review) and by the grammar
// tests (test/unit/sqlCatalogue/), which parse every captured statement with the grammars-v4 T-SQL
// grammar and the real PostgreSQL parser.
//
// Adding statements: a capability whose code is not reached by an existing scenario adds a
// SqlScenario to a file in ./scenarios/ (or a new file there, listed in ./index.ts).
import { CopyRecordingDb, RecordingDb, type RecordedStatement, type Responder } from '../db/recordingDb';
import type { Dialect, Row } from '../db/types';
import { rewritePlaceholders } from '../db/mssqlParams';
import { rewriteOraclePlaceholders } from '../db/oracleParams';

/** The commands `ssd sql` prints, and the other groups the grammar tests cover. */
export const SQL_COMMANDS = ['init', 'check', 'stage', 'send', 'preflight', 'drift', 'mosaic', 'run', 'fake', 'browse', 'scramble', 'phases', 'payload'] as const;
export type SqlCommand = (typeof SQL_COMMANDS)[number];

export interface SqlContext {
  /** Schema of the SSD tables (and staging). */
  schema: string;
  /** Staging table name. */
  stagingTable: 'ssd_api_data_staging' | 'ssd_api_data_staging_anon';
  /** As-of date, YYYY-MM-DD. */
  asOf: string;
  /** ssd init's table set. */
  tables?: 'api' | 'all';
  /** ssd stage / send: partial payloads. */
  partial?: boolean;
  /** Also drive the variants an existing table may need (older community layouts, jsonb columns): the grammar tests do. */
  allVariants?: boolean;
}

export interface SqlScenario {
  /** Unique, e.g. 'stage.write'. */
  id: string;
  command: SqlCommand;
  /** What the scenario drives, in words (printed above its statements). */
  title: string;
  /** Dialects it applies to (default SQL Server and PostgreSQL; Oracle only where listed: issue 16). */
  dialects?: readonly Dialect[];
  /** Rows to answer with, so the code reaches every statement. Default: no rows. */
  responder?: (dialect: Dialect, ctx: SqlContext) => Responder;
  /** PostgreSQL: record through a connection that streams `COPY … FROM STDIN` (the pg driver), so
   *  the code takes its COPY path; without it, the path of PGlite (no COPY from the client). */
  copyFrom?: boolean;
  /** Drive the real code. May return statements the command prints (never sends) as { printed }. */
  run(db: RecordingDb, ctx: SqlContext): Promise<unknown>;
}

export interface CataloguedStatement extends Omit<RecordedStatement, 'kind'> {
  /** How it is sent; 'printed': not sent, printed for a person to review and run (drift's ALTERs). */
  kind: RecordedStatement['kind'] | 'printed';
  scenario: string;
  command: SqlCommand;
  dialect: Dialect;
  /** 1-based position in the scenario. */
  seq: number;
  /** The text as the driver sends it: SQL Server placeholders $n rewritten to @pn. */
  sent: string;
}

export const DEFAULT_CONTEXT: SqlContext = { schema: 'ssd_development', stagingTable: 'ssd_api_data_staging', asOf: '2025-03-31', tables: 'all', allVariants: true };

/** Text the driver sends for a statement. */
export function sentText(dialect: Dialect, sql: string): string {
  return dialect === 'mssql' ? rewritePlaceholders(sql).text : dialect === 'oracle' ? rewriteOraclePlaceholders(sql).text : sql;
}

/** In a recording no other run holds a staging table's lock (src/send/tableLock.ts): it is granted. */
const lockGranted: Responder = (sql) =>
  /sp_getapplock/i.test(sql) ? [{ r: 0 }] : /pg_try_advisory_lock/i.test(sql) ? [{ ok: true }] : /FOR UPDATE SKIP LOCKED/i.test(sql) ? [{ lock_name: 'ssd-staging:0' }] : undefined;

/** Run one scenario and return its statements. */
export async function captureScenario(scenario: SqlScenario, dialect: Dialect, ctx: SqlContext = DEFAULT_CONTEXT): Promise<CataloguedStatement[]> {
  const own = scenario.responder?.(dialect, ctx);
  const responder: Responder = (sql, params, kind) => own?.(sql, params, kind) ?? lockGranted(sql, params, kind);
  const db = scenario.copyFrom && dialect === 'postgres' ? new CopyRecordingDb(responder) : new RecordingDb(dialect, responder);
  const result = await scenario.run(db, ctx);
  const printed = result && typeof result === 'object' && Array.isArray((result as { printed?: unknown }).printed) ? (result as { printed: string[] }).printed : [];
  const all: Array<Omit<CataloguedStatement, 'scenario' | 'command' | 'dialect' | 'seq' | 'sent'>> = [
    ...db.statements,
    ...printed.map((sql) => ({ kind: 'printed' as const, sql, params: [], inTransaction: false })),
  ];
  return all.map((s, i) => ({ ...s, scenario: scenario.id, command: scenario.command, dialect, seq: i + 1, sent: sentText(dialect, s.sql) }));
}

/** Every statement of the scenarios given (all dialects they apply to unless one is named). */
export async function captureAll(scenarios: readonly SqlScenario[], options: { dialect?: Dialect; command?: SqlCommand; ctx?: SqlContext } = {}): Promise<CataloguedStatement[]> {
  const out: CataloguedStatement[] = [];
  for (const s of scenarios) {
    if (options.command && s.command !== options.command) continue;
    for (const d of s.dialects ?? (['mssql', 'postgres'] as const)) {
      if (options.dialect && d !== options.dialect) continue;
      out.push(...(await captureScenario(s, d, options.ctx ?? DEFAULT_CONTEXT)));
    }
  }
  return out;
}

/** Statements whose text is the same apart from the number of placeholder rows are kept once (the first). */
export function distinct(statements: readonly CataloguedStatement[]): CataloguedStatement[] {
  const seen = new Set<string>();
  const out: CataloguedStatement[] = [];
  for (const s of statements) {
    const key = `${s.dialect}\u0000${s.kind}\u0000${s.sql}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** A responder from a list of [test, rows] pairs, first match wins. */
export function respondWith(rules: ReadonlyArray<[(sql: string, params: readonly unknown[]) => boolean, (params: readonly unknown[]) => Row[]]>): Responder {
  return (sql, params) => {
    for (const [test, rows] of rules) if (test(sql, params)) return rows(params);
    return undefined;
  };
}
