// "SSD: Check Tables" mappings on real check output: findings placed on the CREATE TABLE (and the
// column's line) of an open script, else on the read-only per-table document; messages carry the
// rule, count, ids only and the fix; the report counts, lists and charts them.
import assert from 'node:assert/strict';
import { runChecks } from '../../../src/check/index';
import type { CheckFinding, CheckReport } from '../../../src/check/types';
import { createTableIfMissingSql } from '../../../src/ddl/generateDdl';
import { initTables } from '../../../src/ddl/initTables';
import { checkReportData, findingMessage, placeFindings, TableTimer, tableDocumentFor, tableDocumentUri, tableFromDocumentPath } from '../../../src/extension/core/checkWorkflow';
import { lineOffsets, type DiagnosticRecord } from '../../../src/extension/core/diagnosticRecords';
import { locateCreateTable, locateCreateTables, STAGING_TABLE_MISSING_RULE, withoutStagingTableMissing } from '../../../src/extension/core/findingsIndex';
import { renderReportHtml } from '../../../src/extension/core/report';
import { BUILDER_TABLES, getTable, STAGING_TABLES } from '../../../src/model/ssdModel';
import { insertSsdRows } from '../../helpers/ssdRows';
import { forEachTarget } from '../../helpers/targets';

function slice(text: string, r: DiagnosticRecord): string {
  const s = lineOffsets(text);
  return text.slice(s[r.range.start.line]! + r.range.start.character, s[r.range.end.line]! + r.range.end.character);
}

