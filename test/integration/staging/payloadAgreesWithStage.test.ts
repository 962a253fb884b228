// `ssd payload` (buildChildPayload: one child's rows) and `ssd stage` (streamChildPayloads: every
// child in one ordered stream) must give every child the same payload and the same verdict, on the
// demo's fake data and on an ssd_person without its primary key (duplicated, NULL and blank ids),
// as some LA deployments are. A staged row is Pending when the child is valid and Withheld (never
// Error) with the reason when not; rows no payload can hold give their child a warning.
import assert from 'node:assert/strict';
import { initTables } from '../../../src/ddl/initTables';
import { pageStagingRows } from '../../../src/browse/inventory';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { PROBLEM_KINDS, type ProblemKind } from '../../../src/fake/cohort';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { buildChildPayload, emptyStats, streamChildPayloads } from '../../../src/payload/buildPayloads';
import { isValid } from '../../../src/payload/validatePayload';
import { invalidRecord } from '../../../src/staging/lifecycle';
import { stageFromSsd, type StageFromSsdReport } from '../../../src/staging/runStage';
import { forEachTarget } from '../../helpers/targets';
import { insertSsdRows } from '../../helpers/ssdRows';
import { dropPrimaryKey } from '../check/tableTools';

const AS_OF = '2026-08-10';

interface Staged {
  person_id: string;
  json_payload: string;
  submission_status: string;
  api_response: string | null;
}

async function staged(db: Db, schema: string, table: string): Promise<Staged[]> {
  return db.query<Staged>(
    `SELECT person_id, ${db.dialect === 'postgres' ? 'CAST(json_payload AS TEXT)' : 'json_payload'} AS json_payload, submission_status, ${db.dialect === 'postgres' ? 'CAST(api_response AS TEXT)' : 'api_response'} AS api_response FROM ${qualify(db.dialect, schema, table)} ORDER BY id`,
  );
}

/** Every staged row against `ssd payload` for the same child: same payload text, same verdict, same reason. */
async function assertAgree(db: Db, schema: string, table: string, report: StageFromSsdReport): Promise<Staged[]> {
  const rows = await staged(db, schema, table);
  assert.equal(rows.length, report.cohort - report.notStaged, 'one row per staged cohort child');
  for (const row of rows) {
    const one = await buildChildPayload(db, row.person_id, { schema, asOf: AS_OF });
    assert.ok('child' in one, `ssd payload finds ${JSON.stringify(row.person_id)} in the cohort, as stage did`);
    assert.equal(row.json_payload, JSON.stringify(one.child.payload), `payload of ${JSON.stringify(row.person_id)}`);
    if (isValid(one.child.problems)) {
      assert.equal(row.submission_status, 'Pending', `${JSON.stringify(row.person_id)} is valid`);
    } else {
      assert.equal(row.submission_status, 'Withheld', `${JSON.stringify(row.person_id)} is invalid`);
      assert.equal(row.api_response, invalidRecord(one.child.problems), `the reason of ${JSON.stringify(row.person_id)}`);
    }
  }
  return rows;
}

forEachTarget('ssd payload and ssd stage agree (demo data)', (fx) => {
  it('every staged child of the fake data: the same payload and verdict as ssd payload', async function () {
    this.timeout(300_000);
    const { db, schema } = fx();
    // The demo's generator, with every deliberate problem more frequent than the demo's default, so a
    // small cohort has invalid children and rows no payload can hold.
    const shares = Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0.06])) as Record<ProblemKind, number>;
    await generateFakeSsd(db, { schema, children: 150, asOf: AS_OF, seed: 'agree', shares });
    const r = await stageFromSsd(db, { schema, asOf: AS_OF, table: 'ssd_api_data_staging_anon' });
    assert.ok(r.cohort > 50 && r.invalid > 0, `a cohort with some invalid children (cohort ${r.cohort}, invalid ${r.invalid})`);
    const rows = await assertAgree(db, schema, 'ssd_api_data_staging_anon', r);
    assert.ok(rows.some((x) => x.submission_status === 'Withheld'));
    assert.ok(
      r.warningChildren.some((w) => w.rule === 'row-not-attached'),
      'the orphan referrals the generator plants are warned about',
    );
    assert.ok(!rows.some((x) => x.submission_status === 'Error'), 'the build never writes Error');
  });
});

