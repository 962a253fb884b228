// Seed every data problem into one small hand-made SSD and check each rule finds exactly its rows:
// the right count and the right example ids, and that no other rule fires.
import assert from 'node:assert/strict';
import { initTables } from '../../../src/ddl/initTables';
import { runChecks } from '../../../src/check/runChecks';
import type { CheckReport } from '../../../src/check/types';
import { forEachTarget } from '../../helpers/targets';
import { insertSsdRows, type SsdRow } from '../../helpers/ssdRows';
import { dropPrimaryKey, makeText } from './tableTools';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import { ASSESSMENT_FACTOR_CODES } from '../../../src/check/codes';

const AS_OF = '2026-11-25';
const long = (prefix: string, n: number) => prefix + 'x'.repeat(n - prefix.length);
const UPN_OK = 'B801200005001';
const UPN_BAD_LETTER = 'A801200005001';

// Defaults make every row clean; each problem row overrides what it is about.
const person = (id: string | null, o: SsdRow = {}): SsdRow => ({ pers_person_id: id, pers_upn_unknown: 'UN1', pers_sex: 'F', pers_ethnicity: 'WBRI', pers_dob: '2015-01-01', ...o });
const episode = (id: string, o: SsdRow = {}): SsdRow => ({
  cine_referral_id: id,
  cine_person_id: 'GOOD1',
  cine_referral_date: '2025-01-01',
  cine_referral_source_code: '2A',
  cine_referral_nfa: 'N',
  ...o,
});
const assessment = (id: string, o: SsdRow = {}): SsdRow => ({
  cina_assessment_id: id,
  cina_referral_id: 'RGOOD',
  cina_assessment_start_date: '2025-02-01',
  cina_assessment_auth_date: '2025-02-20',
  ...o,
});
const cinPlan = (id: string, o: SsdRow = {}): SsdRow => ({ cinp_cin_plan_id: id, cinp_referral_id: 'RGOOD', cinp_person_id: 'GOOD1', cinp_cin_plan_start_date: '2025-01-01', ...o });
const s47 = (id: string, o: SsdRow = {}): SsdRow => ({
  s47e_s47_enquiry_id: id,
  s47e_referral_id: 'RGOOD',
  s47e_s47_start_date: '2025-03-01',
  s47e_s47_end_date: '2025-03-20',
  s47e_s47_outcome_json: '{"CP_CONFERENCE_FLAG": "Y"}',
  ...o,
});
const icpc = (id: string, o: SsdRow = {}): SsdRow => ({ icpc_icpc_id: id, icpc_s47_enquiry_id: 'SGOOD', icpc_icpc_date: '2025-03-25', ...o });
const cpPlan = (id: string, o: SsdRow = {}): SsdRow => ({ cppl_cp_plan_id: id, cppl_referral_id: 'RGOOD', cppl_person_id: 'GOOD1', cppl_cp_plan_start_date: '2025-04-01', ...o });
const claEp = (id: string, o: SsdRow = {}): SsdRow => ({
  clae_cla_episode_id: id,
  clae_person_id: 'GOOD1',
  clae_referral_id: 'RGOOD',
  clae_cla_id: 'CLA1',
  clae_cla_episode_start_date: '2025-05-01',
  clae_cla_episode_start_reason: 'S',
  ...o,
});
const placement = (id: string, o: SsdRow = {}): SsdRow => ({
  clap_cla_placement_id: id,
  clap_cla_id: 'CLA1',
  clap_cla_placement_start_date: '2025-05-01',
  clap_cla_placement_type: 'U1',
  clap_cla_placement_postcode: 'M1 1AE',
  clap_cla_placement_change_reason: 'CARPL',
  ...o,
});
const perm = (id: string, o: SsdRow = {}): SsdRow => ({
  perm_table_id: id,
  perm_person_id: 'GOOD1',
  perm_adm_decision_date: '2025-01-01',
  perm_matched_date: '2025-02-01',
  perm_placed_for_adoption_date: '2025-03-01',
  ...o,
});
const leaver = (id: string, o: SsdRow = {}): SsdRow => ({
  clea_table_id: id,
  clea_person_id: 'GOOD1',
  clea_care_leaver_latest_contact: '2025-06-01',
  clea_care_leaver_activity: 'F1',
  clea_care_leaver_accommodation: 'B',
  ...o,
});
const sdq = (id: string, o: SsdRow = {}): SsdRow => ({ csdq_table_id: id, csdq_person_id: 'GOOD1', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: 12, ...o });
const prof = (id: string, o: SsdRow = {}): SsdRow => ({ prof_professional_id: id, prof_social_worker_registration_no: 'SW12345', ...o });
const invo = (id: string, o: SsdRow = {}): SsdRow => ({
  invo_involvements_id: id,
  invo_professional_id: 'PRGOOD',
  invo_professional_role_id: 'CW',
  invo_referral_id: 'RGOOD',
  invo_involvement_start_date: '2025-01-01',
  ...o,
});

