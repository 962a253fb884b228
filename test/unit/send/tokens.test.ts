import assert from 'node:assert/strict';
import { parseToken, parseTokens } from '../../../src/send/tokens';

const U = '3f2b8c1e-9a4d-4e7b-8f00-1234567890ab';

describe('send: response tokens', () => {
  it('parses yyyy-MM-dd_HH:mm:ss.ff_<uuid>.json into the uuid (without .json) and the time', () => {
    assert.deepEqual(parseToken(`2026-08-10_14:03:07.25_${U}.json`), { uuid: U, timestamp: '2026-08-10T14:03:07.250' });
    assert.deepEqual(parseToken(`2026-08-10_14:03:07.2_${U.toUpperCase()}.json`), { uuid: U, timestamp: '2026-08-10T14:03:07.200' });
  });

  it('refuses anything else: no .json, not a uuid, not a real date or time, not text', () => {
    for (const bad of [
      `2026-08-10_14:03:07.25_${U}`,
      `2026-08-10_14:03:07.25_not-a-uuid.json`,
      `2026-02-30_14:03:07.25_${U}.json`,
      `2026-08-10_24:03:07.25_${U}.json`,
      `2026-08-10 14:03:07.25_${U}.json`,
      `x2026-08-10_14:03:07.25_${U}.json`,
      '',
      42,
      null,
    ])
      assert.equal(parseToken(bad), null, String(bad));
  });

  it('matches a body to the records only when it is a JSON list of exactly one valid token per record', () => {
    const t = (i: number) => `2026-08-10_14:03:07.0${i}_${U.slice(0, -1)}${i}.json`;
    const ok = parseTokens(JSON.stringify([t(1), t(2)]), 2);
    assert.equal(ok.ok, true);
    if (ok.ok)
      assert.deepEqual(
        ok.tokens.map((x) => x.uuid.slice(-1)),
        ['1', '2'],
      );
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify([t(1)]), /1 token\(s\) for 2 record/],
      [JSON.stringify([t(1), t(2), t(3)]), /3 token\(s\) for 2/],
      ['', /empty/],
      ['<html>ok</html>', /not JSON/],
      [JSON.stringify({ tokens: [t(1), t(2)] }), /not a JSON list/],
      [JSON.stringify([t(1), 'rubbish']), /token 2 of 2/],
      // The same uuid twice (even with another time): not two acknowledgements.
      [JSON.stringify([t(1), t(1).replace('07.01', '08.01')]), /tokens 1 and 2 of 2 are the same/],
      [JSON.stringify([t(1), t(1).toUpperCase().replace('.JSON', '.json')]), /tokens 1 and 2 of 2 are the same/],
    ];
    for (const [body, re] of cases) {
      const r = parseTokens(body, 2);
      assert.equal(r.ok, false, body);
      if (!r.ok) {
        assert.match(r.reason, re);
        assert.ok(!r.reason.includes('rubbish') && !r.reason.includes('html'));
      }
    }
  });
});
