// Oracle scripts as SQL*Plus / SQLcl run them: the shapes the community's Azeus (Oracle) stream
// uses, written by us (no upstream text is copied).
import assert from 'node:assert/strict';
import { splitScript, rawBatchText } from '../../../src/script/splitter';
import { planScript } from '../../../src/script/plan';
import { parseDialect } from '../../../src/script/index';
import { ScriptPlanError } from '../../../src/script/types';
import { runPlan } from '../../../src/script/runner';
import { OracleDb } from '../../../src/db/oracleDriver';
import { parseConnectionString, type OracleSpec } from '../../../src/db/connectionSpec';
import { FakeOracledb, OraError } from '../../helpers/fakeOracledb';

const batches = (text: string) => {
  const r = splitScript(text, 'oracle');
  return r.batches.filter((b) => !b.blank).map((b) => rawBatchText(text, b).trim());
};
const plan = (text: string, vars?: Record<string, string>) => planScript(text, { dialect: 'oracle', file: 'azeus.sql', ...(vars ? { vars } : {}) });

const COMMUNITY_SHAPE = `-- SSD extract for Azeus (Oracle) — illustrative
SET SERVEROUTPUT ON
SET DEFINE ON
DEFINE ssd_schema = SSD_DEV
WHENEVER SQLERROR CONTINUE
PROMPT Creating ssd_person

BEGIN
  EXECUTE IMMEDIATE 'DROP TABLE &ssd_schema..ssd_person PURGE';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -942 THEN RAISE; END IF;
END;
/

CREATE TABLE &ssd_schema..ssd_person (
  pers_person_id   NVARCHAR2(48) PRIMARY KEY,
  pers_sex         NVARCHAR2(20),  -- 'M'; 'F'
  pers_dob         DATE
);

INSERT INTO &ssd_schema..ssd_person (pers_person_id, pers_sex, pers_dob)
SELECT p.person_id, q'[it's; not a separator]', p.date_of_birth
FROM azeus.person p /* ; nor this */
WHERE p.date_of_birth > ADD_MONTHS(SYSDATE, -12 * &&age_years);

CREATE OR REPLACE PROCEDURE &ssd_schema..ssd_log(p_msg IN VARCHAR2) AS
BEGIN
  DBMS_OUTPUT.PUT_LINE('ssd: ' || p_msg);
END ssd_log;
/
COMMIT;
`;

