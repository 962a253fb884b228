// The script-running API for the CLI (`ssd run`) and the editor ("SSD: Run Script"). Both run a
// script through `runScriptJob` (job.ts: pre-flight, drift, the questions, the run); `runScript`
// plans a file and runs it without the checks:
//
//   const { plan, result } = await runScript(db, { file: path, text, perTable, vars, signal, onEvent });
//   for (const d of result.diagnostics) → editor diagnostic at d.file, d.line, d.column
//
// onEvent receives progress (RunEvent: start, batch-start n/N, table building/done/failed, message,
// batch-end, done). Cancel with an AbortController: the running statement is cancelled on the
// server (PostgreSQL, SQL Server); PGlite stops before the next batch.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Db } from '../db/types';
import { planScript, type IncludeReader } from './plan';
import type { RunOptions, RunResult } from './runner';
import { runScriptJob } from './job';
import type { ScriptDiagnostic, ScriptDialect, ScriptPlan } from './types';

export { planScript, mapBatchLine, mapBatchPosition } from './plan';
export { runPlan } from './runner';
export { runScriptJob, progressForEvent } from './job';
export type { ScriptJobOptions, ScriptJobOutcome, ScriptJobQuestion, ScriptChecks, JobStep, ScriptJobPhase } from './job';
export type { RunEvent, RunOptions, RunResult, BatchOutcome, TableOutcome } from './runner';
export type { ScriptDiagnostic, ScriptPlan, PlannedBatch, ScriptDialect, TableRef } from './types';
export { ScriptPlanError } from './types';
export { runPreflight, scanFeatures, scanReferences } from './preflight';
export type { PreflightReport, PreflightCheck } from './preflight';
export { checkDrift, parseCreateTables } from './drift';
export type { DriftReport, TableDrift } from './drift';
export { injectMosaicSettings, runMosaic, validateMosaicSettings, analyseMosaicScript, MosaicSettingsError } from './mosaic';
export type { MosaicSettingsFile, MosaicRunResult } from './mosaic';
/** Path of the Mosaic settings JSON Schema in the repository (for contributes.jsonValidation, fileMatch *.ssd-mosaic.json). */
export const MOSAIC_SETTINGS_SCHEMA_PATH = 'schemas/mosaic-settings.schema.json';

/** Script dialect that matches a connection. */
export function dialectForDb(db: Pick<Db, 'dialect'>): ScriptDialect {
  return db.dialect === 'mssql' ? 'tsql' : db.dialect === 'oracle' ? 'oracle' : 'postgres';
}

/** Parse --dialect: tsql (also mssql, sqlserver), postgres (also pg, postgresql) or oracle (plsql). */
export function parseDialect(value: string): ScriptDialect {
  const v = value.trim().toLowerCase();
  if (['tsql', 't-sql', 'mssql', 'sqlserver'].includes(v)) return 'tsql';
  if (['postgres', 'postgresql', 'pg', 'plpgsql'].includes(v)) return 'postgres';
  if (['oracle', 'plsql', 'pl/sql', 'sqlplus'].includes(v)) return 'oracle';
  throw new Error(`unknown dialect ${JSON.stringify(value)}: use tsql, postgres or oracle`);
}

/** Reads `:r` includes from disk, relative to the including file (sqlcmd resolves them from its working folder, which is the script's folder in the SSD instructions). */
export const diskIncludeReader: IncludeReader = (path, fromFile) => {
  // 00_install_all_windows.sql writes procs\x.sql: accept backslashes off Windows too
  const p = process.platform === 'win32' ? path : path.replace(/\\/g, '/');
  const full = isAbsolute(p) ? p : resolve(dirname(fromFile), p);
  return { file: full, text: readScriptFile(full) };
};

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Decode a script file as SSMS and sqlcmd do: a byte-order mark says UTF-8 or UTF-16 (SSMS saves
 * UTF-16 LE with a BOM), else UTF-8, else (bytes that are not UTF-8, e.g. a £ saved by an old
 * editor) Windows-1252.
 */
export function decodeScript(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}

/** Read a script file (see decodeScript). */
export function readScriptFile(path: string): string {
  return decodeScript(readFileSync(path)).text;
}

export interface RunScriptOptions extends RunOptions {
  /** Path (or name) of the script: used in diagnostics and to resolve :r includes. */
  file: string;
  /** Script text; read from `file` when absent. */
  text?: string;
  /** Default: from the connection. */
  dialect?: ScriptDialect;
  perTable?: boolean;
  vars?: Record<string, string>;
  readInclude?: IncludeReader;
}

/**
 * Plan and run a script (no pre-flight or drift check: `runScriptJob` in job.ts adds them). Throws
 * ScriptPlanError (with diagnostics) when it cannot be planned.
 */
export async function runScript(db: Db, options: RunScriptOptions): Promise<{ plan: ScriptPlan; result: RunResult }> {
  const text = options.text ?? readScriptFile(options.file);
  const plan = planScript(text, {
    dialect: options.dialect ?? dialectForDb(db),
    file: options.file,
    perTable: !!options.perTable,
    ...(options.vars ? { vars: options.vars } : {}),
    readInclude: options.readInclude ?? diskIncludeReader,
  });
  const { file: _file, text: _text, dialect: _dialect, perTable: _perTable, vars: _vars, readInclude: _readInclude, ...runOptions } = options;
  const job = await runScriptJob(db, { ...runOptions, plan, text, preflight: false, drift: false });
  if (!job.ran) throw new Error('the script was not run'); // cannot happen: no checks, no questions
  return { plan, result: job.result };
}

/** `file:line:col: severity: message`, the form editors and terminals link. */
export function formatDiagnostic(d: ScriptDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
