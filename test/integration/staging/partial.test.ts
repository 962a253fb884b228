import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { stageChildren } from '../../../src/staging/stageChildren';
import { CancelledError, type Db } from '../../../src/db/types';
import { child, stream } from './fixtures';
import type { BuiltChild } from '../../../src/payload/types';

async function byPerson(db: Db, t: string): Promise<Map<string, { json_payload: string; partial_json_payload: string | null; row_state: string; submission_status: string; lu: string }>> {
  const rows = await db.query<{ person_id: string; json_payload: string; partial_json_payload: string | null; row_state: string; submission_status: string; lu: string }>(
    `SELECT person_id, json_payload, partial_json_payload, row_state, submission_status, CAST(last_updated AS VARCHAR(40)) AS lu FROM ${t}`,
  );
  return new Map(rows.map((r) => [r.person_id, r]));
}

async function acknowledge(db: Db, t: string): Promise<void> {
  await db.execute(`UPDATE ${t} SET submission_status = 'sent', row_state = 'unchanged', previous_json_payload = json_payload, previous_hash = current_hash`);
}

forEachTarget('staging partial payloads', (fx) => {
  const t = () => fx().t('ssd_api_data_staging');

  it('New children get their full payload as the partial (D10)', async () => {
    const { db, schema } = fx();
    await stageChildren(db, stream([child('A1', { episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P1', 'P2'] }] }), child('A2')]), { schema, partial: true });
    const rows = await byPerson(db, t());
    assert.equal(rows.get('A1')!.partial_json_payload, rows.get('A1')!.json_payload);
  });

  it('Updated children get required fields + what differs from the acknowledged payload; text stored exactly (D11, D12)', async () => {
    const { db, schema } = fx();
    await acknowledge(db, t());
    const changed = child('A1', { surname: "D'Arcy-O'Neil", episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] });
    const r = await stageChildren(db, stream([changed, child('A2')]), { schema, partial: true });
    assert.deepEqual([r.updated, r.unchanged], [1, 1]);
    const a1 = (await byPerson(db, t())).get('A1')!;
    assert.equal(a1.row_state, 'Updated');
    assert.equal(
      a1.partial_json_payload,
      JSON.stringify({
        la_child_id: 'A1',
        mis_child_id: 'LA1',
        child_details: (changed.payload as { child_details: unknown }).child_details,
        social_care_episodes: [
          {
            social_care_episode_id: 'E1',
            child_in_need_plans: [
              { child_in_need_plan_id: 'P3', start_date: '2025-01-01', purge: false },
              { child_in_need_plan_id: 'P1', purge: true },
            ],
          },
        ],
      }),
    );
    assert.match(a1.partial_json_payload!, /"surname":"D'Arcy-O'Neil"/);
  });

  it('a second change before any send is still computed against the acknowledged payload (D9)', async () => {
    const { db, schema } = fx();
    const again = child('A1', { surname: 'Third', episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] });
    await stageChildren(db, stream([again, child('A2')]), { schema, partial: true });
    const part = JSON.parse((await byPerson(db, t())).get('A1')!.partial_json_payload!);
    // P1 was acknowledged and is still gone: still purged, although the previous build already said so.
    assert.deepEqual(part.social_care_episodes[0].child_in_need_plans.at(-1), { child_in_need_plan_id: 'P1', purge: true });
    assert.equal(part.child_details.surname, 'Third');
  });

  it('a rerun changes nothing (partials are deterministic)', async () => {
    const { db, schema } = fx();
    const before = await byPerson(db, t());
    await stageChildren(db, stream([child('A1', { surname: 'Third', episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] }), child('A2')]), { schema, partial: true });
    assert.deepEqual(await byPerson(db, t()), before);
  });

  it('turning partial payloads on fills the partial of rows still waiting to be sent, and only theirs', async () => {
    const { db, schema } = fx();
    await stageChildren(db, stream([child('A1', { surname: 'Third', episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] }), child('A2'), child('A3')]), { schema });
    let rows = await byPerson(db, t());
    assert.equal(rows.get('A3')!.partial_json_payload, null);
    const before = rows;
    await stageChildren(db, stream([child('A1', { surname: 'Third', episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] }), child('A2'), child('A3')]), { schema, partial: true });
    rows = await byPerson(db, t());
    assert.equal(rows.get('A3')!.partial_json_payload, rows.get('A3')!.json_payload);
    assert.deepEqual(rows.get('A2'), before.get('A2'), 'a sent, unchanged row is left alone');
    assert.equal(rows.get('A2')!.submission_status, 'sent');
  });

  it('a deletion payload is also the partial', async () => {
    const { db, schema } = fx();
    await stageChildren(db, stream([child('A1', { surname: 'Third', episodes: [{ id: 'E1', ref: '2025-01-01', plans: ['P2', 'P3'] }] }), child('A3')]), { schema, partial: true });
    const a2 = (await byPerson(db, t())).get('A2')!;
    assert.equal(a2.row_state, 'Deleted');
    assert.equal(a2.partial_json_payload, '{"la_child_id":"A2","mis_child_id":"LA2","purge":true}');
    assert.equal(a2.json_payload, a2.partial_json_payload);
  });
});

forEachTarget('staging cancellation', (fx) => {
  it('an AbortSignal stops between batches: committed batches stay, the next run completes', async () => {
    const { db, schema } = fx();
    const t = fx().t('ssd_api_data_staging');
    const controller = new AbortController();
    const kids = Array.from({ length: 50 }, (_, i) => child(`X${String(i).padStart(3, '0')}`));
    let batches = 0;
    await assert.rejects(
      stageChildren(db, stream(kids), {
        schema,
        batchSize: 10,
        signal: controller.signal,
        onProgress: () => {
          if (++batches === 2) controller.abort();
        },
      }),
      CancelledError,
    );
    const count = async () => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
    assert.equal(await count(), 20, 'the two committed batches, nothing of the third');
    const r = await stageChildren(db, stream(kids), { schema, batchSize: 10 });
    assert.deepEqual([r.new, r.unchanged, r.deleted], [30, 20, 0]);
    assert.equal(await count(), 50);
    // The cancelled run's work table is gone: it was a temporary table, dropped with the run, and
    // no permanent work table was made.
    const marks = Number(
      (
        await db.query<{ n: number }>(
          db.dialect === 'mssql'
            ? `SELECT (SELECT COUNT(*) FROM sys.tables WHERE name LIKE '%run[_]marks%') + (SELECT COUNT(*) FROM tempdb.sys.tables WHERE name LIKE '#ssd[_]run[_]marks%') AS n`
            : `SELECT COUNT(*) AS n FROM pg_class WHERE relname LIKE '%run\\_marks%'`,
        )
      )[0]!.n,
    );
    assert.equal(marks, 0);
  });

  it('a child stream that fails part way leaves no deletions behind', async () => {
    const { db, schema } = fx();
    const t = fx().t('ssd_api_data_staging');
    async function* failing(): AsyncIterable<BuiltChild> {
      yield child('X000');
      throw new Error('builder failed');
    }
    await assert.rejects(stageChildren(db, failing(), { schema, batchSize: 10 }), /builder failed/);
    const deleted = Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t} WHERE row_state = 'Deleted'`))[0]!.n);
    assert.equal(deleted, 0);
  });
});
