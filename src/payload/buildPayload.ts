// The pure payload builder: one child's rows from the 19 SSD tables + the reporting window →
// cohort decision, DfE payload object and builder problems. No database, no clock: the same rows
// and window always give the same payload (key order as the community T-SQL SELECT order,
// every array in a deterministic order, D3).
import type { CohortExclusion, CohortGate, PayloadProblem, ReportingWindow } from './types';
import type { AssessmentRow, CareLeaverRow, ChildRows, CinEpisodeRow, CinPlanRow, ClaEpisodeRow, FactorRow, ImmigrationRow, InvolvementRow, PermanenceRow, PlacementRow, S47Row, SdqRow } from './rows';
import { addYearsTs, censusDates, datePart, inWindow, normTs, overlaps } from './window';
import { sourceForPath } from './sources';
import { AGE_LIMIT_YEARS } from '../model/asOf';
import {
  ASSESSMENT_FACTOR_CODES,
  CARE_LEAVER_ACCOMMODATION,
  CARE_LEAVER_ACTIVITY,
  CHANGE_REASONS,
  CLOSURE_REASONS,
  END_REASONS,
  ETHNICITY_CODES,
  PLACEMENT_TYPES,
  START_REASONS,
  UPN_UNKNOWN_CODES,
} from '../model/dfeCodes';

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the mapping rules

/** Code-point order of two strings (what PostgreSQL COLLATE "C" and SQL Server *_BIN2 give). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i),
      y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) stand for code points above U+FFFF: they sort after U+E000–U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff,
      ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** T-SQL LTRIM(RTRIM(x)): spaces only. */
function sqlTrim(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

/** LEFT(NULLIF(TRIM(x),''), n). */
export function leftCode(v: unknown, n: number): string | null {
  const s = text(v);
  if (s === null) return null;
  const t = sqlTrim(s);
  return t === '' ? null : [...t].slice(0, n).join('');
}

/** Amendment "blank is missing": empty, or only white space after trimming. */
export function isBlank(v: unknown): boolean {
  return typeof v === 'string' && v.trim() === '';
}

/** The warning for a blank value read as NULL, naming the field (never its content). */
function blankWarning(path: string, v: string, source = sourceForPath(path)): PayloadProblem {
  const what = v.length === 0 ? 'empty' : `only white space (${v.length} characters)`;
  return problem(path, 'blank-as-null', `${source ?? path} is ${what}: read as missing (NULL), so it is not sent`, 'warning', source);
}

/** A scalar as stored, or null for NULL and for blank text (with a warning naming the field). */
function present(v: unknown, path: string, problems: PayloadProblem[], source?: string): string | null {
  const s = text(v);
  if (s === null) return null;
  if (s.trim() !== '') return s;
  problems.push(blankWarning(path, s, source));
  return null;
}

/** Amendment "codes are upper-cased": the upper-cased value when it is a code of the list, else the value as stored. */
export function upperCode(v: string | null, codes: ReadonlySet<string>): string | null {
  if (v === null) return null;
  const u = v.toUpperCase();
  return u !== v && codes.has(u) ? u : v;
}

const CODES = {
  closureReason: new Set(CLOSURE_REASONS),
  ethnicity: new Set(ETHNICITY_CODES),
  upnUnknown: new Set(UPN_UNKNOWN_CODES),
  placementType: new Set(PLACEMENT_TYPES),
  startReason: new Set(START_REASONS),
  endReason: new Set(END_REASONS),
  changeReason: new Set(CHANGE_REASONS),
  activity: new Set(CARE_LEAVER_ACTIVITY),
  accommodation: new Set(CARE_LEAVER_ACCOMMODATION),
  factor: new Set(ASSESSMENT_FACTOR_CODES),
} as const;

/** Compare normalised timestamps, NULL last, for "descending" orders. */
function descNullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}

function byDescThenId<T>(date: (r: T) => string | null, id: (r: T) => string): (a: T, b: T) => number {
  return (a, b) => descNullsLast(date(a), date(b)) || compareCodePoints(id(a), id(b));
}

/** Keep the first row of each primary key (rows reached by two routes appear twice). */
function uniqueBy<T>(rows: readonly T[], key: (r: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rows) {
    const k = key(r);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/** Drop undefined/null values and empty arrays/objects (FOR JSON without INCLUDE_NULL_VALUES). */
function obj(entries: Array<[string, unknown]>, keepEmpty?: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0 && k !== keepEmpty) continue;
    o[k] = v;
  }
  return o;
}

function d(v: unknown): string | null {
  return datePart(normTs(v));
}

// ---------------------------------------------------------------------------------------------
// Coercions (each one a rule of §2 of the fact sheet)

/** sex: 'M' or 'F' (trimmed, any case, as SQL Server's case-insensitive comparison), else 'U'. */
export function coerceSex(v: unknown): 'M' | 'F' | 'U' {
  const s = text(v);
  if (s === null) return 'U';
  const u = sqlTrim(s).toUpperCase();
  return u === 'M' || u === 'F' ? u : 'U';
}

