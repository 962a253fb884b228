// `ssd payload <person_id>`: one child's DfE payload as pretty JSON, then its validation problems
// (JSON path, rule, the value's shape — never a name or date of birth), or which cohort gate
// excluded the child. Exit 0 valid, 1 invalid or not in the cohort, 2 bad usage or no connection.
import { Command } from 'commander';
import { action, asOfOption, dbOption, EXIT, jsonOption, out, parseIsoDate, parseSchema, printJson, schemaOption, todayIso, UsageError, withDb } from '../cliSupport/common';
import { buildChildPayload, MissingTablesError } from './buildPayloads';
import type { PayloadProblem } from './types';
import { isValid } from './validatePayload';
import { reportingWindow } from './window';

interface PayloadCliOptions {
  db?: string;
  schema?: string;
  asOf?: string;
  json?: boolean;
}

export function formatProblem(p: PayloadProblem): string {
  return `  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.path || '(payload)'}  [${p.rule}]  ${p.message}${p.source ? `  (from ${p.source})` : ''}`;
}

export function registerPayload(program: Command): void {
  program
    .command('payload')
    .description("build one child's DfE API payload from the SSD tables, validate it and print it (or say which cohort gate excludes the child)")
    .argument('<person_id>', "the child's ssd_person.pers_person_id")
    .addOption(dbOption())
    .addOption(schemaOption())
    .addOption(asOfOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  ssd payload C1234 --db pglite:./ssd-db\n  ssd payload C1234 --db postgres://me@localhost/la --schema ssd_development --as-of 2026-03-31 --json\n\nExit codes: 0 in the cohort and valid, 1 invalid or not in the cohort, 2 bad usage or no connection.',
    )
    .action(
      action(async (personId: string, opts: PayloadCliOptions) => {
        if (typeof personId !== 'string' || personId.trim() === '') throw new UsageError("give the child's person id");
        const schema = parseSchema(opts.schema);
        const asOf = parseIsoDate(opts.asOf) ?? todayIso();
        const window = reportingWindow(asOf);
        const result = await withDb(opts, async (db) => {
          try {
            return await buildChildPayload(db, personId, { schema: schema ?? db.defaultSchema, asOf });
          } catch (e) {
            // Wrong --schema or SSD not deployed: a usage problem (exit 2), said plainly.
            if (e instanceof MissingTablesError) throw new UsageError(e.message);
            throw e;
          }
        });
        if ('exclusion' in result) {
          const e = result.exclusion;
          if (opts.json) printJson({ personId, asOf, window: { start: window.start, end: window.end }, inCohort: false, exclusion: e });
          else if (e.gate === 'missing') out(`${personId} is not in the cohort: there is no ssd_person row with this person id.`);
          else out(`${personId} is not in the cohort for as-of ${asOf} (window ${window.start} to ${window.end}): excluded by ${e.reason}.`);
          return EXIT.PROBLEMS;
        }
        const { child } = result;
        const valid = isValid(child.problems);
        if (opts.json) {
          printJson({ personId, asOf, window: { start: window.start, end: window.end }, inCohort: true, valid, payload: child.payload, problems: child.problems });
          return valid ? EXIT.OK : EXIT.PROBLEMS;
        }
        out(JSON.stringify(child.payload, null, 2));
        out();
        const errors = child.problems.filter((p) => p.severity === 'error');
        const warnings = child.problems.filter((p) => p.severity === 'warning');
        if (errors.length === 0) out(`Valid: the payload meets every rule of the DfE payload schema (as-of ${asOf}, window ${window.start} to ${window.end}).`);
        else out(`Invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}; this child is kept out of the send queue until fixed.`);
        for (const p of errors) out(formatProblem(p));
        if (warnings.length > 0) out(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`);
        for (const p of warnings) out(formatProblem(p));
        return valid ? EXIT.OK : EXIT.PROBLEMS;
      }),
    );
}
