import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, compactJson, ENTITY_ID_KEYS, payloadHash } from '../../../src/staging/canonicalJson';

function shuffleKeys(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffleKeys(x, rnd)]));
  }
  return v;
}

describe('canonical JSON and the change hash (D6)', () => {
  it('sorts keys at every depth, writes no whitespace and keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: true, c: null }, 'x'], é: 'Zoë' }), '{"a":[{"c":null,"d":true},"x"],"b":1,"é":"Zoë"}');
  });

  it('leaves undefined members out as JSON.stringify does', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
  });

  it('orders keys by code point, not locale or UTF-16 unit', () => {
    // U+1F600 (surrogate pair D83D…) sorts after U+FF21 by code point but before it by UTF-16 unit.
    assert.equal(canonicalJson({ '\u{1F600}': 1, '\uFF21': 2, B: 3, a: 4 }), '{"B":3,"a":4,"\uFF21":2,"\u{1F600}":1}');
  });

  it('hashes the UTF-8 bytes of the canonical text with SHA-256', () => {
    const p = { la_child_id: 'A1', child_details: { surname: "O'Brien", first_name: 'Zoë' } };
    const expected = createHash('sha256').update(Buffer.from('{"child_details":{"first_name":"Zoë","surname":"O\'Brien"},"la_child_id":"A1"}', 'utf8')).digest('hex');
    assert.equal(payloadHash(p).toString('hex'), expected);
    assert.equal(payloadHash(p).length, 32);
  });

  it('every sent field is in the hash: ids, UPN and factors included', () => {
    const base = {
      la_child_id: 'A1',
      mis_child_id: 'M1',
      child_details: { unique_pupil_number: 'A12345678901B' },
      social_care_episodes: [{ social_care_episode_id: 'E1', child_and_family_assessments: [{ child_and_family_assessment_id: 'X1', factors: ['1A'] }] }],
    };
    const h = payloadHash(base).toString('hex');
    const variants = [
      { ...base, la_child_id: 'A2' },
      { ...base, mis_child_id: 'M2' },
      { ...base, child_details: { unique_pupil_number: 'A12345678901C' } },
      { ...base, social_care_episodes: [{ social_care_episode_id: 'E2', child_and_family_assessments: [{ child_and_family_assessment_id: 'X1', factors: ['1A'] }] }] },
      { ...base, social_care_episodes: [{ social_care_episode_id: 'E1', child_and_family_assessments: [{ child_and_family_assessment_id: 'X1', factors: ['1B'] }] }] },
    ];
    for (const v of variants) assert.notEqual(payloadHash(v).toString('hex'), h);
  });

  it('hashIgnoresEntityIds leaves entity ids out of the hash only', () => {
    const a = {
      la_child_id: 'A1',
      social_care_episodes: [{ social_care_episode_id: 'E1', referral_date: '2025-01-01', child_in_need_plans: [{ child_in_need_plan_id: 'P1', start_date: '2025-01-02' }] }],
    };
    const b = {
      la_child_id: 'A1',
      social_care_episodes: [{ social_care_episode_id: 'E9', referral_date: '2025-01-01', child_in_need_plans: [{ child_in_need_plan_id: 'P9', start_date: '2025-01-02' }] }],
    };
    assert.notEqual(payloadHash(a).toString('hex'), payloadHash(b).toString('hex'));
    assert.equal(payloadHash(a, { ignoreEntityIds: true }).toString('hex'), payloadHash(b, { ignoreEntityIds: true }).toString('hex'));
    // Child ids and other fields still count.
    assert.notEqual(payloadHash({ ...a, la_child_id: 'A2' }, { ignoreEntityIds: true }).toString('hex'), payloadHash(a, { ignoreEntityIds: true }).toString('hex'));
    assert.ok(!ENTITY_ID_KEYS.has('la_child_id') && !ENTITY_ID_KEYS.has('worker_id'));
    // The stored text keeps them.
    assert.match(compactJson(a), /"social_care_episode_id":"E1"/);
  });

  it('writes every string (value or key) as JSON.stringify does: quotes, backslashes, control characters, surrogates', () => {
    const odd = ['', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00x', '\u{1F600}', 'é', 'a"b\\c\n\t'];
    for (const x of odd) assert.equal(canonicalJson({ [x]: [x, { k: x }] }), `{${JSON.stringify(x)}:[${JSON.stringify(x)},{"k":${JSON.stringify(x)}}]}`);
    const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('\ud800', '\udfff', '\u0001'));
    fc.assert(
      fc.property(anyString, (x) => {
        assert.equal(canonicalJson(x), JSON.stringify(x));
        assert.equal(canonicalJson({ [x]: 1 }), `{${JSON.stringify(x)}:1}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the same payload with its keys in any order gives the same canonical text and hash', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie('arr'), tie('obj')),
      arr: fc.array(tie('value'), { maxLength: 4 }),
      obj: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 5 }),
    })).obj;
    fc.assert(
      fc.property(json, fc.integer(), (v, seed) => {
        let s = seed;
        const rnd = () => {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          return s / 0x80000000;
        };
        const shuffled = shuffleKeys(v, rnd);
        assert.equal(canonicalJson(shuffled), canonicalJson(v));
        assert.equal(payloadHash(shuffled).toString('hex'), payloadHash(v).toString('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonical key order without copying strings (issue 17)', () => {
  // The order as it was first written: spread each key into code points and compare them.
  function referenceCanonical(v: unknown): string {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((x) => referenceCanonical(x)).join(',')}]`;
    const cmp = (a: string, b: string) => {
      const ca = [...a],
        cb = [...b];
      for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
        const x = ca[i]!.codePointAt(0)!,
          y = cb[i]!.codePointAt(0)!;
        if (x !== y) return x - y;
      }
      return ca.length - cb.length;
    };
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort(cmp)
      .map((k) => `${JSON.stringify(k)}:${referenceCanonical(o[k])}`)
      .join(',')}}`;
  }
  // Keys from a small alphabet with BMP letters, U+E000–U+FFFF, pairs above U+FFFF and lone
  // surrogates, so that prefixes and every kind of first difference occur.
  const unit = fc.constantFrom('a', 'b', 'B', '_', 'é', '\uE000', '\uFF21', '\u{1F600}', '\u{10000}', '\uD83D', '\uDE00', '\uDBFF');
  const key = fc.array(unit, { maxLength: 4 }).map((xs) => xs.join(''));
  const obj = fc.dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.dictionary(key, fc.integer(), { maxKeys: 6 })), { maxKeys: 12 });

  it('gives the same text as the spread comparison for any keys, surrogates included', () => {
    fc.assert(
      fc.property(obj, (o) => canonicalJson(o) === referenceCanonical(o)),
      { numRuns: 2000 },
    );
  });

  it('sorts a surrogate after U+FFFF and before nothing else of the BMP', () => {
    assert.equal(canonicalJson({ '\uFFFF': 1, '\u{10000}': 2, '\uD7FF': 3 }), '{"\uD7FF":3,"\uFFFF":1,"\u{10000}":2}');
  });
  it('sorts each key list on its own when lists share a first key and a length (the sort is cached per list)', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(canonicalJson({ m: 1, z: 2, a: 3 }), '{"a":3,"m":1,"z":2}');
      assert.equal(canonicalJson({ m: 1, b: 2, y: 3 }), '{"b":2,"m":1,"y":3}');
      assert.equal(canonicalJson({ m: 1, y: 2, b: 3 }), '{"b":3,"m":1,"y":2}');
      assert.equal(canonicalJson({ m: 1, z: undefined, a: 3 }), '{"a":3,"m":1}');
    }
  });
});