/** referral_source (§2.4): 10…→'10'; [1-3][A-F]…, 5[A-D]… → first 2; [46789]… → first 1; else omitted. */
export function coerceReferralSource(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  const t = sqlTrim(s).toUpperCase();
  if (t.startsWith('10')) return '10';
  if (/^[1-3][A-F]/.test(t)) return t.slice(0, 2);
  if (/^5[A-D]/.test(t)) return t.slice(0, 2);
  if (/^[46789]/.test(t)) return t.slice(0, 1);
  return null;
}

/**
 * Boolean flags (NFA §2.4, ICPC §2.7): what TRY_CONVERT(bit, x) accepts ('true'/'false', a whole
 * number: 0 → false, other → true), then Y/T → true, N/F → false; anything else is omitted.
 */
export function coerceFlag(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v !== 0 : null;
  const t = String(v).trim().toUpperCase();
  if (t === '') return null;
  if (t === 'TRUE' || t === 'Y' || t === 'T') return true;
  if (t === 'FALSE' || t === 'N' || t === 'F') return false;
  if (/^[+-]?\d+$/.test(t)) return !/^[+-]?0+$/.test(t);
  return null;
}

/** icpc_required_flag: JSON_VALUE(s47e_s47_outcome_json, '$.CP_CONFERENCE_FLAG') coerced. Unparseable JSON → omitted. */
export function icpcFlag(json: unknown): boolean | null {
  const s = text(json);
  if (s === null || s.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const v = (parsed as Record<string, unknown>).CP_CONFERENCE_FLAG;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return coerceFlag(v);
  return null;
}

/** Accent- and case-insensitive form for D2 (NFD without combining marks, upper case). */
function foldAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}

/**
 * D2 negations (amendment 2026-12-05): a word saying the child is not, or no longer, UASC right
 * before UASC or UNACCOMPANIED (NOT UASC, NON-UASC, NONUASC, FORMER UASC, EX-UASC, NO LONGER
 * UASC, NOT UNACCOMPANIED, …), separated by spaces, hyphens, dashes or underscores, or by nothing.
 */
const UASC_NEGATED = /\b(?:NOT|NON|NO(?:[\s_\u002d\u2010-\u2015]+LONGER)?|FORMER(?:LY)?|EX)[\s_\u002d\u2010-\u2015]*(?:UASC|UNACCOMPANIED)/g;

/** D2: is this immigration status a UASC status? Negated mentions do not count. */
export function isUascStatus(v: unknown): boolean {
  const s = text(v);
  if (s === null) return false;
  const f = foldAccents(s.trim());
  if (f === 'U') return true;
  const rest = f.replace(UASC_NEGATED, ' ');
  return rest.includes('UASC') || rest.includes('UNACCOMPANIED');
}

/** Result of D5 factor parsing: the items (trimmed text) in stored order without duplicates, or why not. */
export type FactorsParse = { ok: true; codes: string[] } | { ok: false; shape: string };

/**
 * D5: cinf_assessment_factors_json may be a JSON array of strings, a JSON object whose keys are the
 * codes, or a comma-separated list. NULL, blank and the text `null` mean no factors. This reads the
 * shape only: every item, whatever the shape, is then checked by one rule (isFactorCode).
 */
export function parseFactors(v: unknown): FactorsParse {
  const s = text(v);
  if (s === null) return { ok: true, codes: [] };
  const t = s.trim();
  if (t === '' || t.toLowerCase() === 'null') return { ok: true, codes: [] };
  if (t.startsWith('[') || t.startsWith('{') || t.startsWith('"')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return { ok: false, shape: `text of ${t.length} characters starting with '${t[0]}' that is not valid JSON` };
    }
    let items: unknown[];
    if (Array.isArray(parsed)) items = parsed;
    else if (parsed !== null && typeof parsed === 'object') items = Object.keys(parsed);
    else if (typeof parsed === 'string')
      return parseFactors(parsed); // JSON-encoded text: read what it holds
    else return { ok: false, shape: `a JSON ${parsed === null ? 'null' : typeof parsed}` };
    const codes: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item !== 'string')
        return { ok: false, shape: `a JSON array whose item ${i + 1} is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : 'a ' + typeof item}, not a text code` };
      const c = item.trim();
      if (c === '') continue;
      codes.push(c);
    }
    return { ok: true, codes: dedupe(codes) };
  }
  return {
    ok: true,
    codes: dedupe(
      t
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    ),
  };
}

/** Amendment 2026-12-05: a factor item is valid when, trimmed and upper-cased, it is a CIN census factor code. */
export function isFactorCode(item: string): boolean {
  return CODES.factor.has(item.trim().toUpperCase());
}

/** An item quoted in a problem only when it looks like a code (short, letters and digits), never free text. */
function itemLabel(item: string): string {
  return /^(?=.*\d)[0-9A-Za-z]{1,5}$|^[A-Z]{1,4}$/.test(item) ? `'${item}'` : `(${[...item].length} characters, not shown)`;
}

