// The pure core of `ssd fake`: a synthetic, internally consistent cohort of children in the 19
// SSD tables the payload builder reads, as plain rows. No database here (generateFakeSsd.ts
// writes the rows).
//
// Determinism: child k's rows depend only on (seed, as-of date, k) and the problem shares; a
// professional's on (seed, its number). Every child has its own random stream and the problem
// decisions their own, so more children never reshuffle earlier ones and the clean rows of a
// child are the same whatever problem shares are asked for.
//
// IDs are digit strings of a fixed length per table: person 8 digits (10000000 + k), records of
// a child the person id + a 3-digit sequence (so they are unique across tables too),
// professionals 7 digits (5000000 + p).
import {
  ASSESSMENT_FACTORS,
  CARE_LEAVER_ACCOMMODATION,
  CARE_LEAVER_ACTIVITIES,
  CARE_LEAVER_END_REASONS,
  DISABILITIES,
  EPISODE_END_REASONS,
  EPISODE_START_REASONS,
  ETHNICITIES,
  IMMIGRATION_STATUSES,
  PLACEMENT_CHANGE_REASONS,
  PLACEMENT_TYPES,
  REFERRAL_SOURCES,
  UPN_UNKNOWN_REASONS,
  describe,
  weightedOf,
} from './codes';
import { BAD_POSTCODES, fakePostcode, firstName, lastName } from './names';
import { addYears as addIsoYears, reportingWindow as asOfWindow } from '../model/asOf';
import { Rng } from './rng';
import { upnFromParts } from './upn';

// ---------------------------------------------------------------------------------------------
// Tables and columns written

