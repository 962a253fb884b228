import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTables } from '../../../src/ddl/initTables';
import { BUILDER_TABLES } from '../../../src/model/ssdModel';
import { buildAllPayloadsForTest, buildChildPayload, comparePersonIds, emptyStats, MissingTablesError, streamChildPayloads } from '../../../src/payload/buildPayloads';
import type { CohortExclusion } from '../../../src/payload/types';
import { forEachTarget } from '../../helpers/targets';
import { clearTables, insertSsdRows, type SsdRows } from '../../helpers/ssdRows';

const AS_OF = '2026-08-10'; // window 2024-04-01 to 2026-08-11

function dataset(): SsdRows {
  return {
    ssd_person: [
      { pers_person_id: 'C1', pers_legacy_id: 'L1', pers_forename: "O'Brien", pers_surname: 'Zoë', pers_dob: '2015-05-01', pers_sex: 'f', pers_ethnicity: 'WBRI', pers_upn: 'A123456789012' },
      { pers_person_id: 'OLD', pers_dob: '1990-01-01' }, // gate A
      { pers_person_id: 'IDLE', pers_dob: '2015-01-01' }, // gate B
      { pers_person_id: 'PLAN', pers_dob: '2016-01-01' }, // CIN plan only: warning
      { pers_person_id: 'EDGE', pers_dob: '2016-01-01' },
    ],
    ssd_address: [{ addr_person_id: 'C1', addr_address_start_date: '2024-01-01T09:30:00', addr_address_postcode: 'AB1 2CD' }],
    ssd_disability: [{ disa_person_id: 'C1', disa_disability_code: 'vis' }],
    ssd_immigration_status: [
      { immi_person_id: 'C1', immi_immigration_status: 'Unaccompanied asylum seeking child', immi_immigration_status_start_date: '2024-01-01', immi_immigration_status_end_date: '2025-12-31' },
    ],
    ssd_linked_identifiers: [{ link_person_id: 'C1', link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: 'B123456789012', link_valid_from_date: '2019-01-01' }],
    ssd_cin_episodes: [
      {
        cine_referral_id: 'R1',
        cine_person_id: 'C1',
        cine_referral_date: '2025-01-01T14:00:00',
        cine_referral_source_code: '1a',
        cine_referral_nfa: 'N',
        cine_close_reason: 'RC1 ',
        cine_close_date: '2026-06-30',
      },
      { cine_referral_id: 'R0', cine_person_id: 'C1', cine_referral_date: '2019-01-01', cine_close_date: '2024-03-31' },
      // window end edge: midnight of the end day is inside, 10:00 on it is after (DATETIME vs DATE, as the T-SQL)
      { cine_referral_id: 'RE1', cine_person_id: 'EDGE', cine_referral_date: '2026-08-11T00:00:00', cine_close_date: '2026-08-11' },
      { cine_referral_id: 'RE2', cine_person_id: 'EDGE', cine_referral_date: '2026-08-11T10:00:00', cine_close_date: '2026-08-12' },
      { cine_referral_id: 'RI', cine_person_id: 'IDLE', cine_referral_date: '2019-01-01', cine_close_date: '2020-01-01' },
    ],
    ssd_cin_assessments: [{ cina_assessment_id: 'A1', cina_person_id: 'C1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-02', cina_assessment_auth_date: '2025-02-01' }],
    ssd_assessment_factors: [{ cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '{"1C": "Y", "4A": "Y"}' }],
    ssd_cin_plans: [
      { cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-02-01' },
      { cinp_cin_plan_id: 'P9', cinp_referral_id: 'RX', cinp_person_id: 'PLAN', cinp_cin_plan_start_date: '2025-02-01' },
    ],
    ssd_s47_enquiry: [
      {
        s47e_s47_enquiry_id: 'S1',
        s47e_referral_id: 'R1',
        s47e_person_id: 'C1',
        s47e_s47_start_date: '2025-01-05',
        s47e_s47_end_date: '2025-01-20',
        s47e_s47_outcome_json: '{"CP_CONFERENCE_FLAG": "Y"}',
      },
    ],
    ssd_initial_cp_conference: [
      { icpc_icpc_id: 'IC1', icpc_s47_enquiry_id: 'S1', icpc_icpc_date: '2025-01-25' },
      { icpc_icpc_id: 'IC0', icpc_s47_enquiry_id: 'S1', icpc_icpc_date: '2025-01-22' },
    ],
    ssd_cp_plans: [{ cppl_cp_plan_id: 'CPP1', cppl_referral_id: 'R1', cppl_person_id: 'C1', cppl_cp_plan_start_date: '2025-01-25', cppl_cp_plan_end_date: '2025-06-01' }],
    ssd_cla_episodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'S', clae_cla_episode_ceased_reason: 'E11' }],
    ssd_cla_placement: [
      {
        clap_cla_placement_id: 'PL1',
        clap_cla_id: 'CLA1',
        clap_cla_placement_start_date: '2025-07-01',
        clap_cla_placement_end_date: '2025-06-30',
        clap_cla_placement_type: 'U1',
        clap_cla_placement_postcode: 'ZZ1 1ZZ',
      },
    ],
    ssd_permanence: [{ perm_table_id: 'PM1', perm_cla_id: 'CLA1', perm_adm_decision_date: '2025-08-01' }],
    ssd_care_leavers: [{ clea_table_id: 'CL1', clea_person_id: 'C1', clea_care_leaver_latest_contact: '2026-01-01', clea_care_leaver_activity: 'F1', clea_care_leaver_accommodation: 'B' }],
    ssd_professionals: [
      { prof_professional_id: 'W1', prof_social_worker_registration_no: 'SW1234' },
      { prof_professional_id: 'W2', prof_social_worker_registration_no: null },
    ],
    ssd_involvements: [
      {
        invo_involvements_id: 'V1',
        invo_professional_id: 'W1',
        invo_referral_id: 'R1',
        invo_professional_role_id: 'CW',
        invo_involvement_start_date: '2025-01-01',
        invo_involvement_end_date: '2025-04-30',
      },
      { invo_involvements_id: 'V2', invo_professional_id: 'W2', invo_referral_id: 'R1', invo_professional_role_id: 'CW', invo_involvement_start_date: '2025-01-01' },
    ],
    ssd_sdq_scores: [{ csdq_person_id: 'C1', csdq_sdq_completed_date: '2025-06-01', csdq_sdq_score: 12 }],
  };
}

