import assert from 'node:assert/strict';
import { copySchemaProblem, liveSkipConfirmation, phaseItems } from '../../../src/extension/core/phasesWork';
import type { PhasesReport } from '../../../src/phases/phases';

function report(done: boolean[]): PhasesReport {
  const phases = [1, 2, 3, 4].map((no) => ({
    no: no as 1 | 2 | 3 | 4,
    title: `title ${no}`,
    done: done[no - 1]!,
    date: done[no - 1] ? '2026-08-10T09:15:00' : null,
    runs: done[no - 1] ? 1 : 0,
    posted: done[no - 1] ? 5 : 0,
    acknowledged: done[no - 1] ? 4 : 0,
    staged: 5,
    where: [{ database: 'd', schema: `s${no}`, table: 't' }],
    next: done[no - 1] ? null : `cmd ${no}`,
  }));
  return { databases: ['d'], phases, current: phases.find((p) => !p.done)?.no ?? null };
}

describe('extension/core/phasesWork', () => {
  it('shows each phase done or not yet, with date, counts and the next command', () => {
    const items = phaseItems(report([true, false, false, false]));
    assert.equal(items.length, 4);
    assert.match(items[0]!.label, /^\$\(pass-filled\) 1\. title 1$/);
    assert.equal(items[0]!.description, 'done 2026-08-10 09:15');
    assert.equal(items[0]!.detail, '5 staged, 1 send run(s), 5 sent, 4 acknowledged (s1.t)');
    assert.match(items[1]!.label, /^\$\(arrow-right\) 2\./);
    assert.equal(items[1]!.description, 'not yet');
    assert.match(items[1]!.detail, /· next: cmd 2$/);
    assert.match(items[2]!.label, /^\$\(circle-large-outline\) 3\./);
  });

  it('asks before going live only when a test phase has no record of success, naming it', () => {
    const c = liveSkipConfirmation(report([true, false, true, false]))!;
    assert.match(c.detail, /no record of phase 2 \(title 2\)\./);
    assert.ok(!c.detail.includes('phase 1'));
    assert.equal(liveSkipConfirmation(report([true, true, true, false])), null);
  });

  it('refuses the source schema and bad names for the copy', () => {
    assert.match(copySchemaProblem('DBO', 'dbo')!, /another schema/);
    assert.match(copySchemaProblem('bad name', 'dbo')!, /invalid schema/);
    assert.equal(copySchemaProblem('dbo_scrambled', 'dbo'), undefined);
  });
});
