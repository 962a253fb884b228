// What the pg and PGlite drivers share: value parsers, notice and error mapping.
import { DbError, type DbMessage } from './types';

export const PG_OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** '2024-01-02 03:04:05.123' → '2024-01-02T03:04:05.123' (no zone shift). */
export function parseTimestamp(text: string): string {
  return text.replace(' ', 'T');
}

export function parseTimestamptz(text: string): string {
  const d = new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

export const pgParsers: Record<number, (text: string) => unknown> = {
  [PG_OID.int8]: parseInt8,
  [PG_OID.date]: (t) => t,
  [PG_OID.timestamp]: parseTimestamp,
  [PG_OID.timestamptz]: parseTimestamptz,
};

/** Line (1-based) within sql of a 1-based character position. */
export function lineOfPosition(sql: string, position: number): number {
  let line = 1;
  const end = Math.min(position - 1, sql.length);
  for (let i = 0; i < end; i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}

interface PgNoticeLike {
  message?: string;
  severity?: string;
  code?: string;
  position?: string;
  where?: string;
}

export function noticeToMessage(n: PgNoticeLike, sql?: string): DbMessage {
  const sev = (n.severity ?? 'NOTICE').toUpperCase();
  const kind: DbMessage['kind'] = sev === 'WARNING' ? 'warning' : sev === 'INFO' || sev === 'LOG' ? 'info' : 'notice';
  const m: DbMessage = { kind, text: n.message ?? '' };
  if (n.code) m.code = n.code;
  if (n.position && sql) m.line = lineOfPosition(sql, Number(n.position));
  return m;
}

/** Turn a pg/PGlite error into a DbError; the message keeps the server's words plus hint/detail. */
export function toDbError(err: unknown, sql?: string): DbError {
  if (err instanceof DbError) return err;
  const e = err as PgNoticeLike & { message?: string; hint?: string; detail?: string; internalPosition?: string };
  const pos = e.position ? Number(e.position) : undefined;
  const details: DbError['details'] = {};
  if (e.code) details.code = e.code;
  if (pos && Number.isFinite(pos)) {
    details.position = pos;
    if (sql) details.line = lineOfPosition(sql, pos);
  }
  if (e.code === '57014') details.cancelled = true;
  let msg = e.message ?? String(err);
  if (e.detail) msg += ` (${e.detail})`;
  if (e.hint) msg += ` Hint: ${e.hint}`;
  return new DbError(msg, details, { cause: err });
}
