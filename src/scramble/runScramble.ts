// `ssd scramble`: copy the SSD tables into another database or schema, scrambled (values.ts,
// policy.ts), then verify the copy (verify.ts) and compare `ssd check` on both (compare in the
// report). Streams the source in batches and writes them with bulkCopy (COPY FROM STDIN on pg,
// else parameterised multi-row inserts), and keeps the scan's set of identifying values in a
// temporary table of the copy's database behind a fixed-size filter (scanStore.ts), so memory
// stays flat in the number of children.
// Anything it wrote is dropped again when the copy or its verification fails. Never writes to the
// source. Pure core: no vscode.
import { randomUUID } from 'node:crypto';
import { bulkCopy, pgColumnTypes } from '../db/bulkInsert';
import { addNullableTextColumnSql, assertPorted, columnsSql, qualify, quoteIdent, tableExistsSql, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import { CancelledError, type Db, type Row } from '../db/types';
import { createSchemaIfMissingSql, createTableIfMissingSql } from '../ddl/generateDdl';
import { readCatalogue, type Catalogue } from '../check/introspect';
import { runChecks } from '../check/runChecks';
import type { CheckReport } from '../check/types';
import { findTable, tablesForSet, type SsdTableDef, type TableSet } from '../model/ssdModel';
import { silentLogger, type Logger } from '../log';
import { CHILD_COLUMN, CHILD_LOOKUP, NAME_KEY_COLUMN, SEX_COLUMN, linkTypeIsUpn, roleOf, type ColumnRole } from './policy';
import { NAME_PLACEHOLDERS, POSTCODE_PLACEHOLDERS, Scrambler, shiftDateText } from './values';
import { ScanStore } from './scanStore';
import { verifyCopy, type ScanResult } from './verify';

export const SCRAMBLE_RUNS_TABLE = 'ssd_workbench_scramble_runs';
export const DEFAULT_BATCH = 1000;
const CHILD_ALIAS = 'ssd_scramble_child';
declare const SSD_VERSION: string | undefined;

export interface ScrambleOptions {
  /** Schema of the source SSD tables (default: the source connection's default). */
  fromSchema?: string;
  /** Schema of the copy (default: the target connection's default). */
  toSchema?: string;
  /** The builder's 19 tables (api, default) or every SSD data table (all). */
  tables?: TableSet;
  /** The scramble key (32 random bytes from the key file). */
  key: Buffer;
  /** As-of date for the side-by-side `ssd check` (default today); null: skip the comparison. */
  asOf?: string | null;
  /** Rows per read and per insert batch (default DEFAULT_BATCH, 1000). */
  batchSize?: number;
  /** Set when source and target are known to be the same database (the CLI knows from the URL). */
  sameDatabase?: boolean;
  onProgress?: (p: { table: string; rows: number }) => void;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface TableCopy {
  table: string;
  rowsIn: number;
  rowsOut: number;
}

export interface RuleComparison {
  ruleId: string;
  severity: string;
  table: string;
  title: string;
  source: number;
  copy: number;
}

export interface ScrambleReport {
  ok: boolean;
  runId: string;
  from: { database: string; schema: string };
  to: { database: string; schema: string };
  tableSet: TableSet;
  keyFingerprint: string;
  tables: TableCopy[];
  /** Model tables of the set that the source does not have (nothing to copy). */
  missingInSource: string[];
  /** Source columns the scramble does not know: blanked (NULL) in the copy, as table.column. */
  unknownColumns: string[];
  /** Columns blanked as free text, as table.column (those present in the source). */
  blankedColumns: string[];
  createdTables: string[];
  scan: ScanResult;
  /** `ssd check` finding counts per rule, source and copy side by side (rules with a finding in either). */
  checks: RuleComparison[] | null;
  checkAsOf: string | null;
  /** Why the copy was dropped, when it was. */
  failure: string | null;
  seconds: number;
}

export class ScrambleRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScrambleRefusedError';
  }
}

interface ColumnPlan {
  /** Actual name in the source. */
  source: string;
  lower: string;
  /** Actual name in the copy. */
  target: string;
  role: ColumnRole | 'unknown';
  targetKind: string;
  targetType: string;
}

