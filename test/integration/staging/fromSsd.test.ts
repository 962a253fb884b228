// Staging from real SSD rows through the builder (streamChildPayloads), and `ssd stage` itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { forEachTarget, testTargets } from '../../helpers/targets';
import { insertSsdRows, type SsdRows } from '../../helpers/ssdRows';
import { initTables } from '../../../src/ddl/initTables';
import { stageFromSsd } from '../../../src/staging/runStage';
import { openDb } from '../../../src/db/openDb';
import { qualify } from '../../../src/db/dialect';
import { main } from '../../../src/cli/main';
import type { Db } from '../../../src/db/types';

const AS_OF = '2026-08-10';

function person(id: string, surname: string, extra: Record<string, string | null> = {}) {
  return { pers_person_id: id, pers_legacy_id: `M${id}`, pers_forename: 'Zoë', pers_surname: surname, pers_sex: 'F', pers_dob: '2014-03-02', ...extra };
}
function episode(id: string, personId: string, referral: string, close: string | null = null) {
  return { cine_referral_id: id, cine_person_id: personId, cine_referral_date: referral, cine_close_date: close, cine_referral_source_code: '1A' };
}

const base: SsdRows = {
  ssd_person: [person('C01', "O'Brien"), person('C02', 'Smith'), person('C03', 'Jones'), person('C04', 'Old', { pers_dob: '1990-01-01' })],
  ssd_cin_episodes: [episode('R01', 'C01', '2025-05-01'), episode('R02', 'C02', '2025-06-01', '2025-09-01'), episode('R03', 'C03', '2026-01-05'), episode('R04', 'C04', '2025-01-01')],
};

async function stagingRows(db: Db, schema: string): Promise<Array<Record<string, unknown>>> {
  const hex = db.dialect === 'mssql' ? 'LOWER(CONVERT(VARCHAR(64), current_hash, 2))' : "encode(current_hash, 'hex')";
  return db.query(
    `SELECT person_id, json_payload, ${hex} AS h, row_state, submission_status, api_response, CAST(last_updated AS VARCHAR(40)) AS lu FROM ${qualify(db.dialect, schema, 'ssd_api_data_staging')} ORDER BY person_id`,
  );
}

forEachTarget('staging from SSD rows', (fx) => {
  it('stages the cohort built from the SSD tables and follows changes', async () => {
    const { db, schema } = fx();
    await initTables(db, { schema });
    await insertSsdRows(db, schema, base);
    const r1 = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.deepEqual([r1.persons, r1.cohort, r1.new, r1.excludedGateA], [4, 3, 3, 1]);
    const rows1 = await stagingRows(db, schema);
    assert.deepEqual(
      rows1.map((r) => r.person_id),
      ['C01', 'C02', 'C03'],
    );
    const p1 = JSON.parse(rows1[0]!.json_payload as string);
    assert.equal(p1.la_child_id, 'C01');
    assert.equal(p1.child_details.surname, "O'Brien");
    // Unchanged data: nothing written.
    const r2 = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.deepEqual([r2.new, r2.updated, r2.unchanged, r2.deleted], [0, 0, 3, 0]);
    assert.deepEqual(await stagingRows(db, schema), rows1);
    // A change in the SSD: one Updated.
    await db.execute(`UPDATE ${qualify(db.dialect, schema, 'ssd_person')} SET pers_surname = $1 WHERE pers_person_id = $2`, ['Smyth', 'C02']);
    const r3 = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.deepEqual([r3.updated, r3.unchanged], [1, 2]);
    const rows3 = await stagingRows(db, schema);
    assert.equal(rows3[1]!.row_state, 'Updated');
    assert.match(rows3[1]!.json_payload as string, /"surname":"Smyth"/);
    // Acknowledged (as a send does), then C03's only episode moves out of the window: C03 leaves.
    const t = qualify(db.dialect, schema, 'ssd_api_data_staging');
    await db.execute(`UPDATE ${t} SET submission_status = 'Sent', row_state = 'Unchanged', previous_json_payload = json_payload, previous_hash = current_hash`);
    await db.execute(`UPDATE ${qualify(db.dialect, schema, 'ssd_cin_episodes')} SET cine_referral_date = $1, cine_close_date = $2 WHERE cine_referral_id = $3`, ['2020-01-01', '2020-02-01', 'R03']);
    const r4 = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.deepEqual([r4.cohort, r4.deleted, r4.deletionPayloads, r4.excludedGateB], [2, 1, 1, 1]);
    const c03 = (await stagingRows(db, schema))[2]!;
    assert.deepEqual([c03.person_id, c03.row_state, c03.submission_status, c03.json_payload], ['C03', 'Deleted', 'Pending', '{"la_child_id":"C03","mis_child_id":"MC03","purge":true}']);
    // And back: Updated/Pending with the full payload (D8).
    await db.execute(`UPDATE ${qualify(db.dialect, schema, 'ssd_cin_episodes')} SET cine_referral_date = $1, cine_close_date = NULL WHERE cine_referral_id = $2`, ['2026-01-05', 'R03']);
    const r5 = await stageFromSsd(db, { schema, asOf: AS_OF });
    assert.deepEqual([r5.cohort, r5.updated, r5.deleted], [3, 1, 0]);
    const back = (await stagingRows(db, schema))[2]!;
    assert.deepEqual([back.row_state, back.submission_status], ['Updated', 'Pending']);
    assert.equal(back.json_payload, rows1[2]!.json_payload);
  });
});

