// The same SSD rows give the same payloads and the same check findings on every database: each
// target (PGlite, PostgreSQL, SQL Server when SSD_TEST_MSSQL is set, Oracle when SSD_TEST_ORACLE is
// set) is compared with an in-process PGlite holding the same rows. On Oracle this is where the
// rendered sql/oracle/ files (payload stream, cohort rule, every check rule) meet a real server: the
// GitHub Actions job runs it against Oracle Database Free. The rows avoid empty strings, which
// Oracle stores as NULL (a documented difference, see docs/connections.md). The second suite does
// the same with children written by ssd fake (its array inserts, on Oracle executeMany).
import assert from 'node:assert/strict';
import { runChecks } from '../../../src/check/runChecks';
import type { CheckFinding } from '../../../src/check/types';
import { openDb } from '../../../src/db/openDb';
import type { Db } from '../../../src/db/types';
import { initTables } from '../../../src/ddl/initTables';
import { defaultShares } from '../../../src/fake/cohort';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { buildChildPayload, streamChildPayloads } from '../../../src/payload/buildPayloads';
import type { BuiltChild } from '../../../src/payload/types';
import { forEachTarget } from '../../helpers/targets';
import { insertSsdRows, type SsdRows } from '../../helpers/ssdRows';

const AS_OF = '2025-03-31';

function dataset(): SsdRows {
  return {
    ssd_person: [
      { pers_person_id: 'C1', pers_legacy_id: 'L1', pers_forename: "O'Brien", pers_surname: 'Zoë', pers_dob: '2012-02-29', pers_sex: 'm', pers_ethnicity: 'WBRI', pers_upn: 'A123456789012' },
      { pers_person_id: 'C2', pers_dob: '2016-07-01T08:15:00', pers_sex: 'F', pers_ethnicity: 'White British' },
      { pers_person_id: 'OLD', pers_dob: '1990-01-01' }, // 26 long before the window: out
      { pers_person_id: 'EDGE', pers_dob: '1996-04-01' }, // 26 on the window start (2022-04-01): out by one day
      { pers_person_id: 'Zé', pers_dob: '2018-01-01', pers_upn: 'bad upn' },
      { pers_person_id: 'UNBORN', pers_expected_dob: '2025-03-15' },
    ],
    ssd_address: [{ addr_person_id: 'C1', addr_address_start_date: '2024-01-01T09:30:00', addr_address_postcode: 'AB1 2CD' }],
    ssd_disability: [{ disa_person_id: 'C1', disa_disability_code: 'vis' }],
    ssd_cin_episodes: [
      {
        cine_referral_id: 'R1',
        cine_person_id: 'C1',
        cine_referral_date: '2024-06-01T14:00:00',
        cine_referral_source_code: '1a',
        cine_referral_nfa: 'N',
        cine_close_reason: 'RC1',
        cine_close_date: '2025-01-31',
      },
      { cine_referral_id: 'R2', cine_person_id: 'C2', cine_referral_date: '2024-09-01', cine_referral_source_code: '2A - Schools' },
      { cine_referral_id: 'R3', cine_person_id: 'Zé', cine_referral_date: '2024-10-01', cine_referral_source_code: 'XX' },
      { cine_referral_id: 'R4', cine_person_id: 'OLD', cine_referral_date: '2024-10-01' },
      { cine_referral_id: 'R5', cine_person_id: 'EDGE', cine_referral_date: '2024-10-01' },
      { cine_referral_id: 'R6', cine_person_id: 'UNBORN', cine_referral_date: '2025-01-10' },
    ],
    ssd_cin_assessments: [{ cina_assessment_id: 'A1', cina_person_id: 'C1', cina_referral_id: 'R1', cina_assessment_start_date: '2024-06-02', cina_assessment_auth_date: '2024-07-01' }],
    ssd_assessment_factors: [{ cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '{"1C": "Y", "4A": "Y"}' }],
    ssd_cin_plans: [{ cinp_cin_plan_id: 'P9', cinp_referral_id: 'RX', cinp_person_id: 'C2', cinp_cin_plan_start_date: '2024-10-01' }],
    ssd_cla_episodes: [{ clae_cla_episode_id: 'E1', clae_person_id: 'C1', clae_cla_id: 'CLA1', clae_referral_id: 'R1', clae_cla_episode_start_reason: 'S', clae_cla_episode_ceased_reason: 'E11' }],
    ssd_cla_placement: [{ clap_cla_placement_id: 'PL1', clap_cla_id: 'CLA1', clap_cla_placement_start_date: '2024-07-01', clap_cla_placement_type: 'U1', clap_cla_placement_postcode: 'ZZ1 1ZZ' }],
    ssd_sdq_scores: [{ csdq_person_id: 'C1', csdq_sdq_completed_date: '2024-12-01', csdq_sdq_score: 12 }],
  };
}

