// Schema findings: missing tables and columns, a date held as text, staging tables without the
// senders' columns, names in another case, and rules skipped (info) instead of crashing.
import assert from 'node:assert/strict';
import { qualify, quoteIdent } from '../../../src/db/dialect';
import { initTables } from '../../../src/ddl/initTables';
import { runChecks } from '../../../src/check/runChecks';
import { RULES } from '../../../src/check/rules';
import type { CheckReport } from '../../../src/check/types';
import { STAGING_TABLES } from '../../../src/model/ssdModel';
import { ensureStagingTable } from '../../../src/staging/stagingTable';
import { forEachTarget } from '../../helpers/targets';
import { insertSsdRows } from '../../helpers/ssdRows';
import { dropColumn, dropTable, makeText, renameTable } from './tableTools';

const AS_OF = '2026-11-25';
const byRule = (r: CheckReport, id: string) => r.findings.filter((f) => f.ruleId === id);

forEachTarget('ssd check: schema findings', (fx) => {
  let report: CheckReport;

  before(async function () {
    const { db, schema } = fx();
    await initTables(db, { schema });
    await dropTable(db, schema, 'ssd_sdq_scores');
    await dropColumn(db, schema, 'ssd_person', 'pers_upn');
    await makeText(db, schema, 'ssd_cin_episodes', 'cine_referral_date', 20);
    // A staging table from an old release: only two of its columns.
    const dt = db.dialect === 'mssql' ? 'NVARCHAR(MAX)' : 'TEXT';
    await db.execute(`CREATE TABLE ${qualify(db.dialect, schema, 'ssd_api_data_staging')} (${quoteIdent(db.dialect, 'id')} INT NOT NULL, ${quoteIdent(db.dialect, 'json_payload')} ${dt} NOT NULL)`);
    // A table whose name is in another case is still found.
    await renameTable(db, schema, 'ssd_address', 'SSD_Address');
    await insertSsdRows(db, schema, {
      ssd_person: [{ pers_person_id: 'P1', pers_upn_unknown: 'UN1', pers_sex: 'F', pers_ethnicity: 'WBRI', pers_dob: '2015-01-01' }],
      ssd_cin_episodes: [{ cine_referral_id: 'R1', cine_person_id: 'P1', cine_referral_date: '01/02/2025', cine_referral_source_code: '2A' }],
    });
    await db.execute(`INSERT INTO ${qualify(db.dialect, schema, 'SSD_Address')} (${quoteIdent(db.dialect, 'addr_table_id')}, ${quoteIdent(db.dialect, 'addr_person_id')}) VALUES ($1, $2)`, [
      'A1',
      'NOBODY',
    ]);
    // The schema setting is matched case-insensitively too.
    report = await runChecks(db, { schema: schema.toUpperCase(), asOf: AS_OF });
  });

  it('reports the missing builder table as an error', () => {
    const f = byRule(report, 'SSD-SCHEMA-001');
    assert.deepEqual(
      f.map((x) => x.table),
      ['ssd_sdq_scores'],
    );
    assert.equal(f[0]!.severity, 'error');
    assert.equal(report.tables.find((t) => t.table === 'ssd_sdq_scores')!.present, false);
  });

  it('reports the missing builder column as an error', () => {
    const f = byRule(report, 'SSD-SCHEMA-002');
    assert.deepEqual(
      f.map((x) => `${x.table}.${x.column}`),
      ['ssd_person.pers_upn'],
    );
  });

  it('warns about a date held as text', () => {
    const f = byRule(report, 'SSD-SCHEMA-003');
    assert.deepEqual(
      f.map((x) => `${x.table}.${x.column}`),
      ['ssd_cin_episodes.cine_referral_date'],
    );
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.message, /date held as text/);
  });

  it('lists every staging column the senders need and the absent anon table', () => {
    const missing = byRule(report, 'SSD-SCHEMA-004')
      .map((x) => x.column)
      .sort();
    const want = STAGING_TABLES[0]!.columns
      .map((c) => c.name)
      .filter((c) => c !== 'id' && c !== 'json_payload')
      .sort();
    assert.deepEqual(missing, want);
    assert.deepEqual(
      byRule(report, 'SSD-SCHEMA-005').map((x) => x.table),
      ['ssd_api_data_staging_anon'],
    );
  });

  it('skips the rules that need what is missing, with an info finding naming each', () => {
    const skipped = new Set(byRule(report, 'SSD-SCHEMA-006').map((f) => f.skippedRule));
    for (const r of RULES.filter((x) => x.table === 'ssd_sdq_scores')) assert.ok(skipped.has(r.id), `${r.id} skipped`);
    for (const id of ['SSD-PERS-006', 'SSD-PERS-007', 'SSD-PERS-008', 'SSD-PERS-010', 'SSD-PERS-011']) assert.ok(skipped.has(id), `${id} skipped (pers_upn missing)`);
    for (const id of ['SSD-CINE-005', 'SSD-CINE-006', 'SSD-CINE-007', 'SSD-COHO-001']) assert.ok(skipped.has(id), `${id} skipped (date held as text)`);
    assert.ok(!skipped.has('SSD-PERS-001') && !skipped.has('SSD-CINE-010'));
    assert.ok(byRule(report, 'SSD-SCHEMA-006').every((f) => f.severity === 'info' && f.count === 0));
    assert.equal(report.summary.rulesSkipped, skipped.size);
  });

  it('still runs the other rules, on tables found in another case', () => {
    assert.equal(report.tables.find((t) => t.table === 'ssd_address')!.actualName, 'SSD_Address');
    const orphan = byRule(report, 'SSD-ADDR-002');
    assert.equal(orphan.length, 1);
    assert.deepEqual(orphan[0]!.examples, ['A1']);
    assert.equal(report.tables.find((t) => t.table === 'ssd_person')!.rows, 1);
    assert.equal(report.schema, fx().schema);
  });

  it('is not fit', () => {
    assert.equal(report.verdict, 'not-fit');
  });
});

