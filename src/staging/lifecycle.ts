// The staging row lifecycle of the payload contract, as pure decisions: given a built child and its
// existing staging row (if any), what to write. No database here; stageChildren applies the result.
//
//   child in cohort, no row                → insert New / Pending (Withheld when invalid)
//   row_state Deleted, child back          → Updated / Pending with the new payload (D8, re-entry)
//   hash differs                           → Updated / Pending with the new payload and hash
//   hash equal                             → untouched, except to bring the status in line with
//                                            validity (an invalid child's row says Withheld and why;
//                                            a row held back as invalid that is valid now goes Pending)
//                                            and, with partial payloads, to fill a missing partial
//   row whose child left the cohort        → see deletionDecision
// previous_json_payload / previous_hash are never written here (D9: only a successful send rotates them).
//
// Rows the build keeps out of the send queue (an invalid payload; a child who left before any
// acknowledgement) say submission_status = 'Withheld', never 'Error': the community Python and
// PowerShell senders select 'pending' and 'error' rows and would send them. api_response holds the
// reason (a JSON object starting {"stage":). Earlier versions wrote 'Error' for these rows; the
// next `ssd stage` converts them (staging_convert_withheld.sql).
import { computePartialPayload, deletionPayload, isDeletionPayload } from './partialPayload';
import { canonicalJson, compactJson, payloadHashHex } from './canonicalJson';
import type { PayloadProblem } from '../payload/types';

export const STATUS = { PENDING: 'Pending', SENT: 'Sent', ERROR: 'Error', WITHHELD: 'Withheld' } as const;
export const ROW_STATE = { NEW: 'New', UPDATED: 'Updated', UNCHANGED: 'Unchanged', DELETED: 'Deleted' } as const;

/** Status and row-state values are read case-insensitively (upstream senders write lower case). */
export function same(a: string | null | undefined, b: string): boolean {
  return (a ?? '').trim().toLowerCase() === b.toLowerCase();
}

/** The staging columns a decision needs, as read for one person. */
export interface ExistingRow {
  id: number | string;
  personId: string;
  /** current_hash as lower-case hex, or null. */
  currentHash: string | null;
  rowState: string | null;
  submissionStatus: string | null;
  apiResponse: string | null;
  /** previous_hash or previous_json_payload is not null: a send was acknowledged (D9). */
  acknowledged: boolean;
  /** Read only when partial payloads are on. */
  previousJson?: string | null;
  partialJson?: string | null;
}

/** A built child prepared for staging. */
export interface PreparedChild {
  personId: string;
  legacyId: string | null;
  payload: Record<string, unknown>;
  jsonText: string;
  hashHex: string;
  problems: PayloadProblem[];
  valid: boolean;
}

export interface PrepareOptions {
  hashIgnoresEntityIds?: boolean;
}

export function prepareChild(c: { personId: string; legacyId: string | null; payload: Record<string, unknown>; problems: PayloadProblem[] }, options: PrepareOptions = {}): PreparedChild {
  // The payload text is made only when a row is written (an unchanged child never needs it).
  let text: string | undefined;
  return {
    personId: c.personId,
    legacyId: c.legacyId,
    payload: c.payload,
    get jsonText() {
      return (text ??= compactJson(c.payload));
    },
    hashHex: payloadHashHex(c.payload, { ignoreEntityIds: options.hashIgnoresEntityIds }),
    problems: c.problems,
    valid: !c.problems.some((p) => p.severity === 'error'),
  };
}

/**
 * A child prepared for staging that holds its payload as its stored text only (issue 17): the text
 * (compact JSON, what json_payload stores) and the hash are made as the child arrives, and the
 * payload's objects are let go at once. A staging batch holds its children until its staging rows
 * are read; held as objects they outlived two young-generation collections and were promoted
 * (about 2.6 KB a child), which is what made the process's peak grow with the number of children.
 * `payload` parses the text again when it is asked for (partial payloads, validation): the payload
 * holds JSON values only (no undefined member, no non-finite number), so the parsed value is the
 * same data in the same key order.
 */
export function prepareChildFromText(c: { personId: string; legacyId: string | null; problems: PayloadProblem[] }, jsonText: string, hashHex: string): PreparedChild {
  return {
    personId: c.personId,
    legacyId: c.legacyId,
    get payload() {
      return JSON.parse(jsonText) as Record<string, unknown>;
    },
    jsonText,
    hashHex,
    problems: c.problems,
    valid: !c.problems.some((p) => p.severity === 'error'),
  };
}

