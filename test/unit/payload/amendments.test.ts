// The payload contract's amendments of 2026-12-05 (docs/contract.md "Field mapping", restated from the contract's end), in
// the pure builder: non-numeric SDQ scores, gate B's CLA part across children, D2 negations and
// start dates, blank scalars, upper-cased codes. (Factor items: factors.test.ts.)
import assert from 'node:assert/strict';
import { cohortDecision, isUascStatus, sdqScore, upperCode } from '../../../src/payload/buildPayload';
import { emptyChildRows, type ClaEpisodeRow } from '../../../src/payload/rows';
import { AS_OF, W, child, details, episode0, payloadOf, problemsOf } from './childRows';

// As-of 2026-08-10: window 2024-04-01 to 2026-08-11.
const sdq = (id: string, date: string, score: string | number | null) => ({ csdq_table_id: id, csdq_sdq_completed_date: date, csdq_sdq_score: score });

describe('payload amendments 2026-12-05', () => {
  describe('non-numeric SDQ scores: NULL for that assessment and a warning; the build goes on', () => {
    it('sdqScore: whole numbers (also with a zero fraction, as a numeric column gives them) else null', () => {
      for (const [v, want] of [
        ['7', 7],
        [' 12 ', 12],
        ['7.0', 7],
        ['7.00', 7],
        ['-0', 0],
        [20, 20],
        ['+3', 3],
      ] as const)
        assert.equal(sdqScore(v), want, String(v));
      for (const v of ['N/A', '7.5', '', 'seven', '1e3', '7,0', 7.5, Number.NaN, null]) assert.equal(sdqScore(v), null, String(v));
    });

    it('N/A and 7.5 are left out with a warning naming the SDQ row and the column; good scores are sent', () => {
      const r = child({}, { sdq: [sdq('S1', '2025-06-01', 'N/A'), sdq('S2', '2025-07-01', '7.5'), sdq('S3', '2025-08-01', ' 12 '), sdq('S4', '2025-09-01', 20)] });
      assert.deepEqual(payloadOf(r).health_and_wellbeing, {
        sdq_assessments: [
          { date: '2025-09-01', score: 20 },
          { date: '2025-08-01', score: 12 },
        ],
        purge: false,
      });
      const problems = problemsOf(r);
      assert.deepEqual(
        problems.map((p) => [p.path, p.rule, p.severity, p.source]),
        [
          ['/health_and_wellbeing/sdq_assessments', 'sdq-score-not-a-number', 'warning', 'ssd_sdq_scores.csdq_sdq_score'],
          ['/health_and_wellbeing/sdq_assessments', 'sdq-score-not-a-number', 'warning', 'ssd_sdq_scores.csdq_sdq_score'],
        ],
      );
      assert.match(problems[0]!.message, /ssd_sdq_scores\.csdq_sdq_score of SDQ row S1 is not a whole number \(3 characters\)/);
      assert.match(problems[1]!.message, /SDQ row S2/);
      for (const p of problems) assert.doesNotMatch(p.message, /N\/A|7\.5/);
    });

    it('only non-numeric scores: the object is left out, the child stays valid; out-of-window rows give no warning', () => {
      const r = child({}, { sdq: [sdq('S1', '2025-06-01', 'N/A'), sdq('S0', '2020-01-01', 'N/A')] });
      assert.equal('health_and_wellbeing' in payloadOf(r), false);
      const problems = problemsOf(r);
      assert.deepEqual(
        problems.map((p) => [p.rule, p.severity]),
        [['sdq-score-not-a-number', 'warning']],
      );
      assert.match(problems[0]!.message, /SDQ row S1/);
    });

    it('a blank score is missing, with the blank warning', () => {
      const problems = problemsOf(child({}, { sdq: [sdq('S1', '2025-06-01', '   ')] }));
      assert.deepEqual(
        problems.map((p) => [p.path, p.rule, p.source]),
        [['/health_and_wellbeing/sdq_assessments', 'blank-as-null', 'ssd_sdq_scores.csdq_sdq_score']],
      );
    });
  });

  describe("gate B, CLA part A: a CLA episode linked to an overlapping CIN episode, whoever's referral it is", () => {
    const linked = (referral: string | null, close: string | null = null): ClaEpisodeRow => ({
      clae_cla_episode_id: 'E9',
      clae_person_id: 'C2',
      clae_cla_id: 'CLA9',
      clae_referral_id: 'R1',
      linked_referral_date: referral,
      linked_close_date: close,
    });
    const sibling = (cla: ClaEpisodeRow) => {
      const r = emptyChildRows({ pers_person_id: 'C2', pers_dob: '2016-01-01' });
      r.claEpisodes.push(cla);
      return r;
    };

    it("admits the CLA episode's child through another child's in-window referral (with the no-episode warning)", () => {
      const r = sibling(linked('2025-01-01'));
      assert.deepEqual(cohortDecision(r, W).routes, ['HasLAC']);
      assert.deepEqual(
        problemsOf(r).map((p) => [p.rule, p.severity]),
        [['cohort-without-episode', 'warning']],
      );
      assert.equal('social_care_episodes' in payloadOf(r), false);
    });

    it('window edges as the CIN episode overlap: referral on the window end, closed on the window start', () => {
      assert.deepEqual(cohortDecision(sibling(linked(W.end)), W).routes, ['HasLAC']);
      assert.deepEqual(cohortDecision(sibling(linked('2020-01-01', W.start)), W).routes, ['HasLAC']);
    });

    it('does not admit when the linked referral is outside the window, or names no CIN episode', () => {
      const out = cohortDecision(sibling(linked('2026-08-12')), W);
      assert.equal(out.inCohort, false);
      assert.equal(out.exclusion?.gate, 'B');
      assert.equal(cohortDecision(sibling(linked('2020-01-01', '2024-03-31')), W).inCohort, false);
      assert.equal(cohortDecision(sibling(linked(null)), W).inCohort, false);
    });

    it('a CLA episode of another person never admits this child', () => {
      const r = emptyChildRows({ pers_person_id: 'C1', pers_dob: '2016-01-01' });
      r.claEpisodes.push(linked('2025-01-01'));
      assert.equal(cohortDecision(r, W).inCohort, false);
    });
  });

  describe('D2: negations and statuses starting after the window', () => {
    it('a status saying not, or no longer, UASC is not UASC (any case, accents, hyphens)', () => {
      for (const v of [
        'NOT UASC',
        'not uasc',
        'NON UASC',
        'Non-UASC',
        'NON‑UASC',
        'nonuasc',
        'FORMER UASC',
        'Formerly UASC',
        'EX UASC',
        'ex-uasc',
        'NOT UNACCOMPANIED',
        'Not unaccompanied asylum seeking child',
        'No longer UASC',
        'Nón-UÁSC',
        'ÉX UASC',
        'Asylum seeker (not UASC)',
      ]) {
        assert.equal(isUascStatus(v), false, v);
      }
    });

    it('other statuses keep the D2 rule', () => {
      for (const v of ['U', ' u ', 'UASC', 'uasc - granted', 'Unaccompanied asylum seeking child', 'Uásc', 'UASC - not confirmed', 'Sussex UASC team', 'Annex UASC']) {
        assert.equal(isUascStatus(v), true, v);
      }
      for (const v of ['Refugee', 'UK citizen', 'US', 'NO', 'NOT U', '']) assert.equal(isUascStatus(v), false, v);
    });

    it('a negated status gives uasc_flag false', () => {
      const im = { immi_immigration_status_id: 'I1', immi_immigration_status: 'Former UASC', immi_immigration_status_start_date: '2024-01-01', immi_immigration_status_end_date: null };
      assert.equal(details(child({}, { immigration: [im] })).uasc_flag, false);
    });

    it('a status row that starts after the window end does not count; one starting on it does', () => {
      const im = (id: string, start: string | null, end: string | null) => ({
        immi_immigration_status_id: id,
        immi_immigration_status: 'UASC',
        immi_immigration_status_start_date: start,
        immi_immigration_status_end_date: end,
      });
      assert.equal(details(child({}, { immigration: [im('1', '2026-08-12', null)] })).uasc_flag, false);
      assert.equal(details(child({}, { immigration: [im('1', W.end, null)] })).uasc_flag, true);
      assert.equal(details(child({}, { immigration: [im('1', null, null)] })).uasc_flag, true);
      // The later (future) row would win the "latest start" order; it does not count, so the end date is the earlier row's.
      const d = details(child({}, { immigration: [im('2', '2027-01-01', '2027-06-01'), im('1', '2024-01-01', '2025-12-31')] }));
      assert.deepEqual([d.uasc_flag, d.uasc_end_date], [true, '2025-12-31']);
    });
  });

  describe('blank is missing: an empty or white-space scalar is NULL, with a warning naming the field', () => {
    it('child details: keys left out (sex U), one warning per field, no value in any message', () => {
      const r = child(
        { pers_forename: '  ', pers_surname: '', pers_upn: ' ', pers_ethnicity: '\t', pers_legacy_id: '   ', pers_sex: ' ', pers_upn_unknown: '  ' },
        {
          addresses: [{ addr_table_id: 'AD1', addr_address_start_date: '2020-01-01', addr_address_postcode: '   ' }],
        },
      );
      const p = payloadOf(r);
      assert.equal('mis_child_id' in p, false);
      assert.equal(JSON.stringify(p.child_details), '{"date_of_birth":"2015-05-01","sex":"U","disabilities":["NONE"],"uasc_flag":false,"purge":false}');
      const problems = problemsOf(r);
      assert.deepEqual(
        problems.map((x) => [x.path, x.rule, x.severity, x.source]),
        [
          ['/mis_child_id', 'blank-as-null', 'warning', 'ssd_person.pers_legacy_id'],
          ['/child_details/unique_pupil_number', 'blank-as-null', 'warning', 'ssd_person.pers_upn'],
          ['/child_details/unique_pupil_number_unknown_reason', 'blank-as-null', 'warning', 'ssd_person.pers_upn_unknown'],
          ['/child_details/first_name', 'blank-as-null', 'warning', 'ssd_person.pers_forename'],
          ['/child_details/surname', 'blank-as-null', 'warning', 'ssd_person.pers_surname'],
          ['/child_details/sex', 'blank-as-null', 'warning', 'ssd_person.pers_sex'],
          ['/child_details/ethnicity', 'blank-as-null', 'warning', 'ssd_person.pers_ethnicity'],
          ['/child_details/postcode', 'blank-as-null', 'warning', 'ssd_address.addr_address_postcode'],
        ],
      );
      assert.match(problems.find((x) => x.path === '/child_details/surname')!.message, /ssd_person\.pers_surname is empty: read as missing \(NULL\), so it is not sent/);
      assert.match(problems.find((x) => x.path === '/child_details/first_name')!.message, /only white space \(2 characters\)/);
    });

    it('a blank UPN is missing, so a UN code is not looked for in it and no length error is raised', () => {
      const problems = problemsOf(child({ pers_upn: '             ' }));
      assert.deepEqual(
        problems.map((x) => [x.path, x.rule]),
        [['/child_details/unique_pupil_number', 'blank-as-null']],
      );
    });

    it('episodes, placements, care leavers and care workers', () => {
      const r = child(
        {},
        {
          cinEpisodes: [],
          cinPlans: [{ cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' }],
          claEpisodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: ' ', clae_cla_episode_ceased_reason: '  ' }],
          placements: [
            {
              clap_cla_placement_id: 'PL1',
              clap_cla_id: 'CLA1',
              clap_cla_placement_start_date: '2025-02-01',
              clap_cla_placement_type: '  ',
              clap_cla_placement_postcode: '',
              clap_cla_placement_change_reason: ' ',
            },
          ],
          careLeavers: [{ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2025-03-01', clea_care_leaver_activity: ' ', clea_care_leaver_accommodation: 'D' }],
          involvements: [{ invo_involvements_id: 'I1', invo_referral_id: 'R1', invo_professional_role_id: 'CW', prof_social_worker_registration_no: '  ', invo_involvement_start_date: '2025-01-01' }],
        },
      );
      r.cinEpisodes[0] = { ...r.cinEpisodes[0]!, cine_referral_source_code: ' ', cine_close_reason: '', cine_referral_nfa: '  ' };
      const e = episode0(r);
      assert.equal(JSON.stringify(e.child_looked_after_placements), '[{"child_looked_after_placement_id":"PL1","start_date":"2025-02-01","purge":false}]');
      assert.equal(JSON.stringify(e.care_leavers), '{"contact_date":"2025-03-01","accommodation":"D","purge":false}');
      for (const k of ['referral_source', 'closure_reason', 'referral_no_further_action_flag', 'care_worker_details']) assert.equal(k in e, false, k);
      const problems = problemsOf(r);
      assert.ok(problems.every((x) => x.rule === 'blank-as-null' && x.severity === 'warning'));
      assert.deepEqual(
        problems.map((x) => [x.path, x.source]),
        [
          ['/social_care_episodes/0/referral_source', 'ssd_cin_episodes.cine_referral_source_code'],
          ['/social_care_episodes/0/closure_reason', 'ssd_cin_episodes.cine_close_reason'],
          ['/social_care_episodes/0/referral_no_further_action_flag', 'ssd_cin_episodes.cine_referral_nfa'],
          ['/social_care_episodes/0/child_looked_after_placements/0/start_reason', 'ssd_cla_episodes.clae_cla_episode_start_reason'],
          ['/social_care_episodes/0/child_looked_after_placements/0/postcode', 'ssd_cla_placement.clap_cla_placement_postcode'],
          ['/social_care_episodes/0/child_looked_after_placements/0/placement_type', 'ssd_cla_placement.clap_cla_placement_type'],
          ['/social_care_episodes/0/child_looked_after_placements/0/end_reason', 'ssd_cla_episodes.clae_cla_episode_ceased_reason'],
          ['/social_care_episodes/0/child_looked_after_placements/0/change_reason', 'ssd_cla_placement.clap_cla_placement_change_reason'],
          ['/social_care_episodes/0/care_worker_details', 'ssd_professionals.prof_social_worker_registration_no'],
          ['/social_care_episodes/0/care_leavers/activity', 'ssd_care_leavers.clea_care_leaver_activity'],
        ],
      );
    });

    it('a blank value among several CLA episodes warns only when the field ends up missing', () => {
      const r = child(
        {},
        {
          claEpisodes: [
            { clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: ' ' },
            { clae_cla_episode_id: 'E2', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'P' },
          ],
          placements: [{ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-02-01' }],
        },
      );
      assert.equal((episode0(r).child_looked_after_placements as Record<string, unknown>[])[0]!.start_reason, 'P');
      assert.deepEqual(problemsOf(r), []);
    });

    it('NULL values give no warning (as before)', () => {
      assert.deepEqual(problemsOf(child({ pers_forename: null, pers_upn: null, pers_ethnicity: null })), []);
    });
  });

  describe("codes are upper-cased when the upper-cased value is a code of the field's list", () => {
    it('upperCode', () => {
      const list = new Set(['RC7', 'E4A']);
      assert.deepEqual([upperCode('rc7', list), upperCode('RC7', list), upperCode('e4a', list), upperCode('rc0', list), upperCode(null, list)], ['RC7', 'RC7', 'E4A', 'rc0', null]);
    });

    it('every code field: lower-case codes are sent upper-cased', () => {
      const r = child(
        { pers_ethnicity: 'wbri', pers_upn_unknown: 'un10', pers_sex: 'f' },
        {
          cinPlans: [{ cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-01-01' }],
          claEpisodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'p', clae_cla_episode_ceased_reason: 'e4a' }],
          placements: [{ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-02-01', clap_cla_placement_type: 'u4', clap_cla_placement_change_reason: 'carpl' }],
          careLeavers: [{ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2025-03-01', clea_care_leaver_activity: 'f2', clea_care_leaver_accommodation: 'd' }],
          disabilities: [{ disa_table_id: 'D1', disa_disability_code: 'aut' }],
        },
      );
      r.cinEpisodes[0] = { ...r.cinEpisodes[0]!, cine_referral_source_code: '3c', cine_close_reason: 'rc7', cine_close_date: '2026-01-01' };
      const d = details(r);
      assert.deepEqual([d.ethnicity, d.unique_pupil_number_unknown_reason, d.sex, d.disabilities], ['WBRI', 'UN10', 'F', ['AUT']]);
      const e = episode0(r);
      assert.deepEqual([e.referral_source, e.closure_reason], ['3C', 'RC7']);
      const pl = (e.child_looked_after_placements as Record<string, unknown>[])[0]!;
      assert.deepEqual([pl.start_reason, pl.end_reason, pl.placement_type, pl.change_reason], ['P', 'E4A', 'U4', 'CARPL']);
      assert.equal(JSON.stringify(e.care_leavers), '{"contact_date":"2025-03-01","activity":"F2","accommodation":"D","purge":false}');
      assert.deepEqual(problemsOf(r), []);
    });

    it('anything else is sent as stored and validated as usual', () => {
      const r = child(
        { pers_ethnicity: 'White British' },
        {
          careLeavers: [{ clea_table_id: 'L1', clea_care_leaver_latest_contact: '2025-03-01', clea_care_leaver_activity: 'xx' }],
        },
      );
      assert.equal(details(r).ethnicity, 'Whit'); // LEFT 4, not a code
      assert.equal((episode0(r).care_leavers as Record<string, unknown>).activity, 'xx');
      assert.deepEqual(
        problemsOf(r).map((p) => [p.path, p.rule]),
        [['/social_care_episodes/0/care_leavers/activity', 'enum']],
      );
      assert.equal(AS_OF, '2026-08-10');
    });
  });
});
