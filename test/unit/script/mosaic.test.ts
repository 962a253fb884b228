import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseMosaicScript, classifyMosaicTables, mosaicShrunk, injectMosaicSettings, mosaicListingQuery, validateMosaicSettings, MosaicSettingsError } from '../../../src/script/mosaic';
import { MOSAIC_SETTINGS, mosaicSettingsJsonSchema } from '../../../src/script/mosaicSettings';
import { planScript } from '../../../src/script/plan';

const script = readFileSync(join(process.cwd(), 'test/fixtures/scripts/mosaic_like.sql'), 'utf8');

describe('Mosaic: settings catalogue and JSON Schema', () => {
  it('lists the 35 settings of the fact sheet, numbered 1 to 35, unique per procedure', () => {
    assert.equal(MOSAIC_SETTINGS.length, 35);
    assert.deepEqual(
      MOSAIC_SETTINGS.map((s) => s.n),
      Array.from({ length: 35 }, (_, i) => i + 1),
    );
    assert.equal(new Set(MOSAIC_SETTINGS.map((s) => `${s.procedure}.${s.variable}`)).size, 35);
    assert.equal(MOSAIC_SETTINGS.filter((s) => !s.documented).length, 4); // immunisation x3 + further_sw_action_next_actions
  });

  it('the committed schemas/mosaic-settings.schema.json is the one generated from the catalogue', () => {
    const committed = JSON.parse(readFileSync(join(process.cwd(), 'schemas/mosaic-settings.schema.json'), 'utf8'));
    assert.deepEqual(committed, mosaicSettingsJsonSchema());
  });

  it('accepts a good settings file and lists every problem of a bad one', () => {
    validateMosaicSettings({
      financialYears: 3,
      settings: { cin_visits: { cin_visit_types: [{ visit_type_code: 'VIS.CIN', visit_type_description: 'Visit CIN' }], child_seen_question_user_codes: ['child_seen'] } },
    });
    assert.throws(
      () => validateMosaicSettings({ financialYears: 0, settings: { cin_visits: { cin_visit_tpyes: [] }, nowhere: {} } }),
      (e: unknown) => {
        assert.ok(e instanceof MosaicSettingsError);
        assert.ok(e.problems.length >= 3, e.message);
        assert.match(e.message, /cin_visit_tpyes/);
        assert.match(e.message, /nowhere/);
        return true;
      },
    );
    assert.throws(
      () => validateMosaicSettings({ settings: { early_help_episodes: { early_help_worker_prof_rel_types: [{ prof_rel_type_code: 'X'.repeat(21) }] } } }),
      /must NOT have more than 20 characters/,
    );
  });
});

