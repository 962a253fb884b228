import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UPN_CHECK_LETTERS, isTemporaryUpn, isValidUpn, makeUpn, upnCheckLetter, upnFromParts, upnProblem } from '../../../src/fake/upn';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

describe('fake/upn: DfE UPN check letter', () => {
  it('matches a hand-worked permanent UPN', () => {
    // Body 999000022007: 9*2 + 9*3 + 9*4 + 2*9 + 2*10 + 7*13 = 210; 210 mod 23 = 3 -> D.
    assert.equal(upnCheckLetter('999000022007'), 'D');
    assert.equal(makeUpn('999000022007'), 'D999000022007');
    assert.equal(upnProblem('D999000022007'), null);
  });

  it('matches a hand-worked temporary UPN (letter in position 13 counts as its alphabet index)', () => {
    // Same body with A (value 0) last: 210 - 91 = 119; 119 mod 23 = 4 -> E.
    assert.equal(upnCheckLetter('99900002200A'), 'E');
    assert.ok(isValidUpn('E99900002200A'));
    assert.ok(isTemporaryUpn('E99900002200A'));
    assert.ok(!isTemporaryUpn('D999000022007'));
    // Z is index 22 in the alphabet: 119 + 22*13 = 405; 405 mod 23 = 14 -> Q.
    assert.equal(upnCheckLetter('99900002200Z'), 'Q');
  });

  it('uses the 23-letter alphabet without I, O and S', () => {
    assert.equal(UPN_CHECK_LETTERS.length, 23);
    for (const c of 'IOS') assert.ok(!UPN_CHECK_LETTERS.includes(c));
  });

  it('reports what is wrong with a value', () => {
    assert.equal(upnProblem('D99900002200'), 'length');
    assert.equal(upnProblem('D9990000220077'), 'length');
    assert.equal(upnProblem(' D99900002200'), 'characters');
    assert.equal(upnProblem('d999000022007'), 'characters');
    assert.equal(upnProblem('D9990000220O7'), 'characters');
    assert.equal(upnProblem('E99900002200I'), 'characters');
    assert.equal(upnProblem('A999000022007'), 'check-letter');
    assert.equal(upnProblem('I999000022007'), 'check-letter');
    assert.throws(() => upnCheckLetter('12345'), /11 digits/);
  });

  it('builds UPNs from their parts and rejects parts that do not fit', () => {
    const u = upnFromParts(999, 12, 21, 7);
    assert.equal(u.slice(1), '999001221007');
    assert.ok(isValidUpn(u));
    assert.throws(() => upnFromParts(1000, 0, 0, 0), /LA number/);
    assert.throws(() => upnFromParts(999, 0, 100, 0), /year/);
    assert.throws(() => upnFromParts(999, -1, 0, 0), /establishment/);
  });

  it('every generated UPN is valid and any single changed character is caught', () => {
    fc.assert(
      fc.property(digits(11), fc.oneof(digits(1), fc.constantFrom(...UPN_CHECK_LETTERS.split(''))), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 9 }), (body, last, pos, delta) => {
        const upn = makeUpn(body + last);
        assert.ok(isValidUpn(upn));
        // Change one digit in positions 2-12: weight 2..12 times a change of 1..9 is never a multiple of 23.
        const d = Number(upn[pos]);
        const changed = upn.slice(0, pos) + String((d + delta) % 10) + upn.slice(pos + 1);
        assert.equal(upnProblem(changed), 'check-letter');
      }),
    );
  });
});
