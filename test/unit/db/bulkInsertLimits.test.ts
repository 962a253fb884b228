// bulkInsert's SQL Server path stays under the server's 2,100-parameter limit (and the 1,000-row
// VALUES limit) whatever the column count, row count and requested batch size; every row is sent
// once, in order. Checked on the statements themselves, recorded without a server.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bulkInsert } from '../../../src/db/bulkInsert';
import { RecordingDb } from '../../../src/db/recordingDb';
import { rewritePlaceholders } from '../../../src/db/mssqlParams';

describe('bulkInsert on SQL Server: parameter limits at any batch size', () => {
  it('every statement binds at most 2,100 parameters and at most 1,000 rows; all rows go, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 2600 }), fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }), async (cols, nRows, maxRows) => {
        const db = new RecordingDb('mssql');
        const columns = Array.from({ length: cols }, (_, i) => `c${i}`);
        const rows = Array.from({ length: nRows }, (_, r) => columns.map((_, c) => (c === 0 ? r : null)));
        const n = await bulkInsert(db, 'mssql', 'dbo', 't', columns, rows, maxRows === undefined ? {} : { maxRowsPerStatement: maxRows });
        assert.equal(n, nRows);
        const sent: unknown[] = [];
        for (const s of db.statements) {
          assert.ok(s.params.length <= 2100, `${s.params.length} parameters`);
          const groups = (s.sql.match(/\(\$/g) ?? []).length;
          assert.ok(groups <= 1000, `${groups} VALUES rows`);
          assert.equal(rewritePlaceholders(s.sql).maxIndex, s.params.length);
          for (let i = 0; i < s.params.length; i += cols) sent.push(s.params[i]);
        }
        assert.deepEqual(
          sent,
          rows.map((r) => r[0]),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('staging writes on SQL Server: parameter limits at any batch size', () => {
  it('a batch of 2,600 new children is written in statements of at most 2,100 parameters', async () => {
    const { stageChildren } = await import('../../../src/staging/stageChildren');
    const { stagingColumnRows } = await import('../../../src/sqlCatalogue/scenarios/fixtures');
    const db = new RecordingDb('mssql', (sql) => (/INFORMATION_SCHEMA\.COLUMNS/.test(sql) ? stagingColumnRows('mssql', 'dbo', 'ssd_api_data_staging') : undefined));
    async function* children() {
      for (let i = 0; i < 2600; i++) yield { personId: `P${i}`, legacyId: null, payload: { la_child_id: `P${i}` }, problems: [] };
    }
    const r = await stageChildren(db, children(), { batchSize: 2600, allowEmptyCohort: true });
    assert.equal(r.new, 2600);
    const inserts = db.statements.filter((s) => /^-- New staging rows/.test(s.sql));
    assert.ok(inserts.length >= 2);
    assert.equal(
      inserts.reduce((n, s) => n + s.params.length, 0),
      2600 * 8,
    );
    for (const s of db.statements) assert.ok(s.params.length <= 2100, `${s.params.length} parameters: ${s.sql.slice(0, 60)}`);
  });
});
