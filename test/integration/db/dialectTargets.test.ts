// What runs on every target, Oracle included (SSD_TEST_ORACLE): the driver contract of types.ts
// (parameters, dates as text, lower-case keys, streams, transactions, script batches, bulk
// insert) and `ssd init` (every SSD table created from the model, then left alone). On this
// machine: PGlite and PostgreSQL; Oracle runs in GitHub Actions (gvenzl/oracle-free).
import assert from 'node:assert/strict';
import { forEachTarget } from '../../helpers/targets';
import { bulkInsert } from '../../../src/db/bulkInsert';
import { castDate, columnsSql, qualify } from '../../../src/db/dialect';
import { initTables, tableExists } from '../../../src/ddl/initTables';
import { tablesForSet } from '../../../src/model/ssdModel';
import { DbError } from '../../../src/db/types';

forEachTarget(
  'dialect contract and ssd init',
  (fx) => {
    it('creates every SSD table from the model, and a second run creates none', async () => {
      const { db, schema } = fx();
      const first = await initTables(db, { schema, tables: 'all' });
      assert.equal(first.created.length, tablesForSet('all').length);
      assert.ok(await tableExists(db, schema, 'ssd_person'));
      const second = await initTables(db, { schema, tables: 'all' });
      assert.equal(second.created.length, 0);
      const cols = await db.query<{ table_name: string; column_name: string }>(columnsSql(db.dialect), [schema]);
      assert.ok(cols.some((c) => c.table_name.toLowerCase() === 'ssd_person' && c.column_name.toLowerCase() === 'pers_dob'));
    });

    it('bulk-inserts and reads back with bound parameters, dates as YYYY-MM-DD and lower-case keys', async () => {
      const { db, schema } = fx();
      const t = qualify(db.dialect, schema, 'ssd_person');
      const rows = Array.from({ length: 30 }, (_, i) => [`P${i}`, `2015-03-${String((i % 28) + 1).padStart(2, '0')}`]);
      await db.transaction((tx) => bulkInsert(tx, db.dialect, schema, 'ssd_person', ['pers_person_id', 'pers_dob'], rows));
      const got = await db.query<{ pers_person_id: string; pers_dob: string }>(`SELECT pers_person_id, pers_dob FROM ${t} WHERE pers_person_id = $1 OR pers_person_id = $2 ORDER BY pers_person_id`, [
        'P1',
        'P2',
      ]);
      assert.deepEqual(
        got.map((r) => [r.pers_person_id, String(r.pers_dob).slice(0, 10)]),
        [
          ['P1', '2015-03-02'],
          ['P2', '2015-03-03'],
        ],
      );
      const since = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t} WHERE pers_dob >= ${castDate(db.dialect, '$1')}`, ['2015-03-20']);
      assert.equal(Number(since[0]!.n), 9); // days 20–28 (rows 19–27); rows 28 and 29 wrap to days 1 and 2
    });

    it('streams in batches, rolls back a failed transaction, and reports a missing table as a DbError', async () => {
      const { db, schema } = fx();
      const t = qualify(db.dialect, schema, 'ssd_person');
      let n = 0;
      for await (const _ of db.stream(`SELECT pers_person_id FROM ${t}`, [], { batchSize: 7 })) n++;
      assert.equal(n, 30);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute(`DELETE FROM ${t} WHERE pers_person_id = $1`, ['P0']);
          await tx.execute(`SELECT * FROM ${qualify(db.dialect, schema, 'no_such_table')}`);
        }),
        DbError,
      );
      assert.equal((await db.query(`SELECT pers_person_id FROM ${t} WHERE pers_person_id = $1`, ['P0'])).length, 1);
      const r = await db.runBatch(`UPDATE ${t} SET pers_upn = NULL WHERE pers_person_id = 'P1'`);
      assert.deepEqual(r.rowsAffected, [1]);
    });
  },
  { oracle: true },
);
