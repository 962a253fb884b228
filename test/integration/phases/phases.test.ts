// Phased connection testing: fake data, a scrambled copy and live data staged in their schemas and
// sent to a local stand-in for the DfE test endpoint; `ssd phases` reads where the LA is from the
// staging tables and the send history, and live sending before phases 1-3 asks for confirmation.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSchemaSql, qualify, quoteIdent } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { readPhases, skippedBeforeLive, skippedText } from '../../../src/phases/phases';
import { SEND_RUNS_TABLE } from '../../../src/phases/sendLog';
import { runScramble } from '../../../src/scramble/runScramble';
import { runSend } from '../../../src/send/runSend';
import { stageChildren } from '../../../src/staging/stageChildren';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { runCli } from '../../helpers/runCli';
import { forEachTarget } from '../../helpers/targets';
import { child, stream } from '../staging/fixtures';
import { CLIENT_ID, CLIENT_SECRET, endpointOf, FAST_POLICY, fakeTiming, LA_CODE, SCOPE, startMockApi, SUPPLIER_KEY, type MockApi } from '../send/mockApi';

async function newSchema(db: Db, tag: string): Promise<string> {
  const s = `ssd_p_${tag}_${randomBytes(3).toString('hex')}`;
  await db.execute(createSchemaSql(db.dialect, s));
  return s;
}