/** Columns written per table, in insert order. Every name is checked against the SSD model. */
export const FAKE_COLUMNS = {
  ssd_person: ['pers_person_id', 'pers_legacy_id', 'pers_upn', 'pers_forename', 'pers_surname', 'pers_sex', 'pers_ethnicity', 'pers_dob', 'pers_upn_unknown', 'pers_expected_dob', 'pers_nationality'],
  ssd_address: ['addr_table_id', 'addr_person_id', 'addr_address_type', 'addr_address_start_date', 'addr_address_end_date', 'addr_address_postcode'],
  ssd_disability: ['disa_table_id', 'disa_person_id', 'disa_disability_code'],
  ssd_immigration_status: ['immi_immigration_status_id', 'immi_person_id', 'immi_immigration_status_start_date', 'immi_immigration_status_end_date', 'immi_immigration_status'],
  ssd_linked_identifiers: ['link_table_id', 'link_person_id', 'link_identifier_type', 'link_identifier_value', 'link_valid_from_date', 'link_valid_to_date'],
  ssd_cin_episodes: [
    'cine_referral_id',
    'cine_person_id',
    'cine_referral_date',
    'cine_cin_primary_need_code',
    'cine_referral_source_code',
    'cine_referral_source_desc',
    'cine_referral_nfa',
    'cine_close_reason',
    'cine_close_date',
    'cine_referral_team',
    'cine_referral_worker_id',
  ],
  ssd_cin_assessments: [
    'cina_assessment_id',
    'cina_person_id',
    'cina_referral_id',
    'cina_assessment_start_date',
    'cina_assessment_child_seen',
    'cina_assessment_auth_date',
    'cina_assessment_outcome_nfa',
    'cina_assessment_team',
    'cina_assessment_worker_id',
  ],
  ssd_assessment_factors: ['cinf_table_id', 'cinf_assessment_id', 'cinf_assessment_factors_json'],
  ssd_cin_plans: ['cinp_cin_plan_id', 'cinp_referral_id', 'cinp_person_id', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date', 'cinp_cin_plan_team', 'cinp_cin_plan_worker_id'],
  ssd_s47_enquiry: [
    's47e_s47_enquiry_id',
    's47e_referral_id',
    's47e_person_id',
    's47e_s47_start_date',
    's47e_s47_end_date',
    's47e_s47_nfa',
    's47e_s47_outcome_json',
    's47e_s47_completed_by_team',
    's47e_s47_completed_by_worker_id',
  ],
  ssd_initial_cp_conference: [
    'icpc_icpc_id',
    'icpc_icpc_meeting_id',
    'icpc_s47_enquiry_id',
    'icpc_person_id',
    'icpc_cp_plan_id',
    'icpc_referral_id',
    'icpc_icpc_transfer_in',
    'icpc_icpc_target_date',
    'icpc_icpc_date',
    'icpc_icpc_outcome_cp_flag',
  ],
  ssd_cp_plans: [
    'cppl_cp_plan_id',
    'cppl_referral_id',
    'cppl_icpc_id',
    'cppl_person_id',
    'cppl_cp_plan_start_date',
    'cppl_cp_plan_end_date',
    'cppl_cp_plan_ola',
    'cppl_cp_plan_initial_category',
    'cppl_cp_plan_latest_category',
  ],
  ssd_cla_episodes: [
    'clae_cla_episode_id',
    'clae_person_id',
    'clae_cla_placement_id',
    'clae_cla_episode_start_date',
    'clae_cla_episode_start_reason',
    'clae_cla_primary_need_code',
    'clae_cla_episode_ceased_date',
    'clae_cla_episode_ceased_reason',
    'clae_cla_id',
    'clae_referral_id',
    'clae_entered_care_date',
  ],
  ssd_cla_placement: [
    'clap_cla_placement_id',
    'clap_cla_id',
    'clap_person_id',
    'clap_cla_placement_start_date',
    'clap_cla_placement_type',
    'clap_cla_placement_urn',
    'clap_cla_placement_distance',
    'clap_cla_placement_provider',
    'clap_cla_placement_postcode',
    'clap_cla_placement_end_date',
    'clap_cla_placement_change_reason',
  ],
  ssd_sdq_scores: ['csdq_table_id', 'csdq_person_id', 'csdq_sdq_completed_date', 'csdq_sdq_score'],
  ssd_care_leavers: [
    'clea_table_id',
    'clea_person_id',
    'clea_care_leaver_eligibility',
    'clea_care_leaver_in_touch',
    'clea_care_leaver_latest_contact',
    'clea_care_leaver_accommodation',
    'clea_care_leaver_accom_suitable',
    'clea_care_leaver_activity',
    'clea_pathway_plan_review_date',
    'clea_care_leaver_worker_id',
  ],
  ssd_permanence: [
    'perm_table_id',
    'perm_person_id',
    'perm_cla_id',
    'perm_adm_decision_date',
    'perm_placement_order_date',
    'perm_matched_date',
    'perm_placed_for_adoption_date',
    'perm_permanence_order_date',
    'perm_permanence_order_type',
  ],
  ssd_professionals: [
    'prof_professional_id',
    'prof_staff_id',
    'prof_professional_name',
    'prof_social_worker_registration_no',
    'prof_agency_worker_flag',
    'prof_professional_job_title',
    'prof_professional_caseload',
    'prof_professional_department',
    'prof_full_time_equivalency',
  ],
  ssd_involvements: [
    'invo_involvements_id',
    'invo_professional_id',
    'invo_professional_role_id',
    'invo_professional_team',
    'invo_person_id',
    'invo_involvement_start_date',
    'invo_involvement_end_date',
    'invo_worker_change_reason',
    'invo_referral_id',
  ],
} as const;

export type FakeTable = keyof typeof FAKE_COLUMNS;
export const FAKE_TABLES = Object.keys(FAKE_COLUMNS) as FakeTable[];

type Value = string | number | null;
type Rec = Record<string, Value>;
export type ChildTables = Record<FakeTable, Rec[]>;

// ---------------------------------------------------------------------------------------------
// Problems injected on purpose

export const PROBLEM_KINDS = ['missingUpn', 'badPostcode', 'endBeforeStart', 'orphanReferral', 'duplicateSdq', 'codesAsDescriptions', 'factorsAsObject', 'factorsAsCommaList'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export type ProblemShares = Record<ProblemKind, number>;

/** What each problem does and which children it can hit (the share is of those children). */
export const PROBLEM_INFO: Record<ProblemKind, { flag: string; description: string; eligible: string }> = {
  missingUpn: { flag: 'missing-upn', description: 'UPN left empty with no unknown reason', eligible: 'children with a UPN' },
  badPostcode: { flag: 'bad-postcode', description: 'current address postcode is not a postcode (e.g. "UNKNOWN", "YY1")', eligible: 'children with an address' },
  endBeforeStart: { flag: 'end-before-start', description: 'one end date before its start (episode close, plan, S47, placement or involvement)', eligible: 'children with an ended record' },
  orphanReferral: { flag: 'orphan-referral', description: 'an assessment, plan or S47 points to a referral id that does not exist', eligible: 'children with an assessment, plan or S47' },
  duplicateSdq: { flag: 'duplicate-sdq', description: 'latest SDQ score stored twice (same date and score)', eligible: 'children with SDQ scores' },
  codesAsDescriptions: { flag: 'codes-as-descriptions', description: 'ethnicity and immigration status stored as descriptions ("White British")', eligible: 'all children' },
  factorsAsObject: { flag: 'factors-as-object', description: 'assessment factors stored as a JSON object {"1A":"Yes"}', eligible: 'children with assessment factors' },
  factorsAsCommaList: { flag: 'factors-as-comma-list', description: 'assessment factors stored as a comma list 1A,2B', eligible: 'children with assessment factors' },
};

export const DEFAULT_PROBLEM_SHARE = 0.01;
export const defaultShares = (value = DEFAULT_PROBLEM_SHARE): ProblemShares => Object.fromEntries(PROBLEM_KINDS.map((k) => [k, value])) as ProblemShares;

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01, UTC)

const DAY_MS = 86_400_000;
export function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${iso}`);
  return Math.round(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / DAY_MS);
}
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
/** day + whole years: addYears of src/model/asOf.ts (29 February → 28 February in a common year, UK practice for birthdays). */
function addYears(day: number, years: number): number {
  return dayOf(addIsoYears(isoOf(day), years));
}
const yearOf = (day: number) => new Date(day * DAY_MS).getUTCFullYear();

/** The API reporting window of src/model/asOf.ts (the one rule) for an as-of day, as day numbers. */
export function windowInDays(asOfDay: number): { start: number; end: number } {
  const w = asOfWindow(isoOf(asOfDay));
  return { start: dayOf(w.start), end: dayOf(w.end) };
}

// ---------------------------------------------------------------------------------------------
// Generation context

export const PERSON_ID_BASE = 10_000_000;
export const PROFESSIONAL_ID_BASE = 5_000_000;
/** Largest cohort (keeps every id of a table the same length). */
export const MAX_CHILDREN = 10_000_000;
/** Children per block of professionals; each block has its own team. */
export const CHILDREN_PER_TEAM = 50;
const TEAM_ROLES = ['SW', 'SW', 'SW', 'SW', 'IRO', 'PA', 'FSW', 'TM'] as const;
type TeamRole = (typeof TEAM_ROLES)[number];
const TEAM_NAMES = ['Assessment', 'Safeguarding', 'Children in Care', 'Children with Disabilities', 'Leaving Care', 'Family Support'];

export interface CohortContext {
  seed: string;
  asOfDay: number;
  shares: ProblemShares;
}

export type Profile = 'child' | 'unborn' | 'lookedAfter' | 'careLeaver';

export interface ChildFacts {
  profile: Profile;
  uasc: boolean;
  openReferral: boolean;
  cpPlan: boolean;
  adopted: boolean;
}

export interface ChildResult {
  tables: ChildTables;
  problems: ProblemKind[];
  facts: ChildFacts;
}

const W = {
  referralSource: weightedOf(REFERRAL_SOURCES),
  ethnicity: weightedOf(ETHNICITIES),
  disability: weightedOf(DISABILITIES),
  upnUnknown: weightedOf(UPN_UNKNOWN_REASONS),
  placement: weightedOf(PLACEMENT_TYPES),
  /** Under 14: no independent or semi-independent living, custody or employment. */
  youngPlacement: weightedOf(PLACEMENT_TYPES).filter(([c]) => !['H5', 'P2', 'P3', 'R5'].includes(c)),
  /** A new episode because the placement changed (S starts care, L is a legal status change only). */
  startReason: weightedOf(EPISODE_START_REASONS).filter(([c]) => c !== 'L'),
  endReason: weightedOf(EPISODE_END_REASONS),
  leaverEnd: weightedOf(CARE_LEAVER_END_REASONS),
  change: weightedOf(PLACEMENT_CHANGE_REASONS),
  activity: weightedOf(CARE_LEAVER_ACTIVITIES),
  accommodation: weightedOf(CARE_LEAVER_ACCOMMODATION),
  immigration: weightedOf(IMMIGRATION_STATUSES),
  factors: weightedOf(ASSESSMENT_FACTORS),
};
const AGE_WEIGHTS: (readonly [number, number])[] = [
  [0, 9],
  [1, 6],
  [2, 5],
  [3, 5],
  [4, 5],
  [5, 5],
  [6, 5],
  [7, 5],
  [8, 5],
  [9, 5],
  [10, 6],
  [11, 6],
  [12, 7],
  [13, 7],
  [14, 8],
  [15, 8],
  [16, 6],
  [17, 5],
];
const LEAVER_AGE_WEIGHTS: (readonly [number, number])[] = [
  [16, 2],
  [17, 4],
  [18, 14],
  [19, 14],
  [20, 13],
  [21, 13],
  [22, 12],
  [23, 10],
  [24, 8],
  [25, 3],
];
const REFERRAL_COUNT: (readonly [number, number])[] = [
  [1, 62],
  [2, 27],
  [3, 8],
  [4, 3],
];
const NEED_CODES: (readonly [string, number])[] = [
  ['N1', 55],
  ['N2', 4],
  ['N3', 8],
  ['N4', 15],
  ['N5', 5],
  ['N6', 4],
  ['N7', 2],
  ['N8', 3],
  ['N9', 4],
];
const CP_CATEGORIES: (readonly [string, number])[] = [
  ['NEG', 50],
  ['EMO', 36],
  ['PHY', 7],
  ['SAB', 4],
  ['MUL', 3],
];
const UASC_ETHNICITIES: (readonly [string, number])[] = [
  ['BAFR', 35],
  ['OOTH', 25],
  ['AOTH', 20],
  ['MOTH', 10],
  ['WOTH', 10],
];
const UASC_NATIONALITIES = ['Afghan', 'Eritrean', 'Sudanese', 'Iranian', 'Iraqi', 'Vietnamese', 'Albanian', 'Syrian'];
const PROVIDERS: (readonly [string, number])[] = [
  ['PR1', 45],
  ['PR4', 35],
  ['PR5', 8],
  ['PR2', 5],
  ['PR3', 2],
  ['PR0', 5],
];

function teamRole(p: number): TeamRole {
  return TEAM_ROLES[p % TEAM_ROLES.length]!;
}

const ROLE_SLOTS = new Map<TeamRole, number[]>();
TEAM_ROLES.forEach((role, i) => {
  ROLE_SLOTS.set(role, [...(ROLE_SLOTS.get(role) ?? []), i]);
});

/** The professional of a team with a given role (index within the role). */
function teamMember(team: number, role: TeamRole, which: number): string {
  const slots = ROLE_SLOTS.get(role)!;
  return String(PROFESSIONAL_ID_BASE + team * TEAM_ROLES.length + slots[which % slots.length]!);
}

/** Social Work England style registration number, unique per professional ('SW' + 6 digits). */
export function registrationNumber(p: number): string {
  return `SW${100000 + ((p * 48271) % 900000)}`;
}

/** The professionals of team `team` (emitted once, with its first child). */
export function generateTeam(team: number, ctx: CohortContext): Rec[] {
  const out: Rec[] = [];
  for (let j = 0; j < TEAM_ROLES.length; j++) {
    const p = team * TEAM_ROLES.length + j;
    const r = new Rng(`${ctx.seed}|prof|${p}`);
    const role = teamRole(p);
    const registered = role === 'SW' || role === 'IRO' || role === 'TM';
    const sex = r.chance(0.8) ? 'F' : 'M';
    const title = { SW: r.chance(0.25) ? 'Senior Social Worker' : 'Social Worker', IRO: 'Independent Reviewing Officer', PA: 'Personal Adviser', FSW: 'Family Support Worker', TM: 'Team Manager' }[
      role
    ];
    out.push({
      prof_professional_id: String(PROFESSIONAL_ID_BASE + p),
      prof_staff_id: `STF${String(p).padStart(7, '0')}`,
      prof_professional_name: `${firstName(r, sex)} ${lastName(r)}`,
      prof_social_worker_registration_no: registered ? registrationNumber(p) : null,
      prof_agency_worker_flag: role === 'SW' && r.chance(0.15) ? 'Y' : 'N',
      prof_professional_job_title: title,
      prof_professional_caseload: role === 'SW' ? r.int(8, 24) : role === 'PA' ? r.int(15, 30) : r.int(0, 12),
      prof_professional_department: `Children's Services: ${TEAM_NAMES[team % TEAM_NAMES.length]} Team ${1 + (team % 7)}`,
      prof_full_time_equivalency: r.pick([1, 1, 1, 0.8, 0.6, 0.5]),
    });
  }
  return out;
}

