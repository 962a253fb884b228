// ssd fake throughput: children per second into PGlite (in memory) and, when SSD_BENCH_PG is set,
// into local PostgreSQL (a scratch schema, dropped afterwards). Table creation is included.
import { randomBytes } from 'node:crypto';
import { quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { BENCH_PG, QUICK, benchMain, benchSizes, timed, type Scenario } from './benchLib';

const AS_OF = '2026-08-10';

function scenario(url: () => string, n: number, scratchSchema: boolean): Scenario {
  return async () => {
    const size = QUICK ? Math.min(n, 10_000) : n;
    const db = await openDb(url());
    const schema = scratchSchema ? `ssd_bench_fake_${randomBytes(4).toString('hex')}` : undefined;
    try {
      const { value, seconds } = await timed(() => generateFakeSsd(db, { children: size, schema, seed: 'bench', asOf: AS_OF }));
      return {
        n: size,
        seconds,
        rate: size / seconds,
        unit: 'children/s',
        note: `${value.totalRows.toLocaleString('en-GB')} rows, ${Math.round(value.totalRows / seconds).toLocaleString('en-GB')} rows/s`,
      };
    } finally {
      if (schema) await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`).catch(() => undefined);
      await db.close();
    }
  };
}

const scenarios: Record<string, Scenario> = {};
const sizes = benchSizes([1_000, 10_000, 100_000]).map((n) => [`${n / 1000}k`, n] as const);
for (const [label, n] of sizes) {
  scenarios[`fake-pglite-${label}`] = scenario(() => 'pglite:memory', n, false);
}
if (BENCH_PG) {
  for (const [label, n] of sizes) {
    scenarios[`fake-pg-${label}`] = scenario(() => BENCH_PG!, n, true);
  }
}

await benchMain(scenarios);
