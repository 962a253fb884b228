// The payload contract's amendments of 2026-12-05 end to end: SSD rows in a real database (an SDQ
// score column of text type, as older SSD scripts create it), `ssd stage`, the staged payloads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachTarget } from '../../helpers/targets';
import { insertSsdRows, type SsdRows } from '../../helpers/ssdRows';
import { initTables } from '../../../src/ddl/initTables';
import { openDb } from '../../../src/db/openDb';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import { main } from '../../../src/cli/main';
import type { Db } from '../../../src/db/types';

const AS_OF = '2026-08-10'; // window 2024-04-01 to 2026-08-11

const person = (id: string, extra: Record<string, string | null> = {}) => ({
  pers_person_id: id,
  pers_legacy_id: `M${id}`,
  pers_forename: 'Zoë',
  pers_surname: "O'Brien",
  pers_sex: 'F',
  pers_dob: '2014-03-02',
  ...extra,
});
const episode = (id: string, personId: string) => ({ cine_referral_id: id, cine_person_id: personId, cine_referral_date: '2025-05-01', cine_referral_source_code: '1A' });
const assessment = (id: string, referral: string) => ({ cina_assessment_id: id, cina_referral_id: referral, cina_assessment_start_date: '2025-05-02' });

const ROWS: SsdRows = {
  ssd_person: [
    // C01: blank forename, lower-case codes, lower-case factors, a negated UASC status.
    person('C01', { pers_forename: '   ', pers_ethnicity: 'wbri' }),
    // C02: no CIN episode of their own; a CLA episode linked to C01's in-window referral.
    person('C02'),
    // C03: a factor item that is not a CIN census code.
    person('C03'),
    // C04: a UASC status that starts after the window end.
    person('C04'),
    // C05: SDQ scores stored as text: 'N/A', '7.5', '12'.
    person('C05'),
  ],
  ssd_cin_episodes: [episode('R01', 'C01'), episode('R03', 'C03'), episode('R04', 'C04'), episode('R05', 'C05')],
  ssd_cin_assessments: [assessment('A01', 'R01'), assessment('A03', 'R03')],
  ssd_assessment_factors: [
    { cinf_table_id: 'F01', cinf_assessment_id: 'A01', cinf_assessment_factors_json: '["1a","4A"]' },
    { cinf_table_id: 'F03', cinf_assessment_id: 'A03', cinf_assessment_factors_json: '1A, XX' },
  ],
  ssd_cla_episodes: [{ clae_cla_episode_id: 'CE02', clae_person_id: 'C02', clae_cla_id: 'CLA02', clae_referral_id: 'R01' }],
  ssd_immigration_status: [
    { immi_immigration_status_id: 'I01', immi_person_id: 'C01', immi_immigration_status: 'Former UASC', immi_immigration_status_start_date: '2024-01-01' },
    { immi_immigration_status_id: 'I04', immi_person_id: 'C04', immi_immigration_status: 'UASC', immi_immigration_status_start_date: '2026-09-01' },
  ],
  ssd_sdq_scores: [
    { csdq_table_id: 'SQ1', csdq_person_id: 'C05', csdq_sdq_completed_date: '2025-06-01', csdq_sdq_score: 'N/A' },
    { csdq_table_id: 'SQ2', csdq_person_id: 'C05', csdq_sdq_completed_date: '2025-07-01', csdq_sdq_score: '7.5' },
    { csdq_table_id: 'SQ3', csdq_person_id: 'C05', csdq_sdq_completed_date: '2025-08-01', csdq_sdq_score: '12' },
  ],
};

/** The SDQ score column as text, as SSDs built by older scripts have it. */
async function scoreAsText(db: Db, schema: string): Promise<void> {
  const t = qualify(db.dialect, schema, 'ssd_sdq_scores');
  const c = quoteIdent(db.dialect, 'csdq_sdq_score');
  if (db.dialect === 'mssql') await db.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} NVARCHAR(20) NULL`);
  else await db.execute(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE VARCHAR(20) USING ${c}::VARCHAR`);
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let captured = '';
  const write = process.stdout.write.bind(process.stdout);
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    captured += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'ssd', ...args]);
    return { code, out: captured };
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
  }
}

