import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildChild } from '../../../src/payload/buildPayload';
import type { ChildRows } from '../../../src/payload/rows';
import { child, W } from './childRows';

// A child with several rows in every table, including ties (same dates) that only the id breaks.
function richChild(): ChildRows {
  const r = child(
    { pers_ethnicity: 'WBRI' },
    {
      addresses: [
        { addr_table_id: 'AD2', addr_address_start_date: '2024-01-01', addr_address_postcode: 'B2' },
        { addr_table_id: 'AD1', addr_address_start_date: '2024-01-01', addr_address_postcode: 'A1' },
      ],
      disabilities: ['VIS', 'AUT', 'vis', 'HEAR'].map((c, i) => ({ disa_table_id: `D${i}`, disa_disability_code: c })),
      immigration: [
        { immi_immigration_status_id: 'I2', immi_immigration_status: 'UASC', immi_immigration_status_start_date: '2024-01-01', immi_immigration_status_end_date: '2025-01-01' },
        { immi_immigration_status_id: 'I1', immi_immigration_status: 'UASC', immi_immigration_status_start_date: '2024-01-01', immi_immigration_status_end_date: '2025-01-01' },
      ],
      linkedIds: [
        { link_table_id: 'L2', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: 'B123456789012', link_valid_from_date: '2020-01-01' },
        { link_table_id: 'L1', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: 'A123456789012', link_valid_from_date: '2020-01-01' },
      ],
      cinEpisodes: [
        { cine_referral_id: 'R2', cine_person_id: 'C1', cine_referral_date: '2025-01-01' },
        { cine_referral_id: 'R3', cine_person_id: 'C1', cine_referral_date: '2025-06-01' },
      ],
      assessments: [
        { cina_assessment_id: 'A2', cina_referral_id: 'R1', cina_assessment_start_date: '2025-02-01' },
        { cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-02-01' },
        { cina_assessment_id: 'A3', cina_referral_id: 'R2', cina_assessment_start_date: '2025-02-01' },
      ],
      factors: [
        { cinf_table_id: 'F2', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '2B,3C' },
        { cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '["1A","2B"]' },
      ],
      cinPlans: [
        { cinp_cin_plan_id: 'P2', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' },
        { cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' },
        { cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' },
      ],
      s47: [
        { s47e_s47_enquiry_id: 'S2', s47e_referral_id: 'R1', s47e_s47_start_date: '2025-01-01' },
        { s47e_s47_enquiry_id: 'S1', s47e_referral_id: 'R1', s47e_s47_start_date: '2025-01-01' },
      ],
      cpPlans: [
        { cppl_cp_plan_id: 'CP2', cppl_referral_id: 'R1', cppl_cp_plan_start_date: '2025-01-01' },
        { cppl_cp_plan_id: 'CP1', cppl_referral_id: 'R1', cppl_cp_plan_start_date: '2025-01-01' },
      ],
      claEpisodes: [
        { clae_cla_episode_id: 'E2', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'V', clae_cla_episode_ceased_reason: 'E3' },
        { clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'L', clae_cla_episode_ceased_reason: 'E11' },
      ],
      placements: [
        { clap_cla_placement_id: 'PL2', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-03-01' },
        { clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-03-01' },
      ],
      permanence: [
        { perm_table_id: 'PM2', perm_person_id: 'C1', perm_matched_date: '2025-01-01' },
        { perm_table_id: 'PM1', perm_person_id: 'C1', perm_matched_date: '2025-01-01', perm_adm_decision_date: '2024-06-01' },
      ],
      careLeavers: [
        { clea_table_id: 'CL2', clea_care_leaver_latest_contact: '2025-01-01', clea_care_leaver_activity: 'F1' },
        { clea_table_id: 'CL1', clea_care_leaver_latest_contact: '2025-01-01', clea_care_leaver_activity: 'G6' },
      ],
      involvements: [
        { invo_involvements_id: 'V2', invo_referral_id: 'R1', invo_professional_role_id: 'CW', invo_involvement_start_date: '2025-01-01', prof_social_worker_registration_no: 'SW2' },
        { invo_involvements_id: 'V1', invo_referral_id: 'R1', invo_professional_role_id: 'CW', invo_involvement_start_date: '2025-01-01', prof_social_worker_registration_no: 'SW1' },
        { invo_involvements_id: 'V3', invo_referral_id: 'R1', invo_professional_role_id: 'CW', invo_involvement_start_date: '2025-01-01', prof_social_worker_registration_no: 'SW1' },
      ],
      sdq: [
        { csdq_table_id: 'Q2', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: 7 },
        { csdq_table_id: 'Q1', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: 3 },
      ],
    },
  );
  return r;
}

const KEYS = [
  'addresses',
  'disabilities',
  'immigration',
  'linkedIds',
  'cinEpisodes',
  'assessments',
  'factors',
  'cinPlans',
  's47',
  'cpPlans',
  'claEpisodes',
  'placements',
  'permanence',
  'careLeavers',
  'involvements',
  'sdq',
] as const;

function permute<T>(list: readonly T[], keys: readonly number[]): T[] {
  return list
    .map((x, i) => [keys[i % keys.length]! + i / 1000, x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);
}

describe('payload determinism (property)', () => {
  it('the same rows in any order give byte-identical payload text', () => {
    const base = richChild();
    const expected = JSON.stringify(buildChild(base, W).result!.payload);
    // Sanity: the fixture exercises ties in every array.
    assert.match(expected, /"child_in_need_plans":\[\{"child_in_need_plan_id":"P1".*\{"child_in_need_plan_id":"P2"/);
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }), (keys) => {
        const shuffled: ChildRows = { ...base };
        KEYS.forEach((k, n) => {
          (shuffled as any)[k] = permute(
            base[k] as unknown[],
            keys.map((x) => x * (n + 7)),
          );
        });
        assert.equal(JSON.stringify(buildChild(shuffled, W).result!.payload), expected);
      }),
      { numRuns: 300 },
    );
  });
});
