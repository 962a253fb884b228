// The send job (src/send/job.ts) `ssd send` and the editor's Send Staged Payloads both call: the
// dry run first (the editor), the questions through the confirm hook (a no, or no hook, sends
// nothing), the endpoint asked for only after every yes, progress per phase, and a cancelled dry
// run stops the job with CancelledError before anything is asked.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { runSendJob, type SendJobOptions, type SendJobPhase, type SendJobProgress, type SendJobQuestion } from '../../../src/send/job';
import { qualify } from '../../../src/db/dialect';
import type { Db } from '../../../src/db/types';
import { child, stream } from '../staging/fixtures';
import { endpointOf, FAST_POLICY, fakeTiming, startMockApi, type MockApi } from './mockApi';

async function statuses(db: Db, schema: string): Promise<string> {
  return JSON.stringify(await db.query(`SELECT person_id, submission_status, row_state FROM ${qualify(db.dialect, schema, 'ssd_api_data_staging')} ORDER BY id`));
}

forEachTarget(
  'send job',
  (fx) => {
    let api: MockApi;
    beforeEach(async () => {
      api = await startMockApi();
    });
    afterEach(async () => {
      await api.close();
    });
    const base = (o: Partial<SendJobOptions> = {}): SendJobOptions => ({ mode: 'test', schema: fx().schema, batchSize: 2, policy: FAST_POLICY, timing: fakeTiming().timing, ...o });

    it('a dry run reports progress, sends and writes nothing', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream(Array.from({ length: 5 }, (_, i) => child(`J00${i + 1}`))), { schema });
      const before = await statuses(db, schema);
      const events: SendJobProgress[] = [];
      const out = await runSendJob(db, base({ mode: 'dry-run', onProgress: (p) => events.push(p) }));
      assert.ok(out.ran);
      assert.equal(out.report.mode, 'dry-run');
      assert.equal(out.report.queued, 5);
      assert.deepEqual(
        events.map((e) => [e.phase, e.records]),
        [
          ['dry-run', 2],
          ['dry-run', 4],
          ['dry-run', 5],
        ],
      );
      assert.equal(await statuses(db, schema), before);
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it("asks before a test send with the dry run's numbers: no (or no hook) sends nothing, yes sends", async () => {
      const { db, schema } = fx();
      const before = await statuses(db, schema);
      let endpointAsked = 0;
      const endpoint = () => {
        endpointAsked++;
        return endpointOf(api);
      };
      const asked: SendJobQuestion[] = [];
      const no = await runSendJob(
        db,
        base({
          dryRunFirst: true,
          endpoint,
          confirm: (q) => {
            asked.push(q);
            return false;
          },
        }),
      );
      assert.ok(!no.ran && 'declined' in no && no.declined === 'send');
      assert.equal(asked.length, 1);
      assert.ok(asked[0]!.kind === 'send' && asked[0]!.dryRun?.queued === 5 && !asked[0]!.massDeletion);
      const silent = await runSendJob(db, base({ endpoint }));
      assert.ok(!silent.ran && 'declined' in silent, 'without a confirm hook nothing is sent');
      assert.equal(endpointAsked, 0, 'the endpoint (secrets) is asked for only after every yes');
      assert.equal(await statuses(db, schema), before);
      assert.equal(api.requests.length + api.tokenRequests, 0);

      const phases: SendJobPhase[] = [];
      const events: SendJobProgress[] = [];
      const yes = await runSendJob(
        db,
        base({
          dryRunFirst: true,
          endpoint,
          confirm: () => true,
          onProgress: (p) => events.push(p),
          step: (phase, work) => {
            phases.push(phase);
            return work({ report: () => undefined });
          },
        }),
      );
      assert.ok(yes.ran);
      assert.deepEqual(phases, ['dry-run', 'send']);
      assert.equal(endpointAsked, 1);
      assert.equal(yes.report.sent, 5);
      assert.ok(events.filter((e) => e.phase === 'send').every((e) => e.total === 5));
      assert.equal(api.requests.length, 3);
    });

    it('live before the test phases succeeded asks; no sends nothing', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('J009')]), { schema });
      const before = await statuses(db, schema);
      const asked: string[] = [];
      const out = await runSendJob(
        db,
        base({
          mode: 'live',
          endpoint: endpointOf(api),
          confirm: (q) => {
            asked.push(q.kind);
            return q.kind === 'send';
          },
        }),
      );
      assert.ok(!out.ran && 'declined' in out && out.declined === 'skip-phases');
      assert.deepEqual(asked, ['send', 'skip-phases']);
      assert.ok(out.skipped!.length > 0);
      assert.equal(await statuses(db, schema), before);
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it('a yes after a dry run that found more purges than the safety stop allows sends them (this run only)', async () => {
      const { db, schema } = fx();
      const stay = [child('K001')];
      const many = Array.from({ length: 30 }, (_, i) => child(`K1${String(i).padStart(2, '0')}`));
      await stageChildren(db, stream([...stay, ...many]), { schema, allowEmptyCohort: true });
      const first = await runSendJob(db, base({ endpoint: endpointOf(api), confirm: () => true }));
      assert.ok(first.ran && first.report.stopped === null);
      await stageChildren(db, stream(stay), { schema, allowEmptyCohort: true }); // 30 deletion payloads queued
      // Without the dry run first the job cannot know: the run's own safety stop holds them back.
      const blind = await runSendJob(db, base({ endpoint: endpointOf(api), confirm: () => true }));
      assert.ok(blind.ran && blind.report.stopped?.kind === 'mass-deletion' && blind.report.sent === 0);
      const asked: SendJobQuestion[] = [];
      const out = await runSendJob(
        db,
        base({
          dryRunFirst: true,
          endpoint: endpointOf(api),
          confirm: (q) => {
            asked.push(q);
            return true;
          },
        }),
      );
      assert.ok(asked[0]!.kind === 'send' && asked[0]!.massDeletion);
      assert.ok(out.ran);
      assert.deepEqual([out.report.deletions, out.report.sent, out.report.stopped], [30, 30, null]);
    });

    it('a dry run cancelled before a send stops the job with CancelledError, nothing asked', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('K001'), child('L001'), child('L002'), child('L003')]), { schema, allowEmptyCohort: true });
      const ac = new AbortController();
      let asked = 0;
      const err = await runSendJob(
        db,
        base({
          dryRunFirst: true,
          endpoint: endpointOf(api),
          signal: ac.signal,
          confirm: () => {
            asked++;
            return true;
          },
          onProgress: () => ac.abort(),
        }),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error && err.name === 'CancelledError', `expected CancelledError, got ${String(err)}`);
      assert.equal(asked, 0);
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });
  },
  { oracle: true },
);