forEachTarget('ssd stage: contract amendments 2026-12-05', (fx, target) => {
  let dir: string | undefined;
  let url = '';
  let schema = '';
  let db: Db;

  before(async () => {
    if (target.name === 'pglite') {
      // The CLI opens the database itself: an on-disk PGlite it can reach.
      dir = mkdtempSync(join(tmpdir(), 'ssd-amend-'));
      url = `pglite:${dir}`;
      schema = 'public';
      db = await openDb(url);
    } else {
      url = target.url;
      schema = fx().schema;
      db = fx().db;
    }
    await initTables(db, { schema });
    await scoreAsText(db, schema);
    await insertSsdRows(db, schema, ROWS);
    if (target.name === 'pglite') await db.close();
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function staged(): Promise<Map<string, Record<string, any>>> {
    const d = target.name === 'pglite' ? await openDb(url) : db;
    try {
      const rows = await d.query<{ person_id: string; json_payload: string }>(`SELECT person_id, json_payload FROM ${qualify(d.dialect, schema, 'ssd_api_data_staging')} ORDER BY person_id`);
      return new Map(rows.map((r) => [r.person_id, JSON.parse(r.json_payload)]));
    } finally {
      if (d !== db) await d.close();
    }
  }

  it('stages everyone: text SDQ scores warn instead of aborting; the invalid factor item and the warnings name child and field', async () => {
    const r = await run(['stage', '--db', url, '--schema', schema, '--as-of', AS_OF]);
    assert.equal(r.code, 1, r.out); // C03 is invalid
    assert.match(r.out, /cohort\s+5/);
    assert.match(r.out, /New\s+5/);
    assert.match(r.out, /Invalid\s+1/);
    assert.match(r.out, /C03 {2}factor-not-a-code {2}\/social_care_episodes\/0\/child_and_family_assessments\/0\/factors\/1/);
    assert.match(r.out, /C01 {2}blank-as-null {2}\/child_details\/first_name/);
    assert.match(r.out, /C02 {2}cohort-without-episode {2}\/social_care_episodes/);
    assert.match(r.out, /C05 {2}sdq-score-not-a-number {2}\/health_and_wellbeing\/sdq_assessments/);
    assert.doesNotMatch(r.out, /O'Brien|Zoë|2014-03-02|N\/A/);
  });

  it('the staged payloads follow the amendments', async () => {
    const p = await staged();
    assert.deepEqual([...p.keys()], ['C01', 'C02', 'C03', 'C04', 'C05']);
    const c01 = p.get('C01')!;
    assert.equal('first_name' in c01.child_details, false, 'blank forename is missing');
    assert.equal(c01.child_details.ethnicity, 'WBRI');
    assert.equal(c01.child_details.uasc_flag, false, 'Former UASC is not UASC');
    assert.deepEqual(c01.social_care_episodes[0].child_and_family_assessments[0].factors, ['1A', '4A']);
    assert.equal('social_care_episodes' in p.get('C02')!, false, "admitted by HasLAC through C01's referral");
    assert.deepEqual(p.get('C03')!.social_care_episodes[0].child_and_family_assessments[0].factors, ['1A', 'XX']);
    assert.equal(p.get('C04')!.child_details.uasc_flag, false, 'a status starting after the window end does not count');
    assert.deepEqual(p.get('C05')!.health_and_wellbeing, { sdq_assessments: [{ date: '2025-08-01', score: 12 }], purge: false });
  });

  it('--json lists the invalid child and the warnings; a second run changes nothing', async () => {
    const r = await run(['stage', '--db', url, '--schema', schema, '--as-of', AS_OF, '--json']);
    const j = JSON.parse(r.out);
    assert.deepEqual([j.cohort, j.new, j.unchanged, j.invalid, j.warnings], [5, 0, 5, 1, 3]);
    assert.deepEqual(
      j.invalidChildren.map(({ message: _m, ...rest }: { message: string }) => rest),
      [{ personId: 'C03', rule: 'factor-not-a-code', path: '/social_care_episodes/0/child_and_family_assessments/0/factors/1' }],
    );
    assert.match(j.invalidChildren[0].message, /^assessment A03: factor item 2 'XX' is not a CIN census assessment factor code/);
    assert.deepEqual(
      j.warningChildren.map((w: { personId: string; rule: string }) => [w.personId, w.rule]),
      [
        ['C01', 'blank-as-null'],
        ['C02', 'cohort-without-episode'],
        ['C05', 'sdq-score-not-a-number'],
      ],
    );
  });

  it('ssd payload names the SDQ rows and the column in its warnings', async () => {
    const r = await run(['payload', 'C05', '--db', url, '--schema', schema, '--as-of', AS_OF, '--json']);
    assert.match(r.out, /SDQ row SQ1 is not a whole number/);
    assert.match(r.out, /SDQ row SQ2 is not a whole number/);
    assert.match(r.out, /ssd_sdq_scores\.csdq_sdq_score/);
  });
});
