// Pre-flight checks before a deployment script runs (`ssd preflight`, and `ssd run` unless
// --no-preflight): server version and database compatibility level against the features the
// script uses, the target schema exists and accepts CREATE TABLE, the source databases and schemas
// are readable. Every failure says what to do. Queries live in sql/<dialect>/preflight_*.sql.
import { assertPorted } from '../db/dialect';
import { loadSql } from '../db/sqlFiles';
import { floorProblem, MSSQL_FLOOR, MSSQL_RELEASES } from '../db/mssqlFloor';
import type { Db } from '../db/types';
import { lexSql, lineStarts, maskNonCode, positionAt, type ScriptDialect } from './lexer';
import type { PlannedBatch, ScriptPlan } from './types';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface PreflightCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn/fail. */
  fix?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface PreflightReport {
  ok: boolean;
  /** Plan indexes of optional batches that need a newer server than this one: skip them (ssd run does). */
  skipBatches: number[];
  server: { product: string; version: string; level?: string; edition?: string; database?: string; compatibilityLevel?: number | null };
  checks: PreflightCheck[];
}

/** A language feature and the server it needs. */
export interface FeatureNeed {
  feature: string;
  /** SQL Server: major version (11 = 2012, 13 = 2016, 14 = 2017, 16 = 2022) and minimum build within it. */
  mssqlMajor?: number;
  mssqlBuild?: number;
  /** SQL Server database compatibility level the feature needs. */
  compatLevel?: number;
  /** PostgreSQL server_version_num. */
  pgVersionNum?: number;
  release: string;
}

export interface FeatureUse extends FeatureNeed {
  line: number;
  column: number;
  count: number;
}

