// Every statement the tool generates for Oracle today, parsed by the grammars-v4 PL/SQL grammar
// (antlr4ts-sql's PlSqlParser): `ssd init`'s DDL for every SSD table (driven through the real code
// against a RecordingDb), the dialect layer's catalogue and schema statements, and the Oracle
// driver's own session statements, in the text the driver sends ($n → :bn).
// Also the payload row stream (driven through the builder) and every `ssd check` query (driven
// through runChecks, every rule firing).
// Also `ssd fake`'s statements (driven through generateFakeSsd).
// And `ssd stage` and `ssd send` (every stage.* and send.* scenario: the staging table, run log, work
// table, table lock, row writes, the safety stop's planning pass, the send queue and its marks).
// And `ssd preflight` without a script (scenario preflight.connect). Not yet covered, because the
// commands do not run on Oracle yet: scramble, phases (issue 16; they refuse Oracle up front).
import assert from 'node:assert/strict';
import { captureScenario, SQL_SCENARIOS } from '../../../src/sqlCatalogue/index';
import { DIALECTS, addNullableTextColumnSql, createSchemaSql, limitClause, qualify } from '../../../src/db/dialect';
import { ORACLE_SESSION_SETUP } from '../../../src/db/oracleDriver';
import { rewriteOraclePlaceholders } from '../../../src/db/oracleParams';
import { createTableIfMissingSql, createTableSql } from '../../../src/ddl/generateDdl';
import { SSD_TABLES, tablesForSet } from '../../../src/model/ssdModel';
import { parseOracle } from '../../helpers/sqlParsers';
import { runCli } from '../../helpers/runCli';
import { planScript } from '../../../src/script/plan';
import { RecordingDb } from '../../../src/db/recordingDb';
import { buildChildPayload, streamChildPayloads } from '../../../src/payload/buildPayloads';
import { ORPHAN_BRANCH_KEYS } from '../../../src/payload/rowSpec';
import { sqlSyntax } from '../../../src/db/dialect';
import { builderColumnRows, builderTableNames, readsColumns, readsTables } from '../../../src/sqlCatalogue/scenarios/fixtures';

const sent = (sql: string) => rewriteOraclePlaceholders(sql).text;

function assertParses(what: string, sql: string): void {
  const p = parseOracle(sql);
  if (p) {
    const line = sql.split('\n')[p.line - 1] ?? '';
    assert.fail(`${what}: line ${p.line} column ${p.column}: ${p.message}\n${line}\n${' '.repeat(Math.max(0, p.column - 1))}^\n--- statement ---\n${sql.slice(0, 1500)}`);
  }
}

