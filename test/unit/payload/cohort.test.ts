import assert from 'node:assert/strict';
import { buildChild, cohortDecision } from '../../../src/payload/buildPayload';
import { emptyChildRows } from '../../../src/payload/rows';
import { child, W } from './childRows';

// Window for as-of 2026-08-10: 2024-04-01 to 2026-08-11 (inclusive).

describe('payload cohort, gate A (age / unborn)', () => {
  const inA = (dob: string | null, expected: string | null = null) => cohortDecision(child({ pers_dob: dob, pers_expected_dob: expected }), W).exclusion?.gate !== 'A';

  it('admits a child born on the window end (tomorrow) and not one born the day after', () => {
    assert.equal(inA('2026-08-11'), true);
    assert.equal(inA('2026-08-12'), false);
  });

  it('26th birthday boundary: the 26th birthday must fall after the window start', () => {
    assert.equal(inA('1998-04-01'), false); // 26 on 2024-04-01 = window start
    assert.equal(inA('1998-04-02'), true); // 26 on 2024-04-02
    assert.equal(inA('1998-04-01T09:00:00'), true); // DATETIME compared as the T-SQL: 09:00 on the start day is after midnight
  });

  it('26th birthday of a 29 February birthday is 28 February (DATEADD)', () => {
    // Windows set by hand to put the start on the birthday. Born 1996-02-29: 26th birthday 2022-02-28.
    const w = { asOf: '2022-02-28' };
    assert.equal(cohortDecision(child({ pers_dob: '1996-02-29' }), { ...w, start: '2022-02-28', end: '2022-03-01' }).exclusion?.gate, 'A');
    assert.notEqual(cohortDecision(child({ pers_dob: '1996-02-29' }), { ...w, start: '2022-02-27', end: '2022-03-01' }).exclusion?.gate, 'A');
  });

  it('unborn: expected date of birth inside the window (inclusive) admits; after tomorrow does not', () => {
    assert.equal(inA(null, '2026-08-11'), true);
    assert.equal(inA(null, '2024-04-01'), true);
    assert.equal(inA(null, '2026-08-12'), false);
    assert.equal(inA(null, '2024-03-31'), false);
  });

  it('with a date of birth the expected date is ignored; with neither the child is out', () => {
    assert.equal(inA('1990-01-01', '2026-01-01'), false);
    assert.equal(inA(null, null), false);
    const e = cohortDecision(child({ pers_dob: null }), W).exclusion!;
    assert.equal(e.gate, 'A');
    assert.match(e.reason, /neither a date of birth nor an expected date of birth/);
  });
});

