import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFeatures, scanReferences } from '../../../src/script/preflight';
import { planScript } from '../../../src/script/plan';

const tsql = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_systemc_like.sql'), 'utf8');
const pg = readFileSync(join(process.cwd(), 'test/fixtures/scripts/ssd_postgres_tagged.sql'), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('pre-flight: features used by a script', () => {
  it('finds TRY_CONVERT, CREATE OR ALTER and THROW in code, with their first line', () => {
    const f = Object.fromEntries(scanFeatures(tsql, 'tsql').map((u) => [u.feature, u]));
    assert.equal(f['TRY_CONVERT / TRY_CAST']!.line, lineOf(tsql, 'TRY_CONVERT(INT'));
    assert.equal(f['TRY_CONVERT / TRY_CAST']!.compatLevel, 110);
    assert.equal(f['CREATE OR ALTER']!.line, lineOf(tsql, 'CREATE OR ALTER VIEW'));
    assert.equal(f['CREATE OR ALTER']!.mssqlBuild, 4001);
    assert.ok(f['THROW / DATEFROMPARTS / IIF / EOMONTH / FORMAT']);
  });

  it('ignores features that only appear in comments or strings', () => {
    const f = scanFeatures(tsql, 'tsql').map((u) => u.feature);
    assert.ok(!f.includes('FOR JSON'), 'FOR JSON is only in the commented #LEGACY-PRE2016 block');
    assert.ok(!f.includes('STRING_AGG'), 'STRING_AGG is only in a comment');
    assert.deepEqual(scanFeatures("SELECT 'STRING_AGG(x)' -- FOR JSON\n/* TRY_CONVERT( */", 'tsql'), []);
  });

  it('finds PostgreSQL version needs', () => {
    const f = scanFeatures('MERGE INTO t USING s ON true WHEN MATCHED THEN DO NOTHING;\nSELECT gen_random_uuid();', 'postgres');
    assert.deepEqual(
      f.map((u) => [u.feature, u.pgVersionNum, u.line]),
      [
        ['MERGE', 150000, 1],
        ['gen_random_uuid()', 130000, 2],
      ],
    );
  });
});

describe('pre-flight: what a script reads and writes', () => {
  it('SystemC-like: target ssd_development, USE HDM_Local, source HDM.Child_Social', () => {
    const plan = planScript(tsql, { dialect: 'tsql', file: 'x.sql' });
    const r = scanReferences(tsql, 'tsql', plan);
    assert.deepEqual(r.targetSchemas, ['ssd_development']);
    assert.deepEqual(r.useDatabases, ['hdm_local']);
    assert.deepEqual(
      r.sources.map((s) => [s.database, s.schema]),
      [['hdm', 'child_social']],
    );
    assert.equal(r.sources[0]!.line, lineOf(tsql, 'FROM HDM.Child_Social.DIM_PERSON AS p'));
  });

  it('PostgreSQL fixture: creates its schema, reads nothing else', () => {
    const r = scanReferences(pg, 'postgres');
    assert.deepEqual(r.targetSchemas, ['ssd_development']);
    assert.deepEqual(r.createdSchemas, ['ssd_development']);
    assert.deepEqual(r.sources, []);
  });
});
