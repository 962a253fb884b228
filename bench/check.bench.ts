// `ssd check` speed: the whole check (schema + every data rule + cohort) over fake SSD children
// (src/fake, with the default 1% share of each deliberate problem so rules fire and examples are
// fetched), on PGlite and (with SSD_BENCH_PG) local PostgreSQL. Generating the data is not timed.
// Issue 17: at 100k children on local PostgreSQL the check takes at most 2× its floor.
//
// On PostgreSQL the fake data is made once per size in a child process (--setup) and kept in
// schema ssd_bench_check_<n>, so the scenario's peak RSS is the check's own (it used to include
// the generation's). Each size runs twice: with the default number of tables checked side by side
// (CheckOptions.parallelTables, `ssd check --parallel`) and one at a time (`--parallel 1`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARALLEL_TABLES, runChecks } from '../src/check/runChecks';
import { qualify, quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { BUILDER_TABLES } from '../src/model/ssdModel';
import { BENCH_PG, QUICK, benchMain, benchSizes, peakRssMb, streamFloor, timed, type Scenario } from './benchLib';

const AS_OF = '2026-08-10';

async function checkRun(db: Db, schema: string, children: number, totalRows: number, parallelTables: number): Promise<Awaited<ReturnType<Scenario>>> {
  const cpu0 = process.cpuUsage();
  const { value: r, seconds } = await timed(() => runChecks(db, { schema, asOf: AS_OF, parallelTables }));
  const cpu = process.cpuUsage(cpu0);
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
  const [load] = (await import('node:os')).loadavg();
  return {
    n: children,
    seconds,
    rate: children / seconds,
    unit: 'children/s',
    peakRssMb: jobRss,
    floorSeconds,
    floorNote: `floor: stream ${floorRows.toLocaleString('en-GB')} rows of the ${BUILDER_TABLES.length} builder tables ${floorSeconds.toFixed(2)} s`,
    note: `${totalRows} rows, ${r.summary.rulesRun} rules, ${r.summary.errors} errors / ${r.summary.warnings} warnings found, ${Math.min(parallelTables, db.parallelStatements ?? 1)} at a time, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, load ${load!.toFixed(1)}`,
  };
}

function pglite(children: number): Scenario {
  return async () => {
    const db = await openDb('pglite:memory');
    try {
      const fake = await generateFakeSsd(db, { schema: 'public', children, asOf: AS_OF, replace: true });
      return await checkRun(db, 'public', children, fake.totalRows, 1);
    } finally {
      await db.close();
    }
  };
}

const pgSchema = (n: number) => `ssd_bench_check_${n}`;

/** Make the fake SSD of this size (called through --setup in a child process). */
async function setup(n: number): Promise<void> {
  const db = await openDb(BENCH_PG!);
  try {
    const schema = pgSchema(n);
    await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`);
    await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
    await generateFakeSsd(db, { schema, children: n, asOf: AS_OF, seed: 'bench-check' });
    await db.execute('ANALYZE');
  } finally {
    await db.close();
  }
}

/** Rows in the 19 builder tables when the fake SSD of this size is there (ssd_person holds n people), else null. */
async function keptRows(db: Db, n: number): Promise<number | null> {
  try {
    const [p] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${qualify('postgres', pgSchema(n), 'ssd_person')}`);
    if (Number(p?.n) !== n) return null;
    let rows = 0;
    for (const t of BUILDER_TABLES) {
      const [r] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${qualify('postgres', pgSchema(n), t.name)}`);
      rows += Number(r?.n);
    }
    return rows;
  } catch {
    return null;
  }
}

function postgres(children: number, parallelTables: number): Scenario {
  return async () => {
    const db = await openDb(BENCH_PG!);
    try {
      let rows = await keptRows(db, children);
      if (rows === null) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--setup', String(children)], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error(`fake data setup failed for ${children} children`);
        rows = await keptRows(db, children);
        if (rows === null) throw new Error(`no fake data in ${pgSchema(children)} after the setup`);
      }
      return await checkRun(db, pgSchema(children), children, rows, parallelTables);
    } finally {
      await db.close();
    }
  };
}

if (process.argv[2] === '--setup') {
  await setup(Number(process.argv[3]));
} else {
  const pgliteSizes = benchSizes(QUICK ? [1_000] : [1_000, 10_000]);
  const pgSizes = benchSizes(QUICK ? [10_000] : [1_000, 10_000, 100_000]);
  const scenarios: Record<string, Scenario> = {};
  for (const n of pgliteSizes) scenarios[`check pglite ${n / 1000}k`] = pglite(n);
  if (BENCH_PG) {
    for (const n of pgSizes) {
      scenarios[`check postgres ${n / 1000}k`] = postgres(n, DEFAULT_PARALLEL_TABLES);
      scenarios[`check postgres ${n / 1000}k one at a time`] = postgres(n, 1);
    }
  }
  await benchMain(scenarios);
}
