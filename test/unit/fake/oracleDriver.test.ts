// ssd fake on the Oracle driver, against the scripted oracledb fake (no Oracle here): the tables
// and the marker table are created with guarded PL/SQL blocks, every chunk of children goes in
// with executeMany (array DML, binds by position) inside one committed transaction together with
// the marker's progress, and dates are bound as 'YYYY-MM-DDTHH:MM:SS' text (what the session's
// NLS_DATE_FORMAT, set by the driver, reads). What Oracle does with the rows is for the
// SSD_TEST_ORACLE suite.
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { OracleDb } from '../../../src/db/oracleDriver';
import { FAKE_COLUMNS, FAKE_TABLES } from '../../../src/fake/cohort';
import { generateFakeSsd } from '../../../src/fake/generateFakeSsd';
import { getColumn } from '../../../src/model/ssdModel';
import { FakeOracledb } from '../../helpers/fakeOracledb';

describe('ssd fake on the Oracle driver (scripted oracledb)', () => {
  it('creates the tables, writes each chunk with executeMany in a committed transaction, dates as text with a time', async () => {
    const inserted = new Map<string, unknown[][]>();
    const markerUpdates: unknown[] = [];
    const fake = new FakeOracledb()
      .on(/^DECLARE n NUMBER; BEGIN SELECT COUNT\(\*\) INTO n FROM all_users/, () => ({}))
      .on(/FROM all_objects/, () => ({
        columns: [
          { name: 'TABLE_SCHEMA', type: 'VARCHAR2' },
          { name: 'TABLE_NAME', type: 'VARCHAR2' },
        ],
        rows: [],
      }))
      .on(/^BEGIN\n/, () => ({}))
      .on(/^SELECT run_no, status, tables_json FROM "SSD_DEVELOPMENT"\."SSD_WORKBENCH_FAKE_RUNS" ORDER BY run_no DESC FETCH FIRST 1 ROWS ONLY$/, () => ({
        columns: [{ name: 'RUN_NO', type: 'NUMBER' }],
        rows: [],
      }))
      .on(/^SELECT COUNT\(\*\) AS n, MIN\(/, () => ({
        columns: [
          { name: 'N', type: 'NUMBER' },
          { name: 'LO', type: 'VARCHAR2' },
          { name: 'HI', type: 'VARCHAR2' },
        ],
        rows: [[0, null, null]],
      }))
      .on(/^SELECT MAX\(run_no\) AS n/, () => ({ columns: [{ name: 'N', type: 'NUMBER' }], rows: [[null]] }))
      .on(/^INSERT INTO "SSD_DEVELOPMENT"\."SSD_WORKBENCH_FAKE_RUNS"/, () => ({ rowsAffected: 1 }))
      .on(/^INSERT INTO "SSD_DEVELOPMENT"\."(\w+)"/, (sql, binds) => {
        const table = /^INSERT INTO "SSD_DEVELOPMENT"\."(\w+)"/.exec(sql)![1]!.toLowerCase();
        inserted.set(table, [...(inserted.get(table) ?? []), binds as unknown[]]);
        return { rowsAffected: 1 };
      })
      .on(/^UPDATE "SSD_DEVELOPMENT"\."SSD_WORKBENCH_FAKE_RUNS"/, (_sql, binds) => {
        markerUpdates.push(binds);
        return { rowsAffected: 1 };
      });
    const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;
    const db = await OracleDb.open(spec, describeSpec(spec), { driver: fake, password: 'pw' });
    try {
      const summary = await generateFakeSsd(db, { schema: 'ssd_development', children: 30, seed: 7, asOf: '2025-03-31', chunkSize: 10 });
      assert.equal(summary.children, 30);
      assert.equal(inserted.get('ssd_person')?.length, 30);
      for (const t of FAKE_TABLES) assert.equal(inserted.get(t)?.length ?? 0, summary.rows[t], t);
      // Array DML, one call per table and chunk, binds by position.
      const many = fake.calls.filter((c) => c.many);
      assert.ok(many.length >= 3 && many.every((c) => Array.isArray((c.binds as unknown[])[0])));
      assert.match(many[0]!.sql, /^INSERT INTO "SSD_DEVELOPMENT"\."SSD_PERSON" \("PERS_PERSON_ID".*\) VALUES \(:b1, :b2/);
      // Every DATETIME column's value is text with a time of day (or NULL).
      const cols = FAKE_COLUMNS.ssd_person as readonly string[];
      const dob = cols.indexOf('pers_dob');
      assert.equal(getColumn('ssd_person', 'pers_dob').sqlServerType, 'DATETIME');
      assert.ok(inserted.get('ssd_person')!.every((r) => r[dob] === null || /^\d{4}-\d\d-\d\dT00:00:00$/.test(String(r[dob]))));
      // Three chunks, each committed with the marker's progress; then the run marked complete.
      assert.ok(fake.committedWork.filter((s) => /^UPDATE .*SET children_written/.test(s)).length === 3);
      assert.deepEqual(
        markerUpdates.map((b) => (b as Record<string, unknown>).b1),
        [10, 20, 30, 'complete'],
      );
      assert.ok(fake.sqlSeen().some((s) => /DELETE FROM/.test(s)) === false, 'empty tables: nothing deleted');
    } finally {
      await db.close();
    }
  });
});