function dedupe(codes: string[]): string[] {
  return [...new Set(codes)];
}

// ---------------------------------------------------------------------------------------------
// Cohort (§1.2–1.3)

export type CohortRoute = 'ActiveReferral' | 'WaitingAssessment' | 'HasCINPlan' | 'HasLAC' | 'IsCareLeaver16to25';

export interface CohortDecision {
  inCohort: boolean;
  /** Gate B routes that admitted the child (empty when excluded). */
  routes: CohortRoute[];
  exclusion?: CohortExclusion;
}

/** Gate A (§1.2): aged 25 or under at some point in the window, or unborn with expected DoB in it. */
export function passesGateA(rows: ChildRows, w: ReportingWindow): boolean {
  const dob = normTs(rows.person.pers_dob);
  if (dob !== null) return dob <= w.end && addYearsTs(dob, AGE_LIMIT_YEARS) > w.start;
  const expected = normTs(rows.person.pers_expected_dob);
  return expected !== null && inWindow(expected, w);
}

function ownEpisodes(rows: ChildRows): CinEpisodeRow[] {
  const pid = rows.person.pers_person_id;
  return uniqueBy(rows.cinEpisodes, (e) => e.cine_referral_id).filter((e) => e.cine_person_id === undefined || e.cine_person_id === null || e.cine_person_id === pid);
}

function episodeOverlaps(e: CinEpisodeRow, w: ReportingWindow): boolean {
  return overlaps(normTs(e.cine_referral_date), normTs(e.cine_close_date), w);
}

/** Gate B (§1.3): the routes that admit the child. */
export function gateBRoutes(rows: ChildRows, w: ReportingWindow): CohortRoute[] {
  const pid = rows.person.pers_person_id;
  const episodes = ownEpisodes(rows);
  const routes: CohortRoute[] = [];
  if (episodes.some((e) => episodeOverlaps(e, w))) routes.push('ActiveReferral');
  const assessedReferrals = new Set(rows.assessments.filter((a) => normTs(a.cina_assessment_start_date) !== null).map((a) => a.cina_referral_id));
  if (episodes.some((e) => normTs(e.cine_close_date) === null && !assessedReferrals.has(e.cine_referral_id))) routes.push('WaitingAssessment');
  if (rows.cinPlans.some((p) => p.cinp_person_id === pid && overlaps(normTs(p.cinp_cin_plan_start_date), normTs(p.cinp_cin_plan_end_date), w))) routes.push('HasCINPlan');
  const ownCla = rows.claEpisodes.filter((c) => c.clae_person_id === pid);
  const overlappingReferrals = new Set(episodes.filter((e) => episodeOverlaps(e, w)).map((e) => e.cine_referral_id));
  const ownClaIds = new Set(ownCla.map((c) => c.clae_cla_id).filter((x): x is string => !!x));
  // Part A: the CLA episode's referral is a CIN episode overlapping the window, whoever's referral it is (amendment 2026-12-05).
  const hasLacA = ownCla.some((c) => c.clae_referral_id != null && (overlappingReferrals.has(c.clae_referral_id) || overlaps(normTs(c.linked_referral_date), normTs(c.linked_close_date), w)));
  const hasLacB = rows.placements.some((p) => p.clap_cla_id != null && ownClaIds.has(p.clap_cla_id) && overlaps(normTs(p.clap_cla_placement_start_date), normTs(p.clap_cla_placement_end_date), w));
  if (hasLacA || hasLacB) routes.push('HasLAC');
  const dob = normTs(rows.person.pers_dob);
  if (
    dob !== null &&
    addYearsTs(dob, 16) < w.end &&
    addYearsTs(dob, AGE_LIMIT_YEARS) >= w.start &&
    rows.careLeavers.some((c) => {
      const t = normTs(c.clea_care_leaver_latest_contact);
      return t !== null && t >= w.start && t < w.end;
    }) &&
    episodes.some((e) => {
      const r = normTs(e.cine_referral_date);
      return normTs(e.cine_close_date) === null && r !== null && r <= w.end;
    })
  ) {
    routes.push('IsCareLeaver16to25');
  }
  return routes;
}

export function cohortDecision(rows: ChildRows, w: ReportingWindow): CohortDecision {
  const personId = rows.person.pers_person_id;
  if (!passesGateA(rows, w)) {
    const hasDob = normTs(rows.person.pers_dob) !== null;
    const reason = hasDob
      ? `gate A (age): not aged 25 or under at any point in the window ${w.start} to ${w.end} (born after the window end, or 26th birthday on or before its start)`
      : normTs(rows.person.pers_expected_dob) !== null
        ? `gate A (age): no date of birth, and the expected date of birth is outside the window ${w.start} to ${w.end}`
        : 'gate A (age): neither a date of birth nor an expected date of birth';
    return { inCohort: false, routes: [], exclusion: { personId, gate: 'A' as CohortGate, reason } };
  }
  const routes = gateBRoutes(rows, w);
  if (routes.length === 0) {
    return {
      inCohort: false,
      routes,
      exclusion: {
        personId,
        gate: 'B',
        reason: `gate B (activity): no CIN episode, CIN plan or CLA placement overlapping the window ${w.start} to ${w.end}, no open episode waiting for assessment, and not a care leaver with contact in the window and an open episode`,
      },
    };
  }
  return { inCohort: true, routes };
}