function emptyTables(): ChildTables {
  return Object.fromEntries(FAKE_TABLES.map((t) => [t, [] as Rec[]])) as unknown as ChildTables;
}

// ---------------------------------------------------------------------------------------------
// One child

interface Referral {
  id: string;
  start: number;
  close: number | null;
}

class ChildBuilder {
  readonly t = emptyTables();
  private seq = 0;
  readonly personId: string;
  readonly team: number;
  readonly facts: ChildFacts;
  /** Whether any record of this child ends after as-of or is open (drives open referrals). */
  constructor(
    readonly k: number,
    readonly r: Rng,
    readonly ctx: CohortContext,
    profile: Profile,
  ) {
    this.personId = String(PERSON_ID_BASE + k);
    this.team = Math.floor(k / CHILDREN_PER_TEAM);
    this.facts = { profile, uasc: false, openReferral: false, cpPlan: false, adopted: false };
  }

  id(): string {
    this.seq++;
    // 998 and 999 are kept for the problems (duplicate SDQ, orphan referral id).
    if (this.seq > 997) throw new Error('too many records for one fake child');
    return this.personId + String(this.seq).padStart(3, '0');
  }

  get asOf(): number {
    return this.ctx.asOfDay;
  }
  /** A date or null when it is after as-of (not happened yet). */
  happened(day: number): number | null {
    return day <= this.asOf ? day : null;
  }
  worker(role: TeamRole, which = 0): string {
    return teamMember(this.team, role, which);
  }
  teamName(): string {
    return `${TEAM_NAMES[this.team % TEAM_NAMES.length]} Team ${1 + (this.team % 7)}`;
  }

  involvement(role: string, prof: string, start: number, end: number | null, referralId: string | null, reason: string | null = null): void {
    // A worker allocated a few days after a referral that closed sooner starts on the close day:
    // clean data never has an involvement ending before it starts (that problem is injected
    // separately, by its own share).
    if (end !== null && end < start) start = end;
    this.t.ssd_involvements.push({
      invo_involvements_id: this.id(),
      invo_professional_id: prof,
      invo_professional_role_id: role,
      invo_professional_team: this.teamName(),
      invo_person_id: this.personId,
      invo_involvement_start_date: start,
      invo_involvement_end_date: end,
      invo_worker_change_reason: reason,
      invo_referral_id: referralId,
    });
  }

  /** Case workers over [start, end]: one, or two with a change part-way. */
  caseWorkers(ref: string, start: number, end: number | null): void {
    const first = this.r.int(0, 3);
    const until = end ?? this.asOf;
    if (until - start > 120 && this.r.chance(0.35)) {
      const change = start + this.r.int(40, until - start - 20);
      this.involvement('CW', this.worker('SW', first), start, change, ref, null);
      this.involvement('CW', this.worker('SW', first + 1), change, end, ref, this.r.pick(['Worker left', 'Case transferred', 'Caseload balancing']));
    } else {
      this.involvement('CW', this.worker('SW', first), start, end, ref, null);
    }
  }

