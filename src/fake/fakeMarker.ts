// Fake data never reaches the DfE live endpoint, and reaches the DfE test endpoint only when the
// user chose that for the run: the one rule, shared by `ssd stage`, `ssd send`, `ssd phases` and the
// editor ("SSD: Build Staging", "SSD: Send Staged Payloads…").
//
// A schema holds fake data when it holds the marker table of `ssd fake` (ssd_workbench_fake_runs)
// with at least one row: every `ssd fake` run and every `ssd demo` (and the editor's demo
// database and "Generate Fake Data") records itself there. On such a schema:
// - staging defaults to the anonymised table ssd_api_data_staging_anon;
// - a live send of anything staged there is always refused, with the reason;
// - a test send is refused too unless that run explicitly allows fake data to the test endpoint
//   (`ssd send --mode test --allow-fake-to-test`: phase 1 of phased connection testing, issue 13);
// - a dry run is fine.
// The editor never offers the test-endpoint exception (its Send refuses fake data to both).
// A staging build that reads a fake schema and writes its staging table into another schema
// (--staging-schema) records the fact in that schema's marker table too, so the send, which only
// sees the staging schema, refuses it as well.
//
// The mark is never removed by the tool. Once the fake rows are gone for good and the staging table
// has been emptied, drop the marker table by hand to send from that schema.
import { randomUUID } from 'node:crypto';
import { limitClause, qualify, tableExistsSql, validateIdentifier } from '../db/dialect';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db, Queryable } from '../db/types';
import type { StagingTableName } from '../model/ssdModel';

export const FAKE_MARKER_TABLE = 'ssd_workbench_fake_runs';
/** What staging writes on a schema holding fake data (and on the demo). */
export const FAKE_STAGING_TABLE: StagingTableName = 'ssd_api_data_staging_anon';
/** The marker row a staging build writes into another schema's marker table. */
export const STAGED_FROM_FAKE = 'staged-from-fake';

declare const SSD_VERSION: string | undefined;

export interface FakeDataMark {
  /** The schema holding the marker table. */
  schema: string;
  /** Rows in the marker table (fake runs, and stagings from a fake schema). */
  runs: number;
  /** The latest row: when it was written, and what it says. */
  latest: { runNo: number; status: string; children: number; asOf: string; startedAt: string | null; stagedFrom: string | null };
}

