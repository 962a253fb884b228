// What every CLI command shares: the --db/--schema/--as-of/--json options, opening the database
// with one clear line on failure, exit codes and output.
import { Command, Option } from 'commander';
import { openDb } from '../db/openDb';
import { ConnectionError, type Db } from '../db/types';
import { schemaExistsSql, validateIdentifier } from '../db/dialect';
import { assertSupportedServer } from '../db/mssqlFloor';
import { redactSecrets } from '../db/connectionSpec';
import { AS_OF_YEARS, AsOf, todayAsOf } from '../model/asOf';
import { streamLogger, type Logger, type LogLevel } from '../log';

/** 0 done, 1 the job found problems, 2 bad usage or no connection. */
export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface GlobalOptions {
  db?: string;
  /** SQL Server: PEM file of CAs to trust (--ca-file / SSD_CA_FILE). */
  caFile?: string;
  /** SQL Server: seconds a statement waits for a lock (--lock-timeout / SSD_LOCK_TIMEOUT). */
  lockTimeout?: string;
  schema?: string;
  asOf?: string;
  json?: boolean;
  verbose?: boolean;
}

export function dbOption(): Option {
  return new Option('--db <url>', 'database: pglite:memory, pglite:<dir>, postgres://…, mssql://… or a SQL Server connection string').env('SSD_DB');
}

/** SQL Server connection options every command that connects takes (added in main.ts). */
export function connectionOptions(): Option[] {
  return [
    new Option('--ca-file <file>', "SQL Server: PEM file of the certificate authority that signed the server's certificate (e.g. the council's internal CA)").env('SSD_CA_FILE'),
    new Option('--lock-timeout <seconds>', 'SQL Server: how long a statement waits for a lock held by another session before it fails, naming that session (default 600; 0 = forever)').env(
      'SSD_LOCK_TIMEOUT',
    ),
  ];
}

export function schemaOption(): Option {
  return new Option('--schema <name>', 'schema holding the SSD tables (default: public / dbo)').env('SSD_SCHEMA');
}

export function asOfOption(): Option {
  return new Option('--as-of <YYYY-MM-DD>', 'as-of date every date rule is relative to (default: today)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print a machine-readable JSON object instead of text');
}

