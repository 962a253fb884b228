// ssd scramble throughput: children per second copied, scrambled and verified (the side-by-side
// ssd check is not timed). The fake source is written first (not timed). PGlite in memory (two
// schemas of one database) and, when SSD_BENCH_PG is set, local PostgreSQL: into a second database
// when SSD_BENCH_PG_TARGET holds its URL, else into a second scratch schema of the same one.
// On PostgreSQL the fake source is written by a child process (--setup), so the scenario's peak
// RSS is the scramble's own, not the generator's leftovers; PGlite in memory has to generate in
// the scenario's own process (its figure includes the generator's).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { runScramble } from '../src/scramble/runScramble';
import { BENCH_PG, QUICK, benchMain, benchSizes, peakRssMb, timed, type Scenario } from './benchLib';

const AS_OF = '2026-08-10';

/** Write the fake source into `schema` (created here) and VACUUM ANALYZE it; returns the rows written. */
async function setup(db: Db, schema: string, size: number): Promise<number> {
  await db.execute(`CREATE SCHEMA ${quoteIdent('postgres', schema)}`);
  const fake = await generateFakeSsd(db, { children: size, schema, seed: 'bench', asOf: AS_OF });
  // A settled source, as an LA's SSD is: freshly written rows would have their visibility
  // hints written and be vacuumed during the first read (not timed).
  if (db.kind === 'postgres') await db.execute('VACUUM ANALYZE');
  return fake.totalRows;
}

/** setup() in a child process on SSD_BENCH_PG (the URL stays in the environment, not the command line). */
function setupInChild(schema: string, size: number): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--setup', schema, String(size)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const rows = Number(/rows (\d+)/.exec(r.stdout ?? '')?.[1]);
  if (r.status !== 0 || !Number.isInteger(rows)) throw new Error(`fake source setup failed (status ${r.status})`);
  return rows;
}

function scenario(url: () => string, targetUrl: () => string | undefined, n: number): Scenario {
  return async () => {
    const size = n;
    const source = await openDb(url());
    const tu = targetUrl();
    const target: Db = tu ? await openDb(tu) : source;
    const tag = randomBytes(4).toString('hex');
    const from = `ssd_bench_scr_src_${tag}`;
    const to = `ssd_bench_scr_dst_${tag}`;
    try {
      const totalRows = source.kind === 'postgres' ? setupInChild(from, size) : await setup(source, from, size);
      // Peak RSS of the scramble itself: sampled while it runs (on PGlite the process's own peak
      // includes generating the fake source, which is not part of the job).
      global.gc?.();
      const rssBefore = process.memoryUsage().rss / 2 ** 20;
      let jobRss = rssBefore;
      let heap = 0;
      const sample = () => {
        const m = process.memoryUsage();
        jobRss = Math.max(jobRss, m.rss / 2 ** 20);
        heap = Math.max(heap, m.heapUsed / 2 ** 20);
      };
      const sampler = setInterval(sample, 20);
      const cpu0 = process.cpuUsage();
      const { value, seconds } = await timed(() => runScramble(source, target, { fromSchema: from, toSchema: to, key: Buffer.alloc(32, 9), asOf: null })).finally(() => clearInterval(sampler));
      sample();
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (!value.ok) throw new Error(`scramble failed: ${value.failure}`);
      return {
        n: size,
        seconds,
        rate: size / seconds,
        unit: 'children/s',
        peakRssMb: jobRss,
        note: `${totalRows.toLocaleString('en-GB')} rows, ${value.scan.cellsScanned.toLocaleString('en-GB')} cells scanned, node CPU ${cpuSeconds.toFixed(1)} s, RSS ${rssBefore.toFixed(0)} MB before, heap peak ${heap.toFixed(0)} MB, process max RSS ${peakRssMb().toFixed(0)} MB (peak RSS sampled during the scramble)${tu ? ', two databases' : ', two schemas'}`,
      };
    } finally {
      for (const [db, s] of [
        [source, from],
        [target, to],
      ] as const)
        await db.execute(`DROP SCHEMA IF EXISTS ${quoteIdent('postgres', s)} CASCADE`).catch(() => undefined);
      if (target !== source) await target.close();
      await source.close();
    }
  };
}

const label = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
const pgliteSizes = benchSizes(QUICK ? [1_000] : [1_000, 10_000]);
const pgSizes = benchSizes(QUICK ? [10_000] : [1_000, 10_000, 100_000]);
const scenarios: Record<string, Scenario> = {};
for (const n of pgliteSizes)
  scenarios[`scramble-pglite-${label(n)}`] = scenario(
    () => 'pglite:memory',
    () => undefined,
    n,
  );
if (BENCH_PG) {
  for (const n of pgSizes)
    scenarios[`scramble-pg-${label(n)}`] = scenario(
      () => BENCH_PG!,
      () => process.env.SSD_BENCH_PG_TARGET,
      n,
    );
}

const args = process.argv.slice(2);
if (args[0] === '--setup') {
  const db = await openDb(BENCH_PG!);
  try {
    process.stdout.write(`rows ${await setup(db, args[1]!, Number(args[2]))}\n`);
  } finally {
    await db.close();
  }
} else await benchMain(scenarios);
