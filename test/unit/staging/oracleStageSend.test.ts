// ssd stage and ssd send on the Oracle driver against the scripted oracledb fake (no Oracle here):
// the real staging lifecycle (stageChildren) and sender (runSend) send their Oracle SQL through
// OracleDb to a fake that keeps the staging table in memory and answers each statement shape the way
// the statement says (its binds read by name, executeMany's positional binds mapped back to their
// :bn names through the statement text, as the server binds them). So the binds the code sends must be
// the values the SQL expects in each place: a bind in the wrong position gives the wrong table.
// What Oracle itself makes of the statements is for the SSD_TEST_ORACLE suite; their syntax is
// parsed in oracleGrammar.test.ts.
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { OracleDb } from '../../../src/db/oracleDriver';
import { stageChildren } from '../../../src/staging/stageChildren';
import { prepareChild } from '../../../src/staging/lifecycle';
import { runSend } from '../../../src/send/runSend';
import { stagingColumnRows } from '../../../src/sqlCatalogue/scenarios/fixtures';
import type { BuiltChild } from '../../../src/payload/types';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';

const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;

interface StagingRow {
  ID: number;
  PERSON_ID: string;
  LEGACY_ID: string | null;
  JSON_PAYLOAD: string;
  PARTIAL_JSON_PAYLOAD: string | null;
  PREVIOUS_JSON_PAYLOAD: string | null;
  CURRENT_HASH: string | null;
  PREVIOUS_HASH: string | null;
  SUBMISSION_STATUS: string | null;
  SUBMISSION_TIMESTAMP: string | null;
  API_RESPONSE: string | null;
  ROW_STATE: string | null;
  VALIDATION_STAMP: string | null;
}

/** The binds of a statement by name: named binds as they are, executeMany's positional ones through the :bn order of the text. */
function named(sql: string, binds: Record<string, unknown> | unknown[]): Record<string, unknown> {
  if (!Array.isArray(binds)) return binds;
  const order = [...sql.replace(/'(?:[^']|'')*'|--[^\n]*/g, ' ').matchAll(/:b(\d+)/g)].map((m) => `b${m[1]}`);
  assert.equal(binds.length, order.length, `positional binds: ${binds.length} values for ${order.length} placeholders`);
  const out: Record<string, unknown> = {};
  order.forEach((n, i) => {
    if (n in out) assert.deepEqual(out[n], binds[i], `${n} bound twice with different values`);
    out[n] = binds[i];
  });
  return out;
}

