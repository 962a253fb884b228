// Fake data never reaches a DfE endpoint (issue 19, item 4): a database `ssd fake` filled (or
// `ssd demo` made) carries the marker; `ssd stage` then defaults to ssd_api_data_staging_anon, and
// `ssd send --mode test|live` of anything staged from it is refused with the reason, before any
// request (a dry run still works). Staging a fake schema into another schema carries the mark
// there. On an embedded database directory and, with SSD_TEST_PG, PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/openDb';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import { FAKE_RUNS_TABLE } from '../../../src/fake/generateFakeSsd';
import { FAKE_MARKER_TABLE, fakeSendRefusal, readFakeMark } from '../../../src/fake/fakeMarker';
import { runCli } from '../../helpers/runCli';
import { CLIENT_ID, CLIENT_SECRET, LA_CODE, SCOPE, startMockApi, SUPPLIER_KEY, type MockApi } from '../send/mockApi';

const AS_OF = '2026-08-10';

interface Target {
  name: string;
  setup(): Promise<{ url: string; schemas: [string, string]; cleanup(): Promise<void> }>;
}
const targets: Target[] = [
  {
    name: 'pglite directory',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'ssd-fakeguard-'));
      const url = `pglite:${join(dir, 'db')}`;
      const db = await openDb(url);
      try {
        await db.execute('CREATE SCHEMA staging_elsewhere');
      } finally {
        await db.close();
      }
      return { url, schemas: ['public', 'staging_elsewhere'], cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (process.env.SSD_TEST_PG) {
  const url = process.env.SSD_TEST_PG;
  targets.push({
    name: 'postgres',
    async setup() {
      const id = randomBytes(4).toString('hex');
      const schemas: [string, string] = [`ssd_fk_${id}`, `ssd_fks_${id}`];
      const db = await openDb(url);
      try {
        for (const s of schemas) await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', s)}`);
      } finally {
        await db.close();
      }
      return {
        url,
        schemas,
        cleanup: async () => {
          const d = await openDb(url);
          try {
            for (const s of schemas) await d.execute(`DROP SCHEMA ${quoteIdent('postgres', s)} CASCADE`);
          } finally {
            await d.close();
          }
        },
      };
    },
  });
}

describe('fake data marker: the one rule', () => {
  it('is the marker table ssd fake writes', () => assert.equal(FAKE_MARKER_TABLE, FAKE_RUNS_TABLE));
  it('allows a dry run, refuses test and live with the reason', () => {
    const mark = { schema: 's', runs: 2, latest: { runNo: 2, status: 'complete', children: 30, asOf: AS_OF, startedAt: null, stagedFrom: null } };
    assert.equal(fakeSendRefusal('dry-run', mark), undefined);
    assert.equal(fakeSendRefusal('live', undefined), undefined);
    for (const mode of ['test', 'live'] as const) {
      assert.match(
        fakeSendRefusal(mode, mark)!,
        new RegExp(`refusing to send to the DfE ${mode} endpoint: schema s holds fake data made by ssd fake or ssd demo \\(2 runs recorded in s\\.ssd_workbench_fake_runs\\)`),
      );
    }
    assert.match(fakeSendRefusal('test', { ...mark, latest: { ...mark.latest, stagedFrom: 'dev' } })!, /holds payloads staged from the fake data in schema dev/);
  });
  it('allows fake data to the test endpoint only when the run chose it, and never to live', () => {
    const mark = { schema: 's', runs: 1, latest: { runNo: 1, status: 'complete', children: 30, asOf: AS_OF, startedAt: null, stagedFrom: null } };
    assert.match(fakeSendRefusal('test', mark)!, /add --allow-fake-to-test/);
    assert.match(fakeSendRefusal('test', mark, { allowFakeToTest: false })!, /refusing to send to the DfE test endpoint/);
    assert.equal(fakeSendRefusal('test', mark, { allowFakeToTest: true }), undefined);
    assert.match(fakeSendRefusal('live', mark, { allowFakeToTest: true })!, /refusing to send to the DfE live endpoint: .*never sent to the live endpoint/);
    assert.doesNotMatch(fakeSendRefusal('live', mark)!, /allow-fake-to-test/);
  });
});

for (const target of targets) {
  describe(`fake data never reaches a DfE endpoint [${target.name}]`, function () {
    this.timeout(300_000);
    let url: string;
    let ssd: string;
    let other: string;
    let cleanup: () => Promise<void>;
    let api: MockApi;
    const saved = { s: process.env.SSD_API_CLIENT_SECRET, k: process.env.SSD_API_SUPPLIER_KEY };
    before(async () => {
      ({
        url,
        schemas: [ssd, other],
        cleanup,
      } = await target.setup());
      process.env.SSD_API_CLIENT_SECRET = CLIENT_SECRET;
      process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
      const f = await runCli(['fake', '--db', url, '--schema', ssd, '--children', '40', '--as-of', AS_OF]);
      assert.equal(f.code, 0, f.stderr);
    });
    after(async () => {
      await cleanup();
      if (saved.s === undefined) delete process.env.SSD_API_CLIENT_SECRET;
      else process.env.SSD_API_CLIENT_SECRET = saved.s;
      if (saved.k === undefined) delete process.env.SSD_API_SUPPLIER_KEY;
      else process.env.SSD_API_SUPPLIER_KEY = saved.k;
    });
    beforeEach(async () => {
      api = await startMockApi();
    });
    afterEach(async () => {
      await api.close();
    });
    const endpoint = () => ['--la-code', LA_CODE, '--base-url', api.baseUrl, '--token-url', api.tokenUrl, '--scope', SCOPE, '--client-id', CLIENT_ID];
    const pendingIn = async (schema: string, table: string): Promise<number> => {
      const db = await openDb(url);
      try {
        const [r] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify('postgres', schema, table)} WHERE LOWER(submission_status) = 'pending'`);
        return Number(r?.n ?? 0);
      } finally {
        await db.close();
      }
    };

    it('the database carries the marker, and plain `ssd stage` stages into ssd_api_data_staging_anon', async () => {
      const db = await openDb(url);
      try {
        assert.ok(await readFakeMark(db, ssd), 'marked');
        assert.equal(await readFakeMark(db, other), undefined, 'another schema is not');
      } finally {
        await db.close();
      }
      const r = await runCli(['stage', '--db', url, '--schema', ssd, '--as-of', AS_OF]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.match(r.stdout, new RegExp(`Staged the cohort into ${ssd}\\.ssd_api_data_staging_anon`));
      assert.ok((await pendingIn(ssd, 'ssd_api_data_staging_anon')) > 0);
    });

    it('send --mode test and --mode live are refused with the reason, before any request; a dry run works', async () => {
      // Even when the fake children were staged into the live table on purpose.
      const s = await runCli(['stage', '--db', url, '--schema', ssd, '--as-of', AS_OF, '--table', 'ssd_api_data_staging']);
      assert.ok(s.code === 0 || s.code === 1, s.stderr);
      const before = await pendingIn(ssd, 'ssd_api_data_staging');
      assert.ok(before > 0);
      for (const [mode, table] of [
        ['test', 'ssd_api_data_staging_anon'],
        ['test', 'ssd_api_data_staging'],
        ['live', 'ssd_api_data_staging'],
      ]) {
        const r = await runCli(['send', '--db', url, '--schema', ssd, '--table', table!, '--mode', mode!, '--yes-send-live', ...endpoint()]);
        assert.equal(r.code, 2, `${mode} ${table}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, new RegExp(`refusing to send to the DfE ${mode} endpoint: schema ${ssd} holds fake data made by ssd fake or ssd demo`));
      }
      assert.equal(api.requests.length + api.tokenRequests, 0, 'nothing was sent, not even a token request');
      assert.equal(await pendingIn(ssd, 'ssd_api_data_staging'), before, 'the rows are as they were');
      const dry = await runCli(['send', '--db', url, '--schema', ssd, ...endpoint()]);
      assert.ok(dry.code === 0 || dry.code === 1, dry.stderr);
      assert.match(dry.stdout, /Dry run of/);
    });

    it('staged from a fake schema into another schema: that schema carries the mark and its send is refused too', async () => {
      const s = await runCli(['stage', '--db', url, '--schema', ssd, '--staging-schema', other, '--as-of', AS_OF]);
      assert.ok(s.code === 0 || s.code === 1, s.stderr);
      assert.match(s.stdout, new RegExp(`into ${other}\\.ssd_api_data_staging_anon`));
      const db = await openDb(url);
      try {
        const mark = await readFakeMark(db, other);
        assert.equal(mark?.latest.stagedFrom, ssd);
      } finally {
        await db.close();
      }
      const r = await runCli(['send', '--db', url, '--schema', other, '--table', 'ssd_api_data_staging_anon', '--mode', 'test', ...endpoint()]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`schema ${other} holds payloads staged from the fake data in schema ${ssd}`));
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it('--allow-fake-to-test sends fake data to the test endpoint for that run, saying so; with live it is refused', async () => {
      const live = await runCli(['send', '--db', url, '--schema', ssd, '--table', 'ssd_api_data_staging', '--mode', 'live', '--yes-send-live', '--allow-fake-to-test', ...endpoint()]);
      assert.equal(live.code, 2, live.stdout + live.stderr);
      assert.match(live.stderr, /--allow-fake-to-test is for --mode test only: fake data is never sent to the live endpoint/);
      assert.equal(api.requests.length + api.tokenRequests, 0, 'nothing was sent live');
      const pending = await pendingIn(ssd, 'ssd_api_data_staging_anon');
      assert.ok(pending > 0);
      const r = await runCli(['send', '--db', url, '--schema', ssd, '--table', 'ssd_api_data_staging_anon', '--mode', 'test', '--allow-fake-to-test', ...endpoint()]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`--allow-fake-to-test: sending the FAKE data staged in ${ssd}\\.ssd_api_data_staging_anon to the DfE TEST endpoint`));
      assert.ok(api.requests.length > 0, 'the test endpoint received the fake children');
      assert.equal(await pendingIn(ssd, 'ssd_api_data_staging_anon'), 0, 'all sent');
    });
  });
}
