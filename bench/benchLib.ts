// Helpers for bench files: declare scenarios, run the one asked for, print its JSON result line.
import { createHash } from 'node:crypto';
import type { Db } from '../src/db/types';

export interface BenchResult {
  name: string;
  /** size: children, statements, bytes… */
  n?: number;
  seconds: number;
  rate?: number;
  unit?: string;
  note?: string;
  /** The job's floor measured in the same process on the same database (seconds); run.mjs prints the ratio. */
  floorSeconds?: number;
  /** What the floor is made of, in one line. */
  floorNote?: string;
  /** Peak RSS of the job itself (MB), taken before its floor ran; default: the process's peak. */
  peakRssMb?: number;
}

export type Scenario = () => Promise<Omit<BenchResult, 'name'>>;

export const QUICK = process.env.BENCH_QUICK === '1';
export const BENCH_PG = process.env.SSD_BENCH_PG;

/** Sizes to run: those of BENCH_SIZES (run.mjs --sizes 1000,10000) when given, else `defaults`. */
export function benchSizes(defaults: readonly number[]): number[] {
  const asked = (process.env.BENCH_SIZES ?? '')
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((x) => Number.isInteger(x) && x > 0);
  return asked.length ? asked : [...defaults];
}

/** The process's peak RSS so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Read floor: stream every row of `sql` with no processing (rows counted only). */
export async function streamFloor(db: Db, sql: string, params: readonly unknown[] = [], batchSize?: number): Promise<{ rows: number; seconds: number }> {
  const t = performance.now();
  let rows = 0;
  for await (const _ of db.stream(sql, params, { batchSize })) rows++;
  return { rows, seconds: (performance.now() - t) / 1000 };
}

/**
 * Compute floor: JSON text plus SHA-256 of `n` payloads of the sizes given (the samples are
 * cycled, so the floor builds as many payloads of the same size distribution as the job did).
 */
export function jsonHashFloor(samples: readonly unknown[], n: number): { seconds: number; bytes: number } {
  if (!samples.length || n <= 0) return { seconds: 0, bytes: 0 };
  const t = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify(samples[i % samples.length]);
    bytes += text.length;
    createHash('sha256').update(text).digest();
  }
  return { seconds: (performance.now() - t) / 1000, bytes };
}

/** Call at the end of a bench file with its scenarios by name. */
export async function benchMain(scenarios: Record<string, Scenario>): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--list') {
    process.stdout.write(Object.keys(scenarios).join('\n') + '\n');
    return;
  }
  const name = args[0] === '--scenario' ? args[1] : undefined;
  const fn = name ? scenarios[name] : undefined;
  if (!name || !fn) throw new Error(`usage: --list | --scenario <${Object.keys(scenarios).join('|')}>`);
  const r = await fn();
  process.stdout.write(JSON.stringify({ name, ...r, peakRssMb: r.peakRssMb ?? peakRssMb() }) + '\n');
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}