/** Whether the schema holds fake data (the marker table with at least one row); undefined if not. */
export async function readFakeMark(q: Queryable, schema: string): Promise<FakeDataMark | undefined> {
  validateIdentifier(schema, 'schema');
  const present = await q.query(tableExistsSql(q.dialect), [schema, FAKE_MARKER_TABLE]);
  if (!present.length) return undefined;
  const t = qualify(q.dialect, schema, FAKE_MARKER_TABLE);
  const [c] = await q.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t}`);
  const runs = Number(c?.n ?? 0);
  if (runs === 0) return undefined;
  const { top, limit } = limitClause(q.dialect, 1);
  const [r] = await q.query<{ run_no: number | string; status: string; children: number | string; as_of: string; started_at: string | null; options_json: string }>(
    `SELECT ${top}run_no, status, children, as_of, started_at, options_json FROM ${t} ORDER BY run_no DESC${limit}`,
  );
  let stagedFrom: string | null = null;
  try {
    const o = JSON.parse(r?.options_json ?? '{}') as { stagedFrom?: unknown };
    if (typeof o.stagedFrom === 'string') stagedFrom = o.stagedFrom;
  } catch {
    /* a row written by hand: still a mark */
  }
  return {
    schema,
    runs,
    latest: {
      runNo: Number(r?.run_no ?? 0),
      status: String(r?.status ?? ''),
      children: Number(r?.children ?? 0),
      asOf: String(r?.as_of ?? ''),
      startedAt: r?.started_at ? String(r.started_at) : null,
      stagedFrom,
    },
  };
}

/** The staging table to use when none is chosen: the anonymised one on fake data. */
export function defaultStagingTable(mark: FakeDataMark | undefined): StagingTableName {
  return mark ? FAKE_STAGING_TABLE : 'ssd_api_data_staging';
}

/** What the user chose for this run. */
export interface FakeSendChoice {
  /** Fake data may go to the DfE *test* endpoint this run (`--allow-fake-to-test`). Never live. */
  allowFakeToTest?: boolean;
}

/**
 * THE rule: why a send of this staging schema to this mode is refused (undefined: allowed). A dry
 * run is always allowed. When the schema holds fake data, a live send is always refused, and a test
 * send is refused unless the run explicitly allows fake data to the test endpoint.
 */
export function fakeSendRefusal(mode: 'dry-run' | 'test' | 'live', mark: FakeDataMark | undefined, choice: FakeSendChoice = {}): string | undefined {
  if (mode === 'dry-run' || !mark) return undefined;
  if (mode === 'test' && choice.allowFakeToTest === true) return undefined;
  const what = mark.latest.stagedFrom
    ? `payloads staged from the fake data in schema ${mark.latest.stagedFrom}`
    : `fake data made by ssd fake or ssd demo (${mark.runs} run${mark.runs === 1 ? '' : 's'} recorded in ${mark.schema}.${FAKE_MARKER_TABLE})`;
  const rule =
    mode === 'live'
      ? 'and fake children are never sent to the live endpoint. '
      : 'and fake children go to the test endpoint only when you choose it for the run: add --allow-fake-to-test (phase 1 of `ssd phases`). ';
  return (
    `refusing to send to the DfE ${mode} endpoint: schema ${mark.schema} holds ${what}, ${rule}` +
    `Use --mode dry-run to see the requests. If this schema now holds only real data, empty its staging table, then drop ${mark.schema}.${FAKE_MARKER_TABLE}.`
  );
}

/** Refused (exit 2 in the CLI): named UsageError so the CLI maps it. */
export class FakeSendRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Throws FakeSendRefusedError when a test or live send of this staging schema must be refused. */
export async function assertNotFakeSend(db: Queryable, mode: 'dry-run' | 'test' | 'live', stagingSchema: string, choice: FakeSendChoice = {}): Promise<void> {
  if (mode === 'dry-run') return;
  const reason = fakeSendRefusal(mode, await readFakeMark(db, stagingSchema), choice);
  if (reason) throw new FakeSendRefusedError(reason);
}

/**
 * Staging from a fake schema into another schema: record it in that schema's marker table (made if
 * missing), so a send from there is refused too. Nothing is written when the schemas are the same.
 */
export async function markStagedFromFake(db: Db, fakeSchema: string, stagingSchema: string, asOf: string): Promise<void> {
  if (fakeSchema.toLowerCase() === stagingSchema.toLowerCase()) return;
  const t = qualify(db.dialect, stagingSchema, FAKE_MARKER_TABLE);
  await db.execute(
    fillIdentifiers(loadSql(db.dialect, 'fake_runs_create'), {
      table: t,
      objectName: `${validateIdentifier(stagingSchema, 'schema')}.${FAKE_MARKER_TABLE}`,
    }),
  );
  await db.transaction(async (tx) => {
    const [m] = await tx.query<{ n: number | string | null }>(`SELECT MAX(run_no) AS n FROM ${t}`);
    await tx.execute(`INSERT INTO ${t} (run_no, run_id, status, seed, as_of, children, children_written, options_json, tables_json, tool_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      Number(m?.n ?? 0) + 1,
      randomUUID(),
      STAGED_FROM_FAKE,
      '-',
      asOf,
      0,
      0,
      JSON.stringify({ stagedFrom: fakeSchema }),
      '{}',
      typeof SSD_VERSION === 'string' ? SSD_VERSION : 'dev',
    ]);
  });
}
