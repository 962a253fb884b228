// Open a Db from a connection string or spec. The one place that knows the three drivers.
import { describeSpec, parseConnectionString, type ConnectionSpec } from './connectionSpec';
import type { Db } from './types';

export interface OpenOptions {
  /** Secret supplied separately (profiles keep it in SecretStorage); overrides any in the string. */
  password?: string;
  accessToken?: string;
  /** Embedded (pglite:<dir>) only: make a new database when the folder holds none (default true).
   *  Read-only commands pass false, so a mistyped path is an error, not a new database. */
  create?: boolean;
}

export async function openDb(target: string | ConnectionSpec, options: OpenOptions = {}): Promise<Db> {
  const spec = typeof target === 'string' ? parseConnectionString(target) : target;
  const description = describeSpec(spec);
  switch (spec.kind) {
    case 'pglite': {
      const { PgliteDb } = await import('./pgliteDriver');
      return PgliteDb.open(spec.dataDir, description, options.create === false ? { create: false } : {});
    }
    case 'postgres': {
      const { PostgresDb } = await import('./postgresDriver');
      return PostgresDb.open(spec.url, description, options.password);
    }
    case 'mssql': {
      const { MssqlDb } = await import('./mssqlDriver');
      const s = { ...spec };
      if (options.password !== undefined) s.password = options.password;
      if (options.accessToken !== undefined) s.accessToken = options.accessToken;
      return MssqlDb.open(s, description);
    }
  }
}
