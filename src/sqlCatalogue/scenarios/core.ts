// Scenarios for the commands a DBA reviews before a first run: `ssd init`, `ssd check`,
// `ssd stage`, `ssd send`, and what the editor reads to browse (tables, children, staging rows).
import { initTables } from '../../ddl/initTables';
import { runChecks } from '../../check/runChecks';
import { stageFromSsd } from '../../staging/runStage';
import { stageChildren } from '../../staging/stageChildren';
import { builderTableCounts, planMassChanges, SafetyStopError, stagingSafetyCounts } from '../../staging/safetyStop';
import { ensureStageRunsTable, finishStageRun, recentStageRuns, startStageRun } from '../../staging/stageRuns';
import { ensureStagingTable } from '../../staging/stagingTable';
import { prepareChild } from '../../staging/lifecycle';
import { deletionPayload } from '../../staging/partialPayload';
import { runSend } from '../../send/runSend';
import { TableLockedError } from '../../send/tableLock';
import { buildChildPayload, streamChildPayloads } from '../../payload/buildPayloads';
import { pagePersonIds, pageStagingRows, readSchemaColumns, readStagingRow, stagingCounts, countRows } from '../../browse/inventory';
import { generateFakeSsd } from '../../fake/generateFakeSsd';
import { getTable } from '../../model/ssdModel';
import { driverOwnStatements } from '../../db/mssqlDriver';
import { databaseIdentity, runScramble } from '../../scramble/runScramble';
import { ScanStore } from '../../scramble/scanStore';
import { bulkCopy } from '../../db/bulkInsert';
import { readPhases } from '../../phases/phases';
import type { BuiltChild } from '../../payload/types';
import type { Db, Row } from '../../db/types';
import type { SqlScenario } from '../catalogue';
import { builderColumnRows, builderTableNames, columnRows, dataTypeOf, readsColumns, readsTables, stagingColumnRows } from './fixtures';

const NO_SLEEP = { now: () => Date.now(), random: () => 0.5, sleep: async () => undefined };

function child(personId: string, valid = true): BuiltChild {
  return {
    personId,
    legacyId: `L${personId}`,
    payload: { la_child_id: personId, mis_child_id: `L${personId}`, child_details: { unique_pupil_number: 'A123456789012', first_name: 'Fake', surname: 'Child' } },
    problems: valid ? [] : [{ path: '/child_details', rule: 'required', message: 'missing', severity: 'error' }],
  };
}

/** A DfE endpoint that is never reached (the catalogue records, it never connects). */
const ENDPOINT = { baseUrl: 'https://receiver.invalid/1', tokenUrl: 'https://token.invalid/oauth2/token', laCode: '846', clientId: 'id', scope: 'scope', clientSecret: 'secret', supplierKey: 'key' };

/** Never reaches a network: a token, then the answer an API would give to every data request. */
function apiAnswering(status: number, body: unknown): typeof fetch {
  const json = (value: unknown, code: number) => new Response(JSON.stringify(value), { status: code, headers: { 'content-type': 'application/json' } });
  return (async (url: string | URL | Request) => (String(url).includes('token') ? json({ access_token: 't', expires_in: 3600 }, 200) : json(body, status))) as typeof fetch;
}

/** For scenarios that stop before any request. */
const NEVER_SENDS = (async () => {
  throw new Error('the catalogue never sends');
}) as typeof fetch;

async function* stream<T>(items: readonly T[]): AsyncIterable<T> {
  for (const i of items) yield i;
}

/** The scramble scan's value store with values in it (a recorded source has no rows): insert, index, look up, drop. */
async function driveScanStore(db: Db): Promise<void> {
  const store = await ScanStore.open(db, Buffer.alloc(32, 7));
  store.add('P1');
  store.add('Smith');
  await store.seal();
  await store.hasMany(['smith']);
  await store.close();
}

/** A staged child marked Deleted and waiting to be sent (its payload the purge request), as the send reads it. */
function pendingDeletionRow(): Row {
  return {
    id: 1,
    person_id: 'A',
    row_state: 'Deleted',
    submission_status: 'Pending',
    json_payload: JSON.stringify(deletionPayload({ la_child_id: 'A', mis_child_id: null })),
    partial_json_payload: null,
    current_hash: 'aa',
  };
}

