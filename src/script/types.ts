// Shapes shared by the script planner, runner, pre-flight, drift and Mosaic modules, and by the
// editor layer ("SSD: Run Script" turns ScriptDiagnostic into VS Code diagnostics).
import type { ScriptDialect } from './lexer';

export type { ScriptDialect } from './lexer';

/** A problem located in a script file: 1-based line and column, ready for an editor diagnostic. */
export interface ScriptDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** What found it. */
  source: 'split' | 'server' | 'preflight' | 'drift' | 'mosaic';
  /** Batch (0-based index in the plan) the problem belongs to, for server errors and messages. */
  batchIndex?: number;
  code?: string | number;
}

/** Thrown when a script cannot be planned (bad directive, undefined variable, missing include…). */
export class ScriptPlanError extends Error {
  constructor(readonly diagnostics: ScriptDiagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n'));
    this.name = 'ScriptPlanError';
  }
}

/** One piece of a batch's text and where it came from. */
export interface SourceSegment {
  file: string;
  /** Offset of the segment's first character in its file. */
  fileOffset: number;
  /** 1-based line and column of that character in the file. */
  line: number;
  column: number;
  /** Offset of the segment in the batch text. */
  batchOffset: number;
  /** 1-based line of the segment's first character in the batch text. */
  batchLine: number;
  /** Text as sent (after $(var) substitution). */
  text: string;
  /** Whether text is byte-for-byte the file's text (false after substitution or for glue text). */
  verbatim: boolean;
}

export interface TableRef {
  /** Table name as written, without schema, lower-cased. */
  name: string;
  /** Schema when the script qualifies the name (lower-cased), e.g. ssd_development. */
  schema?: string;
  /** Database when the script uses a three-part name. */
  database?: string;
  via: 'tag' | 'create' | 'insert';
  /** 1-based line in the batch text where this table's part starts (used to tell which table an error hit). */
  batchLine?: number;
}

export interface PlannedBatch {
  /** 0-based position in the plan. */
  index: number;
  /** Exact text sent to the server. */
  text: string;
  segments: SourceSegment[];
  /** Where the batch's first code character is (for progress and "batch starts at" messages). */
  file: string;
  line: number;
  column: number;
  /** GO n. */
  repeat: number;
  /** SSD tables this batch builds, in order (META-CONTAINER tags first, else CREATE/INSERT targets). */
  tables: TableRef[];
  /** Short description: the table name(s) or "batch 3". */
  label: string;
  kind: 'setup' | 'table' | 'other';
  /** From sqlcmd `:on error exit|ignore` in force when the batch was read. */
  onError?: 'exit' | 'ignore';
  /** Per-table mode: the META-CONTAINER the batch was cut from, and whether the configuration block was prepended. */
  container?: { type: string; name: string };
  withConfig?: boolean;
}

export interface ScriptPlan {
  file: string;
  dialect: ScriptDialect;
  perTable: boolean;
  batches: PlannedBatch[];
  /** Every table the plan builds, unique, in order of first appearance. */
  tables: TableRef[];
  /** META-CONTAINER tags found (type and name), in order. */
  containers: Array<{ type: string; name: string; line: number }>;
  warnings: ScriptDiagnostic[];
  /** Variables in force at the end of planning (from --var and :setvar); values are not secret-checked. */
  variables: Record<string, string>;
}
