// The SQL Server paths of bulkInsert and ssd fake, checked without a server: the statements and
// parameters they would send.
import assert from 'node:assert/strict';
import { bulkInsert } from '../../../src/db/bulkInsert';
import type { Queryable } from '../../../src/db/types';
import { FAKE_COLUMNS, dayOf, defaultShares } from '../../../src/fake/cohort';
import { generateChunk } from '../../../src/fake/generateFakeSsd';

function recorder(): Queryable & { calls: { sql: string; params: readonly unknown[] }[] } {
  const calls: { sql: string; params: readonly unknown[] }[] = [];
  return {
    dialect: 'mssql',
    calls,
    async query() {
      throw new Error('no queries expected');
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      calls.push({ sql, params });
      return 0;
    },
  };
}

describe('SQL Server paths (no server needed)', () => {
  it('bulkInsert sends multi-row VALUES under 2,100 parameters and 1,000 rows, with bracketed names', async () => {
    const q = recorder();
    const rows = Array.from({ length: 2600 }, (_, i) => [i, `name ${i}`, null]);
    assert.equal(await bulkInsert(q, 'mssql', 'ssd_development', 'ssd_person', ['pers_person_id', 'pers_forename', 'pers_dob'], rows), 2600);
    assert.equal(q.calls.length, 4); // 666 rows (1,998 parameters) per statement
    let seen = 0;
    for (const c of q.calls) {
      assert.ok(c.sql.startsWith('INSERT INTO [ssd_development].[ssd_person] ([pers_person_id], [pers_forename], [pers_dob]) VALUES ($1, $2, $3), ($4, $5, $6)'));
      assert.ok(c.params.length <= 2000 && c.params.length % 3 === 0);
      const placeholders = c.sql.match(/\$\d+/g)!;
      assert.equal(placeholders.length, c.params.length);
      assert.equal(placeholders[placeholders.length - 1], `$${c.params.length}`);
      assert.equal(c.params[0], seen);
      seen += c.params.length / 3;
    }
    assert.equal(seen, 2600);
    const one = recorder();
    await bulkInsert(
      one,
      'mssql',
      'dbo',
      't',
      Array.from({ length: 1 }, () => 'a'),
      Array.from({ length: 1500 }, (_, i) => [i]),
    );
    assert.deepEqual(
      one.calls.map((c) => c.params.length),
      [1000, 500],
    );
  });

  it('ssd fake writes dates for SQL Server in the ISO form DATETIME reads the same under any DATEFORMAT', () => {
    const ctx = { seed: '1', asOfDay: dayOf('2026-08-10'), shares: defaultShares(0) };
    const pg = generateChunk(0, 50, ctx, false);
    const ms = generateChunk(0, 50, ctx, true);
    const cols = FAKE_COLUMNS.ssd_cin_episodes as readonly string[];
    const i = cols.indexOf('cine_referral_date');
    assert.ok(ms.rows.ssd_cin_episodes.length > 0);
    ms.rows.ssd_cin_episodes.forEach((row, r) => {
      assert.match(String(row[i]), /^\d{4}-\d{2}-\d{2}T00:00:00$/);
      assert.equal(String(row[i]).slice(0, 10), pg.rows.ssd_cin_episodes[r]![i]);
    });
    const p = (FAKE_COLUMNS.ssd_person as readonly string[]).indexOf('pers_person_id');
    assert.equal(ms.rows.ssd_person[0]![p], '10000000');
    assert.equal(ms.cohort.children, 50);
  });
});
