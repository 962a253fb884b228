import assert from 'node:assert/strict';
import { qualify } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { codesOf, CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITIES, CLOSURE_REASONS, ETHNICITIES, PLACEMENT_TYPES, REFERRAL_SOURCES } from '../../../src/fake/codes';
import { FAKE_COLUMNS, FAKE_TABLES, PROBLEM_KINDS, defaultShares, type FakeTable } from '../../../src/fake/cohort';
import { FAKE_RUNS_TABLE, FakeRefusedError, foreignTables, generateFakeSsd, type FakeSummary } from '../../../src/fake/generateFakeSsd';
import { POSTCODE_FORMAT } from '../../../src/fake/names';
import { isValidUpn } from '../../../src/fake/upn';
import { forEachTarget } from '../../helpers/targets';

const AS_OF = '2026-08-10';
const N = 2000;

forEachTarget('ssd fake', (fx) => {
  const T = (name: string) => qualify(fx().db.dialect, fx().schema, name);
  const count = async (sql: string, params: unknown[] = []) => Number((await fx().db.query<{ n: number | string }>(sql, params))[0]?.n ?? 0);
  const ids = async (sql: string) => new Set((await fx().db.query<{ id: string }>(sql)).map((r) => String(r.id)));
  const column = async (sql: string) => (await fx().db.query<{ v: unknown }>(sql)).map((r) => r.v);
  const run = (opts: Partial<Parameters<typeof generateFakeSsd>[1]> = {}) => generateFakeSsd(fx().db, { schema: fx().schema, children: N, seed: 'p', asOf: AS_OF, shares: defaultShares(0), ...opts });
  /** Every table's rows in key order, as text. */
  const dump = async (db: Db, tables: readonly FakeTable[] = FAKE_TABLES, where: Partial<Record<FakeTable, string>> = {}) => {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const cols = FAKE_COLUMNS[t];
      out[t] = JSON.stringify(await db.query(`SELECT ${cols.join(', ')} FROM ${T(t)}${where[t] ? ` WHERE ${where[t]}` : ''} ORDER BY ${cols[0]}`));
    }
    return out;
  };
  const share = (part: number, whole: number) => (whole === 0 ? NaN : part / whole);

  let clean: FakeSummary;

  describe('a clean cohort of 2,000 children', () => {
    before(async function () {
      this.timeout(300000);
      clean = await run();
    });

    it('writes every child and reports rows, cohort and no problems', async () => {
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), N);
      for (const t of FAKE_TABLES) assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T(t)}`), clean.rows[t], t);
      for (const k of PROBLEM_KINDS) assert.equal(clean.problems[k], 0);
      assert.equal(clean.createdTables.length, 19);
      assert.equal(clean.window.start, '2024-04-01');
      const [m] = await fx().db.query<{ status: string; children_written: number }>(`SELECT status, children_written FROM ${T(FAKE_RUNS_TABLE)} WHERE run_no = $1`, [clean.runNo]);
      assert.equal(m?.status, 'complete');
      assert.equal(Number(m?.children_written), N);
    });

    it('has realistic proportions', async () => {
      const perChild = (sql: string) => count(sql).then((n) => n / N);
      const lookedAfter = await perChild(`SELECT COUNT(DISTINCT clae_person_id) AS n FROM ${T('ssd_cla_episodes')}`);
      assert.ok(lookedAfter >= 0.1 && lookedAfter <= 0.16, `looked after ${lookedAfter}`);
      const unborn = await perChild(`SELECT COUNT(*) AS n FROM ${T('ssd_person')} WHERE pers_dob IS NULL AND pers_expected_dob IS NOT NULL`);
      assert.ok(unborn >= 0.005 && unborn <= 0.03, `unborn ${unborn}`);
      const leavers = await perChild(`SELECT COUNT(DISTINCT clea_person_id) AS n FROM ${T('ssd_care_leavers')}`);
      assert.ok(leavers >= 0.03 && leavers <= 0.07, `care leavers ${leavers}`);
      // Referrals: everyone has one; most one or two.
      const perPerson = await fx().db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_episodes')} GROUP BY cine_person_id`);
      assert.equal(perPerson.length, N);
      const oneOrTwo = perPerson.filter((r) => Number(r.n) <= 2).length / N;
      assert.ok(oneOrTwo >= 0.8 && oneOrTwo < 1, `one or two referrals ${oneOrTwo}`);
      const assessed = await perChild(`SELECT COUNT(DISTINCT cina_person_id) AS n FROM ${T('ssd_cin_assessments')}`);
      assert.ok(assessed >= 0.6 && assessed <= 0.95, `assessed ${assessed}`);
      const withFactors = await count(`SELECT COUNT(*) AS n FROM ${T('ssd_assessment_factors')}`);
      assert.ok(withFactors > 0.5 * (await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_assessments')}`)));
      const cinPlans = await perChild(`SELECT COUNT(DISTINCT cinp_person_id) AS n FROM ${T('ssd_cin_plans')}`);
      assert.ok(cinPlans >= 0.1 && cinPlans <= 0.35, `CIN plans ${cinPlans}`);
      const s47 = await perChild(`SELECT COUNT(DISTINCT s47e_person_id) AS n FROM ${T('ssd_s47_enquiry')}`);
      assert.ok(s47 >= 0.08 && s47 <= 0.3, `S47 ${s47}`);
      const withIcpc = await count(
        `SELECT COUNT(*) AS n FROM ${T('ssd_s47_enquiry')} s WHERE EXISTS (SELECT 1 FROM ${T('ssd_initial_cp_conference')} i WHERE i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id)`,
      );
      const allS47 = await count(`SELECT COUNT(*) AS n FROM ${T('ssd_s47_enquiry')}`);
      assert.ok(withIcpc > 0.2 * allS47 && withIcpc < 0.8 * allS47, `S47 with ICPC ${withIcpc}/${allS47}`);
      const cp = await perChild(`SELECT COUNT(DISTINCT cppl_person_id) AS n FROM ${T('ssd_cp_plans')}`);
      assert.ok(cp >= 0.03 && cp <= 0.15, `CP plans ${cp}`);
      const disabled = await perChild(`SELECT COUNT(DISTINCT disa_person_id) AS n FROM ${T('ssd_disability')} WHERE disa_disability_code <> 'NONE'`);
      assert.ok(disabled >= 0.07 && disabled <= 0.2, `disabled ${disabled}`);
      assert.ok((await count(`SELECT COUNT(*) AS n FROM ${T('ssd_immigration_status')} WHERE immi_immigration_status = 'U'`)) >= 5);
      assert.ok((await count(`SELECT COUNT(*) AS n FROM ${T('ssd_permanence')} WHERE perm_adm_decision_date IS NOT NULL`)) >= 1);
      const sdq = await column(`SELECT csdq_sdq_score AS v FROM ${T('ssd_sdq_scores')}`);
      assert.ok(sdq.length > 50);
      for (const s of sdq) assert.ok(Number(s) >= 0 && Number(s) <= 40);
      // Placements: histories, with change reasons on all but the last of a period.
      assert.ok(clean.rows.ssd_cla_placement > clean.cohort.lookedAfter + clean.cohort.careLeavers);
      assert.ok((await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cla_placement')} WHERE clap_cla_placement_change_reason IS NOT NULL`)) > 0);
      // Workers: case workers with registrations, and other roles.
      const roles = new Set((await column(`SELECT DISTINCT invo_professional_role_id AS v FROM ${T('ssd_involvements')}`)).map(String));
      for (const r of ['CW', 'IRO', 'PA', 'TM']) assert.ok(roles.has(r), `role ${r}`);
      const regs = await column(`SELECT prof_social_worker_registration_no AS v FROM ${T('ssd_professionals')} WHERE prof_social_worker_registration_no IS NOT NULL`);
      assert.ok(regs.length > 0.5 * clean.cohort.professionals);
      for (const r of regs) assert.match(String(r), /^SW\d{6}$/);
      // Mostly within the last three years, and overlapping the reporting window.
      const recent = await perChild(
        `SELECT COUNT(DISTINCT cine_person_id) AS n FROM ${T('ssd_cin_episodes')} WHERE cine_referral_date >= ${fx().db.dialect === 'mssql' ? "CAST('2023-08-10T00:00:00' AS DATETIME)" : "CAST('2023-08-10' AS TIMESTAMP)"}`,
      );
      assert.ok(recent >= 0.85, `recent ${recent}`);
    });

    it('uses DfE codes and valid UPNs', async () => {
      const inList = async (sql: string, codes: string[]) => {
        const vals = (await column(sql)).filter((v) => v !== null).map(String);
        assert.ok(vals.length > 0, sql);
        for (const v of vals) assert.ok(codes.includes(v), `${v} not in list (${sql})`);
      };
      await inList(`SELECT DISTINCT cine_referral_source_code AS v FROM ${T('ssd_cin_episodes')}`, codesOf(REFERRAL_SOURCES));
      await inList(`SELECT DISTINCT cine_close_reason AS v FROM ${T('ssd_cin_episodes')}`, codesOf(CLOSURE_REASONS));
      await inList(`SELECT DISTINCT clap_cla_placement_type AS v FROM ${T('ssd_cla_placement')}`, codesOf(PLACEMENT_TYPES));
      await inList(`SELECT DISTINCT clea_care_leaver_activity AS v FROM ${T('ssd_care_leavers')}`, codesOf(CARE_LEAVER_ACTIVITIES));
      await inList(`SELECT DISTINCT clea_care_leaver_accommodation AS v FROM ${T('ssd_care_leavers')}`, codesOf(CARE_LEAVER_ACCOMMODATION));
      await inList(`SELECT DISTINCT pers_ethnicity AS v FROM ${T('ssd_person')}`, codesOf(ETHNICITIES));
      await inList(
        `SELECT DISTINCT pers_upn_unknown AS v FROM ${T('ssd_person')}`,
        Array.from({ length: 10 }, (_, i) => `UN${i + 1}`),
      );
      const upns = (await column(`SELECT pers_upn AS v FROM ${T('ssd_person')} WHERE pers_upn IS NOT NULL`)).map(String);
      assert.ok(upns.length > 0.6 * N);
      assert.equal(new Set(upns).size, upns.length, 'UPNs are unique');
      for (const u of upns) assert.ok(isValidUpn(u), u);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')} WHERE pers_upn IS NULL AND pers_upn_unknown IS NULL`), 0);
      const former = (await column(`SELECT link_identifier_value AS v FROM ${T('ssd_linked_identifiers')} WHERE link_identifier_type = 'Former Unique Pupil Number'`)).map(String);
      assert.ok(former.length > 0);
      for (const u of former) assert.ok(isValidUpn(u), u);
      for (const f of (await column(`SELECT cinf_assessment_factors_json AS v FROM ${T('ssd_assessment_factors')}`)).map(String)) {
        const codes = JSON.parse(f) as string[];
        assert.ok(Array.isArray(codes) && codes.length >= 1 && codes.every((c) => /^\d{1,2}[A-F]?$/.test(c)), f);
      }
      for (const p of (await column(`SELECT addr_address_postcode AS v FROM ${T('ssd_address')}`)).map(String)) assert.match(p, POSTCODE_FORMAT);
    });

    it('is internally consistent: every reference resolves', async () => {
      const refs: [string, string, string, string][] = [
        ['ssd_cin_episodes', 'cine_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_address', 'addr_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_disability', 'disa_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_immigration_status', 'immi_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_linked_identifiers', 'link_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_sdq_scores', 'csdq_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_care_leavers', 'clea_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_permanence', 'perm_person_id', 'ssd_person', 'pers_person_id'],
        ['ssd_cin_assessments', 'cina_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_assessment_factors', 'cinf_assessment_id', 'ssd_cin_assessments', 'cina_assessment_id'],
        ['ssd_cin_plans', 'cinp_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_s47_enquiry', 's47e_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_initial_cp_conference', 'icpc_s47_enquiry_id', 'ssd_s47_enquiry', 's47e_s47_enquiry_id'],
        ['ssd_initial_cp_conference', 'icpc_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_cp_plans', 'cppl_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_cp_plans', 'cppl_icpc_id', 'ssd_initial_cp_conference', 'icpc_icpc_id'],
        ['ssd_cla_episodes', 'clae_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
        ['ssd_cla_episodes', 'clae_cla_placement_id', 'ssd_cla_placement', 'clap_cla_placement_id'],
        ['ssd_cla_placement', 'clap_cla_id', 'ssd_cla_episodes', 'clae_cla_id'],
        ['ssd_permanence', 'perm_cla_id', 'ssd_cla_episodes', 'clae_cla_id'],
        ['ssd_involvements', 'invo_professional_id', 'ssd_professionals', 'prof_professional_id'],
        ['ssd_involvements', 'invo_referral_id', 'ssd_cin_episodes', 'cine_referral_id'],
      ];
      for (const [child, fk, parent, pk] of refs) {
        const n = await count(`SELECT COUNT(*) AS n FROM ${T(child)} c WHERE c.${fk} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${T(parent)} p WHERE p.${pk} = c.${fk})`);
        assert.equal(n, 0, `${child}.${fk} -> ${parent}.${pk}`);
      }
      // Records of a referral belong to the same person.
      assert.equal(
        await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_assessments')} a JOIN ${T('ssd_cin_episodes')} e ON e.cine_referral_id = a.cina_referral_id WHERE e.cine_person_id <> a.cina_person_id`),
        0,
      );
      assert.equal(
        await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cla_episodes')} c JOIN ${T('ssd_cin_episodes')} e ON e.cine_referral_id = c.clae_referral_id WHERE e.cine_person_id <> c.clae_person_id`),
        0,
      );
    });

    it('has ordered dates: referral <= assessment <= plan, end >= start, nothing after the as-of date', async () => {
      const none = async (label: string, sql: string) => assert.equal(await count(`SELECT COUNT(*) AS n FROM ${sql}`), 0, label);
      const pairs: [FakeTable, string, string][] = [
        ['ssd_cin_episodes', 'cine_referral_date', 'cine_close_date'],
        ['ssd_cin_assessments', 'cina_assessment_start_date', 'cina_assessment_auth_date'],
        ['ssd_cin_plans', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date'],
        ['ssd_s47_enquiry', 's47e_s47_start_date', 's47e_s47_end_date'],
        ['ssd_cp_plans', 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date'],
        ['ssd_cla_episodes', 'clae_cla_episode_start_date', 'clae_cla_episode_ceased_date'],
        ['ssd_cla_placement', 'clap_cla_placement_start_date', 'clap_cla_placement_end_date'],
        ['ssd_involvements', 'invo_involvement_start_date', 'invo_involvement_end_date'],
        ['ssd_address', 'addr_address_start_date', 'addr_address_end_date'],
        ['ssd_immigration_status', 'immi_immigration_status_start_date', 'immi_immigration_status_end_date'],
        ['ssd_linked_identifiers', 'link_valid_from_date', 'link_valid_to_date'],
      ];
      for (const [t, s, e] of pairs) await none(`${t}: ${e} before ${s}`, `${T(t)} WHERE ${e} < ${s}`);
      const ep = T('ssd_cin_episodes');
      await none('assessment before referral', `${T('ssd_cin_assessments')} a JOIN ${ep} e ON e.cine_referral_id = a.cina_referral_id WHERE a.cina_assessment_start_date < e.cine_referral_date`);
      await none('CIN plan before referral', `${T('ssd_cin_plans')} p JOIN ${ep} e ON e.cine_referral_id = p.cinp_referral_id WHERE p.cinp_cin_plan_start_date < e.cine_referral_date`);
      await none(
        'CIN plan before assessment',
        `${T('ssd_cin_plans')} p JOIN ${T('ssd_cin_assessments')} a ON a.cina_referral_id = p.cinp_referral_id WHERE p.cinp_cin_plan_start_date < a.cina_assessment_auth_date`,
      );
      await none('S47 before referral', `${T('ssd_s47_enquiry')} s JOIN ${ep} e ON e.cine_referral_id = s.s47e_referral_id WHERE s.s47e_s47_start_date < e.cine_referral_date`);
      await none(
        'ICPC before S47 end',
        `${T('ssd_initial_cp_conference')} i JOIN ${T('ssd_s47_enquiry')} s ON s.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id WHERE i.icpc_icpc_date < s.s47e_s47_end_date`,
      );
      await none('CP plan before ICPC', `${T('ssd_cp_plans')} c JOIN ${T('ssd_initial_cp_conference')} i ON i.icpc_icpc_id = c.cppl_icpc_id WHERE c.cppl_cp_plan_start_date < i.icpc_icpc_date`);
      await none('care before referral', `${T('ssd_cla_episodes')} c JOIN ${ep} e ON e.cine_referral_id = c.clae_referral_id WHERE c.clae_cla_episode_start_date < e.cine_referral_date`);
      await none(
        'referral closed while in care',
        `${T('ssd_cla_episodes')} c JOIN ${ep} e ON e.cine_referral_id = c.clae_referral_id WHERE e.cine_close_date IS NOT NULL AND (c.clae_cla_episode_ceased_date IS NULL OR e.cine_close_date < c.clae_cla_episode_ceased_date)`,
      );
      await none('referral before birth', `${ep} e JOIN ${T('ssd_person')} p ON p.pers_person_id = e.cine_person_id WHERE p.pers_dob IS NOT NULL AND e.cine_referral_date < p.pers_dob`);
      await none('adoption steps out of order', `${T('ssd_permanence')} WHERE perm_matched_date < perm_adm_decision_date OR perm_placed_for_adoption_date < perm_matched_date`);
      const latest: [FakeTable, string][] = [
        ['ssd_cin_episodes', 'cine_referral_date'],
        ['ssd_cin_episodes', 'cine_close_date'],
        ['ssd_cin_assessments', 'cina_assessment_auth_date'],
        ['ssd_cp_plans', 'cppl_cp_plan_end_date'],
        ['ssd_cla_placement', 'clap_cla_placement_start_date'],
        ['ssd_cla_placement', 'clap_cla_placement_end_date'],
        ['ssd_care_leavers', 'clea_care_leaver_latest_contact'],
        ['ssd_sdq_scores', 'csdq_sdq_completed_date'],
        ['ssd_person', 'pers_dob'],
        ['ssd_permanence', 'perm_placed_for_adoption_date'],
        ['ssd_involvements', 'invo_involvement_start_date'],
      ];
      for (const [t, c] of latest) {
        const [max] = await column(`SELECT MAX(${c}) AS v FROM ${T(t)}`);
        assert.ok(max !== null && String(max).slice(0, 10) <= AS_OF, `${t}.${c} max ${String(max)}`);
      }
      // Care leavers are 16-25 on the as-of date.
      const ages = await fx().db.query<{ dob: string }>(`SELECT DISTINCT p.pers_dob AS dob FROM ${T('ssd_person')} p JOIN ${T('ssd_care_leavers')} c ON c.clea_person_id = p.pers_person_id`);
      for (const { dob } of ages) {
        const d = String(dob).slice(0, 10);
        assert.ok(d <= '2010-08-10' && d > '2000-08-10', `care leaver born ${d}`);
      }
    });
  });

  describe('determinism', () => {
    it('the same seed gives identical tables; our own rows are replaced without --replace', async function () {
      this.timeout(300000);
      const before = await dump(fx().db);
      const again = await run();
      assert.deepEqual(again.deleted, Object.fromEntries(FAKE_TABLES.filter((t) => clean.rows[t] > 0).map((t) => [t, clean.rows[t]])));
      assert.deepEqual(await dump(fx().db), before);
      assert.deepEqual(again.rows, clean.rows);
    });

    it('more children do not reshuffle the earlier ones; another seed or as-of date gives other data', async function () {
      this.timeout(300000);
      const first = "pers_person_id < '10000500'";
      const before = await dump(fx().db, ['ssd_person', 'ssd_cin_episodes', 'ssd_cla_placement'], {
        ssd_person: first,
        ssd_cin_episodes: "cine_person_id < '10000500'",
        ssd_cla_placement: "clap_person_id < '10000500'",
      });
      await run({ children: 500 });
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), 500);
      const after = await dump(fx().db, ['ssd_person', 'ssd_cin_episodes', 'ssd_cla_placement'], {
        ssd_person: first,
        ssd_cin_episodes: "cine_person_id < '10000500'",
        ssd_cla_placement: "clap_person_id < '10000500'",
      });
      assert.deepEqual(after, before);
      await run({ children: 500, seed: 'q' });
      assert.notDeepEqual((await dump(fx().db, ['ssd_person'])).ssd_person, before.ssd_person);
      await run({ children: 500, asOf: '2025-08-10' });
      assert.notDeepEqual((await dump(fx().db, ['ssd_cin_episodes'])).ssd_cin_episodes, before.ssd_cin_episodes);
    });
  });

  describe('deliberate problems', () => {
    const SHARE = 0.2;
    let dirty: FakeSummary;
    const sets: Record<string, Set<string>> = {};

    before(async function () {
      this.timeout(300000);
      await run({ seed: 's' });
      const pe = T('ssd_person');
      sets.upn = await ids(`SELECT pers_person_id AS id FROM ${pe} WHERE pers_upn IS NOT NULL`);
      sets.address = await ids(`SELECT DISTINCT addr_person_id AS id FROM ${T('ssd_address')}`);
      sets.ended = await ids(
        [
          `SELECT cine_person_id AS id FROM ${T('ssd_cin_episodes')} WHERE cine_close_date IS NOT NULL`,
          `SELECT cinp_person_id FROM ${T('ssd_cin_plans')} WHERE cinp_cin_plan_end_date IS NOT NULL`,
          `SELECT cppl_person_id FROM ${T('ssd_cp_plans')} WHERE cppl_cp_plan_end_date IS NOT NULL`,
          `SELECT s47e_person_id FROM ${T('ssd_s47_enquiry')} WHERE s47e_s47_end_date IS NOT NULL`,
          `SELECT clap_person_id FROM ${T('ssd_cla_placement')} WHERE clap_cla_placement_end_date IS NOT NULL`,
          `SELECT invo_person_id FROM ${T('ssd_involvements')} WHERE invo_involvement_end_date IS NOT NULL`,
        ].join(' UNION '),
      );
      sets.referenced = await ids(
        [`SELECT cina_person_id AS id FROM ${T('ssd_cin_assessments')}`, `SELECT cinp_person_id FROM ${T('ssd_cin_plans')}`, `SELECT s47e_person_id FROM ${T('ssd_s47_enquiry')}`].join(' UNION '),
      );
      sets.sdq = await ids(`SELECT DISTINCT csdq_person_id AS id FROM ${T('ssd_sdq_scores')}`);
      sets.factors = await ids(`SELECT DISTINCT a.cina_person_id AS id FROM ${T('ssd_assessment_factors')} f JOIN ${T('ssd_cin_assessments')} a ON a.cina_assessment_id = f.cinf_assessment_id`);
      dirty = await run({ seed: 's', shares: defaultShares(SHARE) });
    });

    const near = (value: number, expected: number, tolerance: number, label: string) =>
      assert.ok(Math.abs(value - expected) <= tolerance, `${label}: ${value.toFixed(3)} not within ${tolerance} of ${expected}`);

    it('missing UPN', async () => {
      const nowNull = await ids(`SELECT pers_person_id AS id FROM ${T('ssd_person')} WHERE pers_upn IS NULL AND pers_upn_unknown IS NULL`);
      assert.equal(nowNull.size, dirty.problems.missingUpn);
      for (const id of nowNull) assert.ok(sets.upn!.has(id));
      near(share(nowNull.size, sets.upn!.size), SHARE, 0.05, 'missing UPN');
    });

    it('bad postcode', async () => {
      const rows = await fx().db.query<{ id: string; pc: string }>(`SELECT addr_person_id AS id, addr_address_postcode AS pc FROM ${T('ssd_address')} WHERE addr_address_type = 'MAIN'`);
      const bad = rows.filter((r) => !POSTCODE_FORMAT.test(r.pc));
      assert.equal(bad.length, dirty.problems.badPostcode);
      near(share(bad.length, sets.address!.size), SHARE, 0.05, 'bad postcode');
    });

    it('end before start', async () => {
      const hit = await ids(
        [
          `SELECT cine_person_id AS id FROM ${T('ssd_cin_episodes')} WHERE cine_close_date < cine_referral_date`,
          `SELECT cinp_person_id FROM ${T('ssd_cin_plans')} WHERE cinp_cin_plan_end_date < cinp_cin_plan_start_date`,
          `SELECT cppl_person_id FROM ${T('ssd_cp_plans')} WHERE cppl_cp_plan_end_date < cppl_cp_plan_start_date`,
          `SELECT s47e_person_id FROM ${T('ssd_s47_enquiry')} WHERE s47e_s47_end_date < s47e_s47_start_date`,
          `SELECT clap_person_id FROM ${T('ssd_cla_placement')} WHERE clap_cla_placement_end_date < clap_cla_placement_start_date`,
          `SELECT invo_person_id FROM ${T('ssd_involvements')} WHERE invo_involvement_end_date < invo_involvement_start_date`,
        ].join(' UNION '),
      );
      assert.equal(hit.size, dirty.problems.endBeforeStart);
      near(share(hit.size, sets.ended!.size), SHARE, 0.05, 'end before start');
    });

    it('orphan referral ids', async () => {
      const orphan = (t: string, person: string, ref: string) =>
        `SELECT ${person} AS id FROM ${T(t)} c WHERE NOT EXISTS (SELECT 1 FROM ${T('ssd_cin_episodes')} e WHERE e.cine_referral_id = c.${ref})`;
      const hit = await ids(
        [
          orphan('ssd_cin_assessments', 'cina_person_id', 'cina_referral_id'),
          orphan('ssd_cin_plans', 'cinp_person_id', 'cinp_referral_id'),
          orphan('ssd_s47_enquiry', 's47e_person_id', 's47e_referral_id'),
        ].join(' UNION '),
      );
      assert.equal(hit.size, dirty.problems.orphanReferral);
      near(share(hit.size, sets.referenced!.size), SHARE, 0.05, 'orphan referral');
    });

    it('duplicate SDQs', async () => {
      const hit = await ids(`SELECT DISTINCT csdq_person_id AS id FROM ${T('ssd_sdq_scores')} GROUP BY csdq_person_id, csdq_sdq_completed_date, csdq_sdq_score HAVING COUNT(*) > 1`);
      assert.equal(hit.size, dirty.problems.duplicateSdq);
      near(share(hit.size, sets.sdq!.size), SHARE, 0.1, 'duplicate SDQ');
    });

    it('codes stored as descriptions', async () => {
      const hit = await ids(
        `SELECT pers_person_id AS id FROM ${T('ssd_person')} WHERE pers_ethnicity NOT IN (${codesOf(ETHNICITIES)
          .map((c) => `'${c}'`)
          .join(', ')})`,
      );
      assert.equal(hit.size, dirty.problems.codesAsDescriptions);
      near(share(hit.size, N), SHARE, 0.05, 'codes as descriptions');
      assert.ok((await column(`SELECT pers_ethnicity AS v FROM ${T('ssd_person')}`)).includes('White British'));
      const immi = await ids(`SELECT immi_person_id AS id FROM ${T('ssd_immigration_status')} WHERE immi_immigration_status = 'Unaccompanied asylum seeking child'`);
      for (const id of immi) assert.ok(hit.has(id));
    });

    it('factors stored as a JSON object or a comma list', async () => {
      const form = async (cond: string) =>
        ids(`SELECT DISTINCT a.cina_person_id AS id FROM ${T('ssd_assessment_factors')} f JOIN ${T('ssd_cin_assessments')} a ON a.cina_assessment_id = f.cinf_assessment_id WHERE ${cond}`);
      const obj = await form(`LEFT(f.cinf_assessment_factors_json, 1) = '{'`);
      const comma = await form(`LEFT(f.cinf_assessment_factors_json, 1) <> '{' AND LEFT(f.cinf_assessment_factors_json, 1) <> '['`);
      assert.equal(obj.size, dirty.problems.factorsAsObject);
      assert.equal(comma.size, dirty.problems.factorsAsCommaList);
      near(share(obj.size, sets.factors!.size), SHARE, 0.05, 'factors as object');
      // The comma list applies to children not already given the object form.
      near(share(comma.size, sets.factors!.size), SHARE * (1 - SHARE), 0.05, 'factors as comma list');
      const sample = (await column(`SELECT f.cinf_assessment_factors_json AS v FROM ${T('ssd_assessment_factors')} f WHERE LEFT(f.cinf_assessment_factors_json, 1) = '{'`)).map(String);
      for (const s of sample) assert.ok(Object.values(JSON.parse(s) as Record<string, string>).every((v) => v === 'Yes'));
    });
  });

  describe('ownership', () => {
    it('refuses to write over rows it did not create, leaving them as they were', async function () {
      this.timeout(300000);
      await run({ children: 300 });
      assert.deepEqual(await foreignTables(fx().db, fx().schema), []);
      await fx().db.execute(`INSERT INTO ${T('ssd_cin_episodes')} (cine_referral_id, cine_person_id) VALUES ($1, $2)`, ['LA-REF-1', 'LA-PERSON-1']);
      const before = await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_episodes')}`);
      await assert.rejects(run({ children: 300 }), (e: unknown) => {
        assert.ok(e instanceof FakeRefusedError);
        assert.deepEqual(
          e.foreign.map((f) => f.table),
          ['ssd_cin_episodes'],
        );
        assert.match(e.message, /--replace/);
        return true;
      });
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_episodes')}`), before);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_cin_episodes')} WHERE cine_referral_id = $1`, ['LA-REF-1']), 1);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), 300);
    });

    it('notices a changed row count even when the keys at both ends are unchanged', async () => {
      await fx().db.execute(`DELETE FROM ${T('ssd_cin_episodes')} WHERE cine_referral_id = $1`, ['LA-REF-1']);
      assert.deepEqual(await foreignTables(fx().db, fx().schema), []);
      await fx().db.execute(`DELETE FROM ${T('ssd_person')} WHERE pers_person_id = $1`, ['10000150']);
      assert.deepEqual(
        (await foreignTables(fx().db, fx().schema)).map((f) => f.table),
        ['ssd_person'],
      );
    });

    it('--replace deletes the rows of the 19 tables first and writes the cohort', async function () {
      this.timeout(300000);
      await fx().db.execute(`INSERT INTO ${T('ssd_person')} (pers_person_id, pers_forename) VALUES ($1, $2)`, ['LA-PERSON-9', 'Real']);
      const s = await run({ children: 300, replace: true });
      assert.equal(s.deleted.ssd_person, 300);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), 300);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')} WHERE pers_person_id = $1`, ['LA-PERSON-9']), 0);
      assert.deepEqual(await foreignTables(fx().db, fx().schema), []);
      const runs = await fx().db.query<{ status: string }>(`SELECT status FROM ${T(FAKE_RUNS_TABLE)} ORDER BY run_no`);
      assert.ok(runs.length >= 8);
      assert.equal(runs[runs.length - 1]!.status, 'complete');
    });

    it('a cancelled run leaves a marker that matches what it committed, so the next run can replace it', async function () {
      this.timeout(300000);
      const ac = new AbortController();
      await assert.rejects(
        run({
          children: 500,
          chunkSize: 100,
          signal: ac.signal,
          onProgress: (p) => {
            if (p.done >= 200) ac.abort();
          },
        }),
        (e: unknown) => (e as Error).name === 'CancelledError',
      );
      const [m] = await fx().db.query<{ status: string; children_written: number }>(`SELECT status, children_written FROM ${T(FAKE_RUNS_TABLE)} ORDER BY run_no DESC`);
      assert.equal(m?.status, 'cancelled');
      const written = Number(m?.children_written);
      assert.ok(written >= 200 && written < 500, `written ${written}`);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), written);
      assert.deepEqual(await foreignTables(fx().db, fx().schema), []);
      const s = await run({ children: 300 });
      assert.equal(s.deleted.ssd_person, written);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM ${T('ssd_person')}`), 300);
    });

    it('refuses a schema whose tables hold rows and that has no record of fake runs', async () => {
      const { db, schema } = fx();
      await db.execute(`DELETE FROM ${T(FAKE_RUNS_TABLE)}`);
      const foreign = await foreignTables(db, schema);
      assert.ok(foreign.some((f) => f.table === 'ssd_person' && f.rows === 300));
      await assert.rejects(run({ children: 10 }), FakeRefusedError);
    });
  });
});
