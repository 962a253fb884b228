// Apply the staging lifecycle to a stream of built children.
//
// Children arrive as an async iterable (the builder's streamChildPayloads, or hand-made values in
// tests). They are taken in batches; each batch is one transaction that reads the batch's existing
// rows (one query), writes multi-row inserts and updates, and records the batch's person ids in the
// run's work table (a temporary table on the run's own session, runMarks.ts: the batches are
// written on that session, the builder reads on the pool). When the stream ends, rows whose person id was not recorded by this run are the
// children who left the cohort; they are found and marked page by page (set-based anti-join, so the
// staging table is never held in memory). Killing the process at any moment therefore leaves every
// row in its old or its new state: each batch commits whole or not at all, and a later run
// recomputes everything from the SSD tables.
import { randomUUID } from 'node:crypto';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { DIALECTS, limitClause, quoteIdent } from '../db/dialect';
import { CancelledError, ConnectionError, type Db, type Dialect, type Queryable } from '../db/types';
import type { BuiltChild, PayloadProblem } from '../payload/types';
import { silentLogger, type Logger } from '../log';
import { decideChild, decideGone, prepareChildFromText, type ExistingRow, type GoneRow, type PreparedChild, type RowWrite } from './lifecycle';
import { compactJson, payloadHashHex } from './canonicalJson';
import { ensureStagingTable, type StagingTableInfo } from './stagingTable';
import { validationStamp } from '../payload/validatePayload';
import { openRunMarks, type RunMarks } from './runMarks';

/** A row of staging_select_gone (a staged child not in this run's cohort) as the drivers return it. */
export interface GoneDbRow {
  id: number | string;
  person_id: string;
  legacy_id: string | null;
  current_hash: string | null;
  row_state: string | null;
  submission_status: string | null;
  api_response: string | null;
  acknowledged: number | boolean;
  previous_json_payload: string | null;
}

/** A row of staging_select_gone as decideGone reads it (the staging run and the safety stop's count read the same rows). */
export function goneRowOf(r: GoneDbRow): GoneRow {
  return {
    id: r.id,
    personId: r.person_id,
    legacyId: r.legacy_id,
    currentHash: r.current_hash,
    rowState: r.row_state,
    submissionStatus: r.submission_status,
    apiResponse: r.api_response,
    acknowledged: Number(r.acknowledged) === 1 || r.acknowledged === true,
    previousJson: r.previous_json_payload,
  };
}

export interface StageOptions {
  schema?: string;
  table?: string;
  /** Compute partial payloads (D10–D12) into partial_json_payload. */
  partial?: boolean;
  /** Leave entity ids out of the change hash (D6 setting hashIgnoresEntityIds). */
  hashIgnoresEntityIds?: boolean;
  /** Children per transaction (default 1000). */
  batchSize?: number;
  /**
   * Children read, decided and written at a time inside a batch's transaction (default PART_SIZE,
   * 250), on PostgreSQL, whose run session is a connection of its own; elsewhere a batch is one part.
   */
  partSize?: number;
  /** Stop between batches; a cancelled run leaves committed batches in place and no partial batch. */
  signal?: AbortSignal;
  /** Allow an empty cohort to mark every row Deleted (off: an empty cohort is refused as a safety stop). */
  allowEmptyCohort?: boolean;
  logger?: Logger;
  /** Called after each committed batch (children so far). */
  onProgress?: (p: { children: number }) => void;
  /**
   * Called once the staging table is ready and before anything is written to it: the safety stop
   * (safetyStop.ts) decides here, and throws to stop the run with no row changed. `marks` is the
   * run's work table and its session (the planning pass uses them).
   */
  beforeWrite?: (info: StagingTableInfo, marks: RunMarks) => Promise<void>;
}

export interface ChildIssue {
  personId: string;
  rule: string;
  path: string;
  /** The problem's text (rule and constraint, never a value of the child's data). */
  message?: string;
}

