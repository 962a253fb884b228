// `ssd scramble`: a scrambled, anonymised copy of the SSD tables in another schema or database.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { action, asOfOption, cliLogger, EXIT, jsonOption, out, parseIsoDate, parseSchema, printJson, todayIso, UsageError } from '../cliSupport/common';
import { parseConnectionString } from '../db/connectionSpec';
import { openDb } from '../db/openDb';
import type { Db } from '../db/types';
import { KeyFileError, loadOrCreateKey } from './keyFile';
import { runScramble, ScrambleRefusedError } from './runScramble';
import { printScrambleReport } from './format';
import { limitHeapGrowth } from '../cliSupport/heapGrowth';

interface ScrambleCliOptions {
  from?: string;
  schema?: string;
  to?: string;
  toSchema?: string;
  keyFile?: string;
  tables: string;
  asOf?: string;
  checks: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** Whether two connection texts name the same database for certain (same text, or the same PGlite directory). */
export function sameConnectionText(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = parseConnectionString(a);
    const y = parseConnectionString(b);
    if (x.kind === 'pglite' && y.kind === 'pglite') return x.dataDir !== null && y.dataDir !== null && resolve(x.dataDir) === resolve(y.dataDir);
  } catch {
    /* the open below reports a bad text */
  }
  return false;
}

export function registerScramble(program: Command): void {
  program
    .command('scramble')
    .description('copy the SSD tables into another schema or database, scrambled and anonymised, and verify the copy')
    .addOption(new Option('--from <url>', 'source database (as --db elsewhere)').env('SSD_DB'))
    .addOption(new Option('--schema <name>', 'schema of the source SSD tables (default: public / dbo)').env('SSD_SCHEMA'))
    .addOption(new Option('--to <url>', 'database of the copy (default: the source database, then --to-schema must differ)'))
    .addOption(new Option('--to-schema <name>', 'schema of the copy (default: public / dbo)'))
    .addOption(new Option('--key-file <path>', 'file holding the scramble key; created (random) when missing. Same key, same copy'))
    .addOption(new Option('--tables <set>', "the builder's 19 tables or every SSD data table").choices(['api', 'all']).default('api'))
    .addOption(asOfOption())
    .addOption(new Option('--no-checks', 'do not run ssd check on the source and the copy'))
    .addOption(jsonOption())
    .addOption(new Option('-v, --verbose', 'log progress to stderr'))
    .addHelpText(
      'after',
      '\nExamples:\n  ssd scramble --from postgres://me@host/la --schema ssd --to-schema ssd_scrambled --key-file ./scramble.key\n' +
        '  ssd scramble --from mssql://… --to postgres://localhost/test --key-file ./scramble.key --tables all\n\n' +
        'Exit codes: 0 copy made and verified; 1 the copy failed verification (it was dropped); 2 bad usage, no connection or refused.\nSee docs/scramble.md.',
    )
    .action(
      action(async (opts: ScrambleCliOptions) => {
        // Peak memory flat in the number of children (src/cliSupport/heapGrowth.ts; docs/performance.md).
        limitHeapGrowth();
        if (!opts.from) throw new UsageError('no source database: pass --from (or set SSD_DB)');
        if (!opts.keyFile) throw new UsageError('pass --key-file: the scramble key is read from it (or created there when the file does not exist)');
        const fromSchema = parseSchema(opts.schema);
        const toSchema = parseSchema(opts.toSchema);
        const asOf = opts.checks ? (parseIsoDate(opts.asOf) ?? todayIso()) : null;
        let loaded;
        try {
          loaded = loadOrCreateKey(opts.keyFile);
        } catch (e) {
          if (e instanceof KeyFileError) throw new UsageError(e.message);
          throw e;
        }
        if (loaded.created) process.stderr.write(`ssd: created a new scramble key in ${opts.keyFile} (keep it apart from the copy)\n`);
        const logger = cliLogger(opts);
        const same = opts.to === undefined || sameConnectionText(opts.from, opts.to);
        const source = await openDb(opts.from);
        let target: Db = source;
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        try {
          if (!same) target = await openDb(opts.to!);
          const r = await runScramble(source, target, {
            fromSchema,
            toSchema,
            tables: opts.tables as 'api' | 'all',
            key: loaded.key,
            asOf,
            sameDatabase: same ? true : undefined,
            signal: controller.signal,
            logger,
            onProgress: opts.verbose ? ({ table, rows }) => logger.debug(`${table}: ${rows} rows copied`) : undefined,
          });
          if (opts.json) printJson(r);
          else printScrambleReport(r, out);
          return r.ok ? EXIT.OK : EXIT.PROBLEMS;
        } catch (e) {
          if (e instanceof ScrambleRefusedError || (e instanceof Error && e.name === 'ScrambleRefusedError')) throw new UsageError((e as Error).message);
          throw e;
        } finally {
          process.off('SIGINT', onSigint);
          if (target !== source) await target.close().catch(() => undefined);
          await source.close().catch(() => undefined);
        }
      }),
    );
}