// ---------------------------------------------------------------------------------------------
// Field mapping (§2.1–2.12 with D1–D5)

export interface BuildResult {
  payload: Record<string, unknown>;
  problems: PayloadProblem[];
}

function problem(path: string, rule: string, message: string, severity: 'error' | 'warning' = 'error', source = sourceForPath(path)): PayloadProblem {
  return source ? { path, rule, message, source, severity } : { path, rule, message, severity };
}

function childDetails(rows: ChildRows, w: ReportingWindow, problems: PayloadProblem[]): Record<string, unknown> {
  const p = rows.person;
  const upn = present(p.pers_upn, '/child_details/unique_pupil_number', problems);
  // Former UPN: the latest 'Former Unique Pupil Number' link (TOP 1 by valid-from DESC), used only
  // when its length (trailing spaces ignored, as LEN) is 13.
  const formerRows = rows.linkedIds
    .filter((l) => text(l.link_identifier_type) !== null && text(l.link_identifier_type)!.replace(/ +$/, '').toLowerCase() === 'former unique pupil number')
    .sort(
      byDescThenId(
        (l) => normTs(l.link_valid_from_date),
        (l) => l.link_table_id,
      ),
    );
  const formerValue = formerRows.length > 0 ? present(formerRows[0]!.link_identifier_value, '/child_details/former_unique_pupil_number', problems) : null;
  const former = formerValue !== null && [...formerValue.replace(/ +$/, '')].length === 13 ? formerValue : null;
  // Unknown reason: pers_upn_unknown (trimmed) if non-blank, else pers_upn when it is UN1–UN10; LEFT 4.
  let unknown: string | null = null;
  const upnUnknown = present(p.pers_upn_unknown, '/child_details/unique_pupil_number_unknown_reason', problems);
  if (upnUnknown !== null && sqlTrim(upnUnknown) !== '') unknown = sqlTrim(upnUnknown);
  else if (upn !== null && /^UN([1-9]|10)$/.test(sqlTrim(upn).toUpperCase())) unknown = sqlTrim(upn).toUpperCase();
  if (unknown !== null) unknown = upperCode([...unknown].slice(0, 4).join(''), CODES.upnUnknown);

  // Disabilities: distinct LEFT(UPPER(TRIM(code)),4), non-blank, sorted, at most 12; else ["NONE"].
  const codes = [...new Set(rows.disabilities.map((r) => leftCode(text(r.disa_disability_code)?.toUpperCase(), 4)).filter((c): c is string => c !== null))].sort(compareCodePoints);
  if (codes.length > 12) {
    problems.push(
      problem(
        '/child_details/disabilities',
        'disabilities-capped',
        `${codes.length} distinct disability codes; the DfE allows at most 12, so the first 12 in alphabetical order are sent (as the SQL builder)`,
        'warning',
      ),
    );
  }
  const disabilities = codes.length > 0 ? codes.slice(0, 12) : ['NONE'];

  // Postcode: the address with the latest start date (TOP 1), as stored.
  const address = [...rows.addresses].sort(
    byDescThenId(
      (a) => normTs(a.addr_address_start_date),
      (a) => a.addr_table_id,
    ),
  )[0];

  // D2 UASC.
  const uasc = uascRow(rows.immigration, w);

  return obj([
    ['unique_pupil_number', upn],
    ['former_unique_pupil_number', former],
    ['unique_pupil_number_unknown_reason', unknown],
    ['first_name', present(p.pers_forename, '/child_details/first_name', problems)],
    ['surname', present(p.pers_surname, '/child_details/surname', problems)],
    ['date_of_birth', d(p.pers_dob)],
    ['expected_date_of_birth', d(p.pers_expected_dob)],
    ['sex', coerceSex(present(p.pers_sex, '/child_details/sex', problems))],
    ['ethnicity', upperCode(leftCode(present(p.pers_ethnicity, '/child_details/ethnicity', problems), 4), CODES.ethnicity)],
    ['disabilities', disabilities],
    ['postcode', address ? present(address.addr_address_postcode, '/child_details/postcode', problems) : null],
    ['uasc_flag', uasc !== null],
    ['uasc_end_date', uasc ? d(uasc.immi_immigration_status_end_date) : null],
    ['purge', false],
  ]);
}

