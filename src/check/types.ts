// Public shapes of `ssd check` (schema and data checks of an SSD before building payloads).
// The CLI, the tests and the extension (tree of tables/columns, Problems panel) all use these.
// A finding never carries a value of a child's data: only rule ids, table/column names, counts
// and up to five primary-key ids.

import type { Dialect } from '../db/types';

export type Severity = 'error' | 'warning' | 'info';

/** schema: structure (tables, columns, types); data: values; cohort: who gets a payload. */
export type RuleCategory = 'schema' | 'data' | 'cohort';

/** Documentation of one rule (one source of truth: src/check/rules.ts; docs/check-rules.md is generated from it). */
export interface RuleDoc {
  /** Stable id, e.g. SSD-PERS-006. Never reused for a different rule. */
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** SSD table the rule is about (lower case, as in the model). */
  table: string;
  /** Column the rule is about, or null for a whole-table rule. */
  column: string | null;
  /** Short title. */
  title: string;
  /** What the rule finds. */
  what: string;
  /** Why it matters for the DfE payload. */
  why: string;
  /** How to fix it (one line; also the finding's fix hint). */
  fix: string;
  /** Which upstream check or contract limit the rule comes from, when it has one (e.g. "pre-flight #28"). */
  source?: string;
}

export interface CheckFinding {
  ruleId: string;
  severity: Severity;
  category: RuleCategory;
  table: string;
  /** Column name as in the model (lower case), or null for a table-level finding. */
  column: string | null;
  /** How many rows (or key values, people, columns: see the rule's documentation) are affected. */
  count: number;
  /** Up to 5 example primary-key ids (ids only, never names or dates of birth). */
  examples: string[];
  /**
   * Person ids (the table's `*_person_id` column) of the example rows, distinct, when the table
   * has one: the children the finding concerns, so a finding leads to a child's payload. Ids only.
   */
  personIds?: string[];
  /** How many distinct children the finding concerns, where the engine counts them (row rules, the cohort rule, ssd_person). */
  children?: number;
  /** One line: what was found (no data values). */
  message: string;
  /** One-line fix hint. */
  fix: string;
  /** For SSD-SCHEMA-006 (rule not run): the id of the rule that was skipped. */
  skippedRule?: string;
}

export interface TableSummary {
  table: string;
  /** Whether the table exists (compared case-insensitively). */
  present: boolean;
  /** Name as found in the database, when present. */
  actualName?: string;
  /** Rows in the table (null when not present or not counted). */
  rows: number | null;
  /** 'builder' for the 19 tables the payload builder reads, 'staging' for the two staging tables. */
  role: 'builder' | 'staging';
  errors: number;
  warnings: number;
  infos: number;
}

export type Verdict = 'fit' | 'fit-with-warnings' | 'not-fit';

export interface CheckReport {
  /** Version of this JSON shape; bumped only on incompatible changes. */
  formatVersion: 1;
  tool: 'ssd check';
  /** Safe description of the database (never a password). */
  database: string;
  dialect: Dialect;
  schema: string;
  asOf: string;
  /** Reporting window the date and cohort rules used (contract: start = 1 April of the FY containing as-of − 24 months, end = as-of + 1 day). */
  window: { start: string; end: string };
  startedAt: string;
  elapsedMs: number;
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    /** Rules run (each rule counted once). */
    rulesRun: number;
    /** Rules not run because their table or column is missing or of the wrong type. */
    rulesSkipped: number;
  };
  verdict: Verdict;
  /** One line, e.g. "Not fit: 3 errors, 12 warnings. Fix the errors before building payloads." */
  verdictText: string;
  tables: TableSummary[];
  /** Findings ordered by table (model order), then severity, then rule id. */
  findings: CheckFinding[];
}

export interface CheckProgress {
  /** Steps done so far and the total (the total is known from the start). */
  done: number;
  total: number;
  /** What is being checked now, e.g. "ssd_person: data rules". */
  message: string;
  table?: string;
  /** On the step that ends a table's data rules: the milliseconds that table took (tables may be
   *  checked side by side, so the time between two steps is not one table's). */
  tableMs?: number;
}

export interface CheckOptions {
  /** Schema holding the SSD tables (default: the connection's default schema). */
  schema?: string;
  /** As-of date YYYY-MM-DD; every date and cohort rule is relative to it. */
  asOf: string;
  onProgress?: (p: CheckProgress) => void;
  signal?: AbortSignal;
  /**
   * Tables checked at the same time, each table's queries on a pooled connection of its own
   * (default 2; never more than the Db's parallelStatements, so 1 on PGlite and on a session).
   * The report is the same whatever the number: only the time changes. docs/performance.md.
   */
  parallelTables?: number;
}
