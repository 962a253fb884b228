// The editor's table inventory on Oracle (the tree's tables and columns, row counts, one staging
// row), through the Oracle driver against the scripted oracledb fake: the catalogue read from
// ALL_TAB_COLUMNS, a model column the database lacks shown with its Oracle type, and a staging row
// read through the dialect's catalogue query (Oracle has no INFORMATION_SCHEMA).
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { OracleDb } from '../../../src/db/oracleDriver';
import { countRows, mergeColumns, readSchemaColumns, readStagingRow } from '../../../src/browse/inventory';
import { getTable } from '../../../src/model/ssdModel';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';
import { renderTableDocument } from '../../../src/extension/core/tableDocument';

const spec = parseConnectionString('oracle://ssd@db.example.org:1521/AZEUS') as OracleSpec;
const txt = (name: string): FakeColumn => ({ name, type: 'VARCHAR2' });
const num = (name: string): FakeColumn => ({ name, type: 'NUMBER' });

describe("the editor's table inventory on Oracle (scripted oracledb)", () => {
  it('reads the columns, counts rows, shows a missing column with its Oracle type and reads one staging row', async () => {
    const fake = new FakeOracledb()
      .on(/FROM all_tab_columns/, () => ({
        columns: [txt('TABLE_SCHEMA'), txt('TABLE_NAME'), txt('COLUMN_NAME'), txt('DATA_TYPE'), num('CHARACTER_MAXIMUM_LENGTH'), txt('IS_NULLABLE'), num('ORDINAL_POSITION')],
        rows: [
          ['ssd', 'ssd_person', 'pers_person_id', 'nvarchar2', 48, 'NO', 1],
          ['ssd', 'ssd_api_data_staging', 'id', 'number', null, 'NO', 1],
          ['ssd', 'ssd_api_data_staging', 'person_id', 'nvarchar2', 48, 'YES', 2],
          ['ssd', 'ssd_api_data_staging', 'json_payload', 'clob', null, 'NO', 3],
          ['ssd', 'ssd_api_data_staging', 'row_state', 'nvarchar2', 10, 'YES', 4],
        ],
      }))
      .on(/^SELECT COUNT\(\*\) AS n FROM "SSD"\."SSD_PERSON"$/, () => ({ columns: [num('N')], rows: [[42]] }))
      .on(/^SELECT "PERSON_ID" AS "PERSON_ID", "ROW_STATE" AS "ROW_STATE", "JSON_PAYLOAD" AS "JSON_PAYLOAD" FROM "SSD"\."SSD_API_DATA_STAGING" WHERE "ID" = :b1$/, (_sql, b) => {
        assert.equal((b as Record<string, unknown>).b1, 7);
        return { columns: [txt('PERSON_ID'), txt('ROW_STATE'), { name: 'JSON_PAYLOAD', type: 'CLOB' }], rows: [['P7', 'New', '{"la_child_id":"P7"}']] };
      });
    const db = await OracleDb.open(spec, describeSpec(spec), { driver: fake, password: 'pw' });
    try {
      const cols = await readSchemaColumns(db, 'ssd');
      assert.deepEqual([...cols.keys()].sort(), ['ssd_api_data_staging', 'ssd_person']);
      const person = mergeColumns(getTable('ssd_person'), cols.get('ssd_person'), 'oracle');
      assert.equal(person.find((c) => c.name === 'pers_person_id')!.present, true);
      const dob = person.find((c) => c.name === 'pers_dob')!;
      assert.deepEqual([dob.present, dob.type], [false, 'timestamp(3)']);
      assert.equal(await countRows(db, 'ssd', 'ssd_person'), 42);
      const row = await readStagingRow(db, 'ssd', 'ssd_api_data_staging', '7');
      assert.deepEqual(row, { id: '7', values: { person_id: 'P7', row_state: 'New', json_payload: { la_child_id: 'P7' } } });
    } finally {
      await db.close();
    }
  });

  it('the table document (the tree\'s "Show Table") names Oracle\'s types', () => {
    const doc = renderTableDocument(getTable('ssd_person'), 'oracle', []);
    assert.match(doc.text, /## Columns \(Oracle types from the SSD model/);
    const line = doc.text.split('\n')[doc.columnLines.get('pers_dob')!]!;
    assert.match(line, /pers_dob\s+TIMESTAMP\(3\)/);
  });
});
