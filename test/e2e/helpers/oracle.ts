// What the editor should show, computed independently of the editor: the same demo database
// (same number of children, seed and as-of date) made by the CLI (`ssd demo`) in a temporary
// folder, then `ssd check`, `ssd stage` and `ssd payload` on it, all as JSON. The suite compares
// what it sees in VS Code with these, so nothing in it is hard-coded and a change to the fake data
// or the rules moves both sides together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../../../scripts/e2e-setup.mjs';

export interface OracleFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  table: string;
  column: string | null;
  count: number;
}

export interface OracleProblem {
  path: string;
  rule: string;
  message: string;
  severity: string;
  source?: string;
}

export interface Oracle {
  children: number;
  asOf: string;
  /** Row counts of the tables the payload builder reads (as `ssd demo` made them). */
  builderRows: Record<string, number>;
  check: { errors: number; warnings: number; infos: number; rulesRun: number; verdictText: string; findings: OracleFinding[] };
  /** `ssd stage` into ssd_api_data_staging_anon: children in the cohort and invalid ones. */
  stage: { cohort: number; invalid: number };
  /** A child whose payload breaks a DfE schema rule, and the problems `ssd payload` reports. */
  invalidChild: { personId: string; problems: OracleProblem[] };
  dispose(): void;
}

/** Run the built CLI (dist/cli.cjs) without the caller's SSD_* variables and parse its --json output. */
export function cliJson(args: string[], okCodes = [0]): unknown {
  const cliPath = join(REPO_DIR, 'dist', 'cli.cjs');
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: npm run build`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^SSD_/.test(k)) env[k] = v;
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: REPO_DIR, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`ssd ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function buildOracle(children: number, asOf: string): Oracle {
  const dir = mkdtempSync(join(tmpdir(), 'ssd-e2e-oracle-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    const demo = cliJson(['demo', '--dir', join(dir, 'demo'), '--children', String(children), '--as-of', asOf, '--json']) as {
      url: string;
      fake: { rows: Record<string, number> };
    };
    const db = demo.url;
    const check = cliJson(['check', '--db', db, '--as-of', asOf, '--json', '--no-progress'], [0, 1]) as {
      summary: { errors: number; warnings: number; infos: number; rulesRun: number };
      verdictText: string;
      findings: OracleFinding[];
    };
    const stage = cliJson(['stage', '--db', db, '--as-of', asOf, '--table', 'ssd_api_data_staging_anon', '--json'], [0, 1]) as {
      cohort: number;
      invalid: number;
      invalidChildren: Array<{ personId: string; rule: string; path: string }>;
    };
    const first = stage.invalidChildren[0];
    if (!first) throw new Error('the demo has no invalid child: the e2e suite needs one for the payload diagnostic');
    const payload = cliJson(['payload', first.personId, '--db', db, '--as-of', asOf, '--json'], [0, 1]) as { valid: boolean; problems: OracleProblem[] };
    const problems = payload.problems.filter((p) => p.severity === 'error');
    if (payload.valid || problems.length === 0) throw new Error(`ssd payload ${first.personId} reports no error although ssd stage called it invalid`);
    return {
      children,
      asOf,
      builderRows: demo.fake.rows,
      check: { ...check.summary, verdictText: check.verdictText, findings: check.findings },
      stage: { cohort: stage.cohort, invalid: stage.invalid },
      invalidChild: { personId: first.personId, problems },
      dispose: () => {
        remove();
        process.removeListener('exit', remove);
      },
    };
  } catch (e) {
    remove();
    throw e;
  }
}
