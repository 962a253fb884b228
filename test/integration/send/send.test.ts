// The sender end to end on every target database: stage hand-made children with the staging core,
// send them to a local HTTP stand-in for the DfE API (mockApi.ts), and check every staging row.
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { runSend, type SendOptions } from '../../../src/send/runSend';
import type { Db } from '../../../src/db/types';
import { child, stream, badUpn } from '../staging/fixtures';
import { endpointOf, FAST_POLICY, fakeTiming, startMockApi, type MockApi } from './mockApi';

interface Row {
  id: number;
  person_id: string;
  json_payload: string;
  partial_json_payload: string | null;
  previous_json_payload: string | null;
  current_hash: string | null;
  previous_hash: string | null;
  submission_status: string;
  submission_timestamp: string;
  api_response: string | null;
  row_state: string;
  last_updated: string;
}

async function rows(db: Db, t: string): Promise<Map<string, Row>> {
  const hex = db.dialect === 'mssql' ? (c: string) => `LOWER(CONVERT(VARCHAR(64), ${c}, 2))` : db.dialect === 'oracle' ? (c: string) => `LOWER(RAWTOHEX(${c}))` : (c: string) => `encode(${c}, 'hex')`;
  // Oracle: TIMESTAMP(3) holds the UTC time as written (as SQL Server's DATETIME does).
  const ts =
    db.dialect === 'mssql'
      ? (c: string) => `CONVERT(VARCHAR(30), ${c}, 126)`
      : db.dialect === 'oracle'
        ? (c: string) => `TO_CHAR(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.FF3')`
        : (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS')`;
  const r = await db.query<Row>(`SELECT id, person_id, json_payload, partial_json_payload, previous_json_payload,
    ${hex('current_hash')} AS current_hash, ${hex('previous_hash')} AS previous_hash, submission_status, ${ts('submission_timestamp')} AS submission_timestamp,
    api_response, row_state, ${ts('last_updated')} AS last_updated FROM ${t} ORDER BY id`);
  return new Map(r.map((x) => [x.person_id, x]));
}

/** The token time as the API wrote it, as stored (UTC, milliseconds). */
function tokenTime(token: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})_(\d{2}:\d{2}:\d{2})\.(\d{2})_/.exec(token)!;
  return `${m[1]}T${m[2]}.${m[3]}0`;
}