/** ruleId → [count, example ids (all of them when count ≤ 5)]. */
const EXPECTED: Record<string, [number, string[]]> = {
  'SSD-PERS-001': [1, ['P 2']],
  'SSD-PERS-002': [1, ['P000000000000000000003']],
  'SSD-PERS-003': [1, ['P4']],
  'SSD-PERS-004': [1, ['P5']],
  'SSD-PERS-005': [1, ['P6']],
  'SSD-PERS-006': [1, ['P7']],
  'SSD-PERS-007': [1, ['P8']],
  'SSD-PERS-008': [1, ['P9']],
  'SSD-PERS-009': [1, ['P10']],
  'SSD-PERS-010': [1, ['P11']],
  'SSD-PERS-011': [1, ['P12']],
  'SSD-PERS-012': [1, ['P13']],
  'SSD-PERS-013': [1, ['P14']],
  'SSD-PERS-014': [1, ['P15']],
  'SSD-PERS-015': [1, ['P16']],
  'SSD-PERS-016': [1, ['P17']],
  'SSD-PERS-017': [1, ['P18']],
  'SSD-PERS-018': [1, ['P19']],
  'SSD-PERS-019': [1, ['P20']],
  'SSD-PERS-020': [2, []], // NULL ids: counted, no id to quote
  'SSD-ADDR-001': [1, ['A6']],
  'SSD-ADDR-002': [1, ['A2']],
  'SSD-ADDR-003': [1, ['A3']],
  'SSD-ADDR-004': [2, ['A3', 'A4']],
  'SSD-ADDR-005': [1, ['A5']],
  'SSD-DISA-001': [1, ['D5']],
  'SSD-DISA-002': [1, ['D3']],
  'SSD-DISA-003': [1, ['D4']],
  'SSD-DISA-004': [1, ['P14']],
  'SSD-DISA-005': [2, ['P14', 'P15']],
  'SSD-IMMI-001': [1, ['I7']],
  'SSD-IMMI-002': [1, ['I4']],
  'SSD-IMMI-003': [2, ['I2', 'I3']],
  'SSD-IMMI-004': [1, ['I5']],
  'SSD-IMMI-005': [1, ['I6']],
  'SSD-LINK-001': [1, ['K6']],
  'SSD-LINK-002': [1, ['K4']],
  'SSD-LINK-003': [1, ['K2']],
  'SSD-LINK-004': [1, ['K3']],
  'SSD-LINK-005': [1, ['K5']],
  'SSD-CINE-001': [1, ['R 2']],
  'SSD-CINE-002': [1, [long('R3', 37)]],
  'SSD-CINE-003': [1, ['R4']],
  'SSD-CINE-004': [1, ['R5']],
  'SSD-CINE-005': [1, ['R6']],
  'SSD-CINE-006': [1, ['R7']],
  'SSD-CINE-007': [1, ['R8']],
  'SSD-CINE-008': [1, ['R9']],
  'SSD-CINE-009': [2, ['R10', 'R12']],
  'SSD-CINE-010': [1, ['R11']],
  'SSD-CINE-011': [1, ['R12']],
  'SSD-CINE-012': [1, ['R13']],
  'SSD-CINE-013': [1, ['R14']],
  'SSD-CINE-014': [1, ['R15']],
  'SSD-CINE-015': [1, ['R16']],
  'SSD-CINA-001': [1, ['A 2']],
  'SSD-CINA-002': [1, [long('A3', 37)]],
  'SSD-CINA-003': [1, ['A4']],
  'SSD-CINA-004': [2, ['A5', 'A6']],
  'SSD-CINA-005': [1, ['A7']],
  'SSD-CINA-006': [1, ['A8']],
  'SSD-CINA-007': [1, ['A9']],
  'SSD-CINA-008': [1, ['A10']],
  'SSD-CINF-001': [1, ['F8']],
  'SSD-CINF-002': [1, ['F7']],
  'SSD-CINF-003': [1, ['F2']],
  'SSD-CINF-004': [1, ['F5']],
  'SSD-CINF-005': [1, ['F6']],
  'SSD-CINF-006': [2, ['A8', 'A9']],
  'SSD-CINP-001': [1, ['CP 2']],
  'SSD-CINP-002': [1, [long('CP3', 37)]],
  'SSD-CINP-003': [1, ['CP4']],
  'SSD-CINP-004': [2, ['CP5', 'CPCH1']],
  'SSD-CINP-005': [1, ['CP6']],
  'SSD-CINP-006': [1, ['CP7']],
  'SSD-CINP-007': [1, ['CP8']],
  'SSD-CINP-008': [1, ['CP9']],
  'SSD-S47E-001': [1, ['S 2']],
  'SSD-S47E-002': [1, [long('S3', 37)]],
  'SSD-S47E-003': [1, ['S4']],
  'SSD-S47E-004': [1, ['S5']],
  'SSD-S47E-005': [1, ['S6']],
  'SSD-S47E-006': [1, ['S7']],
  'SSD-S47E-007': [1, ['S8']],
  'SSD-S47E-008': [1, ['S9']],
  'SSD-S47E-009': [2, ['S10', 'S11']],
  'SSD-ICPC-001': [1, ['I5']],
  'SSD-ICPC-002': [1, ['I2']],
  'SSD-ICPC-003': [1, ['I3']],
  'SSD-ICPC-004': [1, ['I4']],
  'SSD-CPPL-001': [1, ['PL 2']],
  'SSD-CPPL-002': [1, [long('PL3', 37)]],
  'SSD-CPPL-003': [1, ['PL4']],
  'SSD-CPPL-004': [1, ['PL5']],
  'SSD-CPPL-005': [1, ['PL6']],
  'SSD-CPPL-006': [1, ['PL7']],
  'SSD-CPPL-007': [1, ['PL8']],
  'SSD-CPPL-008': [1, ['PL9']],
  'SSD-CPPL-009': [1, ['PL10']],
  'SSD-CLAE-001': [1, ['E2']],
  'SSD-CLAE-002': [1, ['E3']],
  'SSD-CLAE-003': [2, ['E4', 'ECH2']],
  'SSD-CLAE-004': [1, ['E5']],
  'SSD-CLAE-005': [1, ['E6']],
  'SSD-CLAE-006': [1, ['E7']],
  'SSD-CLAE-007': [1, ['E8']],
  'SSD-CLAE-008': [1, ['E9']],
  'SSD-CLAE-009': [1, ['E10']],
  'SSD-CLAP-001': [1, ['PLC 2']],
  'SSD-CLAP-002': [1, [long('PLC3', 37)]],
  'SSD-CLAP-003': [1, ['PLC4']],
  'SSD-CLAP-004': [1, ['PLC5']],
  'SSD-CLAP-005': [1, ['PLC6']],
  'SSD-CLAP-006': [1, ['PLC7']],
  'SSD-CLAP-007': [1, ['PLC8']],
  'SSD-CLAP-008': [2, ['PLC8', 'PLC9']],
  'SSD-CLAP-009': [1, ['PLC10']],
  'SSD-CLAP-010': [1, ['PLC11']],
  'SSD-CLAP-011': [1, ['PLC12']],
  'SSD-CLAP-012': [1, ['PLC13']],
  'SSD-CLAP-013': [1, ['PLC14']],
  'SSD-CLAP-014': [1, ['PLC15']],
  'SSD-PERM-001': [1, ['PM2']],
  'SSD-PERM-002': [1, ['PM3']],
  'SSD-PERM-003': [1, ['PM4']],
  'SSD-PERM-004': [1, ['PM5']],
  'SSD-PERM-005': [1, ['PM6']],
  'SSD-PERM-006': [1, ['PM7']],
  'SSD-PERM-007': [1, ['PM8']],
  'SSD-PERM-008': [1, ['PM9']],
  'SSD-PERM-009': [1, ['PM10']],
  'SSD-CLEA-001': [1, ['CL2']],
  'SSD-CLEA-002': [1, ['CL3']],
  'SSD-CLEA-003': [1, ['CL4']],
  'SSD-CLEA-004': [1, ['CL5']],
  'SSD-CLEA-005': [1, ['CL6']],
  'SSD-CLEA-006': [1, ['CL7']],
  'SSD-CLEA-007': [1, ['CL8']],
  'SSD-CLEA-008': [1, ['CL9']],
  'SSD-SDQ-001': [1, ['SQ2']],
  'SSD-SDQ-002': [1, ['SQ3']],
  'SSD-SDQ-003': [2, ['SQ4', 'SQ5']],
  'SSD-SDQ-004': [1, ['SQ6']],
  'SSD-SDQ-005': [1, ['SQ7']],
  'SSD-SDQ-006': [1, ['SQ8']],
  'SSD-SDQ-007': [1, ['GOOD1']],
  'SSD-PROF-001': [1, ['PR2']],
  'SSD-PROF-002': [1, ['PR3']],
  'SSD-PROF-003': [1, ['PR4']],
  'SSD-PROF-004': [1, ['PR5']],
  'SSD-INVO-001': [1, ['IV11']],
  'SSD-INVO-002': [1, ['IV5']],
  'SSD-INVO-003': [1, ['IV6']],
  'SSD-INVO-004': [1, ['IV7']],
  'SSD-INVO-005': [1, ['IV8']],
  'SSD-INVO-006': [1, ['IV9']],
  'SSD-INVO-007': [1, ['IV10']],
  'SSD-COHO-001': [3, ['CH1', 'CH2', 'CH3']],
};