/** Identity of the database a connection is on: equal for two connections to the same database. */
export async function databaseIdentity(db: Db): Promise<string> {
  let base: string;
  try {
    const [r] = await db.query<{ db: string; server: string | null }>(loadSql(db.dialect, 'scramble_identity'));
    base = `${db.dialect}|${r?.db ?? ''}`;
    // The server's address as it sees itself, or better the cluster's / database's own id.
    try {
      const [c] = await db.query<{ cluster: string | null }>(loadSql(db.dialect, 'scramble_cluster'));
      return `${base}|${c?.cluster ?? r?.server ?? ''}`;
    } catch {
      return `${base}|${r?.server ?? ''}`;
    }
  } catch {
    return `${db.kind}|${db.description}`;
  }
}

async function isSameDatabase(a: Db, b: Db): Promise<boolean> {
  if (a === b) return true;
  // Each PGlite instance is its own database whatever the identity query says (they share a template).
  if (a.kind === 'pglite' || b.kind === 'pglite') return false;
  if (a.dialect !== b.dialect) return false;
  return (await databaseIdentity(a)) === (await databaseIdentity(b));
}

async function countRows(db: Db, schema: string, table: string): Promise<number> {
  const [r] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify(db.dialect, schema, table)}`);
  return Number(r?.n ?? 0);
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

/** Where the identifying values of the source go (the scan store; a ValueSet in tests). */
interface ValueSink {
  add(value: string): void;
}

/** Add the identifying values of a source row to the scan set. */
function collect(set: ValueSink, role: ColumnRole | 'unknown', v: string, row: Row, linkTypeCol: string | null): void {
  if (v.trim().length < 3) return;
  switch (role) {
    case 'id':
    case 'registration':
    case 'upn':
    case 'linkValue':
    case 'surname':
    case 'fullName':
      set.add(v);
      if (role === 'fullName') for (const p of v.trim().split(/\s+/)) if (p.length >= 3) set.add(p);
      if (role === 'linkValue' && linkTypeCol && linkTypeIsUpn(row[linkTypeCol])) set.add(v);
      break;
    case 'forename':
      if (!NAME_PLACEHOLDERS.has(v.trim().toUpperCase())) set.add(v);
      break;
    case 'postcode':
      if (!POSTCODE_PLACEHOLDERS.has(v.trim().toUpperCase())) {
        set.add(v);
        set.add(v.replace(/\s+/g, ''));
      }
      break;
    default:
      break;
  }
}

/** Dates of birth in the forms they could appear in text. */
function collectDob(set: ValueSink, v: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (!m) return;
  set.add(`${m[1]}-${m[2]}-${m[3]}`);
  set.add(`${m[3]}/${m[2]}/${m[1]}`);
}

const DOB_COLUMNS = new Set(['pers_dob', 'pers_expected_dob', 'moth_childs_dob']);

/** Make a scrambled copy, verify it and compare the checks; drops the copy again on failure. */
export async function runScramble(source: Db, target: Db, options: ScrambleOptions): Promise<ScrambleReport> {
  assertPorted(source.dialect, 'scramble');
  assertPorted(target.dialect, 'scramble');
  const t0 = performance.now();
  const log = options.logger ?? silentLogger;
  const fromSchema = validateIdentifier(options.fromSchema ?? source.defaultSchema, 'schema');
  const toSchema = validateIdentifier(options.toSchema ?? target.defaultSchema, 'schema');
  const tableSet: TableSet = options.tables ?? 'api';
  if (tableSet !== 'api' && tableSet !== 'all') throw new Error('tables must be api or all');
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batch size must be a positive whole number');
  const checkCancel = () => {
    if (options.signal?.aborted) throw new CancelledError();
  };

  const same = options.sameDatabase ?? (await isSameDatabase(source, target));
  if (same && fromSchema.toLowerCase() === toSchema.toLowerCase()) {
    throw new ScrambleRefusedError(`refusing to scramble schema ${fromSchema} onto itself: the copy must go to another schema (--to-schema) or another database (--to)`);
  }

  const scrambler = new Scrambler(options.key);
  const runId = randomUUID();
  const srcCat = await readCatalogue(source, fromSchema);
  const wanted = tablesForSet(tableSet);
  const tables = wanted.filter((t) => srcCat.tables.has(t.name));
  const missingInSource = wanted.filter((t) => !srcCat.tables.has(t.name)).map((t) => t.name);
  if (tables.length === 0) throw new ScrambleRefusedError(`schema ${fromSchema} of the source has none of the SSD tables to copy`);

  // The copy's tables must be empty: never mix a copy with other rows.
  let tgtCat = await readCatalogue(target, toSchema);
  const busy: string[] = [];
  for (const t of tables) {
    const info = tgtCat.tables.get(t.name);
    if (info) {
      const n = await countRows(target, toSchema, info.actual);
      if (n > 0) busy.push(`${t.name} (${n} rows)`);
    }
  }
  if (busy.length) throw new ScrambleRefusedError(`refusing to write the scrambled copy into schema ${toSchema}: ${busy.join(', ')} already hold rows. Choose an empty schema or database.`);

  const report: ScrambleReport = {
    ok: false,
    runId,
    from: { database: source.description, schema: fromSchema },
    to: { database: target.description, schema: toSchema },
    tableSet,
    keyFingerprint: scrambler.fingerprint(),
    tables: [],
    missingInSource,
    unknownColumns: [],
    blankedColumns: [],
    createdTables: [],
    scan: { cellsScanned: 0, valuesKnown: 0, survivors: [], coincidences: 0 },
    checks: null,
    checkAsOf: null,
    failure: null,
    seconds: 0,
  };

  // Columns of the source the catalogue could not use (odd names): not copied, named.
  const allCols = await source.query<{ table_name: string; column_name: string }>(columnsSql(source.dialect), [fromSchema]);
  for (const r of allCols) {
    const tn = r.table_name.toLowerCase();
    if (!tables.some((t) => t.name === tn)) continue;
    if (!srcCat.tables.get(tn)?.columns.has(r.column_name.toLowerCase())) report.unknownColumns.push(`${tn}.${r.column_name}`);
  }

  report.createdTables = await createCopyTables(target, toSchema, tables);
  const marker = qualify(target.dialect, toSchema, SCRAMBLE_RUNS_TABLE);
  let markerCreated = false;

  const dropWritten = async () => {
    for (const t of report.createdTables) {
      await target.execute(`DROP TABLE ${qualify(target.dialect, toSchema, t)}`).catch((e) => log.warn(`could not drop ${t}: ${(e as Error).message}`));
    }
    for (const t of tables) {
      if (report.createdTables.includes(t.name)) continue;
      const info = tgtCat.tables.get(t.name);
      if (info) await target.execute(`DELETE FROM ${qualify(target.dialect, toSchema, info.actual)}`).catch(() => undefined);
    }
    if (markerCreated) await target.execute(`DROP TABLE ${marker}`).catch(() => undefined);
    else await target.execute(`DELETE FROM ${marker} WHERE run_id = $1`, [runId]).catch(() => undefined);
  };

  let values: ScanStore | null = null;
  try {
    // Marker row first: a copy is recognisable as scrambled from its first row on.
    markerCreated = (await target.query(tableExistsSql(target.dialect), [toSchema, SCRAMBLE_RUNS_TABLE])).length === 0;
    await target.execute(fillIdentifiers(loadSql(target.dialect, 'scramble_runs_create'), { table: marker, objectName: `${toSchema}.${SCRAMBLE_RUNS_TABLE}` }));
    await target.execute(`INSERT INTO ${marker} (run_id, status, source_database, source_schema, table_set, key_fingerprint, rows_written, tool_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      runId,
      'running',
      source.description.slice(0, 400),
      fromSchema,
      tableSet,
      report.keyFingerprint,
      0,
      typeof SSD_VERSION === 'string' ? SSD_VERSION : 'dev',
    ]);

    // Unknown columns get a nullable text column in the copy, left NULL.
    tgtCat = await readCatalogue(target, toSchema);
    for (const t of tables) {
      const src = srcCat.tables.get(t.name)!;
      const tgt = tgtCat.tables.get(t.name)!;
      for (const c of src.columns.values()) {
        const known = t.columns.some((m) => m.name.toLowerCase() === c.name);
        if (known) continue;
        report.unknownColumns.push(`${t.name}.${c.actual}`);
        if (!tgt.columns.has(c.name)) await target.execute(addNullableTextColumnSql(target.dialect, qualify(target.dialect, toSchema, tgt.actual), c.actual));
      }
    }
    tgtCat = await readCatalogue(target, toSchema);

    // The scan's value set: keyed hashes in a temporary table of the copy's database.
    values = await ScanStore.open(target, scrambler.hmac('scan', runId));
    let total = 0;
    for (const t of tables) {
      checkCancel();
      const n = await copyTable(source, target, srcCat, tgtCat, fromSchema, toSchema, t.name, scrambler, values, batchSize, report, options);
      total += n;
    }
    const tCopy = performance.now();
    await values.seal();
    const tSeal = performance.now();
    log.debug(`scramble: copied ${total} rows in ${((tCopy - t0) / 1000).toFixed(2)} s; scan set indexed in ${((tSeal - tCopy) / 1000).toFixed(2)} s`);
    report.unknownColumns = [...new Set(report.unknownColumns)].sort();

    // Rows in = rows out.
    for (const tc of report.tables) tc.rowsOut = await countRows(target, toSchema, tgtCat.tables.get(tc.table)!.actual);
    const uneven = report.tables.filter((tc) => tc.rowsIn !== tc.rowsOut);

    // Verification scan of the copy.
    checkCancel();
    report.scan = await verifyCopy(
      target,
      tgtCat,
      toSchema,
      report.tables.map((x) => x.table),
      scrambler,
      values,
      { batchSize, signal: options.signal },
    );
    log.debug(`scramble: scanned ${report.scan.cellsScanned} cells in ${((performance.now() - tSeal) / 1000).toFixed(2)} s, ${values.lookups} lookups, ${report.scan.valuesKnown} values known`);
    await values.close();
    values = null;

    if (uneven.length) report.failure = `rows in and out differ: ${uneven.map((u) => `${u.table} ${u.rowsIn} in, ${u.rowsOut} out`).join('; ')}`;
    else if (report.scan.survivors.length) report.failure = `the verification scan found ${report.scan.survivors.reduce((a, s) => a + s.count, 0)} original values in the copy`;

    if (!report.failure && options.asOf !== null) {
      const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
      report.checkAsOf = asOf;
      const [a, b] = [await runChecks(source, { schema: fromSchema, asOf }), await runChecks(target, { schema: toSchema, asOf })];
      report.checks = compareChecks(a, b);
    }

    if (report.failure) {
      await dropWritten();
    } else {
      await target.execute(`UPDATE ${marker} SET status = $1, finished_at = CURRENT_TIMESTAMP, rows_written = $2 WHERE run_id = $3`, ['complete', total, runId]);
      report.ok = true;
    }
  } catch (e) {
    if (values) await values.close().catch((x) => log.warn(`could not drop the scan's temporary table: ${(x as Error).message}`));
    await dropWritten();
    throw e;
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/**
 * A date/timestamp text as SQL Server reads it into a column of `dataType` whatever the session's
 * DATEFORMAT: 'YYYY-MM-DD' gets 'T00:00:00' for DATETIME/SMALLDATETIME/DATETIME2 (a bare date is
 * read y-d-m under a British DATEFORMAT), and DATETIME keeps at most 3 fractional digits.
 */
export function mssqlDateText(value: string, dataType: string): string {
  const t = dataType.toLowerCase();
  if (!/^(datetime|smalldatetime|datetime2)$/.test(t)) return value;
  let v = value.length === 10 ? `${value}T00:00:00` : value.replace(' ', 'T');
  if (t !== 'datetime2') v = v.replace(/(\.\d{3})\d+/, '$1').replace(/(Z|[+-]\d{2}:?\d{2})$/, '');
  return v;
}

/**
 * Create the copy's missing tables (of those the source has) from the SSD model, without a primary
 * key and with every column nullable: the copy must hold the source's duplicate keys and empty ids
 * too, so that ssd check finds them there. Returns the tables created.
 */
async function createCopyTables(db: Db, schema: string, tables: readonly SsdTableDef[]): Promise<string[]> {
  const created: string[] = [];
  await db.transaction(async (tx) => {
    if (schema !== db.defaultSchema) await tx.execute(createSchemaIfMissingSql(db.dialect, schema));
    for (const t of tables) {
      if ((await tx.query(tableExistsSql(tx.dialect), [schema, t.name])).length > 0) continue;
      const relaxed: SsdTableDef = { ...t, primaryKey: [], columns: t.columns.map((c) => ({ ...c, nullable: true, pk: false })) };
      await tx.execute(createTableIfMissingSql(db.dialect, schema, relaxed));
      created.push(t.name);
    }
  });
  return created;
}

/** Per-rule finding counts of the source and the copy, side by side. */
export function compareChecks(source: CheckReport, copy: CheckReport): RuleComparison[] {
  const key = (f: { ruleId: string; table: string; skippedRule?: string }) => `${f.ruleId}|${f.table}|${f.skippedRule ?? ''}`;
  const rows = new Map<string, RuleComparison>();
  const add = (r: CheckReport, side: 'source' | 'copy') => {
    for (const f of r.findings) {
      const k = key(f);
      let row = rows.get(k);
      if (!row)
        rows.set(
          k,
          (row = { ruleId: f.skippedRule ? `${f.ruleId} (${f.skippedRule})` : f.ruleId, severity: f.severity, table: f.table, title: f.message.replace(/^[\d,]+ \S+: /, ''), source: 0, copy: 0 }),
        );
      row[side] += f.count || 1;
    }
  };
  add(source, 'source');
  add(copy, 'copy');
  return [...rows.values()].sort((x, y) => x.table.localeCompare(y.table) || x.ruleId.localeCompare(y.ruleId));
}

async function copyTable(
  source: Db,
  target: Db,
  srcCat: Catalogue,
  tgtCat: Catalogue,
  fromSchema: string,
  toSchema: string,
  table: string,
  scrambler: Scrambler,
  values: ScanStore,
  batchSize: number,
  report: ScrambleReport,
  options: ScrambleOptions,
): Promise<number> {
  const model = findTable(table)!;
  const src = srcCat.tables.get(table)!;
  const tgt = tgtCat.tables.get(table)!;
  const plans: ColumnPlan[] = [];
  for (const c of src.columns.values()) {
    const m = model.columns.find((x) => x.name.toLowerCase() === c.name);
    const tc = tgt.columns.get(c.name);
    if (!tc) continue;
    const role: ColumnRole | 'unknown' = m ? roleOf(model, m) : 'unknown';
    if (role === 'blank') report.blankedColumns.push(`${table}.${c.actual}`);
    plans.push({ source: c.actual, lower: c.name, target: tc.actual, role, targetKind: tc.kind, targetType: tc.dataType.toLowerCase() });
  }
  const d = source.dialect;
  const cols = plans.map((p) => `t.${quoteIdent(d, p.source)}`);
  // The child whose offset moves this row's dates (the person column, else a lookup, else none).
  const childCol = CHILD_COLUMN[table];
  const own = childCol ? src.columns.get(childCol) : undefined;
  let childExpr = own ? `t.${quoteIdent(d, own.actual)}` : null;
  const look = CHILD_LOOKUP[table];
  if (look) {
    const [pt, pcol, pjoin, ojoin] = look;
    const p = srcCat.tables.get(pt);
    const pc = p?.columns.get(pcol);
    const pj = p?.columns.get(pjoin);
    const oj = src.columns.get(ojoin);
    if (p && pc && pj && oj) {
      const sub = `(SELECT MIN(p.${quoteIdent(d, pc.actual)}) FROM ${qualify(d, fromSchema, p.actual)} p WHERE p.${quoteIdent(d, pj.actual)} = t.${quoteIdent(d, oj.actual)})`;
      childExpr = childExpr ? `COALESCE(${childExpr}, ${sub})` : sub;
    }
  }
  const firstKey = model.primaryKey[0] ? src.columns.get(model.primaryKey[0].toLowerCase())?.actual : plans[0]?.source;
  const select = `SELECT ${cols.join(', ')}${childExpr ? `, ${childExpr} AS ${CHILD_ALIAS}` : ''} FROM ${qualify(d, fromSchema, src.actual)} t`;
  // `character` without a length is CHAR(1) as a cast target and would cut a longer value silently:
  // cast to text instead, so the insert itself says when a value does not fit.
  const pgTypes =
    target.dialect === 'postgres'
      ? await pgColumnTypes(
          target,
          toSchema,
          tgt.actual,
          plans.map((p) => p.target),
        )
      : undefined;
  const sexCol = SEX_COLUMN[table] ? src.columns.get(SEX_COLUMN[table]!)?.actual : undefined;
  const nameKeyCol = NAME_KEY_COLUMN[table] ? src.columns.get(NAME_KEY_COLUMN[table]!)?.actual : undefined;
  const linkTypeCol = table === 'ssd_linked_identifiers' ? (src.columns.get('link_identifier_type')?.actual ?? null) : null;
  const mssqlTarget = target.dialect === 'mssql';

  let rowsIn = 0;
  let batch: Row[] = [];
  let pending: Promise<void> | null = null;
  const flush = async () => {
    if (!batch.length) return;
    // Pseudonyms of the batch's ids in one pass.
    const idValues: string[] = [];
    for (const row of batch) {
      for (const p of plans) {
        if (p.role !== 'id' && p.role !== 'linkValue') continue;
        const v = str(row[p.source]);
        if (v !== null && !(p.role === 'linkValue' && linkTypeCol && linkTypeIsUpn(row[linkTypeCol]))) idValues.push(v);
      }
    }
    const ids = scrambler.idMany(idValues);
    const out: unknown[][] = new Array(batch.length);
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      const childKey = str(row[CHILD_ALIAS]) ?? (firstKey ? str(row[firstKey]) : null) ?? '';
      let offset: number | null = null;
      const values_: unknown[] = new Array(plans.length);
      for (let c = 0; c < plans.length; c++) {
        const p = plans[c]!;
        const raw = row[p.source];
        let v: unknown = raw;
        if (raw === null || raw === undefined) {
          values_[c] = null;
          continue;
        }
        const s = str(raw)!;
        collect(values, p.role, s, row, linkTypeCol);
        switch (p.role) {
          case 'id': {
            const q = ids.get(s) ?? scrambler.id(s);
            v = typeof raw === 'number' ? Number(q) : q;
            break;
          }
          case 'linkValue':
            v = linkTypeCol && linkTypeIsUpn(row[linkTypeCol]) ? scrambler.upn(s) : (ids.get(s) ?? scrambler.id(s));
            break;
          case 'upn':
            v = scrambler.upn(s);
            break;
          case 'registration':
            v = scrambler.registration(s);
            break;
          case 'forename':
          case 'surname':
          case 'fullName': {
            const keyVal = nameKeyCol ? (str(row[nameKeyCol]) ?? childKey) : childKey;
            v = scrambler.name(p.role, keyVal, sexCol ? str(row[sexCol]) : null, s);
            break;
          }
          case 'postcode':
            v = scrambler.postcode(s);
            break;
          case 'date': {
            if (DOB_COLUMNS.has(p.lower)) collectDob(values, s);
            offset ??= scrambler.dateOffset(childKey);
            const shifted = shiftDateText(s, offset);
            v = shifted === null ? null : mssqlTarget ? mssqlDateText(shifted, p.targetType) : shifted;
            break;
          }
          case 'textDate': {
            offset ??= scrambler.dateOffset(childKey);
            v = s.trim() === '' ? s : shiftDateText(s, offset);
            break;
          }
          case 'keep':
            v = raw;
            break;
          case 'blank':
          case 'unknown':
            v = null;
            break;
        }
        values_[c] = v;
      }
      out[r] = values_;
    }
    // Write this batch while the next one is read (one insert in flight at a time).
    if (pending) await pending;
    const n = batch.length;
    pending = bulkCopy(
      target,
      target.dialect,
      toSchema,
      tgt.actual,
      plans.map((p) => p.target),
      out,
      { pgTypes, maxRowsPerStatement: batchSize },
    ).then(() => {
      rowsIn += n;
      options.onProgress?.({ table, rows: rowsIn });
    });
    batch = [];
    await values.drain();
  };
  try {
    for await (const row of source.stream<Row>(select, [], { batchSize, signal: options.signal })) {
      batch.push(row);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (pending) await pending;
    await values.drain(true);
  } catch (e) {
    if (pending) await (pending as Promise<void>).catch(() => undefined);
    throw e;
  }
  report.tables.push({ table, rowsIn, rowsOut: 0 });
  return rowsIn;
}