describe('oracle script splitting', () => {
  it('cuts SQL at ; and PL/SQL units at a / line, keeping q-quotes and comments whole', () => {
    const text = `SELECT 1 FROM dual;\nSELECT 'a;b', q'{x;y}', "Odd;Name" FROM dual -- ;\n/* ; */ ;\nDECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;\n/\nCREATE OR REPLACE PACKAGE BODY p AS\n  PROCEDURE x IS BEGIN NULL; END;\nEND p;\n/\n`;
    assert.deepEqual(batches(text), [
      'SELECT 1 FROM dual',
      `SELECT 'a;b', q'{x;y}', "Odd;Name" FROM dual -- ;\n/* ; */`,
      'DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;',
      'CREATE OR REPLACE PACKAGE BODY p AS\n  PROCEDURE x IS BEGIN NULL; END;\nEND p;',
    ]);
  });

  it('knows every q-quote delimiter pair and any other delimiter', () => {
    for (const [o, c] of [
      ['[', ']'],
      ['(', ')'],
      ['{', '}'],
      ['<', '>'],
      ['!', '!'],
      ['#', '#'],
    ] as const) {
      assert.deepEqual(batches(`SELECT q'${o}a;'b${c}' FROM dual; SELECT 2 FROM dual;`), [`SELECT q'${o}a;'b${c}' FROM dual`, 'SELECT 2 FROM dual']);
    }
    assert.deepEqual(batches(`SELECT NQ'[x;]' FROM dual;`), [`SELECT NQ'[x;]' FROM dual`]);
  });

  it('ends a SQL statement at a / line too, and warns when / follows ;', () => {
    assert.deepEqual(batches('SELECT 1 FROM dual\n/\nSELECT 2 FROM dual;\n/\n'), ['SELECT 1 FROM dual', 'SELECT 2 FROM dual']);
    const r = splitScript('SELECT 2 FROM dual;\n/\n', 'oracle');
    assert.match(r.warnings[0]!.message, /runs that statement again in SQL\*Plus/);
    assert.equal(r.warnings[0]!.line, 2);
  });

  it('a / line ends a block even mid-expression (as in SQL*Plus), but not inside a comment or a string', () => {
    assert.deepEqual(batches('BEGIN\n  x := 4\n/\n2;\nEND;\n/'), ['BEGIN\n  x := 4', '2', 'END']);
    assert.deepEqual(batches("BEGIN\n  v := '\n/\n';\nEND;\n/\n/*\n/\n*/\nSELECT 1 FROM dual;"), ["BEGIN\n  v := '\n/\n';\nEND;", '/*\n/\n*/\nSELECT 1 FROM dual']);
  });

  it('warns when the last PL/SQL block has no / line', () => {
    const r = splitScript('BEGIN\n  NULL;\nEND;\n', 'oracle');
    assert.deepEqual(
      r.batches.filter((b) => !b.blank).map((b) => rawBatchText('BEGIN\n  NULL;\nEND;\n', b).trim()),
      ['BEGIN\n  NULL;\nEND;'],
    );
    assert.match(r.warnings[0]!.message, /no line holding only "\/"/);
    assert.equal(splitScript('BEGIN\n  NULL;\nEND;\n/\n', 'oracle').warnings.length, 0);
  });

  it('treats SET TRANSACTION as SQL and SET SERVEROUTPUT as a SQL*Plus command', () => {
    const r = splitScript('SET SERVEROUTPUT ON\nSET TRANSACTION READ ONLY;\n', 'oracle');
    assert.deepEqual(
      r.pieces.map((p) => p.kind),
      ['directive', 'text', 'separator', 'text'],
    );
  });

  it('plans a community-shaped script: DEFINE, &var and &&var (with the . terminator), WHENEVER, SET DEFINE', () => {
    const p = plan(COMMUNITY_SHAPE, { age_years: '26' });
    assert.deepEqual(
      p.batches.map((b) => b.text.replace(/^(\s|--[^\n]*\n)*/, '').split('\n')[0]),
      [
        'BEGIN',
        'CREATE TABLE SSD_DEV.ssd_person (',
        'INSERT INTO SSD_DEV.ssd_person (pers_person_id, pers_sex, pers_dob)',
        'CREATE OR REPLACE PROCEDURE SSD_DEV.ssd_log(p_msg IN VARCHAR2) AS',
        'COMMIT',
      ],
    );
    assert.match(p.batches[0]!.text, /DROP TABLE SSD_DEV\.ssd_person PURGE/);
    assert.match(p.batches[2]!.text, /-12 \* 26\)$/);
    assert.equal(p.batches[0]!.onError, 'ignore');
    assert.deepEqual([p.batches[1]!.line, p.batches[1]!.column], [16, 1]);
    assert.equal(p.variables.ssd_schema, 'SSD_DEV');
  });

  it('an undefined substitution variable is an error at file:line:col; SET DEFINE OFF leaves & alone', () => {
    assert.throws(
      () => plan(COMMUNITY_SHAPE),
      (e: unknown) => {
        assert.ok(e instanceof ScriptPlanError);
        assert.match(e.message, /^azeus\.sql:25:51: substitution variable "age_years" is not defined: pass --var age_years=value/);
        return true;
      },
    );
    const p = plan("SET DEFINE OFF\nSELECT 'Tom & Jerry', 'R&D' FROM dual;\n");
    assert.equal(p.batches[0]!.text.trim(), "SELECT 'Tom & Jerry', 'R&D' FROM dual");
  });

  it('refuses SQL*Plus commands it cannot honour, and EXEC with a hint', () => {
    assert.throws(() => plan('@other_script.sql\nSELECT 1 FROM dual;'), /azeus\.sql:1:1: SQL\*Plus command "@" is not supported/);
    assert.throws(() => plan('EXEC dbms_stats.gather_schema_stats(USER);'), /write it as a block, "BEGIN dbms_stats\.gather_schema_stats\(USER\); END;"/);
    assert.equal(parseDialect('plsql'), 'oracle');
  });

  it('a server error names file:line:col and the ORA- code', async () => {
    const text = 'SELECT 1 FROM dual;\n\nINSERT INTO ssd_person (pers_person_id)\nSELECT id FROM azeus.no_such_table;\n';
    const fake = new FakeOracledb()
      .on(/FROM dual/, () => ({ columns: [{ name: '1', type: 'NUMBER' }], rows: [[1]] }))
      .on(/no_such_table/, (sql) => {
        throw new OraError(942, 'table or view does not exist', sql.indexOf('azeus.no_such_table'));
      });
    const spec = parseConnectionString('oracle://ssd@h:1521/S') as OracleSpec;
    const db = await OracleDb.open(spec, 'x', { driver: fake, password: 'p' });
    try {
      const r = await runPlan(db, plan(text), { countRows: false, continueOnError: true });
      const err = r.diagnostics.find((d) => d.source === 'server')!;
      assert.equal(`${err.file}:${err.line}:${err.column} ${err.code}`, 'azeus.sql:4:16 ORA-00942');
      assert.match(err.message, /ORA-00942: table or view does not exist/);
      // Sent without SQL*Plus's terminator.
      assert.ok(fake.sqlSeen().some((s) => /no_such_table$/.test(s)));
    } finally {
      await db.close();
    }
  });
});

describe('oracle: the script dialect an address implies', () => {
  it('an Oracle address means Oracle scripts', async () => {
    const { dialectForAddress } = await import('../../../src/script/cli');
    assert.equal(dialectForAddress('oracle://ssd@db01:1521/AZEUS'), 'oracle');
    assert.equal(dialectForAddress('ssd@db01:1521/AZEUS'), 'oracle');
    assert.equal(dialectForAddress('Server=x;Database=y'), 'tsql');
  });
});