forEachTarget('ssd check: an empty schema', (fx) => {
  it('reports all 19 tables missing and skips every data rule without crashing', async () => {
    const { db, schema } = fx();
    const report = await runChecks(db, { schema, asOf: AS_OF });
    assert.equal(byRule(report, 'SSD-SCHEMA-001').length, 19);
    const dataRules = RULES.filter((r) => r.kind !== 'schema');
    assert.equal(report.summary.rulesSkipped, dataRules.length);
    assert.equal(report.summary.rulesRun, 0);
    assert.equal(report.summary.errors, 19);
  });

  it('stops with CancelledError when the signal is aborted', async () => {
    const { db, schema } = fx();
    await initTables(db, { schema });
    const ac = new AbortController();
    let steps = 0;
    await assert.rejects(
      runChecks(db, {
        schema,
        asOf: AS_OF,
        signal: ac.signal,
        onProgress: (p) => {
          steps++;
          if (p.done === 3) ac.abort();
        },
      }),
      (e: Error) => e.name === 'CancelledError',
    );
    assert.ok(steps >= 4 && steps < 21, `stopped early (${steps} progress events)`);
    // The connection is still usable afterwards.
    assert.equal((await db.query<{ n: number }>('SELECT 1 AS n'))[0]!.n, 1);
  });
});

forEachTarget('ssd check: staging tables as `ssd stage` creates them', (fx) => {
  it('gives no staging finding', async () => {
    const { db, schema } = fx();
    await initTables(db, { schema });
    await ensureStagingTable(db, { schema });
    await ensureStagingTable(db, { schema, table: 'ssd_api_data_staging_anon' });
    const report = await runChecks(db, { schema, asOf: AS_OF });
    assert.deepEqual(
      report.findings.filter((f) => f.table.startsWith('ssd_api_data_staging')),
      [],
    );
    assert.ok(report.tables.filter((t) => t.role === 'staging').every((t) => t.present && t.rows === 0));
  });
});
