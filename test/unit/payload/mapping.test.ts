import assert from 'node:assert/strict';
import { coerceFlag, coerceReferralSource, coerceSex, icpcFlag, isUascStatus } from '../../../src/payload/buildPayload';
import { emptyChildRows } from '../../../src/payload/rows';
import { child, details, episode0, payloadOf, problemsOf } from './childRows';

// As-of 2026-08-10: window 2024-04-01 to 2026-08-11, census dates 2025-03-31 and 2026-03-31.

describe('payload mapping: a full child, exact JSON', () => {
  it('builds every section in the T-SQL key order', () => {
    const r = child(
      {
        pers_legacy_id: ' L-77 ',
        pers_upn: 'A123456789012',
        pers_forename: "O'Brien",
        pers_surname: 'Zoë',
        pers_sex: 'M',
        pers_ethnicity: 'WBRI',
        pers_dob: '2015-05-01T00:00:00',
        pers_upn_unknown: null,
      },
      {
        addresses: [{ addr_table_id: 'AD1', addr_address_start_date: '2020-01-01', addr_address_postcode: 'AB1 2CD' }],
        disabilities: [
          { disa_table_id: 'D1', disa_disability_code: 'vis' },
          { disa_table_id: 'D2', disa_disability_code: 'AUT ' },
        ],
        immigration: [{ immi_immigration_status_id: 'I1', immi_immigration_status: 'UASC', immi_immigration_status_start_date: '2024-01-01', immi_immigration_status_end_date: '2026-01-31' }],
        linkedIds: [{ link_table_id: 'LI1', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: 'B123456789012', link_valid_from_date: '2019-01-01' }],
        sdq: [{ csdq_table_id: 'S1', csdq_sdq_completed_date: '2025-06-01', csdq_sdq_score: 12 }],
        assessments: [{ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-02', cina_assessment_auth_date: '2025-02-01' }],
        factors: [{ cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '["1C","4A"]' }],
        cinPlans: [{ cinp_cin_plan_id: 'CP1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-02-01' }],
        s47: [
          {
            s47e_s47_enquiry_id: 'S47',
            s47e_referral_id: 'R1',
            s47e_s47_start_date: '2025-01-05',
            s47e_s47_end_date: '2025-01-20',
            s47e_s47_outcome_json: '{"CP_CONFERENCE_FLAG": "Y"}',
            latest_icpc_date: '2025-01-25',
          },
        ],
        cpPlans: [{ cppl_cp_plan_id: 'CPP1', cppl_referral_id: 'R1', cppl_cp_plan_start_date: '2025-01-25', cppl_cp_plan_end_date: '2025-06-01' }],
        claEpisodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'S', clae_cla_episode_ceased_reason: 'E11' }],
        placements: [
          {
            clap_cla_placement_id: 'PL1',
            clap_cla_id: 'CLA1',
            clap_cla_placement_start_date: '2025-07-01',
            clap_cla_placement_end_date: '2025-12-01',
            clap_cla_placement_type: 'U1',
            clap_cla_placement_postcode: 'ZZ1 1ZZ',
            clap_cla_placement_change_reason: 'CARPL',
          },
        ],
        permanence: [{ perm_table_id: 'PM1', perm_person_id: 'C1', perm_adm_decision_date: '2025-08-01', perm_matched_date: null, perm_placed_for_adoption_date: null }],
        careLeavers: [{ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2026-01-01', clea_care_leaver_activity: 'F1', clea_care_leaver_accommodation: 'B' }],
        involvements: [
          { invo_involvements_id: 'V1', invo_referral_id: 'R1', invo_professional_role_id: 'CW', invo_involvement_start_date: '2025-01-01', prof_social_worker_registration_no: 'SW1234' },
        ],
      },
    );
    r.cinEpisodes[0] = {
      cine_referral_id: 'R1',
      cine_person_id: 'C1',
      cine_referral_date: '2025-01-01',
      cine_referral_source_code: '3C',
      cine_referral_nfa: '0',
      cine_close_reason: 'RC1',
      cine_close_date: '2026-06-30',
    };
    const adoption = '{"initial_decision_date":"2025-08-01","purge":false}';
    const leavers = '{"contact_date":"2026-01-01","activity":"F1","accommodation":"B","purge":false}';
    assert.equal(
      JSON.stringify(payloadOf(r)),
      '{"la_child_id":"C1","mis_child_id":"L-77","purge":false,' +
        '"child_details":{"unique_pupil_number":"A123456789012","former_unique_pupil_number":"B123456789012","first_name":"O\'Brien","surname":"Zoë",' +
        '"date_of_birth":"2015-05-01","sex":"M","ethnicity":"WBRI","disabilities":["AUT","VIS"],"postcode":"AB1 2CD","uasc_flag":true,"uasc_end_date":"2026-01-31","purge":false},' +
        '"health_and_wellbeing":{"sdq_assessments":[{"date":"2025-06-01","score":12}],"purge":false},' +
        '"social_care_episodes":[{"social_care_episode_id":"R1","referral_date":"2025-01-01","referral_source":"3C","closure_date":"2026-06-30","closure_reason":"RC1","referral_no_further_action_flag":false,' +
        '"child_and_family_assessments":[{"child_and_family_assessment_id":"A1","start_date":"2025-01-02","authorisation_date":"2025-02-01","factors":["1C","4A"],"purge":false}],' +
        '"child_in_need_plans":[{"child_in_need_plan_id":"CP1","start_date":"2025-02-01","purge":false}],' +
        '"section_47_assessments":[{"section_47_assessment_id":"S47","start_date":"2025-01-05","icpc_required_flag":true,"icpc_date":"2025-01-25","end_date":"2025-01-20","purge":false}],' +
        '"child_protection_plans":[{"child_protection_plan_id":"CPP1","start_date":"2025-01-25","end_date":"2025-06-01","purge":false}],' +
        '"child_looked_after_placements":[{"child_looked_after_placement_id":"PL1","start_date":"2025-07-01","start_reason":"S","postcode":"ZZ1 1ZZ","placement_type":"U1","end_date":"2025-12-01","end_reason":"E11","change_reason":"CARPL","purge":false}],' +
        `"adoption":${adoption},"care_leavers":${leavers},` +
        '"care_worker_details":[{"worker_id":"SW1234","start_date":"2025-01-01"}],"purge":false}]}',
    );
    assert.deepEqual(problemsOf(r), []);
  });

  it('NULL in every nullable column: keys left out, disabilities ["NONE"], uasc_flag false, sex U', () => {
    const r = emptyChildRows({
      pers_person_id: 'C1',
      pers_dob: null,
      pers_expected_dob: '2026-08-01',
      pers_legacy_id: null,
      pers_upn: null,
      pers_forename: null,
      pers_surname: null,
      pers_sex: null,
      pers_ethnicity: null,
      pers_upn_unknown: null,
    });
    r.cinEpisodes.push({
      cine_referral_id: 'R1',
      cine_person_id: 'C1',
      cine_referral_date: '2025-01-01',
      cine_referral_source_code: null,
      cine_referral_nfa: null,
      cine_close_reason: null,
      cine_close_date: null,
    });
    r.addresses.push({ addr_table_id: 'AD1', addr_address_start_date: null, addr_address_postcode: null });
    r.immigration.push({ immi_immigration_status_id: 'I1', immi_immigration_status: null, immi_immigration_status_start_date: null, immi_immigration_status_end_date: null });
    r.linkedIds.push({ link_table_id: 'L1', link_identifier_type: null, link_identifier_value: null, link_valid_from_date: null });
    r.sdq.push({ csdq_table_id: 'S1', csdq_sdq_completed_date: null, csdq_sdq_score: null });
    r.assessments.push({ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: null, cina_assessment_auth_date: '2025-03-01' });
    r.factors.push({ cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: null });
    r.cinPlans.push({ cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: null, cinp_cin_plan_start_date: '2025-01-01', cinp_cin_plan_end_date: null });
    r.s47.push({ s47e_s47_enquiry_id: 'S1', s47e_referral_id: 'R1', s47e_s47_start_date: '2025-01-01', s47e_s47_end_date: null, s47e_s47_outcome_json: null, latest_icpc_date: null });
    r.cpPlans.push({ cppl_cp_plan_id: 'CP1', cppl_referral_id: 'R1', cppl_cp_plan_start_date: '2025-01-01', cppl_cp_plan_end_date: null });
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: null, clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: null, clae_cla_episode_ceased_reason: null });
    r.placements.push({
      clap_cla_placement_id: 'PL1',
      clap_cla_id: 'CLA1',
      clap_cla_placement_start_date: '2025-01-01',
      clap_cla_placement_end_date: null,
      clap_cla_placement_type: null,
      clap_cla_placement_postcode: null,
      clap_cla_placement_change_reason: null,
    });
    r.permanence.push({ perm_table_id: 'PM1', perm_person_id: 'C1', perm_cla_id: null, perm_adm_decision_date: null, perm_matched_date: null, perm_placed_for_adoption_date: null });
    r.careLeavers.push({ clea_table_id: 'CL1', clea_care_leaver_latest_contact: null, clea_care_leaver_activity: null, clea_care_leaver_accommodation: null });
    r.involvements.push({
      invo_involvements_id: 'V1',
      invo_referral_id: 'R1',
      invo_professional_role_id: null,
      invo_involvement_start_date: null,
      invo_involvement_end_date: null,
      prof_social_worker_registration_no: null,
    });
    assert.equal(
      JSON.stringify(payloadOf(r)),
      '{"la_child_id":"C1","purge":false,"child_details":{"expected_date_of_birth":"2026-08-01","sex":"U","disabilities":["NONE"],"uasc_flag":false,"purge":false},' +
        '"social_care_episodes":[{"social_care_episode_id":"R1","referral_date":"2025-01-01",' +
        '"child_and_family_assessments":[{"child_and_family_assessment_id":"A1","authorisation_date":"2025-03-01","factors":[],"purge":false}],' +
        '"child_in_need_plans":[{"child_in_need_plan_id":"P1","start_date":"2025-01-01","purge":false}],' +
        '"section_47_assessments":[{"section_47_assessment_id":"S1","start_date":"2025-01-01","purge":false}],' +
        '"child_protection_plans":[{"child_protection_plan_id":"CP1","start_date":"2025-01-01","purge":false}],' +
        '"child_looked_after_placements":[{"child_looked_after_placement_id":"PL1","start_date":"2025-01-01","purge":false}],' +
        '"care_leavers":{"purge":false},"purge":false}]}',
    );
  });

  it('names with apostrophes, accents, quotes and backslashes are stored exactly (JSON escaping only)', () => {
    const d = details(child({ pers_forename: "O'Brien", pers_surname: 'Zoë "Jo" \\ Ñúñez' }));
    assert.equal(d.first_name, "O'Brien");
    assert.equal(d.surname, 'Zoë "Jo" \\ Ñúñez');
    assert.match(JSON.stringify(d), /"surname":"Zoë \\"Jo\\" \\\\ Ñúñez"/);
  });
});

