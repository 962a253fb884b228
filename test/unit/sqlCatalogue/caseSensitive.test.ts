// A case-sensitive SQL Server database (COLLATE Latin1_General_CS_AS) resolves catalogue names only
// as the catalog spells them: INFORMATION_SCHEMA and its columns in upper case, sys.* in lower case.
// Every statement of the catalogue is scanned (comments and strings left out).
import assert from 'node:assert/strict';
import { SQL_SCENARIOS, captureAll, type CataloguedStatement } from '../../../src/sqlCatalogue/index';

const IS_COLUMNS = [
  'table_catalog',
  'table_schema',
  'table_name',
  'column_name',
  'data_type',
  'character_maximum_length',
  'is_nullable',
  'ordinal_position',
  'numeric_precision',
  'numeric_scale',
  'table_type',
];

/** The statement's code: comments and string literals blanked, [bracketed] names kept. */
function code(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/N?'(?:[^']|'')*'/g, "''");
}

export function catalogNameProblems(s: CataloguedStatement): string[] {
  const c = code(s.sent);
  const out: string[] = [];
  for (const m of c.matchAll(/\binformation_schema\s*\.\s*(\w+)/gi)) {
    if (m[0] !== m[0].toUpperCase()) out.push(`${m[0]} (write INFORMATION_SCHEMA.${m[1]!.toUpperCase()})`);
  }
  if (/INFORMATION_SCHEMA/i.test(c)) {
    for (const col of IS_COLUMNS) {
      // Lower-case use of a catalogue column is only allowed as an alias (… AS table_name) or a qualified alias (r.table_name of a derived table).
      for (const m of c.matchAll(new RegExp(String.raw`(\bAS\s+|\.)?\b${col}\b`, 'g'))) if (!m[1]) out.push(`column ${col} in lower case (write ${col.toUpperCase()} AS ${col})`);
    }
  }
  for (const m of c.matchAll(/\bsys\s*\.\s*(\w+)/gi)) {
    if (m[0] !== m[0].toLowerCase()) out.push(`${m[0]} (system views are lower case: ${m[0].toLowerCase()})`);
  }
  return out;
}

describe('catalogue queries work under a case-sensitive SQL Server collation', function () {
  this.timeout(120_000);

  it('INFORMATION_SCHEMA in upper case with upper-case columns; sys.* in lower case', async () => {
    const all = await captureAll(SQL_SCENARIOS, { dialect: 'mssql' });
    const problems = all.flatMap((s) => catalogNameProblems(s).map((p) => `${s.scenario} ${s.seq}: ${p}`));
    assert.deepEqual([...new Set(problems)], []);
    assert.ok(
      all.some((s) => /INFORMATION_SCHEMA\.COLUMNS/.test(s.sent)),
      'no catalogue query captured',
    );
  });

  it('the scan finds the lower-case spellings that fail on such a database', () => {
    const mk = (sql: string) => ({ sent: sql }) as CataloguedStatement;
    assert.equal(catalogNameProblems(mk('SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = LOWER(@p1)')).length, 3);
    assert.equal(catalogNameProblems(mk('SELECT TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES')).length, 0);
    assert.equal(catalogNameProblems(mk('SELECT d.name FROM SYS.DATABASES d')).length, 1);
    assert.equal(catalogNameProblems(mk("SELECT 1 -- information_schema.tables\nWHERE x = 'information_schema.tables'")).length, 0);
  });
});