  /**
   * One referral (CIN episode) starting at `start` with what follows it. Returns the referral;
   * `force` makes it at least assessed (for children about to become looked after).
   */
  referral(start: number, opts: { unborn?: boolean; force?: boolean; sources?: (readonly [string, number])[] } = {}): Referral & { assessed: number | null } {
    const r = this.r;
    const id = this.id();
    const source = r.weighted(opts.sources ?? W.referralSource);
    const path = opts.force
      ? r.weighted([
          ['assess', 60],
          ['s47', 40],
        ] as const)
      : r.weighted([
          ['nfa', 18],
          ['assess', 47],
          ['plan', 20],
          ['s47', 15],
        ] as const);
    const ends: number[] = [];
    let open = false;
    const track = (end: number | null) => {
      if (end === null) open = true;
      else ends.push(end);
    };
    let assessed: number | null = null;
    let hadPlan = false;
    let hadCp = false;

    if (path === 'nfa') {
      const close = start + r.int(0, 5);
      const c = this.happened(close);
      this.t.ssd_cin_episodes.push(this.episodeRow(id, start, source, 'Y', c === null ? null : 'RC8', c));
      if (r.chance(0.3)) this.involvement('CW', this.worker('SW', r.int(0, 3)), start, c, id);
      return { id, start, close: c, assessed: null };
    }

    // Child and family assessment.
    const aStart = start + r.int(0, 10);
    if (aStart <= this.asOf) {
      const auth = this.happened(aStart + r.int(5, 45));
      const aid = this.id();
      const nfa = path === 'assess' && auth !== null ? (r.chance(0.5) ? 'Y' : 'N') : 'N';
      this.t.ssd_cin_assessments.push({
        cina_assessment_id: aid,
        cina_person_id: this.personId,
        cina_referral_id: id,
        cina_assessment_start_date: aStart,
        cina_assessment_child_seen: opts.unborn ? 'N' : r.chance(0.95) ? 'Y' : 'N',
        cina_assessment_auth_date: auth,
        cina_assessment_outcome_nfa: auth === null ? null : nfa,
        cina_assessment_team: this.teamName(),
        cina_assessment_worker_id: this.worker('SW', r.int(0, 3)),
      });
      track(auth);
      assessed = auth;
      if (auth !== null && r.chance(0.9)) {
        const codes = nfa === 'Y' && r.chance(0.3) ? ['21'] : this.factorCodes(opts.unborn ? 4 : 5);
        this.t.ssd_assessment_factors.push({ cinf_table_id: this.id(), cinf_assessment_id: aid, cinf_assessment_factors_json: JSON.stringify(codes) });
      }
    } else {
      open = true;
    }

    // Section 47 enquiry, initial child protection conference, child protection plan.
    if (path === 's47' || (path === 'plan' && r.chance(0.15))) {
      const sStart = start + r.int(0, 14);
      if (sStart <= this.asOf) {
        const sEnd = this.happened(sStart + r.int(1, 15));
        const sid = this.id();
        const conference = sEnd !== null && r.chance(opts.unborn ? 0.6 : 0.5);
        const flags = {
          NFA_FLAG: conference ? 'N' : r.chance(0.4) ? 'Y' : 'N',
          LEGAL_ACTION_FLAG: 'N',
          PROV_OF_SERVICES_FLAG: conference ? 'N' : 'Y',
          PROV_OF_SW_SERVICES_FLAG: 'Y',
          CP_CONFERENCE_FLAG: conference ? 'Y' : 'N',
          CP_PLAN_FLAG: 'N',
          OTHER_OUTCOMES_EXIST_FLAG: 'N',
        };
        // The SystemC SSD writes this JSON with a space after each colon; so do we.
        const outcome =
          sEnd === null
            ? null
            : '{' +
              Object.entries(flags)
                .map(([k, v]) => `"${k}": "${v}"`)
                .join(', ') +
              '}';
        this.t.ssd_s47_enquiry.push({
          s47e_s47_enquiry_id: sid,
          s47e_referral_id: id,
          s47e_person_id: this.personId,
          s47e_s47_start_date: sStart,
          s47e_s47_end_date: sEnd,
          s47e_s47_nfa: sEnd === null ? null : flags.NFA_FLAG,
          s47e_s47_outcome_json: outcome,
          s47e_s47_completed_by_team: this.teamName(),
          s47e_s47_completed_by_worker_id: this.worker('SW', r.int(0, 3)),
        });
        track(sEnd);
        if (conference && sEnd !== null) {
          const target = sEnd + 15;
          const icpcDate = this.happened(sEnd + r.int(3, 15));
          if (icpcDate === null) {
            open = true;
          } else {
            const icpcId = this.id();
            const plan = r.chance(0.85);
            const cpId = plan ? this.id() : null;
            this.t.ssd_initial_cp_conference.push({
              icpc_icpc_id: icpcId,
              icpc_icpc_meeting_id: this.id(),
              icpc_s47_enquiry_id: sid,
              icpc_person_id: this.personId,
              icpc_cp_plan_id: cpId,
              icpc_referral_id: id,
              icpc_icpc_transfer_in: 'N',
              icpc_icpc_target_date: target,
              icpc_icpc_date: icpcDate,
              icpc_icpc_outcome_cp_flag: plan ? 'Y' : 'N',
            });
            ends.push(icpcDate);
            if (cpId) {
              const cpEnd = this.happened(icpcDate + r.int(90, 560));
              const category = r.weighted(CP_CATEGORIES);
              this.t.ssd_cp_plans.push({
                cppl_cp_plan_id: cpId,
                cppl_referral_id: id,
                cppl_icpc_id: icpcId,
                cppl_person_id: this.personId,
                cppl_cp_plan_start_date: icpcDate,
                cppl_cp_plan_end_date: cpEnd,
                cppl_cp_plan_ola: 'N',
                cppl_cp_plan_initial_category: category,
                cppl_cp_plan_latest_category: r.chance(0.9) ? category : r.weighted(CP_CATEGORIES),
              });
              this.facts.cpPlan = true;
              hadCp = true;
              track(cpEnd);
              // Step down to a child in need plan after the CP plan.
              if (cpEnd !== null && r.chance(0.4)) {
                hadPlan = true;
                track(this.cinPlan(id, cpEnd + r.int(0, 7)));
              }
            }
          }
        }
      }
    }

    // Child in need plan after the assessment.
    if (path === 'plan' && assessed !== null) {
      hadPlan = true;
      track(this.cinPlan(id, assessed + r.int(0, 14)));
    }

    // Closure: after everything else ended.
    let close: number | null = null;
    if (!open && !opts.force) {
      const last = Math.max(start, ...ends);
      close = this.happened(last + r.int(0, 30));
    }
    const reason =
      close === null
        ? null
        : hadPlan || hadCp
          ? r.chance(0.95)
            ? 'RC7'
            : 'RC5'
          : r.weighted([
              ['RC8', 55],
              ['RC9', 40],
              ['RC7', 5],
            ] as const);
    this.t.ssd_cin_episodes.push(this.episodeRow(id, start, source, 'N', reason, close));
    this.caseWorkers(id, Math.min(this.asOf, start + r.int(0, 3)), close);
    if (r.chance(0.12)) this.involvement('TM', this.worker('TM'), start, close, id);
    const fsw = (assessed ?? start) + r.int(0, 10);
    if (r.chance(0.08) && fsw <= this.asOf && (close === null || fsw <= close)) this.involvement('FSW', this.worker('FSW'), fsw, close, id);
    return { id, start, close, assessed };
  }