describe('staging hashes do not depend on row order (property)', function () {
  // One embedded database for the whole property, a fresh schema for every run (a new PGlite
  // instance per run cost about 45 s for the same proof).
  let db: Db;
  let n = 0;
  before(async () => {
    db = await openDb(testTargets()[0]!.url);
  });
  after(async () => {
    await db.close();
  });
  const freshSchemaIn = async (): Promise<{ db: Db; schema: string }> => {
    const schema = `ssd_order_${++n}`;
    await db.execute(`CREATE SCHEMA ${schema}`);
    return { db, schema };
  };
  const dropIn = async (f: { schema: string }): Promise<void> => {
    await db.execute(`DROP SCHEMA ${f.schema} CASCADE`);
  };
  it('the same SSD rows inserted in a different order give identical payload text and hashes', async () => {
    const shuffled = fc.tuple(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }));
    const data: SsdRows = {
      ssd_person: [...base.ssd_person!, person('C05', 'Brown'), person('C06', 'Green')],
      ssd_cin_episodes: [...base.ssd_cin_episodes!, episode('R05', 'C05', '2025-07-01'), episode('R06', 'C05', '2025-08-01'), episode('R07', 'C06', '2024-12-01', '2025-05-01')],
      ssd_cin_plans: [
        { cinp_cin_plan_id: 'P1', cinp_referral_id: 'R05', cinp_person_id: 'C05', cinp_cin_plan_start_date: '2025-07-02' },
        { cinp_cin_plan_id: 'P2', cinp_referral_id: 'R05', cinp_person_id: 'C05', cinp_cin_plan_start_date: '2025-07-02' },
      ],
      ssd_disability: [
        { disa_person_id: 'C01', disa_disability_code: 'VIS' },
        { disa_person_id: 'C01', disa_disability_code: 'AUT' },
      ],
    };
    const reference = await (async () => {
      const f = await freshSchemaIn();
      try {
        await initTables(f.db, { schema: f.schema });
        await insertSsdRows(f.db, f.schema, data);
        await stageFromSsd(f.db, { schema: f.schema, asOf: AS_OF });
        return (await stagingRows(f.db, f.schema)).map((r) => [r.person_id, r.json_payload, r.h]);
      } finally {
        await dropIn(f);
      }
    })();
    assert.equal(reference.length, 5);
    await fc.assert(
      fc.asyncProperty(shuffled, async ([k1, k2]) => {
        const order = <T>(rows: T[], keys: number[]) =>
          rows
            .map((r, i) => [keys[i % keys.length]! + i / 100, r] as const)
            .sort((a, b) => a[0] - b[0])
            .map((x) => x[1]);
        const reordered: SsdRows = {};
        for (const [t, rows] of Object.entries(data)) reordered[t] = order(rows!, t === 'ssd_person' ? k1 : k2);
        const f = await freshSchemaIn();
        try {
          await initTables(f.db, { schema: f.schema });
          await insertSsdRows(f.db, f.schema, reordered);
          await stageFromSsd(f.db, { schema: f.schema, asOf: AS_OF });
          assert.deepEqual(
            (await stagingRows(f.db, f.schema)).map((r) => [r.person_id, r.json_payload, r.h]),
            reference,
          );
        } finally {
          await dropIn(f);
        }
      }),
      { numRuns: 5 },
    );
  });
});