forEachTarget('extension workflows: Check Tables mappings', (fx) => {
  let report: CheckReport;
  const NAME = 'Zebedee-Secret';
  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema, tables: 'api' });
    await insertSsdRows(db, schema, {
      ssd_person: [
        { pers_person_id: 'BAD ID', pers_upn_unknown: 'UN1', pers_sex: 'F', pers_ethnicity: 'WBRI', pers_dob: '2015-01-01', pers_forename: NAME },
        { pers_person_id: 'P2', pers_upn_unknown: 'UN1', pers_sex: 'F', pers_ethnicity: 'WBRI', pers_dob: '2015-01-01', pers_forename: NAME },
      ],
      ssd_cin_episodes: [{ cine_referral_id: 'R1', cine_person_id: 'NOBODY', cine_referral_date: '2025-01-01' }],
    });
    report = await runChecks(db, { schema, asOf: '2026-11-25' });
  });

  it("a seeded problem is found, and goes onto the column of an open script's CREATE TABLE", () => {
    const { db, schema } = fx();
    const f = report.findings.find((x) => x.ruleId === 'SSD-PERS-001')!;
    assert.ok(f, JSON.stringify(report.findings.map((x) => x.ruleId)));
    assert.deepEqual([f.table, f.column, f.count, f.examples], ['ssd_person', 'pers_person_id', 1, ['BAD ID']]);
    const script = `-- deploy\n${createTableIfMissingSql(db.dialect, schema, getTable('ssd_person'))};\n`;
    const placed = placeFindings(report.findings, [{ uri: 'file:///w/deploy.sql', text: script }], db.dialect, report.startedAt);
    assert.equal(placed.tableHome.get('ssd_person'), 'file:///w/deploy.sql');
    const recs = placed.byUri.get('file:///w/deploy.sql')!;
    const onCol = recs.find((r) => r.code === 'SSD-PERS-001')!;
    assert.match(slice(script, onCol), /^(")?pers_person_id\1$/);
    assert.equal(onCol.severity, 'error');
    assert.equal(onCol.source, 'SSD check');
    assert.match(onCol.message, /^ssd_person\.pers_person_id: 1 row: .*; e\.g\. ids BAD ID\. Fix: /);
    // a table-level finding of ssd_person sits on the table's name
    for (const r of recs.filter((x) => report.findings.find((g) => g.ruleId === x.code && g.table === 'ssd_person' && !g.column))) {
      assert.match(slice(script, r), /ssd_person/);
    }
    // never a name from the data
    for (const list of placed.byUri.values()) for (const r of list) assert.ok(!r.message.includes(NAME));
  });

  it('without a script, findings go to the per-table document on the table or column line', () => {
    const { db } = fx();
    const placed = placeFindings(report.findings, [{ uri: 'file:///w/other.sql', text: 'SELECT 1;' }], db.dialect, report.startedAt);
    const uri = tableDocumentUri('ssd_cin_episodes');
    assert.equal(uri, 'ssd-table:/ssd_cin_episodes.md');
    assert.equal(tableFromDocumentPath('/ssd_cin_episodes.md'), 'ssd_cin_episodes');
    const fs = report.findings.filter((f) => f.table === 'ssd_cin_episodes');
    assert.ok(
      fs.some((f) => f.column === 'cine_person_id' && f.examples.includes('R1')),
      'the orphan episode is found',
    );
    const doc = tableDocumentFor('ssd_cin_episodes', db.dialect, fs, report.startedAt);
    const recs = placed.byUri.get(uri)!;
    assert.equal(recs.length, fs.length);
    for (const f of fs) {
      const r = recs.find((x) => x.code === f.ruleId && x.message === findingMessage(f))!;
      const line = f.column ? (doc.columnLines.get(f.column) ?? doc.tableLine) : doc.tableLine;
      assert.equal(r.range.start.line, line, `${f.ruleId} on line ${line}`);
      const text = slice(doc.text, r);
      assert.ok(f.column && doc.columnLines.has(f.column) ? text.includes(f.column) : text === '# ssd_cin_episodes', text);
    }
    assert.ok(!placed.byUri.has('file:///w/other.sql'));
    assert.ok(doc.text.includes('example ids: R1'));
  });

  it('after staging creates a table, only its "not present yet" finding goes', () => {
    const missing = report.findings
      .filter((f) => f.ruleId === STAGING_TABLE_MISSING_RULE)
      .map((f) => f.table)
      .sort();
    assert.deepEqual(missing, STAGING_TABLES.map((t) => t.name).sort());
    const kept = withoutStagingTableMissing(report.findings, 'SSD_API_DATA_STAGING_ANON');
    assert.equal(kept.length, report.findings.length - 1);
    assert.ok(!kept.some((f) => f.ruleId === STAGING_TABLE_MISSING_RULE && f.table === 'ssd_api_data_staging_anon'));
    assert.ok(kept.some((f) => f.ruleId === STAGING_TABLE_MISSING_RULE && f.table === 'ssd_api_data_staging'));
    assert.deepEqual(withoutStagingTableMissing(report.findings, 'ssd_person'), report.findings);
  });

  it('report: counts by severity, the findings, findings by table, time per table', () => {
    const { db } = fx();
    const times = new Map([
      ['ssd_person', 12],
      ['ssd_cin_episodes', 7],
    ]);
    const data = checkReportData(report, { target: db.description, times });
    assert.deepEqual(
      data.counts.slice(0, 3).map((c) => [c.label, c.value]),
      [
        ['Errors', report.summary.errors],
        ['Warnings', report.summary.warnings],
        ['Info', report.summary.infos],
      ],
    );
    assert.equal(data.outcome, 'problems');
    // Table counts by the tree's groups: the 'api' tables are the builder's; no staging table yet.
    const count = (re: RegExp) => data.counts.filter((c) => re.test(c.label)).map((c) => [c.label, c.value]);
    assert.deepEqual(count(/tables/i), [
      [`Builder tables present (of ${BUILDER_TABLES.length})`, BUILDER_TABLES.length],
      ['Builder tables missing', 0],
      [`Staging tables present (of ${STAGING_TABLES.length})`, 0],
      ['Staging tables missing (Build Staging creates them)', STAGING_TABLES.length],
    ]);
    assert.ok(data.findings!.some((f) => f.rule === 'SSD-PERS-001' && f.where === 'ssd_person.pers_person_id' && f.count === 1));
    const chart = data.charts![0]!;
    const person = report.tables.find((t) => t.table === 'ssd_person')!;
    assert.deepEqual(
      chart.bars.find((b) => b.label === 'ssd_person'),
      { label: 'ssd_person', value: person.errors + person.warnings },
    );
    assert.ok(chart.bars.every((b) => b.value > 0));
    const html = renderReportHtml(data, 'abc', 'vscode-webview:');
    assert.match(html, /Findings by table/);
    assert.match(html, /<td><code>SSD-PERS-001<\/code><\/td>/);
    assert.match(html, /<th scope="row">ssd_person<\/th><td class="num">12 ms<\/td>/);
    assert.ok(!html.includes(NAME));
  });
});

