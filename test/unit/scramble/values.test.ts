import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { POSTCODE } from '../../../src/check/codes';
import { isTemporaryUpn, makeUpn, upnProblem } from '../../../src/fake/upn';
import { FormatPreservingPermutation } from '../../../src/scramble/fpe';
import { KeyFileError, loadOrCreateKey } from '../../../src/scramble/keyFile';
import { CACHE_MAX, MAX_DATE_SHIFT, Scrambler, shiftDateText } from '../../../src/scramble/values';
import { ValueSet } from '../../../src/scramble/valueSet';

const KEY = Buffer.alloc(32, 7);
const classOf = (c: string) => (/[0-9]/.test(c) ? 'd' : /[A-Z]/.test(c) ? 'U' : /[a-z]/.test(c) ? 'l' : c);

describe('scramble/fpe: format-preserving permutation', () => {
  it('is a permutation of every small domain, and decrypt undoes it', () => {
    const f = new FormatPreservingPermutation(KEY);
    for (const radices of [[10, 10, 10], [9, 10], [26, 10], [2], [3, 7]]) {
      const n = radices.reduce((a, b) => a * b, 1);
      const seen = new Set<string>();
      const all: number[][] = [];
      for (let x = 0; x < n; x++) {
        const d: number[] = [];
        let y = x;
        for (let i = radices.length - 1; i >= 0; i--) {
          d[i] = y % radices[i]!;
          y = Math.floor(y / radices[i]!);
        }
        all.push(d);
        const e = f.encrypt(d, radices, 't');
        e.forEach((v, i) => assert.ok(v >= 0 && v < radices[i]!));
        seen.add(e.join(','));
        assert.deepEqual(f.decrypt(e, radices, 't'), d);
      }
      assert.equal(seen.size, n, `radices ${radices}`);
      assert.deepEqual(
        f.encryptMany(all, radices, 't'),
        all.map((d) => f.encrypt(d, radices, 't')),
      );
    }
  });

  it('handles domains beyond 2^52 (BigInt path) and round-trips them', () => {
    const f = new FormatPreservingPermutation(KEY);
    const radices = Array.from({ length: 30 }, () => 26);
    const d = Array.from({ length: 30 }, (_, i) => i % 26);
    const e = f.encrypt(d, radices, 'x');
    assert.notDeepEqual(e, d);
    assert.deepEqual(f.decrypt(e, radices, 'x'), d);
  });
});