forEachTarget(
  'ssd send',
  (fx) => {
    const table = 'ssd_api_data_staging';
    const t = () => fx().t(table);
    let api: MockApi;
    let timing: ReturnType<typeof fakeTiming>;

    beforeEach(async () => {
      api = await startMockApi();
      timing = fakeTiming();
    });
    afterEach(async () => {
      await api.close();
    });

    const send = (o: Partial<SendOptions> = {}) =>
      runSend(fx().db, {
        mode: 'test',
        schema: fx().schema,
        endpoint: endpointOf(api),
        policy: FAST_POLICY,
        timing: timing.timing,
        ...o,
      });

    it('dry run (the default mode): builds and checks every request, sends nothing, writes nothing', async () => {
      const { db, schema } = fx();
      const kids = Array.from({ length: 7 }, (_, i) => child(`P00${i + 1}`));
      kids.push(child('P009', { problems: [badUpn] })); // invalid at staging: Withheld, never queued
      await stageChildren(db, stream(kids), { schema });
      const before = await rows(db, t());
      const r = await runSend(db, { mode: 'dry-run', schema, batchSize: 3, baseUrl: 'https://example.invalid/1', laCode: '845' });
      assert.equal(r.queued, 7);
      assert.deepEqual(r.batchSizes, [3, 3, 1]);
      assert.equal(r.batches, 3);
      assert.equal(r.full, 7);
      assert.equal(r.invalid, 0);
      assert.equal(r.sent, 0);
      assert.ok(r.largestRequestBytes > 100);
      assert.equal(r.url, 'https://example.invalid/1/children_social_care_data/845/children');
      assert.deepEqual(await rows(db, t()), before);
      assert.equal(api.requests.length + api.tokenRequests, 0);
    });

    it('test mode: every queued child Sent/Unchanged with the uuid, token time and previous_* rotated; the invalid one untouched', async () => {
      const { db } = fx();
      const before = await rows(db, t());
      const r = await send({ batchSize: 3 });
      assert.deepEqual([r.queued, r.sent, r.rejected, r.failed, r.invalid, r.notSent], [7, 7, 0, 0, 0, 0]);
      assert.equal(r.stopped, null);
      assert.deepEqual(
        api.requests.map((q) => q.children.length),
        [3, 3, 1],
      );
      assert.equal(api.tokenRequests, 1);
      const after = await rows(db, t());
      for (const [id, row] of after) {
        const old = before.get(id)!;
        if (id === 'P009') {
          assert.deepEqual(row, old);
          continue;
        }
        const ack = api.acks.get(id)!;
        assert.equal(row.submission_status, 'Sent');
        assert.equal(row.row_state, 'Unchanged');
        assert.equal(row.api_response, ack.uuid);
        assert.equal(row.submission_timestamp, tokenTime(ack.token));
        assert.equal(row.previous_json_payload, old.json_payload);
        assert.equal(row.previous_hash, old.current_hash);
        assert.equal(row.json_payload, old.json_payload);
        assert.equal(row.current_hash, old.current_hash);
        assert.equal(row.last_updated, old.last_updated);
      }
      // What was sent is exactly the staged payload.
      assert.deepEqual(api.requests[0]!.children[0], JSON.parse(before.get('P001')!.json_payload));
    });

    it('a second send sends nothing (and asks for no token)', async () => {
      const { db } = fx();
      const before = await rows(db, t());
      const r = await send();
      assert.deepEqual([r.queued, r.sent, r.batches], [0, 0, 0]);
      assert.equal(api.requests.length + api.tokenRequests, 0);
      assert.deepEqual(await rows(db, t()), before);
    });

    it('statuses in any case are queued; an Error from a sender is retried, one recorded by staging is not', async () => {
      const { db } = fx();
      await db.execute(`UPDATE ${t()} SET submission_status = 'pending', row_state = 'new' WHERE person_id = 'P001'`);
      await db.execute(`UPDATE ${t()} SET submission_status = 'ERROR', api_response = 'send failed: HTTP 503' WHERE person_id = 'P002'`);
      const r = await send();
      assert.equal(r.queued, 2);
      assert.deepEqual(
        api.requests[0]!.children.map((c) => c.la_child_id),
        ['P001', 'P002'],
      );
      const after = await rows(db, t());
      assert.equal(after.get('P001')!.submission_status, 'Sent');
      assert.equal(after.get('P002')!.submission_status, 'Sent');
      assert.equal(after.get('P002')!.api_response, api.acks.get('P002')!.uuid);
      assert.match(after.get('P009')!.api_response!, /^\{"stage":"invalid"/);
      assert.equal(after.get('P009')!.submission_status, 'Withheld');
    });

    it('D13: a batch refused for one bad child is split; the others are Sent, the bad one Error with a reason that echoes no data', async () => {
      const { db, schema } = fx();
      await stageChildren(
        db,
        stream([...Array.from({ length: 7 }, (_, i) => child(`P00${i + 1}`)), child('P009', { problems: [badUpn] }), ...['Q01', 'Q02', 'Q03', 'Q04', 'Q05', 'Q06'].map((id) => child(id))]),
        { schema },
      );
      api.rejectIds.add('Q04');
      const r = await send({ batchSize: 6 });
      assert.deepEqual([r.queued, r.sent, r.rejected, r.failed], [6, 5, 1, 0]);
      assert.equal(r.issues.length, 1);
      assert.equal(r.issues[0]!.personId, 'Q04');
      assert.equal(r.stopped, null);
      const after = await rows(db, t());
      for (const id of ['Q01', 'Q02', 'Q03', 'Q05', 'Q06']) assert.equal(after.get(id)!.submission_status, 'Sent', id);
      const bad = after.get('Q04')!;
      assert.equal(bad.submission_status, 'Error');
      assert.equal(bad.row_state, 'New');
      assert.equal(bad.previous_json_payload, null);
      // The API's code, the record it names (index and id): never its free text, which quotes the child's name.
      assert.equal(bad.api_response!, 'rejected by the API: HTTP 400 Bad Request: ValidationFailed; record [0]; la_child_id Q04');
      assert.ok(!bad.api_response!.includes('Zoë') && !bad.api_response!.includes('Malformed'), bad.api_response!);
      assert.ok(!JSON.stringify(r).includes('Zoë'));
      // Halves were sent: more requests than the one batch.
      assert.ok(api.requests.length > 2);
      // The rejected child stays queued (a sender error) and is tried again next run.
      api.rejectIds.clear();
      const again = await send();
      assert.deepEqual([again.queued, again.sent], [1, 1]);
      assert.equal((await rows(db, t())).get('Q04')!.submission_status, 'Sent');
    });

    it('429 (Retry-After) and 503 on the way: retried, all Sent', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('P001', { surname: 'Changed' }), child('P002', { surname: 'Changed' })]), { schema, allowEmptyCohort: true });
      // Only P001 and P002 in the cohort now: the others left (acknowledged → Deleted with a deletion payload).
      api.script.push({ kind: 'status', status: 429, headers: { 'Retry-After': '3' }, body: '' }, { kind: 'status', status: 503, body: '' });
      const r = await send();
      assert.equal(r.failed, 0);
      assert.equal(r.rejected, 0);
      assert.equal(r.sent, r.queued);
      assert.equal(r.retries, 2);
      assert.ok(timing.sleeps[0]! >= 3000);
      const after = await rows(db, t());
      const del = after.get('Q01')!;
      assert.equal(del.submission_status, 'Sent');
      assert.deepEqual(JSON.parse(del.json_payload), { la_child_id: 'Q01', mis_child_id: 'LQ01', purge: true });
      const sentBodies = api.requests.flatMap((q) => q.children);
      assert.ok(sentBodies.some((c) => c.la_child_id === 'Q01' && c.purge === true && !('child_details' in c)));
      assert.equal(after.get('P001')!.submission_status, 'Sent');
      assert.equal(after.get('P001')!.row_state, 'Unchanged');
    });

    it('a 2xx whose body does not match the records: nothing is marked Sent, the run stops, rows stay queued', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('P001', { surname: 'Again' }), child('P002', { surname: 'Again' }), child('P003', { surname: 'Again' })]), { schema, allowEmptyCohort: true });
      const before = await rows(db, t());
      api.script.push({ kind: 'short-body' });
      const r = await send({ batchSize: 2 });
      assert.equal(r.sent, 0);
      assert.equal(r.failed, 2);
      assert.equal(r.stopped?.kind, 'malformed');
      assert.equal(api.requests.length, 1);
      const after = await rows(db, t());
      for (const id of ['P001', 'P002']) {
        const row = after.get(id)!;
        assert.equal(row.submission_status, 'Error');
        assert.match(row.api_response!, /^send failed: HTTP 200 OK but the response holds 1 token\(s\) for 2 record\(s\); not marked Sent/);
        assert.equal(row.previous_json_payload, before.get(id)!.previous_json_payload);
        assert.equal(row.previous_hash, before.get(id)!.previous_hash);
      }
      assert.deepEqual(after.get('P003'), before.get('P003'));
    });

    it('--partial: Updated children get their partial payload (purge false on top), New ones the full payload (D10)', async () => {
      const { db, schema } = fx();
      // Clear the queue first.
      await send();
      const kids = [
        child('P001', { surname: 'Again' }),
        child('P002', {
          surname: 'Partial',
          episodes: [
            { id: 'EP002', ref: '2025-01-10' },
            { id: 'EX2', ref: '2025-03-01' },
          ],
        }),
        child('P003', { surname: 'Again' }),
        child('N001'),
      ];
      await stageChildren(db, stream(kids), { schema, partial: true, allowEmptyCohort: true });
      const staged = await rows(db, t());
      const n = api.requests.length;
      const r = await send({ partial: true });
      assert.equal(r.sent, 2);
      assert.deepEqual([r.full, r.partialPayloads], [1, 1]);
      const bodies = api.requests.slice(n).flatMap((q) => q.children);
      const p2 = bodies.find((c) => c.la_child_id === 'P002')!;
      assert.deepEqual(p2, { ...JSON.parse(staged.get('P002')!.partial_json_payload!), purge: false });
      assert.deepEqual((p2.social_care_episodes as unknown[]).length, 1); // only the new episode
      assert.deepEqual(
        bodies.find((c) => c.la_child_id === 'N001'),
        JSON.parse(staged.get('N001')!.json_payload),
      );
      const after = await rows(db, t());
      // previous_* hold the full payload the DfE now has, not the partial.
      assert.equal(after.get('P002')!.previous_json_payload, staged.get('P002')!.json_payload);
      assert.equal(after.get('P002')!.previous_hash, staged.get('P002')!.current_hash);
    });

    it('a payload restaged while its request was in flight: previous_* record what was sent, the new payload stays queued', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('P001', { surname: 'Before' })]), { schema, allowEmptyCohort: true });
      const sentJson = (await rows(db, t())).get('P001')!.json_payload;
      api.beforeAnswer = async () => {
        api.beforeAnswer = undefined;
        await stageChildren(db, stream([child('P001', { surname: 'During' })]), { schema, allowEmptyCohort: true });
      };
      const r = await send({ limit: 1 });
      assert.equal(r.sent, 1);
      assert.equal(r.supersededWhileSending, 1);
      const row = (await rows(db, t())).get('P001')!;
      assert.equal(row.submission_status, 'Pending');
      assert.equal(row.row_state, 'Updated');
      assert.match(row.json_payload, /During/);
      assert.equal(row.previous_json_payload, sentJson);
      assert.equal(row.api_response, api.acks.get('P001')!.uuid);
      const again = await send({ limit: 1 });
      assert.equal(again.sent, 1);
      assert.equal((await rows(db, t())).get('P001')!.submission_status, 'Sent');
    });

    it('cancel: stops between batches; what was sent is recorded, the rest is left as it was', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream(['C1', 'C2', 'C3', 'C4', 'C5'].map((id) => child(id))), { schema, allowEmptyCohort: true });
      const before = await rows(db, t());
      const c = new AbortController();
      const r = await send({ batchSize: 2, signal: c.signal, onProgress: () => c.abort() });
      assert.equal(r.stopped?.kind, 'cancelled');
      assert.equal(r.sent, 2);
      const after = await rows(db, t());
      const sent = [...after.values()].filter((x) => x.submission_status === 'Sent' && before.get(x.person_id)!.submission_status !== 'Sent');
      assert.equal(sent.length, 2);
      for (const id of ['C3', 'C4', 'C5']) assert.deepEqual(after.get(id), before.get(id));
      await send();
    });

    it('an auth failure (401 again with a fresh token) stops the run; that batch is Error, later batches untouched', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream(['A1', 'A2', 'A3', 'A4'].map((id) => child(id))), { schema, allowEmptyCohort: true });
      const before = await rows(db, t());
      api.script.push({ kind: 'status', status: 401, body: '{"message":"no"}' }, { kind: 'status', status: 401, body: '{"message":"no"}' });
      const r = await send({ batchSize: 2 });
      assert.equal(r.stopped?.kind, 'auth');
      assert.deepEqual([r.sent, r.failed, r.notSent], [0, 2, 0]);
      // The rows of the first batch (the ones that left the cohort come first, by id) are Error; the rest untouched.
      const after = await rows(db, t());
      const changed = [...after.values()].filter((x) => JSON.stringify(x) !== JSON.stringify(before.get(x.person_id)));
      assert.equal(changed.length, 2);
      for (const x of changed) {
        assert.equal(x.submission_status, 'Error');
        assert.match(x.api_response!, /^send failed: HTTP 401/);
      }
      for (const id of ['A3', 'A4']) assert.deepEqual(after.get(id), before.get(id));
      assert.equal(api.tokenRequests, 2); // first token, one refresh
      await send();
    });

    it('a row whose payload breaks the DfE schema now is not sent: Withheld with the rule (staging re-checks it)', async () => {
      const { db, schema } = fx();
      await stageChildren(db, stream([child('V1')]), { schema, allowEmptyCohort: true });
      await db.execute(`UPDATE ${t()} SET json_payload = $1 WHERE person_id = 'V1'`, [JSON.stringify({ ...child('V1').payload, la_child_id: 'V 1' })]);
      const n = api.requests.length;
      const r = await send();
      assert.equal(r.invalid, 1);
      assert.equal(r.sent, r.queued - 1);
      assert.deepEqual(
        r.issues.map((i) => [i.personId, i.outcome]),
        [['V1', 'invalid']],
      );
      assert.ok(!api.requests.slice(n).some((q) => q.children.some((c) => String(c.la_child_id).startsWith('V'))));
      const row = (await rows(db, t())).get('V1')!;
      assert.equal(row.submission_status, 'Withheld', 'not Error: the community senders would send it');
      assert.match(row.api_response!, /^\{"stage":"invalid","problems":\[\{"path":"\/la_child_id","rule":"pattern"/);
    });
  },
  { oracle: true },
);