const TSQL_FEATURES: Array<[RegExp, FeatureNeed]> = [
  [/\bTRY_(?:CONVERT|CAST|PARSE)\s*\(/gi, { feature: 'TRY_CONVERT / TRY_CAST', mssqlMajor: 11, compatLevel: 110, release: 'SQL Server 2012 with database compatibility level 110 or higher' }],
  [/\bCREATE\s+OR\s+ALTER\b/gi, { feature: 'CREATE OR ALTER', mssqlMajor: 13, mssqlBuild: 4001, release: 'SQL Server 2016 SP1' }],
  [/\bSTRING_AGG\s*\(/gi, { feature: 'STRING_AGG', mssqlMajor: 14, release: 'SQL Server 2017' }],
  [/\bFOR\s+JSON\b/gi, { feature: 'FOR JSON', mssqlMajor: 13, release: 'SQL Server 2016' }],
  [/\b(?:JSON_VALUE|JSON_QUERY|JSON_MODIFY|ISJSON)\s*\(/gi, { feature: 'JSON functions', mssqlMajor: 13, release: 'SQL Server 2016' }],
  [/\bOPENJSON\s*\(/gi, { feature: 'OPENJSON', mssqlMajor: 13, compatLevel: 130, release: 'SQL Server 2016 with compatibility level 130 or higher' }],
  [/\bDROP\s+(?:TABLE|VIEW|PROCEDURE|PROC|FUNCTION|INDEX|SCHEMA)\s+IF\s+EXISTS\b/gi, { feature: 'DROP … IF EXISTS', mssqlMajor: 13, release: 'SQL Server 2016' }],
  [/\b(?:CONCAT_WS|TRANSLATE)\s*\(/gi, { feature: 'CONCAT_WS / TRANSLATE', mssqlMajor: 14, release: 'SQL Server 2017' }],
  [/\bTRIM\s*\(/gi, { feature: 'TRIM', mssqlMajor: 14, release: 'SQL Server 2017' }],
  [/\b(?:GREATEST|LEAST|DATE_BUCKET)\s*\(/gi, { feature: 'GREATEST / LEAST / DATE_BUCKET', mssqlMajor: 16, release: 'SQL Server 2022' }],
  [/\bGENERATE_SERIES\s*\(/gi, { feature: 'GENERATE_SERIES', mssqlMajor: 16, compatLevel: 160, release: 'SQL Server 2022 with compatibility level 160' }],
  [/\b(?:THROW\b|DATEFROMPARTS\s*\(|EOMONTH\s*\(|IIF\s*\(|FORMAT\s*\()/gi, { feature: 'THROW / DATEFROMPARTS / IIF / EOMONTH / FORMAT', mssqlMajor: 11, release: 'SQL Server 2012' }],
];

const PG_FEATURES: Array<[RegExp, FeatureNeed]> = [
  [/\bMERGE\s+INTO\b/gi, { feature: 'MERGE', pgVersionNum: 150000, release: 'PostgreSQL 15' }],
  [/\bNULLS\s+NOT\s+DISTINCT\b/gi, { feature: 'NULLS NOT DISTINCT', pgVersionNum: 150000, release: 'PostgreSQL 15' }],
  [/\bgen_random_uuid\s*\(/gi, { feature: 'gen_random_uuid()', pgVersionNum: 130000, release: 'PostgreSQL 13 (earlier: the pgcrypto extension)' }],
  [/\b(?:JSON_OBJECT|JSON_ARRAY|JSON_ARRAYAGG|JSON_OBJECTAGG)\s*\(/gi, { feature: 'SQL/JSON constructors (JSON_OBJECT …)', pgVersionNum: 160000, release: 'PostgreSQL 16' }],
  [/\b(?:JSON_TABLE|JSON_EXISTS|JSON_QUERY|JSON_VALUE)\s*\(/gi, { feature: 'JSON_TABLE / JSON_QUERY / JSON_VALUE', pgVersionNum: 170000, release: 'PostgreSQL 17' }],
  [/\bWITH\s+TIES\b/gi, { feature: 'FETCH … WITH TIES', pgVersionNum: 130000, release: 'PostgreSQL 13' }],
  [/\bGENERATED\s+ALWAYS\s+AS\s*\(/gi, { feature: 'generated columns', pgVersionNum: 120000, release: 'PostgreSQL 12' }],
  [/\bCREATE\s+OR\s+REPLACE\s+PROCEDURE\b|\bCALL\s+\w/gi, { feature: 'procedures (CALL)', pgVersionNum: 110000, release: 'PostgreSQL 11' }],
];

/** Features the script uses in code (comments and strings ignored), with their first line. */
export function scanFeatures(text: string, dialect: ScriptDialect): FeatureUse[] {
  const spans = lexSql(text, dialect);
  const masked = maskNonCode(text, dialect, { spans });
  const starts = lineStarts(text);
  const out: FeatureUse[] = [];
  for (const [re, need] of dialect === 'tsql' ? TSQL_FEATURES : PG_FEATURES) {
    re.lastIndex = 0;
    let first: RegExpExecArray | null = null;
    let count = 0;
    for (let m = re.exec(masked); m; m = re.exec(masked)) {
      if (!first) first = m;
      count++;
    }
    if (first) out.push({ ...need, ...positionAt(starts, first.index), count });
  }
  return out;
}

export interface ScriptReferences {
  /** Schemas the script creates tables in (lower-case). */
  targetSchemas: string[];
  /** Databases named with USE (T-SQL), in order. */
  useDatabases: string[];
  /** database (null = current) and schema the script reads from, with the first line. */
  sources: Array<{ database: string | null; schema: string; line: number; column: number }>;
  /** Schemas the script creates itself (CREATE SCHEMA). */
  createdSchemas: string[];
}

const NAME = String.raw`(?:\[[^\]\n]+\]|"[^"\n]+"|[A-Za-z_][\w$]*)`;
const unq = (s: string) => s.replace(/^[["]|[\]"]$/g, '').toLowerCase();

/** What the script reads and writes, from its code. */
export function scanReferences(text: string, dialect: ScriptDialect, plan?: ScriptPlan): ScriptReferences {
  const masked = maskNonCode(text, dialect);
  const starts = lineStarts(text);
  const targets = new Set<string>();
  for (const t of plan?.tables ?? []) if (t.schema && !t.database) targets.add(t.schema);
  const createRe = new RegExp(String.raw`\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})\s*\.\s*(${NAME})(?!\s*\.)`, 'gi');
  for (let m = createRe.exec(masked); m; m = createRe.exec(masked)) if (!m[1]!.startsWith('#')) targets.add(unq(m[1]!));
  const createdSchemas = new Set<string>();
  const schemaRe = new RegExp(String.raw`\bCREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})`, 'gi');
  for (let m = schemaRe.exec(masked); m; m = schemaRe.exec(masked)) createdSchemas.add(unq(m[1]!));
  const useDatabases: string[] = [];
  if (dialect === 'tsql') {
    const useRe = new RegExp(String.raw`\bUSE\s+(${NAME})`, 'gi');
    for (let m = useRe.exec(masked); m; m = useRe.exec(masked)) {
      const d = unq(m[1]!);
      if (!useDatabases.includes(d)) useDatabases.push(d);
    }
  }
  const sources: ScriptReferences['sources'] = [];
  const seen = new Set<string>();
  const fromRe = new RegExp(String.raw`\b(?:FROM|JOIN)\s+(${NAME})\s*\.\s*(${NAME})(?:\s*\.\s*(${NAME}))?`, 'gi');
  const system = new Set(['sys', 'information_schema', 'pg_catalog', 'tempdb', 'inserted', 'deleted']);
  for (let m = fromRe.exec(masked); m; m = fromRe.exec(masked)) {
    const three = m[3] !== undefined;
    const database = three ? unq(m[1]!) : null;
    const schema = three ? unq(m[2]!) : unq(m[1]!);
    if (system.has(schema) || (database && system.has(database)) || schema.startsWith('#')) continue;
    if (!three && targets.has(schema)) continue;
    if (three && targets.has(schema) && useDatabases.includes(database!)) continue;
    const key = `${database ?? ''}.${schema}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push({ database, schema, ...positionAt(starts, m.index) });
  }
  return { targetSchemas: [...targets], useDatabases, sources, createdSchemas: [...createdSchemas] };
}

function parseMssqlVersion(v: string): { major: number; build: number } {
  const [major, , build] = v.split('.').map((x) => Number(x));
  return { major: major ?? 0, build: build ?? 0 };
}

export interface PreflightOptions {
  /** Script text and name, to check features and referenced schemas. */
  script?: { text: string; file: string; dialect: ScriptDialect; plan?: ScriptPlan };
  /** Schema the tables go to when the script does not say (the --schema option). */
  schema?: string;
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1';

/**
 * Optional batches: those that build no SSD table (a view such as SystemC's
 * ssd_vw_current_time_windows, a closing SELECT). A batch like that which needs a newer server is
 * reported and skipped; a batch that builds tables and needs one stops the run.
 */
export function isOptionalBatch(b: PlannedBatch): boolean {
  if (b.kind === 'setup') return false;
  if (b.container?.type && b.container.type.toLowerCase() !== 'table') return true;
  return b.tables.length === 0 && b.kind === 'other';
}

interface BatchJudgement {
  feature: string;
  needing: PlannedBatch[];
  optionalOnly: boolean;
}

/** Which batches use each feature the server lacks (by feature name). */
function judgeBatches(plan: ScriptPlan, dialect: ScriptDialect, lacks: (u: FeatureUse) => boolean): { byFeature: Map<string, BatchJudgement>; skip: Set<number> } {
  const byFeature = new Map<string, BatchJudgement>();
  const skip = new Set<number>();
  for (const b of plan.batches) {
    for (const u of scanFeatures(b.text, dialect)) {
      if (!lacks(u)) continue;
      const j = byFeature.get(u.feature) ?? { feature: u.feature, needing: [], optionalOnly: true };
      j.needing.push(b);
      if (!isOptionalBatch(b)) j.optionalOnly = false;
      byFeature.set(u.feature, j);
    }
  }
  for (const j of byFeature.values()) for (const b of j.needing) if (isOptionalBatch(b)) skip.add(b.index);
  // An optional batch that reads what a skipped batch creates (the SELECT from the view) goes too.
  const created: string[] = [];
  for (const i of skip) {
    const b = plan.batches[i]!;
    if (b.container?.name) created.push(b.container.name.toLowerCase());
    for (const m of maskNonCode(b.text, dialect).matchAll(/\bCREATE\s+(?:OR\s+(?:ALTER|REPLACE)\s+)?(?:VIEW|PROCEDURE|PROC|FUNCTION)\s+([\w$#.[\]"]+)/gi)) {
      const name = m[1]!
        .split('.')
        .pop()!
        .replace(/[[\]"]/g, '')
        .toLowerCase();
      if (name) created.push(name);
    }
  }
  for (const b of plan.batches) {
    if (skip.has(b.index) || !isOptionalBatch(b) || !created.length) continue;
    const lower = b.text.toLowerCase();
    if (created.some((n) => lower.includes(n)) && plan.batches.some((x) => skip.has(x.index) && x.index < b.index)) skip.add(b.index);
  }
  return { byFeature, skip };
}

function batchList(bs: readonly PlannedBatch[]): string {
  return bs.map((b) => `batch ${b.index + 1} (${b.label}, line ${b.line})`).join(', ');
}

/** Oracle's floor: identity columns and FETCH FIRST (staging, the run log) came in 12c. */
export const ORACLE_FLOOR_MAJOR = 12;

/**
 * Oracle: the server against the floor, and for each schema the tables go to, whether this login may
 * create tables there (its own schema: CREATE TABLE and room on its default tablespace; another
 * user's: CREATE ANY TABLE). ssd stage's work table is a global temporary table in the staging
 * schema, so that permission covers it too. Each source schema the script reads must show this
 * login some table or view. No feature of a script is version-checked on Oracle yet.
 */
async function oraclePreflight(
  db: Db,
  checks: PreflightCheck[],
  targetSchemas: readonly string[],
  sources: ScriptReferences['sources'],
  where: (u: { line: number; column: number }) => Partial<PreflightCheck>,
): Promise<NonNullable<PreflightReport['server']>> {
  type ServerRow = {
    version: string | null;
    database_name: string | null;
    service_name: string | null;
    user_name: string;
    can_create_table: number;
    can_create_any_table: number;
    unlimited_tablespace: number;
    own_quota: number;
  };
  const [s] = await db.query<ServerRow>(loadSql('oracle', 'preflight_server'));
  const version = s?.version ?? '';
  const server = { product: 'Oracle', version, database: s?.service_name ?? s?.database_name ?? '' };
  const major = Number(version.split('.')[0]);
  const floorOk = Number.isFinite(major) && major >= ORACLE_FLOOR_MAJOR;
  checks.push({
    id: 'server',
    title: 'server',
    status: floorOk ? 'ok' : 'fail',
    detail: `Oracle ${version || '(version not readable)'}, service ${server.database}, signed in as ${s?.user_name ?? '?'}${floorOk ? '' : `: SSD Workbench needs Oracle ${ORACLE_FLOOR_MAJOR}c or later (identity columns, FETCH FIRST)`}`,
    ...(floorOk ? {} : { fix: `use an Oracle ${ORACLE_FLOOR_MAJOR}c or later database` }),
  });
  const me = String(s?.user_name ?? '').toUpperCase();
  const canCreateOwn = Number(s?.can_create_table) > 0;
  const room = Number(s?.unlimited_tablespace) > 0 || Number(s?.own_quota) > 0;
  const canCreateAny = Number(s?.can_create_any_table) > 0;
  for (const schema of targetSchemas) {
    const [r] = await db.query<{ schema_name: string; is_own: number; visible_objects: number }>(loadSql('oracle', 'preflight_schema'), [schema]);
    const name = schema.toUpperCase();
    if (!r) {
      checks.push({
        id: `target-schema:${schema}`,
        title: `target schema ${schema}`,
        status: 'fail',
        detail: `schema ${name} does not exist (in Oracle a schema is a user)`,
        fix: `ask your DBA to create the user: CREATE USER ${name} … QUOTA UNLIMITED ON <tablespace>;`,
      });
      continue;
    }
    const own = Number(r.is_own) === 1;
    const ok = own ? canCreateOwn && room : canCreateAny;
    const fix = own
      ? !canCreateOwn
        ? `ask your DBA: GRANT CREATE TABLE TO ${me};`
        : `ask your DBA: ALTER USER ${me} QUOTA UNLIMITED ON <your default tablespace>;`
      : `sign in as ${name}, or ask your DBA: GRANT CREATE ANY TABLE TO ${me}; (or have the DBA create the tables from ssd sql init --dialect oracle --ddl)`;
    checks.push({
      id: `target-schema:${schema}`,
      title: `target schema ${schema}`,
      status: ok ? 'ok' : 'fail',
      detail: ok
        ? `exists; you can create tables in it (ssd init's SSD tables; ssd stage's staging table, run log, work table (a global temporary table) and lock table; ssd send's send log)`
        : own
          ? !canCreateOwn
            ? `your own schema, but you may not create tables (no CREATE TABLE privilege)`
            : `your own schema, but you have no quota on its default tablespace`
          : `schema ${name} is another user's and you may not create tables in it (no CREATE ANY TABLE privilege)`,
      ...(ok ? {} : { fix }),
    });
  }
  const tempOk = targetSchemas.length === 0 ? canCreateOwn : checks.filter((c) => c.id.startsWith('target-schema:')).every((c) => c.status === 'ok');
  checks.push({
    id: 'temp-tables',
    title: 'work table',
    status: tempOk ? 'ok' : 'fail',
    detail: tempOk
      ? `ssd stage can keep its run's work table in a global temporary table (ssd_workbench_run_marks) in the staging schema, created once; its rows are the run's session's only`
      : `ssd stage keeps its run's work table in a global temporary table (ssd_workbench_run_marks) in the staging schema, which needs the same permission to create tables there`,
    ...(tempOk ? {} : { fix: `the fix for the target schema above, or a DBA who creates ssd_workbench_run_marks from ssd sql stage --dialect oracle` }),
  });
  for (const src of sources) {
    if (src.database) continue; // no three-part names in Oracle (database links are not read)
    const [r] = await db.query<{ schema_name: string; is_own: number; visible_objects: number }>(loadSql('oracle', 'preflight_schema'), [src.schema]);
    const ok = !!r && Number(r.visible_objects) > 0;
    checks.push({
      id: `source:${src.schema}`,
      title: `source ${src.schema}`,
      status: ok ? 'ok' : 'fail',
      detail: !r
        ? `the script reads schema ${src.schema.toUpperCase()}, which does not exist`
        : ok
          ? `readable (${Number(r.visible_objects)} tables and views visible)`
          : `you can see no table or view of ${src.schema.toUpperCase()}`,
      ...(ok
        ? {}
        : {
            fix: !r
              ? 'change the script to the schema that holds your case-management views'
              : `ask your DBA: GRANT SELECT ON ${src.schema.toUpperCase()}.<table> TO ${me}; for each table the script reads`,
          }),
      ...where(src),
    });
  }
  return server;
}

export async function runPreflight(db: Db, options: PreflightOptions = {}): Promise<PreflightReport> {
  assertPorted(db.dialect, 'preflight');
  const checks: PreflightCheck[] = [];
  const script = options.script;
  const uses = script ? scanFeatures(script.text, script.dialect) : [];
  const refs = script ? scanReferences(script.text, script.dialect, script.plan) : { targetSchemas: [], useDatabases: [], sources: [], createdSchemas: [] };
  const where = (u: { line: number; column: number }) => (script ? { file: script.file, line: u.line, column: u.column } : {});
  const targetSchemas = refs.targetSchemas.length ? refs.targetSchemas : [(options.schema ?? db.defaultSchema).toLowerCase()];
  let server: PreflightReport['server'];
  const skipBatches = new Set<number>();

  if (db.dialect === 'mssql') {
    const [s] = await db.query<{
      product_version: string;
      product_level: string;
      edition: string;
      engine_edition: number;
      database_name: string;
      compatibility_level: number | null;
      can_create_table: number | null;
    }>(loadSql('mssql', 'preflight_server'));
    const v = parseMssqlVersion(s?.product_version ?? '0');
    const cloud = s?.engine_edition === 5 || s?.engine_edition === 8; // Azure SQL Database / Managed Instance
    server = {
      product: cloud ? 'Azure SQL' : (MSSQL_RELEASES[v.major] ?? `SQL Server (version ${v.major})`),
      version: s?.product_version ?? '',
      level: s?.product_level ?? '',
      edition: s?.edition ?? '',
      database: s?.database_name ?? '',
      compatibilityLevel: s?.compatibility_level ?? null,
    };
    checks.push({
      id: 'server',
      title: 'server',
      status: 'ok',
      detail: `${server.product} ${server.version} ${server.level ?? ''} (${server.edition}), database ${server.database}, compatibility level ${server.compatibilityLevel ?? 'unknown'}`.replace(
        /\s+/g,
        ' ',
      ),
    });
    const floor = floorProblem({ version: server.version, major: v.major, cloud, compatibilityLevel: server.compatibilityLevel ?? null });
    // With a script: the script's batches are judged one by one below, and a community script may
    // run on an older server; only SSD Workbench's own commands (init, check, stage, send) need the floor.
    checks.push({
      id: 'supported-server',
      title: `${MSSQL_FLOOR.release} or later`,
      status: floor ? (script ? 'warn' : 'fail') : 'ok',
      detail: floor ?? `SSD Workbench's own T-SQL runs here (${MSSQL_FLOOR.release}+, compatibility level ${MSSQL_FLOOR.compatLevel}+)`,
      ...(floor
        ? {
            fix: script
              ? `the script can run here where its batches allow (below); ssd init, check, stage and send need ${MSSQL_FLOOR.release} or later`
              : `use a server on ${MSSQL_FLOOR.release} or later, or a database at compatibility level ${MSSQL_FLOOR.compatLevel}+`,
          }
        : {}),
    });
    // The database the script builds in: USE <db> when it says so, else the current one.
    const targetDb = refs.useDatabases[0] ?? null;
    let compat = server.compatibilityLevel ?? null;
    if (targetDb && targetDb.toLowerCase() !== (server.database ?? '').toLowerCase()) {
      checks.push({
        id: 'use-database',
        title: `USE ${targetDb}`,
        status: 'warn',
        detail: `the script switches to ${targetDb} with USE, but you are connected to ${server.database}; each batch may run on its own pooled connection, so batches after a GO could run in ${server.database}`,
        fix: `connect to ${targetDb} itself (Database=${targetDb} in the connection string)`,
      });
    }
    if (targetDb) {
      const rows = await db.query<{ database_name: string; compatibility_level: number; state: string; can_connect: number | null; can_create_table: number | null }>(
        loadSql('mssql', 'preflight_database'),
        [targetDb],
      );
      const d = rows[0];
      if (!d) {
        checks.push({
          id: 'target-database',
          title: `database ${targetDb}`,
          status: 'fail',
          detail: `the script runs USE ${targetDb}, and there is no such database on this server`,
          fix: `create the database ${targetDb}, or change the USE line to the database that should hold the SSD tables`,
        });
      } else {
        compat = d.compatibility_level;
        const okCreate = truthy(d.can_create_table);
        checks.push({
          id: 'target-database',
          title: `database ${targetDb}`,
          status: d.state !== 'ONLINE' || !truthy(d.can_connect) ? 'fail' : okCreate ? 'ok' : 'fail',
          detail: `${d.state}, compatibility level ${d.compatibility_level}${okCreate ? ', CREATE TABLE allowed' : ', no CREATE TABLE permission'}`,
          ...(okCreate && d.state === 'ONLINE' ? {} : { fix: `ask your DBA for CREATE TABLE in ${targetDb} (GRANT CREATE TABLE TO <you>) and ALTER on the SSD schema` }),
        });
      }
    } else {
      const okCreate = truthy(s?.can_create_table);
      checks.push({
        id: 'create-table',
        title: 'CREATE TABLE permission',
        status: okCreate ? 'ok' : 'fail',
        detail: okCreate
          ? `allowed in ${server.database}`
          : `not allowed in ${server.database}: ssd init needs it for the SSD tables, ssd stage for the staging table and its run log, ssd send for its send log, a deployment script for its tables`,
        ...(okCreate ? {} : { fix: `ask your DBA for CREATE TABLE in ${server.database} (GRANT CREATE TABLE TO <you>) and ALTER on the SSD schema` }),
      });
    }
    // The run's work table of ssd stage is a #temp table: any login may create one in tempdb.
    checks.push({
      id: 'temp-tables',
      title: '#temp tables',
      status: 'ok',
      detail: "ssd stage keeps its run's work table (the cohort's ids) in a #temp table, which needs no permission; it creates no other work table",
    });
    const versionOkFor = (u: FeatureNeed) => cloud || v.major > (u.mssqlMajor ?? 0) || (v.major === (u.mssqlMajor ?? 0) && v.build >= (u.mssqlBuild ?? 0));
    const compatOkFor = (u: FeatureNeed) => u.compatLevel === undefined || compat === null || compat >= u.compatLevel;
    const judged = script?.plan ? judgeBatches(script.plan, script.dialect, (u) => !versionOkFor(u) || !compatOkFor(u)) : null;
    for (const s of judged?.skip ?? []) skipBatches.add(s);
    for (const u of uses) {
      const versionOk = versionOkFor(u);
      const compatOk = compatOkFor(u);
      const j = judged?.byFeature.get(u.feature);
      if (!(versionOk && compatOk) && j?.optionalOnly) {
        checks.push({
          id: `feature:${u.feature}`,
          title: u.feature,
          status: 'warn',
          detail: `${u.feature} needs ${u.release}; this database is at level ${compat ?? '?'} on ${server.product} ${server.version}. Only optional ${batchList(j.needing)} use${j.needing.length === 1 ? 's' : ''} it: ${j.needing.length === 1 ? 'it is' : 'they are'} skipped, the tables are built`,
          fix: `to get ${j.needing.length === 1 ? 'that batch' : 'those batches'} too, run on ${u.release} or later`,
          ...where(u),
        });
        continue;
      }
      const status: CheckStatus = versionOk && compatOk ? 'ok' : 'fail';
      const detail = `${u.feature} (${u.count} use${u.count === 1 ? '' : 's'}, first at line ${u.line}) needs ${u.release}`;
      const fix = !versionOk
        ? `this server is ${server.product} ${server.version}: run the script on ${u.release} or later, or use the script's older alternative (for example the #LEGACY-PRE2016 path)`
        : `raise the database compatibility level: ALTER DATABASE ${targetDb ?? server.database} SET COMPATIBILITY_LEVEL = ${u.compatLevel} (ask your DBA; check other applications first)`;
      checks.push({
        id: `feature:${u.feature}`,
        title: u.feature,
        status,
        detail: status === 'ok' ? detail : `${detail}; this database is at level ${compat ?? '?'} on ${server.product} ${server.version}`,
        ...(status === 'ok' ? {} : { fix }),
        ...where(u),
      });
    }
    for (const schema of targetSchemas) {
      const [r] = await db.query<{ database_name: string; schema_exists: number | null; can_select: number | null; can_alter: number | null; error_message: string | null }>(
        loadSql('mssql', 'preflight_schema'),
        [targetDb, schema],
      );
      const created = refs.createdSchemas.includes(schema);
      if (r?.error_message)
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: 'fail',
          detail: `cannot check schema ${schema} in ${r.database_name}: ${r.error_message}`,
          fix: `make sure the database exists and you can connect to it`,
        });
      else if (!truthy(r?.schema_exists))
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: created ? 'warn' : 'fail',
          detail: created ? `schema ${schema} does not exist yet; the script creates it` : `schema ${schema} does not exist in ${r?.database_name}, and the script never creates it`,
          ...(created ? {} : { fix: `create it first: CREATE SCHEMA ${schema}; (or replace the ${schema}. prefix in the script with an existing schema)` }),
        });
      else if (!truthy(r?.can_alter))
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: 'fail',
          detail: `schema ${schema} exists but you cannot create tables in it (no ALTER permission on the schema)`,
          fix: `ask your DBA: GRANT ALTER ON SCHEMA::${schema} TO <you>`,
        });
      else checks.push({ id: `target-schema:${schema}`, title: `target schema ${schema}`, status: 'ok', detail: `exists in ${r?.database_name}; you can create tables in it` });
    }
    for (const src of refs.sources) {
      const [r] = await db.query<{ database_name: string; schema_exists: number | null; can_select: number | null; error_message: string | null }>(loadSql('mssql', 'preflight_schema'), [
        src.database,
        src.schema,
      ]);
      const name = `${src.database ? src.database + '.' : ''}${src.schema}`;
      if (r?.error_message)
        checks.push({
          id: `source:${name}`,
          title: `source ${name}`,
          status: 'fail',
          detail: `cannot read ${name}: ${r.error_message}`,
          fix: src.database ? `check the database name ${src.database} (the script hard-codes it) and that your login can connect to it` : `check the schema name`,
          ...where(src),
        });
      else if (!truthy(r?.schema_exists))
        checks.push({
          id: `source:${name}`,
          title: `source ${name}`,
          status: 'fail',
          detail: `schema ${src.schema} not found in ${r?.database_name}`,
          fix: `the script reads ${name}: change it to where your case-management data lives (search and replace), or ask for read access`,
          ...where(src),
        });
      else if (!truthy(r?.can_select))
        checks.push({
          id: `source:${name}`,
          title: `source ${name}`,
          status: 'fail',
          detail: `no SELECT permission on schema ${src.schema} in ${r?.database_name}`,
          fix: `ask your DBA: GRANT SELECT ON SCHEMA::${src.schema} TO <you> (in ${r?.database_name})`,
          ...where(src),
        });
      else checks.push({ id: `source:${name}`, title: `source ${name}`, status: 'ok', detail: `readable`, ...where(src) });
    }
  } else if (db.dialect === 'oracle') {
    server = await oraclePreflight(db, checks, targetSchemas, refs.sources, where);
  } else {
    const [s] = await db.query<{ version_num: number; version: string; database_name: string; user_name: string; can_create_schema: boolean; can_create_temp: boolean }>(
      loadSql('postgres', 'preflight_server'),
    );
    server = { product: db.kind === 'pglite' ? 'PostgreSQL (embedded)' : 'PostgreSQL', version: s?.version ?? '', database: s?.database_name ?? '' };
    checks.push({ id: 'server', title: 'server', status: 'ok', detail: `${server.product} ${server.version}, database ${server.database}` });
    // ssd stage keeps its run's work table (the cohort's ids) in a temporary table: TEMP privilege.
    const okTemp = !!s?.can_create_temp;
    checks.push({
      id: 'temp-tables',
      title: 'TEMP privilege',
      status: okTemp ? 'ok' : 'fail',
      detail: okTemp
        ? `allowed in ${server.database}: ssd stage keeps its run's work table in a temporary table (no other work table is created)`
        : `not allowed in ${server.database}: ssd stage keeps its run's work table (the cohort's ids) in a temporary table, and cannot stage without it`,
      ...(okTemp ? {} : { fix: `ask your DBA: GRANT TEMP ON DATABASE ${server.database} TO ${s?.user_name ?? '<you>'};` }),
    });
    const num = Number(s?.version_num ?? 0);
    const judged = script?.plan ? judgeBatches(script.plan, script.dialect, (u) => num < (u.pgVersionNum ?? 0)) : null;
    for (const sk of judged?.skip ?? []) skipBatches.add(sk);
    for (const u of uses) {
      const ok = num >= (u.pgVersionNum ?? 0);
      const j = judged?.byFeature.get(u.feature);
      if (!ok && j?.optionalOnly) {
        checks.push({
          id: `feature:${u.feature}`,
          title: u.feature,
          status: 'warn',
          detail: `${u.feature} needs ${u.release}; this server is ${server.version}. Only optional ${batchList(j.needing)} use it: skipped`,
          fix: `run on ${u.release} or later to get it too`,
          ...where(u),
        });
        continue;
      }
      checks.push({
        id: `feature:${u.feature}`,
        title: u.feature,
        status: ok ? 'ok' : 'fail',
        detail: `${u.feature} (${u.count} use${u.count === 1 ? '' : 's'}, first at line ${u.line}) needs ${u.release}${ok ? '' : `; this server is ${server.version}`}`,
        ...(ok ? {} : { fix: `run on ${u.release} or later, or rewrite those statements` }),
        ...where(u),
      });
    }
    for (const schema of targetSchemas) {
      const [r] = await db.query<{ schema_exists: boolean; can_use: boolean | null; can_create: boolean | null }>(loadSql('postgres', 'preflight_schema'), [schema]);
      const created = refs.createdSchemas.includes(schema);
      if (!r?.schema_exists) {
        const canCreate = !!s?.can_create_schema;
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: created && canCreate ? 'warn' : 'fail',
          detail: created
            ? `schema ${schema} does not exist yet; the script creates it${canCreate ? '' : ', but you may not create schemas in this database'}`
            : `schema ${schema} does not exist, and the script never creates it`,
          ...(created && canCreate
            ? {}
            : { fix: created ? `ask your DBA: GRANT CREATE ON DATABASE ${server.database} TO ${s?.user_name ?? '<you>'}; or create the schema for you` : `create it first: CREATE SCHEMA ${schema};` }),
        });
      } else if (!r.can_create || !r.can_use) {
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: 'fail',
          detail: `schema ${schema} exists but you cannot create tables in it`,
          fix: `ask your DBA: GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${s?.user_name ?? '<you>'};`,
        });
      } else
        checks.push({
          id: `target-schema:${schema}`,
          title: `target schema ${schema}`,
          status: 'ok',
          detail: `exists; you can create tables in it (ssd init's SSD tables, ssd stage's staging table and run log, ssd send's send log)`,
        });
    }
    for (const src of refs.sources) {
      if (src.database) continue; // cross-database names do not exist in PostgreSQL
      const [r] = await db.query<{ schema_exists: boolean; can_use: boolean | null }>(loadSql('postgres', 'preflight_schema'), [src.schema]);
      const ok = !!r?.schema_exists && !!r.can_use;
      checks.push({
        id: `source:${src.schema}`,
        title: `source ${src.schema}`,
        status: ok ? 'ok' : 'fail',
        detail: !r?.schema_exists ? `the script reads schema ${src.schema}, which does not exist` : ok ? 'readable' : `no USAGE permission on schema ${src.schema}`,
        ...(ok
          ? {}
          : {
              fix: !r?.schema_exists
                ? `change the script to the schema that holds your case-management views`
                : `ask your DBA: GRANT USAGE ON SCHEMA ${src.schema} TO ${s?.user_name ?? '<you>'}; and SELECT on its tables`,
            }),
        ...where(src),
      });
    }
  }
  return { ok: !checks.some((c) => c.status === 'fail'), skipBatches: [...skipBatches].sort((a, b) => a - b), server, checks };
}