export const coreScenarios: SqlScenario[] = [
  {
    id: 'init.tables',
    command: 'init',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd init: create the schema and every SSD table that is missing (each CREATE guarded by an existence test), in one transaction',
    run: (db, ctx) => initTables(db, { schema: ctx.schema, tables: ctx.tables ?? 'all' }),
  },
  {
    id: 'check.all',
    command: 'check',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd check: read the catalogue, then one set-based query per table, rule group and the cohort (counts and up to 5 ids)',
    responder: (dialect, ctx) => (sql) => {
      if (readsColumns(sql)) return columnRows(dialect, ctx.schema);
      if (/AS n_rows/.test(sql)) {
        const r: Row = { n_rows: 10 };
        for (let i = 0; i < 200; i++) r[`r${i}`] = 1;
        return [r];
      }
      return undefined;
    },
    run: (db, ctx) => runChecks(db, { schema: ctx.schema, asOf: ctx.asOf }),
  },
  {
    id: 'payload.build',
    command: 'payload',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: "ssd payload: check the builder tables, find the orphan branches' columns, stream every child's rows, then one child's",
    responder: (dialect, ctx) => (sql) => {
      if (readsTables(sql)) return builderTableNames();
      if (readsColumns(sql)) return builderColumnRows(dialect, ctx.schema);
      return undefined;
    },
    run: async (db, ctx) => {
      for await (const _ of streamChildPayloads(db, { schema: ctx.schema, asOf: ctx.asOf })) {
        /* the recording has no rows */
      }
      return buildChildPayload(db, 'P1', { schema: ctx.schema, asOf: ctx.asOf });
    },
  },
  {
    id: 'stage.tables',
    command: 'stage',
    // SQL Server and PostgreSQL send these statements within stage.build (which, on Oracle, finds
    // the staging table there already: this one creates it).
    dialects: ['oracle'],
    title: 'ssd stage (Oracle): create the staging table and the run log when missing, count the builder tables and the live staging rows, open, close and list runs',
    responder: (dialect, ctx) => {
      let created = false;
      return (sql, _params, kind) => {
        if (kind === 'batch' && /CREATE TABLE/i.test(sql)) created = true;
        if (readsTables(sql)) return [{ table_schema: ctx.schema, table_name: 'ssd_api_stage_runs' }];
        if (readsColumns(sql)) return created ? stagingColumnRows(dialect, ctx.schema, ctx.stagingTable) : [];
        return undefined;
      };
    },
    run: async (db, ctx) => {
      const info = await ensureStagingTable(db, { schema: ctx.schema, table: ctx.stagingTable });
      await builderTableCounts(db, ctx.schema);
      await stagingSafetyCounts(db, info);
      const runs = await ensureStageRunsTable(db, ctx.schema);
      const runId = await startStageRun(db, runs, {
        asOf: ctx.asOf,
        stagingTable: `${ctx.schema}.${ctx.stagingTable}`,
        ssdSchema: ctx.schema,
        sourceRowCounts: { ssd_person: 1 },
        liveRows: 0,
        acknowledgedRows: 0,
        massChangeAllowed: false,
      });
      await finishStageRun(db, runs, runId, { outcome: 'completed', cohort: 1, new: 1 });
      return recentStageRuns(db, ctx.schema, `${ctx.schema}.${ctx.stagingTable}`, { outcome: 'completed' });
    },
  },
  {
    id: 'stage.build',
    command: 'stage',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: "ssd stage: check the builder tables, create the staging table and its work table when missing, stream every child's rows, find children who left the cohort",
    responder: (dialect, ctx) => {
      let created = false;
      return (sql, _params, kind) => {
        if (kind === 'batch' && /CREATE TABLE/i.test(sql) && /ssd_api_data_staging/i.test(sql) && !/run_marks/i.test(sql)) created = true;
        if (readsTables(sql)) return builderTableNames();
        // The whole schema's columns (one parameter): the builder tables', so that the row stream
        // includes every branch of payload_orphan_rows.sql.
        if (readsColumns(sql)) return created ? [...stagingColumnRows(dialect, ctx.schema, ctx.stagingTable), ...builderColumnRows(dialect, ctx.schema)] : [];
        return undefined;
      };
    },
    run: (db, ctx) => stageFromSsd(db, { schema: ctx.schema, asOf: ctx.asOf, table: ctx.stagingTable, allowEmptyCohort: true }),
  },
  {
    id: 'stage.safetyStop',
    command: 'stage',
    dialects: ['mssql', 'postgres', 'oracle'],
    title:
      "ssd stage over a staging table with many acknowledged children: the safety stop's planning pass (which children would be purged or lose every episode) and the stop, before anything is written",
    responder: (dialect, ctx) => (sql) => {
      if (readsTables(sql)) return builderTableNames();
      if (readsColumns(sql)) return [...stagingColumnRows(dialect, ctx.schema, ctx.stagingTable), ...builderColumnRows(dialect, ctx.schema)];
      if (/AS live/.test(sql)) return [{ live: 1000, acknowledged: 1000 }];
      return undefined;
    },
    run: async (db, ctx) => {
      try {
        await stageFromSsd(db, { schema: ctx.schema, asOf: ctx.asOf, table: ctx.stagingTable, allowEmptyCohort: true });
      } catch (e) {
        if (!(e instanceof SafetyStopError)) throw e;
      }
      // The planning pass over children still in the cohort whose new payload has no episode
      // (does their acknowledged payload have one?).
      const info = await ensureStagingTable(db, { schema: ctx.schema, table: ctx.stagingTable });
      await planMassChanges(db, info, stream([child('E1'), child('E2')]));
    },
  },
  {
    id: 'stage.write',
    command: 'stage',
    dialects: ['mssql', 'postgres', 'oracle'],
    title:
      'ssd stage: write a batch (new, changed and held-back children), mark the batch seen, then mark children who left the cohort (with and without partial payloads, with and without legacy_id)',
    responder: (dialect, ctx) => {
      // A, B exist; C is new; D (invalid) exists with its current hash; gone: G1 acknowledged, G2 never sent.
      const hashOf = (c: BuiltChild) => prepareChild(c).hashHex;
      const variant = { n: 0 };
      return (sql, params) => {
        if (readsColumns(sql)) {
          variant.n++;
          return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable, { legacyId: variant.n % 3 !== 0, jsonb: dialect === 'postgres' && variant.n % 2 === 0, stamp: variant.n % 2 === 1 });
        }
        if (!/AS acknowledged/.test(sql)) return undefined;
        if (/run_marks/i.test(sql)) {
          // Children who left the cohort (first page only): one acknowledged by the API, one never sent.
          return Number(params[1]) !== 0
            ? []
            : [
                {
                  id: 10,
                  person_id: 'G1',
                  legacy_id: 'LG1',
                  current_hash: 'ee',
                  row_state: 'Unchanged',
                  submission_status: 'Sent',
                  api_response: null,
                  acknowledged: 1,
                  previous_json_payload: '{"la_child_id":"G1"}',
                },
                { id: 11, person_id: 'G2', legacy_id: null, current_hash: 'dd', row_state: 'New', submission_status: 'Pending', api_response: null, acknowledged: 0, previous_json_payload: null },
              ];
        }
        const ids = (dialect === 'postgres' ? (params[0] as string[]) : (params as string[])) ?? [];
        const rows: Row[] = [];
        for (const id of ids) {
          if (id === 'B')
            rows.push({
              id: 2,
              person_id: 'B',
              current_hash: 'ff',
              row_state: 'New',
              submission_status: 'Sent',
              api_response: null,
              acknowledged: 1,
              previous_json: '{"la_child_id":"B"}',
              partial_json: null,
            });
          // E: unchanged and valid, its row without a validation stamp (gets one).
          if (id === 'E')
            rows.push({
              id: 5,
              person_id: 'E',
              current_hash: hashOf(child('E')),
              row_state: 'New',
              submission_status: 'Pending',
              api_response: null,
              acknowledged: 0,
              validation_stamp: null,
              previous_json: null,
              partial_json: null,
            });
          if (id === 'D')
            rows.push({
              id: 4,
              person_id: 'D',
              current_hash: hashOf(child('D', false)),
              row_state: 'New',
              submission_status: 'Pending',
              api_response: null,
              acknowledged: 0,
              previous_json: null,
              partial_json: null,
            });
        }
        return rows;
      };
    },
    run: async (db, ctx) => {
      for (const partial of ctx.allVariants ? [true, false, true] : [!!ctx.partial]) {
        // E's schema validation is deferred (as the builder hands children to staging).
        const e = { ...child('E'), withSchemaValidation: () => [] };
        await stageChildren(db, stream([child('B'), child('C'), child('D', false), e]), { schema: ctx.schema, table: ctx.stagingTable, partial, batchSize: 2 });
      }
    },
  },
  {
    id: 'send.test',
    command: 'send',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd send --mode test|live: read the queue page by page, record each answer (sent, or error with the reason) in one transaction per batch, count superseded rows',
    responder: (dialect, ctx) => (sql, params) => {
      if (readsColumns(sql)) return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable);
      if (/submission_status/.test(sql) && /ORDER BY/i.test(sql) && Number(params[0]) === 0 && params.length === 2) {
        return [pendingDeletionRow(), { id: 2, person_id: 'B', row_state: 'Updated', submission_status: 'Pending', json_payload: 'not json', partial_json_payload: null, current_hash: 'bb' }];
      }
      if (/COUNT\(\*\) AS n/.test(sql)) return [{ n: 1 }];
      return undefined;
    },
    run: (db, ctx) =>
      runSend(db, {
        mode: 'test',
        schema: ctx.schema,
        table: ctx.stagingTable,
        timing: NO_SLEEP,
        partial: !!ctx.partial,
        endpoint: ENDPOINT,
        fetch: apiAnswering(200, ['2025-03-31_10:00:00.00_123e4567-e89b-12d3-a456-426614174000.json']),
      }),
  },
  {
    id: 'send.stopped',
    command: 'send',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd send stopped before sending (more deletion payloads queued than the safety stop allows): count the deletions, the acknowledged children and the rows not read',
    responder: (dialect, ctx) => (sql, params) => {
      if (readsColumns(sql)) return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable);
      if (/COUNT\(\*\)/i.test(sql)) return [{ n: 30 }];
      // The deletion scan's first page: 30 deletion payloads (over the limit of 25 for 30 acknowledged).
      if (/json_payload/.test(sql) && Number(params[0]) === 0) {
        return Array.from({ length: 30 }, (_, i) => ({
          id: i + 1,
          row_state: 'Deleted',
          json_payload: JSON.stringify(deletionPayload({ la_child_id: `D${i}`, mis_child_id: null })),
          partial_json_payload: null,
        }));
      }
      return undefined;
    },
    run: (db, ctx) =>
      runSend(db, {
        mode: 'test',
        schema: ctx.schema,
        table: ctx.stagingTable,
        timing: NO_SLEEP,
        endpoint: ENDPOINT,
        fetch: NEVER_SENDS,
      }),
  },
  {
    id: 'send.rejected',
    command: 'send',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: "ssd send: the API rejects a record (400): it is marked Error with the API's reason",
    responder: (dialect, ctx) => (sql, params) => {
      if (readsColumns(sql)) return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable);
      if (/submission_status/.test(sql) && /ORDER BY/i.test(sql) && Number(params[0]) === 0) {
        return [pendingDeletionRow()];
      }
      if (/COUNT\(\*\)/i.test(sql)) return [{ n: 1 }];
      return undefined;
    },
    run: (db, ctx) =>
      runSend(db, {
        mode: 'test',
        schema: ctx.schema,
        table: ctx.stagingTable,
        timing: NO_SLEEP,
        endpoint: ENDPOINT,
        fetch: apiAnswering(400, { error: 'la_child_id: unknown child' }),
      }),
  },
  {
    id: 'send.locked',
    command: 'send',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: "ssd send while another run holds the staging table's lock: who holds it (session, host, program, since when); nothing is read or written",
    responder: (dialect, ctx) => (sql) => {
      if (readsColumns(sql)) return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable);
      if (/sp_getapplock/i.test(sql)) return [{ r: -1 }];
      if (/pg_try_advisory_lock/i.test(sql)) return [{ ok: false }];
      if (/FOR UPDATE SKIP LOCKED/i.test(sql)) return [];
      return undefined;
    },
    run: async (db, ctx) => {
      try {
        await runSend(db, {
          mode: 'test',
          schema: ctx.schema,
          table: ctx.stagingTable,
          timing: NO_SLEEP,
          endpoint: ENDPOINT,
          fetch: NEVER_SENDS,
        });
      } catch (e) {
        if (!(e instanceof TableLockedError)) throw e;
      }
    },
  },
  {
    id: 'fake.generate',
    command: 'fake',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: 'ssd fake: create the builder tables and the run marker table, check whose rows they hold, then write fake children with multi-row inserts',
    responder: () => (sql, params) => {
      if (/format_type/.test(sql)) return getTable(String(params[1])).columns.map((c) => ({ column_name: c.name, type_name: dataTypeOf('postgres', c.postgresType) }));
      return undefined;
    },
    run: (db, ctx) => generateFakeSsd(db, { schema: ctx.schema, children: 3, seed: 1, asOf: ctx.asOf }),
  },
  {
    id: 'browse.editor',
    command: 'browse',
    dialects: ['mssql', 'postgres', 'oracle'],
    title: "the editor's SSD view and ssd payload: columns, row counts, pages of child ids and staging rows, one staging row, one child's rows",
    responder: (dialect, ctx) => (sql) => {
      if (readsColumns(sql)) return [...columnRows(dialect, ctx.schema), ...stagingColumnRows(dialect, ctx.schema, ctx.stagingTable)];
      if (readsTables(sql)) return builderTableNames();
      return undefined;
    },
    run: async (db, ctx) => {
      await readSchemaColumns(db, ctx.schema);
      await countRows(db, ctx.schema, 'ssd_person');
      await pagePersonIds(db, ctx.schema, { after: 'P1', prefix: 'P_1%', pageSize: 100 });
      await stagingCounts(db, ctx.schema, ctx.stagingTable);
      await pageStagingRows(db, ctx.schema, ctx.stagingTable, { after: '10', rowState: 'New', submissionStatus: null });
      await readStagingRow(db, ctx.schema, ctx.stagingTable, '7');
      await buildChildPayload(db, 'P1', { schema: ctx.schema, asOf: ctx.asOf });
    },
  },
  {
    id: 'browse.driver',
    command: 'browse',
    dialects: ['mssql'],
    title:
      'SQL Server: what the driver sends by itself: on every new connection (lock timeout, session id, language), and while a statement waits for a lock (who blocks it; @spids and @pid are bound by the driver)',
    run: async (db) => {
      for (const s of driverOwnStatements()) await db.query(s.sql, s.params);
    },
  },
  {
    id: 'scramble.copy',
    command: 'scramble',
    title:
      "ssd scramble: identify both databases, read the source catalogue, create the copy's tables and marker, copy table by table in batches (the source's identifying values as keyed hashes into a temporary table), read the copy back to scan it (looking up the cells the filter lets through), then ssd check on both",
    responder: (dialect, ctx) => {
      // The source schema holds the builder tables; the copy's schema is empty at its first read and
      // holds the copy's tables after that.
      let copyReads = 0;
      return (sql, params) => {
        const source = String(params[0]).toLowerCase() === ctx.schema.toLowerCase();
        if (readsColumns(sql)) return source ? builderColumnRows(dialect, ctx.schema) : copyReads++ === 0 ? [] : builderColumnRows(dialect, `${ctx.schema}_scrambled`);
        if (readsTables(sql)) return source ? builderTableNames() : [];
        // PostgreSQL bulk insert: the copy table's column types (params: schema, table).
        if (/AS type_name/.test(sql))
          return builderColumnRows(dialect, String(params[0]))
            .filter((r) => r.table_name === params[1])
            .map((r) => ({ column_name: r.column_name, type_name: 'text' }));
        return undefined;
      };
    },
    run: async (db, ctx) => {
      // Source and copy on two connections: each says which database it is (same one: refused when the schemas are equal too).
      await databaseIdentity(db);
      const report = await runScramble(db, db, { fromSchema: ctx.schema, toSchema: `${ctx.schema}_scrambled`, key: Buffer.alloc(32, 7), asOf: ctx.asOf, sameDatabase: true });
      await driveScanStore(db);
      return report;
    },
  },
  {
    id: 'scramble.copy-stream',
    command: 'scramble',
    dialects: ['postgres'],
    copyFrom: true,
    title:
      "ssd scramble on a PostgreSQL server (the pg driver streams COPY; PGlite takes the inserts above): the copy's rows as COPY … FROM STDIN in text format, and the scan's keyed hashes the same way",
    run: async (db, ctx) => {
      // The copy's rows, as runScramble writes each batch of a table (values escaped as COPY text: tab, newline, backslash, NULL).
      const person = getTable('ssd_person');
      const columns = person.columns.slice(0, 4).map((c) => c.name);
      await bulkCopy(db, 'postgres', `${ctx.schema}_scrambled`, 'ssd_person', columns, [['P1', "O'Brien\tJr", null, 'a\\b\nc']]);
      await driveScanStore(db);
    },
  },
  {
    id: 'phases.read',
    command: 'phases',
    title: 'ssd phases: find the staging tables, fake and scrambled markers and send log in every schema, count staged rows and read the send history',
    responder: (dialect, ctx) => (sql) => {
      if (readsTables(sql)) return [{ table_schema: ctx.schema, table_name: ctx.stagingTable }];
      if (readsColumns(sql)) return stagingColumnRows(dialect, ctx.schema, ctx.stagingTable);
      return undefined;
    },
    run: (db) => readPhases([db]),
  },
];
