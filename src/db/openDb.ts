// Open a Db from a connection string or spec. The one place that knows the four drivers.
import { describeSpec, parseConnectionString, parseLimitSeconds, type ConnectionSpec } from './connectionSpec';
import type { Db } from './types';

export interface OpenOptions {
  /** Secret supplied separately (profiles keep it in SecretStorage); overrides any in the string. */
  password?: string;
  accessToken?: string;
  /** Embedded (pglite:<dir>) only: make a new database when the folder holds none (default true).
   *  Read-only commands pass false, so a mistyped path is an error, not a new database. */
  create?: boolean;
  /** Embedded (pglite:) only: run the database in a worker thread (the editor, so its main thread
   *  never runs the database); the CLI leaves it in-process. */
  inWorker?: boolean;
  /** SQL Server: PEM file of CAs to trust (else SSD_CA_FILE). */
  caFile?: string;
  /** SQL Server: seconds a statement waits for a lock (else SSD_LOCK_TIMEOUT, else Lock Timeout= or 600). */
  lockTimeoutSeconds?: number;
  /** SQL Server: seconds one of our own statements may run (else SSD_COMMAND_TIMEOUT, else Command Timeout= or 7200). */
  commandTimeoutSeconds?: number;
}

/** Environment and option overrides for SQL Server's certificate and limits (options win over the environment). */
function sqlServerOverrides(options: OpenOptions, env: NodeJS.ProcessEnv = process.env): { caFile?: string; lockTimeoutMs?: number; commandTimeoutMs?: number } {
  const out: { caFile?: string; lockTimeoutMs?: number; commandTimeoutMs?: number } = {};
  const ca = options.caFile || env.SSD_CA_FILE;
  if (ca) out.caFile = ca;
  if (options.lockTimeoutSeconds !== undefined) out.lockTimeoutMs = Math.round(options.lockTimeoutSeconds * 1000);
  else if (env.SSD_LOCK_TIMEOUT) out.lockTimeoutMs = parseLimitSeconds(env.SSD_LOCK_TIMEOUT, 'SSD_LOCK_TIMEOUT');
  if (options.commandTimeoutSeconds !== undefined) out.commandTimeoutMs = Math.round(options.commandTimeoutSeconds * 1000);
  else if (env.SSD_COMMAND_TIMEOUT) out.commandTimeoutMs = parseLimitSeconds(env.SSD_COMMAND_TIMEOUT, 'SSD_COMMAND_TIMEOUT');
  return out;
}

export async function openDb(target: string | ConnectionSpec, options: OpenOptions = {}): Promise<Db> {
  const spec = typeof target === 'string' ? parseConnectionString(target) : target;
  const description = describeSpec(spec);
  switch (spec.kind) {
    case 'pglite': {
      if (options.inWorker) {
        const { WorkerDb } = await import('./workerDb');
        return WorkerDb.open(spec.dataDir, description, options.create === false ? { create: false } : {});
      }
      const { PgliteDb } = await import('./pgliteDriver');
      return PgliteDb.open(spec.dataDir, description, options.create === false ? { create: false } : {});
    }
    case 'postgres': {
      const { PostgresDb } = await import('./postgresDriver');
      return PostgresDb.open(spec.url, description, options.password);
    }
    case 'mssql': {
      const { MssqlDb } = await import('./mssqlDriver');
      // A limit written in the connection string wins over the environment and the settings.
      const o = sqlServerOverrides(options);
      const s = { ...spec, ...(o.caFile ? { caFile: o.caFile } : {}) };
      if (s.lockTimeoutMs === undefined && o.lockTimeoutMs !== undefined) s.lockTimeoutMs = o.lockTimeoutMs;
      if (s.commandTimeoutMs === undefined && o.commandTimeoutMs !== undefined) s.commandTimeoutMs = o.commandTimeoutMs;
      if (options.password !== undefined) s.password = options.password;
      if (options.accessToken !== undefined) s.accessToken = options.accessToken;
      return MssqlDb.open(s, description);
    }
    case 'oracle': {
      const { OracleDb } = await import('./oracleDriver');
      // Password: the profile's (options), else the address's, else SSD_ORACLE_PASSWORD.
      return OracleDb.open(spec, description, options.password !== undefined ? { password: options.password } : {});
    }
  }
}
