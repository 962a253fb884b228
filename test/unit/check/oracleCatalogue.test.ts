// ssd check on the Oracle driver, against the scripted oracledb fake (no Oracle here): the
// catalogue comes from ALL_TAB_COLUMNS as Oracle describes the tables `ssd init` makes there
// (NVARCHAR2, TIMESTAMP(3), NUMBER(10), CLOB, RAW …), so the schema checks must find nothing wrong
// and every rule must run (none skipped for a type it does not know). The rules' queries are
// answered with "nothing found": what they compute on a real Oracle is for the SSD_TEST_ORACLE
// suite; their syntax is parsed in test/unit/sqlCatalogue/oracleGrammar.test.ts.
import assert from 'node:assert/strict';
import { runChecks } from '../../../src/check/runChecks';
import { kindOfDataType } from '../../../src/check/sqlExpr';
import { describeSpec, parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { oracleColumnType } from '../../../src/db/dialect';
import { OracleDb } from '../../../src/db/oracleDriver';
import { SSD_TABLES } from '../../../src/model/ssdModel';
import { FakeOracledb, type FakeColumn } from '../../helpers/fakeOracledb';

/** ALL_TAB_COLUMNS.DATA_TYPE of a column `ssd init` declared with this Oracle type. */
function oracleDataType(declared: string): string {
  const t = declared.replace(/\((\d+)(,\d+)?( CHAR)?\)/, (m, n: string) => (declared.startsWith('TIMESTAMP') ? `(${n})` : ''));
  return t.toLowerCase();
}

describe('ssd check on the Oracle driver (scripted oracledb)', () => {
  it("reads Oracle's data types as the kinds the rules expect", () => {
    assert.equal(kindOfDataType('timestamp(3)'), 'date');
    assert.equal(kindOfDataType('date'), 'date');
    assert.equal(kindOfDataType('nvarchar2'), 'text');
    assert.equal(kindOfDataType('varchar2'), 'text');
    assert.equal(kindOfDataType('clob'), 'text');
    assert.equal(kindOfDataType('number'), 'integer');
    assert.equal(kindOfDataType('binary_double'), 'float');
    assert.equal(kindOfDataType('raw'), 'binary');
    assert.equal(oracleDataType('TIMESTAMP(3)'), 'timestamp(3)');
    assert.equal(oracleDataType('VARCHAR2(48 CHAR)'), 'varchar2');
    assert.equal(oracleDataType('NUMBER(10)'), 'number');
  });

  it('a schema made by ssd init: no schema findings, every rule run, identifiers in upper case, dates bound as text', async () => {
    const columns = SSD_TABLES.flatMap((t) => t.columns.map((c) => ['ssd_development', t.name, c.name, oracleDataType(oracleColumnType(c.sqlServerType)), null]));
    const fake = new FakeOracledb()
      .on(/FROM all_tab_columns/, () => ({
        columns: [...['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'].map((name): FakeColumn => ({ name, type: 'VARCHAR2' })), { name: 'CHARACTER_MAXIMUM_LENGTH', type: 'NUMBER' }],
        rows: columns,
      }))
      // Every count query: one row of zeros (rule sums, row counts, the cohort).
      .on(/^SELECT COUNT\(\*\) AS n_rows/, (sql) => {
        const names = ['N_ROWS', ...[...sql.matchAll(/ AS (r\d+)\b/g)].map((m) => m[1]!.toUpperCase())];
        return { columns: names.map((name) => ({ name, type: 'NUMBER' as const })), rows: [names.map(() => 10)].map((r) => r.map((v, i) => (i === 0 ? v : 0))) };
      })
      .on(/^(--[^\n]*\n)*(SELECT|WITH)\b/, () => ({ columns: [{ name: 'N', type: 'NUMBER' }], rows: [] }));
    const spec = parseConnectionString('oracle://ssd@db.example.org:1521/FREEPDB1') as OracleSpec;
    const db = await OracleDb.open(spec, describeSpec(spec), { driver: fake, password: 'pw' });
    try {
      const report = await runChecks(db, { schema: 'ssd_development', asOf: '2025-03-31' });
      assert.equal(report.dialect, 'oracle');
      assert.deepEqual(
        report.findings.filter((f) => /^SSD-SCHEMA-00[1-4]$/.test(f.ruleId)).map((f) => f.message),
        [],
      );
      assert.equal(
        report.summary.rulesSkipped,
        0,
        report.findings
          .filter((f) => f.skippedRule)
          .map((f) => f.message)
          .join('\n'),
      );
      assert.ok(report.summary.rulesRun > 50, `${report.summary.rulesRun} rules run`);
      const sent = fake.sqlSeen();
      assert.ok(sent.some((s) => /FROM "SSD_DEVELOPMENT"\."SSD_PERSON" t/.test(s)));
      const cohort = fake.calls.find((c) => /NUMTOYMINTERVAL/.test(c.sql))!;
      assert.deepEqual(cohort.binds, { b1: '2022-04-01', b2: '2025-04-01' });
      assert.ok(sent.every((s) => !/\$\d|\{\{/.test(s.replace(/--[^\n]*/g, ''))));
    } finally {
      await db.close();
    }
  });
});
