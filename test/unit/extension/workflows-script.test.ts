// "SSD: Run Script" mappings on real core output: a script run on the database, its errors mapped to
// ranges in the original text, pre-flight and drift findings as script diagnostics, the unset sqlcmd
// variables, output lines, the drift review document and the report.
import assert from 'node:assert/strict';
import { renderReportHtml } from '../../../src/extension/core/report';
import { lineOffsets, type DiagnosticRecord } from '../../../src/extension/core/diagnosticRecords';
import {
  driftDiagnostics,
  driftReviewSql,
  formatDrift,
  formatPreflight,
  formatRunEvent,
  hasTableContainers,
  preflightDiagnostics,
  preflightReport,
  progressForEvent,
  runSummaryLine,
  scriptDiagnosticRecords,
  scriptRunReport,
  unsetVariables,
} from '../../../src/extension/core/scriptWorkflow';
import { checkDrift } from '../../../src/script/drift';
import { runScript, type RunEvent } from '../../../src/script/index';
import { planScript } from '../../../src/script/plan';
import { runPreflight } from '../../../src/script/preflight';
import { ScriptPlanError } from '../../../src/script/types';
import { forEachTarget } from '../../helpers/targets';

function textOf(text: string, r: DiagnosticRecord): string {
  const starts = lineOffsets(text);
  return text.slice(starts[r.range.start.line]! + r.range.start.character, starts[r.range.end.line]! + r.range.end.character);
}

