// SQL files rendered from a TypeScript spec (src/sqlCatalogue/renderedSql.ts): what runs is the
// checked-in file under sql/<dialect>/, so it must be exactly the rendering of the spec, for every
// dialect. After changing a spec (src/payload/rowSpec.ts, src/check/cohortSql.ts) or a dialect's
// syntax (sqlSyntax in src/db/dialect.ts), run `npx tsx scripts/render-sql.ts`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSql } from '../../../src/db/sqlFiles';
import { sqlDir } from '../../../src/runtimePaths';
import { RENDERED_DIALECTS, RENDERED_SQL } from '../../../src/sqlCatalogue/renderedSql';

describe('SQL files rendered from specs', () => {
  it('every rendered file is checked in, equal to its rendering (else run `npx tsx scripts/render-sql.ts`)', () => {
    assert.deepEqual([...new Set(RENDERED_SQL.map((f) => f.dialect))], [...RENDERED_DIALECTS]);
    assert.deepEqual(
      RENDERED_SQL.filter((f) => f.dialect === 'postgres')
        .map((f) => f.name)
        .sort(),
      ['check_cohort_without_episode', 'payload_child_rows', 'payload_orphan_rows'],
    );
    for (const { dialect, name, render } of RENDERED_SQL) {
      const text = readFileSync(join(sqlDir(), dialect, `${name}.sql`), 'utf8');
      assert.equal(text, render(), `sql/${dialect}/${name}.sql differs from its rendering: run npx tsx scripts/render-sql.ts`);
      assert.equal(loadSql(dialect, name), text, `${dialect}/${name}: loadSql reads the rendered file`);
      assert.match(text, /^-- Generated from src\/\S+\.ts by `npx tsx scripts\/render-sql\.ts`/);
    }
  });
});
