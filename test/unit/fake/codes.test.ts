import assert from 'node:assert/strict';
import {
  ASSESSMENT_FACTORS,
  CARE_LEAVER_ACCOMMODATION,
  CARE_LEAVER_ACTIVITIES,
  CARE_LEAVER_END_REASONS,
  CLOSURE_REASONS,
  DISABILITIES,
  EPISODE_END_REASONS,
  EPISODE_START_REASONS,
  ETHNICITIES,
  IMMIGRATION_STATUSES,
  PLACEMENT_CHANGE_REASONS,
  PLACEMENT_TYPES,
  REFERRAL_SOURCES,
  UPN_UNKNOWN_REASONS,
  codesOf,
  describe as describeCode,
  weightedOf,
  type CodeEntry,
} from '../../../src/fake/codes';
import { BAD_POSTCODES, FAKE_POSTCODE_AREAS, POSTCODE_FORMAT, fakePostcode, firstName, lastName } from '../../../src/fake/names';
import { Rng } from '../../../src/fake/rng';

const ALL: Record<string, readonly CodeEntry[]> = {
  REFERRAL_SOURCES,
  CLOSURE_REASONS,
  ASSESSMENT_FACTORS,
  ETHNICITIES,
  DISABILITIES,
  UPN_UNKNOWN_REASONS,
  PLACEMENT_TYPES,
  EPISODE_START_REASONS,
  EPISODE_END_REASONS,
  CARE_LEAVER_END_REASONS,
  PLACEMENT_CHANGE_REASONS,
  CARE_LEAVER_ACTIVITIES,
  CARE_LEAVER_ACCOMMODATION,
  IMMIGRATION_STATUSES,
};

describe('fake/codes: DfE code lists', () => {
  it('has no duplicate codes, a description for every code, and usable weights', () => {
    for (const [name, list] of Object.entries(ALL)) {
      const codes = codesOf(list);
      assert.equal(new Set(codes).size, codes.length, `${name} has duplicates`);
      for (const e of list) {
        assert.ok(e.description.length > 2, `${name} ${e.code} has no description`);
        assert.ok(e.weight >= 0 && Number.isFinite(e.weight), `${name} ${e.code} weight`);
      }
      if (name !== 'IMMIGRATION_STATUSES') assert.ok(weightedOf(list).length > 0, `${name} generates nothing`);
    }
  });

  it('referral sources are the CIN census codes and survive the builder coercion unchanged', () => {
    assert.deepEqual(codesOf(REFERRAL_SOURCES), ['1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10']);
    // Builder (upstream §2.4): starts 10 -> '10'; [1-3][A-F] -> 2 chars; 5[A-D] -> 2 chars; [46789] -> 1 char.
    const coerce = (s: string) => (s.startsWith('10') ? '10' : /^[1-3][A-F]/.test(s) ? s.slice(0, 2) : /^5[A-D]/.test(s) ? s.slice(0, 2) : /^[46789]/.test(s) ? s[0] : null);
    for (const c of codesOf(REFERRAL_SOURCES)) assert.equal(coerce(c), c);
  });

  it('closure reasons are RC1-RC9, UPN unknown reasons UN1-UN10', () => {
    assert.deepEqual(
      codesOf(CLOSURE_REASONS),
      Array.from({ length: 9 }, (_, i) => `RC${i + 1}`),
    );
    assert.deepEqual(
      codesOf(UPN_UNKNOWN_REASONS),
      Array.from({ length: 10 }, (_, i) => `UN${i + 1}`),
    );
  });

  it('placement and episode codes fit the API field lengths', () => {
    for (const c of codesOf(PLACEMENT_TYPES)) assert.match(c, /^[A-Z]\d$/);
    for (const p of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'K1', 'K2', 'R1', 'P1', 'H5', 'Z1']) assert.ok(codesOf(PLACEMENT_TYPES).includes(p), p);
    for (const c of codesOf(EPISODE_START_REASONS)) assert.match(c, /^[A-Z]$/);
    for (const s of ['S', 'L', 'T', 'U', 'V', 'E', 'B']) assert.ok(codesOf(EPISODE_START_REASONS).includes(s), s);
    for (const c of [...codesOf(EPISODE_END_REASONS), ...codesOf(CARE_LEAVER_END_REASONS)]) assert.match(c, /^(E\d{1,2}[AB]?|X1)$/);
    for (const c of ['E11', 'E12']) assert.ok(codesOf(EPISODE_END_REASONS).includes(c));
    for (const c of codesOf(PLACEMENT_CHANGE_REASONS)) assert.ok(c.length <= 6, c);
  });

  it('care leaver activity and accommodation are the codes the API pre-flight accepts', () => {
    assert.deepEqual(new Set(codesOf(CARE_LEAVER_ACTIVITIES)), new Set(['F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5', 'G4', 'G5', 'G6']));
    assert.deepEqual(new Set(codesOf(CARE_LEAVER_ACCOMMODATION)), new Set(['B', 'C', 'D', 'E', 'G', 'H', 'K', 'R', 'S', 'T', 'U', 'V']));
  });

  it('ethnicity, disability and factor codes have the expected shapes', () => {
    for (const c of codesOf(ETHNICITIES)) assert.match(c, /^[A-Z]{4}$/);
    for (const c of ['WBRI', 'WIRI', 'NOBT', 'REFU']) assert.ok(codesOf(ETHNICITIES).includes(c));
    assert.deepEqual(codesOf(DISABILITIES), ['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA']);
    for (const c of codesOf(ASSESSMENT_FACTORS)) assert.match(c, /^([1-9]|1\d|2[0-4])[A-F]?$/);
    assert.ok(codesOf(ASSESSMENT_FACTORS).includes('1A') && codesOf(ASSESSMENT_FACTORS).includes('24A'));
    assert.equal(describeCode(ETHNICITIES, 'WBRI'), 'White British');
    assert.equal(describeCode(IMMIGRATION_STATUSES, 'U'), 'Unaccompanied asylum seeking child');
    assert.throws(() => describeCode(ETHNICITIES, 'XXXX'), /unknown code/);
  });
});

describe('fake/names: fake postcodes and British-looking names', () => {
  it('fake postcodes pass the postcode format, fit 8 characters and use non-existent areas', () => {
    const r = new Rng('postcodes');
    for (let i = 0; i < 5000; i++) {
      const p = fakePostcode(r);
      assert.match(p, POSTCODE_FORMAT);
      assert.ok(p.length <= 8, p);
      assert.ok(
        FAKE_POSTCODE_AREAS.some((a) => p.startsWith(a) && /\d/.test(p[a.length]!)),
        p,
      );
    }
  });

  it('the bad postcodes fail the format', () => {
    for (const p of BAD_POSTCODES) assert.doesNotMatch(p, POSTCODE_FORMAT);
  });

  it('names come from faker lists filtered to British names, chosen by the seeded stream', () => {
    const a = new Rng('names');
    const b = new Rng('names');
    const names = Array.from({ length: 50 }, () => `${firstName(a, 'F')} ${lastName(a)}`);
    assert.deepEqual(
      Array.from({ length: 50 }, () => `${firstName(b, 'F')} ${lastName(b)}`),
      names,
    );
    assert.ok(new Set(names).size > 30);
    for (const n of names) assert.match(n, /^[A-Z][a-z]+ [A-Z][A-Za-z']+$/);
  });
});
