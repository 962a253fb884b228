import assert from 'node:assert/strict';
import { computePartialPayload, deletionPayload, isDeletionPayload } from '../../../src/staging/partialPayload';

const details = { first_name: 'Zoë', surname: "O'Brien", sex: 'F', disabilities: ['NONE'], uasc_flag: false, purge: false };

function payload(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    la_child_id: 'C1',
    mis_child_id: 'M1',
    purge: false,
    child_details: details,
    health_and_wellbeing: { sdq_assessments: [{ date: '2025-03-01', score: 12 }], purge: false },
    social_care_episodes: [
      {
        social_care_episode_id: 'E2',
        referral_date: '2025-02-01',
        referral_source: '1A',
        child_in_need_plans: [
          { child_in_need_plan_id: 'P1', start_date: '2025-02-03', purge: false },
          { child_in_need_plan_id: 'P2', start_date: '2025-02-10', purge: false },
        ],
        care_worker_details: [{ worker_id: 'SW1', start_date: '2025-02-01' }],
        adoption: { initial_decision_date: '2025-02-20', purge: false },
        purge: false,
      },
      { social_care_episode_id: 'E1', referral_date: '2024-06-01', closure_date: '2024-09-01', purge: false },
    ],
    ...over,
  };
}

function episodes(p: Record<string, unknown>): Array<Record<string, unknown>> {
  return p.social_care_episodes as Array<Record<string, unknown>>;
}

describe('partial payloads (D10–D12)', () => {
  it('New children (nothing acknowledged) are sent in full (D10)', () => {
    const p = payload();
    assert.equal(computePartialPayload(p, null), p);
  });

  it('no difference: only the required fields', () => {
    assert.deepEqual(computePartialPayload(payload(), payload()), { la_child_id: 'C1', mis_child_id: 'M1', child_details: details });
  });

  it('required fields are always sent, from the current payload, whole', () => {
    const cur = payload({ child_details: { ...details, surname: 'Smith' } });
    assert.deepEqual(computePartialPayload(cur, payload()), { la_child_id: 'C1', mis_child_id: 'M1', child_details: { ...details, surname: 'Smith' } });
  });

  it('a changed scalar in an episode: the episode id and what differs', () => {
    const cur = payload();
    episodes(cur)[0]!.referral_source = '2B';
    assert.deepEqual(computePartialPayload(cur, payload()).social_care_episodes, [{ social_care_episode_id: 'E2', referral_source: '2B' }]);
  });

  it('list items are matched by id, not by position', () => {
    const cur = payload();
    (cur.social_care_episodes as unknown[]).reverse();
    assert.deepEqual(computePartialPayload(cur, payload()), { la_child_id: 'C1', mis_child_id: 'M1', child_details: details });
  });

  it('a new item is sent whole, an acknowledged item now gone is sent as {id, purge: true} (D11)', () => {
    const cur = payload();
    const plans = episodes(cur)[0]!.child_in_need_plans as Array<Record<string, unknown>>;
    plans.splice(0, 1, { child_in_need_plan_id: 'P3', start_date: '2025-03-01', purge: false });
    assert.deepEqual(computePartialPayload(cur, payload()).social_care_episodes, [
      {
        social_care_episode_id: 'E2',
        child_in_need_plans: [
          { child_in_need_plan_id: 'P3', start_date: '2025-03-01', purge: false },
          { child_in_need_plan_id: 'P1', purge: true },
        ],
      },
    ]);
  });

  it('a whole episode gone is purged by its id; all episodes gone too', () => {
    const one = payload();
    (one.social_care_episodes as unknown[]).pop();
    assert.deepEqual(computePartialPayload(one, payload()).social_care_episodes, [{ social_care_episode_id: 'E1', purge: true }]);
    const none = payload();
    delete none.social_care_episodes;
    assert.deepEqual(computePartialPayload(none, payload()).social_care_episodes, [
      { social_care_episode_id: 'E2', purge: true },
      { social_care_episode_id: 'E1', purge: true },
    ]);
  });

  it('an object changed sends only what differs; an object gone is sent as {purge: true}', () => {
    const cur = payload();
    episodes(cur)[0]!.adoption = { initial_decision_date: '2025-02-20', matched_date: '2025-03-05', purge: false };
    delete cur.health_and_wellbeing;
    const part = computePartialPayload(cur, payload());
    assert.deepEqual(part.social_care_episodes, [{ social_care_episode_id: 'E2', adoption: { matched_date: '2025-03-05' } }]);
    assert.deepEqual(part.health_and_wellbeing, { purge: true });
  });

  it('lists without ids (SDQs, care workers, factors) are sent whole when they differ, [] when gone', () => {
    const cur = payload({
      health_and_wellbeing: {
        sdq_assessments: [
          { date: '2025-05-01', score: 20 },
          { date: '2025-03-01', score: 12 },
        ],
        purge: false,
      },
    });
    delete episodes(cur)[0]!.care_worker_details;
    const part = computePartialPayload(cur, payload());
    assert.deepEqual(part.health_and_wellbeing, {
      sdq_assessments: [
        { date: '2025-05-01', score: 20 },
        { date: '2025-03-01', score: 12 },
      ],
    });
    assert.deepEqual(part.social_care_episodes, [{ social_care_episode_id: 'E2', care_worker_details: [] }]);
  });

  it('a scalar removed from an item sends the current item whole (a partial cannot say "now empty")', () => {
    const cur = payload();
    delete episodes(cur)[1]!.closure_date;
    assert.deepEqual(computePartialPayload(cur, payload()).social_care_episodes, [episodes(cur)[1]]);
  });

  it('a top-level member added is sent whole', () => {
    const prev = payload();
    delete prev.health_and_wellbeing;
    assert.deepEqual(computePartialPayload(payload(), prev).health_and_wellbeing, payload().health_and_wellbeing);
  });

  it('items with duplicate ids are not matched: the list is sent whole', () => {
    const cur = payload();
    episodes(cur)[0]!.child_in_need_plans = [
      { child_in_need_plan_id: 'P1', start_date: '2025-02-03', purge: false },
      { child_in_need_plan_id: 'P1', start_date: '2025-02-04', purge: false },
    ];
    assert.deepEqual(computePartialPayload(cur, payload()).social_care_episodes, [{ social_care_episode_id: 'E2', child_in_need_plans: episodes(cur)[0]!.child_in_need_plans }]);
  });

  it('text is kept exactly: no quote doubling (D12)', () => {
    const cur = payload({ child_details: { ...details, surname: "O'Neil-D'Arcy" } });
    const text = JSON.stringify(computePartialPayload(cur, payload()));
    assert.match(text, /"surname":"O'Neil-D'Arcy"/);
    assert.doesNotMatch(text, /''/);
  });

  it('does not modify its inputs', () => {
    const cur = payload();
    const prev = payload();
    episodes(cur)[0]!.referral_source = '3C';
    const snapshot = JSON.stringify([cur, prev]);
    computePartialPayload(cur, prev);
    assert.equal(JSON.stringify([cur, prev]), snapshot);
  });

  it('deletion payload (D7): ids and purge true; mis_child_id left out when unknown', () => {
    assert.deepEqual(deletionPayload({ la_child_id: 'C1', mis_child_id: 'M1' }), { la_child_id: 'C1', mis_child_id: 'M1', purge: true });
    assert.equal(JSON.stringify(deletionPayload({ la_child_id: 'C1', mis_child_id: null })), '{"la_child_id":"C1","purge":true}');
    assert.ok(isDeletionPayload(deletionPayload({ la_child_id: 'C1' })));
    assert.ok(!isDeletionPayload(payload()));
  });
});
