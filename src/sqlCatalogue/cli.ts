// `ssd sql <command>`: print, without connecting, the SQL a command sends, for a DBA to review
// before it touches a production reporting server. Parameters are shown as the placeholders the
// driver binds (@p1 … on SQL Server, $1 … on PostgreSQL), never as values. With --ddl only the
// statements that create or change objects are printed, as a script a DBA can save and run
// (GO between batches for SSMS / sqlcmd; `;` for psql).
import { Command, Option } from 'commander';
import { action, EXIT, out, parseIsoDate, parseSchema, UsageError } from '../cliSupport/common';
import type { Dialect } from '../db/types';
import { defaultSchemaFor } from '../db/dialect';
import { captureAll, distinct, DEFAULT_CONTEXT, type CataloguedStatement, type SqlContext } from './catalogue';
import { SQL_SCENARIOS } from './index';

export const REVIEW_COMMANDS = ['init', 'check', 'stage', 'send'] as const;
export type ReviewCommand = (typeof REVIEW_COMMANDS)[number];
/** The review commands whose SQL is written for Oracle so far (issue 16). */
const ORACLE_COMMANDS: readonly string[] = ['init', 'check', 'stage', 'send'];

/** The SQL type a parameter of this value is bound as (what a DBA sees in a trace). */
export function paramTypeLabel(dialect: Dialect, v: unknown): string {
  if (Array.isArray(v)) return 'array (one element per row)';
  if (v === null || v === undefined) return dialect === 'mssql' ? 'NVARCHAR (NULL)' : 'NULL';
  if (typeof v === 'string') return dialect === 'mssql' ? (v.length > 4000 ? 'NVARCHAR(MAX)' : 'NVARCHAR') : 'text';
  if (typeof v === 'number') return Number.isInteger(v) ? (dialect === 'mssql' ? 'INT / BIGINT' : 'integer') : 'FLOAT';
  if (typeof v === 'boolean') return dialect === 'mssql' ? 'BIT' : 'boolean';
  if (v instanceof Uint8Array) return dialect === 'mssql' ? 'VARBINARY(MAX)' : 'bytea';
  if (v instanceof Date) return dialect === 'mssql' ? 'DATETIME2' : 'timestamp';
  return dialect === 'mssql' ? 'NVARCHAR (JSON text)' : 'json text';
}

