// `ssd demo`: embedded database, SSD tables, fake children, summary (see runDemo.ts).
import { Command, Option } from 'commander';
import { action, asOfOption, EXIT, jsonOption, out, parseIsoDate, printJson, todayIso, UsageError } from '../cliSupport/common';
import { parseChildren } from '../fake/cli';
import { DEFAULT_SEED } from '../fake/generateFakeSsd';
import { DEFAULT_DEMO_CHILDREN, DEFAULT_DEMO_DIR, DEMO_MARK_FILE, DEMO_STEPS, runDemo, type DemoStep } from './runDemo';
import { generateFakeSsd } from '../fake/generateFakeSsd';
import { terminalProgress, type TerminalProgress } from '../cliSupport/progress';

const STEP_TEXT: Record<string, string> = {
  tables: 'creating the SSD tables',
  'fake data': 'writing the fake children',
  summary: 'counting the rows',
  staging: 'validating and staging the children',
};

/** The demo's steps, each saying on the terminal what it is doing (the fake data with its count). */
export function demoStepsWithProgress(progress: TerminalProgress, steps: readonly DemoStep[] = DEMO_STEPS): DemoStep[] {
  return steps.map((step) => ({
    name: step.name,
    async run(ctx) {
      progress.update(STEP_TEXT[step.name] ?? step.name);
      if (step.name !== 'fake data') return step.run(ctx);
      // The same work as the 'fake data' step, with a count of the children written.
      const fmt = (v: number) => v.toLocaleString('en-GB');
      ctx.fake = await generateFakeSsd(ctx.db, {
        schema: ctx.schema, children: ctx.children, seed: ctx.seed, asOf: ctx.asOf,
        onProgress: (p) => progress.update(`writing the fake children: ${fmt(p.done)} of ${fmt(p.total)}`),
      });
      ctx.print(`Filled the 19 tables the payload builder reads with ${fmt(ctx.children)} fake children (seed ${ctx.seed}, as-of ${ctx.asOf}) in ${ctx.fake.seconds.toFixed(1)} s.`);
    },
  }));
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('try it without a database: create an embedded database, build the SSD tables, fill them with fake children and print a summary')
    .addOption(new Option('--dir <path>', `directory of the embedded database, recreated fresh each run ("memory" for in-memory)`).default(DEFAULT_DEMO_DIR))
    .addOption(new Option('--children <n>', 'how many fake children').default(String(DEFAULT_DEMO_CHILDREN)))
    .addOption(new Option('--seed <text>', 'seed of the fake data').default(DEFAULT_SEED))
    .addOption(asOfOption())
    .addOption(jsonOption())
    .addHelpText('after', `
Examples:
  ssd demo
  ssd demo --dir memory --children 5000 --seed 42

--dir is deleted and recreated on each run, so it must be empty, missing, or an earlier demo
directory (holding a ${DEMO_MARK_FILE} file). Needs no network. Exit codes: 0 done, 1 failed, 2 bad usage.`)
    .action(action(async (opts: { dir: string; children: string; seed: string; asOf?: string; json?: boolean }) => {
      const children = parseChildren(opts.children);
      const asOf = parseIsoDate(opts.asOf) ?? todayIso();
      if (!opts.dir) throw new UsageError('--dir must not be empty');
      if (!opts.seed || opts.seed.length > 100) throw new UsageError('--seed must be 1 to 100 characters');
      const lines: string[] = [];
      // A line on the terminal while it works (none with --json or when stderr is not a terminal).
      const progress = terminalProgress('ssd demo', { enabled: !opts.json, text: 'creating the embedded database' });
      const print = opts.json ? (line = '') => { lines.push(line); } : (line = '') => { progress.clear(); out(line); };
      let result;
      try {
        result = await runDemo({ dir: opts.dir, children, seed: opts.seed, asOf }, print, demoStepsWithProgress(progress));
      } catch (e) {
        if (e instanceof Error && /is not an ssd demo directory/.test(e.message)) throw new UsageError(e.message);
        throw e;
      } finally {
        progress.done();
      }
      if (opts.json) printJson(result);
      return EXIT.OK;
    }));
}
