// The as-of date, in one place: every date rule, the reporting window, the census dates, the
// checks' date bounds and the 26-year age cut-off are relative to it. Parse it once (parseAsOf),
// take "today" from todayAsOf (the local calendar date of the machine running the tool: a person
// in England working at 00:30 BST means today, not yesterday in UTC), and read everything else
// from the AsOf value.
//
// Pure string arithmetic on YYYY-MM-DD: no Date objects in local time (except the one reading of
// the clock in todayAsOf), no time zones, so the same as-of date gives the same window on every
// machine. src/payload/window.ts re-exports the arithmetic for the payload rules.

/** Reporting window (docs/payload.md "Reporting window"): start = 1 April of the financial year
 *  containing as-of − 24 months; end = as-of + 1 day (inclusive). */
export interface ReportingWindow {
  asOf: string; // YYYY-MM-DD
  start: string; // YYYY-MM-DD
  end: string; // YYYY-MM-DD
}

/** The checks' date bounds (src/check/sqlExpr.ts DateBounds). */
export interface CheckBounds {
  /** Dates before this are implausible (1900-01-01). */
  min: string;
  /** The day after the as-of date: dates on or after it are in the future. */
  afterAsOf: string;
  /** As-of date + 366 days (expected dates of birth beyond it are implausible). */
  yearAfterAsOf: string;
}

/** Earliest plausible date in the checks. */
export const MIN_PLAUSIBLE_DATE = '1900-01-01';

/** A young person is in the payload cohort until this birthday (born after window start − 26
 *  years, as the community T-SQL's DATEADD(year, 26, dob) > window start). The cohort SQL of the
 *  checks is rendered from this constant (src/check/cohortSql.ts ageRuleSql →
 *  sql/<dialect>/check_cohort_without_episode.sql); test/integration/check/cohortSql.test.ts
 *  evaluates it on real databases against addYears and AsOf.ageCutoff. */
export const AGE_LIMIT_YEARS = 26;

/** The years an as-of date may fall in without --force (ssd CLI). */
export const AS_OF_YEARS = { min: 2000, max: 2100 } as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Parse a strict calendar date YYYY-MM-DD; throws on anything else. */
export function parseDateParts(date: string): { y: number; m: number; d: number } {
  const match = ISO_DATE.exec(date);
  if (!match) throw new Error(`not a date written YYYY-MM-DD (${date.length} characters)`);
  const y = +match[1]!,
    m = +match[2]!,
    d = +match[3]!;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new Error('not a calendar date (month or day out of range)');
  return { y, m, d };
}

export function isIsoDate(date: string): boolean {
  try {
    parseDateParts(date);
    return true;
  } catch {
    return false;
  }
}

function format(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** date + n days (n may be negative). */
export function addDays(date: string, n: number): string {
  const { y, m, d } = parseDateParts(date);
  const t = Date.UTC(y, m - 1, d) + n * 86_400_000;
  const r = new Date(t);
  return format(r.getUTCFullYear(), r.getUTCMonth() + 1, r.getUTCDate());
}

/** date + n months, as SQL Server DATEADD(month): the day is clamped to the end of a shorter month. */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parseDateParts(date);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12),
    nm = (total % 12) + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** date + n years, as SQL Server DATEADD(year): 29 February becomes 28 February in a common year. */
export function addYears(date: string, n: number): string {
  return addMonths(date, 12 * n);
}

/**
 * docs/payload.md "Reporting window": start = 1 April of the financial year containing
 * (as-of − 24 months); end = as-of + 1 day (inclusive).
 */
export function reportingWindow(asOf: string): ReportingWindow {
  const anchor = parseDateParts(addMonths(asOf, -24));
  const fyStartYear = anchor.m >= 4 ? anchor.y : anchor.y - 1;
  return { asOf, start: format(fyStartYear, 4, 1), end: addDays(asOf, 1) };
}

/** Every 31 March inside [start, end] (D1: the census dates for care workers). */
export function censusDates(window: ReportingWindow): string[] {
  const out: string[] = [];
  const first = parseDateParts(window.start).y,
    last = parseDateParts(window.end).y;
  for (let y = first; y <= last; y++) {
    const c = format(y, 3, 31);
    if (c >= window.start && c <= window.end) out.push(c);
  }
  return out;
}

/** The checks' date bounds for an as-of date. */
export function checkBounds(asOf: string): CheckBounds {
  return { min: MIN_PLAUSIBLE_DATE, afterAsOf: addDays(asOf, 1), yearAfterAsOf: addDays(asOf, 366) };
}

/** Today as YYYY-MM-DD: the local calendar date of this machine. The one definition of "today"
 *  for the CLI, the editor, fake data and the demo. */
export function todayAsOf(now: Date = new Date()): string {
  return format(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** A bad as-of date; the message names what was given (a date is not personal data here: it is
 *  the user's own setting or option, never a child's). */
export class AsOfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsOfError';
  }
}

/** An as-of date, validated once, with everything derived from it. */
export class AsOf {
  private constructor(readonly date: string) {}

  /** A strict calendar date YYYY-MM-DD; `what` names the option or setting in the error. */
  static parse(text: string, what = 'the as-of date'): AsOf {
    // Years 0000-0099 are refused too: Date.UTC reads them as 1900-1999, so day arithmetic on
    // them would be wrong (the CLI always refused them).
    if (!isIsoDate(text) || text < '0100') throw new AsOfError(`${what} must be a date written YYYY-MM-DD, got ${JSON.stringify(text)}`);
    return new AsOf(text);
  }

  /** Today (local date, see todayAsOf). */
  static today(now?: Date): AsOf {
    return new AsOf(todayAsOf(now));
  }

  /** The given date, or today when it is undefined or blank. */
  static orToday(text: string | undefined, what?: string): AsOf {
    return text === undefined || text.trim() === '' ? AsOf.today() : AsOf.parse(text, what);
  }

  private w: ReportingWindow | undefined;
  get window(): ReportingWindow {
    return (this.w ??= reportingWindow(this.date));
  }

  get censusDates(): string[] {
    return censusDates(this.window);
  }

  get checkBounds(): CheckBounds {
    return checkBounds(this.date);
  }

  /** People born on or before this date are past the age limit for the whole window
   *  (window start − AGE_LIMIT_YEARS). The builder tests each date of birth (with its time of
   *  day) as dob + AGE_LIMIT_YEARS > window start. */
  get ageCutoff(): string {
    return addYears(this.window.start, -AGE_LIMIT_YEARS);
  }

  toString(): string {
    return this.date;
  }
}
