import assert from 'node:assert/strict';
import { childrenOfFindings, personColumn, verdictLine } from '../../../src/check/people';
import type { CheckFinding } from '../../../src/check/types';

const f = (o: Partial<CheckFinding>): CheckFinding => ({
  ruleId: 'SSD-X-001',
  severity: 'error',
  category: 'data',
  table: 'ssd_address',
  column: null,
  count: 1,
  examples: [],
  message: 'm',
  fix: 'f',
  ...o,
});

describe('check: which children a finding concerns', () => {
  it("personColumn names the table's person id column, or null", () => {
    assert.equal(personColumn('ssd_person'), 'pers_person_id');
    assert.equal(personColumn('ssd_address'), 'addr_person_id');
    assert.equal(personColumn('SSD_CIN_EPISODES'), 'cine_person_id');
    assert.equal(personColumn('ssd_professionals'), null);
    assert.equal(personColumn('ssd_assessment_factors'), null);
    assert.equal(personColumn('no_such_table'), null);
  });

  it('childrenOfFindings lists distinct person ids of errors and warnings, numerically ordered', () => {
    const ids = childrenOfFindings([f({ personIds: ['10', '9'] }), f({ severity: 'warning', personIds: ['9', '100'] }), f({ severity: 'info', personIds: ['5'] }), f({})]);
    assert.deepEqual(ids, ['9', '10', '100']);
  });

  it('verdictLine states the impact in children where they are counted', () => {
    assert.equal(verdictLine([]), 'Fit to build payloads: no errors or warnings.');
    assert.equal(verdictLine([f({ severity: 'warning' }), f({ severity: 'info' })]), 'Fit to build payloads, with 1 warning to review.');
    const one = verdictLine([f({ count: 3, children: 1 })]);
    assert.match(
      one,
      /^Not fit to build every payload: 1 error: 1 child affected, whose payload may be withheld by Build Staging; the other children's payloads can be built\. Fix the errors first\.$/,
    );
    const several = verdictLine([f({ children: 4 }), f({ children: 12 }), f({}), f({ severity: 'warning' })]);
    assert.match(several, /^Not fit to build every payload: 3 errors: at least 12 children affected, whose payloads may be withheld.*; 1 warning\. Fix the errors first\.$/);
    assert.match(verdictLine([f({})]), /^Not fit to build every payload: 1 error\. Fix/);
  });

  it('a structure error stops every payload', () => {
    const v = verdictLine([f({ category: 'schema' }), f({ children: 2 })]);
    assert.match(v, /^Not fit to build payloads: 2 errors \(1 structure error: payloads cannot be built until it is fixed\)\. Fix the errors first\.$/);
  });
});