export interface StageReport {
  schema: string;
  table: string;
  tableCreated: boolean;
  partial: boolean;
  hashIgnoresEntityIds: boolean;
  /** Children the builder produced (in the cohort). */
  cohort: number;
  new: number;
  updated: number;
  unchanged: number;
  /** Rows newly marked Deleted this run (left the cohort). */
  deleted: number;
  /** Of those, rows queued with a deletion payload (acknowledged before, D7). */
  deletionPayloads: number;
  /** Cohort children whose payload has errors: staged as Withheld, kept out of the send queue. */
  invalid: number;
  /** Rows an earlier version held back as Error (invalid, or left before any acknowledgement) converted to Withheld by this run. */
  withheldConverted: number;
  /** Cohort children with warnings only. */
  warnings: number;
  /** Cohort children that could not be staged at all (e.g. person_id longer than an existing table's column). */
  notStaged: number;
  /** First error of each invalid / not-staged child (ids only). */
  invalidChildren: ChildIssue[];
  /** First warning of each child with warnings (ids only). */
  warningChildren: ChildIssue[];
  seconds: number;
}

/** A cohort child as a staging batch holds it: ids and, when it can be staged, its hash and text (no payload objects). */
interface Held {
  c: Pick<BuiltChild, 'personId' | 'withSchemaValidation'>;
  p?: PreparedChild;
}

function firstIssue(personId: string, problems: readonly PayloadProblem[], severity: 'error' | 'warning'): ChildIssue | undefined {
  const p = problems.find((x) => x.severity === severity);
  return p ? { personId, rule: p.rule, path: p.path, message: p.message } : undefined;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Placeholder rows "($1,$2,…),($k,…)" for SQL Server VALUES, starting after `offset` parameters. */
function valuesPlaceholders(rows: number, cols: number, offset = 0): string {
  const out: string[] = [];
  let n = offset;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(`$${++n}`);
    out.push(`(${cells.join(',')})`);
  }
  return out.join(',');
}

/** Placeholders "$1,$2,…" of an IN list of n values. */
function listPlaceholders(n: number): string {
  return Array.from({ length: n }, (_, i) => `$${i + 1}`).join(',');
}

/**
 * Run a many-row write: one array parameter per column ('arrays'), VALUES lists of placeholder rows
 * ('values', {{values}} filled), or the one-row statement once per row in one round trip ('many').
 * `fill` gives the statement's text, with {{values}} when asked.
 */
export async function writeRows(tx: Queryable, fill: (values?: string) => string, rows: unknown[][], cols: number, offset: readonly unknown[] = []): Promise<void> {
  if (!rows.length) return;
  const rules = DIALECTS[tx.dialect];
  if (rules.rowBinding === 'arrays') {
    const columns = Array.from({ length: cols }, (_, c) => rows.map((r) => r[c]));
    await tx.execute(fill(), [...offset, ...columns]);
    return;
  }
  if (rules.rowBinding === 'many') {
    const all = rows.map((r) => [...offset, ...r]);
    if (tx.executeMany) await tx.executeMany(fill(), all);
    else for (const r of all) await tx.execute(fill(), r);
    return;
  }
  for (const part of chunks(rows, Math.floor((rules.maxListParams - offset.length) / cols))) {
    const params = part.flat().map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    await tx.execute(fill(valuesPlaceholders(part.length, cols, offset.length)), [...offset, ...params]);
  }
}

/**
 * A query over a list of values (person ids): one array parameter ('arrays'), or IN lists of
 * placeholders of at most the dialect's list size, {{ids}} filled.
 */
export async function queryList<R>(q: Queryable, fill: (ids?: string) => string, values: string[]): Promise<R[]> {
  if (!values.length) return [];
  const rules = DIALECTS[q.dialect];
  if (rules.rowBinding === 'arrays') return q.query<R>(fill(), [values]);
  const out: R[] = [];
  for (const part of chunks(values, rules.maxListParams)) out.push(...(await q.query<R>(fill(listPlaceholders(part.length)), part)));
  return out;
}