async function dropAll(db: Db, schema: string): Promise<void> {
  if (db.dialect === 'postgres') {
    await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`);
    return;
  }
  const tables = await db.query<{ name: string }>(`SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = $1`, [schema]);
  for (const { name } of tables) await db.execute(`DROP TABLE ${qualify('mssql', schema, name)}`);
  await db.execute(`DROP SCHEMA ${quoteIdent('mssql', schema)}`);
}

forEachTarget('ssd phases', (fx, target) => {
  let api: MockApi;
  const made: string[] = [];
  beforeEach(async () => {
    api = await startMockApi();
  });
  afterEach(async () => {
    await api.close();
  });
  // The fixture's own connection is closed by then (its after hook runs first): use another one.
  after(async () => {
    if (target.name === 'pglite') return;
    const db = await openDb(target.url);
    try {
      for (const s of made) await dropAll(db, s);
    } finally {
      await db.close();
    }
  });

  const sendTest = (db: Db, schema: string, table: string, allowFakeToTest = false) =>
    runSend(db, {
      mode: 'test',
      schema,
      table,
      endpoint: endpointOf(api),
      policy: FAST_POLICY,
      timing: fakeTiming().timing,
      allowFakeToTest,
    });
  const phasesOf = async (db: Db, schemas: string[]) => {
    // Other suites may share the database: this suite's schemas only.
    return readPhases([db], { schemas });
  };

  // Phase 1 sends fake data to the DfE test endpoint only because the run says so (allowFakeToTest,
  // `--allow-fake-to-test`); without it, and to live whatever the run says, fake data is refused
  // (the rule of src/fake/fakeMarker.ts, issues 13 and 19).
  it('walks phases 1 to 3 from the staging tables and the send history', async function () {
    this.timeout(300_000);
    const { db } = fx();
    const fake = await newSchema(db, 'f');
    const scrambled = await newSchema(db, 's');
    const live = await newSchema(db, 'l');
    made.push(fake, scrambled, live);
    const mine = [fake, scrambled, live];

    let r = await phasesOf(db, mine);
    assert.equal(r.phases[0]!.next, 'ssd fake --db URL --schema ssd_fake --children 1000');
    // Phase 1: fake data in its schema, staged in the _anon table, sent to the test endpoint.
    await generateFakeSsd(db, { schema: fake, children: 5, seed: 'p', asOf: '2026-08-10' });
    r = await phasesOf(db, mine);
    assert.equal(r.phases[0]!.next, `ssd stage --db URL --schema ${fake} --table ssd_api_data_staging_anon`);
    await stageChildren(db, stream(['F1', 'F2', 'F3'].map((id) => child(id))), { schema: fake, table: 'ssd_api_data_staging_anon' });
    r = await phasesOf(db, mine);
    assert.ok(r.phases[0]!.where.some((w) => w.schema === fake && w.table === 'ssd_api_data_staging_anon'));
    assert.equal(r.phases[0]!.staged, 3);
    assert.equal(r.phases[0]!.done, false);
    assert.match(r.phases[0]!.next!, /ssd send .*--table ssd_api_data_staging_anon --mode test .*--allow-fake-to-test/);
    assert.equal(r.current, 1);
    // Not without the run's explicit choice, and never to live.
    await assert.rejects(sendTest(db, fake, 'ssd_api_data_staging_anon'), /refusing to send to the DfE test endpoint: .*add --allow-fake-to-test/);
    await assert.rejects(
      runSend(db, { mode: 'live', schema: fake, table: 'ssd_api_data_staging', endpoint: endpointOf(api), policy: FAST_POLICY, timing: fakeTiming().timing, allowFakeToTest: true }),
      /refusing to send to the DfE live endpoint: .*never sent to the live endpoint/,
    );
    assert.equal(api.requests.length + api.tokenRequests, 0, 'nothing was sent by the refused runs');
    const s1 = await sendTest(db, fake, 'ssd_api_data_staging_anon', true);
    assert.equal(s1.sent, 3);
    const [h] = await db.query<{ mode: string; data_kind: string; acknowledged: number | string }>(`SELECT mode, data_kind, acknowledged FROM ${qualify(db.dialect, fake, SEND_RUNS_TABLE)}`);
    assert.deepEqual([h!.mode, h!.data_kind, Number(h!.acknowledged)], ['test', 'fake', 3]);

    // Phase 2: a scrambled copy of the fake data, staged and sent to the test endpoint.
    assert.ok((await runScramble(db, db, { fromSchema: fake, toSchema: scrambled, key: Buffer.alloc(32, 3), asOf: null })).ok);
    assert.equal((await phasesOf(db, mine)).phases[1]!.next, `ssd stage --db URL --schema ${scrambled} --table ssd_api_data_staging_anon`);
    await stageChildren(db, stream(['S1', 'S2'].map((id) => child(id))), { schema: scrambled, table: 'ssd_api_data_staging_anon' });
    assert.equal((await sendTest(db, scrambled, 'ssd_api_data_staging_anon')).sent, 2);

    // Phase 3: live data (no marker) staged in ssd_api_data_staging and sent to the test endpoint.
    await stageChildren(db, stream(['L1', 'L2', 'L3', 'L4'].map((id) => child(id))), { schema: live });
    r = await phasesOf(db, mine);
    assert.deepEqual(
      skippedBeforeLive(r).map((p) => p.no),
      [3],
    );
    assert.match(r.phases[2]!.next!, /ssd send .*--table ssd_api_data_staging --mode test/);
    assert.equal((await sendTest(db, live, 'ssd_api_data_staging')).sent, 4);

    r = await phasesOf(db, mine);
    for (const no of [1, 2, 3]) {
      const p = r.phases[no - 1]!;
      assert.ok(p.done, `phase ${no} done`);
      assert.ok(p.acknowledged >= [3, 2, 4][no - 1]!, `phase ${no} acknowledged`);
      assert.ok(p.date, `phase ${no} dated`);
      assert.equal(p.next, null);
    }
    assert.ok(r.phases[1]!.where.some((w) => w.schema === scrambled));
    assert.ok(r.phases[2]!.where.some((w) => w.schema === live));
    assert.equal(skippedBeforeLive(r).length, 0);
    assert.equal(r.current, 4);
    assert.equal(r.phases[3]!.done, false);
  });

  it('names the phases live sending would skip', async () => {
    const empty = {
      databases: ['x'],
      current: 1 as const,
      phases: [1, 2, 3, 4].map((no) => ({ no: no as 1 | 2 | 3 | 4, title: `t${no}`, done: no === 2, date: null, runs: 0, posted: 0, acknowledged: 0, staged: 0, where: [], next: null })),
    };
    assert.equal(skippedText(skippedBeforeLive(empty)), 'phase 1 (t1); phase 3 (t3)');
  });
});

describe('ssd phases and live sending (CLI)', () => {
  const ENV = ['SSD_API_CLIENT_SECRET', 'SSD_API_SUPPLIER_KEY', 'SSD_DB', 'SSD_SCHEMA'];
  const saved: Record<string, string | undefined> = {};
  let api: MockApi;
  before(() => {
    for (const k of ENV) saved[k] = process.env[k];
  });
  after(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  beforeEach(async () => {
    api = await startMockApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('shows the phases, and asks for --yes-skip-phases before live data goes live first', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'ssd-phases-'));
    const url = `pglite:${dir}`;
    const db = await openDb(url);
    try {
      await stageChildren(db, stream(['L1', 'L2'].map((id) => child(id))), {});
    } finally {
      await db.close();
    }
    const shown = await runCli(['phases', '--db', url]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /\[not yet\] 1\. fake data staged in ssd_api_data_staging_anon/);
    assert.match(shown.stdout, /\[not yet\] 3\. live data staged in ssd_api_data_staging and sent to the DfE test endpoint\n\s+2 staged, 0 send run\(s\), 0 sent, 0 acknowledged/);
    assert.match(shown.stdout, /You are at phase 1\./);

    process.env.SSD_API_CLIENT_SECRET = CLIENT_SECRET;
    process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
    const endpoint = ['--la-code', LA_CODE, '--base-url', api.baseUrl, '--token-url', api.tokenUrl, '--scope', SCOPE, '--client-id', CLIENT_ID];
    const refused = await runCli(['send', '--db', url, '--mode', 'live', '--yes-send-live', ...endpoint]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /no record of phase 1 \(fake data .*\); phase 2 \(a scrambled copy .*\); phase 3 \(live data .*\)\. See `ssd phases`; add --yes-skip-phases/);
    assert.equal(api.requests.length + api.tokenRequests, 0, 'nothing sent');
    const sent = await runCli(['send', '--db', url, '--mode', 'live', '--yes-send-live', '--yes-skip-phases', ...endpoint]);
    assert.equal(sent.code, 0, sent.stderr);
    const after = await runCli(['phases', '--db', url, '--json']);
    const report = JSON.parse(after.stdout) as { phases: { no: number; done: boolean; acknowledged: number }[] };
    assert.deepEqual(
      report.phases.map((p) => [p.no, p.done, p.acknowledged]),
      [
        [1, false, 0],
        [2, false, 0],
        [3, false, 0],
        [4, true, 2],
      ],
    );
  });
});