describe('scramble/values: keyed transforms', () => {
  const s = new Scrambler(KEY);

  it('ids keep length and every character class, invert, and never merge', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 48, unit: fc.constantFrom(...'0123456789ABCXYZabcxyz-_ /'.split('')) }), (v) => {
        const p = s.id(v);
        assert.equal(p.length, v.length);
        for (let i = 0; i < v.length; i++) assert.equal(classOf(p[i]!), classOf(v[i]!));
        if (v[0] === '0') assert.equal(p[0], '0');
        if (/^[1-9]/.test(v)) assert.notEqual(p[0], '0');
        assert.equal(s.unId(p), v);
      }),
      { numRuns: 300 },
    );
    const out = new Set<string>();
    for (let i = 0; i < 20_000; i++) out.add(s.id(String(10_000_000 + i)));
    assert.equal(out.size, 20_000);
    const many = s.idMany(['10000001', 'M2000123', '10000001']);
    assert.equal(many.get('10000001'), new Scrambler(KEY).id('10000001'));
    assert.equal(many.get('M2000123'), new Scrambler(KEY).id('M2000123'));
  });

  it('its caches stay within a fixed size however many values pass, and a value met again after leaving them gets the same answer', () => {
    const t = new Scrambler(KEY);
    const ids = Array.from({ length: 5 * CACHE_MAX }, (_, i) => `P${String(3_000_000 + i)}`);
    const first = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 1000) for (const [k, v] of t.idMany(ids.slice(i, i + 1000))) first.set(k, v);
    const offsets = ids.map((v) => t.dateOffset(v));
    const held = t.cachedEntries();
    assert.ok(held.ids <= 2 * CACHE_MAX && held.offsets <= 2 * CACHE_MAX, `caches hold ${held.ids} ids and ${held.offsets} offsets`);
    // The first values are long gone from the caches: computed again, they are the same.
    const fresh = new Scrambler(KEY);
    for (const v of ids.slice(0, 50)) {
      assert.equal(t.id(v), first.get(v));
      assert.equal(t.idMany([v]).get(v), fresh.id(v));
    }
    assert.deepEqual(
      ids.slice(0, 50).map((v) => t.dateOffset(v)),
      offsets.slice(0, 50),
    );
  });

  it('registration numbers keep their format and an SW prefix', () => {
    for (const v of ['SW123456', 'sw98765', 'SW-12-AB', '1234567']) {
      const p = s.registration(v);
      assert.notEqual(p, v);
      assert.equal(p.length, v.length);
      if (/^sw/i.test(v)) assert.equal(p.slice(0, 2), v.slice(0, 2));
      for (let i = 0; i < v.length; i++) assert.equal(classOf(p[i]!), classOf(v[i]!));
      assert.equal(s.registration(p, false), v);
    }
  });

  it('same key, same pseudonyms; another key, others', () => {
    const other = new Scrambler(randomBytes(32));
    const ids = Array.from({ length: 50 }, (_, i) => String(10_000_000 + i));
    assert.deepEqual(
      ids.map((v) => new Scrambler(Buffer.from(KEY)).id(v)),
      ids.map((v) => s.id(v)),
    );
    assert.ok(ids.filter((v) => other.id(v) === s.id(v)).length < 3);
    assert.notEqual(other.fingerprint(), s.fingerprint());
  });

  it('a valid UPN stays valid (temporary stays temporary, LA kept); an invalid one stays invalid the same way', () => {
    const body = fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUVWXYZ'.split('')));
    fc.assert(
      fc.property(body, ([d, last]) => {
        const u = makeUpn(d.join('') + last);
        const p = s.upn(u);
        assert.equal(upnProblem(p), null);
        assert.equal(isTemporaryUpn(p), isTemporaryUpn(u));
        assert.equal(p.slice(1, 4), u.slice(1, 4));
        assert.equal(s.unUpn(p), u);
      }),
      { numRuns: 200 },
    );
    for (const bad of ['A12345678901', 'a1234567890123', 'Z123456789012', 'K80120011000', 'B801200110001']) {
      const p = s.upn(bad);
      assert.equal(upnProblem(p), upnProblem(bad), bad);
      assert.equal(p.length, bad.length);
    }
  });

  it('postcodes keep their validity class, outward length and spacing; placeholders stay', () => {
    for (const pc of ['SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN551PT', 'LS10 1AB']) {
      const p = s.postcode(pc);
      assert.ok(POSTCODE.test(p), `${pc} -> ${p}`);
      assert.notEqual(p, pc);
      assert.equal(p.includes(' '), pc.includes(' '));
      assert.equal(p.replace(' ', '').length - 3, pc.replace(' ', '').length - 3);
      assert.ok(Scrambler.isFakePostcode(p));
    }
    for (const bad of ['YY12 3AAB', 'YY12-3AB', '12345', 'sw1a 1aa']) assert.ok(!POSTCODE.test(s.postcode(bad)), bad);
    assert.equal(s.postcode('UNKNOWN'), 'UNKNOWN');
  });

  it('date offsets are ±1…±45 days, never 0, the same for the same child', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const o = s.dateOffset(`child${i}`);
      assert.ok(o !== 0 && Math.abs(o) <= MAX_DATE_SHIFT);
      seen.add(o);
    }
    assert.ok(seen.size > 80, 'offsets spread over the range');
    assert.equal(s.dateOffset('child7'), new Scrambler(KEY).dateOffset('child7'));
    assert.equal(shiftDateText('2024-02-28', 1), '2024-02-29');
    assert.equal(shiftDateText('2024-03-01T10:30:00', -1), '2024-02-29T10:30:00');
    assert.equal(shiftDateText('01/03/2023', -1), '28/02/2023');
    assert.equal(shiftDateText('soon', 3), null);
  });

  it('names are faker en_GB names, never the name they replace, and verifiable from the key', () => {
    for (let i = 0; i < 300; i++) {
      for (const [kind, orig] of [
        ['forename', 'Olivia'],
        ['surname', 'Smith'],
        ['fullName', 'Jack Jones'],
      ] as const) {
        const n = s.name(kind, String(i), 'F', orig);
        assert.notEqual(n.toLowerCase(), orig.toLowerCase());
        assert.ok(/^[A-Z][A-Za-z' ]+$/.test(n), n);
        assert.ok(s.isGeneratedName(kind, String(i), 'F', n));
      }
    }
    assert.equal(s.name('forename', '1', 'F', 'Unborn'), 'Unborn');
    const long = 'Anne-Marie '.repeat(14);
    const fake = s.name('surname', '9', null, long);
    assert.equal(fake.length, long.length, 'a too-long name stays too long');
    assert.ok(s.isGeneratedName('surname', '9', null, fake));
    assert.ok(!s.isGeneratedName('surname', '1', null, 'Zzyzx'));
  });
});

describe('scramble/valueSet and keyFile', () => {
  it('a value set finds what was added, case-insensitively, through growth', () => {
    const v = new ValueSet();
    for (let i = 0; i < 100_000; i++) v.add(`Value${i}`);
    assert.equal(v.size, 100_000);
    assert.ok(v.has(' value99999 '));
    assert.ok(!v.has('value100000'));
  });

  it('creates a key file (owner-only), reads it back, refuses a file that is not a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssd-key-'));
    const f = join(dir, 'k');
    const a = loadOrCreateKey(f);
    assert.ok(a.created);
    assert.equal(a.key.length, 32);
    if (process.platform !== 'win32') assert.equal(statSync(f).mode & 0o777, 0o600);
    const b = loadOrCreateKey(f);
    assert.ok(!b.created);
    assert.deepEqual(b.key, a.key);
    assert.match(readFileSync(f, 'utf8'), /^[0-9a-f]{64}\n$/);
    writeFileSync(join(dir, 'bad'), 'not a key');
    assert.throws(() => loadOrCreateKey(join(dir, 'bad')), KeyFileError);
  });
});
