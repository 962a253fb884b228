import assert from 'node:assert/strict';
import { parseFactors } from '../../../src/payload/buildPayload';
import { child, episode0, problemsOf } from './childRows';

function withFactors(...json: Array<string | null>) {
  return child(
    {},
    {
      assessments: [{ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-02' }],
      factors: json.map((j, i) => ({ cinf_table_id: `F${i}`, cinf_assessment_id: 'A1', cinf_assessment_factors_json: j })),
    },
  );
}

function factorsOf(...json: Array<string | null>): unknown {
  return (episode0(withFactors(...json)).child_and_family_assessments as Record<string, unknown>[])[0]!.factors;
}

describe('payload factors (D5)', () => {
  it('a JSON array of strings, in stored order without duplicates', () => {
    assert.deepEqual(factorsOf('["4A","1C","4A"]'), ['4A', '1C']);
  });

  it('a JSON object whose keys are the codes', () => {
    assert.deepEqual(factorsOf('{"2B": "Y", "1A": true, "2B ": 1}'), ['2B', '1A']);
  });

  it('a comma-separated list', () => {
    assert.deepEqual(factorsOf(' 1A, 2B ,,3C,1A'), ['1A', '2B', '3C']);
    assert.deepEqual(factorsOf('24A'), ['24A']);
  });

  it('NULL, blank, the text null, or no factor row: []', () => {
    assert.deepEqual(factorsOf(null), []);
    assert.deepEqual(factorsOf('  '), []);
    assert.deepEqual(factorsOf('null'), []);
    assert.deepEqual(factorsOf('[]'), []);
    assert.deepEqual(factorsOf(), []);
  });

  it('several factor rows for one assessment: one assessment, codes merged in row order', () => {
    const e = episode0(withFactors('["1A"]', '2B,1A'));
    assert.equal((e.child_and_family_assessments as unknown[]).length, 1);
    assert.deepEqual(factorsOf('["1A"]', '2B,1A'), ['1A', '2B']);
  });

  it('malformed JSON makes the child invalid with a clear problem and no value in it, never an exception', () => {
    const r = withFactors('["1A", "2B"');
    const problems = problemsOf(r);
    assert.equal(problems.length, 1);
    const p = problems[0]!;
    assert.equal(p.path, '/social_care_episodes/0/child_and_family_assessments/0/factors');
    assert.equal(p.rule, 'factors-unparseable');
    assert.equal(p.severity, 'error');
    assert.equal(p.source, 'ssd_assessment_factors.cinf_assessment_factors_json');
    assert.match(p.message, /not valid JSON/);
    assert.doesNotMatch(p.message, /1A|2B/);
  });

  it('shapes: non-text JSON items are rejected; any text is read as items (each then checked as a code)', () => {
    assert.equal(parseFactors('[1, 2]').ok, false);
    assert.equal(parseFactors('[["1A"]]').ok, false);
    assert.deepEqual(parseFactors('42'), { ok: true, codes: ['42'] }); // a one-item comma list
    assert.deepEqual(parseFactors('true'), { ok: true, codes: ['true'] });
    assert.deepEqual(parseFactors('1A; 2B'), { ok: true, codes: ['1A; 2B'] });
    assert.equal(parseFactors('"1A,2B"').ok, true);
    const r = parseFactors('[1, "2B"]');
    assert.ok(!r.ok && !r.shape.includes('2B'));
  });

  it('more than 41 factors make the child invalid through the schema', () => {
    const codes = [
      '1A',
      '1B',
      '1C',
      '2A',
      '2B',
      '2C',
      '3A',
      '3B',
      '3C',
      '4A',
      '4B',
      '4C',
      '5A',
      '5B',
      '5C',
      '6A',
      '6B',
      '6C',
      '7A',
      '8B',
      '8C',
      '8D',
      '8E',
      '8F',
      '9A',
      '10A',
      '11A',
      '12A',
      '13A',
      '14A',
      '15A',
      '16A',
      '17A',
      '18B',
      '18C',
      '19B',
      '19C',
      '20',
      '21',
      '22A',
      '23A',
      '24A',
    ];
    assert.equal(new Set(codes).size, 42);
    const problems = problemsOf(withFactors(JSON.stringify(codes)));
    assert.deepEqual(
      problems.map((p) => [p.path, p.rule, p.message]),
      [['/social_care_episodes/0/child_and_family_assessments/0/factors', 'maxItems', 'assessment factors (at most 41 codes): 42 items; at most 41 allowed']],
    );
  });

  describe('one rule for every item, whatever the shape (amendment 2026-12-05)', () => {
    const shapes = (items: string[]) => [JSON.stringify(items), JSON.stringify(Object.fromEntries(items.map((i) => [i, 'Y']))), items.join(',')];

    it('CIN census codes in any case are sent upper-cased, in all three shapes', () => {
      // (No all-digit code such as 21 here: a JSON object's integer-like keys come first in JavaScript.)
      for (const stored of shapes(['1a', ' 24a ', '4A', '10a'])) {
        assert.deepEqual(factorsOf(stored), ['1A', '24A', '4A', '10A'], stored);
        assert.deepEqual(problemsOf(withFactors(stored)), [], stored);
      }
      assert.deepEqual(factorsOf('["1a","1A"]'), ['1A']); // duplicates after upper-casing are removed
    });

    it('an item that is not a code makes the child invalid, naming the item and the assessment, in all three shapes', () => {
      for (const stored of shapes(['1A', '99Z', '2B'])) {
        const problems = problemsOf(withFactors(stored));
        assert.deepEqual(
          problems.map((p) => [p.path, p.rule, p.severity, p.source]),
          [['/social_care_episodes/0/child_and_family_assessments/0/factors/1', 'factor-not-a-code', 'error', 'ssd_assessment_factors.cinf_assessment_factors_json']],
          stored,
        );
        assert.match(problems[0]!.message, /assessment A1: factor item 2 '99Z' is not a CIN census assessment factor code/);
        assert.deepEqual(factorsOf(stored), ['1A', '99Z', '2B'], 'the item is kept, as stored, in the (unsent) payload');
      }
    });

    it('the same for items the comma list used to reject and the array used to accept (punctuation, words)', () => {
      for (const stored of ['1A; 2B', '["1A; 2B"]', '{"1A; 2B": 1}']) {
        const problems = problemsOf(withFactors(stored));
        assert.deepEqual(
          problems.map((p) => [p.path, p.rule]),
          [['/social_care_episodes/0/child_and_family_assessments/0/factors/0', 'factor-not-a-code']],
          stored,
        );
      }
      for (const stored of ['NaN', '["NaN"]', 'true', 'N/A']) assert.equal(problemsOf(withFactors(stored)).filter((p) => p.rule === 'factor-not-a-code').length, 1, stored);
    });

    it('free text in an item is never quoted in the problem (only its length)', () => {
      const problems = problemsOf(withFactors('["Jane Smith visited"]'));
      assert.equal(problems.length, 1);
      assert.doesNotMatch(problems[0]!.message, /Jane|Smith|visited/);
      assert.match(problems[0]!.message, /factor item 1 \(18 characters, not shown\)/);
    });

    it('a non-text JSON item names the assessment and the item number', () => {
      const problems = problemsOf(withFactors('["1A", 20]'));
      assert.deepEqual(
        problems.map((p) => [p.path, p.rule]),
        [['/social_care_episodes/0/child_and_family_assessments/0/factors', 'factors-unparseable']],
      );
      assert.match(problems[0]!.message, /assessment A1: .*item 2 is a number/);
    });
  });
});