const CODE_CHANGES_OBJECTS = /\b(CREATE|ALTER|DROP)\s+(TABLE|SCHEMA|INDEX|UNIQUE|VIEW)\b|\bEXEC\s*\(\s*N?'CREATE\s+SCHEMA/i;

/** A run's own temporary table (PostgreSQL TEMP, SQL Server #name): made and dropped by the run, not by a DBA. */
const TEMP_TABLE = /\bCREATE\s+TEMP(ORARY)?\s+TABLE\b|\b(CREATE|DROP)\s+TABLE\s+(\[?#|"?ssd_run_marks)/i;

/** Does the statement create or change permanent objects (and need no parameters)? */
export function isDdl(s: CataloguedStatement): boolean {
  if (s.params.length > 0 || s.kind === 'query' || s.kind === 'stream') return false;
  const code = s.sql.replace(/--[^\n]*/g, '');
  return CODE_CHANGES_OBJECTS.test(code) && !TEMP_TABLE.test(code);
}

export interface RenderOptions {
  command: ReviewCommand;
  dialect: Dialect;
  ddlOnly: boolean;
  ctx: SqlContext;
}

/** The review text for a command. */
export function renderSql(statements: readonly CataloguedStatement[], o: RenderOptions): string {
  const mssql = o.dialect === 'mssql';
  const oracle = o.dialect === 'oracle';
  const server = mssql ? 'SQL Server' : oracle ? 'Oracle' : 'PostgreSQL';
  const list = distinct(statements).filter((s) => !o.ddlOnly || isDdl(s));
  const lines: string[] = [];
  lines.push(`-- ssd sql ${o.command} --dialect ${o.dialect} --schema ${o.ctx.schema}${o.ddlOnly ? ' --ddl' : ''}`);
  if (o.ddlOnly) {
    lines.push(
      `-- The objects \`ssd ${o.command}\` creates on ${server} when they are missing, as a script to review and run` +
        ` (${mssql ? 'SSMS or sqlcmd; GO ends each batch' : oracle ? 'SQL*Plus or SQLcl; a line holding only / ends each PL/SQL block' : 'psql'}). Running it again changes nothing.`,
    );
  } else {
    lines.push(`-- The SQL \`ssd ${o.command}\` sends to ${server}, in order, for review. Printed without connecting.`);
    lines.push(`-- Values are bound parameters, never pasted into the text: ${mssql ? '@p1, @p2, … (sp_executesql)' : oracle ? ':b1, :b2, …' : '$1, $2, …'}.`);
    lines.push('-- Statements with one row of placeholders per child are shown for one or two rows: the tool sends up to');
    lines.push(`-- ${mssql ? '2,000 parameters' : 'one array parameter per column'} per statement. A statement sent many times is shown once.`);
    lines.push('-- Queries whose shape depends on the data found (check rules that fired) are shown as they would be sent.');
  }
  lines.push('');
  let scenario = '';
  let n = 0;
  for (const s of list) {
    if (s.scenario !== scenario && !o.ddlOnly) {
      scenario = s.scenario;
      const sc = SQL_SCENARIOS.find((x) => x.id === s.scenario);
      lines.push(`-- ==== ${sc?.title ?? s.scenario}`, '');
    }
    n++;
    if (!o.ddlOnly) {
      const how = s.kind === 'batch' ? 'batch' : s.kind === 'stream' ? 'query, rows streamed' : s.kind === 'copy' ? 'COPY, rows streamed from the client in text format' : s.kind;
      const params = s.params.length
        ? `; parameters: ${s.params
            .slice(0, 12)
            .map((v, i) => `${mssql ? '@p' : oracle ? ':b' : '$'}${i + 1} ${paramTypeLabel(o.dialect, v)}`)
            .join(', ')}${s.params.length > 12 ? `, … (${s.params.length} in all)` : ''}`
        : '';
      lines.push(`-- [${n}] ${how}${s.inTransaction ? ', inside a transaction' : ''}${params}`);
    }
    const text = s.sent.replace(/\s+$/, '');
    if (mssql) lines.push(text, 'GO', '');
    else if (oracle) lines.push(/;\s*$/.test(text) ? `${text}\n/` : `${text};`, '');
    else lines.push(/;\s*$/.test(text) ? text : `${text};`, '');
  }
  if (list.length === 0) lines.push(`-- (no ${o.ddlOnly ? 'DDL' : 'statements'})`);
  return lines.join('\n');
}

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('print the SQL a command sends (init, check, stage, send), without connecting, for a DBA to review')
    .argument('<command>', `one of ${REVIEW_COMMANDS.join(', ')}`)
    .addOption(new Option('--dialect <dialect>', 'the database the SQL is for').choices(['mssql', 'postgres', 'oracle']).default('mssql'))
    .addOption(new Option('--schema <name>', 'schema of the SSD tables (as you will pass to the command)').env('SSD_SCHEMA'))
    .addOption(new Option('--table <name>', 'staging table (stage, send)').choices(['ssd_api_data_staging', 'ssd_api_data_staging_anon']).default('ssd_api_data_staging'))
    .addOption(new Option('--tables <set>', 'init: api (the 19 the payload builder reads) or all').choices(['api', 'all']).default('api'))
    .option('--partial', 'stage, send: with partial payloads')
    .option('--as-of <YYYY-MM-DD>', 'check: the as-of date the rules use')
    .option('--ddl', 'only the statements that create objects, as a script to save and run (SSMS: GO separators)')
    .addHelpText(
      'after',
      '\nExamples:\n  ssd sql init --dialect mssql --schema ssd_development --ddl > ssd_tables.sql\n  ssd sql stage --dialect mssql --schema ssd_development > stage_review.sql\n  ssd sql check --dialect postgres\n\nNothing is connected to; --db is not needed.',
    )
    .action(
      action(async (command: string, opts: { dialect: Dialect; schema?: string; table: SqlContext['stagingTable']; tables: 'api' | 'all'; partial?: boolean; asOf?: string; ddl?: boolean }) => {
        if (!(REVIEW_COMMANDS as readonly string[]).includes(command)) throw new UsageError(`ssd sql prints the SQL of ${REVIEW_COMMANDS.join(', ')}; got ${JSON.stringify(command)}`);
        if (opts.dialect === 'oracle' && !ORACLE_COMMANDS.includes(command))
          throw new UsageError(`ssd sql ${command} --dialect oracle: only ${ORACLE_COMMANDS.join(', ')} run on Oracle so far (issue 16)`);
        const ctx: SqlContext = {
          schema: parseSchema(opts.schema) ?? defaultSchemaFor(opts.dialect),
          stagingTable: opts.table,
          asOf: parseIsoDate(opts.asOf) ?? DEFAULT_CONTEXT.asOf,
          tables: opts.tables,
          partial: !!opts.partial,
          allVariants: false,
        };
        const statements = await captureAll(SQL_SCENARIOS, { dialect: opts.dialect, command: command as ReviewCommand, ctx });
        out(renderSql(statements, { command: command as ReviewCommand, dialect: opts.dialect, ddlOnly: !!opts.ddl, ctx }));
        return EXIT.OK;
      }),
    );
}
