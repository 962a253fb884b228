// Open a Db from a connection string or spec. The one place that knows the three drivers.
import { describeSpec, parseConnectionString, type ConnectionSpec } from './connectionSpec';
import type { Db } from './types';

export interface OpenOptions {
  /** Secret supplied separately (profiles keep it in SecretStorage); overrides any in the string. */
  password?: string;
  accessToken?: string;
}

export async function openDb(target: string | ConnectionSpec, options: OpenOptions = {}): Promise<Db> {
  const spec = typeof target === 'string' ? parseConnectionString(target) : target;
  const description = describeSpec(spec);
  switch (spec.kind) {
    case 'pglite': {
      const { PgliteDb } = await import('./pgliteDriver');
      return PgliteDb.open(spec.dataDir, description);
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
