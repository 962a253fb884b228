// "Test" before saving a connection: the server answers and the schema's SSD tables are counted.
import assert from 'node:assert/strict';
import { describeConnectionTest, testOpenConnection } from '../../../src/connections/testConnection';
import { initTables } from '../../../src/ddl/initTables';
import { forEachTarget } from '../../helpers/targets';

forEachTarget(
  'Test connection',
  (fx) => {
    it('counts the SSD tables of the schema, and says when a schema has none', async () => {
      const { db, schema } = fx();
      const empty = await testOpenConnection(db, schema);
      assert.equal(empty.ssdTables, 0);
      assert.match(describeConnectionTest('T', empty), /has no (SSD tables|tables at all)/);
      await initTables(db, { schema });
      const r = await testOpenConnection(db, schema);
      assert.equal(r.ssdTables, 19);
      assert.equal(r.schemaHasTables, true);
      assert.equal(describeConnectionTest('T', r), `Connected to "T": schema ${schema} has 19 SSD tables.`);
      const other = await testOpenConnection(db, 'no_such_schema_h15');
      assert.deepEqual([other.ssdTables, other.schemaHasTables], [0, false]);
    });
  },
  { oracle: true },
);
