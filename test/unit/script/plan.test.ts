import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planScript, mapBatchLine, mapBatchPosition, findTargetTables } from '../../../src/script/plan';
import { maskNonCode } from '../../../src/script/lexer';
import { ScriptPlanError } from '../../../src/script/types';

const fixtures = join(process.cwd(), 'test/fixtures/scripts');
const tsqlFixture = readFileSync(join(fixtures, 'ssd_systemc_like.sql'), 'utf8');
const pgFixture = readFileSync(join(fixtures, 'ssd_postgres_tagged.sql'), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('planScript: T-SQL', () => {
  it('plans the SystemC-like fixture as 3 batches like sqlcmd (one build batch, the view, the final SELECT)', () => {
    const plan = planScript(tsqlFixture, { dialect: 'tsql', file: 'x.sql' });
    assert.equal(plan.batches.length, 3);
    assert.deepEqual(
      plan.batches[0]!.tables.map((t) => t.name),
      ['ssd_person', 'ssd_address', 'ssd_assessment_factors'],
    );
    assert.equal(plan.batches[0]!.tables[0]!.schema, 'ssd_development');
    assert.equal(plan.batches[0]!.line, lineOf(tsqlFixture, 'SET NOCOUNT ON'));
    assert.equal(plan.batches[1]!.line, lineOf(tsqlFixture, 'CREATE OR ALTER VIEW'));
    assert.equal(plan.batches[2]!.line, lineOf(tsqlFixture, 'SELECT * FROM ssd_development.ssd_vw'));
    // the batch text is the file's text, exactly
    const b0 = plan.batches[0]!;
    assert.equal(b0.text, tsqlFixture.slice(0, b0.text.length));
  });

  it('maps a server line within a batch back to the file line and its first code column', () => {
    const plan = planScript(tsqlFixture, { dialect: 'tsql', file: 'x.sql' });
    const b = plan.batches[1]!;
    const viewLine = lineOf(tsqlFixture, 'CREATE OR ALTER VIEW');
    // line 2 of batch 2 is the line after the CREATE OR ALTER VIEW line (GO line + 1 is batch line 1)
    assert.deepEqual(mapBatchLine(b, 2), { file: 'x.sql', line: viewLine + 1, column: 1 });
    const b0 = plan.batches[0]!;
    const insertLine = lineOf(tsqlFixture, 'INSERT INTO ssd_development.ssd_address');
    assert.deepEqual(mapBatchLine(b0, insertLine), { file: 'x.sql', line: insertLine, column: 1 });
  });

  it('per-table mode: the configuration block goes in front of each container, GO inside a container still splits', () => {
    const plan = planScript(tsqlFixture, { dialect: 'tsql', file: 'x.sql', perTable: true });
    assert.deepEqual(
      plan.batches.map((b) => b.label),
      ['ssd_person', 'ssd_address', 'ssd_assessment_factors', 'end_of_run', 'ssd_vw_current_time_windows', 'ssd_vw_current_time_windows'],
    );
    const person = plan.batches[0]!;
    assert.equal(person.kind, 'table');
    assert.equal(person.withConfig, true);
    assert.equal(person.line, lineOf(tsqlFixture, "SET @TableName = N'ssd_person'"), 'progress points at the container, not the configuration');
    assert.ok(person.text.startsWith(tsqlFixture.slice(0, tsqlFixture.indexOf('-- META-CONTAINER: {"type": "table"'))));
    assert.ok(person.text.includes('DECLARE @ssd_timeframe_years INT = 6;'));
    assert.ok(!person.text.includes('ssd_address ('));
    // the view's CREATE OR ALTER must start its batch: no configuration in front of it
    const view = plan.batches[4]!;
    assert.equal(view.withConfig, false);
    assert.match(view.text, /^CREATE OR ALTER VIEW/);
    // an empty container is reported, not run
    assert.ok(plan.warnings.some((w) => w.message.includes('ssd_api_data_staging')));
    // lines still map to the file, through the prepended configuration
    const addr = plan.batches[1]!;
    const batchLineOfInsert = addr.text.slice(0, addr.text.indexOf('INSERT INTO ssd_development.ssd_address')).split('\n').length;
    assert.equal(mapBatchLine(addr, batchLineOfInsert).line, lineOf(tsqlFixture, 'INSERT INTO ssd_development.ssd_address'));
    const cfgLine = addr.text.slice(0, addr.text.indexOf('DECLARE @src_db')).split('\n').length;
    assert.equal(mapBatchLine(addr, cfgLine).line, lineOf(tsqlFixture, 'DECLARE @src_db'));
  });

  it('per-table mode refuses an untagged script with a clear message', () => {
    assert.throws(
      () => planScript('SELECT 1\nGO\nSELECT 2', { dialect: 'tsql', file: 'plain.sql', perTable: true }),
      (e: unknown) => e instanceof ScriptPlanError && /tagged format/.test(e.message),
    );
  });

  it('applies :setvar and --var to $(var), with :setvar overriding as sqlcmd does', () => {
    const t = ":setvar schema ssd_dev\nSELECT * FROM $(schema).t WHERE db = '$(db)';\nGO\n:setvar schema other\nSELECT 1 FROM $(schema).u\n";
    const plan = planScript(t, { dialect: 'tsql', file: 'v.sql', vars: { db: 'HDM', schema: 'cli' } });
    assert.equal(plan.batches.length, 2);
    assert.equal(plan.batches[0]!.text, "SELECT * FROM ssd_dev.t WHERE db = 'HDM';\n");
    assert.equal(plan.batches[1]!.text, 'SELECT 1 FROM other.u\n');
    assert.equal(plan.batches[1]!.line, 5);
    assert.equal(mapBatchLine(plan.batches[1]!, 1).line, 5);
  });

  it('refuses an undefined variable in code with its line and column, but leaves comments alone', () => {
    const t = '-- $(nope) in a comment is fine\nSELECT 1;\nSELECT $(missing);\n';
    assert.throws(
      () => planScript(t, { dialect: 'tsql', file: 'u.sql' }),
      (e: unknown) => {
        assert.ok(e instanceof ScriptPlanError);
        assert.equal(e.diagnostics.length, 1);
        assert.deepEqual([e.diagnostics[0]!.line, e.diagnostics[0]!.column], [3, 8]);
        assert.match(e.diagnostics[0]!.message, /--var missing=value/);
        return true;
      },
    );
  });

  it('refuses unsupported sqlcmd commands and !! with the line', () => {
    assert.throws(
      () => planScript('SELECT 1\n:connect otherserver\nGO', { dialect: 'tsql', file: 'c.sql' }),
      (e: unknown) => e instanceof ScriptPlanError && e.diagnostics[0]!.line === 2 && /:connect/.test(e.message),
    );
    assert.throws(() => planScript('!!dir\n', { dialect: 'tsql', file: 'c.sql' }), /operating-system/);
  });

  it('follows :r includes, keeping each batch piece mapped to its own file', () => {
    const files: Record<string, string> = {
      'main.sql': 'SELECT 1\n:r inc.sql\nSELECT 3\nGO\n',
      'inc.sql': 'SELECT 2 -- from inc\nGO\nSELECT bad FROM nowhere\n',
    };
    const plan = planScript(files['main.sql']!, { dialect: 'tsql', file: 'main.sql', readInclude: (p) => ({ file: p, text: files[p]! }) });
    assert.equal(plan.batches.length, 2);
    assert.equal(plan.batches[0]!.text, 'SELECT 1\nSELECT 2 -- from inc\n');
    assert.equal(plan.batches[1]!.text, 'SELECT bad FROM nowhere\nSELECT 3\n');
    assert.deepEqual(mapBatchLine(plan.batches[1]!, 1), { file: 'inc.sql', line: 3, column: 1 });
    assert.deepEqual(mapBatchLine(plan.batches[1]!, 2), { file: 'main.sql', line: 3, column: 1 });
  });

  it('refuses an include cycle and a missing include', () => {
    const files: Record<string, string> = { 'a.sql': ':r b.sql\n', 'b.sql': ':r a.sql\n' };
    const readInclude = (p: string) => {
      const t = files[p];
      if (t === undefined) throw new Error('no such file');
      return { file: p, text: t };
    };
    assert.throws(() => planScript(files['a.sql']!, { dialect: 'tsql', file: 'a.sql', readInclude }), /includes itself/);
    assert.throws(() => planScript(':r zz.sql\n', { dialect: 'tsql', file: 'a.sql', readInclude }), /cannot read the file/);
  });

  it('honours :on error ignore per batch', () => {
    const plan = planScript('SELECT 1\nGO\n:on error ignore\nSELECT 2\nGO\n', { dialect: 'tsql', file: 'e.sql' });
    assert.equal(plan.batches[0]!.onError, undefined);
    assert.equal(plan.batches[1]!.onError, 'ignore');
  });
});

describe('planScript: PostgreSQL', () => {
  it('plans one batch per statement, with exact text and positions', () => {
    const plan = planScript(pgFixture, { dialect: 'postgres', file: 'p.sql' });
    const creates = plan.batches.filter((b) => /CREATE TABLE/.test(b.text));
    assert.equal(creates.length, 4);
    assert.deepEqual(
      plan.tables.map((t) => t.name),
      ['ssd_person', 'ssd_disability', 'ssd_immigration_status', 'ssd_cin_episodes'],
    );
    // a position in a statement maps to the same place in the file
    const b = plan.batches.find((x) => x.text.includes('FIXTURE-ERROR-POINT'))!;
    const pos = b.text.indexOf('FIXTURE-ERROR-POINT') + 1;
    const fileOff = pgFixture.indexOf('FIXTURE-ERROR-POINT');
    const line = pgFixture.slice(0, fileOff).split('\n').length;
    const column = fileOff - pgFixture.lastIndexOf('\n', fileOff - 1);
    assert.deepEqual(mapBatchPosition(b, pos), { file: 'p.sql', line, column });
  });

  it('per-table mode groups each container into one batch with the configuration in front', () => {
    const plan = planScript(pgFixture, { dialect: 'postgres', file: 'p.sql', perTable: true });
    assert.deepEqual(
      plan.batches.map((b) => b.label),
      ['ssd_person', 'ssd_disability', 'ssd_immigration_status', 'ssd_cin_episodes', 'end_of_run'],
    );
    for (const b of plan.batches) assert.ok(b.text.includes("SET ssd.timeframe_years = '6';"));
    const d = plan.batches[1]!;
    const pos = d.text.indexOf('FIXTURE-ERROR-POINT') + 1;
    assert.equal(mapBatchPosition(d, pos).line, lineOf(pgFixture, 'FIXTURE-ERROR-POINT'));
  });

  it('refuses psql meta-commands with the line', () => {
    assert.throws(
      () => planScript('SELECT 1;\n\\i x.sql\n', { dialect: 'postgres', file: 'm.sql' }),
      (e: unknown) => e instanceof ScriptPlanError && e.diagnostics[0]!.line === 2,
    );
  });
});

describe('findTargetTables', () => {
  it('finds CREATE/INSERT/SELECT INTO targets, skipping temp tables and table variables', () => {
    const sql = maskNonCode(
      `CREATE TABLE [ssd_development].[ssd_person] (a int);
INSERT INTO #tmp SELECT 1; INSERT INTO @t VALUES (1);
SELECT * INTO ssd_development.ssd_cohort FROM x; -- INSERT INTO commented.out
INSERT INTO HDM_Local.ssd_development.ssd_person (a) SELECT 1;`,
      'tsql',
    );
    const t = findTargetTables(sql);
    assert.deepEqual(
      t.map((x) => [x.schema, x.name, x.via, x.batchLine]),
      [
        ['ssd_development', 'ssd_person', 'create', 1],
        ['ssd_development', 'ssd_cohort', 'insert', 3],
      ],
    );
  });
});
