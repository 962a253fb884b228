// Reporting window and the date arithmetic every payload rule uses. Pure string arithmetic on
// YYYY-MM-DD (and the drivers' 'YYYY-MM-DDTHH:MM:SS[.fff]' timestamps): no Date objects in local
// time, no time zones, so the same as-of date gives the same window on every machine. The as-of
// date rules themselves live in src/model/asOf.ts (re-exported here).
import type { ReportingWindow } from './types';
import { addYears, isIsoDate } from '../model/asOf';

export { addDays, addMonths, addYears, censusDates, isIsoDate, parseDateParts, reportingWindow } from '../model/asOf';

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