/** D2: the UASC status row (latest start, then latest end — open-ended counts as latest — then id). */
export function uascRow(rows: readonly ImmigrationRow[], w: ReportingWindow): ImmigrationRow | null {
  const candidates = rows.filter((r) => {
    if (!isUascStatus(r.immi_immigration_status)) return false;
    const start = normTs(r.immi_immigration_status_start_date);
    if (start !== null && start > w.end) return false; // starts after the window: does not count (amendment)
    const end = normTs(r.immi_immigration_status_end_date);
    return end === null || end >= w.start;
  });
  if (candidates.length === 0) return null;
  const endKey = (r: ImmigrationRow) => normTs(r.immi_immigration_status_end_date) ?? '9999-12-31T99';
  candidates.sort(
    (a, b) =>
      descNullsLast(normTs(a.immi_immigration_status_start_date), normTs(b.immi_immigration_status_start_date)) ||
      descNullsLast(endKey(a), endKey(b)) ||
      compareCodePoints(a.immi_immigration_status_id, b.immi_immigration_status_id),
  );
  return candidates[0]!;
}

function healthAndWellbeing(rows: readonly SdqRow[], w: ReportingWindow, problems: PayloadProblem[]): Record<string, unknown> | null {
  const path = '/health_and_wellbeing/sdq_assessments';
  const source = 'ssd_sdq_scores.csdq_sdq_score';
  const items: Array<{ date: string | null; score: number; id: string }> = [];
  for (const r of rows) {
    const date = normTs(r.csdq_sdq_completed_date);
    if (!inWindow(date, w)) continue;
    const raw = r.csdq_sdq_score;
    if (raw === null || raw === undefined) continue;
    if (isBlank(raw)) {
      problems.push(blankWarning(path, raw as string, source));
      continue;
    }
    const score = sdqScore(raw);
    if (score === null) {
      // Amendment 2026-12-05 (upstream issue #33): that assessment is left out, the build goes on.
      problems.push(
        problem(
          path,
          'sdq-score-not-a-number',
          `${source} of SDQ row ${r.csdq_table_id} is not a whole number (${String(raw).trim().length} characters): that assessment is left out (read as NULL)`,
          'warning',
          source,
        ),
      );
      continue;
    }
    items.push({ date, score, id: r.csdq_table_id });
  }
  if (items.length === 0) return null;
  items.sort((a, b) => descNullsLast(a.date, b.date) || a.score - b.score || compareCodePoints(a.id, b.id));
  return { sdq_assessments: items.map((r) => ({ date: datePart(r.date), score: r.score })), purge: false };
}

/**
 * An SDQ score read from any column type: a whole number (as TRY_CONVERT(int, x)), also written
 * with a zero fraction ('7.0', what a numeric(p,s) column gives as text). Else null ('N/A', '7.5').
 */
export function sdqScore(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  const t = String(v).trim();
  return /^[+-]?\d{1,9}(?:\.0*)?$/.test(t) ? Number(t.replace(/\.0*$/, '')) + 0 : null;
}

interface EpisodeContext {
  rows: ChildRows;
  w: ReportingWindow;
  census: string[];
  adoption: Record<string, unknown> | null;
  careLeavers: Record<string, unknown> | null;
  problems: PayloadProblem[];
}

function assessments(ctx: EpisodeContext, referralId: string, path: string): Record<string, unknown>[] {
  const { w } = ctx;
  const list = uniqueBy(ctx.rows.assessments, (a) => a.cina_assessment_id)
    .filter((a) => a.cina_referral_id === referralId && (inWindow(normTs(a.cina_assessment_start_date), w) || inWindow(normTs(a.cina_assessment_auth_date), w)))
    .sort(
      byDescThenId(
        (a: AssessmentRow) => normTs(a.cina_assessment_start_date),
        (a) => a.cina_assessment_id,
      ),
    );
  return list.map((a, i) => {
    const factorRows = uniqueBy(
      ctx.rows.factors.filter((f) => f.cinf_assessment_id === a.cina_assessment_id),
      (f: FactorRow) => f.cinf_table_id,
    ).sort((x, y) => compareCodePoints(x.cinf_table_id, y.cinf_table_id));
    const codes: string[] = [];
    for (const f of factorRows) {
      const parsed = parseFactors(f.cinf_assessment_factors_json);
      if (parsed.ok) codes.push(...parsed.codes.map((c) => upperCode(c, CODES.factor)!));
      else {
        ctx.problems.push(
          problem(
            `${path}/${i}/factors`,
            'factors-unparseable',
            `assessment ${a.cina_assessment_id}: factors are ${parsed.shape}; expected a JSON array of codes, a JSON object whose keys are the codes, or a comma-separated list of codes (this child is not sent until it is fixed)`,
          ),
        );
      }
    }
    // One rule for every item, whatever the shape (amendment 2026-12-05): a CIN census factor code.
    const factors = dedupe(codes);
    factors.forEach((c, k) => {
      if (!isFactorCode(c)) {
        ctx.problems.push(
          problem(
            `${path}/${i}/factors/${k}`,
            'factor-not-a-code',
            `assessment ${a.cina_assessment_id}: factor item ${k + 1} ${itemLabel(c)} is not a CIN census assessment factor code (such as 1B, 4A, 21, 24A); this child is not sent until it is fixed`,
          ),
        );
      }
    });
    // `factors` falls back to [] (never omitted).
    return obj(
      [
        ['child_and_family_assessment_id', a.cina_assessment_id],
        ['start_date', d(a.cina_assessment_start_date)],
        ['authorisation_date', d(a.cina_assessment_auth_date)],
        ['factors', factors],
        ['purge', false],
      ],
      'factors',
    );
  });
}

