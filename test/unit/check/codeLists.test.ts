// One code-list source of truth: the payload builder upper-cases code fields against the check's
// lists (src/check/codes.ts); the fake data's lists and the DfE JSON Schema's enums must agree with them.
import assert from 'node:assert/strict';
import * as check from '../../../src/check/codes';
import * as fake from '../../../src/fake/codes';
import schema from '../../../src/payload/dfePayload.schema.json';

const enumOf = (def: string): string[] => (schema.definitions as Record<string, { enum?: string[] }>)[def]!.enum!;

describe('code lists: one source of truth', () => {
  it("every code the fake data can write is a code of the check's (and builder's) list", () => {
    const pairs: Array<[string, readonly fake.CodeEntry[], readonly string[]]> = [
      ['referral source', fake.REFERRAL_SOURCES, check.REFERRAL_SOURCES],
      ['closure reason', fake.CLOSURE_REASONS, check.CLOSURE_REASONS],
      ['ethnicity', fake.ETHNICITIES, check.ETHNICITY_CODES],
      ['disability', fake.DISABILITIES, check.DISABILITY_CODES],
      ['UPN unknown reason', fake.UPN_UNKNOWN_REASONS, check.UPN_UNKNOWN_CODES],
      ['placement type', fake.PLACEMENT_TYPES, check.PLACEMENT_TYPES],
      ['start reason', fake.EPISODE_START_REASONS, check.START_REASONS],
      ['end reason', fake.EPISODE_END_REASONS, check.END_REASONS],
      ['change reason', fake.PLACEMENT_CHANGE_REASONS, check.CHANGE_REASONS],
      ['care leaver activity', fake.CARE_LEAVER_ACTIVITIES, check.CARE_LEAVER_ACTIVITY],
      ['care leaver accommodation', fake.CARE_LEAVER_ACCOMMODATION, check.CARE_LEAVER_ACCOMMODATION],
      ['assessment factor', fake.ASSESSMENT_FACTORS, check.ASSESSMENT_FACTOR_CODES],
    ];
    for (const [name, f, c] of pairs) {
      for (const code of fake.codesOf(f)) assert.ok(c.includes(code), `${name} ${code}`);
      for (const code of c) assert.equal(code, code.toUpperCase(), `${name} ${code} is upper case`);
    }
  });

  it("the CIN census factor list is the fake data's own, 42 codes", () => {
    assert.deepEqual(check.ASSESSMENT_FACTOR_CODES, fake.codesOf(fake.ASSESSMENT_FACTORS));
    assert.equal(new Set(check.ASSESSMENT_FACTOR_CODES).size, 42);
  });

  it("the DfE schema's code enums are the same lists", () => {
    assert.deepEqual(enumOf('referralSource'), check.REFERRAL_SOURCES);
    assert.deepEqual(enumOf('disabilityCode'), check.DISABILITY_CODES);
    assert.deepEqual(enumOf('careLeaverActivity'), check.CARE_LEAVER_ACTIVITY);
    assert.deepEqual(enumOf('careLeaverAccommodation'), check.CARE_LEAVER_ACCOMMODATION);
    assert.deepEqual(enumOf('upnUnknownReason'), [...check.UPN_UNKNOWN_CODES]);
  });
});
