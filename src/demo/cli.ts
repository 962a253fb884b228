// `ssd demo`: embedded database, SSD tables, fake children, summary (see runDemo.ts).
import { Command, Option } from 'commander';
import { action, asOfOption, EXIT, jsonOption, out, parseIsoDate, printJson, todayIso, UsageError } from '../cliSupport/common';
import { parseChildren } from '../fake/cli';
import { DEFAULT_SEED } from '../fake/generateFakeSsd';
import { DEFAULT_DEMO_CHILDREN, DEFAULT_DEMO_DIR, DEMO_MARK_FILE, type DemoProgress } from './runDemo';
import { runDemoJob } from './job';
import { terminalProgress } from '../cliSupport/progress';

const STEP_TEXT: Record<string, string> = {
  tables: 'creating the SSD tables',
  'fake data': 'writing the fake children',
  summary: 'counting the rows',
  staging: 'validating and staging the children',
};

const fmt = (v: number) => v.toLocaleString('en-GB');

/** The demo job's progress as the terminal line: what each step is doing, the fake children with their count. */
export function demoProgressText(p: DemoProgress): string {
  if (p.starting) return STEP_TEXT[p.step] ?? p.step;
  return p.step === 'fake data' ? `writing the fake children: ${fmt(p.done)} of ${fmt(p.total)}` : (STEP_TEXT[p.step] ?? p.step);
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
    .addHelpText(
      'after',
      `
Examples:
  ssd demo
  ssd demo --dir memory --children 5000 --seed 42

--dir is deleted and recreated on each run, so it must be empty, missing, or an earlier demo
directory (holding a ${DEMO_MARK_FILE} file). Needs no network. Exit codes: 0 done, 1 failed, 2 bad usage.`,
    )
    .action(
      action(async (opts: { dir: string; children: string; seed: string; asOf?: string; json?: boolean }) => {
        const children = parseChildren(opts.children);
        const asOf = parseIsoDate(opts.asOf) ?? todayIso();
        if (!opts.dir) throw new UsageError('--dir must not be empty');
        if (!opts.seed || opts.seed.length > 100) throw new UsageError('--seed must be 1 to 100 characters');
        const lines: string[] = [];
        // A line on the terminal while it works (none with --json or when stderr is not a terminal).
        const progress = terminalProgress('ssd demo', { enabled: !opts.json, text: 'creating the embedded database' });
        const print = opts.json
          ? (line = '') => {
              lines.push(line);
            }
          : (line = '') => {
              progress.clear();
              out(line);
            };
        let result;
        try {
          // The demo job (job.ts); no confirm hook: an earlier demo in --dir is replaced, as documented.
          const outcome = await runDemoJob({ dir: opts.dir, children, seed: opts.seed, asOf, print, onProgress: (p) => progress.update(demoProgressText(p)) });
          if (!outcome.ran) throw new UsageError(`${outcome.dir} holds an earlier demo`); // not reached: no confirm hook
          result = outcome.result;
        } catch (e) {
          if (e instanceof Error && /is not an ssd demo directory/.test(e.message)) throw new UsageError(e.message);
          throw e;
        } finally {
          progress.done();
        }
        if (opts.json) printJson(result);
        return EXIT.OK;
      }),
    );
}