/** A value expression of the SQL for a bind: :bN, HEXTORAW(:bN) (hex text) or TO_TIMESTAMP(:bN, …); undefined for anything else. */
function valueOf(expr: string, b: Record<string, unknown>): { value: unknown } | undefined {
  const m = /^(?:(HEXTORAW|TO_TIMESTAMP)\()?:b(\d+)\b/.exec(expr.trim());
  if (!m) return undefined;
  const v = b[`b${m[2]}`];
  return { value: m[1] === 'HEXTORAW' && typeof v === 'string' ? v.toLowerCase() : v };
}

/** What an UPDATE's SET assigns from binds, column by column, as the text says (s.col = :bN, s.col = HEXTORAW(:bN), …). */
function setFromSql(sql: string, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of sql.matchAll(/^\s*s\.("?\w+"?) = ([^\n]*?),?$/gm)) {
    const v = valueOf(m[2]!, b);
    if (v) out[m[1]!.replace(/"/g, '').toUpperCase()] = v.value;
  }
  return out;
}

/** What an INSERT … VALUES writes from binds, column by column (the column list zipped with the VALUES list). */
function insertFromSql(sql: string, b: Record<string, unknown>): Record<string, unknown> {
  const m = /INSERT INTO \S+ \(([^)]*)\)\s*VALUES \(([\s\S]*)\)\s*$/.exec(sql)!;
  const columns = m[1]!.split(',').map((c) => c.trim().replace(/"/g, '').toUpperCase());
  const values = m[2]!
    .replace(/\([^()]*\)/g, (x) => x.replace(/,/g, '\u0000'))
    .split(',')
    .map((x) => x.replace(/\u0000/g, ','));
  assert.equal(columns.length, values.length, 'as many values as columns');
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const v = valueOf(values[i]!, b);
    if (v) out[c] = v.value;
  });
  return out;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const lower = (v: string | null) => (v === null ? null : v.trim().toLowerCase());
const QUEUE_COLUMNS: FakeColumn[] = [
  'ID:NUMBER',
  'PERSON_ID:VARCHAR2',
  'ROW_STATE:VARCHAR2',
  'SUBMISSION_STATUS:VARCHAR2',
  'JSON_PAYLOAD:CLOB',
  'PARTIAL_JSON_PAYLOAD:CLOB',
  'CURRENT_HASH:VARCHAR2',
].map((x) => {
  const [name, type] = x.split(':');
  return { name: name!, type: type as FakeColumn['type'] };
});
const cols = (...names: string[]): FakeColumn[] => names.map((n) => ({ name: n, type: /^(ID|ACKNOWLEDGED|N)$/.test(n) ? 'NUMBER' : /PAYLOAD|RESPONSE/.test(n) ? 'CLOB' : 'VARCHAR2' }));

/** An Oracle holding one staging table (in memory), its lock and its send history. */
class OracleStaging {
  rows: StagingRow[] = [];
  marks: Array<{ runId: string; personId: string }> = [];
  sendRuns: Array<Record<string, unknown>> = [];
  created = new Set<string>();
  lockRows = new Set<string>();
  module: unknown = null;
  private nextId = 1;
  readonly fake = new FakeOracledb();

  constructor() {
    const f = this.fake;
    const queued = (r: StagingRow, after: unknown) =>
      r.ID > Number(after) && (lower(r.SUBMISSION_STATUS) === 'pending' || (lower(r.SUBMISSION_STATUS) === 'error' && (r.API_RESPONSE === null || !r.API_RESPONSE.startsWith('{"stage":'))));
    const holds = (r: StagingRow, b: Record<string, unknown>) =>
      (r.CURRENT_HASH !== null && r.CURRENT_HASH === str(b.b2)?.toLowerCase()) || (r.CURRENT_HASH === null && b.b2 === null && r.JSON_PAYLOAD === b.b3);
    f.on(/FROM all_tab_columns/, () => ({
      columns: cols('TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE').concat([{ name: 'CHARACTER_MAXIMUM_LENGTH', type: 'NUMBER' }]),
      rows: this.created.has('staging')
        ? stagingColumnRows('oracle', 'ssd', 'ssd_api_data_staging', { stamp: this.created.has('stamp') }).map((r) => [
            r.table_schema,
            r.table_name,
            r.column_name,
            r.data_type,
            r.character_maximum_length,
          ])
        : [],
    }))
      .on(/FROM all_objects/, (_sql, b) => {
        const t = String((b as Record<string, unknown>).b2 ?? '').toLowerCase();
        return { columns: cols('TABLE_SCHEMA', 'TABLE_NAME'), rows: t === 'ssd_workbench_send_runs' && this.created.has('send_runs') ? [['ssd', t]] : [] };
      })
      .on(/^BEGIN\n/, (sql) => {
        if (/CREATE TABLE "SSD"\."SSD_API_DATA_STAGING"/.test(sql)) this.created.add('staging');
        else if (/ADD \(validation_stamp/.test(sql)) {
          assert.ok(!this.created.has('stamp'));
          this.created.add('stamp');
        } else if (/CREATE GLOBAL TEMPORARY TABLE "SSD"\."SSD_WORKBENCH_RUN_MARKS"/.test(sql)) this.created.add('marks');
        else if (/CREATE TABLE "SSD"\."SSD_WORKBENCH_LOCKS"/.test(sql)) this.created.add('locks');
        else if (/CREATE TABLE "SSD"\."SSD_WORKBENCH_SEND_RUNS"/.test(sql)) this.created.add('send_runs');
        else throw new Error(`unexpected block ${sql.slice(0, 80)}`);
        return {};
      })
      .on(/^-- Person ids with more than one staging row/, () => ({ columns: cols('PERSON_ID'), rows: [] }))
      .on(/^-- Rows an earlier version held back/, () => ({ rowsAffected: 0 }))
      .on(/^-- The staging rows of one batch/, (sql, b) => {
        assert.match(sql, /FOR UPDATE\s*$/);
        const ids = Object.values(b as Record<string, unknown>).map(String);
        const rows = this.rows.filter((r) => ids.includes(r.PERSON_ID));
        return {
          columns: cols('ID', 'PERSON_ID', 'CURRENT_HASH', 'ROW_STATE', 'SUBMISSION_STATUS', 'API_RESPONSE', 'ACKNOWLEDGED', 'VALIDATION_STAMP'),
          rows: rows.map((r) => [
            r.ID,
            r.PERSON_ID,
            r.CURRENT_HASH,
            r.ROW_STATE,
            r.SUBMISSION_STATUS,
            r.API_RESPONSE,
            r.PREVIOUS_HASH !== null || r.PREVIOUS_JSON_PAYLOAD !== null ? 1 : 0,
            r.VALIDATION_STAMP,
          ]),
        };
      })
      .on(/^-- One new staging row/, (sql, binds) => {
        const v = insertFromSql(sql, named(sql, binds));
        this.rows.push({
          ID: this.nextId++,
          LEGACY_ID: null,
          PREVIOUS_JSON_PAYLOAD: null,
          PREVIOUS_HASH: null,
          SUBMISSION_TIMESTAMP: null,
          VALIDATION_STAMP: null,
          PARTIAL_JSON_PAYLOAD: null,
          ...(v as Partial<StagingRow>),
        } as StagingRow);
        return { rowsAffected: 1 };
      })
      .on(/^-- A row whose payload changes/, (sql, binds) => {
        const b = named(sql, binds);
        const r = this.rows.find((x) => x.ID === Number(b.b1));
        if (!r) return { rowsAffected: 0 };
        const legacy = /"LEGACY_ID" = CASE WHEN :b(\d+) = 1 THEN :b(\d+) ELSE/.exec(sql);
        if (legacy && Number(b[`b${legacy[1]}`]) === 1) r.LEGACY_ID = str(b[`b${legacy[2]}`]);
        Object.assign(r, setFromSql(sql, b));
        return { rowsAffected: 1 };
      })
      .on(/^-- A row whose payload stays/, (sql, binds) => {
        const b = named(sql, binds);
        const r = this.rows.find((x) => x.ID === Number(b.b1));
        if (!r) return { rowsAffected: 0 };
        const state = /s\.row_state = COALESCE\(:b(\d+), s\.row_state\)/.exec(sql)!;
        Object.assign(r, setFromSql(sql, b), { ROW_STATE: str(b[`b${state[1]}`]) ?? r.ROW_STATE });
        return { rowsAffected: 1 };
      })
      .on(/^-- Record the validation stamp/, (sql, binds) => {
        const b = named(sql, binds);
        const r = this.rows.find((x) => x.ID === Number(b.b1));
        if (r) Object.assign(r, setFromSql(sql, b));
        return { rowsAffected: r ? 1 : 0 };
      })
      .on(/^-- Record one cohort person id/, (sql, binds) => {
        const b = named(sql, binds);
        this.marks.push({ runId: String(b.b1), personId: String(b.b2) });
        return { rowsAffected: 1 };
      })
      .on(/^-- One page of staging rows whose child is not in this run's cohort/, (_sql, binds) => {
        const b = binds as Record<string, unknown>;
        const seen = new Set(this.marks.filter((m) => m.runId === b.b1).map((m) => m.personId));
        const page = this.rows.filter((r) => r.ID > Number(b.b2) && lower(r.ROW_STATE) !== 'deleted' && !seen.has(r.PERSON_ID)).slice(0, Number(b.b3));
        return {
          columns: cols('ID', 'PERSON_ID', 'LEGACY_ID', 'CURRENT_HASH', 'ROW_STATE', 'SUBMISSION_STATUS', 'API_RESPONSE', 'ACKNOWLEDGED', 'PREVIOUS_JSON_PAYLOAD'),
          rows: page.map((r) => [
            r.ID,
            r.PERSON_ID,
            r.LEGACY_ID,
            r.CURRENT_HASH,
            r.ROW_STATE,
            r.SUBMISSION_STATUS,
            r.API_RESPONSE,
            r.PREVIOUS_HASH !== null || r.PREVIOUS_JSON_PAYLOAD !== null ? 1 : 0,
            r.PREVIOUS_JSON_PAYLOAD,
          ]),
        };
      })
      .on(/^TRUNCATE TABLE "SSD"\."SSD_WORKBENCH_RUN_MARKS"$/, () => {
        const n = this.marks.length;
        this.marks = [];
        return { rowsAffected: n };
      })
      // The table lock.
      .on(/^-- The lock row of one staging table/, (_sql, b) => {
        this.lockRows.add(String((b as Record<string, unknown>).b1));
        return { rowsAffected: 1 };
      })
      .on(/FOR UPDATE SKIP LOCKED\s*$/, (_sql, b) => {
        const name = String((b as Record<string, unknown>).b1);
        assert.ok(this.lockRows.has(name), 'the lock row was added before it is locked');
        return { columns: cols('LOCK_NAME'), rows: [[name]] };
      })
      .on(/^BEGIN DBMS_APPLICATION_INFO\.SET_MODULE/, (_sql, b) => {
        const x = b as Record<string, unknown>;
        this.module = /NULL, NULL/.test(_sql) ? null : x.b1;
        return {};
      })
      .on(/^SELECT 1 AS one FROM dual$/, () => ({ columns: [{ name: 'ONE', type: 'NUMBER' }], rows: [[1]] }))
      // The send queue.
      .on(/^-- The send queue as send_select_queue\.sql, for the deletion count/, (sql, b) => {
        assert.match(sql, /FETCH FIRST :b2 ROWS ONLY\s*$/);
        const x = b as Record<string, unknown>;
        const rows = this.rows.filter((r) => queued(r, x.b1)).slice(0, Number(x.b2));
        const short = (v: string | null) => (v !== null && v.length <= 1000 ? v : null);
        return { columns: cols('ID', 'JSON_PAYLOAD', 'PARTIAL_JSON_PAYLOAD', 'ROW_STATE'), rows: rows.map((r) => [r.ID, short(r.JSON_PAYLOAD), short(r.PARTIAL_JSON_PAYLOAD), r.ROW_STATE]) };
      })
      .on(/^-- The send queue \(docs\/sending\.md\)/, (_sql, b) => {
        const x = b as Record<string, unknown>;
        const rows = this.rows.filter((r) => queued(r, x.b1)).slice(0, Number(x.b2));
        return { columns: QUEUE_COLUMNS, rows: rows.map((r) => [r.ID, r.PERSON_ID, r.ROW_STATE, r.SUBMISSION_STATUS, r.JSON_PAYLOAD, r.PARTIAL_JSON_PAYLOAD, r.CURRENT_HASH]) };
      })
      .on(/^-- How many rows of the send queue/, (_sql, b) => ({ columns: cols('N'), rows: [[this.rows.filter((r) => queued(r, (b as Record<string, unknown>).b1)).length]] }))
      .on(/^SELECT COUNT\(\*\) AS n FROM "SSD"\."SSD_API_DATA_STAGING" WHERE previous_hash IS NOT NULL$/, () => ({
        columns: cols('N'),
        rows: [[this.rows.filter((r) => r.PREVIOUS_HASH !== null).length]],
      }))
      .on(/^SELECT COUNT\(\*\) AS n FROM "SSD"\."SSD_API_DATA_STAGING" WHERE id IN/, (_sql, b) => {
        const ids = Object.values(b as Record<string, unknown>).map(Number);
        return { columns: cols('N'), rows: [[this.rows.filter((r) => ids.includes(r.ID) && lower(r.SUBMISSION_STATUS) === 'sent').length]] };
      })
      .on(/^-- One record the API acknowledged/, (_sql, binds) => {
        const b = binds as Record<string, unknown>;
        const r = this.rows.find((x) => x.ID === Number(b.b1));
        if (!r) return { rowsAffected: 0 };
        const same = holds(r, b);
        Object.assign(r, setFromSql(_sql, b));
        if (same) Object.assign(r, { SUBMISSION_STATUS: 'Sent', ROW_STATE: 'Unchanged' });
        return { rowsAffected: 1 };
      })
      .on(/^-- One record (not acknowledged|held back by the sender)/, (sql, binds) => {
        const b = binds as Record<string, unknown>;
        const r = this.rows.find((x) => x.ID === Number(b.b1));
        if (!r || !holds(r, b)) return { rowsAffected: 0 };
        Object.assign(r, { SUBMISSION_STATUS: /N'Withheld'/.test(sql) ? 'Withheld' : 'Error' }, setFromSql(sql, b));
        return { rowsAffected: 1 };
      })
      .on(/^INSERT INTO "SSD"\."SSD_WORKBENCH_SEND_RUNS" \(run_id, "MODE", /, (_sql, b) => {
        const x = b as Record<string, unknown>;
        this.sendRuns.push({ mode: x.b2, table: x.b3, kind: x.b4, queued: x.b6, acknowledged: x.b8 });
        return { rowsAffected: 1 };
      });
  }

  open(): Promise<OracleDb> {
    return OracleDb.open(spec, describeSpec(spec), { driver: this.fake, password: 'pw' });
  }
}

function child(personId: string, extra: Record<string, unknown> = {}): BuiltChild {
  return {
    personId,
    legacyId: `L${personId}`,
    payload: { la_child_id: personId, mis_child_id: `L${personId}`, purge: false, child_details: { unique_pupil_number: 'A123456789012', first_name: 'Fake', surname: 'Child', sex: 'M', ...extra } },
    problems: [],
  };
}

async function* stream(items: readonly BuiltChild[]): AsyncIterable<BuiltChild> {
  for (const c of items) yield c;
}

/** A DfE API that acknowledges every record of every request with a token. */
function acknowledgingApi(requests: unknown[][]): typeof fetch {
  let n = 0;
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
    if (String(url).includes('token')) return json({ access_token: 't', expires_in: 3600 });
    const body = JSON.parse(String(init?.body)) as unknown[];
    requests.push(body);
    return json(body.map(() => `2025-03-31_10:00:0${n % 10}.12_00000000-0000-4000-8000-${String(++n).padStart(12, '0')}.json`));
  }) as typeof fetch;
}

const ENDPOINT = { baseUrl: 'https://receiver.invalid/1', tokenUrl: 'https://token.invalid/oauth2/token', laCode: '846', clientId: 'id', scope: 'scope', clientSecret: 'secret', supplierKey: 'key' };
const NO_SLEEP = { now: () => Date.now(), random: () => 0.5, sleep: async () => undefined };

describe('ssd stage and ssd send on Oracle (the Oracle driver, scripted oracledb)', () => {
  it('stages new children, sends them, then stages a change and a child who left (a deletion payload) and finds them queued', async () => {
    const ora = new OracleStaging();
    const db = await ora.open();
    try {
      // First run: three new children, in batches of two (two transactions, each committed whole).
      const a = child('A');
      const b = child('B');
      const c = child('C');
      const r1 = await stageChildren(db, stream([a, b, c]), { batchSize: 2 });
      assert.deepEqual([r1.tableCreated, r1.cohort, r1.new, r1.updated, r1.deleted], [true, 3, 3, 0, 0]);
      assert.ok(ora.created.has('marks') && ora.created.has('stamp'), 'the work table and the validation stamp column');
      assert.deepEqual(
        ora.rows.map((r) => [r.ID, r.PERSON_ID, r.LEGACY_ID, r.ROW_STATE, r.SUBMISSION_STATUS]),
        [
          [1, 'A', 'LA', 'New', 'Pending'],
          [2, 'B', 'LB', 'New', 'Pending'],
          [3, 'C', 'LC', 'New', 'Pending'],
        ],
      );
      for (const [r, x] of [
        [ora.rows[0]!, a],
        [ora.rows[1]!, b],
        [ora.rows[2]!, c],
      ] as const) {
        const p = prepareChild(x);
        assert.equal(r.CURRENT_HASH, p.hashHex);
        assert.equal(r.JSON_PAYLOAD, p.jsonText);
      }
      assert.deepEqual(ora.marks, [], 'the run deleted its rows of the work table');
      // Every write went through a transaction that committed (nothing left pending on a connection).
      assert.ok(ora.fake.committedWork.filter((s) => /^-- One new staging row/.test(s)).length >= 2);
      assert.ok(ora.fake.connections.every((x) => x.pending.length === 0));

      // Send (test endpoint): every queued record acknowledged and recorded; the lock taken and given back.
      const requests: unknown[][] = [];
      const sent = await runSend(db, { mode: 'test', schema: 'ssd', endpoint: ENDPOINT, timing: NO_SLEEP, fetch: acknowledgingApi(requests) });
      assert.equal(sent.stopped, null, JSON.stringify(sent.stopped));
      assert.deepEqual([sent.queued, sent.sent, sent.rejected, sent.invalid, sent.deletionsQueued], [3, 3, 0, 0, 0]);
      assert.equal(requests.length, 1);
      assert.deepEqual(
        ora.rows.map((r) => [r.SUBMISSION_STATUS, r.ROW_STATE, r.PREVIOUS_HASH === r.CURRENT_HASH, r.PREVIOUS_JSON_PAYLOAD === r.JSON_PAYLOAD]),
        [
          ['Sent', 'Unchanged', true, true],
          ['Sent', 'Unchanged', true, true],
          ['Sent', 'Unchanged', true, true],
        ],
      );
      assert.match(ora.rows[0]!.SUBMISSION_TIMESTAMP!, /^2025-03-31T10:00:0\d\.120$/);
      assert.match(ora.rows[0]!.API_RESPONSE!, /^00000000-0000-4000-8000-0000000000\d\d$/);
      assert.equal(ora.lockRows.size, 1);
      assert.equal(ora.module, null, 'the lock session forgot its names when the lock was released');
      assert.deepEqual(ora.sendRuns, [{ mode: 'test', table: 'ssd_api_data_staging', kind: 'live', queued: 3, acknowledged: 3 }]);

      // Second run: A changed, B the same, C left the cohort (acknowledged: a deletion payload).
      const a2 = child('A', { sex: 'F' });
      const r2 = await stageChildren(db, stream([a2, b]), { batchSize: 2 });
      assert.deepEqual([r2.cohort, r2.new, r2.updated, r2.unchanged, r2.deleted, r2.deletionPayloads], [2, 0, 1, 1, 1, 1]);
      const [ra, rb, rc] = ora.rows;
      assert.deepEqual([ra!.ROW_STATE, ra!.SUBMISSION_STATUS, ra!.CURRENT_HASH], ['Updated', 'Pending', prepareChild(a2).hashHex]);
      assert.deepEqual([rb!.ROW_STATE, rb!.SUBMISSION_STATUS], ['Unchanged', 'Sent']);
      assert.deepEqual([rc!.ROW_STATE, rc!.SUBMISSION_STATUS], ['Deleted', 'Pending']);
      assert.deepEqual(JSON.parse(rc!.JSON_PAYLOAD), { la_child_id: 'C', mis_child_id: 'LC', purge: true });

      // A dry run reads the queue (the change and the deletion) and writes nothing.
      const before = JSON.stringify(ora.rows);
      const dry = await runSend(db, { mode: 'dry-run', schema: 'ssd' });
      assert.deepEqual([dry.queued, dry.full, dry.deletions, dry.deletionsQueued, dry.sent], [2, 1, 1, 1, 0]);
      assert.equal(JSON.stringify(ora.rows), before);
    } finally {
      await db.close();
    }
  });

  it('a payload longer than 1,000 characters is bound as a CLOB where the send marks compare it, and as a plain value (LONG) in executeMany', async () => {
    // The long first name breaks the DfE schema (at most 128): the sender holds the record back
    // (Withheld), matching the row on its payload text because the row has no hash.
    const ora = new OracleStaging();
    const db = await ora.open();
    try {
      const long = child('L', { first_name: 'x'.repeat(3000) });
      await stageChildren(db, stream([long]));
      const insert = ora.fake.calls.find((c) => c.many && /^-- One new staging row/.test(c.sql))!;
      assert.ok(
        (insert.binds as unknown[][])[0]!.some((v) => typeof v === 'string' && v.length > 3000),
        'executeMany sends the long payload as a string',
      );
      // A community row without a hash: the sender matches it on the payload text (DBMS_LOB.COMPARE).
      ora.rows[0]!.CURRENT_HASH = null;
      await runSend(db, { mode: 'test', schema: 'ssd', endpoint: ENDPOINT, timing: NO_SLEEP, fetch: acknowledgingApi([]) });
      const mark = ora.fake.calls.find((c) => /^-- One record held back by the sender/.test(c.sql))!;
      const b3 = (mark.binds as Record<string, unknown>).b3 as { val: string; type: unknown };
      assert.equal(b3.type, ora.fake.DB_TYPE_CLOB);
      assert.equal(b3.val, ora.rows[0]!.JSON_PAYLOAD);
      assert.equal((mark.binds as Record<string, unknown>).b2, null);
      assert.deepEqual([ora.rows[0]!.SUBMISSION_STATUS, ora.rows[0]!.ROW_STATE], ['Withheld', 'New']);
      assert.match(ora.rows[0]!.API_RESPONSE!, /maxLength/);
    } finally {
      await db.close();
    }
  });
});
