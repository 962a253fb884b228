// Staging benchmark: build + validate + hash + stage every child of a fake SSD cohort, for 1k, 10k
// and 100k children, on PGlite (a directory) and on the local PostgreSQL (SSD_BENCH_PG):
//   first      the first build into an empty staging table (every child New)
//   unchanged  a rebuild with no data change (every row untouched)
//   changed5   a rebuild after 5% of the children changed (surname), the rest unchanged
// The fake data (src/fake) is generated once per target and size in a separate process and kept
// (PGlite: $TMPDIR/ssd-bench-staging/pglite-<n>; PostgreSQL: schema ssd_bench_staging_<n>; made again
// when ssd_person does not hold n people), and the first build a rebuild starts from runs in a
// child process too (--prepare), so each scenario's peak RSS is the staging run's own. Only the
// measured run is timed.
// The measured process sets V8's heap growing factor as `ssd stage` does (limitHeapGrowth).
// Each scenario then measures its floor on the same database, in the same process (after the
// job's peak RSS is taken): streaming every row the builder reads (payload_child_rows.sql, 5,000
// rows a round trip, rows only counted) plus JSON text and SHA-256 of as many payloads as the
// cohort, cycling through up to 1,000 of the payloads just staged (same sizes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_PG, QUICK, benchMain, benchSizes, jsonHashFloor, peakRssMb, streamFloor, timed, type Scenario } from './benchLib';
import { assertBuilderTables, childRowsSql, orphanBranchesPresent } from '../src/payload/buildPayloads';
import { openDb } from '../src/db/openDb';
import { qualify, quoteIdent } from '../src/db/dialect';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { stageFromSsd } from '../src/staging/runStage';
import { limitHeapGrowth } from '../src/cliSupport/heapGrowth';

const AS_OF = '2026-08-10';
const SIZES = benchSizes(QUICK ? [1_000, 5_000] : [1_000, 10_000, 100_000]);
const TABLE = 'ssd_api_data_staging';
/** BENCH_HEAP=1: sample the retained JS heap with forced GCs (changes the run's time and RSS). */
const HEAP = process.env.BENCH_HEAP === '1';
/**
 * Rows per round trip of the floor's read: 5,000, the builder's batch size when the floor was
 * defined (issue 17). The builder now reads 1,000 at a time to keep its memory down; the floor
 * keeps the larger batch, so it is not made slower (looser) by that change.
 */
const FLOOR_READ_BATCH = 5000;

interface Target {
  name: 'pglite' | 'postgres';
  url(n: number): string;
  schema(n: number): string;
}

const targets: Target[] = [
  {
    name: 'pglite',
    url: (n) => `pglite:${join(tmpdir(), 'ssd-bench-staging', `pglite-${n}`)}`,
    schema: () => 'public',
  },
];
if (BENCH_PG) targets.push({ name: 'postgres', url: () => BENCH_PG!, schema: (n) => `ssd_bench_staging_${n}` });

/** Generate the fake cohort (in this process: called through --setup in a child process). */
async function setup(t: Target, n: number): Promise<void> {
  if (t.name === 'pglite') rmSync(t.url(n).slice('pglite:'.length), { recursive: true, force: true });
  const db = await openDb(t.url(n));
  try {
    const schema = t.schema(n);
    if (t.name === 'postgres') {
      await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', schema)} CASCADE`);
      await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
    }
    await generateFakeSsd(db, { schema, children: n, seed: 'bench', asOf: AS_OF });
  } finally {
    await db.close();
  }
}

/** Is the fake cohort of this size there (ssd_person holds n people)? */
async function haveData(t: Target, n: number): Promise<boolean> {
  if (t.name === 'pglite' && !existsSync(t.url(n).slice('pglite:'.length))) return false;
  const db = await openDb(t.url(n));
  try {
    const [r] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify('postgres', t.schema(n), 'ssd_person')}`);
    return Number(r?.n) === n;
  } catch {
    return false;
  } finally {
    await db.close();
  }
}

async function ensureData(t: Target, n: number): Promise<void> {
  if (await haveData(t, n)) return;
  mkdirSync(join(tmpdir(), 'ssd-bench-staging'), { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--setup', t.name, String(n)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`fake data setup failed for ${t.name} ${n}`);
}

/** Drop the staging table and make it again with a first build, in a child process (--prepare). */
function prepare(t: Target, n: number): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--prepare', t.name, String(n)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the first build before the measured run failed for ${t.name} ${n}`);
}

async function dropStaging(db: Db, schema: string): Promise<void> {
  for (const name of [TABLE, `${TABLE}_run_marks`]) await db.execute(`DROP TABLE IF EXISTS ${qualify('postgres', schema, name)}`);
}

/** Change the surname of about 5% of the people (every child whose id hashes to 0 mod 20); returns the count. */
async function change5(db: Db, schema: string, undo: boolean): Promise<number> {
  const p = qualify('postgres', schema, 'ssd_person');
  const set = undo ? 'LEFT(pers_surname, CHAR_LENGTH(pers_surname) - 1)' : "pers_surname || 'x'";
  return db.execute(`UPDATE ${p} SET pers_surname = ${set} WHERE MOD(ABS(hashtext(pers_person_id)), 20) = 0 AND pers_surname IS NOT NULL`);
}

