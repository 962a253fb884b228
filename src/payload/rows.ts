// The rows the builder reads for one child, as plain objects keyed by SSD column name. The
// streaming reader (buildPayloads.ts) collects them from the 19 tables; unit tests write them by
// hand. Dates are the drivers' text ('YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS[.fff]'), other values
// text or numbers, NULL as null. Columns not listed are not used by the builder.
//
// Which rows belong to a child (the joins of the community T-SQL):
// - by the child's person id: person, address, disability, immigration status, linked
//   identifiers, CIN episodes, SDQ scores, care leavers, CIN plans (cinp_person_id), CLA episodes
//   (clae_person_id), permanence (perm_person_id);
// - through the child's CIN episodes (cine_referral_id): assessments (+ their factor rows), CIN
//   plans, S47 enquiries (+ the latest ICPC date), CP plans, CLA episodes, involvements (+ the
//   professional's registration number);
// - through the child's CLA episodes (clae_cla_id): placements, permanence (perm_cla_id).
// A row reached by two routes may appear twice; the builder de-duplicates by primary key.

import type { PAYLOAD_ROWS, RowOf } from './rowSpec';

export type Ts = string | null;
export type Text = string | null;

// The row types are derived from src/payload/rowSpec.ts (PAYLOAD_ROWS), the one list of the
// columns the builder reads: a column added there is a column here.
type FieldsOf<K extends keyof typeof PAYLOAD_ROWS> = (typeof PAYLOAD_ROWS)[K]['fields'];

export type PersonRow = RowOf<FieldsOf<'person'>>;
export type AddressRow = RowOf<FieldsOf<'addresses'>>;
export type DisabilityRow = RowOf<FieldsOf<'disabilities'>>;
export type ImmigrationRow = RowOf<FieldsOf<'immigration'>>;
export type LinkedIdRow = RowOf<FieldsOf<'linkedIds'>>;
export type CinEpisodeRow = RowOf<FieldsOf<'cinEpisodes'>>;
export type AssessmentRow = RowOf<FieldsOf<'assessments'>>;
export type FactorRow = RowOf<FieldsOf<'factors'>>;
export type CinPlanRow = RowOf<FieldsOf<'cinPlans'>>;
/** latest_icpc_date: the latest ssd_initial_cp_conference.icpc_icpc_date of the enquiry (not window-limited). */
export type S47Row = RowOf<FieldsOf<'s47'>>;
export type CpPlanRow = RowOf<FieldsOf<'cpPlans'>>;
/** linked_referral_date / linked_close_date: dates of the CIN episode clae_referral_id names, whoever's it is (gate B, HasLAC part A). */
export type ClaEpisodeRow = RowOf<FieldsOf<'claEpisodes'>>;
export type PlacementRow = RowOf<FieldsOf<'placements'>>;
export type PermanenceRow = RowOf<FieldsOf<'permanence'>>;
export type CareLeaverRow = RowOf<FieldsOf<'careLeavers'>>;
/** prof_social_worker_registration_no: of invo_professional_id in ssd_professionals (inner join). */
export type InvolvementRow = RowOf<FieldsOf<'involvements'>>;
export type SdqRow = RowOf<FieldsOf<'sdq'>>;

export interface ChildRows {
  person: PersonRow;
  addresses: AddressRow[];
  disabilities: DisabilityRow[];
  immigration: ImmigrationRow[];
  linkedIds: LinkedIdRow[];
  cinEpisodes: CinEpisodeRow[];
  assessments: AssessmentRow[];
  factors: FactorRow[];
  cinPlans: CinPlanRow[];
  s47: S47Row[];
  cpPlans: CpPlanRow[];
  claEpisodes: ClaEpisodeRow[];
  placements: PlacementRow[];
  permanence: PermanenceRow[];
  careLeavers: CareLeaverRow[];
  involvements: InvolvementRow[];
  sdq: SdqRow[];
}

export function emptyChildRows(person: PersonRow): ChildRows {
  return {
    person,
    addresses: [],
    disabilities: [],
    immigration: [],
    linkedIds: [],
    cinEpisodes: [],
    assessments: [],
    factors: [],
    cinPlans: [],
    s47: [],
    cpPlans: [],
    claEpisodes: [],
    placements: [],
    permanence: [],
    careLeavers: [],
    involvements: [],
    sdq: [],
  };
}
