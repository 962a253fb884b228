// The SQL runChecks sends, for each dialect, through a recording stand-in for the database (SQL
// Server cannot run here): every rule fires so every query shape is produced, and each statement
// must use only its dialect's syntax, bind every value as $n, and balance its parentheses.
import assert from 'node:assert/strict';
import { runChecks } from '../../../src/check/runChecks';
import type { Db, Dialect, Row } from '../../../src/db/types';
import { SSD_TABLES } from '../../../src/model/ssdModel';

interface Sent {
  sql: string;
  params: readonly unknown[];
}

function recordingDb(dialect: Dialect): { db: Db; sent: Sent[] } {
  const sent: Sent[] = [];
  const schema = dialect === 'mssql' ? 'dbo' : 'public';
  const catalogue: Row[] = SSD_TABLES.flatMap((t) =>
    t.columns.map((c) => ({
      table_schema: schema,
      table_name: t.name,
      column_name: c.name,
      data_type: (dialect === 'mssql' ? c.sqlServerType : c.postgresType).toLowerCase().replace(/\(.*$/, ''),
      character_maximum_length: null,
    })),
  );
  const answer = (sql: string): Row[] => {
    if (/information_schema\.columns/i.test(sql)) return catalogue;
    if (sql.includes('SUM(CASE WHEN')) return [Object.fromEntries([['n_rows', 10], ...Array.from({ length: 40 }, (_, i) => [`r${i}`, 1])])];
    if (sql.includes('UNION ALL')) return [{ r: 0, id: 'X1' }];
    if (sql.includes('COUNT(*) OVER ()')) return [{ id: 'X1', n: 1 }];
    return [{ n: 10 }];
  };
  const db: Db = {
    dialect,
    kind: dialect === 'mssql' ? 'mssql' : 'postgres',
    description: 'recording',
    defaultSchema: schema,
    async query<R = Row>(sql: string, params: readonly unknown[] = []) {
      sent.push({ sql, params });
      return answer(sql) as R[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      sent.push({ sql, params });
      return 0;
    },
    // eslint-disable-next-line require-yield
    async *stream<R = Row>(sql: string, params: readonly unknown[] = []): AsyncIterable<R> {
      sent.push({ sql, params });
    },
    async runBatch() {
      throw new Error('not used');
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      return fn(db);
    },
    async cancel() {},
    async close() {},
  } as unknown as Db;
  return { db, sent };
}

function balanced(sql: string): boolean {
  let depth = 0,
    inStr = false;
  for (const ch of sql) {
    if (ch === "'") inStr = !inStr;
    else if (!inStr && ch === '(') depth++;
    else if (!inStr && ch === ')') {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0 && !inStr;
}

function placeholdersMatch(s: Sent): boolean {
  const used = new Set([...s.sql.replace(/'[^']*'/g, '').matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return used.size === s.params.length && [...used].every((n) => n >= 1 && n <= s.params.length);
}

for (const dialect of ['mssql', 'postgres'] as const) {
  describe(`check SQL for ${dialect}`, () => {
    let sent: Sent[];
    before(async () => {
      const r = recordingDb(dialect);
      const report = await runChecks(r.db, { asOf: '2026-11-25' });
      sent = r.sent;
      assert.equal(report.summary.rulesSkipped, 0);
    });

    it('produces every kind of statement', () => {
      assert.ok(sent.some((s) => s.sql.includes('SUM(CASE WHEN')));
      assert.ok(sent.some((s) => s.sql.includes('UNION ALL')));
      assert.ok(sent.some((s) => s.sql.includes('LEFT JOIN (SELECT DISTINCT')));
      assert.ok(sent.some((s) => s.sql.includes('HAVING MAX(CASE')));
      assert.ok(sent.some((s) => s.sql.includes('gate_a')));
      assert.ok(sent.length > 60);
    });

    it('binds every value and balances parentheses', () => {
      for (const s of sent) {
        assert.ok(balanced(s.sql), `unbalanced: ${s.sql.slice(0, 120)}`);
        assert.ok(placeholdersMatch(s), `placeholders vs ${s.params.length} params: ${s.sql.slice(0, 120)}`);
      }
    });

    it("uses only its dialect's syntax", () => {
      for (const { sql } of sent) {
        const code = sql.replace(/'[^']*'/g, "''").replace(/--[^\n]*/g, '');
        if (dialect === 'mssql') {
          assert.doesNotMatch(code, /\bLIMIT\b|\bCHAR_LENGTH\b|\bINTERVAL\b| ~ |"|\bCHR\(|\bTRIM\(/, sql.slice(0, 160));
          if (/ORDER BY/.test(code) && !/information_schema/i.test(code)) assert.match(code, /TOP \(5\)/);
        } else {
          assert.doesNotMatch(code, /\bTOP\b|\[|\bLEN\(|\bTRY_CONVERT\b|\bDATEADD\b|\bCOLLATE\b/, sql.slice(0, 160));
        }
      }
    });
  });
}
