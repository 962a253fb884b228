// Helpers for bench files: declare scenarios, run the one asked for, print its JSON result line.
export interface BenchResult {
  name: string;
  /** size: children, statements, bytes… */
  n?: number;
  seconds: number;
  rate?: number;
  unit?: string;
  note?: string;
}

export type Scenario = () => Promise<Omit<BenchResult, 'name'>>;

export const QUICK = process.env.BENCH_QUICK === '1';
export const BENCH_PG = process.env.SSD_BENCH_PG;

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
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ name, ...r, peakRssMb }) + '\n');
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}