  episodeRow(id: string, start: number, source: string, nfa: 'Y' | 'N', reason: string | null, close: number | null): Rec {
    return {
      cine_referral_id: id,
      cine_person_id: this.personId,
      cine_referral_date: start,
      cine_cin_primary_need_code: this.r.weighted(NEED_CODES),
      cine_referral_source_code: source,
      cine_referral_source_desc: describe(REFERRAL_SOURCES, source),
      cine_referral_nfa: nfa,
      cine_close_reason: reason,
      cine_close_date: close,
      cine_referral_team: this.teamName(),
      cine_referral_worker_id: this.worker('SW', this.r.int(0, 3)),
    };
  }

  cinPlan(referralId: string, start: number): number | null {
    if (start > this.asOf) return null;
    const end = this.happened(start + this.r.int(60, 420));
    this.t.ssd_cin_plans.push({
      cinp_cin_plan_id: this.id(),
      cinp_referral_id: referralId,
      cinp_person_id: this.personId,
      cinp_cin_plan_start_date: start,
      cinp_cin_plan_end_date: end,
      cinp_cin_plan_team: this.teamName(),
      cinp_cin_plan_worker_id: this.worker('SW', this.r.int(0, 3)),
    });
    return end;
  }

  factorCodes(max: number): string[] {
    const n = this.r.weighted([
      [1, 30],
      [2, 30],
      [3, 22],
      [4, 12],
      [5, 6],
    ] as const);
    const codes = new Set<string>();
    for (let i = 0; i < Math.min(n, max) * 3 && codes.size < Math.min(n, max); i++) codes.add(this.r.weighted(W.factors));
    return [...codes];
  }

  /**
   * A period of care from `start` for referral `ref`: placements, episodes, IRO, SDQs, maybe
   * adoption. `endBy` forces the period to end by that day (18th birthday) with `endReason`.
   */
  periodOfCare(
    ref: string,
    start: number,
    opts: { endBy?: number; endReasons?: (readonly [string, number])[]; uasc?: boolean; adoptable?: boolean; ageAtStart: number },
  ): { end: number | null; reason: string | null } {
    const r = this.r;
    const claId = this.id();
    const n = r.weighted([
      [1, 48],
      [2, 28],
      [3, 14],
      [4, 7],
      [5, 3],
    ] as const);
    // Placement boundaries.
    const starts: number[] = [start];
    for (let i = 1; i < n; i++) starts.push(starts[i - 1]! + r.int(i === 1 ? 7 : 30, 420));
    let periodEnd: number | null = starts[n - 1]! + r.int(30, 700);
    let reason: string | null = r.weighted(opts.endReasons ?? W.endReason);
    // Adoption: decision, match, placement for adoption, order.
    let adoption: { decision: number | null; order: number | null; matched: number | null; placed: number | null; granted: number | null } | null = null;
    if (opts.adoptable && opts.ageAtStart <= 6 && r.chance(0.3)) {
      const decision = start + r.int(90, 300);
      const order = decision + r.int(20, 120);
      const matched = order + r.int(40, 240);
      const placed = matched + r.int(7, 60);
      const granted = placed + r.int(120, 400);
      adoption = { decision: this.happened(decision), order: this.happened(order), matched: this.happened(matched), placed: this.happened(placed), granted: this.happened(granted) };
      // The last placement is the adoptive one.
      while (starts.length > 1 && starts[starts.length - 1]! >= placed) starts.pop();
      starts.push(placed);
      periodEnd = granted;
      reason = r.chance(0.7) ? 'E11' : 'E12';
    }
    if (opts.endBy !== undefined && (periodEnd === null || periodEnd > opts.endBy || opts.endReasons)) {
      periodEnd = opts.endBy;
      while (starts.length > 1 && starts[starts.length - 1]! >= periodEnd - 7) starts.pop();
    }
    if (periodEnd !== null && periodEnd > this.asOf) {
      periodEnd = null;
      reason = null;
    }
    // Drop placements that have not started yet.
    while (starts.length > 1 && starts[starts.length - 1]! > this.asOf) starts.pop();
    if (periodEnd === null && reason !== null) reason = null;

    const uascTypes: (readonly [string, number])[] = [
      ['U6', 40],
      ['K2', 20],
      ['H5', 30],
      ['U4', 10],
    ];
    const need = opts.uasc ? 'N8' : r.weighted(NEED_CODES);
    let episodes = 0;
    for (let i = 0; i < starts.length; i++) {
      const pStart = starts[i]!;
      const pEnd = i + 1 < starts.length ? starts[i + 1]! : periodEnd;
      const pid = this.id();
      const adoptive = adoption?.placed !== undefined && adoption.placed !== null && i === starts.length - 1 && pStart === adoption.placed;
      const type = adoptive
        ? r.pick(['A5', 'A6', 'A3', 'A4'])
        : opts.uasc
          ? r.weighted(uascTypes)
          : opts.ageAtStart >= 16 && i > 0
            ? r.weighted([
                ['H5', 50],
                ['U6', 20],
                ['K2', 20],
                ['P2', 10],
              ] as const)
            : opts.ageAtStart >= 14
              ? r.weighted(W.placement)
              : r.weighted(W.youngPlacement);
      this.t.ssd_cla_placement.push({
        clap_cla_placement_id: pid,
        clap_cla_id: claId,
        clap_person_id: this.personId,
        clap_cla_placement_start_date: pStart,
        clap_cla_placement_type: type,
        clap_cla_placement_urn: type === 'K2' || type === 'K1' ? `SC${String(r.int(0, 999999)).padStart(6, '0')}` : null,
        clap_cla_placement_distance: Math.round(r.next() * r.next() * 800) / 10,
        clap_cla_placement_provider: type.startsWith('P') ? 'PR0' : r.weighted(PROVIDERS),
        clap_cla_placement_postcode: fakePostcode(r),
        clap_cla_placement_end_date: pEnd,
        clap_cla_placement_change_reason: i + 1 < starts.length ? r.weighted(W.change) : null,
      });
      // Episodes: one per placement, sometimes split by a change of legal status.
      const split = pEnd !== null && pEnd - pStart > 120 && r.chance(0.15) ? pStart + r.int(30, pEnd - pStart - 30) : null;
      const epStarts = split === null ? [pStart] : [pStart, split];
      for (let e = 0; e < epStarts.length; e++) {
        const eStart = epStarts[e]!;
        const last = e === epStarts.length - 1;
        const eEnd = last ? pEnd : epStarts[e + 1]!;
        const finalEpisode = last && i === starts.length - 1;
        this.t.ssd_cla_episodes.push({
          clae_cla_episode_id: this.id(),
          clae_person_id: this.personId,
          clae_cla_placement_id: pid,
          clae_cla_episode_start_date: eStart,
          clae_cla_episode_start_reason: episodes === 0 ? 'S' : e > 0 ? 'L' : r.weighted(W.startReason),
          clae_cla_primary_need_code: need,
          clae_cla_episode_ceased_date: eEnd,
          clae_cla_episode_ceased_reason: eEnd === null ? null : finalEpisode ? reason : 'X1',
          clae_cla_id: claId,
          clae_referral_id: ref,
          clae_entered_care_date: start,
        });
        episodes++;
      }
    }
    const iro = start + r.int(5, 20);
    if (iro <= this.asOf && (periodEnd === null || iro <= periodEnd)) this.involvement('IRO', this.worker('IRO'), iro, periodEnd, ref);
    if (adoption && adoption.decision !== null) {
      this.t.ssd_permanence.push({
        perm_table_id: this.id(),
        perm_person_id: this.personId,
        perm_cla_id: claId,
        perm_adm_decision_date: adoption.decision,
        perm_placement_order_date: adoption.order,
        perm_matched_date: adoption.matched,
        perm_placed_for_adoption_date: adoption.placed,
        perm_permanence_order_date: adoption.granted,
        perm_permanence_order_type: adoption.granted === null ? null : 'Adoption order',
      });
      if (adoption.granted !== null) this.facts.adopted = true;
    }
    return { end: periodEnd, reason };
  }

