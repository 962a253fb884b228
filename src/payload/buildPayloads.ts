// Streaming payload build: one ordered read (sql/<dialect>/payload_child_rows.sql) returns every
// row of the 19 SSD tables tagged with its child, in person-id order (code-point order in both
// dialects). Rows are grouped per child as they arrive; each child is gated (cohort), built,
// validated and handed on before the next is read, so memory holds one child plus the driver's
// fetch buffer whatever the number of children. The as-of date is always explicit.
import { columnsSql, qualify, tablesSql } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, rowBatches, type Db, type Row } from '../db/types';
import { BUILDER_TABLES } from '../model/ssdModel';
import { buildChild, compareCodePoints } from './buildPayload';
import { emptyChildRows, type ChildRows, type PersonRow } from './rows';
import { ORPHAN_ROWS, PAYLOAD_ROWS, ROW_DECODERS, STREAM_SLOTS } from './rowSpec';
import type { BuildOptions, BuiltChild, CohortExclusion, PayloadProblem, ReportingWindow } from './types';
import { withSchemaProblems } from './validatePayload';
import { isIsoDate, reportingWindow } from './window';

export { compareCodePoints as comparePersonIds } from './buildPayload';

/**
 * Default rows per round trip (the per-batch buffer; memory does not grow with children). 1,000
 * rows (about 100 children, 0.2 MB): the rows read ahead die young, in the garbage collector's
 * young generation, instead of being promoted with the batch being built; with 5,000 rows the
 * process's peak RSS at 100k children was about 30 MB higher (docs/performance.md, issue 17).
 */
export const DEFAULT_BATCH_SIZE = 1000;

/** Counts of one streamed build, filled in as the stream is consumed. */
export interface BuildStats {
  /** People read from ssd_person (a person id on several rows counts once). */
  persons: number;
  /** ssd_person rows whose person id is NULL: no payload can be built or staged for them (ssd check SSD-PERS-020). */
  personsWithoutId: number;
  /** Children in the cohort (yielded). */
  cohort: number;
  excludedGateA: number;
  excludedGateB: number;
  /** Rows read from the database. */
  rows: number;
}

export interface StreamOptions extends BuildOptions {
  /** Called for each person not in the cohort (which gate). */
  onExcluded?: (e: CohortExclusion) => void;
  /** Filled in while streaming. */
  stats?: BuildStats;
  /**
   * Validate against the DfE schema (default true; the staging safety stop's planning pass needs
   * only the cohort). 'deferred': each child carries withSchemaValidation instead, for staging to
   * call when the child's staging row does not already prove the result.
   */
  validate?: boolean | 'deferred';
}

export function emptyStats(): BuildStats {
  return { persons: 0, personsWithoutId: 0, cohort: 0, excludedGateA: 0, excludedGateB: 0, rows: 0 };
}

function checkOptions(options: BuildOptions): ReportingWindow {
  if (!options || typeof options.asOf !== 'string' || !isIsoDate(options.asOf)) {
    throw new Error('the as-of date must be given as YYYY-MM-DD');
  }
  if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1)) {
    throw new Error('the batch size must be a whole number of rows, at least 1');
  }
  return reportingWindow(options.asOf);
}

/** Some of the 19 tables the builder reads are not in the schema (wrong --schema, or SSD not deployed). */
export class MissingTablesError extends Error {
  constructor(
    readonly schema: string,
    readonly missing: readonly string[],
  ) {
    super(`schema ${schema} lacks ${missing.length} of the ${BUILDER_TABLES.length} SSD tables the payload builder reads: ${missing.join(', ')} (check --schema, or create them with ssd init)`);
    this.name = 'MissingTablesError';
  }
}

/**
 * Check that every table the builder reads exists (one catalogue query); throws MissingTablesError.
 * Returns the schema and table names as the catalog stores them (a case-sensitive database
 * resolves only those).
 */
export async function assertBuilderTables(db: Db, schema: string): Promise<{ schema: string; tables: Map<string, string> }> {
  const rows = await db.query<{ table_schema?: string; table_name: string }>(tablesSql(db.dialect), [schema]);
  const tables = new Map<string, string>();
  let actualSchema = schema;
  for (const r of rows) {
    const key = String(r.table_name).toLowerCase();
    // Two spellings of one name (PostgreSQL): prefer the model's lower-case one.
    if (!tables.has(key) || String(r.table_name) === key) {
      tables.set(key, String(r.table_name));
      if (r.table_schema) actualSchema = String(r.table_schema);
    }
  }
  const missing = BUILDER_TABLES.map((t) => t.name).filter((t) => !tables.has(t));
  if (missing.length > 0) throw new MissingTablesError(schema, missing);
  return { schema: actualSchema, tables };
}

