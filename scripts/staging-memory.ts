// Where a staging run's memory goes (issue 17): one `stageFromSsd` run on a schema of the staging
// bench (ssd_bench_staging_<n>, made by `npm run bench`), with process.memoryUsage() and V8's heap
// spaces sampled every 50 ms; prints the peaks (MB), the run's time, CPU time and maximum RSS.
//   node --import tsx scripts/staging-memory.ts <db url> <n> first|unchanged [--heap-growing]
// `first` drops the staging table first; `--heap-growing` sets the heap growing factor `ssd stage`
// sets (src/cliSupport/heapGrowth.ts). Add node's --trace-gc-nvp to see every collection (promoted
// bytes per young collection, live heap after each full one). Only counts are printed.
import { getHeapSpaceStatistics } from 'node:v8';
import { qualify } from '../src/db/dialect';
import { openDb } from '../src/db/openDb';
import { stageFromSsd } from '../src/staging/runStage';
import { limitHeapGrowth } from '../src/cliSupport/heapGrowth';

const [url, size, kind] = process.argv.slice(2);
if (!url || !size || (kind !== 'first' && kind !== 'unchanged')) {
  console.error('usage: node --import tsx scripts/staging-memory.ts <db url> <n> first|unchanged [--heap-growing]');
  process.exit(2);
}
if (process.argv.includes('--heap-growing')) limitHeapGrowth();
const schema = `ssd_bench_staging_${Number(size)}`;
const db = await openDb(url);
try {
  if (kind === 'first') for (const t of ['ssd_api_data_staging', 'ssd_api_data_staging_run_marks']) await db.execute(`DROP TABLE IF EXISTS ${qualify(db.dialect, schema, t)}`);
  const peak: Record<string, number> = {};
  const sample = () => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
    const v: Record<string, number> = {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      youngGeneration: spaces.new_space ?? 0,
      oldGeneration: spaces.old_space ?? 0,
      code: spaces.code_space ?? 0,
      largeObjects: spaces.large_object_space ?? 0,
    };
    for (const [k, x] of Object.entries(v)) peak[k] = Math.max(peak[k] ?? 0, x);
  };
  const timer = setInterval(sample, 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await stageFromSsd(db, { schema, asOf: '2026-08-10', table: 'ssd_api_data_staging' }).finally(() => clearInterval(timer));
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      children: r.cohort,
      kind,
      seconds: +((performance.now() - t0) / 1000).toFixed(2),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      peakMb: Object.fromEntries(Object.entries(peak).map(([k, x]) => [k, +(x / 1048576).toFixed(1)])),
      new: r.new,
      unchanged: r.unchanged,
      warnings: r.warningChildren.length,
    }),
  );
} finally {
  await db.close();
}
