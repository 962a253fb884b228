// The payload builder on the Oracle driver, without an Oracle server: the rows of the payload
// stream are computed by a real database (PGlite, from the same spec the Oracle file is rendered
// from) and handed back through the Oracle driver by the scripted oracledb fake as Oracle returns
// them: UPPER-case column names, TIMESTAMP columns as text in the session's NLS format
// ('YYYY-MM-DDTHH:MM:SS.FF3'), '' as NULL (Oracle stores no empty strings), the long text as a CLOB,
// the catalogue from ALL_OBJECTS / ALL_TAB_COLUMNS. The payloads must be the ones PGlite's own
// build gives, and the statement the driver sends must be sql/oracle/payload_child_rows.sql with
// Oracle binds. What this cannot show (no Oracle here): that Oracle computes the same rows from
// that SQL; the grammar test parses it, and the SSD_TEST_ORACLE suite runs it on a real server.
import assert from 'node:assert/strict';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { openDb } from '../../../src/db/openDb';
import { OracleDb } from '../../../src/db/oracleDriver';
import type { Db, Row } from '../../../src/db/types';
import { initTables } from '../../../src/ddl/initTables';
import { BUILDER_TABLES, getTable } from '../../../src/model/ssdModel';
import { assertBuilderTables, buildChildPayload, childRowsSql, orphanBranchesPresent, streamChildPayloads } from '../../../src/payload/buildPayloads';
import { STREAM_SLOTS } from '../../../src/payload/rowSpec';
import type { BuiltChild } from '../../../src/payload/types';
import { columnRows } from '../../../src/sqlCatalogue/scenarios/fixtures';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';
import { insertSsdRows, type SsdRows } from '../../helpers/ssdRows';

const AS_OF = '2025-03-31';
const SCHEMA = 'ssd_development';

function dataset(): SsdRows {
  return {
    ssd_person: [
      { pers_person_id: 'C1', pers_legacy_id: 'L1', pers_forename: "O'Brien", pers_surname: 'Zoë', pers_dob: '2012-02-29', pers_sex: 'm', pers_ethnicity: 'WBRI', pers_upn: 'A123456789012' },
      { pers_person_id: 'C2', pers_legacy_id: '', pers_dob: '2016-07-01T08:15:00', pers_sex: 'F' },
      { pers_person_id: 'OLD', pers_dob: '1990-01-01' },
      { pers_person_id: 'Zé', pers_dob: '2018-01-01' },
    ],
    ssd_address: [{ addr_person_id: 'C1', addr_address_start_date: '2024-01-01T09:30:00', addr_address_postcode: 'AB1 2CD' }],
    ssd_cin_episodes: [
      {
        cine_referral_id: 'R1',
        cine_person_id: 'C1',
        cine_referral_date: '2024-06-01T14:00:00',
        cine_referral_source_code: '1a',
        cine_referral_nfa: 'N',
        cine_close_reason: 'RC1',
        cine_close_date: '2025-01-31',
      },
      { cine_referral_id: 'R2', cine_person_id: 'C2', cine_referral_date: '2024-09-01' },
      { cine_referral_id: 'R3', cine_person_id: 'Zé', cine_referral_date: '2024-10-01' },
    ],
    ssd_cin_assessments: [{ cina_assessment_id: 'A1', cina_person_id: 'C1', cina_referral_id: 'R1', cina_assessment_start_date: '2024-06-02', cina_assessment_auth_date: '2024-07-01' }],
    ssd_assessment_factors: [{ cinf_table_id: 'F1', cinf_assessment_id: 'A1', cinf_assessment_factors_json: '{"1C": "Y", "4A": "Y"}' }],
    ssd_cin_plans: [{ cinp_cin_plan_id: 'P9', cinp_referral_id: 'RX', cinp_person_id: 'C2', cinp_cin_plan_start_date: '2024-10-01' }],
    ssd_sdq_scores: [{ csdq_person_id: 'C1', csdq_sdq_completed_date: '2024-12-01', csdq_sdq_score: 12 }],
  };
}

/** How Oracle returns a column of the stream: the slot class fixes its type. */
function streamColumns(): FakeColumn[] {
  return ['pid', 'k', ...STREAM_SLOTS].map((name) => ({
    name,
    type: name.startsWith('d') ? 'TIMESTAMP' : name === 'n1' ? 'NUMBER' : name === 'x' ? 'CLOB' : 'VARCHAR2',
  }));
}

/** A PGlite value as the fake's server holds it: Oracle has no empty strings (they are NULL). */
const asOracle = (v: unknown) => (v === '' ? null : v);