const C1_JSON =
  '{"la_child_id":"C1","mis_child_id":"L1","purge":false,' +
  '"child_details":{"unique_pupil_number":"A123456789012","former_unique_pupil_number":"B123456789012","first_name":"O\'Brien","surname":"Zoë",' +
  '"date_of_birth":"2015-05-01","sex":"F","ethnicity":"WBRI","disabilities":["VIS"],"postcode":"AB1 2CD","uasc_flag":true,"uasc_end_date":"2025-12-31","purge":false},' +
  '"health_and_wellbeing":{"sdq_assessments":[{"date":"2025-06-01","score":12}],"purge":false},' +
  '"social_care_episodes":[{"social_care_episode_id":"R1","referral_date":"2025-01-01","referral_source":"1A","closure_date":"2026-06-30","closure_reason":"RC1","referral_no_further_action_flag":false,' +
  '"child_and_family_assessments":[{"child_and_family_assessment_id":"A1","start_date":"2025-01-02","authorisation_date":"2025-02-01","factors":["1C","4A"],"purge":false}],' +
  '"child_in_need_plans":[{"child_in_need_plan_id":"P1","start_date":"2025-02-01","purge":false}],' +
  '"section_47_assessments":[{"section_47_assessment_id":"S1","start_date":"2025-01-05","icpc_required_flag":true,"icpc_date":"2025-01-25","end_date":"2025-01-20","purge":false}],' +
  '"child_protection_plans":[{"child_protection_plan_id":"CPP1","start_date":"2025-01-25","end_date":"2025-06-01","purge":false}],' +
  '"child_looked_after_placements":[{"child_looked_after_placement_id":"PL1","start_date":"2025-07-01","start_reason":"S","postcode":"ZZ1 1ZZ","placement_type":"U1","end_reason":"E11","purge":false}],' +
  '"adoption":{"initial_decision_date":"2025-08-01","purge":false},' +
  '"care_leavers":{"contact_date":"2026-01-01","activity":"F1","accommodation":"B","purge":false},' +
  '"care_worker_details":[{"worker_id":"SW1234","start_date":"2025-01-01","end_date":"2025-04-30"}],"purge":false}]}';