/**
 * api_response text recording why the build held a row back. A JSON object whose "stage" member
 * names the reason, so senders and people can tell it from an API response.
 */
export function invalidRecord(problems: readonly PayloadProblem[]): string {
  const errors = problems
    .filter((p) => p.severity === 'error')
    .map((p) => {
      const o: Record<string, string> = { path: p.path, rule: p.rule, message: p.message };
      if (p.source) o.source = p.source;
      return o;
    });
  return JSON.stringify({ stage: 'invalid', problems: errors });
}

export const LEFT_COHORT_RECORD = JSON.stringify({ stage: 'left-cohort', message: 'left the cohort before the API acknowledged any payload: nothing to send' });

/**
 * Why a Withheld row is held back, in one line, from the record the build wrote in api_response
 * (rules and JSON paths only, never a value): "invalid: pattern at /la_child_id (and 1 more)" or
 * "left the cohort before any acknowledgement". Undefined when api_response is not such a record.
 */
export function withheldReason(apiResponse: string | null | undefined): string | undefined {
  if (!isBuildRecord(apiResponse)) return undefined;
  const rec = parseObject(apiResponse);
  if (!rec) return undefined;
  if (rec.stage === 'left-cohort') return 'left the cohort before any acknowledgement: nothing to send';
  if (rec.stage !== 'invalid') return undefined;
  const problems = Array.isArray(rec.problems) ? (rec.problems as Array<Record<string, unknown>>) : [];
  const first = problems[0];
  if (!first) return 'invalid payload';
  const rule = typeof first.rule === 'string' ? first.rule : 'rule';
  const path = typeof first.path === 'string' && first.path ? ` at ${first.path}` : '';
  return `invalid: ${rule}${path}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
}

/** Was this api_response written by the staging build (not by a sender)? */
export function isBuildRecord(apiResponse: string | null | undefined): boolean {
  return typeof apiResponse === 'string' && apiResponse.startsWith('{"stage":');
}

export type Outcome = 'new' | 'updated' | 'unchanged';

export type RowWrite =
  | {
      kind: 'insert';
      personId: string;
      legacyId: string | null;
      jsonPayload: string;
      partialPayload: string | null;
      currentHash: string;
      submissionStatus: string;
      apiResponse: string | null;
      rowState: string;
    }
  | {
      kind: 'full';
      id: number | string;
      setLegacy: boolean;
      legacyId: string | null;
      jsonPayload: string;
      partialPayload: string | null;
      currentHash: string;
      submissionStatus: string;
      apiResponse: string | null;
      rowState: string;
    }
  | { kind: 'meta'; id: number | string; submissionStatus: string; apiResponse: string | null; setPartial: boolean; partialPayload: string | null; rowState: string | null };

export interface Decision {
  outcome: Outcome;
  write: RowWrite | null;
}

function parseObject(text: string | null | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Same JSON value? Text first; then parsed (a JSON/JSONB column gives the text back reformatted). */
function sameJsonText(a: string, b: string | null): boolean {
  if (b === null) return false;
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

/** The partial payload text for a child, against the row's acknowledged payload (D10, D11). */
export function partialText(child: PreparedChild, row: ExistingRow | undefined): string {
  const ack = row && row.acknowledged ? parseObject(row.previousJson) : null;
  if (!ack || isDeletionPayload(ack)) return child.jsonText; // New, or back after an acknowledged purge: in full
  return JSON.stringify(computePartialPayload(child.payload, ack));
}

export interface DecideOptions {
  partial: boolean;
}

/** What to do for a child in the cohort. */
export function decideChild(child: PreparedChild, row: ExistingRow | undefined, options: DecideOptions): Decision {
  const status = child.valid ? STATUS.PENDING : STATUS.WITHHELD;
  if (!row) {
    return {
      outcome: 'new',
      write: {
        kind: 'insert',
        personId: child.personId,
        legacyId: child.legacyId,
        jsonPayload: child.jsonText,
        partialPayload: options.partial && child.valid ? child.jsonText : null,
        currentHash: child.hashHex,
        submissionStatus: status,
        apiResponse: child.valid ? null : invalidRecord(child.problems),
        rowState: ROW_STATE.NEW,
      },
    };
  }
  const reentry = same(row.rowState, ROW_STATE.DELETED);
  const changed = (row.currentHash ?? '').toLowerCase() !== child.hashHex;
  if (reentry || changed) {
    return {
      outcome: 'updated',
      write: {
        kind: 'full',
        id: row.id,
        setLegacy: true,
        legacyId: child.legacyId,
        jsonPayload: child.jsonText,
        partialPayload: options.partial && child.valid ? partialText(child, row) : null,
        currentHash: child.hashHex,
        submissionStatus: status,
        // A sender's last response is kept; a record of an earlier build is replaced.
        apiResponse: child.valid ? (isBuildRecord(row.apiResponse) ? null : row.apiResponse) : invalidRecord(child.problems),
        rowState: ROW_STATE.UPDATED,
      },
    };
  }
  // Same payload: untouched unless the status or the partial is out of line.
  if (!child.valid) {
    const record = invalidRecord(child.problems);
    if (same(row.submissionStatus, STATUS.WITHHELD) && row.apiResponse === record) return { outcome: 'unchanged', write: null };
    return { outcome: 'unchanged', write: { kind: 'meta', id: row.id, submissionStatus: STATUS.WITHHELD, apiResponse: record, setPartial: false, partialPayload: null, rowState: null } };
  }
  const heldBack = same(row.submissionStatus, STATUS.WITHHELD) || (same(row.submissionStatus, STATUS.ERROR) && isBuildRecord(row.apiResponse));
  const queued = !same(row.submissionStatus, STATUS.SENT);
  const wantPartial = options.partial && queued ? partialText(child, row) : undefined;
  const partialOff = wantPartial !== undefined && !sameJsonText(wantPartial, row.partialJson ?? null);
  if (!heldBack && !partialOff) return { outcome: 'unchanged', write: null };
  return {
    outcome: 'unchanged',
    write: {
      kind: 'meta',
      id: row.id,
      submissionStatus: heldBack ? STATUS.PENDING : (row.submissionStatus ?? STATUS.PENDING),
      apiResponse: heldBack ? null : row.apiResponse,
      setPartial: partialOff,
      partialPayload: wantPartial ?? null,
      rowState: null,
    },
  };
}

/** A staging row whose child is not in the cohort this run. */
export interface GoneRow {
  id: number | string;
  personId: string;
  legacyId: string | null;
  currentHash: string | null;
  rowState: string | null;
  submissionStatus: string | null;
  apiResponse: string | null;
  acknowledged: boolean;
  previousJson: string | null;
}

export type DeletionOutcome = 'deleted-purge' | 'deleted' | 'already-deleted';

/**
 * A row whose child left the cohort:
 *   - already Deleted, or its payload is already this child's deletion payload (sent and marked
 *     Unchanged by a sender) → untouched;
 *   - acknowledged by the API → Deleted / Pending with the deletion payload (D7);
 *   - never acknowledged → Deleted / Withheld with the reason (nothing was ever sent, so nothing to
 *     purge, and its old payload must not go out).
 */
export function decideGone(row: GoneRow, options: DecideOptions & PrepareOptions): { outcome: DeletionOutcome; write: RowWrite | null } {
  if (same(row.rowState, ROW_STATE.DELETED)) return { outcome: 'already-deleted', write: null };
  if (row.acknowledged) {
    const ack = parseObject(row.previousJson);
    const laChildId = typeof ack?.la_child_id === 'string' ? ack.la_child_id : row.personId;
    const mis = typeof ack?.mis_child_id === 'string' ? ack.mis_child_id : ack ? null : row.legacyId?.trim() || null;
    const del = deletionPayload({ la_child_id: laChildId, mis_child_id: mis });
    const hash = payloadHashHex(del, { ignoreEntityIds: options.hashIgnoresEntityIds });
    if ((row.currentHash ?? '').toLowerCase() === hash) return { outcome: 'already-deleted', write: null };
    const text = compactJson(del);
    return {
      outcome: 'deleted-purge',
      write: {
        kind: 'full',
        id: row.id,
        setLegacy: false,
        legacyId: null,
        jsonPayload: text,
        partialPayload: options.partial ? text : null,
        currentHash: hash,
        submissionStatus: STATUS.PENDING,
        apiResponse: isBuildRecord(row.apiResponse) ? null : row.apiResponse,
        rowState: ROW_STATE.DELETED,
      },
    };
  }
  return {
    outcome: 'deleted',
    write: { kind: 'meta', id: row.id, submissionStatus: STATUS.WITHHELD, apiResponse: LEFT_COHORT_RECORD, setPartial: false, partialPayload: null, rowState: ROW_STATE.DELETED },
  };
}