function cinPlansFor(rows: ChildRows, referralId: string, w: ReportingWindow): CinPlanRow[] {
  return uniqueBy(rows.cinPlans, (p) => p.cinp_cin_plan_id).filter((p) => p.cinp_referral_id === referralId && overlaps(normTs(p.cinp_cin_plan_start_date), normTs(p.cinp_cin_plan_end_date), w));
}

function s47s(rows: ChildRows, referralId: string, w: ReportingWindow): Record<string, unknown>[] {
  return uniqueBy(rows.s47, (s) => s.s47e_s47_enquiry_id)
    .filter((s) => s.s47e_referral_id === referralId && (overlaps(normTs(s.s47e_s47_start_date), normTs(s.s47e_s47_end_date), w) || inWindow(normTs(s.latest_icpc_date), w)))
    .sort(
      byDescThenId(
        (s: S47Row) => normTs(s.s47e_s47_start_date),
        (s) => s.s47e_s47_enquiry_id,
      ),
    )
    .map((s) =>
      obj([
        ['section_47_assessment_id', s.s47e_s47_enquiry_id],
        ['start_date', d(s.s47e_s47_start_date)],
        ['icpc_required_flag', icpcFlag(s.s47e_s47_outcome_json)],
        ['icpc_date', d(s.latest_icpc_date)],
        ['end_date', d(s.s47e_s47_end_date)],
        ['purge', false],
      ]),
    );
}

function cpPlans(rows: ChildRows, referralId: string, w: ReportingWindow): Record<string, unknown>[] {
  return uniqueBy(rows.cpPlans, (p) => p.cppl_cp_plan_id)
    .filter((p) => p.cppl_referral_id === referralId && overlaps(normTs(p.cppl_cp_plan_start_date), normTs(p.cppl_cp_plan_end_date), w))
    .sort(
      byDescThenId(
        (p) => normTs(p.cppl_cp_plan_start_date),
        (p) => p.cppl_cp_plan_id,
      ),
    )
    .map((p) =>
      obj([
        ['child_protection_plan_id', p.cppl_cp_plan_id],
        ['start_date', d(p.cppl_cp_plan_start_date)],
        ['end_date', d(p.cppl_cp_plan_end_date)],
        ['purge', false],
      ]),
    );
}

/** LEFT(x,3) with spaces, TAB, LF and CR removed, empty → NULL (placement end_reason). */
function endReasonCode(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  const r = [...s]
    .slice(0, 3)
    .join('')
    .replace(/[ \t\n\r]/g, '');
  return r === '' ? null : r;
}

function minCode(values: Array<string | null>): string | null {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return null;
  return present.reduce((a, b) => (compareCodePoints(a, b) <= 0 ? a : b));
}

/**
 * A code chosen from several CLA episodes (MIN of the codes, as the SQL builder): a warning for a
 * blank stored value only when the field ends up missing.
 */
function minCodeOf(values: unknown[], code: (v: string) => string | null, path: string, problems: PayloadProblem[]): string | null {
  const codes = values.map((v) => {
    const s = text(v);
    return s === null || isBlank(s) ? null : code(s);
  });
  const out = minCode(codes);
  const blank = values.find((v) => isBlank(v));
  if (out === null && blank !== undefined) problems.push(blankWarning(path, blank as string));
  return out;
}