/** The SQL of one staging table, filled once per run. */
export class StagingSql {
  readonly d: Dialect;
  /** `marks`: the run's work table (RunMarks.table), for the statements that name it. */
  constructor(
    private readonly info: StagingTableInfo,
    dialect: Dialect,
    private readonly partial: boolean,
    private readonly marks = '',
  ) {
    this.d = dialect;
  }

  get hasStamp(): boolean {
    return this.info.hasStamp;
  }

  private ids(extra: Record<string, string> = {}): Record<string, string> {
    const q = (c: string) => quoteIdent(this.d, c);
    const legacy = this.info.hasLegacyId;
    const bit = this.d === 'postgres' ? '' : ' = 1';
    // Oracle runs the one-row statement per row (executeMany): its values are placeholders, not v.….
    const many = DIALECTS[this.d].rowBinding === 'many';
    const v = (column: string, param: number) => (many ? `$${param}` : `v.${column}`);
    return {
      table: this.info.qualified,
      marks: this.marks,
      jsonCast: this.info.jsonColumns ? '::jsonb' : '',
      legacyColumn: legacy ? `${q('legacy_id')}, ` : '',
      legacyValue: legacy ? `${v('legacy_id', 2)}, ` : '',
      legacySet: legacy ? `${many ? 's.' : ''}${q('legacy_id')} = CASE WHEN ${v('set_legacy', 2)}${bit} THEN ${v('legacy_id', 3)} ELSE s.${q('legacy_id')} END,\n    ` : '',
      legacySelect: legacy ? `s.${q('legacy_id')}` : 'NULL',
      stampColumn: this.info.hasStamp ? `${q('validation_stamp')}, ` : '',
      stampValue: this.info.hasStamp ? `${v('validation_stamp', 9)}, ` : '',
      stampSet: this.info.hasStamp ? `${many ? 's.' : ''}${q('validation_stamp')} = ${v('validation_stamp', 10)},\n    ` : '',
      stampAlias: this.info.hasStamp ? ', validation_stamp' : '',
      stampParam9: this.info.hasStamp ? ', $9::text[]' : '',
      stampParam10: this.info.hasStamp ? ', $10::text[]' : '',
      stampSelect: this.info.hasStamp ? `, s.${q('validation_stamp')} AS validation_stamp` : ', NULL AS validation_stamp',
      partialColumns: this.partial
        ? this.d === 'postgres'
          ? ', CAST(s."previous_json_payload" AS TEXT) AS previous_json, CAST(s."partial_json_payload" AS TEXT) AS partial_json'
          : // SQL Server NVARCHAR(MAX), Oracle CLOB (the driver reads CLOBs as text).
            `, s.${q('previous_json_payload')} AS previous_json, s.${q('partial_json_payload')} AS partial_json`
        : '',
      ...extra,
    };
  }

  fill(name: string, extra?: Record<string, string>): string {
    return fillIdentifiers(loadSql(this.d, name), this.ids(extra));
  }
}

interface ExistingDbRow {
  id: number | string;
  person_id: string;
  current_hash: string | null;
  row_state: string | null;
  submission_status: string | null;
  api_response: string | null;
  acknowledged: number | boolean;
  validation_stamp?: string | null;
  previous_json?: string | null;
  partial_json?: string | null;
}

async function readExisting(tx: Queryable, sql: StagingSql, personIds: string[], partial: boolean, stamps?: Map<string, string | null>): Promise<Map<string, ExistingRow>> {
  const out = new Map<string, ExistingRow>();
  if (!personIds.length) return out;
  {
    const rows = await queryList<ExistingDbRow>(tx, (ids) => sql.fill('staging_select_existing', ids === undefined ? {} : { ids }), personIds);
    for (const r of rows) {
      const row: ExistingRow = {
        id: r.id,
        personId: r.person_id,
        currentHash: r.current_hash,
        rowState: r.row_state,
        submissionStatus: r.submission_status,
        apiResponse: r.api_response,
        acknowledged: Number(r.acknowledged) === 1 || r.acknowledged === true,
      };
      if (partial) {
        row.previousJson = r.previous_json ?? null;
        row.partialJson = r.partial_json ?? null;
      }
      out.set(r.person_id, row);
      stamps?.set(r.person_id, r.validation_stamp ?? null);
    }
  }
  return out;
}

