// `ssd stage`: build, validate and hash every child's payload and apply the staging lifecycle.
import { Command, Option } from 'commander';
import { action, asOfOption, cliLogger, dbOption, EXIT, jsonOption, out, parseIsoDate, parseSchema, printJson, schemaOption, todayIso, UsageError, withDb } from '../cliSupport/common';
import { STAGING_TABLES } from './stagingTable';
import type { StagingTableName } from '../model/ssdModel';
import { terminalProgress } from '../cliSupport/progress';
import { runStageJob } from './job';
import { limitHeapGrowth } from '../cliSupport/heapGrowth';
import { printStageReport } from './format';
import { DEFAULT_MAX_DELETIONS, DEFAULT_MIN_TABLE_SHARE, parseMaxDeletions, parseMinTableShare, SafetyStopError, type SafetyThresholds } from './safetyStop';

interface StageCliOptions {
  db?: string;
  schema?: string;
  stagingSchema?: string;
  asOf?: string;
  table?: string;
  partial?: boolean;
  hashIgnoresEntityIds?: boolean;
  allowEmptyCohort?: boolean;
  allowMassChange?: boolean;
  maxDeletions?: string;
  minTableShare?: string;
  batchSize?: string;
  json?: boolean;
  verbose?: boolean;
}

function n(v: number): string {
  return v.toLocaleString('en-GB');
}

export function registerStage(program: Command): void {
  program
    .command('stage')
    .description("build, validate and hash every child's DfE payload and update the staging table (New / Updated / Unchanged / Deleted)")
    .addOption(dbOption())
    .addOption(schemaOption())
    .addOption(new Option('--staging-schema <name>', 'schema of the staging table (default: the --schema of the SSD tables)'))
    .addOption(asOfOption())
    .addOption(new Option('--table <name>', 'staging table (default: ssd_api_data_staging; ssd_api_data_staging_anon on fake data made by ssd fake or ssd demo)').choices([...STAGING_TABLES]))
    .addOption(new Option('--partial', 'also compute partial payloads (what changed since the last acknowledged send) into partial_json_payload'))
    .addOption(new Option('--hash-ignores-entity-ids', 'leave entity ids (episode, assessment, plan, placement ids) out of the change hash'))
    .addOption(new Option('--allow-empty-cohort', 'let an empty cohort mark every staged child Deleted (refused otherwise)'))
    .addOption(new Option('--allow-mass-change', 'go on even when the safety stop fires (this run only): a builder table emptied or shrunk, or more purges or lost episodes than --max-deletions'))
    .addOption(
      new Option(
        '--max-deletions <N|P%>',
        'most acknowledged children one run may purge, or strip of every social care episode: a number, a percentage of the acknowledged children, or both (the larger)',
      ).default(DEFAULT_MAX_DELETIONS),
    )
    .addOption(
      new Option('--min-table-share <P%>', 'stop when a table the builder reads has fewer than this share of the rows it had at the last completed stage run').default(DEFAULT_MIN_TABLE_SHARE),
    )
    .addOption(new Option('--batch-size <n>', 'children per transaction').default('1000'))
    .addOption(jsonOption())
    .addOption(new Option('-v, --verbose', 'log progress to stderr'))
    .addHelpText(
      'after',
      '\nExamples:\n  ssd stage --db pglite:./ssd-db\n  ssd stage --db postgres://me@localhost/la --schema ssd_development --as-of 2026-08-10 --partial\n  ssd stage --db pglite:./ssd-db --table ssd_api_data_staging_anon --json\n\n' +
        'Exit codes: 0 done, every child valid; 1 done but some children are invalid (staged as Withheld, kept out of the send queue) or some ssd_person rows have no id, or the safety stop fired (nothing written), or the run failed; 2 bad usage, no connection or the connection was lost.\nSee docs/staging.md ("Safety stops").',
    )
    .action(
      action(async (opts: StageCliOptions) => {
        // Peak memory flat in the number of children (src/cliSupport/heapGrowth.ts).
        limitHeapGrowth();
        const schema = parseSchema(opts.schema);
        const stagingSchema = parseSchema(opts.stagingSchema);
        const asOf = parseIsoDate(opts.asOf) ?? todayIso();
        const batchSize = Number(opts.batchSize ?? '1000');
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) throw new UsageError('--batch-size must be a whole number from 1 to 10000');
        let thresholds: SafetyThresholds;
        try {
          thresholds = { maxDeletions: parseMaxDeletions(opts.maxDeletions ?? DEFAULT_MAX_DELETIONS), minTableShare: parseMinTableShare(opts.minTableShare ?? DEFAULT_MIN_TABLE_SHARE) };
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        const logger = cliLogger(opts);
        // A line on the terminal while it works (none with --json or when stderr is not a terminal).
        const progress = terminalProgress('ssd stage', { enabled: !opts.json, text: 'opening the database' });
        try {
          // The staging job (job.ts); without a confirm hook the safety stop is thrown (--allow-mass-change answers it up front).
          const outcome = await withDb(opts, (db) =>
            runStageJob(db, {
              schema,
              stagingSchema,
              asOf,
              table: opts.table as StagingTableName | undefined,
              partial: !!opts.partial,
              hashIgnoresEntityIds: !!opts.hashIgnoresEntityIds,
              allowEmptyCohort: !!opts.allowEmptyCohort,
              allowMassChange: !!opts.allowMassChange,
              thresholds,
              batchSize,
              signal: controller.signal,
              logger,
              onStart: ({ table, stagingSchema: where }) => {
                progress.waitingFor(`the database (a lock on ${where}.${table} held by another session, or a slow query)`);
                progress.update('reading the SSD tables');
              },
              onProgress: ({ children }) => {
                progress.update(`${n(children)} children staged`);
                if (opts.verbose) logger.debug(`staged ${children} children`);
              },
            }),
          ).finally(() => progress.done());
          if (!outcome.staged) throw outcome.stop; // not reached: no confirm hook, so a stop is thrown
          const r = outcome.report;
          if (opts.json) printJson(r);
          else printStageReport(r, out);
          return r.invalid + r.notStaged + r.personsWithoutId > 0 ? EXIT.PROBLEMS : EXIT.OK;
        } catch (e) {
          if (!(e instanceof SafetyStopError)) throw e;
          // The safety stop: nothing was written to the staging table.
          if (opts.json) printJson({ stopped: true, safety: e.findings, message: e.message });
          process.stderr.write(`ssd: ${e.message}\n`);
          return EXIT.PROBLEMS;
        } finally {
          process.off('SIGINT', onSigint);
        }
      }),
    );
}
