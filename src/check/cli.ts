// `ssd check`: is this SSD fit to build payloads from? Exit 1 when any error is found.
import { Command, Option } from 'commander';
import { action, asOfOption, dbOption, EXIT, jsonOption, out, parseIsoDate, parseSchema, printJson, requireSchema, schemaOption, todayIso, UsageError, withDb } from '../cliSupport/common';
import { formatReport } from './format';
import { ruleDocs } from './rules';
import { NoSsdTablesError, runCheckJob } from './job';
import { DEFAULT_PARALLEL_TABLES } from './runChecks';

interface CheckCliOptions {
  db?: string;
  schema?: string;
  asOf?: string;
  json?: boolean;
  listRules?: boolean;
  progress?: boolean;
  parallel?: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check that the SSD tables are fit to build DfE payloads from: schema against the SSD model, and data rules (ids, codes, dates, links, cohort)')
    .addOption(dbOption())
    .addOption(schemaOption())
    .addOption(asOfOption())
    .addOption(jsonOption())
    .addOption(new Option('--list-rules', 'print every rule (id, severity, table, column, title) and exit; with --json, the full documentation'))
    .addOption(new Option('--no-progress', 'do not print progress to stderr'))
    .addOption(
      new Option('--parallel <n>', `tables checked at the same time, each on its own connection (1 to 4; 1 = one statement at a time; the embedded database always runs one)`).default(
        String(DEFAULT_PARALLEL_TABLES),
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ssd check --db postgres://me@localhost/la --schema ssd_development\n  ssd check --db pglite:./ssd-db --as-of 2026-03-31 --json > findings.json\n\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or no connection.\nRules: docs/check-rules.md',
    )
    .action(
      action(async (opts: CheckCliOptions) => {
        if (opts.listRules) {
          const docs = ruleDocs();
          if (opts.json) printJson(docs);
          else for (const d of docs) out(`${d.id.padEnd(15)} ${d.severity.padEnd(8)} ${d.table}${d.column ? '.' + d.column : ''}: ${d.title}`);
          return EXIT.OK;
        }
        const schema = parseSchema(opts.schema);
        const asOf = parseIsoDate(opts.asOf) ?? todayIso();
        const parallel = Number(opts.parallel ?? DEFAULT_PARALLEL_TABLES);
        if (!Number.isInteger(parallel) || parallel < 1 || parallel > 4) throw new UsageError('--parallel must be a whole number from 1 to 4');
        const showProgress = opts.progress !== false && !opts.json && process.stderr.isTTY === true;
        const report = await withDb(opts, async (db) => {
          await requireSchema(db, schema ?? db.defaultSchema);
          try {
            const r = await runCheckJob(db, {
              schema,
              asOf,
              requireSsdTables: true,
              parallelTables: parallel,
              onProgress: showProgress ? (p) => process.stderr.write(`\r[${p.done}/${p.total}] ${p.message}`.padEnd(60) + (p.message === 'done' ? '\n' : '')) : undefined,
            });
            return r.report;
          } catch (e) {
            // Not one of the tables: the wrong schema or no SSD yet, not findings about an SSD.
            if (e instanceof NoSsdTablesError) throw new UsageError(e.message);
            throw e;
          }
        });
        if (opts.json) printJson(report);
        else for (const l of formatReport(report)) out(l);
        return report.summary.errors > 0 ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );
}