/** The staging floor: stream the builder's rows with no processing + JSON and SHA-256 of `cohort` payloads of the staged sizes. */
async function stagingFloor(db: Db, schema: string, cohort: number): Promise<{ seconds: number; note: string }> {
  const sql = childRowsSql(db, schema, await orphanBranchesPresent(db, schema), await assertBuilderTables(db, schema));
  const read = await streamFloor(db, sql, [null], FLOOR_READ_BATCH);
  const samples = (await db.query<{ j: string }>(`SELECT CAST(json_payload AS TEXT) AS j FROM ${qualify('postgres', schema, TABLE)} ORDER BY id LIMIT 1000`)).map((x) => JSON.parse(x.j) as unknown);
  const compute = jsonHashFloor(samples, cohort);
  return {
    seconds: read.seconds + compute.seconds,
    note: `floor: stream ${read.rows.toLocaleString('en-GB')} rows ${read.seconds.toFixed(2)} s + JSON/SHA-256 of ${cohort.toLocaleString('en-GB')} payloads ${compute.seconds.toFixed(2)} s`,
  };
}

function scenario(t: Target, n: number, kind: 'first' | 'unchanged' | 'changed5'): Scenario {
  return async () => {
    // The heap setting `ssd stage` runs with (src/cliSupport/heapGrowth.ts), so the peak RSS is the CLI's.
    limitHeapGrowth();
    await ensureData(t, n);
    let db = await openDb(t.url(n));
    const schema = t.schema(n);
    try {
      let changed = 0;
      // The first build an unchanged or changed rebuild starts from runs in a process of its own
      // (PGlite: after this one closes its database), so the peak RSS is the measured run's alone.
      if (kind === 'first') await dropStaging(db, schema);
      else {
        if (t.name === 'pglite') await db.close();
        prepare(t, n);
        if (t.name === 'pglite') db = await openDb(t.url(n));
        if (kind === 'changed5') changed = await change5(db, schema, false);
      }
      (globalThis as { gc?: () => void }).gc?.();
      // With BENCH_HEAP=1: the peak retained JS heap during the measured run (after a forced GC,
      // sampled every 0.5 s), what the build and staging code actually hold. The forced GCs cost
      // CPU and keep the heap small, so the run's time, CPU and RSS are then not its own: off by
      // default. PGlite's embedded server lives outside the JS heap and counts only in RSS.
      const gc = HEAP ? (globalThis as { gc?: () => void }).gc : undefined;
      let peakHeap = process.memoryUsage().heapUsed;
      const sampler = gc
        ? setInterval(() => {
            gc();
            peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
          }, 500)
        : undefined;
      try {
        const cpu0 = process.cpuUsage();
        const { value: r, seconds } = await timed(() => stageFromSsd(db, { schema, asOf: AS_OF, table: TABLE }).finally(() => clearInterval(sampler)));
        const load = loadavg()[0]!;
        const cpu = process.cpuUsage(cpu0);
        const jobRss = peakRssMb();
        const floor = await stagingFloor(db, schema, r.cohort);
        const expect = kind === 'first' ? r.new === r.cohort : kind === 'unchanged' ? r.unchanged === r.cohort : r.updated > 0 && r.updated <= changed;
        if (!expect) throw new Error(`unexpected counts for ${kind}: ${JSON.stringify({ cohort: r.cohort, new: r.new, updated: r.updated, unchanged: r.unchanged })}`);
        return {
          n: r.cohort,
          seconds,
          rate: r.cohort / seconds,
          unit: 'children/s',
          peakRssMb: jobRss,
          floorSeconds: floor.seconds,
          floorNote: floor.note,
          note: `CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; load average ${load.toFixed(1)}${gc ? `; retained JS heap ${(peakHeap / 1048576).toFixed(0)} MB` : ''}; ${r.persons} people; new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}, invalid ${r.invalid}`,
        };
      } finally {
        if (kind === 'changed5') await change5(db, schema, true);
      }
    } finally {
      await db.close();
    }
  };
}

const args = process.argv.slice(2);
if (args[0] === '--setup' || args[0] === '--prepare') {
  const t = targets.find((x) => x.name === args[1]);
  if (!t) throw new Error(`unknown target ${args[1]}`);
  const n = Number(args[2]);
  if (args[0] === '--setup') await setup(t, n);
  else {
    const db = await openDb(t.url(n));
    try {
      await dropStaging(db, t.schema(n));
      await stageFromSsd(db, { schema: t.schema(n), asOf: AS_OF, table: TABLE });
    } finally {
      await db.close();
    }
  }
} else {
  const scenarios: Record<string, Scenario> = {};
  // What an embedded database costs on its own (open the 100k directory, one query): the floor
  // under the PGlite scenarios' peak RSS.
  scenarios['staging pglite baseline (open only)'] = async () => {
    const t = targets[0]!;
    const n = SIZES[SIZES.length - 1]!;
    await ensureData(t, n);
    const db = await openDb(t.url(n));
    try {
      const { seconds } = await timed(() => db.query('SELECT COUNT(*) AS n FROM ssd_person'));
      return { seconds, note: 'PGlite opened on the largest fake database, one COUNT(*)' };
    } finally {
      await db.close();
    }
  };
  for (const t of targets) {
    for (const n of SIZES) {
      for (const kind of ['first', 'unchanged', 'changed5'] as const) scenarios[`staging ${t.name} ${n / 1000}k ${kind}`] = scenario(t, n, kind);
    }
  }
  await benchMain(scenarios);
}
