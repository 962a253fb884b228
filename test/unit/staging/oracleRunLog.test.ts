// Parts of ssd stage on Oracle (issue 16; the whole of stage and send: oracleStageSend.test.ts), on the Oracle driver against the
// scripted oracledb fake (no Oracle here): the staging table is created and accepted with Oracle's
// types (RAW hashes, CLOB payloads), and the stage run log is created, written and read back with
// the values in the shapes the code expects (booleans as 1/0, the as-of date as a DATE bound through
// TO_DATE, dates and CLOBs back as text). The fake keeps the run log in memory; what Oracle itself
// does with these statements is for the SSD_TEST_ORACLE suite (their syntax: oracleGrammar.test.ts).
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { OracleDb } from '../../../src/db/oracleDriver';
import { ensureStageRunsTable, finishStageRun, lastCompletedRun, startStageRun } from '../../../src/staging/stageRuns';
import { ensureStagingTable } from '../../../src/staging/stagingTable';
import { stagingColumnRows } from '../../../src/sqlCatalogue/scenarios/fixtures';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';
import { RecordingDb } from '../../../src/db/recordingDb';
import { stageFromSsd } from '../../../src/staging/runStage';
import { runPreflight } from '../../../src/script/preflight';
import { runScramble } from '../../../src/scramble/runScramble';
import { readPhases } from '../../../src/phases/phases';

const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;
const open = (fake: FakeOracledb) => OracleDb.open(spec, describeSpec(spec), { driver: fake, password: 'pw' });

const RUN_COLUMNS: FakeColumn[] = [
  { name: 'RUN_ID', type: 'VARCHAR2' },
  { name: 'STARTED_AT', type: 'TIMESTAMP' },
  { name: 'FINISHED_AT', type: 'TIMESTAMP' },
  { name: 'AS_OF', type: 'DATE' },
  { name: 'STAGING_TABLE', type: 'VARCHAR2' },
  { name: 'SSD_SCHEMA', type: 'VARCHAR2' },
  { name: 'SOURCE_ROW_COUNTS', type: 'CLOB' },
  { name: 'LIVE_ROWS', type: 'NUMBER' },
  { name: 'ACKNOWLEDGED_ROWS', type: 'NUMBER' },
  { name: 'COHORT', type: 'NUMBER' },
  { name: 'NEW_ROWS', type: 'NUMBER' },
  { name: 'MASS_CHANGE_ALLOWED', type: 'NUMBER' },
  { name: 'OUTCOME', type: 'VARCHAR2' },
  { name: 'STOP_REASON', type: 'CLOB' },
];

