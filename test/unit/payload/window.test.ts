import assert from 'node:assert/strict';
import { addYears, addYearsTs, censusDates, normTs, reportingWindow } from '../../../src/payload/window';

describe('payload window', () => {
  it('follows the fact sheet examples', () => {
    assert.deepEqual(reportingWindow('2026-08-10'), { asOf: '2026-08-10', start: '2024-04-01', end: '2026-08-11' });
    assert.deepEqual(reportingWindow('2026-01-15'), { asOf: '2026-01-15', start: '2023-04-01', end: '2026-01-16' });
  });

  it('starts the financial year on 1 April of the anchor year from April, the year before in January to March', () => {
    assert.equal(reportingWindow('2026-03-31').start, '2023-04-01');
    assert.equal(reportingWindow('2026-04-01').start, '2024-04-01');
    assert.equal(reportingWindow('2026-12-31').start, '2024-04-01');
  });

  it('ends the day after the as-of date, across month, year and leap day', () => {
    assert.equal(reportingWindow('2026-12-31').end, '2027-01-01');
    assert.equal(reportingWindow('2028-02-28').end, '2028-02-29');
    assert.equal(reportingWindow('2028-02-29').end, '2028-03-01');
    assert.equal(reportingWindow('2028-02-29').start, '2025-04-01');
  });

  it('rejects an impossible as-of date', () => {
    assert.throws(() => reportingWindow('2026-02-30'));
    assert.throws(() => reportingWindow('10/08/2026'));
  });

  it('D1: census dates are every 31 March inside the window', () => {
    assert.deepEqual(censusDates(reportingWindow('2026-08-10')), ['2025-03-31', '2026-03-31']);
    assert.deepEqual(censusDates(reportingWindow('2026-01-15')), ['2024-03-31', '2025-03-31']);
    // The window end (as-of + 1) is inclusive: a run on 30 March includes that year's census.
    assert.deepEqual(censusDates(reportingWindow('2026-03-30')), ['2024-03-31', '2025-03-31', '2026-03-31']);
    assert.deepEqual(censusDates(reportingWindow('2026-03-29')), ['2024-03-31', '2025-03-31']);
    // Upstream keeps none for runs from 31 December to 29 March; we keep every one.
    assert.deepEqual(censusDates(reportingWindow('2026-12-31')), ['2025-03-31', '2026-03-31']);
  });

  it('adds years as DATEADD(year): 29 February becomes 28 February', () => {
    assert.equal(addYears('2000-02-29', 26), '2026-02-28');
    assert.equal(addYears('2000-02-29', 28), '2028-02-29');
    assert.equal(addYearsTs('2000-02-29T10:30:00', 1), '2001-02-28T10:30:00');
  });

  it('normalises driver timestamps so midnight compares equal to the bare date', () => {
    assert.equal(normTs('2024-04-01T00:00:00'), '2024-04-01');
    assert.equal(normTs('2024-04-01T00:00:00.000'), '2024-04-01');
    assert.equal(normTs('2024-04-01 00:00:00'), '2024-04-01');
    assert.equal(normTs('2024-04-01T10:05:00.120'), '2024-04-01T10:05:00.12');
    assert.equal(normTs('2024-04-01'), '2024-04-01');
    assert.equal(normTs(null), null);
    assert.ok(normTs('2026-08-11T10:00:00')! > '2026-08-11');
    assert.ok(normTs('2026-08-11T00:00:00')! <= '2026-08-11');
  });
});