describe('ssd stage (command)', function () {
  let dir: string;
  let captured = '';
  const write = process.stdout.write.bind(process.stdout);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssd-stage-cli-'));
    const db = await openDb(`pglite:${dir}`);
    try {
      await initTables(db, {});
      await insertSsdRows(db, 'public', {
        ...base,
        ssd_person: [...base.ssd_person!, person('C09', 'Bad', { pers_upn: 'A12345678901' })],
        ssd_cin_episodes: [...base.ssd_cin_episodes!, episode('R09', 'C09', '2025-03-01')],
      });
    } finally {
      await db.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  async function run(args: string[]): Promise<{ code: number; out: string }> {
    captured = '';
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

  it('prints the counts and the invalid ids (no names), exit 1 when a child is invalid', async () => {
    const r = await run(['stage', '--db', `pglite:${dir}`, '--as-of', AS_OF]);
    assert.equal(r.code, 1);
    assert.match(r.out, /cohort\s+4/);
    assert.match(r.out, /New\s+4/);
    assert.match(r.out, /Invalid\s+1/);
    assert.match(r.out, /C09 {2}\S+ {2}\/child_details\/unique_pupil_number/);
    assert.doesNotMatch(r.out, /O'Brien|Zoë|2014-03-02/);
  });

  it('--json prints the documented object; a second run changes nothing', async () => {
    const r = await run(['stage', '--db', `pglite:${dir}`, '--as-of', AS_OF, '--json']);
    const j = JSON.parse(r.out);
    assert.deepEqual([j.cohort, j.new, j.updated, j.unchanged, j.deleted, j.invalid, j.table, j.asOf], [4, 0, 0, 4, 0, 1, 'ssd_api_data_staging', AS_OF]);
    assert.equal(j.invalidChildren[0].personId, 'C09');
    assert.equal(r.code, 1);
  });

  it('converts Error rows an earlier version held back to Withheld and says how many; NULL person ids are counted, exit 1', async () => {
    const db = await openDb(`pglite:${dir}`);
    try {
      await db.execute(`UPDATE ${qualify(db.dialect, 'public', 'ssd_api_data_staging')} SET submission_status = 'Error' WHERE person_id = 'C09'`);
      const t = qualify(db.dialect, 'public', 'ssd_person');
      const pk = await db.query<{ constraint_name: string }>(`SELECT constraint_name FROM information_schema.table_constraints WHERE table_name = 'ssd_person' AND constraint_type = 'PRIMARY KEY'`);
      for (const c of pk) await db.execute(`ALTER TABLE ${t} DROP CONSTRAINT "${c.constraint_name}"`);
      await db.execute(`ALTER TABLE ${t} ALTER COLUMN pers_person_id DROP NOT NULL`);
      await db.execute(`INSERT INTO ${t} (pers_person_id, pers_dob) VALUES (NULL, '2015-01-01')`);
    } finally {
      await db.close();
    }
    const r = await run(['stage', '--db', `pglite:${dir}`, '--as-of', AS_OF]);
    assert.equal(r.code, 1);
    assert.match(r.out, /Converted 1 row held back as Error by an earlier version to Withheld/);
    assert.match(r.out, /1 ssd_person row has no person id \(NULL\): no payload can be built or staged for it/);
    assert.match(r.out, /Invalid\s+1\s+\(submission_status Withheld/);
    const again = await run(['stage', '--db', `pglite:${dir}`, '--as-of', AS_OF, '--json']);
    const j = JSON.parse(again.out);
    assert.deepEqual([j.withheldConverted, j.personsWithoutId, j.invalid], [0, 1, 1]);
  });

  it('bad usage exits 2', async () => {
    assert.equal((await run(['stage', '--db', `pglite:${dir}`, '--as-of', '2026-02-30'])).code, 2);
    assert.equal((await run(['stage', '--db', `pglite:${dir}`, '--table', 'other'])).code, 2);
  });
});
