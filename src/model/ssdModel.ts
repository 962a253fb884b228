// The one SSD model: every table and column with its SQL Server and PostgreSQL type, primary key
// and how the DfE API payload builder uses it. DDL generation, validation (ssd check) and the
// payload builder all read this module. The data itself is generated from the shared spec into
// ssdTables.generated.ts (see scripts/generate-model.mjs).
import { SSD_TABLE_DEFS } from './ssdTables.generated';

export type ApiUsage = 'READ' | 'READ_WRITE';

export interface SsdColumnDef {
  readonly name: string;
  /** Type as written in the SystemC DDL (upper-cased), e.g. NVARCHAR(48), DATETIME. */
  readonly sqlServerType: string;
  /** Type as written in the Eclipse DDL (or derived from the SQL Server type when Eclipse lacks it). */
  readonly postgresType: string;
  readonly postgresTypeDerived?: boolean;
  readonly nullable: boolean;
  readonly pk: boolean;
  readonly identity?: boolean;
  readonly default?: string;
  readonly itemRef?: string;
  /** Foreign key as table.column (never enforced by the community scripts). */
  readonly fk?: string;
  /** True when the API payload builder reads this column. */
  readonly usedByBuilder?: boolean;
}

export interface SsdTableDef {
  readonly name: string;
  readonly description: string;
  readonly rowGrain: string;
  readonly primaryKey: readonly string[];
  /** How the DfE API builder uses the table; null when it does not. */
  readonly apiUsage: ApiUsage | null;
  readonly presentIn: Readonly<Record<string, boolean>>;
  readonly columns: readonly SsdColumnDef[];
}

export const SSD_TABLES: readonly SsdTableDef[] = SSD_TABLE_DEFS;

const byName = new Map(SSD_TABLES.map((t) => [t.name, t] as const));

/** The 19 tables the payload builder reads, in model order. */
export const BUILDER_TABLES: readonly SsdTableDef[] = SSD_TABLES.filter((t) => t.apiUsage === 'READ');
/** The two staging tables the builder writes. */
export const STAGING_TABLES: readonly SsdTableDef[] = SSD_TABLES.filter((t) => t.apiUsage === 'READ_WRITE');
/** SSD tables the builder does not use. */
export const OTHER_TABLES: readonly SsdTableDef[] = SSD_TABLES.filter((t) => t.apiUsage === null);

export type StagingTableName = 'ssd_api_data_staging' | 'ssd_api_data_staging_anon';
export const STAGING_TABLE_NAMES: readonly StagingTableName[] = ['ssd_api_data_staging', 'ssd_api_data_staging_anon'];

export function findTable(name: string): SsdTableDef | undefined {
  return byName.get(name.toLowerCase());
}

export function getTable(name: string): SsdTableDef {
  const t = findTable(name);
  if (!t) throw new Error(`unknown SSD table: ${name}`);
  return t;
}

export function getColumn(table: string, column: string): SsdColumnDef {
  const c = getTable(table).columns.find((x) => x.name === column.toLowerCase());
  if (!c) throw new Error(`unknown SSD column: ${table}.${column}`);
  return c;
}

/** Columns of a table the builder reads. */
export function builderColumns(table: string): readonly SsdColumnDef[] {
  return getTable(table).columns.filter((c) => c.usedByBuilder);
}

export type TableSet = 'api' | 'all';

/** Tables `ssd init` creates: the builder's 19 (api) or every SSD data table (all). Staging is created by `ssd stage`. */
export function tablesForSet(set: TableSet): readonly SsdTableDef[] {
  return set === 'api' ? BUILDER_TABLES : SSD_TABLES.filter((t) => t.apiUsage !== 'READ_WRITE');
}
