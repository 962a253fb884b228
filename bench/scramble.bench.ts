// ssd scramble throughput: children per second copied, scrambled and verified (the side-by-side
// ssd check is not timed). The fake source is written first (not timed). PGlite in memory (two
// schemas of one database) and, when SSD_BENCH_PG is set, local PostgreSQL: into a second database
// when SSD_BENCH_PG_TARGET holds its URL, else into a second scratch schema of the same one.
import { randomBytes } from 'node:crypto';
import { quoteIdent } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import type { Db } from '../src/db/types';
import { generateFakeSsd } from '../src/fake/generateFakeSsd';
import { runScramble } from '../src/scramble/runScramble';
import { BENCH_PG, QUICK, benchMain, benchSizes, timed, type Scenario } from './benchLib';

const AS_OF = '2026-08-10';

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
      await source.execute(`CREATE SCHEMA ${quoteIdent('postgres', from)}`);
      const fake = await generateFakeSsd(source, { children: size, schema: from, seed: 'bench', asOf: AS_OF });
      // A settled source, as an LA's SSD is: freshly written rows would have their visibility
      // hints written and be vacuumed during the first read (not timed).
      if (source.kind === 'postgres') await source.execute('VACUUM ANALYZE');
      // Peak RSS of the scramble itself: sampled while it runs (the process's own peak includes
      // generating the fake source, which is not part of the job).
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
        note: `${fake.totalRows.toLocaleString('en-GB')} rows, ${value.scan.cellsScanned.toLocaleString('en-GB')} cells scanned, node CPU ${cpuSeconds.toFixed(1)} s, RSS ${rssBefore.toFixed(0)} MB before, heap peak ${heap.toFixed(0)} MB (peak RSS sampled during the scramble)${tu ? ', two databases' : ', two schemas'}`,
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

await benchMain(scenarios);
