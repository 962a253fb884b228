// The payload stream SQL of both dialects, checked without a server: same branches in the same
// order, the same 14 columns in each, only $1 bound, identifiers all filled, and no syntax of the
// other dialect (SQL Server runs only where SSD_TEST_MSSQL is set).
import assert from 'node:assert/strict';
import { loadSql } from '../../../src/db/sqlFiles';
import type { Db } from '../../../src/db/types';
import { childRowsSql } from '../../../src/payload/buildPayloads';

const fakeDb = (dialect: 'postgres' | 'mssql') => ({ dialect }) as unknown as Db;

function branches(sql: string): string[][] {
  const body = sql.slice(sql.indexOf('SELECT u.* FROM (') + 'SELECT u.* FROM ('.length, sql.lastIndexOf(') u'));
  return body.split(/\n\s*UNION ALL\n/).map((b) => {
    const select = b
      .trim()
      .replace(/^SELECT /, '')
      .split('\n')[0]!;
    return [...select.matchAll(/ AS (\w+)(?:,|$)/g)].map((m) => m[1]!);
  });
}

function kinds(sql: string): string[] {
  return [...sql.matchAll(/CAST\(N?'(\w+)' AS N?VARCHAR(?:\(2\))?\) AS k/g)].map((m) => m[1]!);
}

function balanced(sql: string): boolean {
  let depth = 0;
  for (const c of sql.replace(/--[^\n]*/g, '').replace(/'[^']*'/g, "''")) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('payload stream SQL (both dialects)', () => {
  const pg = loadSql('postgres', 'payload_child_rows');
  const ms = loadSql('mssql', 'payload_child_rows');

  it('has the same 21 branches, each with pid, k and the 12 generic columns in order', () => {
    const cols = ['pid', 'k', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 'd1', 'd2', 'd3', 'n1', 'x'];
    for (const sql of [pg, ms]) {
      const b = branches(sql);
      assert.equal(b.length, 21);
      for (const list of b) assert.deepEqual(list, cols);
    }
    assert.deepEqual(kinds(pg), kinds(ms));
    assert.deepEqual([...new Set(kinds(pg))].sort(), ['ad', 'af', 'ca', 'ce', 'cl', 'cp', 'cv', 'di', 'im', 'iv', 'li', 'p', 'pl', 'pm', 'pp', 's4', 'sd']);
  });

  it('binds only $1, fills every table placeholder with a quoted, schema-qualified name', () => {
    for (const dialect of ['postgres', 'mssql'] as const) {
      const sql = childRowsSql(fakeDb(dialect), 'ssd_development');
      assert.deepEqual([...new Set(sql.match(/\$\d+/g))], ['$1']);
      assert.doesNotMatch(sql, /\{\{/);
      assert.ok(balanced(sql), `${dialect}: unbalanced parentheses`);
      if (dialect === 'mssql') assert.match(sql, /\[ssd_development\]\.\[ssd_person\]/);
      else assert.match(sql, /"ssd_development"\."ssd_person"/);
    }
  });

  it('with the orphan branches (rows no payload can hold): the same 7 extra branches in both dialects, each joined to ssd_person by its own person id', () => {
    const all = new Set([
      'ssd_cin_assessments.cina_person_id',
      'ssd_cin_plans.cinp_person_id',
      'ssd_s47_enquiry.s47e_person_id',
      'ssd_cp_plans.cppl_person_id',
      'ssd_cla_episodes.clae_person_id',
      'ssd_cla_placement.clap_person_id',
      'ssd_involvements.invo_person_id',
    ]);
    const cols = ['pid', 'k', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 'd1', 'd2', 'd3', 'n1', 'x'];
    const texts = (['postgres', 'mssql'] as const).map((d) => childRowsSql(fakeDb(d), 'ssd_development', all));
    for (const sql of texts) {
      const b = branches(sql);
      assert.equal(b.length, 28);
      for (const list of b) assert.deepEqual(list, cols);
      assert.equal(kinds(sql).filter((k) => k === 'or').length, 7);
      assert.doesNotMatch(sql, /\{\{/);
      assert.ok(balanced(sql));
      for (const key of all) {
        const [table, column] = key.split('.');
        assert.match(sql, new RegExp(`${table}\\W+ \\w+ JOIN \\S+ssd_person\\W+ p ON p\\.pers_person_id = \\w+\\.${column}\\n  WHERE NOT EXISTS`), key);
      }
    }
    assert.doesNotMatch(texts[1]!, /::|COLLATE "C"|\bTEXT\b|\bTIMESTAMP\b|\bLIMIT\b/);
    assert.doesNotMatch(texts[0]!, /NVARCHAR|DATETIME|N'/);
    // Only the branches asked for; none by default.
    assert.equal(branches(childRowsSql(fakeDb('postgres'), 's', new Set(['ssd_cin_plans.cinp_person_id']))).length, 22);
    assert.equal(kinds(childRowsSql(fakeDb('mssql'), 's')).filter((k) => k === 'or').length, 0);
  });

  it("orders by person id in code-point order, with each dialect's own syntax", () => {
    assert.match(pg, /ORDER BY u\.pid COLLATE "C"\s*$/);
    assert.match(ms, /ORDER BY u\.pid COLLATE Latin1_General_BIN2\nOPTION \(RECOMPILE\)\s*$/);
    assert.doesNotMatch(ms, /::|COLLATE "C"|\bTEXT\b|\bTIMESTAMP\b|\bLIMIT\b|ILIKE/);
    assert.doesNotMatch(pg, /NVARCHAR|DATETIME|\[|TOP \(/);
  });
});