/** The branches of sql/<dialect>/payload_orphan_rows.sql: key 'table.person_column' → SQL. */
function orphanSections(db: Db): Array<{ key: string; sql: string }> {
  const text = loadSql(db.dialect, 'payload_orphan_rows');
  const parts = text.split(/^-- branch (\w+\.\w+)\n/m);
  const out: Array<{ key: string; sql: string }> = [];
  for (let i = 1; i + 1 < parts.length; i += 2) out.push({ key: parts[i]!, sql: parts[i + 1]!.trimEnd() });
  return out;
}

/** The orphan branches whose person-id column exists in the schema (older SSDs lack some). */
export async function orphanBranchesPresent(db: Db, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ table_name: string; column_name: string }>(columnsSql(db.dialect), [schema]);
  const present = new Set(rows.map((r) => `${String(r.table_name).toLowerCase()}.${String(r.column_name).toLowerCase()}`));
  return new Set(
    orphanSections(db)
      .map((b) => b.key)
      .filter((k) => present.has(k)),
  );
}

/**
 * The SQL of the child-rows stream for this database and schema; `orphanBranches` names the
 * branches of payload_orphan_rows.sql to include (rows no payload can hold; default none);
 * `actual`: the names as the catalog stores them (a case-sensitive collation), when known.
 */
export function childRowsSql(db: Db, schema: string, orphanBranches: ReadonlySet<string> = new Set(), actual?: { schema: string; tables: Map<string, string> }): string {
  const ids: Record<string, string> = {};
  for (const t of BUILDER_TABLES) ids[t.name] = qualify(db.dialect, actual?.schema ?? schema, actual?.tables.get(t.name) ?? t.name);
  const orphans = orphanSections(db)
    .filter((b) => orphanBranches.has(b.key))
    .map((b) => `  UNION ALL\n${b.sql}`)
    .join('\n');
  ids.orphanBranches = orphans ? fillIdentifiers(orphans, ids) : '';
  return fillIdentifiers(loadSql(db.dialect, 'payload_child_rows'), ids);
}

type S = string | null;

