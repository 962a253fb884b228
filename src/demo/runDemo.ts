// `ssd demo` / `npm run demo`: an embedded database (PGlite) with the SSD tables and fake
// children, and a readable summary. Works offline on a fresh machine.
//
// The demo is a list of steps run in order against one DemoContext: the SSD tables, the fake
// children, the summary, then staging (src/staging/demoStep.ts: counts and one example payload).
// To extend it, add a step to DEMO_STEPS (or pass your own list to runDemo); a step reads what
// earlier steps left in the context (ctx.fake is the fake-data summary) and prints with ctx.print.
// Progress (each step's start, the fake children written) and cancellation (checked before each
// step and inside the long ones) are options; `ssd demo` and the editor's demo both run it through
// the demo job (job.ts).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { qualify, tablesSql } from '../db/dialect';
import { DirLockedError, lockPathFor, otherHolder } from '../db/dirLock';
import { openDb } from '../db/openDb';
import { CancelledError, type Db } from '../db/types';
import { initTables, type InitResult } from '../ddl/initTables';
import { todayAsOf } from '../model/asOf';
import { SSD_TABLES } from '../model/ssdModel';
import { generateFakeSsd, DEFAULT_SEED, type FakeProgress, type FakeSummary } from '../fake/generateFakeSsd';
import { PROBLEM_INFO, PROBLEM_KINDS } from '../fake/cohort';
import { stagingDemoStep } from '../staging/demoStep';

export const DEFAULT_DEMO_DIR = '.ssd-demo';
export const DEFAULT_DEMO_CHILDREN = 1000;
/** File written into a demo directory; only directories holding it (or empty ones) are ever deleted. */
export const DEMO_MARK_FILE = 'SSD-WORKBENCH-DEMO';

export interface DemoOptions {
  /** Directory of the embedded database, recreated fresh each run; 'memory' for in-memory (default .ssd-demo). */
  dir?: string;
  children?: number;
  seed?: string;
  /** As-of date (default: today, the local date: todayAsOf of src/model/asOf.ts). */
  asOf?: string;
  /** Base for a relative dir (default: the current directory). */
  cwd?: string;
  /** Stops the demo before the next step, and inside the fake data and staging (CancelledError). */
  signal?: AbortSignal;
  /** Each step's start (starting: true), then the fake children written. */
  onProgress?: (p: DemoProgress) => void;
  /** Children per fake-data chunk (more chunks: more progress steps and chances to stop; the rows do not depend on it). */
  fakeChunkSize?: number;
}

/** Progress of the demo: a step starts (done 0 of the children), or fake children were written. */
export interface DemoProgress extends FakeProgress {
  step: string;
  starting?: boolean;
}

export type Print = (line?: string) => void;

export interface DemoContext {
  readonly db: Db;
  readonly schema: string;
  /** pglite:memory or pglite:<absolute dir> */
  readonly url: string;
  readonly dir: string | null;
  readonly children: number;
  readonly seed: string;
  readonly asOf: string;
  readonly print: Print;
  /** Set by the 'tables' step. */
  init?: InitResult;
  /** Set by the 'fake data' step. */
  fake?: FakeSummary;
  /** Row count of every table in the schema, set by the 'summary' step. */
  tableRows?: Record<string, number>;
  /** Anything later steps want to hand on. */
  readonly extra: Record<string, unknown>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DemoProgress) => void;
  readonly fakeChunkSize?: number;
}

export interface DemoStep {
  name: string;
  run(ctx: DemoContext): Promise<void>;
}

export interface DemoResult {
  url: string;
  dir: string | null;
  schema: string;
  asOf: string;
  fake: FakeSummary | undefined;
  tableRows: Record<string, number>;
  steps: string[];
  seconds: number;
}

const fmt = (n: number) => n.toLocaleString('en-GB');