export function parseSchema(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return validateIdentifier(value, 'schema');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Parse YYYY-MM-DD strictly (a real calendar date, src/model/asOf.ts). Returns the same text. */
export function parseIsoDate(value: string | undefined, what = '--as-of'): string | undefined {
  if (value === undefined) return undefined;
  try {
    return AsOf.parse(value, what).date;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The years an as-of date may fall in without --force (src/model/asOf.ts). */
export { AS_OF_YEARS };

/** Why an --as-of date written YYYY-MM-DD is out of range (undefined when in range or not a date:
 *  parseIsoDate reports the format). */
export function asOfRangeProblem(value: string): string | undefined {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  if (y >= AS_OF_YEARS.min && y <= AS_OF_YEARS.max) return undefined;
  return `--as-of ${value} is outside the years ${AS_OF_YEARS.min}–${AS_OF_YEARS.max}: check the date (pass --force if you really mean it)`;
}

/** Today, YYYY-MM-DD: the local date (the one definition, src/model/asOf.ts todayAsOf). */
export function todayIso(): string {
  return todayAsOf();
}

/** How a command opens its database. */
export interface OpenFor {
  /** The command may make a new embedded database (init, fake, run). Others (check, payload,
   *  stage, send…) refuse a pglite: path that holds no database, so a typo creates nothing. */
  create?: boolean;
}

export async function openFromOptions(opts: GlobalOptions, openFor: OpenFor = {}): Promise<Db> {
  if (!opts.db) throw new UsageError('no database given: pass --db (e.g. --db pglite:./ssd-db or --db postgres://…) or set SSD_DB');
  let lockTimeoutSeconds: number | undefined;
  if (opts.lockTimeout !== undefined && opts.lockTimeout !== '') {
    lockTimeoutSeconds = Number(opts.lockTimeout);
    if (!/^\d+(\.\d+)?$/.test(opts.lockTimeout.trim()) || !Number.isFinite(lockTimeoutSeconds))
      throw new UsageError(`--lock-timeout takes a number of seconds (0 = forever), got ${JSON.stringify(opts.lockTimeout)}`);
  }
  return openDb(opts.db, { create: !!openFor.create, ...(opts.caFile ? { caFile: opts.caFile } : {}), ...(lockTimeoutSeconds !== undefined ? { lockTimeoutSeconds } : {}) });
}

export function cliLogger(opts: { verbose?: boolean } = {}): Logger {
  const level: LogLevel = (process.env.SSD_LOG_LEVEL as LogLevel | undefined) ?? (opts.verbose ? 'debug' : 'warn');
  return streamLogger((l) => process.stderr.write(l + '\n'), level);
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function out(line = ''): void {
  process.stdout.write(line + '\n');
}

/**
 * Wrap a command action: runs it, maps errors to one clear line and an exit code, and always
 * closes what it opened. The action returns the exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (e) {
      code = reportError(e);
    }
    process.exitCode = code;
  };
}

export function reportError(e: unknown): number {
  const msg = redactSecrets(e instanceof Error ? e.message : String(e));
  // By name, not instanceof: under tsx a class can exist as two module copies.
  const name = e instanceof Error ? e.name : '';
  if (name === 'UsageError' || name === 'TableLockedError' || e instanceof UsageError) {
    process.stderr.write(`ssd: ${msg}\n`);
    return EXIT.USAGE;
  }
  // The SSD tables are not where the command looked (wrong --schema, SSD not deployed): bad usage.
  if (name === 'MissingTablesError') {
    process.stderr.write(`ssd: ${msg}\n`);
    return EXIT.USAGE;
  }
  if (name === 'ConnectionError' || e instanceof ConnectionError) {
    process.stderr.write(`ssd: ${msg}\n`);
    return EXIT.USAGE;
  }
  if (e instanceof Error && e.name === 'CancelledError') {
    process.stderr.write(`ssd: cancelled\n`);
    return EXIT.PROBLEMS;
  }
  process.stderr.write(`ssd: ${msg}\n`);
  if (process.env.SSD_DEBUG && e instanceof Error && e.stack) process.stderr.write(redactSecrets(e.stack) + '\n');
  return EXIT.PROBLEMS;
}

/** Run fn with an open database, closing it afterwards. */
/**
 * Open the database (`create`: see OpenFor), run fn, close. `checkFloor` (default true): refuse a SQL Server below the
 * supported floor. The script commands pass false: a community script is judged batch by batch by
 * pre-flight instead, and runs on older servers where its batches allow.
 */
export async function withDb<T>(opts: GlobalOptions, fn: (db: Db) => Promise<T>, options: OpenFor & { checkFloor?: boolean } = {}): Promise<T> {
  const db = await openFromOptions(opts, options);
  const onSigint = () => {
    void db.cancel();
  };
  process.once('SIGINT', onSigint);
  try {
    // SQL Server below the supported floor (src/db/mssqlFloor.ts): one clear line, exit 2.
    if (options.checkFloor !== false) await assertSupportedServer(db);
    return await fn(db);
  } finally {
    process.off('SIGINT', onSigint);
    await db.close().catch(() => undefined);
  }
}

/** Throws UsageError when the schema does not exist (or this login cannot see it). */
export async function requireSchema(db: Db, schema: string): Promise<void> {
  const rows = await db.query(schemaExistsSql(db.dialect), [schema]);
  if (rows.length === 0) throw new UsageError(`schema ${schema} does not exist in ${db.description} (or this login cannot see it): check --schema`);
}

export type CommandRegistrar = (program: Command) => void;