function placements(ctx: EpisodeContext, referralId: string, path: string): Record<string, unknown>[] {
  const { rows, w, problems } = ctx;
  const claForReferral = uniqueBy(rows.claEpisodes, (c: ClaEpisodeRow) => c.clae_cla_episode_id).filter((c) => c.clae_referral_id === referralId && c.clae_cla_id != null);
  if (claForReferral.length === 0) return [];
  const byClaId = new Map<string, ClaEpisodeRow[]>();
  for (const c of claForReferral) {
    const list = byClaId.get(c.clae_cla_id!) ?? [];
    list.push(c);
    byClaId.set(c.clae_cla_id!, list);
  }
  return uniqueBy(rows.placements, (p: PlacementRow) => p.clap_cla_placement_id)
    .filter((p) => p.clap_cla_id != null && byClaId.has(p.clap_cla_id) && overlaps(normTs(p.clap_cla_placement_start_date), normTs(p.clap_cla_placement_end_date), w))
    .sort(
      byDescThenId(
        (p) => normTs(p.clap_cla_placement_start_date),
        (p) => p.clap_cla_placement_id,
      ),
    )
    .map((p, i) => {
      const episodes = byClaId.get(p.clap_cla_id!)!;
      const start = normTs(p.clap_cla_placement_start_date);
      const end = normTs(p.clap_cla_placement_end_date);
      const at = `${path}/${i}`;
      return obj([
        ['child_looked_after_placement_id', p.clap_cla_placement_id],
        ['start_date', datePart(start)],
        [
          'start_reason',
          minCodeOf(
            episodes.map((e) => e.clae_cla_episode_start_reason),
            (v) => upperCode(leftCode(v, 1), CODES.startReason),
            `${at}/start_reason`,
            problems,
          ),
        ],
        ['postcode', present(p.clap_cla_placement_postcode, `${at}/postcode`, problems)],
        ['placement_type', upperCode(leftCode(present(p.clap_cla_placement_type, `${at}/placement_type`, problems), 3), CODES.placementType)],
        ['end_date', end !== null && start !== null && end < start ? null : datePart(end)],
        [
          'end_reason',
          minCodeOf(
            episodes.map((e) => e.clae_cla_episode_ceased_reason),
            (v) => upperCode(endReasonCode(v), CODES.endReason),
            `${at}/end_reason`,
            problems,
          ),
        ],
        ['change_reason', upperCode(present(p.clap_cla_placement_change_reason, `${at}/change_reason`, problems), CODES.changeReason)],
        ['purge', false],
      ]);
    });
}

function adoption(rows: ChildRows, w: ReportingWindow): Record<string, unknown> | null {
  const pid = rows.person.pers_person_id;
  const claIds = new Set(rows.claEpisodes.filter((c) => c.clae_person_id === pid && c.clae_cla_id != null).map((c) => c.clae_cla_id!));
  const key = (r: PermanenceRow) => normTs(r.perm_placed_for_adoption_date) ?? normTs(r.perm_matched_date) ?? normTs(r.perm_adm_decision_date);
  const best = uniqueBy(rows.permanence, (r) => r.perm_table_id)
    .filter(
      (r) =>
        (r.perm_person_id === pid || (r.perm_cla_id != null && claIds.has(r.perm_cla_id))) &&
        (inWindow(normTs(r.perm_adm_decision_date), w) || inWindow(normTs(r.perm_matched_date), w) || inWindow(normTs(r.perm_placed_for_adoption_date), w)),
    )
    .sort(byDescThenId(key, (r) => r.perm_table_id))[0];
  if (!best) return null;
  return obj([
    ['initial_decision_date', d(best.perm_adm_decision_date)],
    ['matched_date', d(best.perm_matched_date)],
    ['placed_date', d(best.perm_placed_for_adoption_date)],
    ['purge', false],
  ]);
}

/** The care_leavers object (repeated on every episode; blank warnings point at the first episode's). */
function careLeavers(rows: readonly CareLeaverRow[], problems: PayloadProblem[]): Record<string, unknown> | null {
  const best = [...rows].sort(
    byDescThenId(
      (r) => normTs(r.clea_care_leaver_latest_contact),
      (r) => r.clea_table_id,
    ),
  )[0];
  if (!best) return null;
  const at = '/social_care_episodes/0/care_leavers';
  return obj([
    ['contact_date', d(best.clea_care_leaver_latest_contact)],
    ['activity', upperCode(leftCode(present(best.clea_care_leaver_activity, `${at}/activity`, problems), 2), CODES.activity)],
    ['accommodation', upperCode(leftCode(present(best.clea_care_leaver_accommodation, `${at}/accommodation`, problems), 1), CODES.accommodation)],
    ['purge', false],
  ]);
}

function careWorkers(ctx: EpisodeContext, referralId: string, path: string): Record<string, unknown>[] | null {
  // Only when the referral has a CIN plan overlapping the window (CTE ReferralWithCINPlan).
  if (cinPlansFor(ctx.rows, referralId, ctx.w).length === 0) return null;
  const census = ctx.census;
  return uniqueBy(ctx.rows.involvements, (i: InvolvementRow) => i.invo_involvements_id)
    .filter((i) => {
      if (i.invo_referral_id !== referralId) return false;
      const worker = text(i.prof_social_worker_registration_no);
      if (worker === null) return false;
      const role = text(i.invo_professional_role_id);
      if (role === null || sqlTrim(role).toUpperCase() !== 'CW') return false;
      const start = normTs(i.invo_involvement_start_date),
        end = normTs(i.invo_involvement_end_date);
      if (!census.some((c) => start !== null && start <= c && (end === null || end >= c))) return false;
      if (isBlank(worker)) {
        // A blank registration number is missing, as NULL: that involvement is not sent (amendment 2026-12-05).
        ctx.problems.push(blankWarning(path, worker, 'ssd_professionals.prof_social_worker_registration_no'));
        return false;
      }
      return true;
    })
    .map((i) => ({ i, start: normTs(i.invo_involvement_start_date), worker: text(i.prof_social_worker_registration_no)! }))
    .sort((a, b) => descNullsLast(a.start, b.start) || compareCodePoints(a.worker, b.worker) || compareCodePoints(a.i.invo_involvements_id, b.i.invo_involvements_id))
    .map(({ i, worker }) =>
      obj([
        ['worker_id', worker],
        ['start_date', d(i.invo_involvement_start_date)],
        ['end_date', d(i.invo_involvement_end_date)],
      ]),
    );
}

