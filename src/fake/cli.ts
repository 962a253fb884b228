// `ssd fake`: fill the 19 builder tables with a synthetic cohort.
import { Command, Option } from 'commander';
import { action, asOfOption, dbOption, EXIT, jsonOption, out, parseIsoDate, parseSchema, printJson, schemaOption, todayIso, UsageError, withDb } from '../cliSupport/common';
import { FAKE_TABLES, MAX_CHILDREN, PROBLEM_INFO, PROBLEM_KINDS, type ProblemKind, type ProblemShares } from './cohort';
import { DEFAULT_SEED, FakeRefusedError, generateFakeSsd, type FakeSummary } from './generateFakeSsd';

const fmt = (n: number) => n.toLocaleString('en-GB');

/** "0.02", ".5", "2%" → a share from 0 to 1. */
export function parseShare(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$/.exec(value);
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!m || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${flag} must be a share from 0 to 1 (e.g. 0.02) or a percentage (e.g. 2%), got ${JSON.stringify(value)}`);
  return n;
}

export function parseChildren(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--children is required (how many fake children to write)');
  const v = value.replace(/[_,]/g, '');
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_CHILDREN) throw new UsageError(`--children must be a whole number from 1 to ${fmt(MAX_CHILDREN)}, got ${JSON.stringify(value)}`);
  return Number(v);
}

const shareFlag = (k: ProblemKind) => `${PROBLEM_INFO[k].flag}-share`;
const shareKey = (k: ProblemKind) => shareFlag(k).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Problem shares from the parsed options: --clean sets every default to 0; an explicit share wins. */
export function sharesFromOptions(opts: Record<string, unknown>): Partial<ProblemShares> {
  const shares: Partial<ProblemShares> = {};
  for (const k of PROBLEM_KINDS) {
    const raw = opts[shareKey(k)];
    if (typeof raw === 'string') shares[k] = parseShare(raw, shareFlag(k));
    else if (opts.clean) shares[k] = 0;
  }
  return shares;
}

export function printFakeSummary(s: FakeSummary, print: (line?: string) => void = out): void {
  const rate = s.seconds > 0 ? Math.round(s.children / s.seconds) : 0;
  print(`Wrote ${fmt(s.children)} fake children to schema ${s.schema} in ${s.seconds.toFixed(1)} s (${fmt(rate)} children/s); seed ${s.seed}, as-of ${s.asOf}, run ${s.runNo}.`);
  print(`Reporting window for that as-of date: ${s.window.start} to ${s.window.end}.`);
  if (s.createdTables.length) print(`Created ${s.createdTables.length} missing table(s).`);
  const deleted = Object.entries(s.deleted);
  if (deleted.length) print(`Deleted first: ${deleted.map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}.`);
  print('');
  print('Rows per table:');
  const w = Math.max(...FAKE_TABLES.map((t) => t.length));
  for (const t of FAKE_TABLES) print(`  ${t.padEnd(w)} ${fmt(s.rows[t]).padStart(12)}`);
  print(`  ${'total'.padEnd(w)} ${fmt(s.totalRows).padStart(12)}`);
  print('');
  const c = s.cohort;
  print(
    `Children: ${fmt(c.lookedAfter + c.careLeavers)} looked after now or before (${fmt(c.careLeavers)} care leavers), ${fmt(c.uasc)} UASC, ${fmt(c.unborn)} unborn, ` +
      `${fmt(c.cpPlan)} with a child protection plan, ${fmt(c.adopted)} adopted, ${fmt(c.openReferral)} with an open referral; ${fmt(c.professionals)} professionals.`,
  );
  print('');
  const injected = PROBLEM_KINDS.filter((k) => s.shares[k] > 0);
  if (!injected.length) {
    print('Problems injected: none (clean data).');
    return;
  }
  print('Problems injected on purpose (children affected, share asked for):');
  const fw = Math.max(...PROBLEM_KINDS.map((k) => PROBLEM_INFO[k].flag.length));
  for (const k of injected) {
    print(`  ${PROBLEM_INFO[k].flag.padEnd(fw)} ${fmt(s.problems[k]).padStart(8)}  ${(s.shares[k] * 100).toFixed(1)}% of ${PROBLEM_INFO[k].eligible}: ${PROBLEM_INFO[k].description}`);
  }
}

export function registerFake(program: Command): void {
  const cmd = program
    .command('fake')
    .description('fill the 19 SSD tables the payload builder reads with a synthetic, internally consistent cohort of fake children (deterministic by seed)')
    .addOption(dbOption())
    .addOption(schemaOption())
    .addOption(new Option('--children <n>', `how many children (1 to ${fmt(MAX_CHILDREN)})`))
    .addOption(new Option('--seed <text>', 'seed: the same seed, as-of date and options give identical rows').default(DEFAULT_SEED))
    .addOption(asOfOption())
    .addOption(new Option('--replace', 'delete the existing rows of the 19 tables first, even rows ssd fake did not write'))
    .addOption(new Option('--clean', 'inject no problems (every share 0 unless given below)'));
  for (const k of PROBLEM_KINDS) {
    cmd.addOption(new Option(`--${shareFlag(k)} <share>`, `share of ${PROBLEM_INFO[k].eligible} given: ${PROBLEM_INFO[k].description} (default 0.01)`));
  }
  cmd
    .addOption(new Option('--chunk <n>', 'children per transaction').default('1000').hideHelp())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  ssd fake --db pglite:./ssd-db --children 1000
  ssd fake --db postgres://me@localhost/ssd --schema ssd_development --children 100000 --seed 7 --as-of 2026-03-31
  ssd fake --db pglite:./ssd-db --children 2000 --clean --bad-postcode-share 5%

Missing SSD tables are created. Each run is recorded in the table ssd_workbench_fake_runs; rows an
earlier ssd fake run wrote are replaced, but if the tables hold anyone else's rows it refuses
(exit 1) unless --replace. Exit codes: 0 done, 1 refused or failed, 2 bad usage or no connection.`,
    )
    .action(
      action(async (opts: Record<string, unknown> & { db?: string; schema?: string; children?: string; seed: string; asOf?: string; replace?: boolean; chunk: string; json?: boolean }) => {
        const schema = parseSchema(opts.schema);
        const children = parseChildren(opts.children);
        const asOf = parseIsoDate(opts.asOf) ?? todayIso();
        const shares = sharesFromOptions(opts);
        if (!opts.seed || opts.seed.length > 100) throw new UsageError('--seed must be 1 to 100 characters');
        const chunkSize = Number(opts.chunk);
        if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new UsageError('--chunk must be a positive whole number');
        const progress = !opts.json && process.stderr.isTTY;
        try {
          const summary = await withDb(
            opts,
            (db) =>
              generateFakeSsd(db, {
                schema,
                children,
                seed: opts.seed,
                asOf,
                shares,
                replace: !!opts.replace,
                chunkSize,
                onProgress: progress ? (p) => process.stderr.write(`\r  ${fmt(p.done)} / ${fmt(p.total)} children`) : undefined,
              }),
            { create: true },
          );
          if (progress) process.stderr.write('\r\x1b[K');
          if (opts.json) printJson(summary);
          else printFakeSummary(summary);
          return EXIT.OK;
        } catch (e) {
          if (progress) process.stderr.write('\n');
          if (e instanceof FakeRefusedError) {
            if (opts.json) printJson({ refused: true, schema: e.schema, foreignTables: e.foreign });
            process.stderr.write(`ssd: ${e.message}\n`);
            return EXIT.PROBLEMS;
          }
          throw e;
        }
      }),
    );
}
