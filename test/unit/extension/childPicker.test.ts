import assert from 'node:assert/strict';
import { acceptDecision, pickerItems, problemNote } from '../../../src/extension/core/childPicker';

describe('payload picker: real ids first, only an existing id builds', () => {
  const problems = new Map([
    ['1000099001', '2 check findings'],
    ['1000099777', 'Withheld'],
    ['2000', '1 check finding'],
  ]);

  it('lists children with problems matching the prefix first, then the ids found, each once', () => {
    const items = pickerItems('1000099', ['1000099000', '1000099001', '1000099002'], problems);
    assert.deepEqual(items, [{ id: '1000099001', note: '2 check findings' }, { id: '1000099777', note: 'Withheld' }, { id: '1000099000' }, { id: '1000099002' }]);
    assert.deepEqual(
      pickerItems('', [], problems).map((i) => i.id),
      ['2000', '1000099001', '1000099777'],
    );
  });

  it('Enter on a typed prefix builds the highlighted real id, or asks the database; never the prefix', () => {
    const listed = ['1000099000', '1000099001'];
    assert.deepEqual(acceptDecision('1000099', '1000099000', listed), { build: '1000099000' });
    assert.deepEqual(acceptDecision('1000099001', '1000099000', listed), { build: '1000099001' }, 'an exact id wins');
    assert.deepEqual(acceptDecision('1000099', undefined, []), { check: '1000099' }, 'nothing listed: check, do not build');
    assert.deepEqual(acceptDecision('555', '1000099000', listed), { check: '555' }, 'a stale highlight that does not match is not built');
    assert.deepEqual(acceptDecision('  ', undefined, listed), { none: true });
    assert.deepEqual(acceptDecision('', '1000099000', listed), { build: '1000099000' });
  });

  it("notes a child's problems briefly", () => {
    assert.equal(problemNote(['SSD-ADDR-003'], false), '1 check finding');
    assert.equal(problemNote(['A', 'B'], true), '2 check findings · Withheld');
    assert.equal(problemNote([], true), 'Withheld');
  });
});
