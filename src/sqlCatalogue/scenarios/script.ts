// Scenarios for the deployment-script commands: the statements `ssd preflight`, `ssd drift`,
// `ssd run` and `ssd mosaic` send around the script's own batches (server and permission checks,
// live columns, table existence and row counts, the Mosaic master procedure and table listing),
// and the ALTER statements drift prints for review. The scripts here are small stand-ins.
import { runPreflight } from '../../script/preflight';
import { checkDrift } from '../../script/drift';
import { planScript } from '../../script/plan';
import { runPlan } from '../../script/runner';
import { runMosaic } from '../../script/mosaic';
import type { Dialect } from '../../db/types';
import { assertSupportedServer } from '../../db/mssqlFloor';
import type { SqlScenario } from '../catalogue';
import { readsColumns } from './fixtures';

const TSQL_SCRIPT = `USE HDM_Local;
GO
-- META-CONTAINER: {"type": "table", "name": "ssd_person"}
IF OBJECT_ID('ssd_development.ssd_person') IS NULL
CREATE TABLE ssd_development.ssd_person (pers_person_id NVARCHAR(48) NOT NULL PRIMARY KEY, pers_dob DATETIME NULL, pers_new NVARCHAR(10) NULL);
INSERT INTO ssd_development.ssd_person (pers_person_id, pers_dob) SELECT p.PERSON_ID, p.DOB FROM HDM.Child_Social.DIM_PERSON p;
-- META-END
GO
`;

const PG_SCRIPT = `CREATE TABLE IF NOT EXISTS ssd_development.ssd_person (pers_person_id VARCHAR(48) NOT NULL PRIMARY KEY, pers_dob TIMESTAMP NULL, pers_new VARCHAR(10) NULL);
INSERT INTO ssd_development.ssd_person (pers_person_id, pers_dob) SELECT p.person_id, p.dob FROM source_mart.dim_person p;
`;

const scriptFor = (d: Dialect) => (d === 'mssql' ? TSQL_SCRIPT : PG_SCRIPT);
const scriptDialect = (d: Dialect) => (d === 'mssql' ? ('tsql' as const) : ('postgres' as const));

const MOSAIC_SCRIPT = `if object_id('tempdb..##populate_ssd_person') is not null
\tdrop procedure ##populate_ssd_person
go
create procedure ##populate_ssd_person (@start_date datetime, @end_date datetime) as
begin
\tdeclare @codes table (code varchar(20))
\tinsert into @codes values ('X1')
\tif object_id('tempdb..##ssd_person') is not null drop table ##ssd_person
\tcreate table ##ssd_person (pers_person_id varchar(48))
end
go
if object_id('tempdb..##populate_ssd_main') is not null
\tdrop procedure ##populate_ssd_main
go
create procedure ##populate_ssd_main (@number_of_years_to_include int) as
begin
\texec ##populate_ssd_person '2020-04-01', '2025-03-31'
end
go
`;