/** Row counts of the SSD tables (staging included) present in the schema, in model order. */
export async function countSsdTables(db: Db, schema: string): Promise<Record<string, number>> {
  const present = new Set((await db.query<{ table_name: string }>(tablesSql(db.dialect), [schema])).map((r) => r.table_name.toLowerCase()));
  const out: Record<string, number> = {};
  for (const t of SSD_TABLES) {
    if (!present.has(t.name)) continue;
    const [row] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qualify(db.dialect, schema, t.name)}`);
    out[t.name] = Number(row?.n ?? 0);
  }
  return out;
}

export const DEMO_STEPS: DemoStep[] = [
  {
    name: 'tables',
    async run(ctx) {
      ctx.init = await initTables(ctx.db, { schema: ctx.schema, tables: 'all' });
      ctx.print(`Created ${ctx.init.created.length} SSD tables in schema ${ctx.schema}.`);
    },
  },
  {
    name: 'fake data',
    async run(ctx) {
      ctx.fake = await generateFakeSsd(ctx.db, {
        schema: ctx.schema,
        children: ctx.children,
        seed: ctx.seed,
        asOf: ctx.asOf,
        ...(ctx.fakeChunkSize ? { chunkSize: ctx.fakeChunkSize } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (p) => ctx.onProgress?.({ step: 'fake data', ...p }),
      });
      ctx.print(`Filled the 19 tables the payload builder reads with ${fmt(ctx.children)} fake children (seed ${ctx.seed}, as-of ${ctx.asOf}) in ${ctx.fake.seconds.toFixed(1)} s.`);
    },
  },
  {
    name: 'summary',
    async run(ctx) {
      const rows = (ctx.tableRows = await countSsdTables(ctx.db, ctx.schema));
      const names = Object.keys(rows);
      const w = Math.max(...names.map((n) => n.length));
      const used = new Set(SSD_TABLES.filter((t) => t.apiUsage === 'READ').map((t) => t.name));
      ctx.print('');
      ctx.print('SSD tables (* = read by the payload builder):');
      for (const n of names) ctx.print(`  ${used.has(n) ? '*' : ' '} ${n.padEnd(w)} ${fmt(rows[n]!).padStart(9)}`);
      ctx.print(`    ${'total rows'.padEnd(w)} ${fmt(Object.values(rows).reduce((a, b) => a + b, 0)).padStart(9)}`);
      const f = ctx.fake;
      if (f) {
        const c = f.cohort;
        ctx.print('');
        ctx.print(`Cohort hints (reporting window ${f.window.start} to ${f.window.end}):`);
        ctx.print(`  ${fmt(c.children)} children, ${fmt(c.openReferral)} with an open referral, ${fmt(c.cpPlan)} with a child protection plan`);
        ctx.print(`  ${fmt(c.lookedAfter)} looked after, ${fmt(c.careLeavers)} care leavers, ${fmt(c.uasc)} UASC, ${fmt(c.adopted)} adopted, ${fmt(c.unborn)} unborn`);
        const injected = PROBLEM_KINDS.filter((k) => f.problems[k] > 0).map((k) => `${PROBLEM_INFO[k].flag} ${f.problems[k]}`);
        ctx.print(`  deliberate data problems: ${injected.length ? injected.join(', ') : 'none'}`);
      }
    },
  },
  stagingDemoStep,
];

/** The demo's directory, absolute (null: in memory). */
export function demoDirOf(options: Pick<DemoOptions, 'dir' | 'cwd'>): string | null {
  const dirOpt = options.dir ?? DEFAULT_DEMO_DIR;
  return dirOpt.toLowerCase() === 'memory' ? null : resolve(options.cwd ?? process.cwd(), dirOpt);
}

/** True when the directory holds an earlier demo that a run would delete and make again. */
export function holdsEarlierDemo(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).includes(DEMO_MARK_FILE);
}

function prepareDir(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes(DEMO_MARK_FILE)) {
      throw new Error(`${dir} exists and is not an ssd demo directory (no ${DEMO_MARK_FILE} file); choose another --dir`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DEMO_MARK_FILE), 'Embedded database made by `ssd demo`. It is deleted and recreated by each demo run.\n');
}

/** Run the demo steps and return what they found. `print` receives the readable summary. */
export async function runDemo(options: DemoOptions, print: Print, steps: readonly DemoStep[] = DEMO_STEPS): Promise<DemoResult> {
  const t0 = performance.now();
  const children = options.children ?? DEFAULT_DEMO_CHILDREN;
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? todayAsOf();
  const dir = demoDirOf(options);
  // The database lives in a subfolder, so the mark file sits beside it, not inside PGlite's data.
  // Never delete a demo another process has open (its lock names it).
  const holder = dir ? otherHolder(lockPathFor(join(dir, 'db'))) : undefined;
  if (dir && holder) throw new DirLockedError(`the demo database in ${dir}`, holder);
  if (dir) prepareDir(dir);
  const url = dir ? `pglite:${join(dir, 'db')}` : 'pglite:memory';
  print(`SSD Workbench demo: embedded PostgreSQL (PGlite) ${dir ? `in ${dir}` : 'in memory'}.`);
  const db = await openDb(url);
  const ctx: DemoContext = {
    db,
    schema: db.defaultSchema,
    url,
    dir,
    children,
    seed,
    asOf,
    print,
    extra: {},
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fakeChunkSize ? { fakeChunkSize: options.fakeChunkSize } : {}),
  };
  const done: string[] = [];
  try {
    for (const step of steps) {
      if (options.signal?.aborted) throw new CancelledError();
      options.onProgress?.({ step: step.name, starting: true, done: 0, total: children });
      await step.run(ctx);
      done.push(step.name);
    }
  } finally {
    await db.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  print('');
  print(`Done in ${seconds.toFixed(1)} s.${dir ? ` Open it again with --db pglite:${join(dir, 'db')}` : ''}`);
  return { url, dir, schema: ctx.schema, asOf, fake: ctx.fake, tableRows: ctx.tableRows ?? {}, steps: done, seconds };
}
