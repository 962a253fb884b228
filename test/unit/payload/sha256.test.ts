// src/payload/sha256.ts: Node's one-call crypto.hash and the createHash route give the same bytes
// (the change hash and the validation stamp must not change with the Node version that runs them).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256, sha256Hex, useOneShotHashForTests } from '../../../src/payload/sha256';
import { payloadHash, payloadHashHex } from '../../../src/staging/canonicalJson';

const TEXTS = ['', 'abc', "O'Brien", 'Zoë Łukasz-Ødegård', '张伟 👶🏽', 'lone \ud800 surrogate', 'x'.repeat(100_000), '{"la_child_id":"0x1A2B"}'];

describe('sha256', () => {
  afterEach(() => useOneShotHashForTests(undefined));

  for (const route of ['crypto.hash where Node has it', 'createHash'] as const) {
    it(`gives createHash's bytes for every text (${route})`, () => {
      useOneShotHashForTests(route === 'createHash' ? null : undefined);
      for (const t of TEXTS) {
        const expected = createHash('sha256').update(t, 'utf8').digest();
        assert.equal(sha256Hex(t), expected.toString('hex'), JSON.stringify(t.slice(0, 20)));
        assert.deepEqual(sha256(t), expected);
      }
    });
  }

  it('payloadHashHex is payloadHash in hex, with and without entity ids', () => {
    const payload = { la_child_id: 'A1', social_care_episodes: [{ social_care_episode_id: 'E1', referral_date: '2024-01-02' }] };
    for (const ignoreEntityIds of [false, true]) {
      assert.equal(payloadHashHex(payload, { ignoreEntityIds }), payloadHash(payload, { ignoreEntityIds }).toString('hex'));
    }
    assert.notEqual(payloadHashHex(payload), payloadHashHex(payload, { ignoreEntityIds: true }));
  });
});