  /** Annual SDQs while looked after, for ages 4-17. */
  sdqs(dob: number, from: number, to: number | null): void {
    const until = Math.min(to ?? this.asOf, this.asOf, addYears(dob, 18) - 1);
    for (let d = from + this.r.int(300, 400); d <= until; d += this.r.int(330, 400)) {
      if (d < addYears(dob, 4)) continue;
      this.t.ssd_sdq_scores.push({ csdq_table_id: this.id(), csdq_person_id: this.personId, csdq_sdq_completed_date: d, csdq_sdq_score: this.r.normalInt(14, 6, 0, 40) });
    }
  }
}

/** Generate child number k (0-based). */
export function generateChild(k: number, ctx: CohortContext): ChildResult {
  const r = new Rng(`${ctx.seed}|child|${k}`);
  const u = r.next();
  const profile: Profile = u < 0.015 ? 'unborn' : u < 0.06 ? 'careLeaver' : u < 0.155 ? 'lookedAfter' : 'child';
  const b = new ChildBuilder(k, r, ctx, profile);
  const asOf = ctx.asOfDay;
  const t = b.t;

  // ---- who
  const uasc = (profile === 'lookedAfter' && r.chance(0.07)) || (profile === 'careLeaver' && r.chance(0.15));
  b.facts.uasc = uasc;
  let dob: number | null = null;
  let expected: number | null = null;
  let age = 0;
  if (profile === 'unborn') {
    expected = asOf + r.int(-60, 120);
  } else {
    age = profile === 'careLeaver' ? r.weighted(LEAVER_AGE_WEIGHTS) : uasc ? r.int(14, 17) : r.weighted(AGE_WEIGHTS);
    dob = addYears(asOf, -age) - r.int(0, 364);
  }
  const sex: 'M' | 'F' | 'U' =
    profile === 'unborn'
      ? r.chance(0.7)
        ? 'U'
        : r.chance(0.5)
          ? 'M'
          : 'F'
      : uasc
        ? r.chance(0.9)
          ? 'M'
          : 'F'
        : r.weighted([
            ['M', 52],
            ['F', 47],
            ['U', 1],
          ] as const);
  const ethnicity = uasc ? r.weighted(UASC_ETHNICITIES) : r.weighted(W.ethnicity);
  const surname = lastName(r);
  const forename = profile === 'unborn' ? (r.chance(0.6) ? 'Unborn' : 'Baby') : firstName(r, sex);
  // UPN: most school-age children have one.
  let upn: string | null = null;
  let upnUnknown: string | null = null;
  const wantsUpn = profile !== 'unborn' && (uasc ? r.chance(0.5) : age >= 5 ? r.chance(0.94) : age >= 4 ? r.chance(0.5) : false);
  if (wantsUpn) {
    const allocated = Math.min(yearOf(asOf), yearOf(dob!) + (uasc ? age : 5));
    upn = upnFromParts(999 - Math.floor(k / 10_000_000), Math.floor((k % 10_000_000) / 1000), allocated % 100, k % 1000);
  } else {
    upnUnknown = profile === 'unborn' || age < 5 ? 'UN1' : uasc ? 'UN4' : r.weighted(W.upnUnknown);
  }
  t.ssd_person.push({
    pers_person_id: b.personId,
    pers_legacy_id: r.chance(0.85) ? `M${2_000_000 + k}` : null,
    pers_upn: upn,
    pers_forename: forename,
    pers_surname: surname,
    pers_sex: sex,
    pers_ethnicity: ethnicity,
    pers_dob: dob,
    pers_upn_unknown: upnUnknown,
    pers_expected_dob: expected,
    pers_nationality: uasc ? r.pick(UASC_NATIONALITIES) : null,
  });
  const born = dob ?? expected!;

  // ---- former UPNs
  if (upn && r.chance(0.04)) {
    const n = r.chance(0.2) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const from = Math.max(addYears(born, 4), Math.min(asOf - 30, asOf - r.int(400, 1500) + i * 400));
      t.ssd_linked_identifiers.push({
        link_table_id: b.id(),
        link_person_id: b.personId,
        link_identifier_type: 'Former Unique Pupil Number',
        link_identifier_value: upnFromParts(997 - i, r.int(1000, 9999), (yearOf(born) + 5) % 100, r.int(0, 999)),
        link_valid_from_date: from,
        link_valid_to_date: Math.min(asOf, from + r.int(200, 380)),
      });
    }
  }

  // ---- addresses: the current one and up to two earlier ones
  const nAddr =
    profile === 'unborn'
      ? 1
      : r.weighted([
          [1, 55],
          [2, 32],
          [3, 13],
        ] as const);
  const addrFloor = dob ?? asOf - 3000;
  let addrStart = Math.max(addrFloor, asOf - r.int(30, 2000));
  const addrStarts = [addrStart];
  for (let i = 1; i < nAddr; i++) {
    addrStart = addrStart - r.int(200, 1500);
    if (addrStart < addrFloor) break;
    addrStarts.push(addrStart);
  }
  addrStarts.forEach((s, i) => {
    t.ssd_address.push({
      addr_table_id: b.id(),
      addr_person_id: b.personId,
      addr_address_type: i === 0 ? 'MAIN' : 'PREV',
      addr_address_start_date: s,
      addr_address_end_date: i === 0 ? null : addrStarts[i - 1]!,
      addr_address_postcode: fakePostcode(r),
    });
  });

  // ---- disabilities
  if (profile !== 'unborn') {
    const dRoll = r.next();
    if (dRoll < 0.13) {
      const n = r.weighted([
        [1, 60],
        [2, 30],
        [3, 10],
      ] as const);
      const codes = new Set<string>();
      for (let i = 0; i < n * 3 && codes.size < n; i++) codes.add(r.weighted(W.disability));
      for (const c of codes) t.ssd_disability.push({ disa_table_id: b.id(), disa_person_id: b.personId, disa_disability_code: c });
    } else if (dRoll < 0.28) {
      t.ssd_disability.push({ disa_table_id: b.id(), disa_person_id: b.personId, disa_disability_code: 'NONE' });
    }
  }

  // ---- social care history
  if (profile === 'unborn') {
    const start = Math.min(asOf - r.int(0, 20), expected! - r.int(30, 180));
    b.referral(start, {
      unborn: true,
      sources: [
        ['3B', 30],
        ['3D', 15],
        ['3F', 20],
        ['6', 15],
        ['5A', 10],
        ['1A', 10],
      ],
    });
  } else if (profile === 'careLeaver') {
    careLeaverHistory(b, dob!, age, uasc);
  } else {
    const lo = Math.max(dob!, asOf - 1150);
    let start = lo + r.int(0, Math.max(0, asOf - 7 - lo));
    const n = r.weighted(REFERRAL_COUNT);
    const cla = profile === 'lookedAfter';
    for (let i = 0; i < n; i++) {
      const isLast = i === n - 1;
      if (cla && (isLast || start > asOf - 120)) {
        lookedAfterEpisode(b, start, dob!, uasc);
        break;
      }
      const ref = b.referral(start);
      if (ref.close === null) break;
      start = ref.close + r.int(20, 250);
      if (start > asOf) break;
    }
    // A few children outside care have an SDQ (e.g. from school or CAMHS).
    if (!cla && age >= 4 && age <= 16 && r.chance(0.02)) {
      t.ssd_sdq_scores.push({ csdq_table_id: b.id(), csdq_person_id: b.personId, csdq_sdq_completed_date: asOf - r.int(0, 700), csdq_sdq_score: r.normalInt(13, 6, 0, 40) });
    }
    // Other immigration statuses (UASC are recorded with the period of care).
    if (!uasc && r.chance(0.01)) {
      const code = r.weighted(W.immigration);
      t.ssd_immigration_status.push({
        immi_immigration_status_id: b.id(),
        immi_person_id: b.personId,
        immi_immigration_status_start_date: Math.max(dob!, asOf - r.int(100, 2000)),
        immi_immigration_status_end_date: null,
        immi_immigration_status: code,
      });
    }
  }

  // Dates become text.
  for (const table of FAKE_TABLES) for (const row of t[table]) formatDates(table, row);
  const facts = b.facts;
  facts.openReferral = t.ssd_cin_episodes.some((e) => e.cine_close_date === null);
  const problems = injectProblems(k, b, ctx);
  return { tables: t, problems, facts };
}

