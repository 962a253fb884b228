// What `ssd scramble` does with every column of every SSD table. One source of truth: the CLI,
// the verification scan, the tests and docs/scramble.md (the free-text list) all read this module.
// A column of the source that is not here (not in the SSD model) is blanked and named in the output.
import { SSD_TABLES, getTable, type SsdColumnDef, type SsdTableDef } from '../model/ssdModel';

export type ColumnRole =
  /** Keyed format-preserving pseudonym (ids, worker ids, team names, registration numbers, URNs). */
  | 'id'
  /** Social worker registration number: an "SW" prefix kept, the rest pseudonymised. */
  | 'registration'
  /** UPN or former UPN: valid stays valid, invalid stays invalid. */
  | 'upn'
  /** ssd_linked_identifiers.link_identifier_value: a UPN when the type says so, else an id. */
  | 'linkValue'
  | 'forename'
  | 'surname'
  /** A worker's "First Last". */
  | 'fullName'
  | 'postcode'
  /** A date or timestamp column: moved by the child's keyed offset. */
  | 'date'
  /** A date kept as text (e.g. NVARCHAR(10)): moved when it reads as a date, else blanked. */
  | 'textDate'
  /** Codes, flags, counts, JSON of codes: copied as they are. */
  | 'keep'
  /** Free text: blanked (NULL). */
  | 'blank';

/** Free-text columns blanked in the copy (descriptions, notes, reasons written as text, addresses). */
export const FREE_TEXT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ssd_address: ['addr_address_json'],
  ssd_cin_episodes: ['cine_referral_source_desc'],
  ssd_contacts: ['cont_contact_source_desc'],
  ssd_early_help_episodes: ['earl_episode_reason', 'earl_episode_end_reason', 'earl_episode_organisation'],
  ssd_cla_convictions: ['clac_cla_conviction_offence'],
  ssd_involvements: ['invo_worker_change_reason'],
  ssd_pre_cla_care_plan: ['answer'],
  ssd_permanence: ['perm_decision_reversed_reason'],
  ssd_pre_proceedings: ['prep_proc_short_notice_reason'],
};

/** Columns holding names of teams, departments or placements: pseudonymised like ids. */
const NAME_LIKE_IDS = new Set([
  'prof_professional_department',
  'dept_team_name',
  'dept_team_parent_name',
  'clap_cla_placement_urn',
  'perm_placement_provider_urn',
  'prep_court_reference',
  'send_uln',
  'legacy_id',
  'clea_care_leaver_personal_advisor',
]);

const EXPLICIT: Readonly<Record<string, ColumnRole>> = {
  pers_upn: 'upn',
  prof_social_worker_registration_no: 'registration',
  send_upn: 'upn',
  link_identifier_value: 'linkValue',
  pers_forename: 'forename',
  pers_surname: 'surname',
  prof_professional_name: 'fullName',
  addr_address_postcode: 'postcode',
  clap_cla_placement_postcode: 'postcode',
  lapp_previous_permanence_order_date: 'textDate',
  invo_professional_role_id: 'keep',
};

/** The role of a model column. */
export function roleOf(table: SsdTableDef, col: SsdColumnDef): ColumnRole {
  const name = col.name.toLowerCase();
  if (table.name === 'ssd_dim_date') return 'keep';
  if ((FREE_TEXT_COLUMNS[table.name] ?? []).includes(name)) return 'blank';
  const explicit = EXPLICIT[name];
  if (explicit) return explicit;
  if (col.sqlServerType === 'DATETIME' || col.sqlServerType === 'DATE') return 'date';
  if (NAME_LIKE_IDS.has(name)) return 'id';
  if (name.endsWith('_id') || name === 'fact_form_id' || name === 'dim_person_id') return 'id';
  if (name.endsWith('_team')) return 'id';
  return 'keep';
}

/** Roles whose values the scramble generates (the verification scan can explain a coincidence there). */
export const GENERATED_ROLES: ReadonlySet<ColumnRole> = new Set(['id', 'registration', 'upn', 'linkValue', 'forename', 'surname', 'fullName', 'postcode']);

/**
 * The column holding the child (person) a row belongs to, whose keyed offset moves the row's
 * dates. null: the row has no person; its dates move by an offset keyed on its own first key.
 */
export const CHILD_COLUMN: Readonly<Record<string, string | null>> = Object.fromEntries(
  SSD_TABLES.map((t) => {
    const special: Record<string, string> = {
      ssd_mother: 'moth_childs_person_id',
      ssd_cohort: 'dim_person_id',
      ssd_pre_cla_care_plan: 'dim_person_id',
      ssd_cla_reviews: 'clar_cla_person_id',
    };
    if (special[t.name]) return [t.name, special[t.name]!];
    const c = t.columns.find((x) => /_person_id$/.test(x.name) && x.name !== 'moth_person_id');
    return [t.name, c ? c.name : null];
  }),
);

/**
 * Where the child of a row can be looked up when its own person column is NULL (placements often
 * carry no person id): [parent table, parent person column, parent join column, own join column].
 */
export const CHILD_LOOKUP: Readonly<Record<string, readonly [string, string, string, string]>> = {
  ssd_cla_placement: ['ssd_cla_episodes', 'clae_person_id', 'clae_cla_id', 'clap_cla_id'],
  ssd_assessment_factors: ['ssd_cin_assessments', 'cina_person_id', 'cina_assessment_id', 'cinf_assessment_id'],
};

/** Columns of a table whose value is the sex of the person named in the row (for fake forenames). */
export const SEX_COLUMN: Readonly<Record<string, string>> = { ssd_person: 'pers_sex' };
/** The column whose (original) value keys the fake names of the row. */
export const NAME_KEY_COLUMN: Readonly<Record<string, string>> = { ssd_person: 'pers_person_id', ssd_professionals: 'prof_professional_id' };

/** Every model column with its role, per table (for docs and tests). */
export function rolesOf(tableName: string): Map<string, ColumnRole> {
  const t = getTable(tableName);
  return new Map(t.columns.map((c) => [c.name.toLowerCase(), roleOf(t, c)] as const));
}

/** link_identifier_type values that mean the value is a UPN. */
export function linkTypeIsUpn(type: unknown): boolean {
  return typeof type === 'string' && /pupil|upn/i.test(type);
}