export const scriptScenarios: SqlScenario[] = [
  {
    id: 'preflight.script',
    command: 'preflight',
    title: 'ssd preflight --script: server version and compatibility level, the USE database, target and source schemas and permissions',
    responder: (dialect) => (sql) => {
      if (dialect === 'mssql') {
        if (/SERVERPROPERTY/.test(sql))
          return [{ product_version: '13.0.5026.0', product_level: 'SP2', edition: 'Standard Edition', engine_edition: 2, database_name: 'HDM_Local', compatibility_level: 130, can_create_table: 1 }];
        if (/sys\.databases/.test(sql)) return [{ database_name: 'HDM_Local', compatibility_level: 130, state: 'ONLINE', can_connect: 1, can_create_table: 1 }];
        if (/sp_executesql/.test(sql)) return [{ database_name: 'HDM_Local', schema_exists: 1, can_select: 1, can_alter: 1, error_message: null }];
      } else {
        if (/server_version_num/.test(sql)) return [{ version_num: 150004, version: '15.4', database_name: 'la', user_name: 'me', can_create_schema: true }];
        if (/pg_namespace/.test(sql)) return [{ schema_exists: true, can_use: true, can_create: true }];
      }
      return undefined;
    },
    run: (db, ctx) => {
      const text = scriptFor(db.dialect);
      const plan = planScript(text, { dialect: scriptDialect(db.dialect), file: 'script.sql' });
      return runPreflight(db, { script: { text, file: 'script.sql', dialect: scriptDialect(db.dialect), plan }, schema: ctx.schema });
    },
  },
  {
    id: 'connect.floor',
    command: 'preflight',
    dialects: ['mssql'],
    title: "every command's connect step (SQL Server): the server version and the database compatibility level, against the supported floor",
    responder: () => () => [{ product_version: '13.0.5026.0', engine_edition: 2, compatibility_level: 130 }],
    run: (db) => assertSupportedServer(db),
  },
  {
    id: 'preflight.connect',
    command: 'preflight',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd preflight (no script): the server, database and CREATE TABLE permission',
    // Oracle: a 19c server, the login's own schema, allowed to create tables there.
    responder: (dialect) => (sql) => {
      if (dialect !== 'oracle') return undefined;
      if (/product_component_version/.test(sql))
        return [
          { version: '19.0.0.0.0', database_name: 'ORCLCDB', service_name: 'AZEUS', user_name: 'SSD_DEVELOPMENT', can_create_table: 1, can_create_any_table: 0, unlimited_tablespace: 0, own_quota: 1 },
        ];
      if (/FROM all_users u/.test(sql)) return [{ schema_name: 'SSD_DEVELOPMENT', is_own: 1, visible_objects: 3 }];
      return undefined;
    },
    run: (db, ctx) => runPreflight(db, { schema: ctx.schema }),
  },
  {
    id: 'drift.script',
    command: 'drift',
    title: 'ssd drift: the live columns of the schema the script builds in (the ALTER statements it prints are parsed too)',
    responder: (dialect, ctx) => (sql) => {
      if (!readsColumns(sql)) return undefined;
      const text = dialect === 'mssql' ? 'nvarchar' : 'character varying';
      return [
        {
          table_name: 'ssd_person',
          column_name: 'pers_person_id',
          data_type: text,
          character_maximum_length: 36,
          numeric_precision: null,
          numeric_scale: null,
          is_nullable: 'NO',
          ordinal_position: 1,
          table_schema: ctx.schema,
        },
        {
          table_name: 'ssd_person',
          column_name: 'pers_dob',
          data_type: dialect === 'mssql' ? 'datetime' : 'timestamp without time zone',
          character_maximum_length: null,
          numeric_precision: null,
          numeric_scale: null,
          is_nullable: 'YES',
          ordinal_position: 2,
          table_schema: ctx.schema,
        },
        {
          table_name: 'ssd_person',
          column_name: 'pers_old',
          data_type: text,
          character_maximum_length: 10,
          numeric_precision: null,
          numeric_scale: null,
          is_nullable: 'YES',
          ordinal_position: 3,
          table_schema: ctx.schema,
        },
      ];
    },
    run: async (db, ctx) => {
      const r = await checkDrift(db, scriptFor(db.dialect), scriptDialect(db.dialect), { schema: ctx.schema, file: 'script.sql' });
      // What drift prints for review goes through the same parser checks as what it sends.
      return { printed: r.tables.flatMap((t) => [...t.statements, ...(t.dropStatement ? [t.dropStatement] : [])]) };
    },
  },
  {
    id: 'run.script',
    command: 'run',
    title: "ssd run: the script's batches (here a stand-in), then for each table it builds: does it exist, how many rows",
    responder: () => (sql) => (/COUNT\(\*\)/.test(sql) ? [{ n: 3 }] : /information_schema\.tables/i.test(sql) ? [{ table_name: 'ssd_person' }] : undefined),
    run: (db, ctx) => runPlan(db, planScript(scriptFor(db.dialect), { dialect: scriptDialect(db.dialect), file: 'script.sql' }), { schema: ctx.schema }),
  },
  {
    id: 'mosaic.run',
    command: 'mosaic',
    dialects: ['mssql'],
    title: 'ssd mosaic: create the procedures (here a stand-in script), run ##populate_ssd_main, list the ##ssd_ tables with row counts',
    run: (db) => runMosaic(db, MOSAIC_SCRIPT, { file: 'mosaic.sql', settings: { settings: {} }, years: 2 }),
  },
];
