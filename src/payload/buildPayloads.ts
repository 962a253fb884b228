// Streaming payload build: one ordered read (sql/<dialect>/payload_child_rows.sql) returns every
// row of the 19 SSD tables tagged with its child, in person-id order (code-point order in both
// dialects). Rows are grouped per child as they arrive; each child is gated (cohort), built,
// validated and handed on before the next is read, so memory holds one child plus the driver's
// fetch buffer whatever the number of children. The as-of date is always explicit.
import { qualify, tablesSql } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, type Db, type Row } from '../db/types';
import { BUILDER_TABLES } from '../model/ssdModel';
import { buildChild, compareCodePoints } from './buildPayload';
import { emptyChildRows, type ChildRows } from './rows';
import type { BuildOptions, BuiltChild, CohortExclusion, ReportingWindow } from './types';
import { validatePayload } from './validatePayload';
import { isIsoDate, reportingWindow } from './window';

export { compareCodePoints as comparePersonIds } from './buildPayload';

/** Default rows per round trip (the per-batch buffer; memory does not grow with children). */
export const DEFAULT_BATCH_SIZE = 5000;

/** Counts of one streamed build, filled in as the stream is consumed. */
export interface BuildStats {
  /** People read from ssd_person. */
  persons: number;
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
}

export function emptyStats(): BuildStats {
  return { persons: 0, cohort: 0, excludedGateA: 0, excludedGateB: 0, rows: 0 };
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
  constructor(readonly schema: string, readonly missing: readonly string[]) {
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
  const rows = await db.query<{ table_schema?: string; table_name: string }>(
    tablesSql(), [schema]);
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

/** The SQL of the child-rows stream for this database and schema (names as the catalog stores them, when given). */
export function childRowsSql(db: Db, schema: string, actual?: { schema: string; tables: Map<string, string> }): string {
  const ids: Record<string, string> = {};
  for (const t of BUILDER_TABLES) ids[t.name] = qualify(db.dialect, actual?.schema ?? schema, actual?.tables.get(t.name) ?? t.name);
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

/** Add one streamed row to the child's rows, by kind. */
export function addRow(rows: ChildRows, r: Row): void {
  switch (r.k) {
    case 'ad': rows.addresses.push({ addr_table_id: id(r.s1), addr_address_postcode: s(r.s2), addr_address_start_date: s(r.d1) }); break;
    case 'di': rows.disabilities.push({ disa_table_id: id(r.s1), disa_disability_code: s(r.s2) }); break;
    case 'im': rows.immigration.push({ immi_immigration_status_id: id(r.s1), immi_immigration_status: s(r.s2), immi_immigration_status_start_date: s(r.d1), immi_immigration_status_end_date: s(r.d2) }); break;
    case 'li': rows.linkedIds.push({ link_table_id: id(r.s1), link_identifier_type: s(r.s2), link_identifier_value: s(r.s3), link_valid_from_date: s(r.d1) }); break;
    case 'ce': rows.cinEpisodes.push({ cine_referral_id: id(r.s1), cine_person_id: rows.person.pers_person_id, cine_referral_source_code: s(r.s2), cine_referral_nfa: s(r.s3), cine_close_reason: s(r.s4), cine_referral_date: s(r.d1), cine_close_date: s(r.d2) }); break;
    case 'ca': rows.assessments.push({ cina_assessment_id: id(r.s1), cina_referral_id: s(r.s2), cina_assessment_start_date: s(r.d1), cina_assessment_auth_date: s(r.d2) }); break;
    case 'af': rows.factors.push({ cinf_table_id: id(r.s1), cinf_assessment_id: id(r.s2), cinf_assessment_factors_json: s(r.x) }); break;
    case 'cp': rows.cinPlans.push({ cinp_cin_plan_id: id(r.s1), cinp_referral_id: s(r.s2), cinp_person_id: s(r.s3), cinp_cin_plan_start_date: s(r.d1), cinp_cin_plan_end_date: s(r.d2) }); break;
    case 's4': rows.s47.push({ s47e_s47_enquiry_id: id(r.s1), s47e_referral_id: s(r.s2), s47e_s47_start_date: s(r.d1), s47e_s47_end_date: s(r.d2), latest_icpc_date: s(r.d3), s47e_s47_outcome_json: s(r.x) }); break;
    case 'pp': rows.cpPlans.push({ cppl_cp_plan_id: id(r.s1), cppl_referral_id: s(r.s2), cppl_cp_plan_start_date: s(r.d1), cppl_cp_plan_end_date: s(r.d2) }); break;
    case 'cl': rows.claEpisodes.push({ clae_cla_episode_id: id(r.s1), clae_cla_id: s(r.s2), clae_referral_id: s(r.s3), clae_person_id: s(r.s4), clae_cla_episode_start_reason: s(r.s5), clae_cla_episode_ceased_reason: s(r.s6) }); break;
    case 'pl': rows.placements.push({ clap_cla_placement_id: id(r.s1), clap_cla_id: s(r.s2), clap_cla_placement_type: s(r.s3), clap_cla_placement_postcode: s(r.s4), clap_cla_placement_change_reason: s(r.s5), clap_cla_placement_start_date: s(r.d1), clap_cla_placement_end_date: s(r.d2) }); break;
    case 'pm': rows.permanence.push({ perm_table_id: id(r.s1), perm_person_id: s(r.s2), perm_cla_id: s(r.s3), perm_adm_decision_date: s(r.d1), perm_matched_date: s(r.d2), perm_placed_for_adoption_date: s(r.d3) }); break;
    case 'cv': rows.careLeavers.push({ clea_table_id: id(r.s1), clea_care_leaver_activity: s(r.s2), clea_care_leaver_accommodation: s(r.s3), clea_care_leaver_latest_contact: s(r.d1) }); break;
    case 'iv': rows.involvements.push({ invo_involvements_id: id(r.s1), invo_referral_id: s(r.s2), invo_professional_role_id: s(r.s3), prof_social_worker_registration_no: s(r.s4), invo_involvement_start_date: s(r.d1), invo_involvement_end_date: s(r.d2) }); break;
    case 'sd': rows.sdq.push({ csdq_table_id: id(r.s1), csdq_sdq_completed_date: s(r.d1), csdq_sdq_score: r.n1 === null || r.n1 === undefined ? null : (r.n1 as number | string) }); break;
    default: throw new Error(`unexpected row kind in the payload stream`);
  }
}

function personFrom(r: Row): ChildRows {
  return emptyChildRows({
    pers_person_id: id(r.pid), pers_legacy_id: s(r.s1), pers_upn: s(r.s2), pers_forename: s(r.s3), pers_surname: s(r.s4),
    pers_sex: s(r.s5), pers_ethnicity: s(r.s6), pers_upn_unknown: s(r.s7), pers_dob: s(r.d1), pers_expected_dob: s(r.d2),
  });
}

/** Group the ordered rows per person: yields [pid, rows of that person]; rows without a person row yield person=null. */
async function* groupByPerson(source: AsyncIterable<Row>, stats: BuildStats, signal?: AbortSignal): AsyncIterable<ChildRows | null> {
  let currentPid: string | null = null;
  let pending: Row[] = [];
  let child: ChildRows | null = null;
  const flush = () => {
    const out = child;
    child = null;
    pending = [];
    return out;
  };
  for await (const r of source) {
    if (signal?.aborted) throw new CancelledError();
    stats.rows++;
    const pid = id(r.pid);
    if (pid !== currentPid) {
      if (currentPid !== null) {
        if (compareCodePoints(currentPid, pid) > 0) {
          throw new Error('the payload stream is not in person-id order (database collation differs from code-point order); no payloads were built from the rest');
        }
        yield flush();
      }
      currentPid = pid;
    }
    if (r.k === 'p') {
      child = personFrom(r);
      for (const q of pending) addRow(child, q);
      pending = [];
    } else if (child) addRow(child, r);
    else pending.push(r);
  }
  if (currentPid !== null) yield flush();
}

function built(rows: ChildRows, result: { payload: Record<string, unknown>; problems: BuiltChild['problems'] }): BuiltChild {
  const problems = [...result.problems, ...validatePayload(result.payload)];
  const legacy = rows.person.pers_legacy_id ?? null;
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
  const sql = childRowsSql(db, schema, actual);
  const source = db.stream<Row>(sql, [null], { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal });
  for await (const rows of groupByPerson(source, stats, options.signal)) {
    if (!rows) continue; // rows whose person is gone (cannot happen: every branch joins ssd_person)
    stats.persons++;
    const { decision, result } = buildChild(rows, w);
    if (!decision.inCohort || !result) {
      if (decision.exclusion?.gate === 'A') stats.excludedGateA++;
      else stats.excludedGateB++;
      if (decision.exclusion) options.onExcluded?.(decision.exclusion);
      continue;
    }
    stats.cohort++;
    yield built(rows, result);
  }
}

export type SingleChildResult = { child: BuiltChild } | { exclusion: CohortExclusion };

/** One child's payload, or why they are not in the cohort ('missing' when there is no ssd_person row). */
export async function buildChildPayload(db: Db, personId: string, options: BuildOptions): Promise<SingleChildResult> {
  const w = checkOptions(options);
  const schema = options.schema || db.defaultSchema;
  const actual = await assertBuilderTables(db, schema);
  const sql = childRowsSql(db, schema, actual);
  const stats = emptyStats();
  let found: ChildRows | null = null;
  const source = db.stream<Row>(sql, [personId], { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, signal: options.signal });
  for await (const rows of groupByPerson(source, stats, options.signal)) {
    // SQL Server compares with the database collation (often case-insensitive): take the exact id if present.
    if (rows && (found === null || rows.person.pers_person_id === personId)) found = rows;
  }
  if (!found) return { exclusion: { personId, gate: 'missing', reason: 'no ssd_person row with this person id' } };
  const { decision, result } = buildChild(found, w);
  if (!decision.inCohort || !result) return { exclusion: decision.exclusion! };
  return { child: built(found, result) };
}

/** Tests and tools: every cohort child of a (small) database in memory. Not for production sizes. */
export async function buildAllPayloadsForTest(db: Db, options: BuildOptions): Promise<BuiltChild[]> {
  const out: BuiltChild[] = [];
  for await (const c of streamChildPayloads(db, options)) out.push(c);
  return out;
}