function lookedAfterEpisode(b: ChildBuilder, start: number, dob: number, uasc: boolean): void {
  const r = b.r;
  const ref = b.referral(start, {
    force: true,
    sources: uasc
      ? [
          ['5C', 30],
          ['6', 40],
          ['8', 30],
        ]
      : undefined,
  });
  const careStart = Math.min(b.asOf, (ref.assessed ?? start) + (uasc ? r.int(0, 3) : r.int(0, 90)));
  const ageAtStart = Math.floor((careStart - dob) / 365.25);
  const care = b.periodOfCare(ref.id, careStart, { uasc, adoptable: !uasc, ageAtStart });
  if (uasc) {
    b.t.ssd_immigration_status.push({
      immi_immigration_status_id: b.id(),
      immi_person_id: b.personId,
      immi_immigration_status_start_date: careStart,
      immi_immigration_status_end_date: null,
      immi_immigration_status: 'U',
    });
  }
  b.sdqs(dob, careStart, care.end);
  // The referral stays open while in care, then closes with a reason that matches how care ended.
  const row = b.t.ssd_cin_episodes.find((e) => e.cine_referral_id === ref.id)!;
  if (care.end !== null) {
    const close = b.happened(care.end + r.int(0, 60));
    if (close !== null) {
      row.cine_close_date = close;
      const reason = care.reason ?? '';
      row.cine_close_reason = ['E11', 'E12'].includes(reason) ? 'RC1' : reason === 'E41' ? 'RC3' : ['E45', 'E46', 'E47', 'E48'].includes(reason) ? 'RC4' : 'RC7';
      // Involvements on the referral end with it (worker changes planned after the close never happen).
      b.t.ssd_involvements = b.t.ssd_involvements.filter((inv) => inv.invo_referral_id !== ref.id || (inv.invo_involvement_start_date as number) <= close);
      for (const inv of b.t.ssd_involvements) {
        const end = inv.invo_involvement_end_date as number | null;
        if (inv.invo_referral_id === ref.id && (end === null || end > close)) inv.invo_involvement_end_date = close;
      }
    }
  }
}

function careLeaverHistory(b: ChildBuilder, dob: number, age: number, uasc: boolean): void {
  const r = b.r;
  const asOf = b.asOf;
  const eighteen = addYears(dob, 18);
  // Left care at 18, or at 16-17 for the youngest.
  const leftCare = age >= 18 ? eighteen : Math.min(asOf - r.int(20, 200), addYears(dob, 16) + r.int(0, 300));
  const careStart = Math.min(leftCare - 200, uasc ? addYears(dob, r.int(15, 16)) + r.int(0, 300) : addYears(dob, r.int(6, 14)) + r.int(0, 364));
  const refStart = careStart - r.int(0, 60);
  const refId = b.id();
  // Most care leavers keep an open episode (the leaving care service); a few have closed.
  const closeDay = asOf - r.int(10, 300);
  const close = r.chance(0.1) && closeDay >= leftCare + 30 ? closeDay : null;
  b.t.ssd_cin_episodes.push(
    b.episodeRow(
      refId,
      refStart,
      r.weighted(
        uasc
          ? [
              ['5C', 30],
              ['6', 40],
              ['8', 30],
            ]
          : W.referralSource,
      ),
      'N',
      close === null ? null : age >= 21 ? 'RC6' : 'RC7',
      close,
    ),
  );
  const aStart = refStart + r.int(0, 5);
  const aid = b.id();
  b.t.ssd_cin_assessments.push({
    cina_assessment_id: aid,
    cina_person_id: b.personId,
    cina_referral_id: refId,
    cina_assessment_start_date: aStart,
    cina_assessment_child_seen: 'Y',
    cina_assessment_auth_date: aStart + r.int(5, 30),
    cina_assessment_outcome_nfa: 'N',
    cina_assessment_team: b.teamName(),
    cina_assessment_worker_id: b.worker('SW', 0),
  });
  b.t.ssd_assessment_factors.push({ cinf_table_id: b.id(), cinf_assessment_id: aid, cinf_assessment_factors_json: JSON.stringify(uasc ? ['9A'] : b.factorCodes(4)) });
  const care = b.periodOfCare(refId, careStart, {
    endBy: leftCare,
    endReasons: uasc
      ? [
          ['E5', 40],
          ['E6', 20],
          ['E8', 40],
        ]
      : W.leaverEnd,
    uasc,
    ageAtStart: Math.floor((careStart - dob) / 365.25),
  });
  b.sdqs(dob, careStart, care.end ?? leftCare);
  b.caseWorkers(refId, refStart + r.int(0, 3), leftCare);
  b.involvement('PA', b.worker('PA'), Math.max(addYears(dob, 16), leftCare - r.int(0, 90)), close, refId);
  if (uasc) {
    b.t.ssd_immigration_status.push({
      immi_immigration_status_id: b.id(),
      immi_person_id: b.personId,
      immi_immigration_status_start_date: careStart,
      immi_immigration_status_end_date: Math.min(eighteen, asOf),
      immi_immigration_status: 'U',
    });
    if (eighteen <= asOf)
      b.t.ssd_immigration_status.push({
        immi_immigration_status_id: b.id(),
        immi_person_id: b.personId,
        immi_immigration_status_start_date: eighteen,
        immi_immigration_status_end_date: null,
        immi_immigration_status: r.pick(['RS', 'LTR', 'LTR', 'ILR']),
      });
  }
  // Keeping-in-touch contacts: the latest within the last months, earlier ones before it.
  const n = r.weighted([
    [1, 40],
    [2, 35],
    [3, 25],
  ] as const);
  let contact = Math.max(leftCare + 7, asOf - r.int(0, 250));
  for (let i = 0; i < n && contact >= leftCare && contact <= asOf; i++) {
    const inTouch = r.weighted([
      ['YES', 85],
      ['NO', 8],
      ['NREQ', 4],
      ['REFU', 3],
    ] as const);
    b.t.ssd_care_leavers.push({
      clea_table_id: b.id(),
      clea_person_id: b.personId,
      clea_care_leaver_eligibility: age >= 18 ? 'Former relevant' : 'Relevant',
      clea_care_leaver_in_touch: inTouch,
      clea_care_leaver_latest_contact: contact,
      clea_care_leaver_accommodation: r.weighted(W.accommodation),
      clea_care_leaver_accom_suitable: r.chance(0.88) ? '1' : '2',
      clea_care_leaver_activity: r.weighted(W.activity),
      clea_pathway_plan_review_date: contact + r.int(30, 180),
      clea_care_leaver_worker_id: b.worker('PA'),
    });
    contact -= r.int(60, 200);
  }
}