async function payloadsOf(db: Db, schema: string): Promise<BuiltChild[]> {
  const out: BuiltChild[] = [];
  for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, batchSize: 4 })) out.push(c);
  return out;
}

/** What a finding says about the data (not which database or how long it took). */
const gist = (f: CheckFinding) => `${f.ruleId} ${f.table ?? ''}.${f.column ?? ''} ${f.count} [${f.examples.join(',')}]`;

forEachTarget(
  'payloads and check findings agree with PGlite',
  (fx) => {
    let reference: { payloads: BuiltChild[]; findings: string[] };

    before(async function () {
      this.timeout(120_000);
      const ref = await openDb('pglite:memory');
      try {
        await ref.execute('CREATE SCHEMA ssd_ref');
        await initTables(ref, { schema: 'ssd_ref' });
        await insertSsdRows(ref, 'ssd_ref', dataset());
        const report = await runChecks(ref, { schema: 'ssd_ref', asOf: AS_OF });
        reference = { payloads: await payloadsOf(ref, 'ssd_ref'), findings: report.findings.map(gist) };
      } finally {
        await ref.close();
      }
      const { db, schema } = fx();
      await initTables(db, { schema });
      await insertSsdRows(db, schema, dataset());
    });

    it('the reference is not trivial: children in and out of the cohort, warnings, findings that fire', () => {
      assert.deepEqual(
        reference.payloads.map((c) => c.personId),
        ['C1', 'C2', 'UNBORN', 'Zé'],
      );
      assert.ok(reference.payloads.some((c) => c.problems.length > 0));
      assert.ok(reference.findings.some((f) => f.startsWith('SSD-COHO-001 ')) || reference.findings.length > 5, reference.findings.join('\n'));
    });

    it('the stream gives the same payloads and problems, in the same (code-point) order', async () => {
      const { db, schema } = fx();
      const got = await payloadsOf(db, schema);
      assert.deepEqual(
        got.map((c) => c.personId),
        reference.payloads.map((c) => c.personId),
      );
      assert.equal(JSON.stringify(got.map((c) => c.payload)), JSON.stringify(reference.payloads.map((c) => c.payload)));
      assert.deepEqual(
        got.map((c) => c.problems),
        reference.payloads.map((c) => c.problems),
      );
      const one = await buildChildPayload(db, 'Zé', { schema, asOf: AS_OF });
      assert.ok('child' in one);
      assert.equal(JSON.stringify(one.child.payload), JSON.stringify(reference.payloads[3]!.payload));
      const old = await buildChildPayload(db, 'EDGE', { schema, asOf: AS_OF });
      assert.ok('exclusion' in old && old.exclusion.gate === 'A');
    });

    it('ssd check finds the same problems (rule, table, column, count, examples)', async function () {
      this.timeout(120_000);
      const { db, schema } = fx();
      const report = await runChecks(db, { schema, asOf: AS_OF });
      assert.deepEqual(report.findings.map(gist), reference.findings);
    });
  },
  { oracle: true },
);

forEachTarget(
  'ssd fake writes the same children as on PGlite, and they build the same payloads',
  (fx) => {
    // No injected problems: some are empty strings, which Oracle stores as NULL.
    const options = { children: 150, seed: 'agree', asOf: AS_OF, chunkSize: 40, shares: defaultShares(0) };

    it('same rows per table, same payloads and problems', async function () {
      this.timeout(300_000);
      const ref = await openDb('pglite:memory');
      let want: { rows: Record<string, number>; payloads: BuiltChild[] };
      try {
        await ref.execute('CREATE SCHEMA ssd_ref');
        const summary = await generateFakeSsd(ref, { ...options, schema: 'ssd_ref' });
        want = { rows: summary.rows, payloads: await payloadsOf(ref, 'ssd_ref') };
      } finally {
        await ref.close();
      }
      const { db, schema } = fx();
      const got = await generateFakeSsd(db, { ...options, schema });
      assert.deepEqual(got.rows, want.rows);
      assert.ok(want.payloads.length > 50, `${want.payloads.length} children in the cohort`);
      const payloads = await payloadsOf(db, schema);
      assert.deepEqual(
        payloads.map((c) => c.personId),
        want.payloads.map((c) => c.personId),
      );
      assert.equal(JSON.stringify(payloads.map((c) => c.payload)), JSON.stringify(want.payloads.map((c) => c.payload)));
      assert.deepEqual(
        payloads.map((c) => c.problems),
        want.payloads.map((c) => c.problems),
      );
    });
  },
  { oracle: true },
);