const ALL_CODES = ['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'];

function seed(): Record<string, SsdRow[]> {
  return {
    ssd_person: [
      person('GOOD1', { pers_legacy_id: 'L1', pers_upn: UPN_OK, pers_upn_unknown: null, pers_sex: 'M', pers_dob: '2015-05-01' }),
      person('P 2'),
      person('P000000000000000000003'),
      person('P4', { pers_legacy_id: 'L 4' }),
      person('P5', { pers_legacy_id: long('a', 37) }),
      person('P6'),
      person('P6'),
      person(null),
      person(null),
      person('P7', { pers_upn: 'b80120000500', pers_upn_unknown: null }),
      person('P8', { pers_upn: UPN_BAD_LETTER, pers_upn_unknown: null }),
      person('P9', { pers_upn: 'UN3', pers_upn_unknown: null }),
      person('P10', { pers_upn_unknown: 'UNK' }),
      person('P11', { pers_upn: UPN_OK }),
      person('P12', { pers_upn_unknown: null }),
      person('P13', { pers_sex: 'Male' }),
      person('P14', { pers_ethnicity: 'White British' }),
      person('P15', { pers_dob: '2027-01-01' }),
      person('P16', { pers_dob: '1850-01-01' }),
      person('P17', { pers_dob: null }),
      person('P18', { pers_dob: null, pers_expected_dob: '2029-01-01' }),
      person('P19', { pers_forename: long('F', 130) }),
      person('P20', { pers_surname: long('S', 130) }),
      person('CH1'),
      person('CH2'),
      person('CH3'),
    ],
    ssd_address: [
      { addr_table_id: 'A1', addr_person_id: 'GOOD1', addr_address_postcode: 'SW1A 1AA', addr_address_start_date: '2020-01-01' },
      { addr_table_id: 'A2', addr_person_id: 'NOBODY', addr_address_postcode: 'B33 8TH' },
      { addr_table_id: 'A3', addr_person_id: 'GOOD1', addr_address_postcode: 'ABCDEFGHIJ' },
      { addr_table_id: 'A4', addr_person_id: 'GOOD1', addr_address_postcode: 'NFA' },
      { addr_table_id: 'A5', addr_person_id: 'GOOD1', addr_address_start_date: '1800-01-01' },
      { addr_table_id: 'A6', addr_person_id: 'GOOD1' },
      { addr_table_id: 'A6', addr_person_id: 'GOOD1' },
    ],
    ssd_disability: [
      { disa_table_id: 'D1', disa_person_id: 'GOOD1', disa_disability_code: 'MOB' },
      { disa_table_id: 'D2', disa_person_id: 'GOOD1', disa_disability_code: 'hand ' },
      { disa_table_id: 'D3', disa_person_id: 'NOBODY', disa_disability_code: 'VIS' },
      { disa_table_id: 'D4', disa_person_id: 'P13', disa_disability_code: 'Mobility' },
      ...ALL_CODES.map((c, i) => ({ disa_table_id: `DP14_${i}`, disa_person_id: 'P14', disa_disability_code: c })),
      { disa_table_id: 'DP15a', disa_person_id: 'P15', disa_disability_code: 'NONE' },
      { disa_table_id: 'DP15b', disa_person_id: 'P15', disa_disability_code: 'MOB' },
      { disa_table_id: 'D5', disa_person_id: 'GOOD1', disa_disability_code: 'VIS' },
      { disa_table_id: 'D5', disa_person_id: 'GOOD1', disa_disability_code: 'VIS' },
    ],
    ssd_immigration_status: [
      { immi_immigration_status_id: 'I1', immi_person_id: 'GOOD1', immi_immigration_status: 'U', immi_immigration_status_start_date: '2024-01-01' },
      { immi_immigration_status_id: 'I2', immi_person_id: 'P11', immi_immigration_status: 'UASC' },
      { immi_immigration_status_id: 'I3', immi_person_id: 'P4', immi_immigration_status: 'Unaccompanied asylum seeking child' },
      { immi_immigration_status_id: 'I4', immi_person_id: 'NOBODY', immi_immigration_status: 'U' },
      { immi_immigration_status_id: 'I5', immi_person_id: 'GOOD1', immi_immigration_status_start_date: '2025-01-01', immi_immigration_status_end_date: '2024-01-01' },
      { immi_immigration_status_id: 'I6', immi_person_id: 'GOOD1', immi_immigration_status_start_date: '2030-01-01' },
      { immi_immigration_status_id: 'I7', immi_person_id: 'GOOD1' },
      { immi_immigration_status_id: 'I7', immi_person_id: 'GOOD1' },
    ],
    ssd_linked_identifiers: [
      { link_table_id: 'K1', link_person_id: 'GOOD1', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: UPN_OK, link_valid_from_date: '2020-01-01' },
      { link_table_id: 'K2', link_person_id: 'P11', link_identifier_type: 'former unique pupil number ', link_identifier_value: '12345', link_valid_from_date: '2020-01-01' },
      { link_table_id: 'K3', link_person_id: 'P4', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: UPN_BAD_LETTER, link_valid_from_date: '2020-01-01' },
      { link_table_id: 'K4', link_person_id: 'NOBODY', link_identifier_type: 'Other', link_identifier_value: 'x' },
      { link_table_id: 'K5', link_person_id: 'P5', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: UPN_OK },
      { link_table_id: 'K6', link_person_id: 'GOOD1', link_identifier_type: 'Other' },
      { link_table_id: 'K6', link_person_id: 'GOOD1', link_identifier_type: 'Other' },
    ],
    ssd_cin_episodes: [
      episode('RGOOD'),
      episode('R 2'),
      episode(long('R3', 37)),
      episode('R4'),
      episode('R4'),
      episode('R5', { cine_person_id: 'NOBODY' }),
      episode('R6', { cine_person_id: 'CH3', cine_referral_date: null }),
      episode('R7', { cine_referral_date: '1850-01-01' }),
      episode('R8', { cine_close_date: '2024-12-01', cine_close_reason: 'RC1' }),
      episode('R9', { cine_close_date: '2030-01-01', cine_close_reason: 'RC1' }),
      episode('R10', { cine_referral_source_code: '2A - Schools' }),
      episode('R11', { cine_referral_source_code: '2C' }),
      episode('R12', { cine_referral_source_code: 'Police' }),
      episode('R13', { cine_close_date: '2025-06-01', cine_close_reason: 'Case closed' }),
      episode('R14', { cine_close_date: '2025-06-01' }),
      episode('R15', { cine_close_reason: 'RC1' }),
      episode('R16', { cine_referral_nfa: 'X' }),
    ],
    ssd_cin_assessments: [
      assessment('AGOOD'),
      assessment('A 2'),
      assessment(long('A3', 37)),
      assessment('A4'),
      assessment('A4'),
      assessment('A5', { cina_referral_id: 'RNONE' }),
      assessment('A6', { cina_referral_id: null }),
      assessment('A7', { cina_assessment_start_date: null, cina_assessment_auth_date: null }),
      assessment('A8', { cina_assessment_auth_date: '2025-01-15' }),
      assessment('A9', { cina_assessment_start_date: '1850-01-01' }),
      assessment('A10', { cina_assessment_auth_date: '2030-01-01' }),
    ],
    ssd_assessment_factors: [
      { cinf_table_id: 'F1', cinf_assessment_id: 'AGOOD', cinf_assessment_factors_json: '["1A","2B"]' },
      { cinf_table_id: 'F2', cinf_assessment_id: 'A7', cinf_assessment_factors_json: '{bad' },
      { cinf_table_id: 'F3', cinf_assessment_id: 'A8', cinf_assessment_factors_json: '{"1A": true, "3C": true}' },
      { cinf_table_id: 'F4', cinf_assessment_id: 'A9', cinf_assessment_factors_json: '1A, 2B' },
      { cinf_table_id: 'F5', cinf_assessment_id: 'A10', cinf_assessment_factors_json: JSON.stringify(ASSESSMENT_FACTOR_CODES) }, // all 42 codes
      { cinf_table_id: 'F6', cinf_assessment_id: 'A8', cinf_assessment_factors_json: '["Alcohol misuse"]' },
      { cinf_table_id: 'F7', cinf_assessment_id: 'ANONE', cinf_assessment_factors_json: '[]' },
      { cinf_table_id: 'F8', cinf_assessment_id: 'A9', cinf_assessment_factors_json: null },
      { cinf_table_id: 'F8', cinf_assessment_id: 'A9', cinf_assessment_factors_json: null },
    ],
    ssd_cin_plans: [
      cinPlan('CPGOOD'),
      cinPlan('CP 2'),
      cinPlan(long('CP3', 37)),
      cinPlan('CP4'),
      cinPlan('CP4'),
      cinPlan('CP5', { cinp_referral_id: 'RNONE' }),
      cinPlan('CPCH1', { cinp_referral_id: null, cinp_person_id: 'CH1' }),
      cinPlan('CP6', { cinp_cin_plan_end_date: '2024-06-01' }),
      cinPlan('CP7', { cinp_cin_plan_start_date: null }),
      cinPlan('CP8', { cinp_cin_plan_start_date: '1850-01-01' }),
      cinPlan('CP9', { cinp_cin_plan_end_date: '2030-01-01' }),
    ],
    ssd_s47_enquiry: [
      s47('SGOOD'),
      s47('S 2'),
      s47(long('S3', 37)),
      s47('S4'),
      s47('S4'),
      s47('S5', { s47e_referral_id: 'RNONE' }),
      s47('S6', { s47e_s47_end_date: '2025-02-01' }),
      s47('S7', { s47e_s47_start_date: null }),
      s47('S8', { s47e_s47_start_date: '1850-01-01' }),
      s47('S9', { s47e_s47_end_date: '2030-01-01' }),
      s47('S10', { s47e_s47_outcome_json: 'not json' }),
      s47('S11', { s47e_s47_outcome_json: '{"CP_CONFERENCE_FLAG": "maybe"}' }),
    ],
    ssd_initial_cp_conference: [
      icpc('IGOOD'),
      icpc('I2', { icpc_s47_enquiry_id: 'SNONE' }),
      icpc('I3', { icpc_icpc_date: null }),
      icpc('I4', { icpc_icpc_date: '2030-01-01' }),
      icpc('I5'),
      icpc('I5'),
    ],
    ssd_cp_plans: [
      cpPlan('PGOOD'),
      cpPlan('PL 2'),
      cpPlan(long('PL3', 37)),
      cpPlan('PL4'),
      cpPlan('PL4'),
      cpPlan('PL5', { cppl_referral_id: 'RNONE' }),
      cpPlan('PL6', { cppl_person_id: 'NOBODY' }),
      cpPlan('PL7', { cppl_cp_plan_end_date: '2025-01-01' }),
      cpPlan('PL8', { cppl_cp_plan_start_date: null }),
      cpPlan('PL9', { cppl_cp_plan_start_date: '1850-01-01' }),
      cpPlan('PL10', { cppl_cp_plan_end_date: '2030-01-01' }),
    ],
    ssd_cla_episodes: [
      claEp('EGOOD', { clae_cla_episode_ceased_reason: 'E11' }),
      claEp('E2'),
      claEp('E2'),
      claEp('E3', { clae_person_id: 'NOBODY' }),
      claEp('E4', { clae_referral_id: 'RNONE' }),
      claEp('ECH2', { clae_person_id: 'CH2', clae_referral_id: 'RNONE', clae_cla_id: 'CLA2' }),
      claEp('E5', { clae_cla_id: null }),
      claEp('E6', { clae_cla_episode_start_reason: 'S - started' }),
      claEp('E7', { clae_cla_episode_start_reason: 'Z' }),
      claEp('E8', { clae_cla_episode_ceased_reason: 'E11 blah' }),
      claEp('E9', { clae_cla_episode_ceased_reason: 'E99' }),
      claEp('E10', { clae_cla_episode_start_date: '1850-01-01' }),
    ],
    ssd_cla_placement: [
      placement('PLGOOD'),
      placement('PLC 2'),
      placement(long('PLC3', 37)),
      placement('PLC4'),
      placement('PLC4'),
      placement('PLC5', { clap_cla_id: 'CLANONE' }),
      placement('PLC6', { clap_cla_placement_type: 'U1X' }),
      placement('PLC7', { clap_cla_placement_type: 'ZZ' }),
      placement('PLC8', { clap_cla_placement_postcode: 'M1 1AE XYZ' }),
      placement('PLC9', { clap_cla_placement_postcode: 'NOPC' }),
      placement('PLC10', { clap_cla_placement_change_reason: 'CARPLXX' }),
      placement('PLC11', { clap_cla_placement_change_reason: 'FOO' }),
      placement('PLC12', { clap_cla_placement_end_date: '2025-01-01' }),
      placement('PLC13', { clap_cla_placement_start_date: null }),
      placement('PLC14', { clap_cla_placement_start_date: '1850-01-01' }),
      placement('PLC15', { clap_cla_placement_end_date: '2030-01-01' }),
      placement('PCH2', { clap_cla_id: 'CLA2', clap_cla_placement_start_date: '2025-01-01' }),
    ],
    ssd_permanence: [
      perm('PMGOOD', { perm_cla_id: 'CLA1' }),
      perm('PM2'),
      perm('PM2'),
      perm('PM3', { perm_cla_id: 'CLANONE' }),
      perm('PM4', { perm_person_id: 'NOBODY' }),
      perm('PM5', { perm_adm_decision_date: null, perm_matched_date: null, perm_placed_for_adoption_date: null }),
      perm('PM6', { perm_adm_decision_date: '2025-03-01', perm_placed_for_adoption_date: null }),
      perm('PM7', { perm_placed_for_adoption_date: '2025-01-15' }),
      perm('PM8', { perm_adm_decision_date: '1850-01-01' }),
      perm('PM9', { perm_matched_date: '2030-01-01', perm_placed_for_adoption_date: null }),
      perm('PM10', { perm_placed_for_adoption_date: '2030-01-01' }),
    ],
    ssd_care_leavers: [
      leaver('CLGOOD'),
      leaver('CL2'),
      leaver('CL2'),
      leaver('CL3', { clea_person_id: 'NOBODY' }),
      leaver('CL4', { clea_care_leaver_activity: 'F1 - full time' }),
      leaver('CL5', { clea_care_leaver_activity: 'ZZ' }),
      leaver('CL6', { clea_care_leaver_accommodation: 'Bedsit' }),
      leaver('CL7', { clea_care_leaver_accommodation: 'Z' }),
      leaver('CL8', { clea_care_leaver_latest_contact: null }),
      leaver('CL9', { clea_care_leaver_latest_contact: '2030-01-01' }),
    ],
    ssd_sdq_scores: [
      sdq('SQGOOD'),
      sdq('SQ2'),
      sdq('SQ2'),
      sdq('SQ3', { csdq_person_id: 'NOBODY' }),
      sdq('SQ4', { csdq_sdq_score: 41 }),
      sdq('SQ5', { csdq_sdq_score: -1 }),
      sdq('SQ6', { csdq_sdq_score: null }),
      sdq('SQ7', { csdq_sdq_completed_date: null }),
      sdq('SQ8', { csdq_sdq_completed_date: '2030-01-01' }),
    ],
    ssd_professionals: [
      prof('PRGOOD'),
      prof('PR2'),
      prof('PR2'),
      prof('PR3', { prof_social_worker_registration_no: 'SW 123' }),
      prof('PR4', { prof_social_worker_registration_no: 'SW1234567890123' }),
      prof('PR5', { prof_social_worker_registration_no: null }),
      prof('PR6', { prof_social_worker_registration_no: 'not checked' }),
    ],
    ssd_involvements: [
      invo('IVGOOD'),
      invo('IV2', { invo_professional_id: 'PR3' }),
      invo('IV3', { invo_professional_id: 'PR4' }),
      invo('IV4', { invo_professional_id: 'PR5' }),
      invo('IV5', { invo_professional_id: 'PRNONE' }),
      invo('IV6', { invo_referral_id: 'RNONE' }),
      invo('IV7', { invo_involvement_end_date: '2024-01-01' }),
      invo('IV8', { invo_involvement_start_date: null }),
      invo('IV9', { invo_involvement_start_date: '1850-01-01' }),
      invo('IV10', { invo_professional_role_id: 'Case Worker' }),
      invo('IV11'),
      invo('IV11'),
    ],
  };
}

