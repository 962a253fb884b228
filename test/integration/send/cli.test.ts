// `ssd send` through the CLI entry (main): modes, required options, secrets only from the
// environment and never printed, exit codes. Against the local DfE stand-in (mockApi.ts), on an
// embedded database in a temporary directory and, when SSD_TEST_PG is set, on PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runCli } from '../../helpers/runCli';
import { openDb } from '../../../src/db/openDb';
import { quoteIdent } from '../../../src/db/dialect';
import { stageChildren } from '../../../src/staging/stageChildren';
import { testTargets } from '../../helpers/targets';
import { child, stream } from '../staging/fixtures';
import { CLIENT_ID, CLIENT_SECRET, LA_CODE, SCOPE, startMockApi, SUPPLIER_KEY, type MockApi } from './mockApi';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const ENV = ['SSD_API_CLIENT_SECRET', 'SSD_API_SUPPLIER_KEY', 'SSD_API_BASE_URL', 'SSD_API_TOKEN_URL', 'SSD_API_SCOPE', 'SSD_API_CLIENT_ID', 'SSD_LA_CODE', 'SSD_DB', 'SSD_SCHEMA'];

for (const target of testTargets().filter((t) => t.name !== 'mssql')) {
  describe(`ssd send CLI [${target.name}]`, function () {
    let url = '';
    let schema = '';
    let api: MockApi;
    let cleanup: () => Promise<void> = async () => undefined;
    const saved: Record<string, string | undefined> = {};

    before(async function () {
      for (const k of ENV) {
        saved[k] = process.env[k];
        delete process.env[k];
      }
      if (target.name === 'pglite') {
        const dir = mkdtempSync(join(tmpdir(), 'ssd-send-cli-'));
        url = `pglite:${dir}`;
        schema = 'public';
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        url = target.url;
        schema = `ssd_t_${randomBytes(4).toString('hex')}`;
        const db = await openDb(url);
        await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
        await db.close();
        cleanup = async () => {
          const d = await openDb(url);
          await d.execute(`DROP SCHEMA ${quoteIdent('postgres', schema)} CASCADE`);
          await d.close();
        };
      }
      const db = await openDb(url);
      await stageChildren(db, stream(['K1', 'K2', 'K3', 'K4', 'K5'].map((id) => child(id))), { schema });
      await stageChildren(db, stream(['K1', 'K2', 'K3', 'K4', 'K5'].map((id) => child(id))), { schema, table: 'ssd_api_data_staging_anon' });
      await db.close();
    });
    after(async function () {
      await cleanup();
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
      delete process.env.SSD_API_CLIENT_SECRET;
      delete process.env.SSD_API_SUPPLIER_KEY;
    });

    const endpointArgs = () => ['--la-code', LA_CODE, '--base-url', api.baseUrl, '--token-url', api.tokenUrl, '--scope', SCOPE, '--client-id', CLIENT_ID];
    const secrets = () => {
      process.env.SSD_API_CLIENT_SECRET = CLIENT_SECRET;
      process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
    };
    const noSecrets = (s: string) => {
      assert.ok(!s.includes(CLIENT_SECRET) && !s.includes(SUPPLIER_KEY) && !/tok-[\w-]{8}/.test(s), s);
    };

    it('dry run by default: counts and batches, exit 0, nothing sent even with an endpoint given', async () => {
      const r = await run(['send', '--db', url, '--schema', schema, '--batch-size', '2', ...endpointArgs()]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Dry run of .*ssd_api_data_staging: nothing was sent and nothing was written/);
      assert.match(r.out, /queued\s+5\s+\(5 full, 0 partial, 0 deletion/);
      assert.match(r.out, /requests\s+3\s+\(up to 2 children each; largest 2 children/);
      assert.match(r.out, new RegExp(`POST ${api.baseUrl.replace(/[.]/g, '\\.')}/children_social_care_data/845/children`));
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it('bad usage is exit 2: test mode without its options, live without --yes-send-live, live on _anon, http to another host, a secret as an option', async () => {
      secrets();
      const cases: Array<[string[], RegExp]> = [
        [['--mode', 'test'], /--mode test needs --la-code, --base-url, --token-url, --scope, --client-id/],
        [['--mode', 'live', ...endpointArgs()], /add --yes-send-live/],
        [['--mode', 'live', '--yes-send-live', '--table', 'ssd_api_data_staging_anon', ...endpointArgs()], /live mode sends only the live table/],
        [['--mode', 'test', ...endpointArgs(), '--base-url', 'http://example.org/api'], /must be https/],
        [['--mode', 'test', ...endpointArgs(), '--la-code', '84'], /3-digit/],
        [['--mode', 'test', ...endpointArgs(), '--client-secret', CLIENT_SECRET], /unknown option/],
        [['--batch-size', '101'], /from 1 to 100/],
      ];
      for (const [args, re] of cases) {
        const r = await run(['send', '--db', url, '--schema', schema, ...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, re);
      }
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it('test mode without the secrets in the environment (and no terminal): exit 2 naming the variable', async function () {
      if (process.stdin.isTTY) this.skip();
      const r = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', ...endpointArgs()]);
      assert.equal(r.code, 2);
      assert.match(r.err, /SSD_API_CLIENT_SECRET/);
    });

    it('a wrong client secret: exit 2, the OAuth error shown, the secret not', async () => {
      process.env.SSD_API_CLIENT_SECRET = 'Totally-Wrong-Secret-1';
      process.env.SSD_API_SUPPLIER_KEY = SUPPLIER_KEY;
      const r = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', ...endpointArgs()]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /invalid_client/);
      assert.ok(!r.err.includes('Totally-Wrong-Secret-1') && !r.out.includes('Totally-Wrong-Secret-1'), r.err);
      assert.equal(api.requests.length, 0);
    });

    it('test mode with one child the API rejects: the others are Sent, exit 1, the reason listed, no secret printed', async () => {
      secrets();
      api.rejectIds.add('K3');
      const r = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', ...endpointArgs(), '--json']);
      assert.equal(r.code, 1, r.err);
      const j = JSON.parse(r.out);
      assert.deepEqual([j.queued, j.sent, j.rejected], [5, 4, 1]);
      assert.equal(j.issues[0].personId, 'K3');
      assert.match(j.issues[0].reason, /^HTTP 400 Bad Request/);
      noSecrets(r.out + r.err);
      assert.ok(!r.out.includes('Zoë'));
    });

    it('the rejected child sent again once accepted: exit 0; then nothing left to send', async () => {
      secrets();
      const r = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', ...endpointArgs()]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Sent\s+1/);
      noSecrets(r.out + r.err);
      const again = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', ...endpointArgs()]);
      assert.equal(again.code, 0);
      assert.match(again.out, /queued\s+0/);
      assert.equal(api.requests.length, 1);
    });

    it('--table ssd_api_data_staging_anon with --limit: only that table, only that many', async () => {
      secrets();
      const r = await run(['send', '--db', url, '--schema', schema, '--mode', 'test', '--table', 'ssd_api_data_staging_anon', '--limit', '2', ...endpointArgs(), '--json']);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.deepEqual([j.table, j.queued, j.sent], ['ssd_api_data_staging_anon', 2, 2]);
    });

    it('no staging table in the schema: exit 2 with what to do', async () => {
      const r = await run(['send', '--db', url, '--schema', 'nowhere_here']);
      assert.equal(r.code, 2);
      assert.match(r.err, /no staging table nowhere_here\.ssd_api_data_staging: run `ssd stage` first/);
    });
  });
}