/**
 * Write the decisions of a batch. `stamps`: the validation stamp of an insert or full write whose
 * payload passed schema validation with no problem (any other row gets NULL); `stampOnly`: rows
 * whose payload is unchanged and passed, whose stamp is missing or stale (only when the table has
 * the column).
 */
async function applyWrites(tx: Queryable, sql: StagingSql, writes: RowWrite[], stamps?: Map<RowWrite, string>, stampOnly: Array<[number | string, string]> = []): Promise<void> {
  const inserts = writes.filter((w): w is Extract<RowWrite, { kind: 'insert' }> => w.kind === 'insert');
  const fulls = writes.filter((w): w is Extract<RowWrite, { kind: 'full' }> => w.kind === 'full');
  const metas = writes.filter((w): w is Extract<RowWrite, { kind: 'meta' }> => w.kind === 'meta');
  const insertRow = (w: (typeof inserts)[number]) => [w.personId, w.legacyId, w.jsonPayload, w.partialPayload, w.currentHash, w.submissionStatus, w.apiResponse, w.rowState, ...stampCell(w)];
  const fullRow = (w: (typeof fulls)[number]) => [w.id, w.setLegacy, w.legacyId, w.jsonPayload, w.partialPayload, w.currentHash, w.submissionStatus, w.apiResponse, w.rowState, ...stampCell(w)];
  // The stamp is a parameter only when the table has the column.
  const stampCell = (w: RowWrite): Array<string | null> => (sql.hasStamp ? [stamps?.get(w) ?? null] : []);
  const metaRow = (w: (typeof metas)[number]) => [w.id, w.submissionStatus, w.apiResponse, w.setPartial, w.partialPayload, w.rowState];
  const run = (name: string, rows: unknown[][], cols: number) => writeRows(tx, (values) => sql.fill(name, values === undefined ? {} : { values }), rows, cols);
  await run('staging_insert', inserts.map(insertRow), sql.hasStamp ? 9 : 8);
  await run('staging_update_full', fulls.map(fullRow), sql.hasStamp ? 10 : 9);
  if (DIALECTS[sql.d].rowBinding === 'many') {
    // Oracle: rows that write their partial payload and rows that keep it, in two statements
    // (sql/oracle/staging_update_meta.sql says why).
    for (const setPartial of [true, false]) {
      const part = metas.filter((w) => !!w.setPartial === setPartial).map(metaRow);
      await writeRows(tx, () => sql.fill('staging_update_meta', { partialSet: setPartial ? 's.partial_json_payload = $5,' : '' }), part, 6);
    }
  } else {
    await run('staging_update_meta', metas.map(metaRow), 6);
  }
  if (sql.hasStamp) await run('staging_update_stamp', stampOnly, 2);
}