describe('ssd stage on Oracle: staging table and run log (scripted oracledb)', () => {
  it('creates the staging table with a guarded block and accepts its Oracle types', async () => {
    let created = false;
    const fake = new FakeOracledb()
      .on(/FROM all_tab_columns/, () => ({
        columns: ['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'].map((name): FakeColumn => ({ name, type: 'VARCHAR2' })).concat([{ name: 'CHARACTER_MAXIMUM_LENGTH', type: 'NUMBER' }]),
        rows: created ? stagingColumnRows('oracle', 'SSD', 'ssd_api_data_staging').map((r) => [r.table_schema, r.table_name, r.column_name, r.data_type, r.character_maximum_length]) : [],
      }))
      .on(/^BEGIN\n/, (sql) => {
        if (/CREATE TABLE "SSD"\."SSD_API_DATA_STAGING"/.test(sql)) created = true;
        return {};
      })
      .on(/^-- Person ids with more than one staging row/, () => ({ columns: [{ name: 'PERSON_ID', type: 'VARCHAR2' }], rows: [] }));
    const db = await open(fake);
    try {
      const info = await ensureStagingTable(db, {});
      assert.equal(info.created, true);
      assert.equal(info.qualified, '"SSD"."SSD_API_DATA_STAGING"');
      assert.equal(info.jsonColumns, false);
      assert.equal(info.hasLegacyId, true);
      const block = fake.calls.find((c) => /CREATE TABLE "SSD"\."SSD_API_DATA_STAGING"/.test(c.sql))!;
      assert.match(block.sql, /current_hash RAW\(32\) NULL/);
      assert.match(block.sql, /IF SQLCODE != -955 THEN RAISE; END IF;/);
    } finally {
      await db.close();
    }
  });

  it("writes a run and reads it back as the safety stop's baseline", async () => {
    const table: Array<Record<string, unknown>> = [];
    const fake = new FakeOracledb()
      .on(/^BEGIN\n/, () => ({}))
      .on(/^-- A stage run starts/, (_sql, b) => {
        const x = b as Record<string, unknown>;
        table.push({
          RUN_ID: x.b1,
          AS_OF: x.b2,
          STAGING_TABLE: x.b3,
          SSD_SCHEMA: x.b4,
          SOURCE_ROW_COUNTS: x.b5,
          LIVE_ROWS: x.b6,
          ACKNOWLEDGED_ROWS: x.b7,
          MASS_CHANGE_ALLOWED: x.b8,
          OUTCOME: 'running',
          STARTED_AT: '2025-03-31T09:00:00.123',
          FINISHED_AT: null,
        });
        return { rowsAffected: 1 };
      })
      .on(/^-- End of a stage run/, (sql, b) => {
        const x = b as Record<string, unknown>;
        assert.match(sql, /SET finished_at = SYSTIMESTAMP/);
        const r = table.find((t) => t.RUN_ID === x.b1)!;
        Object.assign(r, { OUTCOME: x.b2, STOP_REASON: x.b3, COHORT: x.b4, NEW_ROWS: x.b5, FINISHED_AT: '2025-03-31T09:05:00' });
        return { rowsAffected: 1 };
      })
      .on(/FROM all_objects/, () => ({
        columns: [
          { name: 'TABLE_SCHEMA', type: 'VARCHAR2' },
          { name: 'TABLE_NAME', type: 'VARCHAR2' },
        ],
        rows: [['ssd', 'ssd_api_stage_runs']],
      }))
      .on(/^-- The latest runs/, (sql, b) => {
        const x = b as Record<string, unknown>;
        assert.match(sql, /FETCH FIRST 20 ROWS ONLY\s*$/);
        const rows = table.filter((t) => t.STAGING_TABLE === x.b1 && (x.b2 === null || t.OUTCOME === x.b2));
        return { columns: RUN_COLUMNS, rows: rows.map((r) => RUN_COLUMNS.map((c) => r[c.name] ?? null)) };
      });
    const db = await open(fake);
    try {
      const runs = await ensureStageRunsTable(db, 'ssd');
      assert.equal(runs, '"SSD"."SSD_API_STAGE_RUNS"');
      const runId = await startStageRun(db, runs, {
        asOf: '2025-03-31',
        stagingTable: 'ssd.ssd_api_data_staging',
        ssdSchema: 'ssd_development',
        sourceRowCounts: { ssd_person: 12 },
        liveRows: 3,
        acknowledgedRows: 1,
        massChangeAllowed: false,
      });
      const insert = fake.calls.find((c) => /^-- A stage run starts/.test(c.sql))!;
      assert.match(insert.sql, /VALUES \(:b1, TO_DATE\(SUBSTR\(:b2, 1, 10\), 'YYYY-MM-DD'\), :b3/);
      assert.equal((insert.binds as Record<string, unknown>).b8, 0, 'a boolean binds as 0/1');
      await finishStageRun(db, runs, runId, { outcome: 'completed', cohort: 10, new: 2 });
      const last = await lastCompletedRun(db, 'ssd', 'ssd.ssd_api_data_staging', 'SSD_DEVELOPMENT');
      assert.ok(last);
      assert.equal(last.runId, runId);
      assert.equal(last.asOf, '2025-03-31');
      assert.equal(last.startedAt, '2025-03-31T09:00:00.123');
      assert.deepEqual(last.sourceRowCounts, { ssd_person: 12 });
      assert.equal(last.massChangeAllowed, false);
      assert.deepEqual([last.cohort, last.new, last.liveRows, last.acknowledgedRows], [10, 2, 3, 1]);
    } finally {
      await db.close();
    }
  });

  it('ssd scramble and phases, not ported yet, refuse on Oracle before reading or writing anything', async () => {
    const db = new RecordingDb('oracle');
    const recorded: ReadonlyArray<{ sql: string }> = db.statements;
    await assert.rejects(
      runScramble(db, new RecordingDb('postgres'), { fromSchema: 'ssd', toSchema: 'ssd_s', key: Buffer.alloc(32, 1), asOf: '2025-03-31' }),
      /ssd scramble does not run on Oracle yet \(issue 16\): init, check, payload, fake, stage, send and preflight do; nothing was read or written/,
    );
    await assert.rejects(readPhases([db]), /ssd phases does not run on Oracle yet/);
    assert.deepEqual(db.statements, []);
    // Stage (oracleStageSend.test.ts) and preflight (oraclePreflight.test.ts) run: they get as far as the database.
    await assert.rejects(stageFromSsd(db, { asOf: '2025-03-31' }), (e: Error) => !/does not run on Oracle/.test(e.message));
    await runPreflight(db, { schema: 'ssd' });
    assert.ok(recorded.some((x) => /session_privs/.test(x.sql)));
  });
});
