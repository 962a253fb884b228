// The staging table: create it when missing (the community's column layout, per dialect, plus a
// unique index on person_id), or check that an existing one has the columns the lifecycle needs.
import { columnsSql, createSchemaSql, qualify, quoteIdent, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db, Dialect } from '../db/types';
import { dropOldMarksTable, oldMarksTableName } from './runMarks';

export const STAGING_TABLES = ['ssd_api_data_staging', 'ssd_api_data_staging_anon'] as const;
export type StagingTableName = (typeof STAGING_TABLES)[number];

/** Columns the lifecycle reads or writes. legacy_id is optional (older community tables lack it). */
export const REQUIRED_COLUMNS = [
  'id',
  'person_id',
  'previous_json_payload',
  'json_payload',
  'partial_json_payload',
  'current_hash',
  'previous_hash',
  'submission_status',
  'submission_timestamp',
  'api_response',
  'row_state',
  'last_updated',
] as const;

/** Our optional column: the DfE schema validation the row's payload passed (src/payload/validatePayload.ts validationStamp). */
export const STAMP_COLUMN = 'validation_stamp';

export interface StagingTableInfo {
  schema: string;
  table: string;
  /** Quoted schema.table. */
  qualified: string;
  created: boolean;
  hasLegacyId: boolean;
  /** Max characters of person_id / legacy_id (null = unlimited). */
  personIdMax: number | null;
  legacyIdMax: number | null;
  /** PostgreSQL: the payload columns are json/jsonb and values need a cast. */
  jsonColumns: boolean;
  /**
   * The table has validation_stamp (added when missing; false only when it could not be added,
   * e.g. no ALTER permission): unchanged children whose stamp matches skip DfE schema validation.
   */
  hasStamp: boolean;
}

export class StagingTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StagingTableError';
  }
}

interface ColumnRow {
  table_schema?: string;
  table_name: string;
  column_name: string;
  data_type: string;
  character_maximum_length: number | string | null;
}

async function readColumns(db: Db, schema: string, table: string, also?: { table: string; columns: ColumnRow[] }): Promise<Map<string, ColumnRow>> {
  const rows = await db.query<ColumnRow>(columnsSql(db.dialect), [schema]);
  const out = new Map<string, ColumnRow>();
  for (const r of rows) {
    if (r.table_name.toLowerCase() === table.toLowerCase()) out.set(r.column_name.toLowerCase(), r);
    else if (also && r.table_name.toLowerCase() === also.table.toLowerCase()) also.columns.push(r);
  }
  return out;
}

/** schema.table as the catalog stores them (a case-sensitive database resolves only those). */
function storedNames(columns: Map<string, ColumnRow>, schema: string, table: string): { schema: string; table: string } {
  const r = columns.values().next().value as ColumnRow | undefined;
  return { schema: r?.table_schema ?? schema, table: r?.table_name ?? table };
}

function maxLength(c: ColumnRow | undefined): number | null {
  if (!c || c.character_maximum_length === null || c.character_maximum_length === undefined) return null;
  const n = Number(c.character_maximum_length);
  return Number.isFinite(n) && n > 0 ? n : null; // -1 = MAX in SQL Server
}

/**
 * Make sure the staging table exists in `schema`; return what the writer needs to know about the
 * table. Fails with a clear message when an existing table lacks a column. The run's work table is
 * a temporary table of the run's session (runMarks.ts), not made here; an empty permanent one left
 * by an earlier version is dropped.
 */
export async function ensureStagingTable(db: Db, options: { schema?: string; table?: string } = {}): Promise<StagingTableInfo> {
  const schema = validateIdentifier(options.schema ?? db.defaultSchema, 'schema');
  const table = validateIdentifier(options.table ?? 'ssd_api_data_staging', 'table');
  if (!(STAGING_TABLES as readonly string[]).includes(table)) {
    throw new StagingTableError(`staging table must be one of ${STAGING_TABLES.join(', ')}, got ${table}`);
  }
  const d: Dialect = db.dialect;
  let qualified = qualify(d, schema, table);
  const old = { table: oldMarksTableName(table), columns: [] as ColumnRow[] };

  let columns = await readColumns(db, schema, table, old);
  if (columns.size) {
    const stored = storedNames(columns, schema, table);
    qualified = qualify(d, stored.schema, stored.table);
  }
  let created = false;
  if (columns.size === 0) {
    if (schema !== db.defaultSchema) await db.execute(createSchemaSql(d, schema));
    const ddl = fillIdentifiers(loadSql(d, 'staging_create'), {
      table: qualified,
      objectName: `${schema}.${table}`,
      personIndex: quoteIdent(d, `ux_${table}_person_id`),
    });
    await db.runBatch(ddl);
    created = true;
    columns = await readColumns(db, schema, table);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length) {
    throw new StagingTableError(
      `${schema}.${table} exists but has no column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
        `it must have the community staging columns (see docs/staging.md). Add ${missing.length > 1 ? 'them' : 'it'}, or stage into another schema.`,
    );
  }
  for (const h of ['current_hash', 'previous_hash']) {
    const t = columns.get(h)!.data_type.toLowerCase();
    if (!['bytea', 'binary', 'varbinary', 'raw'].includes(t)) throw new StagingTableError(`${schema}.${table}.${h} is ${t}: it must be binary (BYTEA / BINARY(32) / RAW(32)) to hold a SHA-256 hash`);
  }
  const jsonType = columns.get('json_payload')!.data_type.toLowerCase();
  // The validation stamp (issue 17) is an addition of ours: added when missing; a table it cannot
  // be added to is staged as before, every child validated.
  let hasStamp = columns.has(STAMP_COLUMN);
  if (!hasStamp) {
    try {
      await db.execute(fillIdentifiers(loadSql(d, 'staging_add_stamp'), { table: qualified, objectName: `${schema}.${table}` }));
      hasStamp = (await readColumns(db, schema, table)).has(STAMP_COLUMN);
    } catch {
      hasStamp = false;
    }
  }
  if (old.columns.length) {
    const o = old.columns[0]!;
    await dropOldMarksTable(
      db,
      o.table_schema ?? schema,
      o.table_name,
      old.columns.map((c) => c.column_name),
    );
  }

  const dup = await db.query<{ person_id: string }>(fillIdentifiers(loadSql(d, 'staging_duplicates'), { table: qualified }));
  if (dup.length) {
    const ids = dup
      .slice(0, 10)
      .map((r) => r.person_id)
      .join(', ');
    throw new StagingTableError(
      `${schema}.${table} has more than one row for ${dup.length} person id(s) (${ids}${dup.length > 10 ? ', …' : ''}): ` +
        'the lifecycle needs one row per child. Merge or remove the duplicates, then run again.',
    );
  }
  return {
    schema,
    table,
    qualified,
    created,
    hasLegacyId: columns.has('legacy_id'),
    personIdMax: maxLength(columns.get('person_id')),
    legacyIdMax: maxLength(columns.get('legacy_id')),
    jsonColumns: d === 'postgres' && (jsonType === 'jsonb' || jsonType === 'json'),
    hasStamp,
  };
}
