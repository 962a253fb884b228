// "SSD: Build Payload for Child" mappings: problems → exact JSON ranges (values, array items,
// missing properties on the enclosing key), hover text (rules and SSD column), document URIs; on
// validation output and on payloads built from fake SSD data with injected problems.
import assert from 'node:assert/strict';
import { lineOffsets, type DiagnosticRecord } from '../../../src/extension/core/diagnosticRecords';
import { locatePointer } from '../../../src/extension/core/jsonLocations';
import { exclusionMessage, payloadDiagnosticRecords, payloadHoverAt, payloadSummary, payloadText, payloadUri, personIdFromPayloadPath, toPointer } from '../../../src/extension/core/payloadWorkflow';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { buildAllPayloadsForTest, buildChildPayload } from '../../../src/payload/buildPayloads';
import { validatePayload } from '../../../src/payload/validatePayload';
import { forEachTarget } from '../../helpers/targets';

function slice(text: string, r: DiagnosticRecord): string {
  const s = lineOffsets(text);
  return text.slice(s[r.range.start.line]! + r.range.start.character, s[r.range.end.line]! + r.range.end.character);
}

/** The value at a JSON Pointer, or undefined. */
function at(obj: unknown, pointer: string): unknown {
  let v: unknown = obj;
  for (const seg of pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function payload(): Record<string, any> {
  return {
    la_child_id: 'C1',
    mis_child_id: 'M1',
    purge: false,
    child_details: {
      unique_pupil_number: 'A12345678901',
      first_name: 'Zoë-Secret',
      surname: 'X',
      date_of_birth: '2015-05-01',
      sex: 'F',
      ethnicity: 'WBRI',
      disabilities: ['NONE', 'BAD9'],
      postcode: 'AB1 2CD',
      uasc_flag: false,
      purge: false,
    },
    social_care_episodes: [
      { social_care_episode_id: 'R1', referral_date: '2025-01-01', referral_source: '10', referral_no_further_action_flag: false, purge: false },
      { referral_date: '2025-02-30', referral_source: 'ZZ', referral_no_further_action_flag: false, purge: false },
    ],
  };
}

describe('extension workflows: payload problems at their JSON path', () => {
  const p = payload();
  const text = payloadText(p);
  const problems = validatePayload(p);
  const recs = payloadDiagnosticRecords(text, problems);
  const rec = (path: string, rule?: string) => {
    const i = problems.findIndex((x) => x.path === path && (!rule || x.rule === rule));
    assert.ok(i >= 0, `a problem at ${path}: ${problems.map((x) => `${x.path} ${x.rule}`).join('; ')}`);
    return recs[i]!;
  };

  it('a scalar value: the value itself', () => {
    const r = rec('/child_details/unique_pupil_number', 'minLength');
    assert.equal(slice(text, r), '"A12345678901"');
    assert.equal(r.code, 'minLength');
    assert.equal(r.severity, 'error');
    assert.equal(r.source, 'SSD payload');
    assert.match(r.message, /^\/child_details\/unique_pupil_number: unique pupil number .*12 characters.*\(from ssd_person\.pers_upn\)$/);
  });

  it('an array item and a value inside the second array element', () => {
    assert.equal(slice(text, rec('/child_details/disabilities/1')), '"BAD9"');
    assert.equal(slice(text, rec('/social_care_episodes/1/referral_source')), '"ZZ"');
    assert.equal(slice(text, rec('/social_care_episodes/1/referral_date')), '"2025-02-30"');
    assert.equal(
      rec('/social_care_episodes/1/referral_date').range.start.line,
      text.split('\n').findIndex((l) => l.includes('2025-02-30')),
    );
  });

  it('a missing property: the key of the object it is missing from', () => {
    const r = rec('/social_care_episodes/1/social_care_episode_id', 'required');
    assert.equal(slice(text, r), '{', 'an array item has no key: its opening brace');
    const line = r.range.start.line;
    const secondItem = text.split('\n').findIndex((l, i) => i > text.split('\n').findIndex((x) => x.includes('"R1"')) && l.trim() === '{');
    assert.equal(line, secondItem);
    assert.match(r.message, /social_care_episode_id: required: this field is missing/);
    // missing at the root: the root's opening brace (line 0)
    const q = { mis_child_id: 'M1', purge: false, child_details: { sex: 'F', purge: false } };
    const qt = payloadText(q);
    const qp = validatePayload(q);
    const i = qp.findIndex((x) => x.path === '/la_child_id' && x.rule === 'required');
    assert.ok(i >= 0, JSON.stringify(qp));
    const qr = payloadDiagnosticRecords(qt, qp)[i]!;
    assert.deepEqual(qr.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    // missing inside a keyed object (a builder rule may name one): the object's key
    const kr = payloadDiagnosticRecords(qt, [{ path: '/child_details/date_of_birth', rule: 'required', message: 'required: this field is missing', severity: 'error' }])[0]!;
    assert.equal(slice(qt, kr), '"child_details"');
    // additional property: the key's value exists, so the value is underlined
    const extra = { ...payload(), bogus: 1 };
    const et = payloadText(extra);
    const ep = validatePayload(extra);
    const ei = ep.findIndex((x) => x.rule === 'additionalProperties');
    assert.ok(ei >= 0, JSON.stringify(ep));
    assert.equal(slice(et, payloadDiagnosticRecords(et, ep)[ei]!), '1');
  });

  it("never puts a value of the child's data in a message", () => {
    for (const r of recs) {
      assert.ok(!r.message.includes('Zoë'));
      assert.ok(!r.message.includes('A12345678901'));
      assert.ok(!r.message.includes('2025-02-30'));
    }
  });

  it('hover: the JSON path, the SSD column and the rules broken there', () => {
    const off = text.indexOf('"BAD9"') + 2;
    const h = payloadHoverAt(text, off, problems)!;
    assert.equal(h.pointer, '/child_details/disabilities/1');
    assert.match(h.markdown, /From SSD column `ssd_disability\.disa_disability_code`/);
    assert.match(h.markdown, /\*\*enum\*\*: a code that is not in the DfE list$/m, 'on the underline: what the rule means (the editor shows the message)');
    assert.equal(text.slice(h.start, h.end), '"BAD9"');
    // on a key: the same path as its value
    const k = payloadHoverAt(text, text.indexOf('"referral_source": "ZZ"') + 3, problems)!;
    assert.equal(k.pointer, '/social_care_episodes/1/referral_source');
    assert.match(k.markdown, /ssd_cin_episodes\.cine_referral_source_code/);
    assert.match(
      k.markdown,
      /\*\*enum\*\*: a code that is not in the DfE list: referral_source|\*\*enum\*\*: a code that is not in the DfE list: .+allowed codes/,
      'on the key (no underline): the message as well',
    );
    // where the missing-property squiggle sits (the second item's brace), its problem is listed
    const brace = locatePointer(text, '/social_care_episodes/1/social_care_episode_id')!;
    const m = payloadHoverAt(text, brace.start, problems)!;
    assert.match(m.markdown, /\*\*required\*\* at `\/social_care_episodes\/1\/social_care_episode_id`: the DfE schema requires this field/);
    // a valid value with a known source still says where it comes from; no problem listed
    const s = payloadHoverAt(text, text.indexOf('"WBRI"') + 1, problems)!;
    assert.equal(s.markdown, '**/child_details/ethnicity**\n\nFrom SSD column `ssd_person.pers_ethnicity`');
    // a purge flag has neither
    assert.equal(payloadHoverAt(text, text.indexOf('"purge"') + 2, []), undefined);
    assert.ok(!h.markdown.includes('BAD9') && !m.markdown.includes('Zoë'));
  });

  it('document URIs and pointers round-trip any id', () => {
    for (const id of ['C123', 'a/b c', '100%', 'Ünï']) {
      const uri = payloadUri(id);
      assert.match(uri, /^ssd-payload:\/[^/]+\.json$/);
      assert.equal(personIdFromPayloadPath(uri.slice('ssd-payload:'.length)), id);
    }
    assert.equal(personIdFromPayloadPath('/x/y.json'), undefined);
    assert.equal(toPointer(['a', 0, 'b/c', 'd~e']), '/a/0/b~1c/d~0e');
  });

  it('summaries and the exclusion message name the gate', () => {
    assert.match(payloadSummary('C1', problems), /^C1: \d+ problems with the payload: see the Problems panel/);
    assert.match(payloadSummary('C1', []), /meets every rule/);
    assert.match(
      exclusionMessage({ personId: 'C9', gate: 'A', reason: 'gate A (age): neither a date of birth nor an expected date of birth' }, '2026-11-25', { start: '2024-04-01', end: '2026-11-26' }),
      /^C9 is not in the cohort for as-of 2026-11-25 .*excluded by gate A \(age\)/,
    );
    assert.match(exclusionMessage({ personId: 'C9', gate: 'missing', reason: 'x' }, '2026-11-25', { start: '2024-04-01', end: '2026-11-26' }), /not in ssd_person/);
  });
});

forEachTarget('extension workflows: payloads built from fake SSD data', (fx, target) => {
  if (target.name === 'mssql') return;
  it('every problem of every invalid child lands on the value (or the enclosing key) its path names', async function () {
    this.timeout(120000);
    const { db, schema } = fx();
    const asOf = '2026-11-25';
    await generateFakeSsd(db, { schema, children: 60, seed: 'workflows', asOf, shares: { badPostcode: 1, codesAsDescriptions: 1, factorsAsObject: 1 } });
    const children = await buildAllPayloadsForTest(db, { schema, asOf });
    const invalid = children.filter((c) => c.problems.length > 0);
    assert.ok(invalid.length > 5, `children with problems: ${invalid.length}`);
    let exact = 0;
    for (const c of invalid) {
      const text = payloadText(c.payload);
      const recs = payloadDiagnosticRecords(text, c.problems);
      c.problems.forEach((p, i) => {
        const got = slice(text, recs[i]!);
        const value = at(c.payload, p.path);
        if (value !== undefined && (value === null || typeof value !== 'object')) {
          assert.equal(got, JSON.stringify(value), `${c.personId} ${p.path}`);
          exact++;
        } else {
          assert.ok(/^"[^"]+"$|^[{[]$/.test(got), `${c.personId} ${p.path}: a key or a bracket, got ${got}`);
        }
        assert.ok(recs[i]!.message.startsWith(p.path || '(payload)'));
      });
    }
    assert.ok(exact > 0);
    // the single-child build the command uses gives the same problems
    const one = await buildChildPayload(db, invalid[0]!.personId, { schema, asOf });
    assert.ok('child' in one);
    assert.deepEqual(one.child.problems, invalid[0]!.problems);
  });

  it('rows the builder cannot attach (orphan referrals) are a warning naming them in the payload document', async function () {
    this.timeout(120000);
    const { db, schema } = fx();
    const asOf = '2026-11-25';
    await generateFakeSsd(db, { schema, children: 60, seed: 'workflows-orphans', asOf, replace: true, shares: { orphanReferral: 1 } });
    const children = await buildAllPayloadsForTest(db, { schema, asOf });
    const withOrphans = children.filter((c) => c.problems.some((p) => p.rule === 'row-not-attached'));
    assert.ok(withOrphans.length > 0, 'the generator plants orphan referrals');
    const c = withOrphans[0]!;
    // What the command shows: ssd payload's build of that one child, as diagnostics of its document.
    const one = await buildChildPayload(db, c.personId, { schema, asOf });
    assert.ok('child' in one);
    const text = payloadText(one.child.payload);
    const recs = payloadDiagnosticRecords(text, one.child.problems).filter((r) => r.code === 'row-not-attached');
    assert.ok(recs.length > 0);
    for (const r of recs) {
      assert.equal(r.severity, 'warning');
      assert.match(r.message, /^\(payload\): .*'[^']+' .*is not in the payload|^\(payload\): \d+ \w.* are not in the payload/);
    }
  });
});