forEachTarget('extension workflows: Run Script mappings', (fx, target) => {
  if (target.name === 'mssql') return; // PostgreSQL-dialect scripts below

  it('a failing statement becomes a diagnostic on its line, underlining the word the server named', async () => {
    const { db, schema } = fx();
    const text = [
      `CREATE TABLE ${schema}.w1 (id int PRIMARY KEY);`,
      `INSERT INTO ${schema}.w1 VALUES (1), (2);`,
      '-- the next statement is wrong',
      'SELECT id,',
      `       no_such_col FROM ${schema}.w1;`,
      `INSERT INTO ${schema}.w1 VALUES (3);`,
    ].join('\n');
    const events: RunEvent[] = [];
    const { result } = await runScript(db, { file: '/work/bad.sql', text, schema, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, false);
    const byFile = scriptDiagnosticRecords(result.diagnostics, (f) => (f === '/work/bad.sql' ? text : undefined));
    assert.deepEqual([...byFile.keys()], ['/work/bad.sql']);
    const [d] = byFile.get('/work/bad.sql')!;
    assert.equal(d!.severity, 'error');
    assert.equal(d!.range.start.line, 4, '0-based line of "no_such_col"');
    assert.equal(d!.range.start.character, 7);
    assert.equal(textOf(text, d!), 'no_such_col');
    assert.match(d!.message, /no_such_col.*\(batch 3\)$/);
    assert.equal(d!.code, '42703');
    assert.equal(d!.source, 'SSD script');

    // progress and output lines
    const progress = events.map(progressForEvent).filter((p) => p !== undefined);
    assert.deepEqual(
      progress.filter((p) => p!.message.startsWith('batch 3 of 4')).map((p) => Math.round(p!.percent)),
      [50, 75],
    );
    const lines = events.flatMap(formatRunEvent);
    assert.ok(lines.some((l) => /^\[3\/4\] /.test(l)));
    assert.ok(
      lines.some((l) => /bad\.sql:5:8: error: .*no_such_col/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^ {2}w1\s+uncertain|^ {2}\S*w1\s+/.test(l)),
      'the summary lists the table',
    );
    assert.match(runSummaryLine(result), /^bad\.sql: 1 error · 4 batches \(2 ok, 1 failed, 1 not run\)/);

    // report: counts, the error, time per table chart
    const report = scriptRunReport(result, { target: db.description, schema, startedAt: new Date() });
    assert.equal(report.outcome, 'problems');
    assert.deepEqual(
      report.counts.filter((c) => c.label.startsWith('Batches')).map((c) => [c.label, c.value]),
      [
        ['Batches', 4],
        ['Batches ok', 2],
        ['Batches failed', 1],
        ['Batches not run', 1],
      ],
    );
    assert.ok(report.findings!.some((f) => f.where === 'bad.sql:5:8' && f.severity === 'error' && f.rule === '42703'));
    const html = renderReportHtml(report, 'n0nce', 'vscode-resource:');
    assert.match(html, /Time per table \(ms\)/);
    assert.match(html, /<svg [^>]*aria-label="Time per table \(ms\)"/);
    assert.match(html, /no_such_col/);
  });

  it('atomic refresh in the output and the report: kept previous rows, and the row-count watch under a WARNING heading', async () => {
    const { db, schema } = fx();
    await db.execute(`CREATE TABLE ${schema}.w_refresh (id int PRIMARY KEY)`);
    await db.execute(`INSERT INTO ${schema}.w_refresh SELECT g FROM generate_series(1, 20) AS g`);
    const failing = `TRUNCATE TABLE ${schema}.w_refresh;\nINSERT INTO ${schema}.w_refresh SELECT no_such_col;\n`;
    const events: RunEvent[] = [];
    const kept = await runScript(db, { file: '/work/refresh.sql', text: failing, schema, onEvent: (e) => events.push(e) });
    const lines = events.flatMap(formatRunEvent);
    assert.ok(
      lines.some((l) => /^ {4}w_refresh: kept previous rows \(20, error at refresh\.sql:2:\d+\)$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /w_refresh\s+failed\s+no\s+20\s.*kept previous rows \(20, error at \/work\/refresh\.sql:2:\d+\)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => l.startsWith('WARNING')));
    const keptReport = scriptRunReport(kept.result, { target: db.description, schema, startedAt: new Date() });
    assert.ok(keptReport.findings!.some((f) => f.rule === 'kept previous rows' && f.where === `${schema}.w_refresh`));
    // the same script as written empties the table: the watch lists it in the summary, the line and the report
    const off = await runScript(db, { file: '/work/refresh.sql', text: failing, schema, atomic: false });
    const summary = formatRunEvent({ type: 'done', result: off.result });
    const at = summary.findIndex((l) => l.startsWith('WARNING: 1 SSD table lost more than half of its rows or became empty'));
    assert.ok(at > 0, summary.join('\n'));
    assert.equal(summary[at + 1], `  ${schema}.w_refresh: 20 → 0 rows (became empty)`);
    assert.match(runSummaryLine(off.result), /WARNING: 1 table lost most of its rows/);
    const report = scriptRunReport(off.result, { target: db.description, schema, startedAt: new Date() });
    assert.ok(report.findings!.some((f) => f.rule === 'row-count watch' && f.severity === 'warning' && f.count === 0));
  });

  it('pre-flight failures and drift point into the script; the review SQL holds the statements', async () => {
    const { db, schema } = fx();
    await db.execute(`CREATE TABLE ${schema}.w_person (pers_person_id VARCHAR(48) PRIMARY KEY, pers_upn VARCHAR(10), pers_old VARCHAR(5))`);
    const text = [
      `CREATE TABLE IF NOT EXISTS ${schema}.w_person (`,
      '  pers_person_id VARCHAR(48) PRIMARY KEY,',
      '  pers_upn VARCHAR(13),',
      '  pers_new VARCHAR(20)',
      ');',
      'CREATE TABLE ssd_nowhere_schema.t (id int);',
    ].join('\n');
    const pre = await runPreflight(db, { script: { text, file: '/w/d.sql', dialect: 'postgres' }, schema });
    assert.equal(pre.ok, false);
    const check = pre.checks.find((c) => c.id === 'target-schema:ssd_nowhere_schema')!;
    assert.equal(check.status, 'fail');
    const pd = preflightDiagnostics(pre, '/w/d.sql');
    const missing = pd.find((d) => d.code === 'target-schema:ssd_nowhere_schema');
    assert.ok(missing, JSON.stringify(pre.checks));
    assert.equal(missing.severity, 'error');
    assert.deepEqual([missing.file, missing.line], check.line ? [check.file, check.line] : ['/w/d.sql', 1], 'at its place, else on the first line');
    assert.match(missing.message, /What to do: create it first/);
    assert.equal(pd.filter((d) => d.severity === 'error').length, pre.checks.filter((c) => c.status === 'fail').length);
    assert.deepEqual(
      preflightDiagnostics(pre).map((d) => d.code),
      pre.checks.filter((c) => (c.status === 'fail' || c.status === 'warn') && c.line).map((c) => c.id),
      'without a file: only located checks',
    );
    assert.ok(
      formatPreflight(pre).some((l) => /^ {2}FAIL .*target schema ssd_nowhere_schema: .*never creates it/.test(l)),
      formatPreflight(pre).join('\n'),
    );
    assert.ok(formatPreflight(pre).some((l) => /what to do: create it first: CREATE SCHEMA ssd_nowhere_schema;/.test(l)));
    assert.equal(preflightReport(pre, { target: 'x', startedAt: new Date(), elapsedMs: 5, file: '/w/d.sql' }).outcome, 'failed');

    const drift = await checkDrift(db, text, 'postgres', { file: '/w/d.sql', schema });
    assert.equal(drift.drift, true);
    const dd = driftDiagnostics(drift);
    const recs = scriptDiagnosticRecords(dd, () => text).get('/w/d.sql')!;
    const onCreate = recs.find((r) => r.code === 'drift')!;
    assert.equal(onCreate.range.start.line, 0);
    assert.match(onCreate.message, /w_person exists and differs.*pers_new.*pers_old/);
    const added = recs.find((r) => r.code === 'drift-added')!;
    assert.equal(textOf(text, added), 'pers_new');
    const retyped = recs.find((r) => r.code === 'drift-retyped')!;
    assert.equal(retyped.range.start.line, 2);
    assert.match(retyped.message, /pers_upn: the live table has .*10.*, the script VARCHAR\(13\)/);
    const review = driftReviewSql(drift, 'postgres', '/w/d.sql');
    const person = drift.tables.find((t) => t.table === 'w_person')!;
    for (const s of person.statements) {
      if (/DROP COLUMN/.test(s)) assert.ok(review.includes(`\n-- ${s}\n`), `dropping a column (losing its data) is left commented out: ${s}`);
      else assert.ok(review.includes(`\n${s}\n`), `review holds ${s}`);
    }
    assert.ok(person.statements.some((s) => /DROP COLUMN/.test(s)) && person.statements.some((s) => !/DROP COLUMN/.test(s)));
    assert.ok(review.includes(`-- ${person.dropStatement}`), 'the DROP alternative is commented out');
    assert.ok(formatDrift(drift).some((l) => l.includes('+ pers_new')));
    // the review document's statements are what they say: running them removes the added/removed/retyped drift
    for (const s of person.statements) await db.execute(s);
    const after = (await checkDrift(db, text, 'postgres', { schema })).tables.find((t) => t.table === 'w_person')!;
    assert.equal(after.added.length + after.removed.length + after.retyped.length, 0);
  });
});

describe('extension workflows: script planning helpers', () => {
  it('names the sqlcmd variables a script uses without a value, once each', () => {
    const text = 'USE $(src_db);\nGO\nSELECT * FROM $(SRC_DB).dbo.x WHERE y > $(cutoff);\nGO\n';
    let diags;
    try {
      planScript(text, { dialect: 'tsql', file: 'v.sql' });
      assert.fail('should not plan');
    } catch (e) {
      assert.ok(e instanceof ScriptPlanError);
      diags = e.diagnostics;
    }
    assert.deepEqual(unsetVariables(diags), ['src_db', 'cutoff'], 'sqlcmd variable names are case-insensitive');
    try {
      planScript(text, { dialect: 'tsql', file: 'v.sql', vars: { src_db: 'HDM' } });
      assert.fail('should not plan');
    } catch (e) {
      assert.ok(e instanceof ScriptPlanError);
      assert.deepEqual(unsetVariables(e.diagnostics), ['cutoff']);
    }
    const plan = planScript(text, { dialect: 'tsql', file: 'v.sql', vars: { src_db: 'HDM', cutoff: '2020-01-01' } });
    assert.equal(plan.batches.length, 2);
    assert.deepEqual(unsetVariables([{ file: 'x', line: 1, column: 1, message: 'syntax error', severity: 'error', source: 'split' }]), []);
  });

  it('tells a tagged (META-CONTAINER) script from a plain one', () => {
    const tagged = '-- META-CONTAINER: {"type": "table", "name": "ssd_person"}\nCREATE TABLE ssd_person (id int);\nGO\n';
    assert.equal(hasTableContainers(planScript(tagged, { dialect: 'tsql', file: 't.sql' })), true);
    assert.equal(hasTableContainers(planScript('SELECT 1;\nGO\n', { dialect: 'tsql', file: 'p.sql' })), false);
  });

  it("groups diagnostics by file (includes), drops repeats of GO n, keeps an unknown file's position", () => {
    const recs = scriptDiagnosticRecords(
      [
        { file: 'main.sql', line: 2, column: 3, message: 'bad', severity: 'error', source: 'server', batchIndex: 0 },
        { file: 'main.sql', line: 2, column: 3, message: 'bad', severity: 'error', source: 'server', batchIndex: 0 },
        { file: '/inc/part.sql', line: 4, column: 1, message: 'warn', severity: 'warning', source: 'split' },
      ],
      (f) => (f === 'main.sql' ? 'a\n  xyz q\n' : undefined),
    );
    assert.equal(recs.get('main.sql')!.length, 1);
    assert.deepEqual(recs.get('main.sql')![0]!.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.deepEqual(recs.get('/inc/part.sql')![0]!.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } });
    assert.equal(recs.get('/inc/part.sql')![0]!.message, 'warn', 'no batch suffix for a split warning');
  });
});
