#!/usr/bin/env node
// npm run bench: runs every bench/*.bench.ts scenario in its own process (so each one's peak RSS
// is its own) and prints a table. A bench file lists its scenarios with --list and runs one with
// --scenario NAME, printing one JSON line: {name, n, seconds, rate?, unit?, note?}.
// Options: --only <substring>   run matching scenarios only
//          --quick              smaller sizes (each bench file reads BENCH_QUICK=1)
//          --sizes 1000,10000   these numbers of children only (BENCH_SIZES)
// A scenario that measured its floor (floorSeconds) gets its ratio to the floor printed.
// Local PostgreSQL scenarios run when SSD_BENCH_PG (or SSD_TEST_PG) holds a URL.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const sizes = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : undefined;
if (sizes !== undefined && !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(sizes)) {
  console.error('--sizes takes numbers of children separated by commas, e.g. --sizes 1000,10000');
  process.exit(2);
}
const env = { ...process.env, ...(args.includes('--quick') ? { BENCH_QUICK: '1' } : {}), ...(sizes ? { BENCH_SIZES: sizes } : {}) };
if (!env.SSD_BENCH_PG && env.SSD_TEST_PG) env.SSD_BENCH_PG = env.SSD_TEST_PG;

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const node = (file, extra) => spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, file), ...extra], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
const rows = [];
console.log(
  `SSD Workbench benchmarks on ${process.platform} ${process.arch}, node ${process.version}${env.SSD_BENCH_PG ? ', with local PostgreSQL' : ', PGlite only (set SSD_BENCH_PG for PostgreSQL)'}`,
);
for (const file of files) {
  const list = node(file, ['--list']);
  if (list.status !== 0) {
    console.error(`${file}: --list failed\n${list.stderr}`);
    process.exitCode = 1;
    continue;
  }
  for (const name of list.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (only && !name.includes(only)) continue;
    const r = node(file, ['--scenario', name]);
    const line = r.stdout
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (r.status !== 0 || !line) {
      console.error(`${name}: failed\n${r.stderr.slice(-2000)}`);
      process.exitCode = 1;
      continue;
    }
    const res = JSON.parse(line);
    rows.push(res);
    const rate = res.rate !== undefined ? `${Math.round(res.rate).toLocaleString('en-GB')} ${res.unit ?? 'children/s'}` : '';
    const floor = res.floorSeconds ? `  floor ${res.floorSeconds.toFixed(2)} s, ratio ${(res.seconds / res.floorSeconds).toFixed(2)}×` : '';
    console.log(
      `${name.padEnd(48)} ${String(res.n ?? '').padStart(8)} ${res.seconds.toFixed(2).padStart(8)} s ${rate.padStart(20)}  peak RSS ${(res.peakRssMb ?? 0).toFixed(0).padStart(5)} MB${floor}${res.note ? '  ' + res.note : ''}${res.floorNote ? '  (' + res.floorNote + ')' : ''}`,
    );
  }
}