describe('payload builder on the Oracle driver (scripted oracledb, rows computed by PGlite)', function () {
  this.timeout(120_000);
  let pg: Db;
  let streamRows: Row[] = [];
  const expected: BuiltChild[] = [];

  before(async () => {
    pg = await openDb('pglite:memory');
    await pg.execute(`CREATE SCHEMA ${SCHEMA}`);
    await initTables(pg, { schema: SCHEMA });
    await insertSsdRows(pg, SCHEMA, dataset());
    for await (const c of streamChildPayloads(pg, { schema: SCHEMA, asOf: AS_OF })) expected.push(c);
    const actual = await assertBuilderTables(pg, SCHEMA);
    streamRows = await pg.query(childRowsSql(pg, SCHEMA, await orphanBranchesPresent(pg, SCHEMA), actual), [null]);
  });

  after(async () => {
    await pg?.close();
  });

  function fakeOracle(): FakeOracledb {
    const cols = streamColumns();
    return new FakeOracledb()
      .on(/FROM all_objects/, () => ({
        columns: [
          { name: 'TABLE_SCHEMA', type: 'VARCHAR2' },
          { name: 'TABLE_NAME', type: 'VARCHAR2' },
        ],
        rows: BUILDER_TABLES.map((t) => [SCHEMA, t.name]),
      }))
      .on(/FROM all_tab_columns/, () => ({
        columns: ['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'].map((name) => ({ name, type: 'VARCHAR2' as const })),
        rows: columnRows(
          'oracle',
          SCHEMA,
          BUILDER_TABLES.map((t) => getTable(t.name)),
        ).map((r) => [r.table_schema, r.table_name, r.column_name, r.data_type]),
      }))
      .on(/UTL_I18N\.STRING_TO_RAW/, (_sql, binds) => {
        const one = (binds as Record<string, unknown>).b1;
        const rows = streamRows.filter((r) => one === null || r.pid === one);
        return { columns: cols, rows: rows.map((r) => cols.map((c) => asOracle(r[c.name]))) };
      });
  }

  async function openFake(fake: FakeOracledb): Promise<OracleDb> {
    const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;
    return OracleDb.open(spec, describeSpec(spec), { driver: fake, password: 'pw' });
  }

  it('the stream has rows of several kinds, timestamps with times of day, an empty string and a JSON column (the replay is not trivial)', () => {
    assert.deepEqual(
      expected.map((c) => c.personId),
      ['C1', 'C2', 'Zé'],
    );
    assert.ok(streamRows.some((r) => r.x !== null && r.x !== undefined));
    assert.ok(streamRows.some((r) => r.s1 === ''));
    assert.ok(streamRows.some((r) => typeof r.d1 === 'string' && /T14:00:00/.test(r.d1)));
    assert.ok(
      streamRows.some((r) => r.k === 'or'),
      'an orphan row',
    );
  });

  it('builds the same payloads and problems from Oracle-shaped rows as PGlite does, for everyone and for one child', async () => {
    const fake = fakeOracle();
    const db = await openFake(fake);
    try {
      const got: BuiltChild[] = [];
      for await (const c of streamChildPayloads(db, { schema: SCHEMA, asOf: AS_OF, batchSize: 3 })) got.push(c);
      assert.equal(JSON.stringify(got.map((c) => c.payload)), JSON.stringify(expected.map((c) => c.payload)));
      // The one difference: C2's legacy id '' is NULL on Oracle (it has no empty strings), so the
      // warning that an empty value was read as missing has nothing to say there.
      const blank = (p: BuiltChild['problems'][number]) => p.rule === 'blank-as-null' && p.source === 'ssd_person.pers_legacy_id';
      assert.equal(expected[1]!.problems.filter(blank).length, 1);
      assert.deepEqual(
        got.map((c) => c.problems),
        expected.map((c) => c.problems.filter((p) => !blank(p))),
      );
      assert.deepEqual(
        got.map((c) => c.legacyId),
        ['L1', null, null],
      );
      const one = await buildChildPayload(db, 'C1', { schema: SCHEMA, asOf: AS_OF });
      assert.ok('child' in one);
      assert.equal(JSON.stringify(one.child.payload), JSON.stringify(expected[0]!.payload));

      const sent = fake.calls.filter((c) => /UTL_I18N/.test(c.sql));
      assert.equal(sent.length, 2);
      assert.match(sent[0]!.sql, /FROM "SSD_DEVELOPMENT"\."SSD_PERSON" p/);
      assert.match(sent[0]!.sql, /WHERE CAST\(:b1 AS NVARCHAR2\(48\)\) IS NULL OR u\.pid = CAST\(:b1 AS NVARCHAR2\(48\)\)/);
      assert.doesNotMatch(sent[0]!.sql.replace(/--[^\n]*/g, ''), /\$\d|\{\{/);
      assert.deepEqual(
        sent.map((c) => c.binds),
        [{ b1: null }, { b1: 'C1' }],
      );
      assert.equal(sent[0]!.options?.resultSet, true);
    } finally {
      await db.close();
    }
  });
});
