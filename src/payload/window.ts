// Reporting window and the date arithmetic every payload rule uses. Pure string arithmetic on
// YYYY-MM-DD (and the drivers' 'YYYY-MM-DDTHH:MM:SS[.fff]' timestamps): no Date objects in local
// time, no time zones, so the same as-of date gives the same window on every machine.
import type { ReportingWindow } from './types';

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
  const y = +match[1]!, m = +match[2]!, d = +match[3]!;
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
  const ny = Math.floor(total / 12), nm = (total % 12) + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** date + n years, as SQL Server DATEADD(year): 29 February becomes 28 February in a common year. */
export function addYears(date: string, n: number): string {
  return addMonths(date, 12 * n);
}

/**
 * Contract §Window: start = 1 April of the financial year containing (as-of − 24 months);
 * end = as-of + 1 day (inclusive).
 */
export function reportingWindow(asOf: string): ReportingWindow {
  const anchor = parseDateParts(addMonths(asOf, -24));
  const fyStartYear = anchor.m >= 4 ? anchor.y : anchor.y - 1;
  return { asOf, start: format(fyStartYear, 4, 1), end: addDays(asOf, 1) };
}

/** Every 31 March inside [start, end] (D1: the census dates for care workers). */
export function censusDates(window: ReportingWindow): string[] {
  const out: string[] = [];
  const first = parseDateParts(window.start).y, last = parseDateParts(window.end).y;
  for (let y = first; y <= last; y++) {
    const c = format(y, 3, 31);
    if (c >= window.start && c <= window.end) out.push(c);
  }
  return out;
}

// --- Timestamps as the drivers return them ---------------------------------------------------
// DATE/DATETIME values arrive as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS[.fff]'. The community
// T-SQL compares DATETIME columns with DATE window bounds, i.e. with midnight of that day. We
// keep the text and normalise midnight to the bare date, so plain string comparison with a
// 'YYYY-MM-DD' bound gives the same answer: '2026-08-11' <= '2026-08-11' but
// '2026-08-11T10:00:00' > '2026-08-11'.

const TS = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Normalise a driver timestamp for comparison; null stays null. Unrecognised text is returned trimmed. */
export function normTs(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // Drivers return text; a Date would be a driver misconfiguration. Read it in UTC.
    return normTs(value.toISOString().replace('Z', ''));
  }
  const s = typeof value === 'string' ? value : String(value);
  // Fast path: already a bare date or a driver timestamp at midnight (the common cases).
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) return s;
  if (s.length === 19 && s.endsWith('T00:00:00') && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) return s.slice(0, 10);
  const m = TS.exec(s.trim());
  if (!m) return s.trim();
  const time = m[2];
  if (!time || /^00:00(?::00(?:\.0+)?)?$/.test(time)) return m[1]!;
  return `${m[1]}T${time.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

/** The date part YYYY-MM-DD of a normalised timestamp (style 23). */
export function datePart(ts: string | null): string | null {
  return ts === null ? null : ts.slice(0, 10);
}

/** Add whole years to a normalised timestamp, keeping its time of day. */
export function addYearsTs(ts: string, n: number): string {
  const date = ts.slice(0, 10);
  if (!isIsoDate(date)) return ts;
  return addYears(date, n) + ts.slice(10);
}

/** start ≤ window end and (end is NULL or end ≥ window start). NULL start never overlaps. */
export function overlaps(start: string | null, end: string | null, w: ReportingWindow): boolean {
  return start !== null && start <= w.end && (end === null || end >= w.start);
}

/** value BETWEEN window start AND window end. */
export function inWindow(value: string | null, w: ReportingWindow): boolean {
  return value !== null && value >= w.start && value <= w.end;
}