// ---------------------------------------------------------------------------------------------
// Problems

const ETHNICITY_DESCRIPTIONS = new Map(ETHNICITIES.map((e) => [e.code, e.description] as const));
const IMMIGRATION_DESCRIPTIONS = new Map(IMMIGRATION_STATUSES.map((e) => [e.code, e.description] as const));

function injectProblems(k: number, b: ChildBuilder, ctx: CohortContext): ProblemKind[] {
  const s = ctx.shares;
  // One draw per kind, always made (so each decision is independent of the others and of the shares).
  const pr = new Rng(`${ctx.seed}|problems|${k}`);
  const roll = Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, pr.next()])) as Record<ProblemKind, number>;
  const pick = new Rng(`${ctx.seed}|problem-detail|${k}`);
  const t = b.t;
  const out: ProblemKind[] = [];
  const person = t.ssd_person[0]!;

  if (person.pers_upn !== null && roll.missingUpn < s.missingUpn) {
    person.pers_upn = null;
    out.push('missingUpn');
  }
  const current = t.ssd_address[0];
  if (current && roll.badPostcode < s.badPostcode) {
    current.addr_address_postcode = pick.pick(BAD_POSTCODES);
    out.push('badPostcode');
  }
  if (roll.endBeforeStart < s.endBeforeStart) {
    const candidates: [Rec, string, string][] = [];
    const add = (table: FakeTable, start: string, end: string) => {
      for (const row of t[table]) if (row[end] !== null && row[start] !== null) candidates.push([row, start, end]);
    };
    add('ssd_cin_episodes', 'cine_referral_date', 'cine_close_date');
    add('ssd_cin_plans', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date');
    add('ssd_cp_plans', 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date');
    add('ssd_s47_enquiry', 's47e_s47_start_date', 's47e_s47_end_date');
    add('ssd_cla_placement', 'clap_cla_placement_start_date', 'clap_cla_placement_end_date');
    add('ssd_involvements', 'invo_involvement_start_date', 'invo_involvement_end_date');
    if (candidates.length) {
      const [row, start, end] = pick.pick(candidates);
      row[end] = isoOf(dayOf(String(row[start])) - pick.int(1, 90));
      out.push('endBeforeStart');
    }
  }
  if (roll.orphanReferral < s.orphanReferral) {
    const candidates: [Rec, string][] = [];
    for (const row of t.ssd_cin_assessments) candidates.push([row, 'cina_referral_id']);
    for (const row of t.ssd_cin_plans) candidates.push([row, 'cinp_referral_id']);
    for (const row of t.ssd_s47_enquiry) candidates.push([row, 's47e_referral_id']);
    if (candidates.length) {
      const [row, col] = pick.pick(candidates);
      row[col] = `${b.personId}999`;
      out.push('orphanReferral');
    }
  }
  if (t.ssd_sdq_scores.length && roll.duplicateSdq < s.duplicateSdq) {
    const latest = t.ssd_sdq_scores[t.ssd_sdq_scores.length - 1]!;
    t.ssd_sdq_scores.push({ ...latest, csdq_table_id: `${b.personId}998` });
    out.push('duplicateSdq');
  }
  if (roll.codesAsDescriptions < s.codesAsDescriptions) {
    person.pers_ethnicity = ETHNICITY_DESCRIPTIONS.get(String(person.pers_ethnicity)) ?? person.pers_ethnicity;
    for (const row of t.ssd_immigration_status) row.immi_immigration_status = IMMIGRATION_DESCRIPTIONS.get(String(row.immi_immigration_status)) ?? row.immi_immigration_status;
    out.push('codesAsDescriptions');
  }
  if (t.ssd_assessment_factors.length) {
    const u = roll.factorsAsObject;
    const form = u < s.factorsAsObject ? 'object' : roll.factorsAsCommaList < s.factorsAsCommaList ? 'comma' : null;
    if (form) {
      for (const row of t.ssd_assessment_factors) {
        const codes = JSON.parse(String(row.cinf_assessment_factors_json)) as string[];
        row.cinf_assessment_factors_json = form === 'object' ? JSON.stringify(Object.fromEntries(codes.map((c) => [c, 'Yes']))) : codes.join(',');
      }
      out.push(form === 'object' ? 'factorsAsObject' : 'factorsAsCommaList');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dates to text

const DATE_COLUMNS: Record<FakeTable, readonly string[]> = Object.fromEntries(
  FAKE_TABLES.map((t) => [t, (FAKE_COLUMNS[t] as readonly string[]).filter((c) => /_date$|_dob$|_contact$/.test(c))]),
) as unknown as Record<FakeTable, readonly string[]>;

function formatDates(table: FakeTable, row: Rec): void {
  for (const c of DATE_COLUMNS[table]) {
    const v = row[c];
    if (typeof v === 'number') row[c] = isoOf(v);
  }
}

/** Date columns of a table (written as YYYY-MM-DD text). */
export function dateColumns(table: FakeTable): readonly string[] {
  return DATE_COLUMNS[table];
}
