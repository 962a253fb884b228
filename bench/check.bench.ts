// `ssd check` speed: the whole check (schema + every data rule + cohort) over fake SSD children
// (src/fake, with the default 1% share of each deliberate problem so rules fire and examples are
// fetched), on PGlite and (with SSD_BENCH_PG) local PostgreSQL. Generating the data is not timed.
// Target: 100k children on local PostgreSQL in under 15 s.
import { randomBytes } from 'node:crypto';
import { runChecks } from '../src/check/runChecks';
import { quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { BENCH_PG, QUICK, benchMain, benchSizes, peakRssMb, streamFloor, timed, type Scenario } from './benchLib';
import { qualify } from '../src/db/dialect';
import { BUILDER_TABLES } from '../src/model/ssdModel';

const AS_OF = '2026-08-10';

async function checkRun(db: Db, schema: string, children: number): Promise<Awaited<ReturnType<Scenario>>> {
  const fake = await generateFakeSsd(db, { schema, children, asOf: AS_OF, replace: true });
  if (db.kind === 'postgres') await db.execute('ANALYZE');
  const { value: r, seconds } = await timed(() => runChecks(db, { schema, asOf: AS_OF }));
  const jobRss = peakRssMb();
  // Floor: stream every row and column of the 19 tables the builder reads, which the rules read
  // (each rule reads a few of these columns, so this floor is if anything generous to the check).
  let floorSeconds = 0;
  let floorRows = 0;
  for (const t of BUILDER_TABLES) {
    const f = await streamFloor(db, `SELECT * FROM ${qualify(db.dialect, schema, t.name)}`);
    floorSeconds += f.seconds;
    floorRows += f.rows;
  }
  return {
    n: children,
    seconds,
    rate: children / seconds,
    unit: 'children/s',
    peakRssMb: jobRss,
    floorSeconds,
    floorNote: `floor: stream ${floorRows.toLocaleString('en-GB')} rows of the ${BUILDER_TABLES.length} builder tables ${floorSeconds.toFixed(2)} s`,
    note: `${fake.totalRows} rows, ${r.summary.rulesRun} rules, ${r.summary.errors} errors / ${r.summary.warnings} warnings found`,
  };
}

function pglite(children: number): Scenario {
  return async () => {
    const db = await openDb('pglite:memory');
    try {
      return await checkRun(db, 'public', children);
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
      return await checkRun(db, schema, children);
    } finally {
      await db.execute(`DROP SCHEMA ${quoteIdent('postgres', schema)} CASCADE`).catch(() => undefined);
      await db.close();
    }
  };
}

const pgliteSizes = benchSizes(QUICK ? [1_000] : [1_000, 10_000]);
const pgSizes = benchSizes(QUICK ? [10_000] : [1_000, 10_000, 100_000]);
const scenarios: Record<string, Scenario> = {};
for (const n of pgliteSizes) scenarios[`check pglite ${n / 1000}k`] = pglite(n);
if (BENCH_PG) for (const n of pgSizes) scenarios[`check postgres ${n / 1000}k`] = postgres(n);

await benchMain(scenarios);
