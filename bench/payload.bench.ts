// Payload builder stream rate: fake SSD children (src/fake) built, validated and discarded by
// streamChildPayloads, on PGlite and (with SSD_BENCH_PG) local PostgreSQL. Generating the data is
// not timed. Memory: peak RSS of the scenario's own process (printed by benchMain).
import { randomBytes } from 'node:crypto';
import { quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { emptyStats, streamChildPayloads } from '../src/payload/buildPayloads';
import { BENCH_PG, QUICK, benchMain, benchSizes, timed, type BenchResult, type Scenario } from './benchLib';

const AS_OF = '2026-08-10';

async function streamRate(db: Db, schema: string, children: number): Promise<Omit<BenchResult, 'name'>> {
  await generateFakeSsd(db, { schema, children, asOf: AS_OF, replace: true });
  const stats = emptyStats();
  let invalid = 0;
  const { seconds } = await timed(async () => {
    for await (const c of streamChildPayloads(db, { schema, asOf: AS_OF, stats })) {
      if (c.problems.some((p) => p.severity === 'error')) invalid++;
    }
  });
  return {
    n: children,
    seconds,
    rate: stats.persons / seconds,
    unit: 'persons/s',
    note: `cohort ${stats.cohort} (${Math.round(stats.cohort / seconds)} children/s), invalid ${invalid}, rows ${stats.rows}`,
  };
}

function pglite(children: number): Scenario {
  return async () => {
    const db = await openDb('pglite:memory');
    try {
      return await streamRate(db, 'public', children);
    } finally {
      await db.close();
    }
  };
}

function postgres(children: number): Scenario {
  return async () => {
    const db = await openDb(BENCH_PG!);
    const schema = `ssd_bench_${randomBytes(4).toString('hex')}`;
    await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
    try {
      return await streamRate(db, schema, children);
    } finally {
      await db.execute(`DROP SCHEMA ${quoteIdent('postgres', schema)} CASCADE`).catch(() => undefined);
      await db.close();
    }
  };
}

const sizes = benchSizes(QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000]);
const scenarios: Record<string, Scenario> = {};
for (const n of sizes) scenarios[`payload stream pglite ${n / 1000}k`] = pglite(n);
if (BENCH_PG) for (const n of sizes) scenarios[`payload stream postgres ${n / 1000}k`] = postgres(n);

await benchMain(scenarios);