function s(v: unknown): S {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function id(v: unknown): string {
  return s(v) ?? '';
}

/** Add one streamed row to the child's rows, by kind (decoded as src/payload/rowSpec.ts says). */
export function addRow(rows: ChildRows, r: Row): void {
  const kind = ROW_DECODERS.get(r.k as string);
  if (!kind || kind.list === null || kind.list === 'person') throw new Error(`unexpected row kind in the payload stream`);
  (rows[kind.list] as object[]).push(kind.decode(r));
}

const PERSON = ROW_DECODERS.get(PAYLOAD_ROWS.person.k)!;
const ORPHAN = ROW_DECODERS.get(ORPHAN_ROWS.k)!;

function personFrom(r: Row): ChildRows {
  return emptyChildRows(PERSON.decode(r) as unknown as PersonRow);
}

/** A row the builder cannot attach to any payload (payload_orphan_rows.sql), tagged with its own person id. */
export interface OrphanRow {
  table: string;
  id: string;
  /** The reference that was not found (null when empty). */
  ref: string | null;
  refColumn: string;
}

/** One person id's rows as grouped from the stream. */
export interface PersonGroup {
  personId: string;
  /** One ChildRows per ssd_person row with this id (more than one: a duplicated id), in a fixed order. */
  variants: ChildRows[];
  /** Rows of other tables no payload can hold that name this person. */
  orphans: OrphanRow[];
}

const ROW_FIELDS = ['k', ...STREAM_SLOTS];

function rowKey(r: Row): string {
  return JSON.stringify(ROW_FIELDS.map((f) => s(r[f])));
}

/**
 * The rows of one person id → a group. Several ssd_person rows with one id (a table without its
 * primary key) each give a variant built from all the other rows, in a fixed order, so that the
 * whole stream and a one-child read agree whatever order the database returned the rows in; the
 * other rows, joined once per person row, are de-duplicated.
 */
function assembleGroup(pid: string, group: Row[]): PersonGroup | null {
  const persons = group.filter((r) => r.k === PAYLOAD_ROWS.person.k);
  if (persons.length === 0) return null; // cannot happen: every branch joins ssd_person
  let others = group.filter((r) => r.k !== PAYLOAD_ROWS.person.k);
  if (persons.length > 1) {
    const keyed = persons.map((r) => ({ r, key: rowKey(r) })).sort((a, b) => compareCodePoints(a.key, b.key));
    persons.splice(0, persons.length, ...keyed.map((x) => x.r));
    const seen = new Set<string>();
    others = others.filter((r) => {
      const k = rowKey(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const orphans: OrphanRow[] = [];
  for (const r of others) if (r.k === ORPHAN_ROWS.k) orphans.push(ORPHAN.decode(r) as unknown as OrphanRow);
  const rest = others.filter((r) => r.k !== ORPHAN_ROWS.k);
  const variants = persons.map((pr) => {
    const rows = personFrom(pr);
    for (const r of rest) addRow(rows, r);
    return rows;
  });
  orphans.sort((a, b) => compareCodePoints(a.table, b.table) || compareCodePoints(a.id, b.id));
  return { personId: pid, variants, orphans };
}

/**
 * Group the ordered rows per person id. An ssd_person row whose id is NULL has nothing joined to
 * it (NULL matches nothing) and no child can be built or staged for it: it is counted
 * (stats.personsWithoutId) and skipped, wherever the database sorts NULLs (last in PostgreSQL,
 * first in SQL Server).
 */
async function* groupByPerson(source: AsyncIterable<Row>, stats: BuildStats, signal?: AbortSignal): AsyncIterable<PersonGroup> {
  let currentPid: string | null = null;
  let group: Row[] = [];
  // A batch at a time where the stream has batches (an off-thread read): no turn of the event loop per row.
  for await (const rows of rowBatches(source)) {
    for (const r of rows) {
      if (signal?.aborted) throw new CancelledError();
      stats.rows++;
      if (r.pid === null || r.pid === undefined) {
        if (r.k === PAYLOAD_ROWS.person.k) stats.personsWithoutId++;
        continue;
      }
      const pid = id(r.pid);
      if (pid !== currentPid) {
        if (currentPid !== null) {
          if (compareCodePoints(currentPid, pid) > 0) {
            throw new Error('the payload stream is not in person-id order (database collation differs from code-point order); no payloads were built from the rest');
          }
          const g = assembleGroup(currentPid, group);
          if (g) yield g;
        }
        currentPid = pid;
        group = [];
      }
      group.push(r);
    }
  }
  if (currentPid !== null) {
    const g = assembleGroup(currentPid, group);
    if (g) yield g;
  }
}

const ORPHAN_WHAT: Record<string, [string, string]> = {
  ssd_cin_assessments: ['assessment', 'assessments'],
  ssd_cin_plans: ['CIN plan', 'CIN plans'],
  ssd_s47_enquiry: ['S47 enquiry', 'S47 enquiries'],
  ssd_cp_plans: ['CP plan', 'CP plans'],
  ssd_cla_episodes: ['CLA episode', 'CLA episodes'],
  ssd_cla_placement: ['placement', 'placements'],
  ssd_involvements: ['involvement', 'involvements'],
};
const ORPHAN_PARENT: Record<string, string> = { clap_cla_id: 'ssd_cla_episodes.clae_cla_id' };

/** One warning per table of rows this child's payload cannot hold, naming them (ids only). */
export function orphanWarnings(orphans: readonly OrphanRow[]): PayloadProblem[] {
  const byTable = new Map<string, OrphanRow[]>();
  for (const o of orphans) byTable.set(o.table, [...(byTable.get(o.table) ?? []), o]);
  const out: PayloadProblem[] = [];
  for (const [table, list] of byTable) {
    const [one, many] = ORPHAN_WHAT[table] ?? ['row', 'rows'];
    const refColumn = list[0]!.refColumn;
    const parent = ORPHAN_PARENT[refColumn] ?? 'ssd_cin_episodes.cine_referral_id';
    const shown = list.slice(0, 5).map((o) => `'${o.id}' (${refColumn} ${o.ref === null ? 'empty' : `'${o.ref}'`})`);
    const more = list.length > 5 ? ` and ${list.length - 5} more` : '';
    const what = list.length === 1 ? `${one} ${shown[0]}` : `${list.length} ${many}: ${shown.join(', ')}${more}`;
    const nested = refColumn === 'clae_referral_id' ? ' with its placements' : '';
    out.push({
      path: '',
      rule: 'row-not-attached',
      severity: 'warning',
      source: `${table}.${refColumn}`,
      message: `${what} of this child ${list.length === 1 ? 'is' : 'are'} not in the payload${nested}: ${list.length === 1 ? 'its' : 'their'} ${refColumn} is not in ${parent} (ssd check lists such rows)`,
    });
  }
  return out;
}

/** Errors about the person id itself: blank, or on several ssd_person rows. */
function personIdProblems(group: PersonGroup): PayloadProblem[] {
  const out: PayloadProblem[] = [];
  const source = 'ssd_person.pers_person_id';
  if (group.personId.trim() === '') {
    out.push({
      path: '/la_child_id',
      rule: 'person-id-blank',
      severity: 'error',
      source,
      message: `the person id is blank (${group.personId.length} characters): this child cannot be identified to the DfE and is not sent (ssd check SSD-PERS-001)`,
    });
  }
  if (group.variants.length > 1) {
    out.push({
      path: '/la_child_id',
      rule: 'person-id-duplicate',
      severity: 'error',
      source,
      message: `${group.variants.length} ssd_person rows have this person id: the payload below is built from one of them and this child is not sent until there is one row (ssd check SSD-PERS-005)`,
    });
  }
  return out;
}

/** Gate and build a group: the first variant in the cohort (a duplicated id is in the cohort if any of its rows is). */
function buildGroup(group: PersonGroup, w: ReportingWindow): { rows: ChildRows; decision: ReturnType<typeof buildChild>['decision']; result?: ReturnType<typeof buildChild>['result'] } {
  let first: { rows: ChildRows; decision: ReturnType<typeof buildChild>['decision']; result?: ReturnType<typeof buildChild>['result'] } | undefined;
  for (const rows of group.variants) {
    const b = buildChild(rows, w);
    if (b.decision.inCohort && b.result) return { rows, ...b };
    first ??= { rows, ...b };
  }
  return first!;
}

function built(group: PersonGroup, rows: ChildRows, result: { payload: Record<string, unknown>; problems: BuiltChild['problems'] }, validate: boolean | 'deferred' = true): BuiltChild {
  const legacy = rows.person.pers_legacy_id ?? null;
  if (validate === 'deferred') {
    const head = personIdProblems(group);
    const tail = orphanWarnings(group.orphans);
    // The closure keeps the problems only, not the payload: staging validates the payload parsed
    // back from its text and lets the objects go (issue 17).
    const builderProblems = result.problems;
    return {
      personId: rows.person.pers_person_id,
      legacyId: legacy,
      payload: result.payload,
      problems: [...head, ...builderProblems, ...tail],
      withSchemaValidation: (payload) => [...head, ...withSchemaProblems(builderProblems, payload), ...tail],
    };
  }
  const problems = [...personIdProblems(group), ...(validate ? withSchemaProblems(result.problems, result.payload) : result.problems), ...orphanWarnings(group.orphans)];
  return { personId: rows.person.pers_person_id, legacyId: legacy, payload: result.payload, problems };
}

/**
 * Every child in the cohort, in person-id order (code-point order), with payload and problems
 * (builder problems + DfE schema validation). Breaking out of the loop closes the read.
 */
export async function* streamChildPayloads(db: Db, options: StreamOptions): AsyncIterable<BuiltChild> {
  const w = checkOptions(options);
  const schema = options.schema || db.defaultSchema;
  const stats = options.stats ?? emptyStats();
  const actual = await assertBuilderTables(db, schema);
  const sql = childRowsSql(db, schema, await orphanBranchesPresent(db, schema), actual);
  // Every child's rows: read on a worker thread where the driver can (PostgreSQL), so reading and
  // building overlap (issue 17); the rows are the same either way.
  const source = db.stream<Row>(sql, [null], { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal, offThread: true });
  for await (const group of groupByPerson(source, stats, options.signal)) {
    stats.persons++;
    const { rows, decision, result } = buildGroup(group, w);
    if (!decision.inCohort || !result) {
      if (decision.exclusion?.gate === 'A') stats.excludedGateA++;
      else stats.excludedGateB++;
      if (decision.exclusion) options.onExcluded?.(decision.exclusion);
      continue;
    }
    stats.cohort++;
    yield built(group, rows, result, options.validate ?? true);
  }
}

export type SingleChildResult = { child: BuiltChild } | { exclusion: CohortExclusion };

/** One child's payload, or why they are not in the cohort ('missing' when there is no ssd_person row). */
export async function buildChildPayload(db: Db, personId: string, options: BuildOptions): Promise<SingleChildResult> {
  const w = checkOptions(options);
  const schema = options.schema || db.defaultSchema;
  const actual = await assertBuilderTables(db, schema);
  const sql = childRowsSql(db, schema, await orphanBranchesPresent(db, schema), actual);
  const stats = emptyStats();
  let found: PersonGroup | null = null;
  const source = db.stream<Row>(sql, [personId], { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal });
  for await (const group of groupByPerson(source, stats, options.signal)) {
    // SQL Server compares with the database collation (often case-insensitive): take the exact id if present.
    if (found === null || group.personId === personId) found = group;
  }
  if (!found) return { exclusion: { personId, gate: 'missing', reason: 'no ssd_person row with this person id' } };
  const { rows, decision, result } = buildGroup(found, w);
  if (!decision.inCohort || !result) return { exclusion: decision.exclusion! };
  return { child: built(found, rows, result) };
}

/** Tests and tools: every cohort child of a (small) database in memory. Not for production sizes. */
export async function buildAllPayloadsForTest(db: Db, options: BuildOptions): Promise<BuiltChild[]> {
  const out: BuiltChild[] = [];
  for await (const c of streamChildPayloads(db, options)) out.push(c);
  return out;
}