describe('payload mapping: coercions', () => {
  it('sex: M/F (trimmed, any case), anything else U', () => {
    const cases: Array<[string | null, string]> = [
      ['M', 'M'],
      ['F', 'F'],
      ['m', 'M'],
      [' f ', 'F'],
      ['X', 'U'],
      ['Male', 'U'],
      ['', 'U'],
      [null, 'U'],
    ];
    for (const [v, want] of cases) assert.equal(coerceSex(v), want, String(v));
    assert.equal(details(child({ pers_sex: 'Female' })).sex, 'U');
  });

  it('referral source: 10…, [1-3][A-F]…, 5[A-D]…, [46789]…, else omitted', () => {
    const cases: Array<[string | null, string | null]> = [
      ['10', '10'],
      ['10A', '10'],
      ['1A', '1A'],
      ['1a', '1A'],
      ['2B x', '2B'],
      ['3F', '3F'],
      ['3G', null],
      ['5D', '5D'],
      ['5E', null],
      ['4', '4'],
      ['4A', '4'],
      ['6', '6'],
      ['9 GP', '9'],
      ['5', null],
      ['0', null],
      ['  1C ', '1C'],
      ['', null],
      [null, null],
      ['A1', null],
    ];
    for (const [v, want] of cases) assert.equal(coerceReferralSource(v), want, String(v));
    const r = child();
    r.cinEpisodes[0]!.cine_referral_source_code = 'Z';
    assert.equal('referral_source' in episode0(r), false);
  });

  it('NFA flag: TRY_CONVERT(bit) values, Y/T/N/F, else omitted', () => {
    const cases: Array<[string | null, boolean | null]> = [
      ['1', true],
      ['0', false],
      ['Y', true],
      ['y', true],
      ['T', true],
      ['N', false],
      ['F', false],
      ['true', true],
      ['FALSE', false],
      ['2', true],
      ['X', null],
      ['', null],
      [' ', null],
      [null, null],
    ];
    for (const [v, want] of cases) assert.equal(coerceFlag(v), want, String(v));
    const r = child();
    r.cinEpisodes[0]!.cine_referral_nfa = 'Y';
    assert.equal(episode0(r).referral_no_further_action_flag, true);
    r.cinEpisodes[0]!.cine_referral_nfa = '?';
    assert.equal('referral_no_further_action_flag' in episode0(r), false);
  });

  it('ICPC required flag from $.CP_CONFERENCE_FLAG; bad JSON or other values omit it', () => {
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG": "Y"}'), true);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":"N"}'), false);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":"True"}'), true);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":1}'), true);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":false}'), false);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":"maybe"}'), null);
    assert.equal(icpcFlag('{"cp_conference_flag":"Y"}'), null);
    assert.equal(icpcFlag('{"CP_CONFERENCE_FLAG":'), null);
    assert.equal(icpcFlag(null), null);
  });

  it('LEFT-n truncation of code fields', () => {
    const r = child({ pers_ethnicity: ' WBRIX ', pers_upn_unknown: 'UN10X' });
    r.cinEpisodes[0]!.cine_close_reason = ' RC10 ';
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: ' SX', clae_cla_episode_ceased_reason: 'E4A1' });
    r.placements.push({ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-01-01', clap_cla_placement_type: ' U1XY ' });
    r.careLeavers.push({ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2025-01-01', clea_care_leaver_activity: ' F1 in work', clea_care_leaver_accommodation: 'BX' });
    const d = details(r);
    assert.equal(d.ethnicity, 'WBRI');
    assert.equal(d.unique_pupil_number_unknown_reason, 'UN10');
    const e = episode0(r);
    assert.equal(e.closure_reason, 'RC1');
    const pl = (e.child_looked_after_placements as Record<string, unknown>[])[0]!;
    assert.equal(pl.start_reason, 'S');
    assert.equal(pl.placement_type, 'U1X');
    assert.equal(pl.end_reason, 'E4A');
    assert.deepEqual(e.care_leavers, { contact_date: '2025-01-01', activity: 'F1', accommodation: 'B', purge: false });
  });

  it('placement end_reason: LEFT 3 then spaces/TAB/LF/CR removed; start/end reason the MIN over joined episodes', () => {
    const r = child();
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'V', clae_cla_episode_ceased_reason: 'E\t1' });
    r.claEpisodes.push({ clae_cla_episode_id: 'E2', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'L', clae_cla_episode_ceased_reason: 'E3' });
    r.placements.push({ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-01-01' });
    const pl = episode0(r).child_looked_after_placements as Record<string, unknown>[];
    assert.equal(pl.length, 1); // grouped: one placement although two episodes join it
    assert.equal(pl[0]!.start_reason, 'L');
    assert.equal(pl[0]!.end_reason, 'E1');
  });

  it('placement end date before its start is dropped; equal is kept', () => {
    const r = child();
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1' });
    r.placements.push({ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-05-01', clap_cla_placement_end_date: '2025-04-30' });
    r.placements.push({ clap_cla_placement_id: 'PL2', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-03-01', clap_cla_placement_end_date: '2025-03-01' });
    assert.equal(
      JSON.stringify(episode0(r).child_looked_after_placements),
      '[{"child_looked_after_placement_id":"PL1","start_date":"2025-05-01","purge":false},{"child_looked_after_placement_id":"PL2","start_date":"2025-03-01","end_date":"2025-03-01","purge":false}]',
    );
  });

  it('UPN unknown reason: pers_upn_unknown first, else a UN code held in pers_upn', () => {
    assert.equal(details(child({ pers_upn: 'un5 ' })).unique_pupil_number_unknown_reason, 'UN5');
    assert.equal(details(child({ pers_upn: 'un5 ' })).unique_pupil_number, 'un5 ');
    assert.equal(details(child({ pers_upn: 'UN5', pers_upn_unknown: 'UN2' })).unique_pupil_number_unknown_reason, 'UN2');
    assert.equal('unique_pupil_number_unknown_reason' in details(child({ pers_upn: 'UN11', pers_upn_unknown: '  ' })), false);
  });

  it('former UPN: only the latest link, and only when 13 characters long', () => {
    const link = (id: string, from: string, value: string) => ({ link_table_id: id, link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: value, link_valid_from_date: from });
    assert.equal(details(child({}, { linkedIds: [link('1', '2019-01-01', 'A123456789012'), link('2', '2020-01-01', 'B1234567890123')] })).former_unique_pupil_number, undefined);
    assert.equal(details(child({}, { linkedIds: [link('1', '2021-01-01', 'A123456789012'), link('2', '2020-01-01', 'B12')] })).former_unique_pupil_number, 'A123456789012');
    assert.equal(details(child({}, { linkedIds: [{ ...link('1', '2021-01-01', 'A123456789012'), link_identifier_type: 'Other' }] })).former_unique_pupil_number, undefined);
  });

  it('disabilities: distinct, upper, trimmed, LEFT 4, sorted, at most 12 (with a warning)', () => {
    const codes = ['vis', 'VIS', ' aut', 'HEARX', 'mob', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'BEH', 'CON', 'DDA', 'NONE', '', '  '];
    const r = child({}, { disabilities: codes.map((c, i) => ({ disa_table_id: `D${i}`, disa_disability_code: c })) });
    assert.deepEqual(details(r).disabilities, ['AUT', 'BEH', 'COMM', 'CON', 'DDA', 'HAND', 'HEAR', 'INC', 'LD', 'MOB', 'NONE', 'PC']);
    const p = problemsOf(r).find((x) => x.rule === 'disabilities-capped');
    assert.equal(p?.severity, 'warning');
    assert.equal(p?.path, '/child_details/disabilities');
  });

  it('postcode from the address with the latest start date, as stored', () => {
    const r = child(
      {},
      {
        addresses: [
          { addr_table_id: 'A', addr_address_start_date: '2020-01-01', addr_address_postcode: 'OLD 1' },
          { addr_table_id: 'B', addr_address_start_date: '2023-01-01', addr_address_postcode: ' new 2' },
          { addr_table_id: 'C', addr_address_start_date: null, addr_address_postcode: 'NUL 3' },
        ],
      },
    );
    assert.equal(details(r).postcode, ' new 2');
  });

  it('SDQ: only scored assessments in the window, newest first; object left out when none', () => {
    const r = child(
      {},
      {
        sdq: [
          { csdq_table_id: '1', csdq_sdq_completed_date: '2024-03-31', csdq_sdq_score: 5 },
          { csdq_table_id: '2', csdq_sdq_completed_date: '2024-04-01', csdq_sdq_score: 7 },
          { csdq_table_id: '3', csdq_sdq_completed_date: '2026-08-11', csdq_sdq_score: 9 },
          { csdq_table_id: '4', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: null },
        ],
      },
    );
    assert.equal(JSON.stringify(payloadOf(r).health_and_wellbeing), '{"sdq_assessments":[{"date":"2026-08-11","score":9},{"date":"2024-04-01","score":7}],"purge":false}');
    assert.equal('health_and_wellbeing' in payloadOf(child({}, { sdq: [{ csdq_table_id: '1', csdq_sdq_completed_date: '2024-03-31', csdq_sdq_score: 5 }] })), false);
  });

  it('episode filter: referral on or before the window end, open or closed on or after its start', () => {
    const r = child(
      {},
      {
        cinEpisodes: [
          { cine_referral_id: 'R2', cine_person_id: 'C1', cine_referral_date: '2019-01-01', cine_close_date: '2024-03-31' },
          { cine_referral_id: 'R3', cine_person_id: 'C1', cine_referral_date: '2026-08-12' },
        ],
      },
    );
    assert.deepEqual(
      (payloadOf(r).social_care_episodes as Record<string, unknown>[]).map((e) => e.social_care_episode_id),
      ['R1'],
    );
  });

  it('S47: included when its dates overlap or its latest ICPC is in the window', () => {
    const r = child(
      {},
      {
        s47: [
          { s47e_s47_enquiry_id: 'OLD', s47e_referral_id: 'R1', s47e_s47_start_date: '2023-01-01', s47e_s47_end_date: '2023-02-01', latest_icpc_date: '2024-04-01' },
          { s47e_s47_enquiry_id: 'GONE', s47e_referral_id: 'R1', s47e_s47_start_date: '2023-01-01', s47e_s47_end_date: '2023-02-01', latest_icpc_date: '2024-03-31' },
        ],
      },
    );
    assert.deepEqual(
      (episode0(r).section_47_assessments as Record<string, unknown>[]).map((s) => s.section_47_assessment_id),
      ['OLD'],
    );
  });

  it("adoption (via person or the child's CLA ids, a date in the window) and care leavers repeat on every episode", () => {
    const r = child(
      {},
      {
        cinEpisodes: [{ cine_referral_id: 'R2', cine_person_id: 'C1', cine_referral_date: '2025-06-01' }],
        claEpisodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA9', clae_referral_id: null }],
        permanence: [
          { perm_table_id: 'P1', perm_person_id: null, perm_cla_id: 'CLA9', perm_matched_date: '2025-02-01' },
          { perm_table_id: 'P2', perm_person_id: 'C1', perm_adm_decision_date: '2024-01-01' },
        ],
        careLeavers: [
          { clea_table_id: 'L1', clea_care_leaver_latest_contact: '2020-01-01' },
          { clea_table_id: 'L2', clea_care_leaver_latest_contact: '2021-01-01', clea_care_leaver_activity: 'G6' },
        ],
      },
    );
    const eps = payloadOf(r).social_care_episodes as Record<string, unknown>[];
    assert.equal(eps.length, 2);
    for (const e of eps) {
      assert.equal(JSON.stringify(e.adoption), '{"matched_date":"2025-02-01","purge":false}');
      assert.equal(JSON.stringify(e.care_leavers), '{"contact_date":"2021-01-01","activity":"G6","purge":false}');
    }
  });
});

describe('payload mapping: deviations D1-D5', () => {
  const worker = (id: string, reg: string | null, start: string, end: string | null, role = 'CW') => ({
    invo_involvements_id: id,
    invo_referral_id: 'R1',
    invo_professional_role_id: role,
    invo_involvement_start_date: start,
    invo_involvement_end_date: end,
    prof_social_worker_registration_no: reg,
  });
  const withPlan = (involvements: ReturnType<typeof worker>[]) =>
    child({}, { involvements, cinPlans: [{ cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' }] });

  it('D1: a care worker active on any 31 March in the window is sent, including the middle census date', () => {
    const r = withPlan([
      worker('1', 'SW1', '2025-03-01', '2025-04-30'), // active on 2025-03-31 only (upstream never tests it)
      worker('2', 'SW2', '2025-04-01', '2026-03-30'), // between census dates: not sent
      worker('3', 'SW3', '2026-03-31', null), // active on 2026-03-31
      worker('4', 'SW4', '2025-01-01', null, ' cw '), // role trimmed, any case
      worker('5', 'SW5', '2025-01-01', null, 'SW'), // not a CW involvement
      worker('6', null, '2025-01-01', null), // no registration number
    ]);
    assert.equal(
      JSON.stringify(episode0(r).care_worker_details),
      '[{"worker_id":"SW3","start_date":"2026-03-31"},{"worker_id":"SW1","start_date":"2025-03-01","end_date":"2025-04-30"},{"worker_id":"SW4","start_date":"2025-01-01"}]',
    );
  });

  it('D1: on a run in January (upstream: no census date at all) the workers are still sent', () => {
    const r = withPlan([worker('1', 'SW1', '2025-03-01', '2025-04-30')]);
    const w = { asOf: '2026-01-15', start: '2023-04-01', end: '2026-01-16' };
    assert.equal(JSON.stringify(episode0(r, w).care_worker_details), '[{"worker_id":"SW1","start_date":"2025-03-01","end_date":"2025-04-30"}]');
  });

  it('care workers only when the referral has a CIN plan overlapping the window', () => {
    const r = child({}, { involvements: [worker('1', 'SW1', '2025-03-01', null)] });
    assert.equal('care_worker_details' in episode0(r), false);
  });

  it('D2: UASC when the status is U, or contains UASC / UNACCOMPANIED, case and accent insensitive', () => {
    for (const v of ['U', ' u ', 'UASC', 'uasc - granted', 'Unaccompanied asylum seeking child', 'ÚNACCOMPANIED', 'Uásc']) assert.equal(isUascStatus(v), true, v);
    for (const v of ['Refugee', 'UK citizen', 'US', '', null]) assert.equal(isUascStatus(v), false, String(v));
  });

  it('D2: the status must end on or after the window start; the latest start wins and gives the end date', () => {
    const im = (id: string, status: string, start: string | null, end: string | null) => ({
      immi_immigration_status_id: id,
      immi_immigration_status: status,
      immi_immigration_status_start_date: start,
      immi_immigration_status_end_date: end,
    });
    const ended = details(child({}, { immigration: [im('1', 'UASC', '2020-01-01', '2024-03-31')] }));
    assert.equal(ended.uasc_flag, false);
    assert.equal('uasc_end_date' in ended, false);
    const d = details(child({}, { immigration: [im('1', 'UASC', '2022-01-01', '2024-04-01'), im('2', 'Unaccompanied', '2023-01-01', '2025-05-05'), im('3', 'Refugee', '2024-01-01', '2026-01-01')] }));
    assert.equal(d.uasc_flag, true);
    assert.equal(d.uasc_end_date, '2025-05-05');
    const open = details(child({}, { immigration: [im('1', 'U', '2023-01-01', '2025-01-01'), im('2', 'U', '2023-01-01', null)] }));
    assert.equal(open.uasc_flag, true);
    assert.equal('uasc_end_date' in open, false); // same start: the open-ended row is the latest
  });

  it('D3: every array in a deterministic order whatever the row order', () => {
    const r = child(
      {},
      {
        cinEpisodes: [
          { cine_referral_id: 'R0', cine_person_id: 'C1', cine_referral_date: '2025-01-01' },
          { cine_referral_id: 'R9', cine_person_id: 'C1', cine_referral_date: '2026-01-01' },
        ],
        assessments: [
          { cina_assessment_id: 'B', cina_referral_id: 'R1', cina_assessment_start_date: '2025-02-01' },
          { cina_assessment_id: 'A', cina_referral_id: 'R1', cina_assessment_start_date: '2025-02-01' },
          { cina_assessment_id: 'C', cina_referral_id: 'R1', cina_assessment_start_date: '2025-03-01' },
        ],
        sdq: [
          { csdq_table_id: '1', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: 20 },
          { csdq_table_id: '2', csdq_sdq_completed_date: '2025-01-01', csdq_sdq_score: 10 },
          { csdq_table_id: '3', csdq_sdq_completed_date: '2025-06-01', csdq_sdq_score: 30 },
        ],
      },
    );
    const p = payloadOf(r);
    assert.deepEqual(
      (p.social_care_episodes as Record<string, unknown>[]).map((e) => e.social_care_episode_id),
      ['R9', 'R0', 'R1'],
    );
    const r1 = (p.social_care_episodes as Record<string, unknown>[])[2]!;
    assert.deepEqual(
      (r1.child_and_family_assessments as Record<string, unknown>[]).map((a) => a.child_and_family_assessment_id),
      ['C', 'A', 'B'],
    );
    assert.equal(
      JSON.stringify((p.health_and_wellbeing as Record<string, unknown>).sdq_assessments),
      '[{"date":"2025-06-01","score":30},{"date":"2025-01-01","score":10},{"date":"2025-01-01","score":20}]',
    );
  });

  it('D4: identifiers are sent whole; an over-long or ill-formed one makes the child invalid', () => {
    const longId = 'C'.repeat(21);
    const r = child({ pers_person_id: longId });
    r.cinEpisodes[0]!.cine_person_id = longId;
    r.cinEpisodes[0]!.cine_referral_id = 'R'.repeat(37);
    const p = payloadOf(r);
    assert.equal(p.la_child_id, longId);
    assert.equal((p.social_care_episodes as Record<string, unknown>[])[0]!.social_care_episode_id, 'R'.repeat(37));
    const problems = problemsOf(r).map((x) => `${x.path} ${x.rule} ${x.message}`);
    assert.deepEqual(problems, [
      '/la_child_id maxLength la_child_id length: 21 characters; at most 20 allowed',
      '/social_care_episodes/0/social_care_episode_id maxLength entity id length: 37 characters; at most 36 allowed',
    ]);
    const w = withPlan([worker('1', 'SW 12345678901', '2025-01-01', null)]);
    assert.deepEqual(
      problemsOf(w).map((x) => [x.path, x.rule]),
      [
        ['/social_care_episodes/0/care_worker_details/0/worker_id', 'pattern'],
        ['/social_care_episodes/0/care_worker_details/0/worker_id', 'maxLength'],
      ],
    );
    const mis = payloadOf(child({ pers_legacy_id: 'M'.repeat(40) }));
    assert.equal(mis.mis_child_id, 'M'.repeat(40));
  });
});
