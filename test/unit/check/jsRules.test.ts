// The rules evaluated in JS (values SQL cannot test portably), value by value.
import assert from 'node:assert/strict';
import { getRule, type JsRule } from '../../../src/check/rules';
import { compatibleKinds } from '../../../src/check/schemaChecks';
import { kindOfDataType, kindOfModelType } from '../../../src/check/sqlExpr';

const js = (id: string) => {
  const r = getRule(id);
  assert.equal(r.kind, 'js');
  return (row: Record<string, unknown>) => (r as JsRule).test(row);
};

describe('check JS rules', () => {
  it('SSD-PERS-006: UPN must be 13 letters or digits as stored; UN codes and blanks are left to other rules', () => {
    const t = js('SSD-PERS-006');
    for (const ok of [null, '', '  ', 'B801200005001', 'A801200005001', 'un3', 'UN10 ']) assert.equal(t({ pers_upn: ok }), false, String(ok));
    for (const bad of ['B80120000500', 'B8012000050011', ' B801200005001', 'B80120000500-', 'B801 00005001']) assert.equal(t({ pers_upn: bad }), true, bad);
  });

  it('SSD-PERS-007: DfE UPN format and check letter', () => {
    const t = js('SSD-PERS-007');
    assert.equal(t({ pers_upn: 'B801200005001' }), false);
    assert.equal(t({ pers_upn: 'A801200005001' }), true, 'wrong check letter');
    assert.equal(t({ pers_upn: 'b801200005001' }), true, 'lower case');
    assert.equal(t({ pers_upn: 'I801200005001' }), true, 'I is never a check letter');
    assert.equal(t({ pers_upn: 'B8012000050' }), false, 'wrong length is SSD-PERS-006');
  });

  it('SSD-LINK-004: only former UPNs of 13 characters are tested', () => {
    const t = js('SSD-LINK-004');
    assert.equal(t({ link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: 'A801200005001' }), true);
    assert.equal(t({ link_identifier_type: ' former unique pupil number ', link_identifier_value: 'B801200005001' }), false);
    assert.equal(t({ link_identifier_type: 'NHS number', link_identifier_value: 'A801200005001' }), false);
    assert.equal(t({ link_identifier_type: 'Former Unique Pupil Number', link_identifier_value: '123' }), false);
  });

  it('SSD-CINF-003/004/005: factor shapes of the contract (D5)', () => {
    const unreadable = js('SSD-CINF-003'),
      tooMany = js('SSD-CINF-004'),
      odd = js('SSD-CINF-005');
    const v = (s: unknown) => ({ cinf_assessment_factors_json: s });
    for (const ok of [null, '', 'null', '[]', '["1A","2B"]', '{"1A":"Yes","21":"Yes"}', '1A, 2B,3C', '1A']) assert.equal(unreadable(v(ok)), false, String(ok));
    for (const bad of ['{bad', '[1, 2]', '[["1A"]]']) assert.equal(unreadable(v(bad)), true, bad);
    // Amendment 2026-12-05: any text is read as items, each then checked as a code (SSD-CINF-005).
    for (const items of ['Alcohol misuse, drugs', '1A; 2B']) assert.deepEqual([unreadable(v(items)), odd(v(items))], [false, true], items);
    assert.equal(tooMany(v(JSON.stringify(Array.from({ length: 41 }, (_, i) => `${i}A`)))), false);
    assert.equal(tooMany(v(JSON.stringify(Array.from({ length: 42 }, (_, i) => `${i}A`)))), true);
    assert.equal(odd(v('["1A","24A","21"]')), false);
    assert.equal(odd(v('["Alcohol"]')), true);
    assert.equal(odd(v('["1a"]')), false, 'lower-case codes are upper-cased by the builder');
    assert.equal(odd(v('{"1A":"Y","99Z":"Y"}')), true, 'shaped like a code but not in the CIN census list');
    assert.equal(odd(v('1A,NaN')), true);
    assert.equal(odd(v('{bad')), false, 'unreadable is SSD-CINF-003, not this rule');
  });

  it('SSD-S47E-009: CP_CONFERENCE_FLAG must be readable as yes/no', () => {
    const t = js('SSD-S47E-009');
    const v = (s: unknown) => ({ s47e_s47_outcome_json: s });
    for (const ok of [null, '', '{"CP_CONFERENCE_FLAG": "Y"}', '{"CP_CONFERENCE_FLAG":"false"}', '{"CP_CONFERENCE_FLAG": true}', '{"CP_CONFERENCE_FLAG": 1}'])
      assert.equal(t(v(ok)), false, String(ok));
    for (const bad of ['not json', '[]', '{"OTHER": "Y"}', '{"CP_CONFERENCE_FLAG": "maybe"}', '{"CP_CONFERENCE_FLAG": 2}']) assert.equal(t(v(bad)), true, bad);
  });

  it('SSD-ADDR-004 / SSD-CLAP-008: UK postcode shapes', () => {
    const t = js('SSD-ADDR-004');
    for (const ok of [null, '', 'SW1A 1AA', 'm1 1ae', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'W1A0AX', ' EC1A 1BB ']) assert.equal(t({ addr_address_postcode: ok }), false, String(ok));
    for (const bad of ['NFA', 'UNKNOWN', 'YY1', 'SW1A', '12345', 'SW1A 1A']) assert.equal(t({ addr_address_postcode: bad }), true, bad);
    assert.equal(js('SSD-CLAP-008')({ clap_cla_placement_postcode: 'NOPC' }), true);
  });
});

describe('check type kinds', () => {
  it('reads information_schema types of both dialects', () => {
    assert.equal(kindOfDataType('character varying'), 'text');
    assert.equal(kindOfDataType('nvarchar'), 'text');
    assert.equal(kindOfDataType('timestamp without time zone'), 'date');
    assert.equal(kindOfDataType('datetime2'), 'date');
    assert.equal(kindOfDataType('integer'), 'integer');
    assert.equal(kindOfDataType('bytea'), 'binary');
    assert.equal(kindOfDataType('jsonb'), 'json');
    assert.equal(kindOfDataType('USER-DEFINED'), 'other');
    assert.equal(kindOfModelType('NVARCHAR(48)'), 'text');
    assert.equal(kindOfModelType('DATETIME'), 'date');
    assert.equal(kindOfModelType('DOUBLE PRECISION'), 'float');
    assert.equal(kindOfModelType('BINARY(32)'), 'binary');
  });

  it('accepts INT ids and JSON as text, but not a date held as text', () => {
    assert.equal(compatibleKinds('text', 'integer'), true);
    assert.equal(compatibleKinds('json', 'text'), true);
    assert.equal(compatibleKinds('date', 'text'), false);
    assert.equal(compatibleKinds('integer', 'text'), false);
    assert.equal(compatibleKinds('binary', 'text'), false);
  });
});