describe('Mosaic: reading the script', () => {
  it('finds the procedures, their settings, the ##ssd_ tables and the defects', () => {
    const a = analyseMosaicScript(script, 'm.sql');
    assert.deepEqual(
      a.procedures.map((p) => p.key),
      ['early_help_episodes', 'immigration_status', 'permanence', 'care_leavers', 'voice_of_child', 'main'],
    );
    const eh = a.procedures[0]!;
    assert.deepEqual([...eh.variables.keys()], ['eh_step_types', 'reason_for_eh_question_user_codes', 'early_help_worker_prof_rel_types']);
    assert.deepEqual(
      eh.variables.get('eh_step_types')!.columns.map((c) => [c.name, c.type]),
      [
        ['workflow_step_type_id', 'numeric(9)'],
        ['workflow_step_type_description', 'varchar(500)'],
      ],
    );
    assert.equal(eh.variables.get('eh_step_types')!.shipped.length, 2);
    assert.deepEqual(a.expectedTables, ['##ssd_early_help_episodes', '##ssd_immigration_status', '##ssd_permanence']);
    const msgs = a.problems.map((p) => p.message).join('\n');
    assert.match(msgs, /calls ##ssd_voice_of_child, which the script never creates \(did it mean ##populate_ssd_voice_of_child/);
    assert.match(msgs, /##populate_ssd_voice_of_child is never run by ##populate_ssd_main, so ##ssd_voice_of_child will be missing/);
    assert.match(msgs, /#ssd_care_leavers, a local temporary table/);
  });
});

describe('Mosaic: injecting settings', () => {
  it('replaces the VALUES lists, escaping quotes, keeping the rest of the script byte for byte', () => {
    const r = injectMosaicSettings(
      script,
      {
        settings: {
          early_help_episodes: { eh_step_types: [{ workflow_step_type_id: 42, workflow_step_type_description: "Child's EH step" }, { workflow_step_type_id: '43' }] },
          immigration_status: { immigration_status_start_date_question_user_codes: [{ question_user_code: 'imm.start', question_text: 'Start date' }] },
          permanence: { ffa_cp_decision_date_question_user_codes: [] },
        },
      },
      'm.sql',
    );
    assert.match(r.text, /insert into @eh_step_types values\n\t\t\t\(42, 'Child''s EH step'\),\n\t\t\t\(43, NULL\)\n\t\t--/);
    assert.ok(!r.text.includes("(1208, 'Early Help Referral Decision (EH)')"));
    assert.match(r.text, /insert into @immigration_status_start_date_question_user_codes\n\t\tvalues\n\t\t\t\('imm\.start', 'Start date'\)\n\t\t\t--,\(<additional value>/);
    assert.match(r.text, /insert into @ffa_cp_decision_date_question_user_codes select NULL, NULL where 1 = 0;/);
    assert.deepEqual(
      r.applied.map((a) => [a.procedure, a.variable, a.rows]),
      [
        ['early_help_episodes', 'eh_step_types', 2],
        ['immigration_status', 'immigration_status_start_date_question_user_codes', 1],
        ['permanence', 'ffa_cp_decision_date_question_user_codes', 0],
      ],
    );
    // untouched settings with dummy values are reported
    assert.deepEqual(
      r.dummies.map((d) => `${d.procedure}.${d.variable}`),
      ['permanence.siblings_placed_together_question_user_codes'],
    );
    // everything outside the replaced lists is unchanged, and the result still splits into the same batches
    const before = planScript(script, { dialect: 'tsql', file: 'a' }).batches.length;
    assert.equal(planScript(r.text, { dialect: 'tsql', file: 'b' }).batches.length, before);
    assert.ok(r.text.includes("('REL.IEYSF', 'IEYS Family Worker')"));
  });

  it('keeps CRLF line endings of a CRLF script', () => {
    const crlf = script.replace(/\n/g, '\r\n');
    const r = injectMosaicSettings(crlf, { settings: { early_help_episodes: { eh_step_types: [{ workflow_step_type_id: 1 }, { workflow_step_type_id: 2 }] } } });
    assert.ok(r.text.includes('(1, NULL),\r\n\t\t\t(2, NULL)\r\n'));
    assert.ok(!/[^\r]\n/.test(r.text), 'no bare LF');
  });

  it('without settings, reports every shipped dummy', () => {
    const r = injectMosaicSettings(script, { settings: {} });
    assert.equal(r.text, script);
    assert.deepEqual(
      r.dummies.map((d) => d.variable),
      ['immigration_status_start_date_question_user_codes', 'ffa_cp_decision_date_question_user_codes', 'siblings_placed_together_question_user_codes'],
    );
  });

  it('refuses values that SQL Server would truncate or reject, and unknown settings, all at once', () => {
    assert.throws(
      () =>
        injectMosaicSettings(script, {
          settings: {
            early_help_episodes: { early_help_worker_prof_rel_types: [{ prof_rel_type_code: 'REL.' + 'X'.repeat(30) }], eh_step_types: [{ workflow_step_type_id: '12a' }] },
            cin_visits: { cin_visit_types: [] },
            permanence: { no_such_setting: [] },
          },
        }),
      (e: unknown) => {
        assert.ok(e instanceof MosaicSettingsError);
        assert.equal(e.problems.length, 4, e.message);
        assert.match(e.message, /longer than prof_rel_type_code varchar\(20\)/);
        assert.match(e.message, /"12a" is not a whole number/);
        assert.match(e.message, /no procedure ##populate_ssd_cin_visits/);
        assert.match(e.message, /no table variable @no_such_setting/);
        return true;
      },
    );
  });
});

describe('Mosaic: listing the ##ssd_ tables', () => {
  it('builds a parameterised query with one placeholder per expected table', () => {
    const q = mosaicListingQuery(['##ssd_person', '##ssd_cin_episodes', 'bad name; drop']);
    assert.deepEqual(q.params, ['##ssd_person', '##ssd_cin_episodes']);
    assert.match(q.sql, /FROM \(VALUES \(\$1\), \(\$2\)\) AS v \(table_name\)/);
    assert.ok(!q.sql.includes('##ssd_person'));
    assert.match(q.sql, /tempdb\.sys\.tables/);
    assert.match(mosaicListingQuery([]).sql, /VALUES \(CAST\(NULL AS NVARCHAR\(128\)\)\)/);
  });

  it('flags missing and empty tables with hints', () => {
    const inj = injectMosaicSettings(script, { settings: {} });
    const s = classifyMosaicTables(
      inj.analysis.expectedTables,
      [
        { table_name: '##ssd_early_help_episodes', present: 1, row_count: 120 },
        { table_name: '##ssd_permanence', present: 1, row_count: 0 },
        { table_name: '##ssd_immigration_status', present: 0, row_count: null },
        { table_name: '##ssd_other', present: 1, row_count: 3 },
      ],
      inj,
    );
    assert.deepEqual(
      s.map((t) => [t.table, t.status, t.rows]),
      [
        ['##ssd_early_help_episodes', 'ok', 120],
        ['##ssd_immigration_status', 'missing', null],
        ['##ssd_permanence', 'empty', 0],
        ['##ssd_other', 'unexpected', 3],
      ],
    );
    assert.match(s[1]!.hint!, /##populate_ssd_immigration_status failed/);
    assert.match(s[2]!.hint!, /dummy values: @ffa_cp_decision_date_question_user_codes, @siblings_placed_together_question_user_codes/);
  });
});

describe('Mosaic settings file: JSON with comments', () => {
  it('strips comments and trailing commas, keeping positions', async () => {
    const { stripJsonComments } = await import('../../../src/script/mosaicCli');
    const text = '{ // c\n "a": "x // not a comment", /* b */ "b": [1, 2,],\n}';
    const clean = stripJsonComments(text);
    assert.equal(clean.length, text.length);
    assert.deepEqual(JSON.parse(clean), { a: 'x // not a comment', b: [1, 2] });
    assert.equal(stripJsonComments('{"s": "a\\"/*b*/"}'), '{"s": "a\\"/*b*/"}');
  });
});

describe('Mosaic: the run on SQL Server (orchestration)', () => {
  it('creates the procedures with the settings, runs the master with the years, lists the tables', async () => {
    const { runMosaic } = await import('../../../src/script/mosaic');
    const sent: string[] = [];
    let listing: { sql: string; params: readonly unknown[] } | undefined;
    const db = {
      dialect: 'mssql',
      kind: 'mssql',
      description: 'SQL Server (simulated)',
      defaultSchema: 'dbo',
      async runBatch(sql: string) {
        sent.push(sql);
        return { rowsAffected: [], resultSets: [], elapsedMs: 1 };
      },
      async query(sql: string, params: readonly unknown[] = []) {
        if (/information_schema/i.test(sql)) return [];
        listing = { sql, params };
        return [
          { table_name: '##ssd_early_help_episodes', present: 1, row_count: 12 },
          { table_name: '##ssd_immigration_status', present: 1, row_count: 0 },
          { table_name: '##ssd_permanence', present: 0, row_count: null },
        ];
      },
    } as unknown as import('../../../src/db/types').Db;
    const r = await runMosaic(db, script, { file: 'm.sql', settings: { financialYears: 4, settings: { early_help_episodes: { eh_step_types: [{ workflow_step_type_id: 9 }] } } } });
    assert.ok(
      sent.some((s) => s.includes('insert into @eh_step_types values\n\t\t\t(9, NULL)')),
      'the procedure was created with the setting',
    );
    assert.equal(sent[sent.length - 1], 'EXEC ##populate_ssd_main 4');
    assert.equal(r.master.ran, true);
    assert.deepEqual(listing!.params, ['##ssd_early_help_episodes', '##ssd_immigration_status', '##ssd_permanence']);
    assert.deepEqual(
      r.tables.map((t) => [t.table, t.status]),
      [
        ['##ssd_early_help_episodes', 'ok'],
        ['##ssd_immigration_status', 'empty'],
        ['##ssd_permanence', 'missing'],
      ],
    );
    assert.match(r.tables[1]!.hint!, /@immigration_status_start_date_question_user_codes/);
    assert.equal(r.ok, false);
    await assert.rejects(runMosaic(db, script, { file: 'm.sql', settings: { settings: {} }, years: 0 }), /1 to 20/);
  });
});

describe('Mosaic: row-count watch around ##populate_ssd_main', () => {
  it('flags ##ssd_ tables that fell to 0 (or vanished) or by more than half; growth, small falls and new tables are fine', () => {
    const before = [
      { table_name: '##ssd_person', present: 1, row_count: 10000 },
      { table_name: '##ssd_cin_episodes', present: 1, row_count: 5000 },
      { table_name: '##ssd_contacts', present: 1, row_count: 800 },
      { table_name: '##ssd_address', present: 1, row_count: 900 },
      { table_name: '##ssd_disability', present: 0, row_count: null },
      { table_name: '##ssd_missing', present: 1, row_count: 40 },
    ];
    const after = [
      { table_name: '##ssd_person', present: 1, row_count: '10050' },
      { table_name: '##ssd_cin_episodes', present: 1, row_count: 0 },
      { table_name: '##ssd_contacts', present: 1, row_count: 399 },
      { table_name: '##ssd_address', present: 1, row_count: 450 },
      { table_name: '##ssd_disability', present: 1, row_count: 12 },
      { table_name: '##ssd_missing', present: 0, row_count: null },
    ];
    assert.deepEqual(mosaicShrunk(before, after), [
      { table: '##ssd_cin_episodes', before: 5000, after: 0, why: 'became empty' },
      { table: '##ssd_contacts', before: 800, after: 399, why: 'lost more than half of its rows' },
      { table: '##ssd_missing', before: 40, after: 0, why: 'became empty' },
    ]);
    assert.deepEqual(mosaicShrunk([], after), [], 'no earlier run in an open session: nothing to compare');
  });
});