const TABLES = BUILDER_TABLES.map((t) => t.name);

forEachTarget('payload builder (streaming)', (fx) => {
  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema });
  });

  beforeEach(async function () {
    const { db, schema } = fx();
    await clearTables(db, schema, TABLES);
  });

  it('builds the exact payload of a child from all 19 tables and gates the others', async () => {
    const { db, schema } = fx();
    await insertSsdRows(db, schema, dataset());
    const excluded: CohortExclusion[] = [];
    const stats = emptyStats();
    const children = [];
    for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, onExcluded: (e) => excluded.push(e), stats, batchSize: 7 })) children.push(c);
    assert.deepEqual(
      children.map((c) => c.personId),
      ['C1', 'EDGE', 'PLAN'],
    );
    const c1 = children[0]!;
    assert.equal(JSON.stringify(c1.payload), C1_JSON);
    assert.deepEqual(c1.problems, []);
    assert.equal(c1.legacyId, 'L1');
    // EDGE: only the episode whose referral is at midnight on the window end day
    assert.deepEqual(
      (children[1]!.payload.social_care_episodes as Array<Record<string, unknown>>).map((e) => e.social_care_episode_id),
      ['RE1'],
    );
    // PLAN: admitted by a CIN plan without an episode: warning, still valid
    assert.equal('social_care_episodes' in children[2]!.payload, false);
    // … and its plan P9 names a referral that is not in ssd_cin_episodes: dropped, with a warning naming it
    assert.deepEqual(
      children[2]!.problems.map((p) => [p.rule, p.severity]),
      [
        ['cohort-without-episode', 'warning'],
        ['row-not-attached', 'warning'],
      ],
    );
    assert.match(children[2]!.problems[1]!.message, /^CIN plan 'P9' \(cinp_referral_id 'RX'\) of this child is not in the payload: its cinp_referral_id is not in ssd_cin_episodes\.cine_referral_id/);
    assert.equal(children[2]!.problems[1]!.source, 'ssd_cin_plans.cinp_referral_id');
    assert.deepEqual(
      excluded.map((e) => [e.personId, e.gate]),
      [
        ['IDLE', 'B'],
        ['OLD', 'A'],
      ],
    );
    assert.deepEqual({ ...stats, rows: 0 }, { persons: 5, personsWithoutId: 0, cohort: 3, excludedGateA: 1, excludedGateB: 1, rows: 0 });
    assert.ok(stats.rows > 20);
  });

  it('buildChildPayload: the same payload as the stream, or the gate that excluded the child', async () => {
    const { db, schema } = fx();
    await insertSsdRows(db, schema, dataset());
    const one = await buildChildPayload(db, 'C1', { schema, asOf: AS_OF });
    assert.ok('child' in one);
    assert.equal(JSON.stringify(one.child.payload), C1_JSON);
    const old = await buildChildPayload(db, 'OLD', { schema, asOf: AS_OF });
    assert.ok('exclusion' in old && old.exclusion.gate === 'A');
    const idle = await buildChildPayload(db, 'IDLE', { schema, asOf: AS_OF });
    assert.ok('exclusion' in idle && idle.exclusion.gate === 'B');
    const none = await buildChildPayload(db, 'NOPE', { schema, asOf: AS_OF });
    assert.ok('exclusion' in none && none.exclusion.gate === 'missing');
  });

  it('streams in code-point order of person ids, the order comparePersonIds gives', async () => {
    const { db, schema } = fx();
    const ids = ['b', 'B', 'a', 'A', '_x', '-y', '10', '9', 'Z', 'z', 'a-1', 'a_1', 'aa'];
    await insertSsdRows(db, schema, {
      ssd_person: ids.map((id) => ({ pers_person_id: id, pers_dob: '2015-01-01' })),
      ssd_cin_episodes: ids.map((id) => ({ cine_referral_id: `R${id}`, cine_person_id: id, cine_referral_date: '2025-01-01' })),
      ssd_disability: ids.map((id) => ({ disa_person_id: id, disa_disability_code: 'AUT' })),
    });
    const got = (await buildAllPayloadsForTest(db, { schema, asOf: AS_OF, batchSize: 3 })).map((c) => c.personId);
    assert.deepEqual(got, [...ids].sort(comparePersonIds));
    assert.deepEqual(got.slice(0, 4), ['-y', '10', '9', 'A']);
  });

  it('the as-of date decides the window: same tables, another as-of, another cohort', async () => {
    const { db, schema } = fx();
    await insertSsdRows(db, schema, dataset());
    // 2029-08-10: window 2027-04-01 to 2029-08-11. Every episode has closed; the open CIN plans still admit C1 and PLAN.
    const later = await buildAllPayloadsForTest(db, { schema, asOf: '2029-08-10' });
    assert.deepEqual(
      later.map((c) => [c.personId, 'social_care_episodes' in c.payload]),
      [
        ['C1', false],
        ['PLAN', false],
      ],
    );
    const earlier = await buildAllPayloadsForTest(db, { schema, asOf: '2019-06-01' });
    assert.deepEqual(
      earlier.map((c) => c.personId),
      ['C1', 'IDLE'],
    ); // OLD turned 26 in 2016
    await assert.rejects(() => buildAllPayloadsForTest(db, { schema, asOf: '2026-13-01' }), /YYYY-MM-DD/);
  });

  it('reproducible: the same data inserted in another row order gives byte-identical payloads (property)', async () => {
    const { db, schema } = fx();
    const data = dataset();
    // Extra rows that tie on dates, so only the id decides their order.
    data.ssd_cin_plans!.push({ cinp_cin_plan_id: 'P0', cinp_referral_id: 'R1', cinp_person_id: 'C1', cinp_cin_plan_start_date: '2025-02-01' });
    data.ssd_sdq_scores!.push({ csdq_person_id: 'C1', csdq_sdq_completed_date: '2025-06-01', csdq_sdq_score: 3 });
    data.ssd_disability!.push({ disa_person_id: 'C1', disa_disability_code: 'AUT' }, { disa_person_id: 'C1', disa_disability_code: 'VIS' });
    await insertSsdRows(db, schema, data);
    const text = async () => (await buildAllPayloadsForTest(db, { schema, asOf: AS_OF })).map((c) => JSON.stringify(c.payload)).join('\n');
    const expected = await text();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        await clearTables(db, schema, TABLES);
        let s = seed;
        const rand = () => {
          s = (s * 1103515245 + 12345) % 2147483648;
          return s / 2147483648;
        };
        const shuffled: SsdRows = {};
        const tables = Object.keys(data).sort(() => rand() - 0.5);
        for (const t of tables)
          shuffled[t] = [...data[t]!]
            .map((r) => [rand(), r] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, r]) => r);
        await insertSsdRows(db, schema, shuffled);
        assert.equal(await text(), expected);
      }),
      { numRuns: 4 },
    );
  });

  it('NULL in every nullable column of every table: keys left out, nothing breaks', async () => {
    const { db, schema } = fx();
    // Only keys, links and the dates a child needs to be in the cohort; every other column NULL.
    await insertSsdRows(db, schema, {
      ssd_person: [{ pers_person_id: 'N1', pers_expected_dob: '2026-08-01' }, { pers_person_id: 'N0' }],
      ssd_address: [{ addr_person_id: 'N1' }],
      ssd_disability: [{ disa_person_id: 'N1', disa_disability_code: ' ' }],
      ssd_immigration_status: [{ immi_person_id: 'N1' }],
      ssd_linked_identifiers: [{ link_person_id: 'N1' }],
      ssd_cin_episodes: [{ cine_referral_id: 'R1', cine_person_id: 'N1', cine_referral_date: '2025-01-01' }],
      ssd_cin_assessments: [{ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_auth_date: '2025-03-01' }],
      ssd_assessment_factors: [{ cinf_assessment_id: 'A1' }],
      ssd_cin_plans: [{ cinp_cin_plan_id: 'P1', cinp_referral_id: 'R1', cinp_cin_plan_start_date: '2025-01-01' }],
      ssd_s47_enquiry: [{ s47e_s47_enquiry_id: 'S1', s47e_referral_id: 'R1', s47e_s47_start_date: '2025-01-01' }],
      ssd_initial_cp_conference: [{ icpc_s47_enquiry_id: 'S1' }],
      ssd_cp_plans: [{ cppl_cp_plan_id: 'CP1', cppl_referral_id: 'R1', cppl_cp_plan_start_date: '2025-01-01' }],
      ssd_cla_episodes: [{ clae_cla_episode_id: 'E1', clae_cla_id: 'CLA1', clae_referral_id: 'R1' }],
      ssd_cla_placement: [{ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2025-01-01' }],
      ssd_permanence: [{ perm_person_id: 'N1' }],
      ssd_care_leavers: [{ clea_person_id: 'N1' }],
      ssd_professionals: [{ prof_professional_id: 'W1' }],
      ssd_involvements: [{ invo_professional_id: 'W1', invo_referral_id: 'R1' }],
      ssd_sdq_scores: [{ csdq_person_id: 'N1' }],
    });
    const excluded: CohortExclusion[] = [];
    const all = [];
    for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, onExcluded: (e) => excluded.push(e) })) all.push(c);
    assert.deepEqual(
      excluded.map((e) => [e.personId, e.gate]),
      [['N0', 'A']],
    );
    assert.equal(all.length, 1);
    assert.equal(
      JSON.stringify(all[0]!.payload),
      '{"la_child_id":"N1","purge":false,"child_details":{"expected_date_of_birth":"2026-08-01","sex":"U","disabilities":["NONE"],"uasc_flag":false,"purge":false},' +
        '"social_care_episodes":[{"social_care_episode_id":"R1","referral_date":"2025-01-01",' +
        '"child_and_family_assessments":[{"child_and_family_assessment_id":"A1","authorisation_date":"2025-03-01","factors":[],"purge":false}],' +
        '"child_in_need_plans":[{"child_in_need_plan_id":"P1","start_date":"2025-01-01","purge":false}],' +
        '"section_47_assessments":[{"section_47_assessment_id":"S1","start_date":"2025-01-01","purge":false}],' +
        '"child_protection_plans":[{"child_protection_plan_id":"CP1","start_date":"2025-01-01","purge":false}],' +
        '"child_looked_after_placements":[{"child_looked_after_placement_id":"PL1","start_date":"2025-01-01","purge":false}],' +
        '"care_leavers":{"purge":false},"purge":false}]}',
    );
    assert.deepEqual(all[0]!.problems, []);
  });

  it('a schema without the SSD tables is a clear error naming the missing tables', async () => {
    const { db } = fx();
    await assert.rejects(
      () => buildAllPayloadsForTest(db, { schema: 'ssd_no_such_schema', asOf: AS_OF }),
      (e: unknown) => e instanceof MissingTablesError && e.missing.length === 19 && /ssd_no_such_schema lacks 19/.test(e.message),
    );
  });

  it('malformed factors make only that child invalid; the build goes on', async () => {
    const { db, schema } = fx();
    await insertSsdRows(db, schema, {
      ssd_person: [
        { pers_person_id: 'K1', pers_dob: '2015-01-01' },
        { pers_person_id: 'K2', pers_dob: '2015-01-01' },
      ],
      ssd_cin_episodes: [
        { cine_referral_id: 'R1', cine_person_id: 'K1', cine_referral_date: '2025-01-01' },
        { cine_referral_id: 'R2', cine_person_id: 'K2', cine_referral_date: '2025-01-01' },
      ],
      ssd_cin_assessments: [
        { cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-02' },
        { cina_assessment_id: 'A2', cina_referral_id: 'R2', cina_assessment_start_date: '2025-01-02' },
      ],
      ssd_assessment_factors: [
        { cinf_assessment_id: 'A1', cinf_assessment_factors_json: '["1A", ' },
        { cinf_assessment_id: 'A2', cinf_assessment_factors_json: '1A,2B' },
      ],
    });
    const all = await buildAllPayloadsForTest(db, { schema, asOf: AS_OF });
    assert.deepEqual(
      all.map((c) => [c.personId, c.problems.map((p) => p.rule)]),
      [
        ['K1', ['factors-unparseable']],
        ['K2', []],
      ],
    );
  });
});