describe('SQL catalogue (Oracle): what the tool generates parses with the PL/SQL grammar', function () {
  this.timeout(300_000);

  it('the grammar is strict enough to fail (a misspelt keyword, T-SQL brackets, a LIMIT clause)', () => {
    assert.notEqual(parseOracle('SELEC 1 FROM dual'), null);
    assert.notEqual(parseOracle('SELECT [a] FROM [t]'), null);
    assert.equal(parseOracle('SELECT a FROM t WHERE a = :b1 FETCH FIRST 5 ROWS ONLY'), null);
  });

  it("ssd init: the schema check and every table's guarded CREATE TABLE (driven through initTables)", async () => {
    const scenario = SQL_SCENARIOS.find((s) => s.id === 'init.tables')!;
    const statements = await captureScenario(scenario, 'oracle');
    const creates = statements.filter((s) => /CREATE TABLE/.test(s.sql));
    assert.equal(creates.length, tablesForSet('all').length, 'one CREATE per SSD table');
    for (const s of statements) assertParses(`init statement ${s.seq}`, sent(s.sql));
  });

  it("every table's CREATE TABLE on its own (as the PL/SQL block runs it)", () => {
    for (const t of SSD_TABLES) assertParses(`CREATE TABLE ${t.name}`, createTableSql('oracle', 'ssd_development', t));
    assert.match(createTableIfMissingSql('oracle', 'ssd_development', SSD_TABLES[0]!), /IF SQLCODE != -955 THEN RAISE/);
  });

  it("the dialect layer's statements", () => {
    const r = DIALECTS.oracle;
    for (const [what, sql] of Object.entries({ schemaExists: r.schemaExists, tableCounts: r.tableCounts, tableExists: r.tableExists, tables: r.tables, columns: r.columns }))
      assertParses(what, sent(sql));
    assert.match(r.schemaExists, /FROM all_users/);
    for (const [what, sql] of Object.entries({
      left: r.left('x', ':b1'),
      castText: r.castText('x'),
      present: r.present('x', 'TRIM(x)'),
      blank: r.blank('x', 'TRIM(x)'),
      badId: r.badId('x'),
      wholeNumber: r.wholeNumber('TRIM(x)'),
      referralSourceCode: r.referralSourceCode('TRIM(x)'),
      chr: `${r.chr}(9)`,
    })) {
      assertParses(`check fragment ${what}`, `SELECT CASE WHEN ${what === 'present' || what === 'blank' || what === 'badId' ? sql : `${sql} IS NULL`} THEN 1 END AS v FROM t`);
    }
    assertParses('createSchema', createSchemaSql('oracle', 'ssd_development'));
    assertParses('addNullableTextColumn', addNullableTextColumnSql('oracle', qualify('oracle', 'ssd_development', 'ssd_person'), 'extra_col'));
    const lim = limitClause('oracle', 50);
    assertParses('limit', `SELECT ${lim.top}${r.trim(r.length('"A"'))} AS n, ${r.now} AS t, ${r.castDate(':b1')} AS d FROM ${qualify('oracle', 'ssd', 'ssd_person')}${lim.limit}`);
  });

  it('ssd payload: the catalogue reads and the row stream with every orphan branch, for everyone and for one child (driven through the builder)', async () => {
    const db = new RecordingDb('oracle', (sql) => {
      if (readsTables(sql)) return builderTableNames();
      if (readsColumns(sql)) return builderColumnRows('oracle', 'ssd_development');
      return undefined;
    });
    for await (const _ of streamChildPayloads(db, { asOf: '2025-03-31', schema: 'ssd_development' })) {
      /* no rows */
    }
    await buildChildPayload(db, 'P1', { asOf: '2025-03-31', schema: 'ssd_development' });
    const streams = db.statements.filter((s) => s.kind === 'stream');
    assert.equal(streams.length, 2);
    assert.deepEqual(
      streams.map((s) => s.params),
      [[null], ['P1']],
    );
    for (const s of streams) {
      // Every orphan branch is in (the schema has their person-id columns), identifiers in upper case.
      assert.equal(s.sql.split('\n').filter((l) => l.startsWith('  SELECT ')).length, 21 + ORPHAN_BRANCH_KEYS.length);
      assert.match(s.sql, /FROM "SSD_DEVELOPMENT"\."SSD_PERSON" p/);
      assert.doesNotMatch(s.sql, /\{\{|COLLATE|LIMIT|TOP \(/);
      assert.match(sent(s.sql), /u\.pid = CAST\(:b1 AS NVARCHAR2\(48\)\)/);
    }
    for (const s of db.statements) assertParses(`payload ${s.kind}`, sent(s.sql));
  });

  it("ssd check: the catalogue read and every rule's query, every rule firing (driven through runChecks)", async () => {
    const scenario = SQL_SCENARIOS.find((s) => s.id === 'check.all')!;
    const statements = await captureScenario(scenario, 'oracle');
    assert.ok(statements.length > 40, `${statements.length} statements`);
    const all = statements.map((s) => s.sent).join('\n');
    // The Oracle spellings, not the others'.
    assert.doesNotMatch(all, /\bLIMIT \d|TOP \(|COLLATE|TRY_CONVERT|\bLEFT\(| ~ '|<> ''|= ''/);
    assert.match(all, /FETCH FIRST 5 ROWS ONLY/);
    assert.match(all, /FROM all_tab_columns/);
    assert.match(all, /REGEXP_LIKE\(/);
    assert.match(all, /TO_DATE\(SUBSTR\(:b\d+, 1, 10\), 'YYYY-MM-DD'\)/);
    assert.match(all, /NUMTOYMINTERVAL\(26, 'YEAR'\)/, 'the cohort rule ran');
    for (const s of statements) assertParses(`check statement ${s.seq}`, s.sent);
  });

  it('ssd fake: the marker table, the ownership reads, the array inserts (executeMany) and the run updates (driven through generateFakeSsd)', async () => {
    const scenario = SQL_SCENARIOS.find((s) => s.id === 'fake.generate')!;
    const statements = await captureScenario(scenario, 'oracle');
    const all = statements.map((s) => s.sent);
    assert.ok(all.some((s) => /EXECUTE IMMEDIATE 'CREATE TABLE "SSD_DEVELOPMENT"\."SSD_WORKBENCH_FAKE_RUNS"/.test(s)));
    assert.ok(all.some((s) => /^INSERT INTO "SSD_DEVELOPMENT"\."SSD_PERSON" \("PERS_PERSON_ID", .*\) VALUES \(:b1, :b2/.test(s)));
    assert.ok(all.some((s) => /ORDER BY run_no DESC FETCH FIRST 1 ROWS ONLY$/.test(s)));
    // Dates go out with a time of day, as the session's NLS_DATE_FORMAT reads them.
    const person = statements.find((s) => /^INSERT INTO "SSD_DEVELOPMENT"\."SSD_PERSON"/.test(s.sent))!;
    assert.ok(
      person.params.some((v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(v)),
      JSON.stringify(person.params),
    );
    for (const s of statements) assertParses(`fake statement ${s.seq}`, s.sent);
  });

  it("ssd stage, the parts ported: staging table and run log DDL, the safety stop's counts, the run log's writes and reads", async () => {
    const scenario = SQL_SCENARIOS.find((s) => s.id === 'stage.tables')!;
    const statements = await captureScenario(scenario, 'oracle');
    const all = statements.map((s) => s.sent).join('\n');
    assert.match(all, /EXECUTE IMMEDIATE 'CREATE TABLE "SSD_DEVELOPMENT"\."SSD_API_DATA_STAGING"/);
    assert.match(all, /EXECUTE IMMEDIATE 'CREATE UNIQUE INDEX "UX_SSD_API_DATA_STAGING_PERSON_ID"/);
    assert.match(all, /EXECUTE IMMEDIATE 'CREATE TABLE "SSD_DEVELOPMENT"\."SSD_API_STAGE_RUNS"/);
    assert.match(all, /TO_DATE\(SUBSTR\(:b2, 1, 10\), 'YYYY-MM-DD'\)/);
    assert.match(all, /SET finished_at = SYSTIMESTAMP/);
    assert.match(all, /FETCH FIRST 20 ROWS ONLY|FETCH FIRST 10 ROWS ONLY/);
    assert.doesNotMatch(all.replace(/--[^\n]*/g, ''), /COALESCE\([^)]*, ''\)|\$\d|\{\{/);
    for (const s of statements) assertParses(`stage statement ${s.seq}`, s.sent);
  });

  it('ssd stage and ssd send: every statement of every stage.* and send.* scenario (driven through the real code)', async () => {
    const scenarios = SQL_SCENARIOS.filter((s) => s.command === 'stage' || s.command === 'send');
    assert.ok(scenarios.length >= 8);
    const statements: Array<{ id: string; seq: number; sent: string; params: readonly unknown[] }> = [];
    for (const sc of scenarios) {
      assert.ok(sc.dialects?.includes('oracle'), `${sc.id} does not run on Oracle`);
      for (const s of await captureScenario(sc, 'oracle')) statements.push({ id: sc.id, seq: s.seq, sent: s.sent, params: s.params });
    }
    const all = statements.map((s) => s.sent).join('\n');
    const code = all.replace(/--[^\n]*/g, '');
    // Oracle's spellings, not the others' (no LIMIT, TOP, unnest, WITH (UPDLOCK), COALESCE(x, '') or "= ''").
    assert.doesNotMatch(code, /\bLIMIT \d|\bLIMIT :|TOP \(|unnest|UPDLOCK|sp_getapplock|pg_try_advisory|COALESCE\([^)]*, ''\)|= ''|\$\d|\{\{/);
    // Each path was reached: the work table, the table lock, every row write, the gone rows, the send marks and history.
    for (const re of [
      /CREATE GLOBAL TEMPORARY TABLE "SSD_DEVELOPMENT"\."SSD_WORKBENCH_RUN_MARKS"/,
      /FOR UPDATE SKIP LOCKED/,
      /FROM v\$session s/,
      /^INSERT INTO "SSD_DEVELOPMENT"\."SSD_API_DATA_STAGING" \(person_id, /m,
      /s\.json_payload = :b4,/,
      /s\.partial_json_payload = :b5,\n\s*s\.row_state = COALESCE/,
      /s\.submission_status = :b2,\n\s*s\.api_response = :b3,\n\s*\n\s*s\.row_state/,
      /s\.validation_stamp = :b2/,
      /WHERE ROWNUM <= :b3/,
      /INSERT INTO "SSD_DEVELOPMENT"\."SSD_WORKBENCH_RUN_MARKS" \(run_id, person_id\) VALUES \(:b1, :b2\)/,
      /s\.person_id IN \(:b1,:b2\)/,
      /THEN N'Sent' ELSE/,
      /s\.submission_status = N'Error'/,
      /s\.submission_status = N'Withheld',\n\s*s\.api_response = :b4/,
      /FETCH FIRST :b2 ROWS ONLY/,
      /\(run_id, "MODE", table_name/,
      /DBMS_LOB\.COMPARE\(s\.json_payload, TO_CLOB\(:b3\)\) = 0/,
    ])
      assert.match(all, re);
    for (const s of statements) assertParses(`${s.id} statement ${s.seq}`, s.sent);
  });

  it('ssd preflight: the server and privilege read and the schema read (driven through runPreflight)', async () => {
    const statements = await captureScenario(
      SQL_SCENARIOS.find((s) => s.id === 'preflight.connect')!,
      'oracle',
    );
    const all = statements.map((s) => s.sent).join('\n');
    assert.match(all, /FROM session_privs sp WHERE sp\.privilege = 'CREATE TABLE'/);
    assert.match(all, /FROM all_users u\nWHERE u\.username = UPPER\(:b1\)/);
    for (const s of statements) assertParses(`preflight statement ${s.seq}`, s.sent);
  });

  it("the editor's browsing (the tree's table inventory, pages of child ids, staging counts and rows): every statement (driven through src/browse/inventory.ts)", async () => {
    const statements = await captureScenario(
      SQL_SCENARIOS.find((s) => s.id === 'browse.editor')!,
      'oracle',
    );
    const all = statements.map((s) => s.sent).join('\n');
    assert.doesNotMatch(all, /INFORMATION_SCHEMA|\bLIMIT \d|TOP \(/i);
    assert.match(all, /LIKE :b2 ESCAPE '!' ORDER BY "PERS_PERSON_ID" FETCH FIRST 101 ROWS ONLY/);
    for (const s of statements) assertParses(`browse statement ${s.seq}`, s.sent);
  });

  it('"+ n years" (gate A\'s age rule) parses, and routes 29 February through ADD_MONTHS, every other day through a year interval', () => {
    const syntax = sqlSyntax('oracle');
    for (const n of [26, -26, 1, 4]) {
      const e = syntax.addYears('p.dob', n);
      assertParses(`addYears ${n}`, `SELECT ${e} AS d FROM t p WHERE ${e} > ${syntax.dateParam!(':b1')}`);
      // 29 February: ADD_MONTHS keeps "last day of February", so 2024-02-29 + 1 year = 2025-02-28
      // (DATEADD's answer); the interval, which would raise ORA-01839 on it, is used only for other days,
      // where it keeps day and time (ADD_MONTHS would move 2023-02-28 + 1 year to 2024-02-29).
      assert.equal(
        e,
        `CASE WHEN TO_CHAR(p.dob, 'MM-DD') = '02-29' THEN p.dob + NUMTODSINTERVAL(ADD_MONTHS(TRUNC(p.dob), ${12 * n}) - TRUNC(p.dob), 'DAY') ELSE p.dob + NUMTOYMINTERVAL(${n}, 'YEAR') END`,
      );
    }
    assert.throws(() => syntax.addYears('p.dob', 1.5), /invalid number of years/);
  });

  it("the driver's own statements", () => {
    // Known gap: the grammar's ALTER SESSION SET takes no string values, which Oracle documents
    // for NLS_DATE_FORMAT and the other NLS settings. Each setting is checked alone below, so that
    // a stale gap (the grammar fixed) or a new problem elsewhere in the statement still fails.
    const settings = [...ORACLE_SESSION_SETUP.matchAll(/(NLS_\w+) = '((?:[^']|'')*)'/g)];
    assert.equal(settings.length, 4);
    for (const [, name, value] of settings) {
      assert.notEqual(parseOracle(`ALTER SESSION SET ${name} = '${value}'`), null, 'the grammar now takes string values: drop this known gap');
      assertParses(`session set-up ${name}`, `ALTER SESSION SET ${name} = x`);
      assertParses(`session set-up ${name} value`, `SELECT TO_CHAR(SYSTIMESTAMP, '${value}') FROM dual`);
    }
    assertParses('DBMS_OUTPUT.ENABLE', 'BEGIN DBMS_OUTPUT.ENABLE(NULL); END;');
    assertParses('DBMS_OUTPUT.GET_LINE', 'BEGIN DBMS_OUTPUT.GET_LINE(:line, :status); END;');
  });

  it("ssd sql init --dialect oracle --ddl prints a SQL*Plus script whose every unit parses; ssd sql stage and send print Oracle's", async () => {
    const r = await runCli(['sql', 'init', '--dialect', 'oracle', '--schema', 'ssd_development', '--tables', 'api', '--ddl']);
    assert.equal(r.code, 0, r.stderr);
    // Cut as `ssd run` cuts an Oracle script (SQL*Plus rules): one unit per table (the schema is a user the DBA makes).
    const plan = planScript(r.stdout, { dialect: 'oracle', file: 'ssd_tables.sql' });
    assert.equal(plan.batches.length, tablesForSet('api').length);
    assert.doesNotMatch(r.stdout, /:b\d|\$\d/);
    for (const b of plan.batches.slice(0, 4)) assertParses(`batch ${b.index + 1}`, b.text.trim());
    const stage = await runCli(['sql', 'stage', '--dialect', 'oracle', '--schema', 'ssd_development']);
    assert.equal(stage.code, 0, stage.stderr);
    assert.match(stage.stdout, /FOR UPDATE SKIP LOCKED/);
    const send = await runCli(['sql', 'send', '--dialect', 'oracle', '--schema', 'ssd_development']);
    assert.equal(send.code, 0, send.stderr);
    assert.match(send.stdout, /DBMS_LOB\.COMPARE/);
    const check = await runCli(['sql', 'check', '--dialect', 'oracle', '--schema', 'ssd_development']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /FETCH FIRST 5 ROWS ONLY/);
    assert.match(check.stdout, /:b1/);
  });
});