const DUPLICATED = [
  'ssd_person',
  'ssd_address',
  'ssd_disability',
  'ssd_immigration_status',
  'ssd_linked_identifiers',
  'ssd_cin_episodes',
  'ssd_cin_assessments',
  'ssd_assessment_factors',
  'ssd_cin_plans',
  'ssd_s47_enquiry',
  'ssd_initial_cp_conference',
  'ssd_cp_plans',
  'ssd_cla_episodes',
  'ssd_cla_placement',
  'ssd_permanence',
  'ssd_care_leavers',
  'ssd_sdq_scores',
  'ssd_professionals',
  'ssd_involvements',
];

forEachTarget('ssd check: every seeded data problem is found', (fx) => {
  let report: CheckReport;

  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema });
    for (const t of DUPLICATED) await dropPrimaryKey(db, schema, t);
    const pt = qualify(db.dialect, schema, 'ssd_person'),
      pc = quoteIdent(db.dialect, 'pers_person_id');
    await db.execute(db.dialect === 'mssql' ? `ALTER TABLE ${pt} ALTER COLUMN ${pc} NVARCHAR(48) NULL` : `ALTER TABLE ${pt} ALTER COLUMN ${pc} DROP NOT NULL`);
    await makeText(db, schema, 'ssd_cla_placement', 'clap_cla_placement_postcode', 20);
    await makeText(db, schema, 'ssd_person', 'pers_forename', 200);
    await insertSsdRows(db, schema, seed());
    report = await runChecks(db, { schema, asOf: AS_OF });
  });

  it('runs every rule (nothing skipped) and counts rows per table', () => {
    assert.equal(report.summary.rulesSkipped, 0);
    assert.equal(report.findings.filter((f) => f.skippedRule).length, 0);
    assert.equal(report.tables.find((t) => t.table === 'ssd_person')!.rows, seed().ssd_person!.length);
    assert.equal(report.window.start, '2024-04-01');
    assert.equal(report.window.end, '2026-11-26');
  });

  for (const [ruleId, [count, examples]] of Object.entries(EXPECTED)) {
    it(`${ruleId}: ${count} found with the right example ids`, () => {
      const f = report.findings.filter((x) => x.ruleId === ruleId);
      assert.equal(f.length, 1, `${ruleId} should give one finding, got ${f.length}`);
      assert.equal(f[0]!.count, count, `${ruleId} count`);
      assert.deepEqual([...f[0]!.examples].sort(), [...examples].sort(), `${ruleId} examples`);
    });
  }

  it('no rule fires that was not seeded', () => {
    const unexpected = report.findings.filter((f) => f.category !== 'schema' && !(f.ruleId in EXPECTED)).map((f) => `${f.ruleId} ${f.count} [${f.examples.join(',')}]`);
    assert.deepEqual(unexpected, []);
    const schemaOnes = report.findings.filter((f) => f.category === 'schema').map((f) => f.ruleId);
    assert.deepEqual([...new Set(schemaOnes)], ['SSD-SCHEMA-005'], 'only the absent staging tables are reported');
  });

  it('gives a not-fit verdict with errors and warnings counted', () => {
    assert.equal(report.verdict, 'not-fit');
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    assert.equal(report.summary.errors, errors);
    assert.ok(errors > 40);
    assert.match(report.verdictText, /^Not fit to build every payload: \d+ errors: at least \d+ child(ren)? affected/);
  });

  it('findings about children carry the person ids of their example rows, and row rules count the children', () => {
    const one = (id: string) => report.findings.find((x) => x.ruleId === id)!;
    // Row rule on ssd_address (A3: postcode too long, child GOOD1): the row id and the child.
    assert.deepEqual(one('SSD-ADDR-003').examples, ['A3']);
    assert.deepEqual(one('SSD-ADDR-003').personIds, ['GOOD1']);
    assert.equal(one('SSD-ADDR-003').children, 1);
    // Two rows of the same child: two rows, one child.
    assert.equal(one('SSD-ADDR-004').count, 2);
    assert.deepEqual(one('SSD-ADDR-004').personIds, ['GOOD1']);
    assert.equal(one('SSD-ADDR-004').children, undefined, 'a streamed (js) rule does not count children');
    // Orphan: the child id the row names (not in ssd_person, but the id the analyst looks for).
    assert.deepEqual(one('SSD-ADDR-002').personIds, ['NOBODY']);
    // ssd_person: the key is the child.
    assert.deepEqual(one('SSD-PERS-003').personIds, ['P4']);
    assert.equal(one('SSD-PERS-003').children, 1);
    // A table without a person id column carries none.
    for (const f of report.findings.filter((x) => x.table === 'ssd_professionals' || x.table === 'ssd_assessment_factors')) assert.equal(f.personIds, undefined, f.ruleId);
    // Ids only: every person id is one the seed wrote.
    const seeded = new Set(
      Object.values(seed())
        .flat()
        .flatMap((r) =>
          Object.entries(r)
            .filter(([k]) => k.endsWith('_person_id'))
            .map(([, v]) => String(v).trim()),
        ),
    );
    for (const f of report.findings) for (const p of f.personIds ?? []) assert.ok(seeded.has(p), `${f.ruleId}: ${p} is a seeded person id`);
  });

  it('never carries names or dates in findings', () => {
    const text = JSON.stringify(report.findings);
    assert.doesNotMatch(text, /FFFFF|SSSSS|2015-0|1850-01-01|White British/);
  });
});
