// The DfE JSON Schema the payloads are validated against (src/payload/dfePayload.schema.json) and
// the model's code lists, limits and identifier rules (src/model/dfeCodes.ts, identifiers.ts) say
// the same thing: every enum, maxLength, maxItems and id pattern of the schema is checked here.
import assert from 'node:assert/strict';
import { CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITY, DISABILITY_CODES, LIMITS, REFERRAL_SOURCES, UPN_UNKNOWN_CODES } from '../../../src/model/dfeCodes';
import { ID_PATTERN, POSTCODE, POSTCODE_FORMAT } from '../../../src/model/identifiers';
import * as oldCheck from '../../../src/check/codes';
import * as oldFake from '../../../src/fake/codes';
import schema from '../../../src/payload/dfePayload.schema.json';

interface Def {
  enum?: string[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
}
const def = (name: string): Def => {
  const d = (schema.definitions as Record<string, Def>)[name];
  assert.ok(d, `schema definition ${name}`);
  return d;
};

describe('model: DfE code lists and limits equal the payload schema', () => {
  it('every enum of the schema is a list of the model', () => {
    const pairs: Array<[string, readonly string[]]> = [
      ['referralSource', REFERRAL_SOURCES],
      ['disabilityCode', DISABILITY_CODES],
      ['careLeaverActivity', CARE_LEAVER_ACTIVITY],
      ['careLeaverAccommodation', CARE_LEAVER_ACCOMMODATION],
      ['upnUnknownReason', UPN_UNKNOWN_CODES],
    ];
    for (const [name, list] of pairs) assert.deepEqual(def(name).enum, [...list], name);
    // No enum in the schema is left unchecked (sex M/F/U is the payload's own, not a DfE code list).
    const enums = Object.entries(schema.definitions as Record<string, Def>)
      .filter(([, d]) => d.enum)
      .map(([n]) => n)
      .sort();
    assert.deepEqual(enums, [...pairs.map(([n]) => n), 'sex'].sort());
  });

  it("every length limit of the schema is the model's LIMITS", () => {
    const lengths: Array<[string, number]> = [
      ['laChildIdLength', LIMITS.laChildId],
      ['misChildIdLength', LIMITS.misChildId],
      ['entityIdLength', LIMITS.entityId],
      ['workerIdLength', LIMITS.workerId],
      ['upn', LIMITS.upn],
      ['personName', LIMITS.names],
      ['postcode', LIMITS.postcode],
      ['closureReason', LIMITS.closureReason],
      ['startReason', LIMITS.startReason],
      ['placementType', LIMITS.placementType],
      ['endReason', LIMITS.endReason],
      ['changeReason', LIMITS.changeReason],
    ];
    for (const [name, limit] of lengths) assert.equal(def(name).maxLength, limit, name);
    assert.equal(def('upn').minLength, LIMITS.upn);
    assert.equal(def('disabilities').maxItems, LIMITS.disabilities);
    assert.equal(def('factors').maxItems, LIMITS.factors);
  });

  it("the schema's id characters are the model's ID_PATTERN", () => {
    assert.equal(def('idCharacters').pattern, ID_PATTERN.source);
  });

  it('a postcode of the strict format has the shape the check accepts', () => {
    for (const p of ['SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'YY12 3AB']) {
      assert.match(p, POSTCODE_FORMAT);
      assert.match(p, POSTCODE);
    }
    for (const p of ['UNKNOWN', 'NFA', 'YY1', '12345']) assert.doesNotMatch(p, POSTCODE);
  });

  it('the old import paths give the same objects', () => {
    assert.equal(oldCheck.LIMITS, LIMITS);
    assert.equal(oldCheck.REFERRAL_SOURCES, REFERRAL_SOURCES);
    assert.equal(oldCheck.POSTCODE, POSTCODE);
    assert.ok(oldFake.REFERRAL_SOURCES.length > 0 && oldFake.REFERRAL_SOURCES !== (REFERRAL_SOURCES as unknown));
  });
});
