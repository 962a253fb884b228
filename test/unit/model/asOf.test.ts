// The as-of value type (src/model/asOf.ts): one parse, one "today" (local date), and everything
// derived from it; the fake data's day-number window and the checks' cohort SQL agree with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AGE_LIMIT_YEARS, AsOf, AsOfError, checkBounds, reportingWindow, todayAsOf } from '../../../src/model/asOf';
import { dayOf, isoOf, windowInDays as fakeWindow } from '../../../src/fake/cohort';
import { parseIsoDate, todayIso, UsageError } from '../../../src/cliSupport/common';

describe('model: the as-of date', () => {
  it('parses a calendar date once and derives window, census dates, check bounds and age cut-off', () => {
    const a = AsOf.parse('2026-08-10');
    assert.equal(a.date, '2026-08-10');
    assert.deepEqual(a.window, { asOf: '2026-08-10', start: '2024-04-01', end: '2026-08-11' });
    assert.equal(a.window, a.window, 'the window is computed once');
    assert.deepEqual(a.censusDates, ['2025-03-31', '2026-03-31']);
    assert.deepEqual(a.checkBounds, { min: '1900-01-01', afterAsOf: '2026-08-11', yearAfterAsOf: '2027-08-11' });
    assert.equal(a.ageCutoff, '1998-04-01');
    assert.equal(AGE_LIMIT_YEARS, 26);
    assert.deepEqual(AsOf.parse('2028-02-29').checkBounds, checkBounds('2028-02-29'));
  });

  it('rejects what is not a calendar date, naming the option', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '10/08/2026', '2026-8-1', '', ' 2026-08-10', '0050-01-01']) {
      assert.throws(
        () => AsOf.parse(bad, '--as-of'),
        (e: Error) => e instanceof AsOfError && e.message.startsWith('--as-of must be a date written YYYY-MM-DD'),
      );
    }
    assert.throws(
      () => parseIsoDate('2026-02-30'),
      (e: Error) => e instanceof UsageError && /--as-of must be a date/.test(e.message),
    );
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29');
    assert.equal(parseIsoDate(undefined), undefined);
  });

  it('"today" is the local calendar date, the same for the CLI and the value type', () => {
    // 23:30 local on 31 December is still 31 December, whatever UTC says.
    assert.equal(todayAsOf(new Date(2026, 11, 31, 23, 30)), '2026-12-31');
    assert.equal(todayAsOf(new Date(2027, 0, 1, 0, 15)), '2027-01-01');
    const before = todayAsOf();
    const cli = todayIso();
    const after = todayAsOf();
    assert.ok(cli === before || cli === after);
    assert.ok([before, after].includes(AsOf.orToday(undefined).date));
    assert.ok([before, after].includes(AsOf.orToday('  ').date));
    assert.equal(AsOf.orToday('2026-01-15').date, '2026-01-15');
  });

  it("the fake data's day-number window is the same window", () => {
    for (const d of ['2026-08-10', '2026-01-15', '2026-03-31', '2026-04-01', '2028-02-29', '2025-02-28', '2000-01-01']) {
      const w = reportingWindow(d);
      const f = fakeWindow(dayOf(d));
      assert.deepEqual({ start: isoOf(f.start), end: isoOf(f.end) }, { start: w.start, end: w.end }, d);
    }
  });

  it("the checks' cohort SQL uses the same age limit in each dialect", () => {
    const pg = readFileSync('sql/postgres/check_cohort_without_episode.sql', 'utf8');
    const ms = readFileSync('sql/mssql/check_cohort_without_episode.sql', 'utf8');
    assert.match(pg, new RegExp(`INTERVAL '${AGE_LIMIT_YEARS} years'`));
    assert.match(ms, new RegExp(`DATEADD\\(year, ${AGE_LIMIT_YEARS},`));
    assert.doesNotMatch(pg.replace(`INTERVAL '${AGE_LIMIT_YEARS} years'`, ''), /INTERVAL '\d+ years'/);
    assert.doesNotMatch(ms.replace(`DATEADD(year, ${AGE_LIMIT_YEARS},`, ''), /DATEADD\(year, \d+,/);
  });
});