describe('payload cohort, gate B (activity)', () => {
  const base = () => child({}, {}, { episode: false });

  it('no activity: excluded by gate B', () => {
    const d = cohortDecision(base(), W);
    assert.equal(d.inCohort, false);
    assert.equal(d.exclusion!.gate, 'B');
  });

  it('ActiveReferral: an episode overlapping the window (edges inclusive)', () => {
    const at = (referral: string, close: string | null) => {
      const r = base();
      r.cinEpisodes.push({ cine_referral_id: 'R1', cine_person_id: 'C1', cine_referral_date: referral, cine_close_date: close });
      r.assessments.push({ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: referral });
      return cohortDecision(r, W).routes;
    };
    assert.deepEqual(at('2026-08-11', null), ['ActiveReferral']);
    assert.deepEqual(at('2026-08-12', '2026-08-13'), []);
    assert.deepEqual(at('2020-01-01', '2024-04-01'), ['ActiveReferral']);
    assert.deepEqual(at('2020-01-01', '2024-03-31'), []);
  });

  it('WaitingAssessment: an open episode without a started assessment, whatever its dates', () => {
    const r = base();
    r.cinEpisodes.push({ cine_referral_id: 'R1', cine_person_id: 'C1', cine_referral_date: null, cine_close_date: null });
    assert.deepEqual(cohortDecision(r, W).routes, ['WaitingAssessment']);
    r.assessments.push({ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: null });
    assert.deepEqual(cohortDecision(r, W).routes, ['WaitingAssessment']);
    r.assessments.push({ cina_assessment_id: 'A2', cina_referral_id: 'R1', cina_assessment_start_date: '2019-01-01' });
    assert.deepEqual(cohortDecision(r, W).routes, []);
  });

  it('HasCINPlan: a CIN plan of the person overlapping the window, with a warning for no episode', () => {
    const r = base();
    r.cinPlans.push({ cinp_cin_plan_id: 'P1', cinp_person_id: 'C1', cinp_referral_id: 'RX', cinp_cin_plan_start_date: '2024-01-01', cinp_cin_plan_end_date: '2024-04-01' });
    const b = buildChild(r, W);
    assert.deepEqual(b.decision.routes, ['HasCINPlan']);
    assert.equal(
      JSON.stringify(b.result!.payload),
      '{"la_child_id":"C1","purge":false,"child_details":{"date_of_birth":"2015-05-01","sex":"F","disabilities":["NONE"],"uasc_flag":false,"purge":false}}',
    );
    assert.deepEqual(
      b.result!.problems.map((p) => [p.path, p.rule, p.severity]),
      [['/social_care_episodes', 'cohort-without-episode', 'warning']],
    );
    r.cinPlans[0]!.cinp_cin_plan_end_date = '2024-03-31';
    assert.deepEqual(cohortDecision(r, W).routes, []);
  });

  it("HasLAC (B): a placement on one of the person's CLA episodes overlapping the window, whatever the CIN link", () => {
    const r = base();
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: null });
    r.placements.push({ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2026-08-11' });
    assert.deepEqual(cohortDecision(r, W).routes, ['HasLAC']);
    r.placements[0]!.clap_cla_placement_start_date = '2026-08-12';
    assert.deepEqual(cohortDecision(r, W).routes, []);
  });

  it('HasLAC (A): a CLA episode linked to an overlapping CIN episode', () => {
    const r = child();
    r.assessments.push({ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-01' });
    r.claEpisodes.push({ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1' });
    assert.deepEqual(cohortDecision(r, W).routes, ['ActiveReferral', 'HasLAC']);
    // linked to an episode that does not overlap the window: not HasLAC
    r.cinEpisodes.push({ cine_referral_id: 'R0', cine_person_id: 'C1', cine_referral_date: '2020-01-01', cine_close_date: '2021-01-01' });
    r.claEpisodes[0]!.clae_referral_id = 'R0';
    assert.deepEqual(cohortDecision(r, W).routes, ['ActiveReferral']);
  });

  it('IsCareLeaver16to25: contact in [start, end) and an open episode', () => {
    const r = child({ pers_dob: '2005-01-01' });
    r.assessments.push({ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-01' });
    r.careLeavers.push({ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2026-08-10' });
    assert.deepEqual(cohortDecision(r, W).routes, ['ActiveReferral', 'IsCareLeaver16to25']);
    r.careLeavers[0]!.clea_care_leaver_latest_contact = '2026-08-11'; // the end is exclusive for this route
    assert.deepEqual(cohortDecision(r, W).routes, ['ActiveReferral']);
  });

  it('CP plans and disabilities do not admit a child (as upstream)', () => {
    const r = base();
    r.cpPlans.push({ cppl_cp_plan_id: 'CP1', cppl_referral_id: 'R9', cppl_cp_plan_start_date: '2025-01-01' });
    r.disabilities.push({ disa_table_id: 'D1', disa_disability_code: 'AUT' });
    assert.equal(cohortDecision(r, W).inCohort, false);
  });

  it('an orphan person row (no person id match elsewhere) is judged on its own rows only', () => {
    const r = emptyChildRows({ pers_person_id: 'C9', pers_dob: '2015-01-01' });
    r.cinEpisodes.push({ cine_referral_id: 'R1', cine_person_id: 'OTHER', cine_referral_date: '2025-01-01' });
    assert.equal(cohortDecision(r, W).inCohort, false);
  });
});
