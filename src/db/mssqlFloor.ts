// The oldest SQL Server SSD Workbench supports, and the check every command's connect step makes.
//
// Derived from the T-SQL the tool sends (the SQL catalogue, src/sqlCatalogue/, scanned by
// test/unit/sqlCatalogue/versionFloor.test.ts with pre-flight's feature table): it needs SQL Server
// 2008 features only (DATETIME2, SYSDATETIME(), CONVERT(…, 2) hex style for the hashes), and none
// tied to a database compatibility level above 100. The floor is set higher, at SQL Server 2016
// (13.x), the oldest release Microsoft still supports and the oldest we test against; every
// database on a 2016 server is at level 100 or above. Newer features (STRING_AGG, TRIM,
// CONCAT_WS: 2017; CREATE OR ALTER: 2016 SP1; GREATEST: 2022) are kept out of our T-SQL by that test.
import { ConnectionError, type Queryable } from './types';

export const MSSQL_FLOOR = {
  major: 13,
  release: 'SQL Server 2016',
  /** Lowest database compatibility level our T-SQL works at. */
  compatLevel: 100,
} as const;

export const MSSQL_RELEASES: Record<number, string> = {
  9: 'SQL Server 2005',
  10: 'SQL Server 2008',
  11: 'SQL Server 2012',
  12: 'SQL Server 2014',
  13: 'SQL Server 2016',
  14: 'SQL Server 2017',
  15: 'SQL Server 2019',
  16: 'SQL Server 2022',
  17: 'SQL Server 2025',
};

export interface MssqlServerInfo {
  version: string;
  major: number;
  /** Azure SQL Database / Managed Instance: always current. */
  cloud: boolean;
  compatibilityLevel: number | null;
}

/** One line why this server or database is below the floor, or null when it is supported. */
export function floorProblem(s: MssqlServerInfo): string | null {
  if (s.cloud) return null;
  if (s.major > 0 && s.major < MSSQL_FLOOR.major) {
    const name = MSSQL_RELEASES[s.major] ?? `SQL Server ${s.major}`;
    return `this server is ${name} (${s.version}); SSD Workbench needs ${MSSQL_FLOOR.release} or later: older releases are out of Microsoft support and untested (its T-SQL uses DATETIME2, SYSDATETIME() and CONVERT style 2, and is checked against ${MSSQL_FLOOR.release})`;
  }
  if (s.compatibilityLevel !== null && s.compatibilityLevel < MSSQL_FLOOR.compatLevel) {
    return `this database is at compatibility level ${s.compatibilityLevel}; SSD Workbench needs level ${MSSQL_FLOOR.compatLevel} or higher (DATETIME2 and SYSDATETIME() in staging): ask your DBA to run ALTER DATABASE … SET COMPATIBILITY_LEVEL = ${MSSQL_FLOOR.compatLevel} or higher`;
  }
  return null;
}

export const SERVER_INFO_SQL = `SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)) AS product_version, CAST(SERVERPROPERTY('EngineEdition') AS INT) AS engine_edition, (SELECT d.compatibility_level FROM sys.databases AS d WHERE d.name = DB_NAME()) AS compatibility_level`;

export async function readMssqlServer(db: Queryable): Promise<MssqlServerInfo> {
  const [r] = await db.query<{ product_version: string | null; engine_edition: number | null; compatibility_level: number | null }>(SERVER_INFO_SQL);
  const version = r?.product_version ?? '';
  return {
    version,
    major: Number(version.split('.')[0]) || 0,
    cloud: r?.engine_edition === 5 || r?.engine_edition === 8,
    compatibilityLevel: r?.compatibility_level === null || r?.compatibility_level === undefined ? null : Number(r.compatibility_level),
  };
}

/** Connect step: refuse a SQL Server below the floor with one clear line. PostgreSQL: nothing to check. */
export async function assertSupportedServer(db: Queryable): Promise<void> {
  if (db.dialect !== 'mssql') return;
  const problem = floorProblem(await readMssqlServer(db));
  if (problem) throw new ConnectionError(problem);
}
