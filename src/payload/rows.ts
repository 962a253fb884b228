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

export type Ts = string | null;
export type Text = string | null;

export interface PersonRow {
  pers_person_id: string;
  pers_legacy_id?: Text;
  pers_upn?: Text;
  pers_forename?: Text;
  pers_surname?: Text;
  pers_sex?: Text;
  pers_ethnicity?: Text;
  pers_dob?: Ts;
  pers_upn_unknown?: Text;
  pers_expected_dob?: Ts;
}

export interface AddressRow { addr_table_id: string; addr_address_start_date?: Ts; addr_address_postcode?: Text }
export interface DisabilityRow { disa_table_id: string; disa_disability_code?: Text }
export interface ImmigrationRow {
  immi_immigration_status_id: string;
  immi_immigration_status?: Text;
  immi_immigration_status_start_date?: Ts;
  immi_immigration_status_end_date?: Ts;
}
export interface LinkedIdRow { link_table_id: string; link_identifier_type?: Text; link_identifier_value?: Text; link_valid_from_date?: Ts }
export interface CinEpisodeRow {
  cine_referral_id: string;
  cine_person_id?: Text;
  cine_referral_date?: Ts;
  cine_referral_source_code?: Text;
  cine_referral_nfa?: Text;
  cine_close_reason?: Text;
  cine_close_date?: Ts;
}
export interface AssessmentRow {
  cina_assessment_id: string;
  cina_referral_id?: Text;
  cina_assessment_start_date?: Ts;
  cina_assessment_auth_date?: Ts;
}
export interface FactorRow { cinf_table_id: string; cinf_assessment_id: string; cinf_assessment_factors_json?: Text }
export interface CinPlanRow {
  cinp_cin_plan_id: string;
  cinp_referral_id?: Text;
  cinp_person_id?: Text;
  cinp_cin_plan_start_date?: Ts;
  cinp_cin_plan_end_date?: Ts;
}
export interface S47Row {
  s47e_s47_enquiry_id: string;
  s47e_referral_id?: Text;
  s47e_s47_start_date?: Ts;
  s47e_s47_end_date?: Ts;
  s47e_s47_outcome_json?: Text;
  /** Latest ssd_initial_cp_conference.icpc_icpc_date for this enquiry (not window-limited). */
  latest_icpc_date?: Ts;
}
export interface CpPlanRow {
  cppl_cp_plan_id: string;
  cppl_referral_id?: Text;
  cppl_cp_plan_start_date?: Ts;
  cppl_cp_plan_end_date?: Ts;
}
export interface ClaEpisodeRow {
  clae_cla_episode_id: string;
  clae_person_id?: Text;
  clae_cla_id?: Text;
  clae_referral_id?: Text;
  clae_cla_episode_start_reason?: Text;
  clae_cla_episode_ceased_reason?: Text;
  /** Referral and close dates of the CIN episode clae_referral_id names, whoever's it is (gate B, HasLAC part A). */
  linked_referral_date?: Ts;
  linked_close_date?: Ts;
}
export interface PlacementRow {
  clap_cla_placement_id: string;
  clap_cla_id?: Text;
  clap_cla_placement_start_date?: Ts;
  clap_cla_placement_end_date?: Ts;
  clap_cla_placement_type?: Text;
  clap_cla_placement_postcode?: Text;
  clap_cla_placement_change_reason?: Text;
}
export interface PermanenceRow {
  perm_table_id: string;
  perm_person_id?: Text;
  perm_cla_id?: Text;
  perm_adm_decision_date?: Ts;
  perm_matched_date?: Ts;
  perm_placed_for_adoption_date?: Ts;
}
export interface CareLeaverRow {
  clea_table_id: string;
  clea_care_leaver_latest_contact?: Ts;
  clea_care_leaver_activity?: Text;
  clea_care_leaver_accommodation?: Text;
}
export interface InvolvementRow {
  invo_involvements_id: string;
  invo_referral_id?: Text;
  invo_professional_role_id?: Text;
  invo_involvement_start_date?: Ts;
  invo_involvement_end_date?: Ts;
  /** ssd_professionals.prof_social_worker_registration_no of invo_professional_id (inner join). */
  prof_social_worker_registration_no?: Text;
}
export interface SdqRow { csdq_table_id: string; csdq_sdq_completed_date?: Ts; csdq_sdq_score?: number | string | null }

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
    person, addresses: [], disabilities: [], immigration: [], linkedIds: [], cinEpisodes: [], assessments: [], factors: [],
    cinPlans: [], s47: [], cpPlans: [], claEpisodes: [], placements: [], permanence: [], careLeavers: [], involvements: [], sdq: [],
  };
}
