// Rows the scenarios answer with: the catalogue views of the SSD and staging tables as a database
// that holds them would return them, so the code under capture takes its normal paths.
import type { Dialect, Row } from '../../db/types';
import { BUILDER_TABLES, SSD_TABLES, STAGING_TABLES, type SsdTableDef } from '../../model/ssdModel';
import { oracleColumnType } from '../../db/dialect';

/** information_schema data_type for a model type in a dialect (lower case, no length). */
export function dataTypeOf(dialect: Dialect, modelType: string): string {
  const base = modelType.toLowerCase().replace(/\(.*$/, '').trim();
  if (dialect === 'mssql' || dialect === 'oracle') return base;
  const pg: Record<string, string> = { varchar: 'character varying', timestamp: 'timestamp without time zone', bigserial: 'bigint', serial: 'integer', int: 'integer' };
  return pg[base] ?? base;
}

function lengthOf(modelType: string): number | null {
  if (/\(max\)/i.test(modelType)) return -1;
  const m = /\((\d+)\)/.exec(modelType);
  return m ? Number(m[1]) : null;
}

/** Column rows of information_schema.columns for the given tables (every key a query of ours reads). */
export function columnRows(dialect: Dialect, schema: string, tables: readonly SsdTableDef[] = SSD_TABLES): Row[] {
  const out: Row[] = [];
  for (const t of tables) {
    t.columns.forEach((c, i) => {
      const type = dialect === 'mssql' ? c.sqlServerType : dialect === 'oracle' ? oracleColumnType(c.sqlServerType) : c.postgresType;
      out.push({
        table_schema: schema,
        table_name: t.name,
        column_name: c.name,
        data_type: dataTypeOf(dialect, type),
        character_maximum_length: lengthOf(type),
        numeric_precision: null,
        numeric_scale: null,
        is_nullable: c.nullable ? 'YES' : 'NO',
        ordinal_position: i + 1,
      });
    });
  }
  return out;
}

/** The staging table's columns as our staging_create makes them. */
export function stagingColumnRows(dialect: Dialect, schema: string, table: string, options: { legacyId?: boolean; jsonb?: boolean; stamp?: boolean } = {}): Row[] {
  const ora = dialect === 'oracle';
  const text = dialect === 'mssql' ? 'nvarchar' : ora ? 'nvarchar2' : 'character varying';
  const long = dialect === 'mssql' ? 'nvarchar' : ora ? 'clob' : options.jsonb ? 'jsonb' : 'text';
  const bin = dialect === 'mssql' ? 'binary' : ora ? 'raw' : 'bytea';
  const ts = dialect === 'mssql' ? 'datetime' : ora ? 'timestamp(3)' : 'timestamp without time zone';
  const cols: Array<[string, string, number | null]> = [
    ['id', dialect === 'mssql' ? 'int' : ora ? 'number' : 'integer', null],
    ['person_id', text, 48],
    ...(options.legacyId === false ? [] : [['legacy_id', text, 48] as [string, string, number | null]]),
    ['previous_json_payload', long, -1],
    ['json_payload', long, -1],
    ['partial_json_payload', long, -1],
    ['current_hash', bin, 32],
    ['previous_hash', bin, 32],
    ['submission_status', text, 50],
    ['submission_timestamp', ts, null],
    ['api_response', long, -1],
    ['row_state', text, 10],
    ['last_updated', ts, null],
    ...(options.stamp ? [['validation_stamp', dialect === 'mssql' ? 'varchar' : ora ? 'varchar2' : 'character varying', 64] as [string, string, number | null]] : []),
  ];
  return cols.map(([name, type, len], i) => ({
    table_schema: schema,
    table_name: table,
    column_name: name,
    data_type: type,
    character_maximum_length: len,
    numeric_precision: null,
    numeric_scale: null,
    is_nullable: 'YES',
    ordinal_position: i + 1,
  }));
}

export const builderTableNames = (): Row[] => BUILDER_TABLES.map((t) => ({ table_name: t.name }));
/** Column rows of the tables the payload builder reads (not the staging tables). */
export const builderColumnRows = (dialect: Dialect, schema: string): Row[] =>
  columnRows(
    dialect,
    schema,
    SSD_TABLES.filter((t) => BUILDER_TABLES.some((b) => b.name === t.name)),
  );
export const modelStagingTables = STAGING_TABLES;

/** Is this a query on information_schema.columns / .tables (any case), or Oracle's all_tab_columns / all_objects? */
export const readsColumns = (sql: string): boolean => /information_schema\.columns|\ball_tab_columns\b/i.test(sql);
export const readsTables = (sql: string): boolean => /information_schema\.tables|\ball_objects\b/i.test(sql);