describe('extension workflows: CREATE TABLE location and check helpers (pure)', () => {
  it('finds CREATE TABLE in T-SQL with brackets and schema, skipping comments and strings', () => {
    const text = [
      '-- CREATE TABLE ssd_person (x int)',
      "PRINT 'CREATE TABLE ssd_person (y int)';",
      "IF OBJECT_ID('ssd_development.ssd_person') IS NULL",
      'CREATE TABLE [ssd_development].[ssd_person] (',
      '    [pers_person_id] NVARCHAR(48) PRIMARY KEY,',
      '    pers_upn NVARCHAR(13) NULL, -- comment, with comma',
      '    CONSTRAINT pk_x UNIQUE (pers_upn)',
      ');',
      'CREATE TABLE ssd_disability (disa_table_id NVARCHAR(48));',
    ].join('\n');
    const all = locateCreateTables(text, ['SSD_PERSON', 'ssd_disability', 'ssd_missing'], 'tsql');
    assert.deepEqual([...all.keys()].sort(), ['ssd_disability', 'ssd_person']);
    const p = all.get('ssd_person')!;
    assert.equal(text.slice(p.nameStart, p.nameEnd), '[ssd_person]');
    assert.deepEqual([...p.columns.keys()], ['pers_person_id', 'pers_upn']);
    const c = p.columns.get('pers_person_id')!;
    assert.equal(text.slice(c.start, c.end), '[pers_person_id]');
    assert.deepEqual(locateCreateTable(text, 'ssd_person', 'tsql'), p);
    assert.equal(locateCreateTable('SELECT 1', 'ssd_person', 'tsql'), undefined);
  });

  it("takes a table's time from its closing step when the check gives one (tables side by side)", () => {
    let now = 0;
    const t = new TableTimer(() => now);
    const p = (table: string, tableMs?: number) => ({ done: 0, total: 3, message: 'x', table, ...(tableMs !== undefined ? { tableMs } : {}) });
    t.onProgress(p('a'));
    now = 5;
    t.onProgress(p('b'));
    now = 30;
    t.onProgress(p('b', 25));
    t.onProgress(p('a', 40));
    t.onProgress(p('c'));
    now = 100;
    t.stop();
    assert.deepEqual(
      [...t.times],
      [
        ['b', 25],
        ['a', 40],
      ],
    );
  });

  it('times tables from progress events', () => {
    let now = 0;
    const t = new TableTimer(() => now);
    const p = (table?: string) => ({ done: 0, total: 3, message: 'x', ...(table ? { table } : {}) });
    t.onProgress(p('a'));
    now = 5;
    t.onProgress(p('a'));
    now = 10;
    t.onProgress(p('b'));
    now = 14;
    t.onProgress(p());
    now = 20;
    t.onProgress(p('a'));
    now = 21;
    t.stop();
    assert.deepEqual(
      [...t.times],
      [
        ['a', 11],
        ['b', 4],
      ],
    );
  });

  it('a finding outside the model still gets a document', () => {
    const f: CheckFinding = { ruleId: 'X-1', severity: 'warning', category: 'data', table: 'la_extra', column: 'c1', count: 2, examples: ['1', '2'], message: '2 rows: odd', fix: 'fix it' };
    const placed = placeFindings([f], [], 'mssql');
    const [r] = placed.byUri.get('ssd-table:/la_extra.md')!;
    const doc = tableDocumentFor('la_extra', 'mssql', [f]);
    assert.equal(r!.range.start.line, doc.columnLines.get('c1'));
    assert.equal(r!.message, 'la_extra.c1: 2 rows: odd; e.g. ids 1, 2. Fix: fix it');
    // before any check a table document says so; after a clean check, "None."
    assert.match(tableDocumentFor('ssd_person', 'postgres', []).text, /## Findings\n\nNot checked yet on this connection: run "SSD: Check Tables"\./);
    assert.match(tableDocumentFor('ssd_person', 'postgres', [], '2026-11-25T09:00:00Z').text, /## Findings \(SSD: Check Tables, 2026-11-25T09:00:00Z\)\n\nNone\.\n$/);
    assert.match(tableDocumentFor('la_extra', 'postgres', []).text, /Not checked yet/);
  });
});