export async function markSeen(tx: Queryable, sql: StagingSql, runId: string, personIds: string[]): Promise<void> {
  if (!personIds.length) return;
  // PostgreSQL: $1 the run id, $2 the ids as one array; SQL Server: a VALUES row per id after $1;
  // Oracle: ($1, $2) once per id.
  if (DIALECTS[tx.dialect].rowBinding === 'arrays') {
    await tx.execute(sql.fill('staging_marks_insert'), [runId, personIds]);
    return;
  }
  await writeRows(
    tx,
    (values) => sql.fill('staging_marks_insert', values === undefined ? {} : { values }),
    personIds.map((p) => [p]),
    1,
    [runId],
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('staging cancelled: batches committed so far are kept; run again to finish');
}

function range(n: number): string {
  return n === 1 ? '1' : `1–${n}`;
}

/** "batches 1–12 committed (600 children), batch 13 rolled back; no child was marked Deleted; …" */
export function committedSoFar(d: { batches: number; children: number; inBatch: number; pages: number; inPage: number; deleting: boolean }): string {
  const parts: string[] = [];
  parts.push(d.batches ? `staging batches ${range(d.batches)} committed (${d.children.toLocaleString('en-GB')} children)` : 'no staging batch committed');
  if (d.inBatch) parts.push(`batch ${d.inBatch} rolled back`);
  if (!d.deleting) parts.push('no child was marked Deleted');
  else {
    parts.push(d.pages ? `pages ${range(d.pages)} of children who left committed` : 'no child who left was marked Deleted yet');
    if (d.inPage) parts.push(`page ${d.inPage} rolled back`);
  }
  return `${parts.join(', ')}; run it again to finish`;
}

/**
 * Children per part of a batch (issue 17): a part is read, decided and written in the batch's
 * transaction soon after the builder has made it, so its children are let go after about one
 * young-generation collection instead of being promoted with the whole batch (with parts and
 * held text, promotion at 100k children fell from about 250 MB to about 150 MB). 250 rather than
 * 100: a quarter of the round trips (each part reads its rows and marks its ids), the same peak
 * RSS, and no more CPU in two runs each at 100k children (docs/performance.md).
 */
export const PART_SIZE = 250;
/** Children between two turns of the event loop given to the batch's transaction (see PART_SIZE). */
const YIELD_EVERY = 20;

/**
 * The parts of one batch, from the builder to the batch's transaction: at most two wait (the
 * builder waits for the transaction beyond that, so memory stays bounded); close() ends the batch,
 * fail() ends it with an error (the transaction rolls back, and a waiting builder goes on to see it).
 */
class PartQueue {
  private readonly parts: Held[][] = [];
  private closed = false;
  private failed: { error: unknown } | undefined;
  private wakeTaker: (() => void) | undefined;
  private wakePutter: (() => void) | undefined;

  async put(part: Held[]): Promise<void> {
    if (this.failed || this.closed) return;
    this.parts.push(part);
    this.wake();
    while (this.parts.length > 2 && !this.failed) await new Promise<void>((r) => (this.wakePutter = r));
  }

  /** The next part, null once closed and empty; throws when failed. */
  async take(): Promise<Held[] | null> {
    for (;;) {
      if (this.failed) throw this.failed.error;
      const next = this.parts.shift();
      if (next) {
        this.wake();
        return next;
      }
      if (this.closed) return null;
      await new Promise<void>((r) => (this.wakeTaker = r));
    }
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failed ??= { error };
    this.parts.length = 0;
    this.wake();
  }

  private wake(): void {
    const t = this.wakeTaker;
    const p = this.wakePutter;
    this.wakeTaker = undefined;
    this.wakePutter = undefined;
    t?.();
    p?.();
  }
}

/**
 * Stage a stream of built children into the staging table. `children` must give each person once.
 * Returns the counts of the run.
 */
export async function stageChildren(db: Db, children: AsyncIterable<BuiltChild>, options: StageOptions = {}): Promise<StageReport> {
  const started = performance.now();
  const log = options.logger ?? silentLogger;
  const partial = options.partial ?? false;
  const hashIgnoresEntityIds = options.hashIgnoresEntityIds ?? false;
  throwIfAborted(options.signal);
  const info = await ensureStagingTable(db, { schema: options.schema, table: options.table });
  if (info.created) log.info(`created ${info.schema}.${info.table}`);
  const runId = randomUUID();
  const report: StageReport = {
    schema: info.schema,
    table: info.table,
    tableCreated: info.created,
    partial,
    hashIgnoresEntityIds,
    cohort: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    deletionPayloads: 0,
    invalid: 0,
    withheldConverted: 0,
    warnings: 0,
    notStaged: 0,
    invalidChildren: [],
    warningChildren: [],
    seconds: 0,
  };
  // The run's work table, on a session of its own: every write below goes through that session.
  const marks = await openRunMarks(db, info.schema);
  const work = marks.db;
  const sql = new StagingSql(info, db.dialect, partial, marks.table);
  try {
    return await stageWithMarks(db, work, marks, info, sql, runId, report, children, options, started);
  } finally {
    await marks.close();
  }
}

async function stageWithMarks(
  db: Db,
  work: Db,
  marks: RunMarks,
  info: StagingTableInfo,
  sql: StagingSql,
  runId: string,
  report: StageReport,
  children: AsyncIterable<BuiltChild>,
  options: StageOptions,
  started: number,
): Promise<StageReport> {
  const log = options.logger ?? silentLogger;
  const partial = options.partial ?? false;
  const hashIgnoresEntityIds = options.hashIgnoresEntityIds ?? false;
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  // Rows held back as Error by earlier versions become Withheld (counted in the report).
  report.withheldConverted = await db.execute(sql.fill('staging_convert_withheld'));

  // What is committed so far, for the one line a lost connection ends with.
  const done = { batches: 0, children: 0, inBatch: 0, pages: 0, inPage: 0, deleting: false };
  const seenInBatch = new Set<string>();
  let previousId: string | undefined;
  // Each child as it arrives: its hash (to compare with its row) and its stored text; too long to
  // stage: no p. The payload's objects are not kept (prepareChildFromText, issue 17): a batch
  // holds its children until its rows are read, and held as objects they were promoted to the
  // old generation, whose garbage then set the process's peak.
  const hold = (c: BuiltChild): Held => {
    const tooLong =
      (info.personIdMax !== null && c.personId.length > info.personIdMax) || (info.hasLegacyId && info.legacyIdMax !== null && c.legacyId !== null && c.legacyId.length > info.legacyIdMax);
    const slim = { personId: c.personId, withSchemaValidation: c.withSchemaValidation };
    if (tooLong) return { c: slim };
    return { c: slim, p: prepareChildFromText(c, compactJson(c.payload), payloadHashHex(c.payload, { ignoreEntityIds: hashIgnoresEntityIds })) };
  };
  // Stamps prove a hash only when the hash covers the whole payload (not with hashIgnoresEntityIds).
  const stamping = sql.hasStamp && !hashIgnoresEntityIds;

  /** Decide one part of a batch and write it, in the batch's transaction: the part's rows read in one query. */
  const decidePart = async (tx: Queryable, entries: Held[]) => {
    const ids = entries.map((e) => e.c.personId);
    const rowStamps = new Map<string, string | null>();
    const existing = await readExisting(
      tx,
      sql,
      entries.flatMap((e) => (e.p ? [e.p.personId] : [])),
      partial,
      rowStamps,
    );
    const writes: RowWrite[] = [];
    const writeStamps = new Map<RowWrite, string>();
    const stampOnly: Array<[number | string, string]> = [];
    for (const { c, p } of entries) {
      report.cohort++;
      if (!p) {
        report.notStaged++;
        report.invalidChildren.push({ personId: c.personId, rule: 'staging-column-length', path: '' });
        continue;
      }
      const row = existing.get(p.personId);
      // Deferred schema validation (issue 17): skipped only when the row holds this very payload
      // (same hash) and the stamp that it passed this validation with no problem, which proves
      // the schema's problems are none; otherwise validated now. A child that came validated (or
      // hand-made) gets no stamp.
      let stamp: string | null = null;
      if (c.withSchemaValidation) {
        stamp = stamping ? validationStamp(p.hashHex) : null;
        const proven = stamp !== null && row !== undefined && (row.currentHash ?? '').toLowerCase() === p.hashHex && rowStamps.get(p.personId) === stamp;
        if (!proven) {
          p.problems = c.withSchemaValidation(p.payload);
          p.valid = !p.problems.some((x) => x.severity === 'error');
        }
      }
      if (!p.valid) {
        report.invalid++;
        const i = firstIssue(c.personId, p.problems, 'error');
        if (i) report.invalidChildren.push(i);
      } else if (p.problems.length) {
        report.warnings++;
        const i = firstIssue(c.personId, p.problems, 'warning');
        if (i) report.warningChildren.push(i);
      }
      const d = decideChild(p, row, { partial });
      report[d.outcome]++;
      if (d.write) writes.push(d.write);
      if (stamp === null || !p.valid) continue;
      if (d.write && (d.write.kind === 'insert' || d.write.kind === 'full')) writeStamps.set(d.write, stamp);
      else if (row && rowStamps.get(p.personId) !== stamp) stampOnly.push([row.id, stamp]);
    }
    // The children are no longer needed (the writes hold the texts to store): let them go before
    // the round trips of the writes.
    entries.length = 0;
    await applyWrites(tx, sql, writes, writeStamps, stampOnly);
    // Every cohort child is recorded, staged or not, so that none is taken for a deletion.
    await markSeen(tx, sql, runId, ids);
  };

  // The pipeline (issue 17). A batch of up to batchSize children is one transaction on the run's
  // session. On PostgreSQL (the session is a connection of its own) the transaction opens with the
  // batch's first part and takes the batch in parts of PART_SIZE children as the builder makes
  // them (read the part's rows, decide, write, mark seen), so a child is held only until its part
  // is decided: held until the whole batch was built, children outlived two young-generation
  // collections and were promoted, and the old generation's garbage set the process's peak RSS.
  // Elsewhere the batch is handed over whole, as before: on PGlite and the SQL Server extension's
  // shared connection the session is the builder's own connection, and a transaction must not
  // wait for the builder's reads; SQL Server and Oracle drivers with sessions of their own could
  // take parts too, but that path cannot be measured here yet.
  // Either way a batch commits whole or not at all, a second batch is not sent before the first
  // has committed (batches commit in order), and the builder reads and builds while a batch is
  // written; a failed batch stops the run at the next part (or at the end).
  const inParts = work !== db && db.kind === 'postgres';
  const partSize = inParts ? Math.min(batchSize, Math.max(1, options.partSize ?? PART_SIZE)) : batchSize;
  let open: { parts: PartQueue; count: number } | undefined;
  let inFlight: Promise<void> | undefined;
  let inFlightError: { error: unknown } | undefined;
  const settle = async () => {
    if (inFlight) {
      await inFlight;
      inFlight = undefined;
    }
    if (inFlightError) throw inFlightError.error;
  };
  /** Hand a part to the open batch, opening it (after the previous batch committed) when none is. */
  const sendPart = async (part: Held[]) => {
    if (!open) {
      await settle();
      // A cancel stops the run before a batch starts, or (the builder checks after each child)
      // rolls back the open batch; a batch handed over whole is written whole.
      throwIfAborted(options.signal);
      const parts = new PartQueue();
      const batch = { parts, count: 0 };
      open = batch;
      done.inBatch = done.batches + 1;
      inFlight = work
        .transaction(async (tx) => {
          for (let next = await parts.take(); next; next = await parts.take()) await decidePart(tx, next);
        })
        .then(
          () => {
            done.batches++;
            done.children += batch.count;
            done.inBatch = 0;
            options.onProgress?.({ children: report.cohort });
          },
          (error: unknown) => {
            inFlightError = { error };
            parts.fail(error);
          },
        );
    }
    open.count += part.length;
    await open.parts.put(part);
    if (inFlightError) throw inFlightError.error;
  };
  /** No more parts for the open batch: it commits once its parts are written. */
  const closeBatch = () => {
    open?.parts.close();
    open = undefined;
  };

  let part: Held[] = [];
  let inBatch = 0;
  try {
    await options.beforeWrite?.(info, marks);
    for await (const child of children) {
      if (inFlightError) throw inFlightError.error;
      if (seenInBatch.has(child.personId) || child.personId === previousId) {
        throw new Error(`the payload builder produced person id ${child.personId} twice`);
      }
      seenInBatch.add(child.personId);
      part.push(hold(child));
      inBatch++;
      // Let the batch's transaction take its turn: the builder otherwise yields to the event loop
      // only when it waits for rows (once a read of 1,000 rows), and each of the part's round
      // trips needs a turn; without this a part waited several reads and was promoted after all.
      if (partSize < batchSize && inBatch % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
      if (part.length >= partSize || inBatch >= batchSize) {
        const last = part[part.length - 1]!.c.personId;
        // sendPart keeps the array it is given (the transaction empties it once decided).
        await sendPart(part);
        part = [];
        if (inBatch >= batchSize) {
          closeBatch();
          inBatch = 0;
          previousId = last;
          seenInBatch.clear();
        }
      }
      throwIfAborted(options.signal);
    }
    if (part.length) await sendPart(part);
    part = [];
    closeBatch();
    await settle();

    // Children who left the cohort.
    if (report.cohort === 0 && !options.allowEmptyCohort) {
      // "Not Deleted" without COALESCE(row_state, ''): Oracle stores '' as NULL.
      const one = limitClause(db.dialect, 1);
      const live = await db.query(fillIdentifiers(`SELECT ${one.top}1 AS one FROM {{table}} WHERE row_state IS NULL OR LOWER(row_state) <> 'deleted'${one.limit}`, { table: info.qualified }));
      if (live.length) {
        throw new Error(
          'the cohort is empty but the staging table has live rows: refusing to mark every child Deleted ' +
            '(check the SSD tables and the as-of date; pass allowEmptyCohort / --allow-empty-cohort if this is really so)',
        );
      }
    }
    // Fresh statistics on the work table, or the planner may take it for empty and scan it once per
    // staging row in the anti-join below.
    const analyze = DIALECTS[db.dialect].refreshStatistics(marks.table);
    if (analyze) {
      await work.execute(analyze).catch((e: unknown) => log.debug(`could not refresh statistics of the work table: ${e instanceof Error ? e.message : String(e)}`));
    }
    let lastId: number | string = 0;
    const pageSize = 500;
    done.deleting = true;
    for (;;) {
      throwIfAborted(options.signal);
      done.inPage = done.pages + 1;
      const more = await work.transaction(async (tx) => {
        const rows = await tx.query<GoneDbRow>(sql.fill('staging_select_gone'), [runId, lastId, pageSize]);
        const writes: RowWrite[] = [];
        for (const r of rows) {
          const gone = goneRowOf(r);
          const d = decideGone(gone, { partial, hashIgnoresEntityIds });
          if (d.outcome === 'deleted-purge') {
            report.deleted++;
            report.deletionPayloads++;
          } else if (d.outcome === 'deleted') report.deleted++;
          if (d.write) writes.push(d.write);
        }
        await applyWrites(tx, sql, writes);
        if (rows.length) lastId = rows[rows.length - 1]!.id;
        return rows.length === pageSize;
      });
      done.pages++;
      done.inPage = 0;
      if (!more) break;
    }
  } catch (e) {
    // A batch still open is rolled back; one still being written settles first, so the counts
    // below say what is committed.
    open?.parts.fail(e);
    open = undefined;
    if (inFlight) await inFlight;
    const err = inFlightError && !(e instanceof ConnectionError) ? inFlightError.error : e;
    if (err instanceof ConnectionError) throw new ConnectionError(`${err.message}; ${committedSoFar(done)}`, { cause: err });
    throw err;
  }
  report.seconds = (performance.now() - started) / 1000;
  log.info(
    `staged ${report.cohort} children into ${info.schema}.${info.table}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted, ${report.invalid} invalid`,
  );
  return report;
}
