import assert from 'node:assert/strict';
import { bulkInsert, rowsPerStatement, MSSQL_MAX_PARAMS } from '../../../src/db/bulkInsert';
import { forEachTarget } from '../../helpers/targets';

describe('bulkInsert: statement sizes', () => {
  it('keeps SQL Server statements under 2,100 parameters and 1,000 rows', () => {
    assert.equal(rowsPerStatement('mssql', 1), 1000);
    assert.equal(rowsPerStatement('mssql', 16), 125);
    assert.ok(rowsPerStatement('mssql', 7) * 7 <= MSSQL_MAX_PARAMS);
    assert.equal(rowsPerStatement('mssql', 16, 50), 50);
    assert.throws(() => rowsPerStatement('mssql', 2500), /parameter limit/);
    assert.throws(() => rowsPerStatement('postgres', 0), /at least one column/);
  });
});

forEachTarget('bulkInsert', (fx) => {
  const NASTY = ["O'Brien", 'back\\slash', 'comma, and "quotes"', '{braces}', 'NULL', '', 'Zoë Ünïcödé', 'tab\there', 'new\nline'];

  before(async () => {
    const { db, t } = fx();
    const text = db.dialect === 'mssql' ? 'NVARCHAR(200)' : 'VARCHAR(200)';
    const ts = db.dialect === 'mssql' ? 'DATETIME2' : 'TIMESTAMP';
    const big = db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT';
    const fl = db.dialect === 'mssql' ? 'FLOAT' : 'DOUBLE PRECISION';
    await db.execute(`CREATE TABLE ${t('bulk_t')} (id INT NOT NULL PRIMARY KEY, name ${text} NULL, at ${ts} NULL, score INT NULL, ratio ${fl} NULL, note ${big} NULL, flag CHAR(1) NULL)`);
  });

  it('round-trips awkward values, NULLs, numbers and dates', async () => {
    const { db, schema, t } = fx();
    const at = db.dialect === 'mssql' ? '2024-02-29T00:00:00' : '2024-02-29';
    const rows = NASTY.map((s, i) => [i, s, i % 3 === 0 ? null : at, i % 2 ? null : i * 7, i / 4, s.repeat(3), i % 2 ? 'Y' : 'N']);
    const n = await bulkInsert(db, db.dialect, schema, 'bulk_t', ['id', 'name', 'at', 'score', 'ratio', 'note', 'flag'], rows);
    assert.equal(n, NASTY.length);
    const back = await db.query<{ id: number; name: string | null; at: string | null; score: number | null; ratio: number; note: string; flag: string }>(
      `SELECT id, name, at, score, ratio, note, flag FROM ${t('bulk_t')} ORDER BY id`,
    );
    assert.equal(back.length, NASTY.length);
    back.forEach((r, i) => {
      assert.equal(r.name, NASTY[i]);
      assert.equal(r.note, NASTY[i]!.repeat(3));
      assert.equal(r.at === null ? null : String(r.at).slice(0, 10), i % 3 === 0 ? null : '2024-02-29');
      assert.equal(r.score, i % 2 ? null : i * 7);
      assert.equal(Number(r.ratio), i / 4);
      assert.equal(r.flag, i % 2 ? 'Y' : 'N');
    });
  });

  it('chunks large inserts and inserts only the columns named', async () => {
    const { db, schema, t } = fx();
    const rows = Array.from({ length: 2345 }, (_, i) => [1000 + i, `n${i}`]);
    assert.equal(await bulkInsert(db, db.dialect, schema, 'bulk_t', ['id', 'name'], rows, { maxRowsPerStatement: 400 }), 2345);
    const [c] = await db.query<{ n: number; lo: number; hi: number; nulls: number }>(
      `SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi, SUM(CASE WHEN score IS NULL THEN 1 ELSE 0 END) AS nulls FROM ${t('bulk_t')} WHERE id >= 1000`,
    );
    assert.deepEqual([Number(c!.n), Number(c!.lo), Number(c!.hi), Number(c!.nulls)], [2345, 1000, 3344, 2345]);
  });

  it('rolls back with the transaction when a row fails', async () => {
    const { db, schema, t } = fx();
    await assert.rejects(
      db.transaction(async (tx) => {
        await bulkInsert(
          tx,
          db.dialect,
          schema,
          'bulk_t',
          ['id', 'name'],
          [
            [5000, 'ok'],
            [5001, 'ok'],
          ],
        );
        await bulkInsert(tx, db.dialect, schema, 'bulk_t', ['id', 'name'], [[5002, 'x'.repeat(300)]]);
      }),
    );
    const [c] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t('bulk_t')} WHERE id >= 5000`);
    assert.equal(Number(c!.n), 0);
  });

  it('rejects bad identifiers and ragged rows before touching the database', async () => {
    const { db, schema } = fx();
    await assert.rejects(bulkInsert(db, db.dialect, schema, 'bulk_t; DROP TABLE x', ['id'], [[1]]), /invalid table/);
    await assert.rejects(bulkInsert(db, db.dialect, schema, 'bulk_t', ['id', 'na me'], [[1, 'a']]), /invalid column/);
    await assert.rejects(bulkInsert(db, db.dialect, schema, 'bulk_t', ['id', 'name'], [[1]]), /row 1 has 1 values for 2 columns/);
    await assert.rejects(bulkInsert(db, db.dialect, schema, 'bulk_t', ['id', 'ID'], [[1, 2]]), /given twice/);
    assert.equal(await bulkInsert(db, db.dialect, schema, 'bulk_t', ['id'], []), 0);
  });
});
