// The builder's public shapes, shared by `ssd payload`, staging, checks and the extension.

/** Reporting window: start = 1 April of the FY containing as-of − 24 months; end = as-of + 1 day (inclusive). Defined with the as-of date rules in src/model/asOf.ts. */
export type { ReportingWindow } from '../model/asOf';

export interface BuildOptions {
  /** Schema holding the SSD tables. */
  schema: string;
  /** As-of date YYYY-MM-DD (default: today, decided by the caller). */
  asOf: string;
  /** Rows fetched per round trip when streaming (tuning; default chosen by the builder). */
  batchSize?: number;
  signal?: AbortSignal;
}

/** One problem with a child's payload. Never carries a name, a date of birth or any other value of the child's data. */
export interface PayloadProblem {
  /** JSON Pointer into the payload (e.g. /child_details/unique_pupil_number, /social_care_episodes/0/referral_source). '' for the whole payload. */
  path: string;
  /** Rule id: the JSON Schema keyword (pattern, maxLength, enum, required, …) or a builder rule (factors-unparseable, …). */
  rule: string;
  /** Human text naming the rule and constraint, and the shape of the value (e.g. "12 characters", "not a date"), never the value itself (ids, and a factor item that looks like a code, may be named). */
  message: string;
  /** SSD table.column the value came from, when known. */
  source?: string;
  severity: 'error' | 'warning';
}

/** A child's built payload. `payload` is the object sent to the DfE (key order as the community T-SQL). */
export interface BuiltChild {
  personId: string;
  legacyId: string | null;
  payload: Record<string, unknown>;
  /** Errors make the child invalid (kept out of the send queue); warnings do not. */
  problems: PayloadProblem[];
  /**
   * Set when DfE schema validation was deferred (streamChildPayloads with validate 'deferred'):
   * `problems` then lacks the schema's problems, and this gives the complete list, in the order an
   * eagerly validated child has. Staging calls it unless it can prove the result (issue 17).
   * `payload` is this child's payload or an equal copy: staging passes the payload parsed back from
   * its JSON text, so that it need not keep the payload's objects (the function does not keep them).
   */
  withSchemaValidation?: (payload: Record<string, unknown>) => PayloadProblem[];
}

export type CohortGate = 'A' | 'B';

/** Why a person is not in the cohort. */
export interface CohortExclusion {
  personId: string;
  /** 'missing' when there is no ssd_person row. */
  gate: CohortGate | 'missing';
  reason: string;
}
