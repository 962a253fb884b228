import assert from 'node:assert/strict';
import { prepareRecord, type QueueRow } from '../../../src/send/queue';

const full = {
  la_child_id: 'P1',
  mis_child_id: 'L1',
  purge: false,
  child_details: { first_name: 'Ann', surname: 'Lee', sex: 'F', uasc_flag: false, disabilities: ['NONE'], purge: false },
  social_care_episodes: [{ social_care_episode_id: 'E1', referral_date: '2025-01-10', purge: false }],
};
const partial = { la_child_id: 'P1', mis_child_id: 'L1', child_details: full.child_details, social_care_episodes: [{ social_care_episode_id: 'E0', purge: true }] };
const row = (o: Partial<QueueRow>): QueueRow => ({
  id: 1,
  personId: 'P1',
  rowState: 'Updated',
  status: 'Pending',
  jsonPayload: JSON.stringify(full),
  partialPayload: JSON.stringify(partial),
  hashHex: 'ab',
  ...o,
});

describe('send: what is sent for a queued row', () => {
  it('without --partial: the full payload', () => {
    const p = prepareRecord(row({}), false);
    assert.equal(p.kind, 'full');
    assert.deepEqual(p.body, full);
    assert.deepEqual(p.problems, []);
  });

  it('--partial, Updated: the partial with the top-level purge false the schema requires (and an item purge, D11)', () => {
    const p = prepareRecord(row({ rowState: 'updated' }), true);
    assert.equal(p.kind, 'partial');
    assert.deepEqual(p.body, { ...partial, purge: false });
    assert.deepEqual(p.problems, []);
  });

  it('--partial, New (any case): in full (D10); Updated without a partial: in full', () => {
    assert.equal(prepareRecord(row({ rowState: 'NEW' }), true).kind, 'full');
    assert.equal(prepareRecord(row({ partialPayload: null }), true).kind, 'full');
  });

  it('a deletion payload goes as it is, in either mode', () => {
    const del = { la_child_id: 'P1', mis_child_id: 'L1', purge: true };
    for (const mode of [false, true]) {
      const p = prepareRecord(row({ rowState: 'Deleted', jsonPayload: JSON.stringify(del), partialPayload: JSON.stringify(del) }), mode);
      assert.equal(p.kind, 'deletion');
      assert.deepEqual(p.body, del);
      assert.deepEqual(p.problems, []);
    }
  });

  it('a payload that breaks the DfE schema, or is not JSON, is invalid (not sent) with the rule and path only', () => {
    const bad = { ...full, la_child_id: 'P 1 Zoë' };
    const p = prepareRecord(row({ jsonPayload: JSON.stringify(bad) }), false);
    assert.equal(p.problems[0]!.rule, 'pattern');
    assert.equal(p.problems[0]!.path, '/la_child_id');
    assert.ok(!JSON.stringify(p.problems).includes('Zoë'));
    assert.equal(prepareRecord(row({ jsonPayload: 'not json' }), false).problems[0]!.rule, 'staging-json');
    assert.equal(prepareRecord(row({ partialPayload: '[1]' }), true).problems[0]!.rule, 'staging-json');
  });
});