forEachTarget('ssd payload and ssd stage agree (ssd_person without its primary key)', (fx) => {
  const blankIds = () => (fx().db.dialect === 'mssql' ? [''] : ['', '  ']); // SQL Server compares '' and '  ' as equal
  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema });
    await dropPrimaryKey(db, schema, 'ssd_person');
    const t = qualify(db.dialect, schema, 'ssd_person'),
      c = quoteIdent(db.dialect, 'pers_person_id');
    await db.execute(db.dialect === 'mssql' ? `ALTER TABLE ${t} ALTER COLUMN ${c} NVARCHAR(48) NULL` : `ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL`);
    const kid = (id: string | null, o: Record<string, unknown> = {}) => ({ pers_person_id: id, pers_dob: '2015-01-01', pers_sex: 'F', pers_upn_unknown: 'UN1', ...o });
    const episode = (ref: string, personId: string) => ({ cine_referral_id: ref, cine_person_id: personId, cine_referral_date: '2025-01-01', cine_referral_source_code: '1A' });
    await insertSsdRows(db, schema, {
      ssd_person: [
        kid('D1', { pers_surname: 'First' }),
        kid('C1'),
        kid(null),
        kid('D1', { pers_surname: 'Second', pers_dob: '2016-02-02' }),
        kid('D2', { pers_dob: '1980-01-01' }),
        kid(null, { pers_dob: '2016-01-01' }),
        kid('D2'),
        kid('D3'),
        kid('D3'),
        ...blankIds().map((b) => kid(b)),
      ],
      ssd_cin_episodes: [episode('R-D1', 'D1'), episode('R-C1', 'C1'), episode('R-D2', 'D2'), episode('R-D3', 'D3'), ...blankIds().map((b, i) => episode(`R-B${i}`, b))],
      ssd_cin_assessments: [
        { cina_assessment_id: 'A-D1', cina_person_id: 'D1', cina_referral_id: 'R-D1', cina_assessment_start_date: '2025-01-02' },
        // Orphans of C1: the referral of each is not in ssd_cin_episodes.
        { cina_assessment_id: 'A-X', cina_person_id: 'C1', cina_referral_id: 'R-GONE', cina_assessment_start_date: '2025-01-02' },
        { cina_assessment_id: 'A-Y', cina_person_id: 'C1', cina_referral_id: null, cina_assessment_start_date: '2025-01-02' },
      ],
      ssd_cla_episodes: [{ clae_cla_episode_id: 'CE-C1', clae_person_id: 'C1', clae_cla_id: 'CLA-C1', clae_referral_id: 'R-OTHER', clae_cla_episode_start_reason: 'S' }],
      ssd_cla_placement: [{ clap_cla_placement_id: 'PL-C1', clap_person_id: 'C1', clap_cla_id: 'CLA-NONE', clap_cla_placement_start_date: '2025-02-01' }],
      ssd_sdq_scores: [{ csdq_table_id: 'SDQ-D1', csdq_person_id: 'D1', csdq_sdq_completed_date: '2025-03-01', csdq_sdq_score: 10 }],
    });
  });

  it('stage builds everyone it can: NULL ids counted, duplicated and blank ids Withheld with the reason', async () => {
    const { db, schema } = fx();
    const r = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.equal(r.personsWithoutId, 2);
    const rows = await assertAgree(db, schema, 'ssd_api_data_staging', r);
    const by = new Map(rows.map((x) => [x.person_id, x]));
    assert.deepEqual([...by.keys()].sort(), ['C1', 'D1', 'D2', 'D3', ...blankIds()].sort());
    for (const id of ['D1', 'D2', 'D3']) {
      assert.equal(by.get(id)!.submission_status, 'Withheld');
      assert.match(by.get(id)!.api_response!, /"rule":"person-id-duplicate"/);
    }
    for (const b of blankIds()) {
      assert.equal(by.get(b)!.submission_status, 'Withheld');
      assert.match(by.get(b)!.api_response!, /"rule":"person-id-blank"/);
    }
    // D1's payload is whole: its episode, assessment and one SDQ (not one per ssd_person row).
    const d1 = JSON.parse(by.get('D1')!.json_payload);
    assert.deepEqual(
      d1.social_care_episodes.map((e: { social_care_episode_id: string }) => e.social_care_episode_id),
      ['R-D1'],
    );
    assert.equal(d1.social_care_episodes[0].child_and_family_assessments.length, 1);
    assert.equal(d1.health_and_wellbeing.sdq_assessments.length, 1);
    // D2: one of its two rows is too old for the cohort, the other is not: in the cohort, and withheld.
    assert.equal(JSON.parse(by.get('D2')!.json_payload).child_details.date_of_birth, '2015-01-01');
    // C1 is valid and queued, with a warning naming the rows dropped from its payload.
    assert.equal(by.get('C1')!.submission_status, 'Pending');
    assert.ok(r.warningChildren.some((w) => w.personId === 'C1' && w.rule === 'row-not-attached'));
    assert.ok(r.invalidChildren.some((w) => w.personId === 'D1' && w.rule === 'person-id-duplicate'));
    // The editor's tree shows the reason of each Withheld row.
    const page = await pageStagingRows(db, schema, 'ssd_api_data_staging', { submissionStatus: 'Withheld', pageSize: 100 });
    const reasons = new Map(page.rows.map((x) => [x.personId, x.withheldReason]));
    assert.match(reasons.get('D1') ?? '', /^invalid: person-id-duplicate at \/la_child_id/);
    assert.match(reasons.get('') ?? '', /^invalid: person-id-blank at \/la_child_id/);
    assert.equal(reasons.has('C1'), false);
  });

  it('the payload of a duplicated id does not depend on the order the database returns its rows in', async () => {
    const { db, schema } = fx();
    const before = await buildChildPayload(db, 'D1', { schema, asOf: AS_OF });
    // Re-insert D1's rows in the other order.
    const t = qualify(db.dialect, schema, 'ssd_person');
    await db.execute(`DELETE FROM ${t} WHERE pers_person_id = 'D1'`);
    await insertSsdRows(db, schema, {
      ssd_person: [
        { pers_person_id: 'D1', pers_surname: 'Second', pers_dob: '2016-02-02', pers_sex: 'F', pers_upn_unknown: 'UN1' },
        { pers_person_id: 'D1', pers_surname: 'First', pers_dob: '2015-01-01', pers_sex: 'F', pers_upn_unknown: 'UN1' },
      ],
    });
    const after = await buildChildPayload(db, 'D1', { schema, asOf: AS_OF });
    assert.ok('child' in before && 'child' in after);
    assert.deepEqual(after.child, before.child);
    const r = await stageFromSsd(db, { schema, asOf: AS_OF });
    await assertAgree(db, schema, 'ssd_api_data_staging', r);
    assert.equal(r.unchanged, r.cohort, 'nothing changed for staging either');
  });

  it('C1 in ssd payload: the rows it cannot hold are named in warnings (ids only)', async () => {
    const { db, schema } = fx();
    const one = await buildChildPayload(db, 'C1', { schema, asOf: AS_OF });
    assert.ok('child' in one);
    const w = one.child.problems.filter((p) => p.rule === 'row-not-attached');
    assert.deepEqual(
      w.map((p) => p.source),
      ['ssd_cin_assessments.cina_referral_id', 'ssd_cla_episodes.clae_referral_id', 'ssd_cla_placement.clap_cla_id'],
    );
    assert.match(w[0]!.message, /^2 assessments: 'A-X' \(cina_referral_id 'R-GONE'\), 'A-Y' \(cina_referral_id empty\) of this child are not in the payload/);
    assert.match(w[1]!.message, /^CLA episode 'CE-C1' .* not in the payload with its placements/);
    assert.match(w[2]!.message, /clap_cla_id is not in ssd_cla_episodes\.clae_cla_id/);
    assert.ok(w.every((p) => p.severity === 'warning'));
  });

  it('an SSD without the person-id columns the orphan branches need still builds (no warning, no error)', async () => {
    const { db, schema } = fx();
    await db.execute(`ALTER TABLE ${qualify(db.dialect, schema, 'ssd_cin_assessments')} DROP COLUMN ${quoteIdent(db.dialect, 'cina_person_id')}`);
    const one = await buildChildPayload(db, 'C1', { schema, asOf: AS_OF });
    assert.ok('child' in one);
    assert.deepEqual(
      one.child.problems.filter((p) => p.rule === 'row-not-attached').map((p) => p.source),
      ['ssd_cla_episodes.clae_referral_id', 'ssd_cla_placement.clap_cla_id'],
    );
    const stats = emptyStats();
    for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, stats })) void c;
    assert.equal(stats.personsWithoutId, 2);
  });
});