function episodes(ctx: EpisodeContext): Record<string, unknown>[] {
  const list = ownEpisodes(ctx.rows)
    .filter((e) => episodeOverlaps(e, ctx.w))
    .sort(
      byDescThenId(
        (e) => normTs(e.cine_referral_date),
        (e) => e.cine_referral_id,
      ),
    );
  return list.map((e, i) => {
    const ref = e.cine_referral_id;
    const path = `/social_care_episodes/${i}`;
    const cinPlans = cinPlansFor(ctx.rows, ref, ctx.w)
      .sort(
        byDescThenId(
          (p) => normTs(p.cinp_cin_plan_start_date),
          (p) => p.cinp_cin_plan_id,
        ),
      )
      .map((p) =>
        obj([
          ['child_in_need_plan_id', p.cinp_cin_plan_id],
          ['start_date', d(p.cinp_cin_plan_start_date)],
          ['end_date', d(p.cinp_cin_plan_end_date)],
          ['purge', false],
        ]),
      );
    return obj([
      ['social_care_episode_id', ref],
      ['referral_date', d(e.cine_referral_date)],
      ['referral_source', coerceReferralSource(present(e.cine_referral_source_code, `${path}/referral_source`, ctx.problems))],
      ['closure_date', d(e.cine_close_date)],
      ['closure_reason', upperCode(leftCode(present(e.cine_close_reason, `${path}/closure_reason`, ctx.problems), 3), CODES.closureReason)],
      ['referral_no_further_action_flag', coerceFlag(present(e.cine_referral_nfa, `${path}/referral_no_further_action_flag`, ctx.problems))],
      ['child_and_family_assessments', assessments(ctx, ref, `${path}/child_and_family_assessments`)],
      ['child_in_need_plans', cinPlans],
      ['section_47_assessments', s47s(ctx.rows, ref, ctx.w)],
      ['child_protection_plans', cpPlans(ctx.rows, ref, ctx.w)],
      ['child_looked_after_placements', placements(ctx, ref, `${path}/child_looked_after_placements`)],
      ['adoption', ctx.adoption],
      ['care_leavers', ctx.careLeavers],
      ['care_worker_details', careWorkers(ctx, ref, `${path}/care_worker_details`)],
      ['purge', false],
    ]);
  });
}

/**
 * Build one child's payload (the child is assumed to be in the cohort; see cohortDecision).
 * Problems are the builder's own (unparseable factors, capped disabilities); schema validation is
 * separate (validatePayload).
 */
export function buildPayload(rows: ChildRows, w: ReportingWindow): BuildResult {
  const problems: PayloadProblem[] = [];
  const p = rows.person;
  const legacy = present(p.pers_legacy_id, '/mis_child_id', problems);
  const mis = legacy === null ? null : sqlTrim(legacy);
  const details = childDetails(rows, w, problems);
  const health = healthAndWellbeing(rows.sdq, w, problems);
  const leaverProblems: PayloadProblem[] = [];
  const ctx: EpisodeContext = {
    rows,
    w,
    census: censusDates(w),
    adoption: adoption(rows, w),
    careLeavers: careLeavers(rows.careLeavers, leaverProblems),
    problems,
  };
  const eps = episodes(ctx);
  if (eps.length > 0) problems.push(...leaverProblems); // care_leavers is sent only inside episodes
  const payload = obj([
    ['la_child_id', p.pers_person_id],
    ['mis_child_id', mis],
    ['purge', false],
    ['child_details', details],
    ['health_and_wellbeing', health],
    ['social_care_episodes', eps],
  ]);
  return { payload, problems };
}

/** Cohort decision and, when in the cohort, the payload — with the no-episode warning (contract §Window and cohort). */
export function buildChild(rows: ChildRows, w: ReportingWindow): { decision: CohortDecision; result?: BuildResult } {
  const decision = cohortDecision(rows, w);
  if (!decision.inCohort) return { decision };
  const result = buildPayload(rows, w);
  if (!('social_care_episodes' in result.payload)) {
    result.problems.push(
      problem(
        '/social_care_episodes',
        'cohort-without-episode',
        `in the cohort through ${decision.routes.join(', ')} but no CIN episode overlaps the window, so the payload has no social_care_episodes (as the SQL builder); any placement data of this child is not sent`,
        'warning',
      ),
    );
  }
  return { decision, result };
}
