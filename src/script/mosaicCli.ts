// `ssd mosaic`: inject local settings into the Mosaic script, then (with --db) create the
// procedures, run ##populate_ssd_main and list the ##ssd_ tables; or (with --out) write the
// configured script for SSMS. Without either it checks the settings and the script only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { action, dbOption, EXIT, jsonOption, out, printJson, UsageError, withDb } from '../cliSupport/common';
import { positionAt, lineStarts } from './lexer';
import { injectMosaicSettings, MosaicSettingsError, runMosaic, validateMosaicSettings, type MosaicSettingsFile } from './mosaic';
import { readScript, textProgress } from './cli';
import { formatDiagnostic } from './index';

/**
 * JSON with comments (// and /* *\/) and trailing commas → plain JSON of the same length (comments
 * and dropped commas become spaces), so JSON.parse positions still point into the file.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  let lastSignificant = -1; // index in out of the last non-blank character
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      lastSignificant = out.length - 1;
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      out += ' '.repeat(j - i);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      let j = text.indexOf('*/', i + 2);
      j = j < 0 ? n : j + 2;
      out += text.slice(i, j).replace(/[^\r\n]/g, ' ');
      i = j;
    } else {
      if ((c === '}' || c === ']') && lastSignificant >= 0 && out[lastSignificant] === ',') out = out.slice(0, lastSignificant) + ' ' + out.slice(lastSignificant + 1);
      out += c;
      if (!/\s/.test(c)) lastSignificant = out.length - 1;
      i++;
    }
  }
  return out;
}

/** Read and validate a *.ssd-mosaic.json file (comments and trailing commas allowed). */
export function readMosaicSettings(file: string): MosaicSettingsFile {
  if (!existsSync(file)) throw new UsageError(`settings file not found: ${file}`);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  const clean = stripJsonComments(text);
  try {
    value = JSON.parse(clean);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(msg);
    const p = at ? positionAt(lineStarts(text), Number(at[1])) : { line: 1, column: 1 };
    throw new UsageError(`${file}:${p.line}:${p.column}: not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, '')})`);
  }
  try {
    return validateMosaicSettings(value);
  } catch (e) {
    if (e instanceof MosaicSettingsError) throw new UsageError(`${file} does not match the Mosaic settings schema:\n  ${e.problems.join('\n  ')}`);
    throw e;
  }
}

interface MosaicOpts {
  settings?: string;
  db?: string;
  years?: string;
  out?: string;
  json?: boolean;
}

export function registerMosaic(program: Command): void {
  program
    .command('mosaic')
    .description("Mosaic: inject your local settings into the Mosaic SSD procedures, run ##populate_ssd_main, and list which ##ssd_ tables were built (Mosaic's procedures hide their errors)")
    .argument('<script>', 'the Mosaic populate_ssd_data_warehouse.sql')
    .addOption(new Option('--settings <file>', 'local settings (*.ssd-mosaic.json, see schemas/mosaic-settings.schema.json)'))
    .addOption(dbOption())
    .addOption(new Option('--years <n>', 'financial years to include, counting the current one (default: financialYears in the settings, else 2)'))
    .addOption(new Option('--out <file>', 'write the configured script here (to run in SSMS yourself)'))
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExamples:\n  ssd mosaic populate_ssd_data_warehouse.sql --settings la.ssd-mosaic.json            check only\n  ssd mosaic populate_ssd_data_warehouse.sql --settings la.ssd-mosaic.json --out configured.sql\n  ssd mosaic populate_ssd_data_warehouse.sql --settings la.ssd-mosaic.json --db "Server=…;Database=MosaicDM;…" --years 5\n\nExit codes: 0 done (every expected ##ssd_ table has rows), 1 problems found (also: a ##ssd_ table fell to 0 or by more than half), 2 bad usage or no connection.',
    )
    .action(
      action(async (scriptFile: string, opts: MosaicOpts) => {
        const settings: MosaicSettingsFile = opts.settings ? readMosaicSettings(opts.settings) : { settings: {} };
        let years: number | undefined;
        if (opts.years !== undefined) {
          years = Number(opts.years);
          if (!Number.isInteger(years) || years < 1 || years > 20) throw new UsageError(`--years must be a whole number from 1 to 20, got ${JSON.stringify(opts.years)}`);
        }
        const text = readScript(scriptFile);
        let inj;
        try {
          inj = injectMosaicSettings(text, settings, scriptFile);
        } catch (e) {
          if (e instanceof MosaicSettingsError) throw new UsageError(`the settings do not fit ${scriptFile}:\n  ${e.problems.join('\n  ')}`);
          throw e;
        }
        if (opts.out) writeFileSync(opts.out, inj.text, 'utf8');
        const report = () => {
          out(`${scriptFile}: ${inj.analysis.procedures.length} procedure(s), ${inj.analysis.expectedTables.length} ##ssd_ table(s) expected; ${inj.applied.length} setting(s) applied`);
          for (const a of inj.applied) out(`  set   ${a.procedure}.@${a.variable}: ${a.rows} value(s) (line ${a.line})`);
          for (const d of inj.dummies) out(`  ${scriptFile}:${d.line}:1: warning: ${d.procedure}.@${d.variable} still holds the script's dummy value: its output stays empty until you set it`);
          for (const p of inj.analysis.problems) out(`  ${formatDiagnostic(p)}`);
          if (opts.out) out(`configured script written to ${opts.out}`);
        };
        if (!opts.db) {
          if (opts.json)
            printJson({ applied: inj.applied, dummies: inj.dummies, problems: inj.analysis.problems, expectedTables: inj.analysis.expectedTables, ...(opts.out ? { out: opts.out } : {}) });
          else report();
          return inj.analysis.problems.some((p) => p.severity === 'error') ? EXIT.PROBLEMS : EXIT.OK;
        }
        return withDb(
          opts,
          async (db) => {
            if (db.dialect !== 'mssql') throw new UsageError('the Mosaic script is T-SQL: --db must be a SQL Server connection');
            if (!opts.json) report();
            const ac = new AbortController();
            const onSigint = () => ac.abort();
            process.once('SIGINT', onSigint);
            try {
              const r = await runMosaic(db, text, {
                file: scriptFile,
                settings,
                signal: ac.signal,
                ...(years !== undefined ? { years } : {}),
                ...(opts.json ? {} : { onEvent: textProgress(out), onMessage: (m: string) => out(`    | ${m}`) }),
              });
              if (opts.json) printJson(r);
              else {
                out(`##populate_ssd_main: ${r.master.ran ? 'ran' : `did not run${r.master.error ? ': ' + r.master.error : ''}`} (${(r.master.elapsedMs / 1000).toFixed(1)} s)`);
                for (const t of r.tables) out(`  ${t.status.padEnd(10)} ${t.table.padEnd(40)} ${t.rows === null ? '-' : t.rows}${t.hint ? `   ${t.hint}` : ''}`);
                if (r.shrunk.length) {
                  out(`WARNING: ${r.shrunk.length} ##ssd_ table(s) fell to 0 rows or by more than half during ##populate_ssd_main (exit code 1):`);
                  for (const t of r.shrunk) out(`  ${t.table}: ${t.before} → ${t.after} rows (${t.why})`);
                }
              }
              return r.ok ? EXIT.OK : EXIT.PROBLEMS;
            } finally {
              process.off('SIGINT', onSigint);
            }
          },
          { checkFloor: false },
        );
      }),
    );
}
