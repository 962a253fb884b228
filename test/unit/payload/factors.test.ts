import assert from 'node:assert/strict';
import { parseFactors } from '../../../src/payload/buildPayload';
import { child, episode0, problemsOf } from './childRows';

function withFactors(...json: Array<string | null>) {
  return child({}, {
    assessments: [{ cina_assessment_id: 'A1', cina_referral_id: 'R1', cina_assessment_start_date: '2025-01-02' }],
    factors: json.map((j, i) => ({ cinf_table_id: `F${i}`, cinf_assessment_id: 'A1', cinf_assessment_factors_json: j })),
  });
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

  it('other shapes are rejected: numbers in an array, a bare number, a list with punctuation', () => {
    assert.equal(parseFactors('[1, 2]').ok, false);
    assert.equal(parseFactors('[["1A"]]').ok, false);
    assert.equal(parseFactors('42').ok, true); // a one-code comma list
    assert.equal(parseFactors('true').ok, true); // letters: a one-code list (the schema has no code list for factors)
    assert.equal(parseFactors('1A; 2B').ok, false);
    assert.equal(parseFactors('"1A,2B"').ok, true);
    const r = parseFactors('1A; 2B');
    assert.ok(!r.ok && !r.shape.includes('1A'));
  });

  it('more than 41 factors make the child invalid through the schema', () => {
    const codes = Array.from({ length: 42 }, (_, i) => `${i + 1}A`);
    const problems = problemsOf(withFactors(JSON.stringify(codes)));
    assert.deepEqual(problems.map((p) => [p.path, p.rule, p.message]), [
      ['/social_care_episodes/0/child_and_family_assessments/0/factors', 'maxItems', 'assessment factors (at most 41 codes): 42 items; at most 41 allowed'],
    ]);
  });
});
