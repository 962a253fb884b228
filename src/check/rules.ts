// Every rule of `ssd check`, with its documentation: the one source of truth. docs/check-rules.md
// is generated from this list (src/check/rulesDoc.ts; a unit test keeps it up to date).
//
// Kinds:
// - schema: found by comparing information_schema with the SSD model (src/check/schemaChecks.ts);
// - row: a predicate on one row, counted for every rule of a table in one SELECT (SUM(CASE …));
// - orphan / semi / group: one set-based query each (NOT EXISTS anti-join, EXISTS semi-join, GROUP BY … HAVING);
// - js: values SQL cannot test portably (UPN check letter, JSON, postcodes), streamed once per
//   table as id + the columns needed and tested in JS;
// - cohort: the payload cohort computed in SQL (sql/<dialect>/check_cohort_without_episode.sql).
import { POSTCODE, upnProblem } from '../model/identifiers';
import {
  CARE_LEAVER_ACCOMMODATION,
  CARE_LEAVER_ACTIVITY,
  CHANGE_REASONS,
  CLOSURE_REASONS,
  DISABILITY_CODES,
  END_REASONS,
  ETHNICITY_CODES,
  FLAG_VALUES,
  LIMITS,
  PLACEMENT_TYPES,
  REFERRAL_SOURCES,
  START_REASONS,
  UPN_UNKNOWN_CODES,
} from '../model/dfeCodes';
import { isFactorCode, parseFactors } from '../payload/buildPayload';
import type { RowExpr } from './sqlExpr';
import type { RuleDoc, Severity } from './types';

/** A column a rule reads; `as` says what type it must be for the rule's SQL (default: anything readable as text). */
export interface Need {
  column: string;
  as?: 'text' | 'date' | 'number';
}

interface Base extends RuleDoc {
  /** What `count` counts (default 'rows'). */
  unit?: string;
}

export interface SchemaRule extends Base {
  kind: 'schema';
}
export interface RowRule extends Base {
  kind: 'row';
  needs: Need[];
  when: (x: RowExpr) => string;
}
export interface OrphanRule extends Base {
  kind: 'orphan';
  column: string;
  parent: { table: string; column: string };
  /** Count NULL or blank references too (the row then links to nothing, like an orphan). */
  nullIsOrphan: boolean;
}
export interface GroupRule extends Base {
  kind: 'group';
  needs: Need[];
  /** Columns grouped by; the first is reported as the example id. */
  by: string[];
  having: (x: RowExpr) => string;
  where?: (x: RowExpr) => string;
}
export interface JsRule extends Base {
  kind: 'js';
  needs: Need[];
  /** SQL filter of the rows worth streaming (the test must still be right on any row). */
  prefilter: (x: RowExpr) => string;
  /** True when the row breaks the rule. Values are keyed by model column name. */
  test: (row: Record<string, unknown>) => boolean;
}
/** Rows of the table that meet `when` and have a matching row in another table that meets `exists.when` (a semi-join). */
export interface SemiRule extends Base {
  kind: 'semi';
  needs: Need[];
  when: (x: RowExpr) => string;
  exists: { table: string; on: [string, string]; needs: Need[]; when: (o: RowExpr) => string };
}
export interface CohortRule extends Base {
  kind: 'cohort';
  needs: { table: string; columns: string[] }[];
}

export type Rule = SchemaRule | RowRule | OrphanRule | GroupRule | JsRule | SemiRule | CohortRule;

// ----------------------------------------------------------------------------------------------
// Helpers

const str = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
const trimmed = (v: unknown): string => (str(v) ?? '').trim();

type Doc = Omit<RuleDoc, 'category'> & { category?: RuleDoc['category']; unit?: string };

function row(d: Doc, needs: (string | Need)[], when: (x: RowExpr) => string): RowRule {
  return { category: 'data', ...d, kind: 'row', needs: needs.map((n) => (typeof n === 'string' ? { column: n } : n)), when };
}

function js(d: Doc, needs: (string | Need)[], prefilter: (x: RowExpr) => string, test: (r: Record<string, unknown>) => boolean): JsRule {
  return { category: 'data', ...d, kind: 'js', needs: needs.map((n) => (typeof n === 'string' ? { column: n } : n)), prefilter, test };
}

function group(d: Doc, by: string[], needs: (string | Need)[], having: (x: RowExpr) => string, where?: (x: RowExpr) => string): GroupRule {
  return { category: 'data', ...d, kind: 'group', by, needs: needs.map((n) => (typeof n === 'string' ? { column: n } : n)), having, where };
}

function idPattern(id: string, table: string, column: string, field: string, source: string): RowRule {
  return row(
    {
      id,
      severity: 'error',
      table,
      column,
      source,
      title: `${column} is empty or has characters other than letters, digits, _ and -`,
      what: `Values of ${column} (sent as \`${field}\`) that are empty or contain anything other than A-Z, a-z, 0-9, underscore or hyphen (spaces included).`,
      why: `The DfE schema requires \`${field}\` to match ^[A-Za-z0-9_-]+$. The builder sends ids as they are (contract D4), so the child whose payload holds this id is invalid: staged as Withheld and kept out of the send queue.`,
      fix: `Remove spaces and other characters from ${column} in the SSD extract (or map ids to a clean form) and re-run the SSD build.`,
    },
    [column],
    (x) => `${x.col(column)} IS NOT NULL AND ${x.badId(x.text(column))}`,
  );
}

function idLength(id: string, table: string, column: string, field: string, max: number, source: string): RowRule {
  return row(
    {
      id,
      severity: 'error',
      table,
      column,
      source,
      title: `${column} is longer than ${max} characters`,
      what: `Values of ${column} (sent as \`${field}\`) longer than ${max} characters.`,
      why: `The DfE schema limits \`${field}\` to ${max} characters. The upstream T-SQL silently truncates (two children can then share an id); this builder does not (contract D4), so the child is invalid and not sent.`,
      fix: `Use a shorter id in ${column} (at most ${max} characters), e.g. the CMS's numeric id rather than a composed key.`,
    },
    [column],
    (x) => `${x.len(x.text(column))} > ${x.b.p(max)}`,
  );
}

function duplicateKey(id: string, table: string, columns: string[]): GroupRule {
  const key = columns.join(', ');
  return group(
    {
      id,
      severity: 'error',
      table,
      column: columns[0]!,
      unit: 'key values',
      title: `duplicate primary key (${key})`,
      what: `Values of the primary key (${key}) that occur on more than one row. The count is the number of duplicated key values; the examples are those values.`,
      why: 'Payload items are matched by their id: two rows with one id make the builder pick one arbitrarily or repeat the item, and the DfE receives conflicting records. Staging change detection also depends on unique ids.',
      fix: `Remove the duplicate rows (often a one-to-many join in the SSD extract) or restore the primary key on ${table}.`,
    },
    columns,
    columns,
    () => 'COUNT(*) > 1',
    (x) => `${x.col(columns[0]!)} IS NOT NULL`,
  );
}

function orphan(id: string, table: string, column: string, parentTable: string, parentColumn: string, severity: Severity, consequence: string, nullIsOrphan = true, source?: string): OrphanRule {
  return {
    id,
    severity,
    category: 'data',
    table,
    column,
    kind: 'orphan',
    parent: { table: parentTable, column: parentColumn },
    nullIsOrphan,
    source,
    title: `${column} not found in ${parentTable}.${parentColumn}${nullIsOrphan ? ' (or empty)' : ''}`,
    what: `Rows of ${table} whose ${column} ${nullIsOrphan ? 'is empty or ' : ''}matches no ${parentTable}.${parentColumn}.`,
    why: consequence,
    fix: `Load the missing ${parentTable} rows, correct ${column}, or remove rows that belong to people or records outside the SSD.`,
  };
}

function implausibleDate(id: string, table: string, column: string, field: string, severity: Severity = 'warning'): RowRule {
  return row(
    {
      id,
      severity,
      table,
      column,
      title: `${column} is before 1900 or after the as-of date`,
      what: `Values of ${column} (\`${field}\`) before 1900-01-01 or later than the as-of date.`,
      why: `A date outside that range is a placeholder or a typing error. It is sent to the DfE as \`${field}\` and moves the record in or out of the reporting window (window rules compare it with the window dates).`,
      fix: `Correct ${column} in the case management system, or clear placeholder dates (such as 1753-01-01 or 9999-12-31) in the SSD extract.`,
    },
    [{ column, as: 'date' }],
    (x) => x.implausibleDate(column),
  );
}

function endBeforeStart(id: string, table: string, startCol: string, endCol: string, consequence: string): RowRule {
  return row(
    {
      id,
      severity: 'warning',
      table,
      column: endCol,
      title: `${endCol} is before ${startCol}`,
      what: `Rows whose ${endCol} is earlier than ${startCol}.`,
      why: consequence,
      fix: `Correct the start or end date in the case management system; check the SSD extract does not take them from different records.`,
    },
    [
      { column: startCol, as: 'date' },
      { column: endCol, as: 'date' },
    ],
    (x) => `${x.col(endCol)} < ${x.col(startCol)}`,
  );
}

function missingDate(id: string, table: string, column: string, consequence: string, severity: Severity = 'warning'): RowRule {
  return row(
    {
      id,
      severity,
      table,
      column,
      title: `${column} is empty`,
      what: `Rows with no ${column}.`,
      why: consequence,
      fix: `Record ${column} in the case management system or check the SSD extract's source field for ${column}.`,
    },
    [{ column, as: 'date' }],
    (x) => `${x.col(column)} IS NULL`,
  );
}

const windowNote = 'The builder selects these records by comparing this date with the reporting window, so the record is never sent.';

// ----------------------------------------------------------------------------------------------
// Schema rules (found in src/check/schemaChecks.ts)

const SCHEMA: SchemaRule[] = [
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-001',
    severity: 'error',
    category: 'schema',
    table: '*',
    column: null,
    unit: 'tables',
    title: 'table the payload builder reads is missing',
    what: 'One of the 19 SSD tables the payload builder reads is not in the schema (names compared case-insensitively).',
    why: "The builder cannot run without it: every child's payload needs all 19 tables (an empty table is fine).",
    fix: 'Deploy the table (run the SSD script for it, or `ssd init` to create the missing tables empty) or point --schema at the schema that holds the SSD.',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-002',
    severity: 'error',
    category: 'schema',
    table: '*',
    column: '*',
    unit: 'columns',
    title: 'column the payload builder reads is missing',
    what: 'A column the builder reads (usedByBuilder in the SSD model) is not in its table.',
    why: "The builder's SQL names this column; without it no payload can be built. Older SSD versions lack some columns (e.g. pers_legacy_id before the Mosaic fix, issue #76).",
    fix: 'Upgrade the table to the current SSD definition (drop and re-create it with the SSD script, or ALTER TABLE … ADD the column).',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-003',
    severity: 'warning',
    category: 'schema',
    table: '*',
    column: '*',
    unit: 'columns',
    title: 'column type differs from the SSD model',
    what: "A builder column whose database type is of a different kind from the model's (e.g. a date held as text, a number held as text, a hash held as text).",
    why: "A date held as text is compared as text by the window rules ('01/02/2025' sorts wrongly) and is sent in whatever format it was stored, not YYYY-MM-DD. Data rules that need a date are not run on such a column.",
    fix: 'Change the column to the model type (DATETIME / TIMESTAMP for dates, INT for scores) in the SSD deployment and re-run it.',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-004',
    severity: 'error',
    category: 'schema',
    table: '*',
    column: '*',
    unit: 'columns',
    title: 'staging table lacks a column the senders need',
    what: 'A staging table (ssd_api_data_staging or ssd_api_data_staging_anon) exists but lacks one of the columns of the upstream DDL.',
    why: "The staging writer and the senders (this project's, the community PowerShell and Python ones) read and write every one of these columns; a table from an older release (e.g. the 5-column v1.2.6 layout) breaks them.",
    fix: 'Rename the old table out of the way and let `ssd stage` create the current one, or add the missing columns with the upstream types.',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-005',
    severity: 'info',
    category: 'schema',
    table: '*',
    column: null,
    unit: 'tables',
    title: 'staging table not present yet',
    what: 'A staging table does not exist.',
    why: 'Nothing is wrong: `ssd stage` creates it on first use.',
    fix: 'None needed; run `ssd stage` when you are ready to stage payloads.',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-006',
    severity: 'info',
    category: 'schema',
    table: '*',
    column: '*',
    unit: 'rules',
    title: 'rule not run',
    what: 'A data rule was skipped because a table or column it reads is missing, or a column has a type the rule cannot test (e.g. a date held as text). The finding names the skipped rule.',
    why: 'The data that rule protects was not checked; the schema finding for the same table or column says why.',
    fix: 'Fix the schema finding for that table or column, then run the check again.',
  },
  {
    kind: 'schema',
    id: 'SSD-SCHEMA-007',
    severity: 'info',
    category: 'schema',
    table: '*',
    column: null,
    unit: 'rows',
    title: 'table is empty',
    what: 'A table the builder reads has no rows.',
    why: 'Allowed, but every payload will lack what this table supplies (for example an empty ssd_permanence, a known SystemC defect, means no adoption objects).',
    fix: 'Check that the SSD extract for this table ran and that its source tables were refreshed first.',
  },
];

// ----------------------------------------------------------------------------------------------
// ssd_person

const P = 'ssd_person';
const isUn = (x: RowExpr, c: string) => x.inList(x.ut(c), UPN_UNKNOWN_CODES);

const PERSON: Rule[] = [
  idPattern('SSD-PERS-001', P, 'pers_person_id', 'la_child_id', 'pre-flight #1'),
  row(
    {
      id: 'SSD-PERS-020',
      severity: 'error',
      table: P,
      column: 'pers_person_id',
      title: 'pers_person_id is NULL',
      what: 'Rows of ssd_person with no person id at all (NULL), possible only where the table lacks its primary key. They have no id to quote, so the finding gives their count only.',
      why: 'Nothing joins to a NULL id, so no payload can be built or staged for these people: `ssd stage` counts them, leaves them out and exits 1. A blank id (SSD-PERS-001) is built and staged as Withheld instead.',
      fix: 'Give every row its CMS person id in the SSD extract (a NULL id usually means a join that lost it), then restore the primary key on ssd_person.',
    },
    ['pers_person_id'],
    (x) => `${x.col('pers_person_id')} IS NULL`,
  ),
  idLength('SSD-PERS-002', P, 'pers_person_id', 'la_child_id', LIMITS.laChildId, 'pre-flight #10; contract limit 20'),
  row(
    {
      id: 'SSD-PERS-003',
      severity: 'error',
      table: P,
      column: 'pers_legacy_id',
      source: 'pre-flight #2 (applied to pers_legacy_id)',
      title: 'pers_legacy_id has characters other than letters, digits, _ and -',
      what: 'Non-blank values of pers_legacy_id (trimmed, sent as `mis_child_id`) containing anything other than A-Z, a-z, 0-9, underscore or hyphen.',
      why: 'The DfE schema requires `mis_child_id` to match ^[A-Za-z0-9_-]+$. The upstream pre-flight view checks pers_single_unique_id instead, but the payload uses pers_legacy_id, so its check never sees this.',
      fix: 'Clean pers_legacy_id in the SSD extract (DIM_PERSON.LEGACY_ID in SystemC), or leave it NULL where the CMS has no legacy id.',
    },
    ['pers_legacy_id'],
    (x) => `${x.present('pers_legacy_id')} AND ${x.badId(x.tt('pers_legacy_id'))}`,
  ),
  row(
    {
      id: 'SSD-PERS-004',
      severity: 'error',
      table: P,
      column: 'pers_legacy_id',
      source: 'pre-flight #11 (applied to pers_legacy_id)',
      title: `pers_legacy_id is longer than ${LIMITS.misChildId} characters`,
      what: `Values of pers_legacy_id longer than ${LIMITS.misChildId} characters after trimming.`,
      why: `The DfE schema limits \`mis_child_id\` to ${LIMITS.misChildId} characters; upstream truncates silently, this builder marks the child invalid (contract D4).`,
      fix: `Shorten the legacy id in the SSD extract or leave it NULL.`,
    },
    ['pers_legacy_id'],
    (x) => `${x.present('pers_legacy_id')} AND ${x.len(x.tt('pers_legacy_id'))} > ${x.b.p(LIMITS.misChildId)}`,
  ),
  {
    ...duplicateKey('SSD-PERS-005', P, ['pers_person_id']),
    why: "Possible only where ssd_person lacks its primary key. Every row of the other tables joins to each of the person's rows, so the data of two records would be mixed in one payload: `ssd payload` and `ssd stage` build that child from one of the rows (the same one), mark it invalid (rule person-id-duplicate) and stage it as Withheld, kept out of every send queue, until there is one row per person.",
  },
  js(
    {
      id: 'SSD-PERS-006',
      severity: 'error',
      table: P,
      column: 'pers_upn',
      source: 'pre-flight #28; contract: 13-character UPN',
      title: 'pers_upn is not 13 letters or digits',
      what: 'Non-blank values of pers_upn that are not exactly 13 letters or digits as stored (spaces count), other than UN1–UN10 (see SSD-PERS-008).',
      why: 'The builder sends pers_upn as stored as `unique_pupil_number`; the DfE schema requires 13 letters or digits, so the child is invalid.',
      fix: 'Trim and correct the UPN in the SSD extract (SystemC applies LEFT(LTRIM(RTRIM(UPN)),13)); move "not known" markers to pers_upn_unknown.',
    },
    ['pers_upn'],
    (x) => `${x.col('pers_upn')} IS NOT NULL`,
    (r) => {
      const v = str(r.pers_upn);
      if (v === null || v.trim() === '' || UPN_UNKNOWN_CODES.includes(v.trim().toUpperCase())) return false;
      return !/^[A-Za-z0-9]{13}$/.test(v);
    },
  ),
  js(
    {
      id: 'SSD-PERS-007',
      severity: 'warning',
      table: P,
      column: 'pers_upn',
      title: 'pers_upn fails the DfE UPN format or check letter',
      what: 'Values of pers_upn that are 13 letters or digits but are not a DfE UPN: a check letter, 11 digits and a digit or letter, with the check letter computed by the DfE algorithm (weights 2–13, modulo 23).',
      why: 'The payload accepts it, but the DfE cannot match the child to school census records with a wrong UPN; it usually means a typing error or a number that is not a UPN.',
      fix: "Correct the UPN from the school or the DfE's records; if it is unknown, clear it and record the reason in pers_upn_unknown.",
    },
    ['pers_upn'],
    (x) => `${x.col('pers_upn')} IS NOT NULL`,
    (r) => {
      const v = str(r.pers_upn);
      if (v === null || !/^[A-Za-z0-9]{13}$/.test(v)) return false;
      return upnProblem(v) !== null;
    },
  ),
  row(
    {
      id: 'SSD-PERS-008',
      severity: 'warning',
      table: P,
      column: 'pers_upn',
      title: 'pers_upn holds an UN1–UN10 reason code',
      what: 'Rows whose pers_upn holds an unknown-reason code (UN1…UN10) instead of a UPN.',
      why: 'The builder sends the code both as `unique_pupil_number` (which it is not) and as `unique_pupil_number_unknown_reason`.',
      fix: 'Move the code to pers_upn_unknown and leave pers_upn NULL in the SSD extract.',
    },
    ['pers_upn'],
    (x) => isUn(x, 'pers_upn'),
  ),
  row(
    {
      id: 'SSD-PERS-009',
      severity: 'error',
      table: P,
      column: 'pers_upn_unknown',
      source: 'pre-flight #25',
      title: 'pers_upn_unknown is not UN1–UN10',
      what: 'Non-blank values of pers_upn_unknown (trimmed) that are not one of UN1…UN10.',
      why: 'The builder sends LEFT(TRIM(pers_upn_unknown), 4) as `unique_pupil_number_unknown_reason`, which the DfE schema restricts to UN1–UN10; descriptions such as "Not known" make the child invalid.',
      fix: 'Map the CMS value to the DfE code (UN1 … UN10) in the SSD extract.',
    },
    ['pers_upn_unknown'],
    (x) => `${x.present('pers_upn_unknown')} AND ${x.notInList(x.left(x.ut('pers_upn_unknown'), 4), UPN_UNKNOWN_CODES)}`,
  ),
  row(
    {
      id: 'SSD-PERS-010',
      severity: 'warning',
      table: P,
      column: 'pers_upn_unknown',
      title: 'both a UPN and a UPN-unknown reason',
      what: 'Rows with a UPN (not an UN code) in pers_upn and a reason in pers_upn_unknown.',
      why: 'The payload then says both "this is the UPN" and "the UPN is not known"; the DfE expects one or the other.',
      fix: 'Clear whichever is out of date in the CMS.',
    },
    ['pers_upn', 'pers_upn_unknown'],
    (x) => `${x.present('pers_upn')} AND NOT ${isUn(x, 'pers_upn')} AND ${x.present('pers_upn_unknown')}`,
  ),
  row(
    {
      id: 'SSD-PERS-011',
      severity: 'warning',
      table: P,
      column: 'pers_upn',
      title: 'neither a UPN nor a UPN-unknown reason',
      what: 'Rows where pers_upn and pers_upn_unknown are both empty.',
      why: 'The DfE expects either a UPN or the reason it is unknown (UN1–UN10); the payload will carry neither.',
      fix: 'Record the UPN, or the reason it is not known, in the CMS.',
    },
    ['pers_upn', 'pers_upn_unknown'],
    (x) => `${x.blank('pers_upn')} AND ${x.blank('pers_upn_unknown')}`,
  ),
  row(
    {
      id: 'SSD-PERS-012',
      severity: 'warning',
      table: P,
      column: 'pers_sex',
      title: 'pers_sex is not M, F or U (sent as U)',
      what: 'Non-blank values of pers_sex other than exactly M, F or U (e.g. descriptions such as "Male", or lower case "m").',
      why: 'The builder sends `sex` = pers_sex when it is M or F and U otherwise, so "Male" or "m" silently becomes U (unknown).',
      fix: 'Map the CMS value to M / F (U when not known) in the SSD extract.',
    },
    ['pers_sex'],
    (x) => `${x.present('pers_sex')} AND ${x.notInList(x.text('pers_sex'), ['M', 'F', 'U'])}`,
  ),
  row(
    {
      id: 'SSD-PERS-013',
      severity: 'warning',
      table: P,
      column: 'pers_ethnicity',
      title: 'pers_ethnicity is not a DfE ethnicity code',
      what: 'Non-blank values of pers_ethnicity whose first 4 characters (trimmed) are not a DfE ethnicity code (WBRI, WIRI, …, REFU, NOBT).',
      why: 'The builder sends LEFT(TRIM(pers_ethnicity), 4) as `ethnicity`: a description such as "White British" becomes "Whit".',
      fix: 'Take the code from the DfE NAT_ID lookup in the SSD extract (SSD issues #69/#28).',
    },
    ['pers_ethnicity'],
    (x) => `${x.present('pers_ethnicity')} AND ${x.notInList(x.left(x.tt('pers_ethnicity'), 4), ETHNICITY_CODES)}`,
  ),
  row(
    {
      id: 'SSD-PERS-014',
      severity: 'error',
      table: P,
      column: 'pers_dob',
      title: 'pers_dob is after the as-of date',
      what: 'Dates of birth later than the as-of date.',
      why: 'A child with a date of birth after the window end (as-of + 1 day) fails the age gate and gets no payload at all; a future date of birth is always a recording error (unborn children use pers_expected_dob).',
      fix: 'Correct the date of birth, or move it to pers_expected_dob for an unborn child.',
    },
    [{ column: 'pers_dob', as: 'date' }],
    (x) => x.afterAsOf('pers_dob'),
  ),
  row(
    {
      id: 'SSD-PERS-015',
      severity: 'warning',
      table: P,
      column: 'pers_dob',
      title: 'pers_dob is before 1900',
      what: 'Dates of birth before 1900-01-01.',
      why: 'Such a person fails the age gate (25 or under in the window) and is never sent; it is usually a placeholder date.',
      fix: 'Correct the date of birth in the CMS or clear placeholder values in the SSD extract.',
    },
    [{ column: 'pers_dob', as: 'date' }],
    (x) => x.before1900('pers_dob'),
  ),
  row(
    {
      id: 'SSD-PERS-016',
      severity: 'warning',
      table: P,
      column: 'pers_dob',
      title: 'neither a date of birth nor an expected date of birth',
      what: 'Rows where pers_dob and pers_expected_dob are both empty.',
      why: 'The age gate needs one of them, so this person can never be in the payload cohort.',
      fix: 'Record the date of birth (or expected date of birth for an unborn child) in the CMS.',
    },
    [
      { column: 'pers_dob', as: 'date' },
      { column: 'pers_expected_dob', as: 'date' },
    ],
    (x) => `${x.col('pers_dob')} IS NULL AND ${x.col('pers_expected_dob')} IS NULL`,
  ),
  row(
    {
      id: 'SSD-PERS-017',
      severity: 'warning',
      table: P,
      column: 'pers_expected_dob',
      title: 'pers_expected_dob is before 1900 or more than a year after the as-of date',
      what: 'Expected dates of birth before 1900-01-01 or more than 366 days after the as-of date.',
      why: 'An unborn child is in the cohort only when the expected date of birth falls inside the window; such dates are recording errors and keep the child out.',
      fix: 'Correct the expected date of birth in the CMS.',
    },
    [{ column: 'pers_expected_dob', as: 'date' }],
    (x) => `(${x.before1900('pers_expected_dob')} OR ${x.afterAsOfPlus('pers_expected_dob', x.bounds.yearAfterAsOf)})`,
  ),
  row(
    {
      id: 'SSD-PERS-018',
      severity: 'warning',
      table: P,
      column: 'pers_forename',
      source: 'Appendix A: names max 128',
      title: `pers_forename is longer than ${LIMITS.names} characters`,
      what: `Forenames longer than ${LIMITS.names} characters.`,
      why: `The DfE limits \`first_name\` to ${LIMITS.names} characters; a longer value makes the payload invalid.`,
      fix: 'Correct the name in the CMS (often several names or notes joined into one field).',
    },
    ['pers_forename'],
    (x) => `${x.len(x.text('pers_forename'))} > ${x.b.p(LIMITS.names)}`,
  ),
  row(
    {
      id: 'SSD-PERS-019',
      severity: 'warning',
      table: P,
      column: 'pers_surname',
      source: 'Appendix A: names max 128',
      title: `pers_surname is longer than ${LIMITS.names} characters`,
      what: `Surnames longer than ${LIMITS.names} characters.`,
      why: `The DfE limits \`surname\` to ${LIMITS.names} characters; a longer value makes the payload invalid.`,
      fix: 'Correct the name in the CMS.',
    },
    ['pers_surname'],
    (x) => `${x.len(x.text('pers_surname'))} > ${x.b.p(LIMITS.names)}`,
  ),
];

// ----------------------------------------------------------------------------------------------
// Person-level tables

const personOrphan = (id: string, table: string, column: string, what: string) =>
  orphan(
    id,
    table,
    column,
    P,
    'pers_person_id',
    'warning',
    `The builder reads ${what} by person id, so these rows belong to nobody in ssd_person and are never sent; often they are people the SSD cohort filter removed (harmless) or ids in a different format (not harmless).`,
  );

const postcodeBad = (v: unknown): boolean => {
  const s = str(v);
  if (s === null || s.trim() === '') return false;
  return !POSTCODE.test(s.trim().toUpperCase().replace(/\s+/g, ' '));
};

const A = 'ssd_address';
const ADDRESS: Rule[] = [
  duplicateKey('SSD-ADDR-001', A, ['addr_table_id']),
  personOrphan('SSD-ADDR-002', A, 'addr_person_id', 'addresses'),
  row(
    {
      id: 'SSD-ADDR-003',
      severity: 'error',
      table: A,
      column: 'addr_address_postcode',
      source: 'Appendix A: postcode up to 8 characters',
      title: `addr_address_postcode is longer than ${LIMITS.postcode} characters`,
      what: `Postcodes longer than ${LIMITS.postcode} characters as stored (the builder does not trim them).`,
      why: `The latest address's postcode is sent as \`child_details.postcode\`, limited to ${LIMITS.postcode} characters by the DfE schema; a longer one makes the child invalid.`,
      fix: 'Store the postcode alone (no address text, no padding) in the SSD extract.',
    },
    ['addr_address_postcode'],
    (x) => `${x.len(x.text('addr_address_postcode'))} > ${x.b.p(LIMITS.postcode)}`,
  ),
  js(
    {
      id: 'SSD-ADDR-004',
      severity: 'warning',
      table: A,
      column: 'addr_address_postcode',
      title: 'addr_address_postcode is not a UK postcode',
      what: 'Non-blank postcodes that do not have the shape of a UK postcode (e.g. SW1A 1AA, M1 1AE), after trimming and upper-casing.',
      why: 'The DfE expects a postcode format; values such as "NFA", "UNKNOWN" or partial postcodes are sent as they are and are useless to the receiver.',
      fix: 'Correct the postcode in the CMS, or blank placeholder values in the SSD extract (SystemC already blanks all-X and "nopostcode").',
    },
    ['addr_address_postcode'],
    (x) => `${x.col('addr_address_postcode')} IS NOT NULL`,
    (r) => postcodeBad(r.addr_address_postcode),
  ),
  implausibleDate('SSD-ADDR-005', A, 'addr_address_start_date', 'postcode (latest address)'),
];

const D = 'ssd_disability';
const disaCode = (x: RowExpr) => x.left(`UPPER(${x.tt('disa_disability_code')})`, 4);
const DISABILITY: Rule[] = [
  duplicateKey('SSD-DISA-001', D, ['disa_table_id']),
  personOrphan('SSD-DISA-002', D, 'disa_person_id', 'disability codes'),
  row(
    {
      id: 'SSD-DISA-003',
      severity: 'error',
      table: D,
      column: 'disa_disability_code',
      source: 'contract: disability code list',
      title: 'disa_disability_code is not a DfE disability code',
      what: 'Non-blank codes whose first 4 characters (trimmed, upper-cased) are not one of NONE, MOB, HAND, PC, INC, COMM, LD, HEAR, VIS, BEH, CON, AUT, DDA.',
      why: 'The builder sends LEFT(UPPER(TRIM(code)), 4) in `disabilities`; the DfE schema allows only the listed codes, so the child is invalid.',
      fix: 'Take the code from the DfE NAT_ID lookup in the SSD extract rather than the description.',
    },
    ['disa_disability_code'],
    (x) => `${x.present('disa_disability_code')} AND ${x.notInList(disaCode(x), DISABILITY_CODES)}`,
  ),
  group(
    {
      id: 'SSD-DISA-004',
      severity: 'warning',
      table: D,
      column: 'disa_person_id',
      unit: 'people',
      source: 'Appendix A: max 12 codes',
      title: `more than ${LIMITS.disabilities} distinct disability codes for one person`,
      what: `People with more than ${LIMITS.disabilities} distinct (trimmed, upper-cased) disability codes. Examples are person ids.`,
      why: `The builder keeps the first ${LIMITS.disabilities} alphabetically and drops the rest without a word.`,
      fix: 'Check for duplicated or historic codes in the SSD extract.',
    },
    ['disa_person_id'],
    ['disa_person_id', 'disa_disability_code'],
    (x) => `COUNT(DISTINCT ${disaCode(x)}) > ${x.b.p(LIMITS.disabilities)}`,
    (x) => `${x.col('disa_person_id')} IS NOT NULL AND ${x.present('disa_disability_code')}`,
  ),
  group(
    {
      id: 'SSD-DISA-005',
      severity: 'warning',
      table: D,
      column: 'disa_disability_code',
      unit: 'people',
      title: 'NONE recorded alongside real disability codes',
      what: 'People with a NONE code and at least one other disability code. Examples are person ids.',
      why: 'The payload then says "no disability" and lists disabilities at the same time.',
      fix: 'Remove the out-of-date NONE record (or the other codes) in the CMS.',
    },
    ['disa_person_id'],
    ['disa_person_id', 'disa_disability_code'],
    (x) => `SUM(CASE WHEN ${disaCode(x)} = ${x.b.p('NONE')} THEN 1 ELSE 0 END) > 0 AND SUM(CASE WHEN ${disaCode(x)} <> ${x.b.p('NONE')} THEN 1 ELSE 0 END) > 0`,
    (x) => `${x.col('disa_person_id')} IS NOT NULL AND ${x.present('disa_disability_code')}`,
  ),
];

const I = 'ssd_immigration_status';
const IMMIGRATION: Rule[] = [
  duplicateKey('SSD-IMMI-001', I, ['immi_immigration_status_id']),
  personOrphan('SSD-IMMI-002', I, 'immi_person_id', 'immigration statuses'),
  row(
    {
      id: 'SSD-IMMI-003',
      severity: 'warning',
      table: I,
      column: 'immi_immigration_status',
      title: 'UASC status recorded as a description, not the code U',
      what: 'Statuses that mention UASC or "unaccompanied" (any case) but are not exactly the code U.',
      why: "The current community T-SQL sets `uasc_flag` only for the exact code U, so it reports these children as not UASC. This project's builder recognises them (contract D2), but other tools reading the SSD will not.",
      fix: 'Store the code U for unaccompanied asylum-seeking children in the SSD extract (SystemC stores DIM_LOOKUP_IMMGR_STATUS_DESC).',
    },
    ['immi_immigration_status'],
    (x) =>
      `${x.ut('immi_immigration_status')} <> ${x.b.p('U')} AND (${x.ut('immi_immigration_status')} LIKE ${x.b.p('%UASC%')} OR ${x.ut('immi_immigration_status')} LIKE ${x.b.p('%UNACCOMPANIED%')})`,
  ),
  endBeforeStart(
    'SSD-IMMI-004',
    I,
    'immi_immigration_status_start_date',
    'immi_immigration_status_end_date',
    'The end date is sent as `uasc_end_date` and decides whether a historic UASC status still counts in the window; an end before the start is a recording error.',
  ),
  implausibleDate('SSD-IMMI-005', I, 'immi_immigration_status_start_date', 'uasc_flag (choice of status)'),
];

const L = 'ssd_linked_identifiers';
const isFormerUpn = (x: RowExpr) => `${x.ut('link_identifier_type')} = ${x.b.p('FORMER UNIQUE PUPIL NUMBER')}`;
const LINKED: Rule[] = [
  duplicateKey('SSD-LINK-001', L, ['link_table_id']),
  personOrphan('SSD-LINK-002', L, 'link_person_id', 'linked identifiers'),
  row(
    {
      id: 'SSD-LINK-003',
      severity: 'warning',
      table: L,
      column: 'link_identifier_value',
      title: 'former UPN is not 13 characters',
      what: "Rows of type 'Former Unique Pupil Number' whose value is not 13 characters long.",
      why: 'The builder uses the latest former UPN only when it is 13 characters; otherwise `former_unique_pupil_number` is left out, and an older valid value is not used instead.',
      fix: 'Correct the former UPN in the CMS or remove placeholder rows.',
    },
    ['link_identifier_type', 'link_identifier_value'],
    (x) => `${isFormerUpn(x)} AND (${x.col('link_identifier_value')} IS NULL OR ${x.len(x.tt('link_identifier_value'))} <> ${x.b.p(13)})`,
  ),
  js(
    {
      id: 'SSD-LINK-004',
      severity: 'warning',
      table: L,
      column: 'link_identifier_value',
      title: 'former UPN fails the DfE UPN format or check letter',
      what: 'Former UPNs of 13 characters that are not a DfE UPN (format or check letter).',
      why: 'It is sent as `former_unique_pupil_number`; a wrong UPN cannot be matched by the DfE.',
      fix: 'Correct the former UPN in the CMS.',
    },
    ['link_identifier_type', 'link_identifier_value'],
    (x) => `${isFormerUpn(x)} AND ${x.col('link_identifier_value')} IS NOT NULL`,
    (r) => {
      if (trimmed(r.link_identifier_type).toUpperCase() !== 'FORMER UNIQUE PUPIL NUMBER') return false;
      const v = trimmed(r.link_identifier_value);
      return v.length === 13 && upnProblem(v) !== null;
    },
  ),
  row(
    {
      id: 'SSD-LINK-005',
      severity: 'warning',
      table: L,
      column: 'link_valid_from_date',
      title: 'former UPN without a valid-from date',
      what: "Rows of type 'Former Unique Pupil Number' with no link_valid_from_date.",
      why: 'The builder picks the latest former UPN by this date; without it the choice between several is arbitrary.',
      fix: 'Record the date the identifier became valid in the SSD extract.',
    },
    ['link_identifier_type', { column: 'link_valid_from_date', as: 'date' }],
    (x) => `${isFormerUpn(x)} AND ${x.col('link_valid_from_date')} IS NULL`,
  ),
];

// ----------------------------------------------------------------------------------------------
// CIN episodes and what hangs off them

const E = 'ssd_cin_episodes';
const episodeOrphan = (id: string, table: string, column: string, field: string) =>
  orphan(
    id,
    table,
    column,
    E,
    'cine_referral_id',
    'error',
    `${field} are nested under the social care episode whose cine_referral_id they carry; with no matching episode they are silently missing from every payload.`,
  );

const EPISODES: Rule[] = [
  idPattern('SSD-CINE-001', E, 'cine_referral_id', 'social_care_episode_id', 'pre-flight #3'),
  idLength('SSD-CINE-002', E, 'cine_referral_id', 'social_care_episode_id', LIMITS.entityId, 'pre-flight #12'),
  duplicateKey('SSD-CINE-003', E, ['cine_referral_id']),
  orphan(
    'SSD-CINE-004',
    E,
    'cine_person_id',
    P,
    'pers_person_id',
    'error',
    'Episodes are attached to the child by cine_person_id; an episode whose person is not in ssd_person is never sent, and the child it belongs to looks as if they had no referral.',
  ),
  missingDate(
    'SSD-CINE-005',
    E,
    'cine_referral_date',
    `The episode is selected when cine_referral_date <= window end, never when it is empty: the episode (and everything nested under it) is not sent. ${windowNote}`,
    'error',
  ),
  implausibleDate('SSD-CINE-006', E, 'cine_referral_date', 'referral_date'),
  endBeforeStart(
    'SSD-CINE-007',
    E,
    'cine_referral_date',
    'cine_close_date',
    'The episode is sent with a closure before its referral; the DfE treats it as an error and the window test may include or exclude it wrongly.',
  ),
  implausibleDate('SSD-CINE-008', E, 'cine_close_date', 'closure_date'),
  row(
    {
      id: 'SSD-CINE-009',
      severity: 'warning',
      table: E,
      column: 'cine_referral_source_code',
      source: 'pre-flight #19',
      title: `cine_referral_source_code is longer than ${LIMITS.referralSource} characters`,
      what: `Referral sources longer than ${LIMITS.referralSource} characters after trimming (e.g. "2A - Schools").`,
      why: 'The builder only gets a code from these through its interim SystemC coercion (first 1–2 characters); the upstream pre-flight view flags them.',
      fix: 'Store the CIN census code (1A … 10) rather than code plus description in the SSD extract.',
    },
    ['cine_referral_source_code'],
    (x) => `${x.len(x.tt('cine_referral_source_code'))} > ${x.b.p(LIMITS.referralSource)}`,
  ),
  row(
    {
      id: 'SSD-CINE-010',
      severity: 'error',
      table: E,
      column: 'cine_referral_source_code',
      source: 'contract: referral source code list',
      title: 'cine_referral_source_code gives a code outside the DfE list',
      what: "Referral sources that the builder's coercion turns into a code that is not in the DfE list (e.g. 2C, 1a).",
      why: 'The DfE schema restricts `referral_source` to 1A–1F, 2A–2B, 3A–3F, 4, 5A–5D, 6–9 and 10, so the child is invalid.',
      fix: 'Map the CMS value to the CIN census referral source code in the SSD extract.',
    },
    ['cine_referral_source_code'],
    (x) => `${x.coercedReferralSource('cine_referral_source_code')} IS NOT NULL AND ${x.notInList(x.coercedReferralSource('cine_referral_source_code'), REFERRAL_SOURCES)}`,
  ),
  row(
    {
      id: 'SSD-CINE-011',
      severity: 'warning',
      table: E,
      column: 'cine_referral_source_code',
      title: 'cine_referral_source_code cannot be read as a referral source (left out)',
      what: 'Non-blank referral sources that the builder\'s coercion cannot turn into any code (e.g. "Police", "X").',
      why: 'The builder leaves `referral_source` out of the episode, so the DfE gets no referral source.',
      fix: 'Map the CMS value to the CIN census referral source code in the SSD extract.',
    },
    ['cine_referral_source_code'],
    (x) => `${x.present('cine_referral_source_code')} AND ${x.coercedReferralSource('cine_referral_source_code')} IS NULL`,
  ),
  row(
    {
      id: 'SSD-CINE-012',
      severity: 'warning',
      table: E,
      column: 'cine_close_reason',
      title: 'cine_close_reason is not a CIN census reason for closure (RC1–RC9)',
      what: 'Non-blank closure reasons whose first 3 characters (trimmed) are not RC1…RC9.',
      why: 'The builder sends LEFT(TRIM(reason), 3) as `closure_reason`: a description ("Case closed") becomes "Cas".',
      fix: 'Store the RC code in the SSD extract.',
    },
    ['cine_close_reason'],
    (x) => `${x.present('cine_close_reason')} AND ${x.notInList(x.left(x.tt('cine_close_reason'), 3), CLOSURE_REASONS)}`,
  ),
  row(
    {
      id: 'SSD-CINE-013',
      severity: 'warning',
      table: E,
      column: 'cine_close_reason',
      title: 'closed episode without a closure reason',
      what: 'Episodes with a cine_close_date but no cine_close_reason.',
      why: 'The DfE expects a reason for every closed episode; the payload will have a `closure_date` and no `closure_reason`.',
      fix: 'Record the closure reason in the CMS.',
    },
    [{ column: 'cine_close_date', as: 'date' }, 'cine_close_reason'],
    (x) => `${x.col('cine_close_date')} IS NOT NULL AND ${x.blank('cine_close_reason')}`,
  ),
  row(
    {
      id: 'SSD-CINE-014',
      severity: 'warning',
      table: E,
      column: 'cine_close_date',
      title: 'closure reason without a closure date',
      what: 'Episodes with a cine_close_reason but no cine_close_date.',
      why: 'The episode counts as open: it stays in every window and admits the child to the cohort, with a closure reason that contradicts it.',
      fix: 'Record the closure date in the CMS, or clear the reason if the episode is still open.',
    },
    [{ column: 'cine_close_date', as: 'date' }, 'cine_close_reason'],
    (x) => `${x.col('cine_close_date')} IS NULL AND ${x.present('cine_close_reason')}`,
  ),
  row(
    {
      id: 'SSD-CINE-015',
      severity: 'warning',
      table: E,
      column: 'cine_referral_nfa',
      title: 'cine_referral_nfa is not a yes/no flag',
      what: 'Non-blank NFA flags that are not Y, N, T, F, 1, 0, TRUE or FALSE (any case, trimmed).',
      why: 'The builder cannot read them as a boolean and leaves `referral_no_further_action_flag` out (issue #29).',
      fix: 'Normalise the flag to Y/N in the SSD extract.',
    },
    ['cine_referral_nfa'],
    (x) => `${x.present('cine_referral_nfa')} AND ${x.notInList(x.ut('cine_referral_nfa'), FLAG_VALUES)}`,
  ),
];

const CA = 'ssd_cin_assessments';
const ASSESSMENTS: Rule[] = [
  idPattern('SSD-CINA-001', CA, 'cina_assessment_id', 'child_and_family_assessment_id', 'pre-flight #5'),
  idLength('SSD-CINA-002', CA, 'cina_assessment_id', 'child_and_family_assessment_id', LIMITS.entityId, 'pre-flight #14'),
  duplicateKey('SSD-CINA-003', CA, ['cina_assessment_id']),
  episodeOrphan('SSD-CINA-004', CA, 'cina_referral_id', 'Assessments'),
  row(
    {
      id: 'SSD-CINA-005',
      severity: 'warning',
      table: CA,
      column: 'cina_assessment_start_date',
      title: 'assessment with neither a start nor an authorisation date',
      what: 'Assessments where cina_assessment_start_date and cina_assessment_auth_date are both empty.',
      why: `An assessment is sent when its start or authorisation date is in the window; with neither it never is. It also keeps an open episode "waiting for assessment" in the cohort.`,
      fix: 'Record the assessment dates in the CMS, or exclude draft assessments in the SSD extract.',
    },
    [
      { column: 'cina_assessment_start_date', as: 'date' },
      { column: 'cina_assessment_auth_date', as: 'date' },
    ],
    (x) => `${x.col('cina_assessment_start_date')} IS NULL AND ${x.col('cina_assessment_auth_date')} IS NULL`,
  ),
  endBeforeStart(
    'SSD-CINA-006',
    CA,
    'cina_assessment_start_date',
    'cina_assessment_auth_date',
    'Sent as `start_date` and `authorisation_date`; an authorisation before the start is a recording error the DfE will query.',
  ),
  implausibleDate('SSD-CINA-007', CA, 'cina_assessment_start_date', 'start_date'),
  implausibleDate('SSD-CINA-008', CA, 'cina_assessment_auth_date', 'authorisation_date'),
];

const F = 'ssd_assessment_factors';
const FACTORS: Rule[] = [
  duplicateKey('SSD-CINF-001', F, ['cinf_table_id', 'cinf_assessment_id']),
  orphan(
    'SSD-CINF-002',
    F,
    'cinf_assessment_id',
    CA,
    'cina_assessment_id',
    'warning',
    'Factors are attached to assessments by cinf_assessment_id; these are never sent. In SystemC the factors table is built system-wide, so some are expected (assessments of people outside the SSD).',
  ),
  js(
    {
      id: 'SSD-CINF-003',
      severity: 'error',
      table: F,
      column: 'cinf_assessment_factors_json',
      source: 'contract D5',
      title: 'assessment factors in no shape the builder can read',
      what: 'Values of cinf_assessment_factors_json that are not a JSON array of text codes, a JSON object keyed by code, or a comma-separated list (NULL, blank and "null" mean no factors and are fine): invalid JSON, or JSON items that are not text.',
      why: 'Upstream, malformed JSON stops the whole build for everyone (§2.5); this builder marks the child invalid instead (contract D5), so the child is not sent until it is fixed.',
      fix: 'Rebuild the factors with the current SSD script (a keys-only JSON array such as ["1A","2B"], SSD v1.3.9).',
    },
    ['cinf_assessment_factors_json'],
    (x) => `${x.col('cinf_assessment_factors_json')} IS NOT NULL`,
    (r) => !parseFactors(r.cinf_assessment_factors_json).ok,
  ),
  js(
    {
      id: 'SSD-CINF-004',
      severity: 'error',
      table: F,
      column: 'cinf_assessment_factors_json',
      source: 'Appendix A: max 41 factors',
      title: `more than ${LIMITS.factors} factors in one value`,
      what: `Values holding more than ${LIMITS.factors} distinct factor codes.`,
      why: `The DfE rejects more than ${LIMITS.factors} factors ("malformed payload" at 42), so the child is invalid.`,
      fix: 'Check the SSD extract does not collect every answer (including "No") as a factor.',
    },
    ['cinf_assessment_factors_json'],
    (x) => `${x.col('cinf_assessment_factors_json')} IS NOT NULL`,
    (r) => {
      const p = parseFactors(r.cinf_assessment_factors_json);
      return p.ok && p.codes.length > LIMITS.factors;
    },
  ),
  js(
    {
      id: 'SSD-CINF-005',
      severity: 'error',
      table: F,
      column: 'cinf_assessment_factors_json',
      source: 'contract amendment 2026-12-05',
      title: 'factor item that is not a CIN census factor code',
      what: 'Readable values containing an item (in any of the three shapes) that, trimmed and upper-cased, is not a CIN census assessment factor code (1A … 24A, e.g. 1C, 21, 24A). Lower-case codes are fine: the builder upper-cases them.',
      why: 'The builder checks every factor item against the CIN census list and makes the child invalid for an item that is not a code, so the child is not sent until it is fixed; descriptions or question ids are meaningless to the DfE.',
      fix: 'Take the factor code (not the question text or id) in the SSD extract.',
    },
    ['cinf_assessment_factors_json'],
    (x) => `${x.col('cinf_assessment_factors_json')} IS NOT NULL`,
    (r) => {
      const p = parseFactors(r.cinf_assessment_factors_json);
      return p.ok && p.codes.some((c) => !isFactorCode(c));
    },
  ),
  group(
    {
      id: 'SSD-CINF-006',
      severity: 'warning',
      table: F,
      column: 'cinf_assessment_id',
      unit: 'assessments',
      title: 'more than one factors row for one assessment',
      what: 'Assessment ids with more than one row in ssd_assessment_factors. Examples are assessment ids.',
      why: 'The upstream builder repeats the assessment once per factors row (§2.5 risk a); this builder merges them, but the rows may disagree.',
      fix: 'Aggregate the factors into one row per assessment in the SSD extract.',
    },
    ['cinf_assessment_id'],
    ['cinf_assessment_id'],
    () => 'COUNT(*) > 1',
    (x) => `${x.col('cinf_assessment_id')} IS NOT NULL`,
  ),
];

const CP_ = 'ssd_cin_plans';
const CIN_PLANS: Rule[] = [
  idPattern('SSD-CINP-001', CP_, 'cinp_cin_plan_id', 'child_in_need_plan_id', 'pre-flight #6'),
  idLength('SSD-CINP-002', CP_, 'cinp_cin_plan_id', 'child_in_need_plan_id', LIMITS.entityId, 'pre-flight #15'),
  duplicateKey('SSD-CINP-003', CP_, ['cinp_cin_plan_id']),
  episodeOrphan('SSD-CINP-004', CP_, 'cinp_referral_id', 'CIN plans'),
  endBeforeStart(
    'SSD-CINP-005',
    CP_,
    'cinp_cin_plan_start_date',
    'cinp_cin_plan_end_date',
    'Sent as `start_date`/`end_date`; the window test then treats the plan inconsistently, and it decides whether care workers are sent for the episode.',
  ),
  missingDate('SSD-CINP-006', CP_, 'cinp_cin_plan_start_date', `A CIN plan is sent (and admits the child, and enables care_worker_details) only when its start date is known. ${windowNote}`),
  implausibleDate('SSD-CINP-007', CP_, 'cinp_cin_plan_start_date', 'start_date'),
  implausibleDate('SSD-CINP-008', CP_, 'cinp_cin_plan_end_date', 'end_date'),
];

const S = 'ssd_s47_enquiry';
const S47: Rule[] = [
  idPattern('SSD-S47E-001', S, 's47e_s47_enquiry_id', 'section_47_assessment_id', 'pre-flight #7'),
  idLength('SSD-S47E-002', S, 's47e_s47_enquiry_id', 'section_47_assessment_id', LIMITS.entityId, 'pre-flight #16'),
  duplicateKey('SSD-S47E-003', S, ['s47e_s47_enquiry_id']),
  episodeOrphan('SSD-S47E-004', S, 's47e_referral_id', 'Section 47 enquiries'),
  endBeforeStart('SSD-S47E-005', S, 's47e_s47_start_date', 's47e_s47_end_date', 'Sent as `start_date`/`end_date`; the window test then treats the enquiry inconsistently.'),
  missingDate(
    'SSD-S47E-006',
    S,
    's47e_s47_start_date',
    'The enquiry is sent only when its dates overlap the window (or its ICPC is in the window); without a start date it usually is not, and `start_date` is missing.',
  ),
  implausibleDate('SSD-S47E-007', S, 's47e_s47_start_date', 'start_date'),
  implausibleDate('SSD-S47E-008', S, 's47e_s47_end_date', 'end_date'),
  js(
    {
      id: 'SSD-S47E-009',
      severity: 'warning',
      table: S,
      column: 's47e_s47_outcome_json',
      title: 'S47 outcome JSON unreadable or without a yes/no CP_CONFERENCE_FLAG',
      what: 'Non-blank s47e_s47_outcome_json values that are not a JSON object, or whose CP_CONFERENCE_FLAG is missing or not one of Y/N/T/F/1/0/true/false.',
      why: '`icpc_required_flag` is read from $.CP_CONFERENCE_FLAG; otherwise it is left out (and upstream, invalid JSON makes JSON_VALUE fail).',
      fix: 'Rebuild the outcome JSON with the current SSD script (it escapes text since ssd-data-model 1bb6dcd).',
    },
    ['s47e_s47_outcome_json'],
    (x) => `${x.col('s47e_s47_outcome_json')} IS NOT NULL`,
    (r) => {
      const t = trimmed(r.s47e_s47_outcome_json);
      if (t === '') return false;
      let o: unknown;
      try {
        o = JSON.parse(t);
      } catch {
        return true;
      }
      if (o === null || typeof o !== 'object' || Array.isArray(o)) return true;
      const flag = (o as Record<string, unknown>).CP_CONFERENCE_FLAG;
      if (typeof flag === 'boolean') return false;
      if (typeof flag === 'number') return flag !== 0 && flag !== 1;
      return typeof flag !== 'string' || !FLAG_VALUES.includes(flag.trim().toUpperCase());
    },
  ),
];

const IC = 'ssd_initial_cp_conference';
const ICPC: Rule[] = [
  duplicateKey('SSD-ICPC-001', IC, ['icpc_icpc_id']),
  orphan(
    'SSD-ICPC-002',
    IC,
    'icpc_s47_enquiry_id',
    S,
    's47e_s47_enquiry_id',
    'error',
    'The ICPC date (`icpc_date`) is found through icpc_s47_enquiry_id and also admits its S47 to the payload; an ICPC whose S47 is missing is never used.',
  ),
  missingDate('SSD-ICPC-003', IC, 'icpc_icpc_date', "The latest ICPC date is sent as the S47's `icpc_date` and can bring the S47 into the window; an ICPC without a date does neither."),
  implausibleDate('SSD-ICPC-004', IC, 'icpc_icpc_date', 'icpc_date'),
];

const CPP = 'ssd_cp_plans';
const CP_PLANS: Rule[] = [
  idPattern('SSD-CPPL-001', CPP, 'cppl_cp_plan_id', 'child_protection_plan_id', 'pre-flight #8'),
  idLength('SSD-CPPL-002', CPP, 'cppl_cp_plan_id', 'child_protection_plan_id', LIMITS.entityId, 'pre-flight #17'),
  duplicateKey('SSD-CPPL-003', CPP, ['cppl_cp_plan_id']),
  episodeOrphan('SSD-CPPL-004', CPP, 'cppl_referral_id', 'Child protection plans'),
  orphan(
    'SSD-CPPL-005',
    CPP,
    'cppl_person_id',
    P,
    'pers_person_id',
    'warning',
    'The plan names a person who is not in ssd_person; the plan is reached through its referral, so it may be sent under a different child.',
  ),
  endBeforeStart('SSD-CPPL-006', CPP, 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date', 'Sent as `start_date`/`end_date`; the window test then treats the plan inconsistently.'),
  missingDate('SSD-CPPL-007', CPP, 'cppl_cp_plan_start_date', `A CP plan is sent only when its start date is in or before the window. ${windowNote}`),
  implausibleDate('SSD-CPPL-008', CPP, 'cppl_cp_plan_start_date', 'start_date'),
  implausibleDate('SSD-CPPL-009', CPP, 'cppl_cp_plan_end_date', 'end_date'),
];

const CE = 'ssd_cla_episodes';
const CLA_EPISODES: Rule[] = [
  duplicateKey('SSD-CLAE-001', CE, ['clae_cla_episode_id']),
  orphan('SSD-CLAE-002', CE, 'clae_person_id', P, 'pers_person_id', 'error', "The CLA episode (and through it the child's placements) belongs to nobody in ssd_person, so it is never sent."),
  orphan(
    'SSD-CLAE-003',
    CE,
    'clae_referral_id',
    E,
    'cine_referral_id',
    'error',
    'Placements are nested under the social care episode whose referral id the CLA episode carries (§2.9); without a matching episode they are never sent, even when the placement admitted the child to the cohort.',
  ),
  row(
    {
      id: 'SSD-CLAE-004',
      severity: 'warning',
      table: CE,
      column: 'clae_cla_id',
      title: 'CLA episode without clae_cla_id',
      what: 'CLA episodes whose clae_cla_id is empty.',
      why: 'Placements join to episodes on clae_cla_id; no placement can be reached through this episode.',
      fix: 'Fill clae_cla_id (the period-of-care id) in the SSD extract.',
    },
    ['clae_cla_id'],
    (x) => x.blank('clae_cla_id'),
  ),
  row(
    {
      id: 'SSD-CLAE-005',
      severity: 'warning',
      table: CE,
      column: 'clae_cla_episode_start_reason',
      source: 'pre-flight #20',
      title: `clae_cla_episode_start_reason is longer than ${LIMITS.startReason} character`,
      what: `Start reasons longer than ${LIMITS.startReason} character after trimming.`,
      why: 'The builder sends only the first character as the placement `start_reason`; a description ("S - started to be looked after") survives only by luck.',
      fix: 'Store the SSDA903 reason-for-new-episode code in the SSD extract.',
    },
    ['clae_cla_episode_start_reason'],
    (x) => `${x.len(x.tt('clae_cla_episode_start_reason'))} > ${x.b.p(LIMITS.startReason)}`,
  ),
  row(
    {
      id: 'SSD-CLAE-006',
      severity: 'warning',
      table: CE,
      column: 'clae_cla_episode_start_reason',
      title: 'clae_cla_episode_start_reason is not an SSDA903 reason for new episode',
      what: 'Non-blank start reasons whose first character (trimmed) is not an SSDA903 RNE code (S, L, P, T, U, B, V, E).',
      why: 'That character is sent as `start_reason`.',
      fix: 'Store the SSDA903 code in the SSD extract.',
    },
    ['clae_cla_episode_start_reason'],
    (x) => `${x.present('clae_cla_episode_start_reason')} AND ${x.notInList(x.left(x.tt('clae_cla_episode_start_reason'), 1), START_REASONS)}`,
  ),
  row(
    {
      id: 'SSD-CLAE-007',
      severity: 'warning',
      table: CE,
      column: 'clae_cla_episode_ceased_reason',
      source: 'pre-flight #21',
      title: `clae_cla_episode_ceased_reason is longer than ${LIMITS.endReason} characters`,
      what: `Ceased reasons longer than ${LIMITS.endReason} characters once spaces, tabs and line breaks are removed.`,
      why: 'The builder sends the first 3 characters as the placement `end_reason`, so anything longer is cut.',
      fix: 'Store the SSDA903 reason-episode-ceased code in the SSD extract.',
    },
    ['clae_cla_episode_ceased_reason'],
    (x) => `${x.len(x.stripWs(x.text('clae_cla_episode_ceased_reason')))} > ${x.b.p(LIMITS.endReason)}`,
  ),
  row(
    {
      id: 'SSD-CLAE-008',
      severity: 'warning',
      table: CE,
      column: 'clae_cla_episode_ceased_reason',
      title: 'clae_cla_episode_ceased_reason is not an SSDA903 reason episode ceased',
      what: 'Non-blank ceased reasons whose first 3 characters (whitespace removed) are not an SSDA903 REC code (E11 … E9, X1).',
      why: 'Those characters are sent as `end_reason`.',
      fix: 'Store the SSDA903 code in the SSD extract.',
    },
    ['clae_cla_episode_ceased_reason'],
    (x) => `${x.len(x.stripWs(x.text('clae_cla_episode_ceased_reason')))} > ${x.b.p(0)} AND ${x.notInList(x.left(x.stripWs(x.text('clae_cla_episode_ceased_reason')), 3), END_REASONS)}`,
  ),
  implausibleDate('SSD-CLAE-009', CE, 'clae_cla_episode_start_date', 'CLA episode start (cohort)'),
];

const CL = 'ssd_cla_placement';
const PLACEMENTS: Rule[] = [
  idPattern('SSD-CLAP-001', CL, 'clap_cla_placement_id', 'child_looked_after_placement_id', 'pre-flight #9'),
  idLength('SSD-CLAP-002', CL, 'clap_cla_placement_id', 'child_looked_after_placement_id', LIMITS.entityId, 'pre-flight #18'),
  duplicateKey('SSD-CLAP-003', CL, ['clap_cla_placement_id']),
  orphan(
    'SSD-CLAP-004',
    CL,
    'clap_cla_id',
    CE,
    'clae_cla_id',
    'error',
    "Placements are reached only through a CLA episode with the same cla id (and that episode's referral); these placements are never sent. SystemC builds placements by date window only, so check the episode extract too.",
  ),
  row(
    {
      id: 'SSD-CLAP-005',
      severity: 'error',
      table: CL,
      column: 'clap_cla_placement_type',
      source: 'pre-flight #22; contract limit 2',
      title: `clap_cla_placement_type is longer than ${LIMITS.placementType} characters`,
      what: `Placement types longer than ${LIMITS.placementType} characters after trimming.`,
      why: `The builder sends up to 3 characters as \`placement_type\` and the DfE schema allows ${LIMITS.placementType}, so the child is invalid.`,
      fix: 'Store the SSDA903 placement code (e.g. U1, K2) in the SSD extract.',
    },
    ['clap_cla_placement_type'],
    (x) => `${x.len(x.tt('clap_cla_placement_type'))} > ${x.b.p(LIMITS.placementType)}`,
  ),
  row(
    {
      id: 'SSD-CLAP-006',
      severity: 'warning',
      table: CL,
      column: 'clap_cla_placement_type',
      title: 'clap_cla_placement_type is not an SSDA903 placement type',
      what: 'Non-blank placement types of up to 2 characters (trimmed) that are not an SSDA903 placement code.',
      why: 'The value is sent as `placement_type` and means nothing to the DfE.',
      fix: 'Map the CMS placement type to the SSDA903 code in the SSD extract.',
    },
    ['clap_cla_placement_type'],
    (x) =>
      `${x.present('clap_cla_placement_type')} AND ${x.len(x.tt('clap_cla_placement_type'))} <= ${x.b.p(LIMITS.placementType)} AND ${x.notInList(x.tt('clap_cla_placement_type'), PLACEMENT_TYPES)}`,
  ),
  row(
    {
      id: 'SSD-CLAP-007',
      severity: 'error',
      table: CL,
      column: 'clap_cla_placement_postcode',
      source: 'pre-flight #23',
      title: `clap_cla_placement_postcode is longer than ${LIMITS.postcode} characters`,
      what: `Placement postcodes longer than ${LIMITS.postcode} characters as stored.`,
      why: `Sent as the placement \`postcode\`, limited to ${LIMITS.postcode} characters; the child is invalid.`,
      fix: 'Store the postcode alone in the SSD extract.',
    },
    ['clap_cla_placement_postcode'],
    (x) => `${x.len(x.text('clap_cla_placement_postcode'))} > ${x.b.p(LIMITS.postcode)}`,
  ),
  js(
    {
      id: 'SSD-CLAP-008',
      severity: 'warning',
      table: CL,
      column: 'clap_cla_placement_postcode',
      title: 'clap_cla_placement_postcode is not a UK postcode',
      what: 'Non-blank placement postcodes without the shape of a UK postcode, after trimming and upper-casing.',
      why: 'Sent as the placement `postcode`; partial or placeholder postcodes are useless to the DfE.',
      fix: 'Correct the postcode or blank placeholders in the SSD extract (SystemC blanks postcodes of 4 characters or fewer).',
    },
    ['clap_cla_placement_postcode'],
    (x) => `${x.col('clap_cla_placement_postcode')} IS NOT NULL`,
    (r) => postcodeBad(r.clap_cla_placement_postcode),
  ),
  row(
    {
      id: 'SSD-CLAP-009',
      severity: 'error',
      table: CL,
      column: 'clap_cla_placement_change_reason',
      source: 'pre-flight #24',
      title: `clap_cla_placement_change_reason is longer than ${LIMITS.changeReason} characters`,
      what: `Change reasons longer than ${LIMITS.changeReason} characters as stored (the builder does not trim them).`,
      why: `Sent as \`change_reason\`, limited to ${LIMITS.changeReason} characters by the DfE schema; the child is invalid.`,
      fix: 'Store the SSDA903 reason-for-placement-change code (e.g. CARPL) in the SSD extract.',
    },
    ['clap_cla_placement_change_reason'],
    (x) => `${x.len(x.text('clap_cla_placement_change_reason'))} > ${x.b.p(LIMITS.changeReason)}`,
  ),
  row(
    {
      id: 'SSD-CLAP-010',
      severity: 'warning',
      table: CL,
      column: 'clap_cla_placement_change_reason',
      title: 'clap_cla_placement_change_reason is not an SSDA903 reason for placement change',
      what: `Non-blank change reasons of up to ${LIMITS.changeReason} characters that are not an SSDA903 code (CARPL, CLOSE, ALLEG, STAND, APPRR, CREQB, CREQO, CHILD, LAREQ, PLACE, CUSTOD, OTHER).`,
      why: 'Sent as `change_reason`, where only the SSDA903 codes mean anything.',
      fix: 'Map the CMS value to the SSDA903 code in the SSD extract.',
    },
    ['clap_cla_placement_change_reason'],
    (x) =>
      `${x.present('clap_cla_placement_change_reason')} AND ${x.len(x.text('clap_cla_placement_change_reason'))} <= ${x.b.p(LIMITS.changeReason)} AND ${x.notInList(x.tt('clap_cla_placement_change_reason'), CHANGE_REASONS)}`,
  ),
  endBeforeStart('SSD-CLAP-011', CL, 'clap_cla_placement_start_date', 'clap_cla_placement_end_date', 'The builder drops an end date earlier than the start, so the placement is sent as still open.'),
  missingDate('SSD-CLAP-012', CL, 'clap_cla_placement_start_date', `A placement is sent (and admits the child) only when its start date is known. ${windowNote}`),
  implausibleDate('SSD-CLAP-013', CL, 'clap_cla_placement_start_date', 'start_date'),
  implausibleDate('SSD-CLAP-014', CL, 'clap_cla_placement_end_date', 'end_date'),
];

const PM = 'ssd_permanence';
const permDates = ['perm_adm_decision_date', 'perm_matched_date', 'perm_placed_for_adoption_date'];
const PERMANENCE: Rule[] = [
  duplicateKey('SSD-PERM-001', PM, ['perm_table_id']),
  orphan('SSD-PERM-002', PM, 'perm_cla_id', CE, 'clae_cla_id', 'warning', 'Adoption records are found by person id or by CLA id; a CLA id that matches no CLA episode links nothing.', false),
  orphan(
    'SSD-PERM-003',
    PM,
    'perm_person_id',
    P,
    'pers_person_id',
    'warning',
    'Adoption records found by person id need a person in ssd_person. SystemC fills perm_person_id with the legacy id (a known defect), so most rows fail to link and no `adoption` object is sent.',
  ),
  row(
    {
      id: 'SSD-PERM-004',
      severity: 'warning',
      table: PM,
      column: 'perm_adm_decision_date',
      title: 'permanence row with no adoption dates',
      what: 'Rows where the decision, matched and placed-for-adoption dates are all empty.',
      why: 'The `adoption` object is built only from rows with one of these dates in the window; this row is never sent.',
      fix: 'Record the adoption decision dates in the CMS, or leave non-adoption permanence out of the extract.',
    },
    permDates.map((c) => ({ column: c, as: 'date' as const })),
    (x) => permDates.map((c) => `${x.col(c)} IS NULL`).join(' AND '),
  ),
  endBeforeStart('SSD-PERM-005', PM, 'perm_adm_decision_date', 'perm_matched_date', 'Sent as `initial_decision_date` and `matched_date`; a match before the decision is a recording error.'),
  endBeforeStart('SSD-PERM-006', PM, 'perm_matched_date', 'perm_placed_for_adoption_date', 'Sent as `matched_date` and `placed_date`; placing before matching is a recording error.'),
  implausibleDate('SSD-PERM-007', PM, 'perm_adm_decision_date', 'adoption.initial_decision_date'),
  implausibleDate('SSD-PERM-008', PM, 'perm_matched_date', 'adoption.matched_date'),
  implausibleDate('SSD-PERM-009', PM, 'perm_placed_for_adoption_date', 'adoption.placed_date'),
];

const CLV = 'ssd_care_leavers';
const CARE_LEAVERS: Rule[] = [
  duplicateKey('SSD-CLEA-001', CLV, ['clea_table_id']),
  personOrphan('SSD-CLEA-002', CLV, 'clea_person_id', 'care leaver records'),
  row(
    {
      id: 'SSD-CLEA-003',
      severity: 'warning',
      table: CLV,
      column: 'clea_care_leaver_activity',
      source: 'pre-flight #26',
      title: `clea_care_leaver_activity is longer than ${LIMITS.careLeaverActivity} characters`,
      what: `Activities longer than ${LIMITS.careLeaverActivity} characters after trimming.`,
      why: 'The builder sends the first 2 characters as `activity`; a description is cut to something meaningless.',
      fix: 'Store the care leaver activity code (F1, P1, …, G6) in the SSD extract.',
    },
    ['clea_care_leaver_activity'],
    (x) => `${x.len(x.tt('clea_care_leaver_activity'))} > ${x.b.p(LIMITS.careLeaverActivity)}`,
  ),
  row(
    {
      id: 'SSD-CLEA-004',
      severity: 'error',
      table: CLV,
      column: 'clea_care_leaver_activity',
      source: 'pre-flight #26; contract code list',
      title: 'clea_care_leaver_activity is not a DfE activity code',
      what: 'Non-blank activities whose first 2 characters (trimmed) are not F1, P1, F2, P2, F4, P4, F5, P5, G4, G5 or G6.',
      why: 'The DfE schema restricts `care_leavers.activity` to these codes, so the child is invalid.',
      fix: 'Map the CMS value to the DfE code in the SSD extract.',
    },
    ['clea_care_leaver_activity'],
    (x) => `${x.present('clea_care_leaver_activity')} AND ${x.notInList(x.left(x.tt('clea_care_leaver_activity'), 2), CARE_LEAVER_ACTIVITY)}`,
  ),
  row(
    {
      id: 'SSD-CLEA-005',
      severity: 'warning',
      table: CLV,
      column: 'clea_care_leaver_accommodation',
      source: 'pre-flight #27',
      title: `clea_care_leaver_accommodation is longer than ${LIMITS.careLeaverAccommodation} character`,
      what: `Accommodation values longer than ${LIMITS.careLeaverAccommodation} character after trimming.`,
      why: 'The builder sends the first character as `accommodation`; a description is cut to its first letter.',
      fix: 'Store the accommodation code (B, C, …, V) in the SSD extract.',
    },
    ['clea_care_leaver_accommodation'],
    (x) => `${x.len(x.tt('clea_care_leaver_accommodation'))} > ${x.b.p(LIMITS.careLeaverAccommodation)}`,
  ),
  row(
    {
      id: 'SSD-CLEA-006',
      severity: 'error',
      table: CLV,
      column: 'clea_care_leaver_accommodation',
      source: 'pre-flight #27; contract code list',
      title: 'clea_care_leaver_accommodation is not a DfE accommodation code',
      what: 'Non-blank accommodation values whose first character (trimmed) is not B, C, D, E, G, H, K, R, S, T, U or V.',
      why: 'The DfE schema restricts `care_leavers.accommodation` to these codes, so the child is invalid.',
      fix: 'Map the CMS value to the DfE code in the SSD extract.',
    },
    ['clea_care_leaver_accommodation'],
    (x) => `${x.present('clea_care_leaver_accommodation')} AND ${x.notInList(x.left(x.tt('clea_care_leaver_accommodation'), 1), CARE_LEAVER_ACCOMMODATION)}`,
  ),
  missingDate('SSD-CLEA-007', CLV, 'clea_care_leaver_latest_contact', 'The care-leaver route into the cohort needs a contact date in the window, and the latest contact is sent as `contact_date`.'),
  implausibleDate('SSD-CLEA-008', CLV, 'clea_care_leaver_latest_contact', 'care_leavers.contact_date'),
];

const Q = 'ssd_sdq_scores';
const SDQ: Rule[] = [
  duplicateKey('SSD-SDQ-001', Q, ['csdq_table_id']),
  personOrphan('SSD-SDQ-002', Q, 'csdq_person_id', 'SDQ scores'),
  row(
    {
      id: 'SSD-SDQ-003',
      severity: 'error',
      table: Q,
      column: 'csdq_sdq_score',
      source: 'contract: SDQ 0–40',
      title: `csdq_sdq_score is outside ${LIMITS.sdqMin}–${LIMITS.sdqMax} or not a whole number`,
      what: `Scores below ${LIMITS.sdqMin} or above ${LIMITS.sdqMax}, or (for a score held as text) non-blank values that are not a whole number.`,
      why: `The DfE schema requires \`sdq_assessments[].score\` to be an integer from ${LIMITS.sdqMin} to ${LIMITS.sdqMax}; the child is invalid (text that is not a number is dropped upstream by TRY_CONVERT, issue #33).`,
      fix: 'Correct the score in the CMS; the total difficulties score is 0–40.',
    },
    [{ column: 'csdq_sdq_score', as: 'number' }],
    (x) =>
      `((${x.num('csdq_sdq_score')} < ${x.b.p(LIMITS.sdqMin)} OR ${x.num('csdq_sdq_score')} > ${x.b.p(LIMITS.sdqMax)}) OR (${x.present('csdq_sdq_score')} AND ${x.num('csdq_sdq_score')} IS NULL))`,
  ),
  row(
    {
      id: 'SSD-SDQ-004',
      severity: 'warning',
      table: Q,
      column: 'csdq_sdq_score',
      title: 'SDQ row without a score',
      what: 'Rows whose csdq_sdq_score is empty.',
      why: 'Only scored SDQs are sent in `health_and_wellbeing`; this one is not.',
      fix: 'Record the score in the CMS or leave unscored questionnaires out of the extract.',
    },
    [{ column: 'csdq_sdq_score', as: 'number' }],
    (x) => x.blank('csdq_sdq_score'),
  ),
  missingDate('SSD-SDQ-005', Q, 'csdq_sdq_completed_date', `An SDQ is sent only when its completed date is in the window. ${windowNote}`),
  implausibleDate('SSD-SDQ-006', Q, 'csdq_sdq_completed_date', 'sdq_assessments[].date'),
  group(
    {
      id: 'SSD-SDQ-007',
      severity: 'warning',
      table: Q,
      column: 'csdq_sdq_completed_date',
      unit: 'people',
      title: 'SDQ recorded twice on the same day for one person',
      what: 'People with more than one SDQ row on the same completed date (under different row ids). Examples are person ids.',
      why: 'Every row is sent in `sdq_assessments`, so the same questionnaire appears twice (or two different scores for one day).',
      fix: 'De-duplicate SDQ scores in the SSD extract (SystemC de-duplicates numeric scores) or correct the CMS record.',
    },
    ['csdq_person_id', 'csdq_sdq_completed_date'],
    ['csdq_person_id', { column: 'csdq_sdq_completed_date', as: 'date' }],
    () => 'COUNT(*) > 1',
    (x) => `${x.col('csdq_person_id')} IS NOT NULL AND ${x.col('csdq_sdq_completed_date')} IS NOT NULL`,
  ),
];

const PR = 'ssd_professionals';
const IV = 'ssd_involvements';
const PROFESSIONALS: Rule[] = [
  duplicateKey('SSD-PROF-001', PR, ['prof_professional_id']),
  row(
    {
      id: 'SSD-PROF-002',
      severity: 'error',
      table: PR,
      column: 'prof_social_worker_registration_no',
      source: 'pre-flight #4 (applied to the registration number)',
      title: 'SW registration number has characters other than letters, digits, _ and -',
      what: 'For professionals with at least one involvement: registration numbers that are empty strings or contain anything other than A-Z, a-z, 0-9, underscore or hyphen (e.g. a space in "SW 12345").',
      why: 'The registration number is sent as `care_worker_details[].worker_id`, which must match ^[A-Za-z0-9_-]+$; the upstream pre-flight view checks prof_staff_id instead, which the payload no longer uses.',
      fix: 'Store the Social Work England registration number without spaces (e.g. SW12345) in the SSD extract.',
    },
    ['prof_social_worker_registration_no'],
    (x) => `${x.col('prof_social_worker_registration_no')} IS NOT NULL AND ${x.badId(x.text('prof_social_worker_registration_no'))}`,
  ),
  row(
    {
      id: 'SSD-PROF-003',
      severity: 'error',
      table: PR,
      column: 'prof_social_worker_registration_no',
      source: 'pre-flight #13 (applied to the registration number)',
      title: `SW registration number is longer than ${LIMITS.workerId} characters`,
      what: `For professionals with at least one involvement: registration numbers longer than ${LIMITS.workerId} characters.`,
      why: `\`worker_id\` is limited to ${LIMITS.workerId} characters; upstream truncates to varchar(12), this builder marks the child invalid (contract D4).`,
      fix: 'Store only the registration number (no prefix text) in the SSD extract.',
    },
    ['prof_social_worker_registration_no'],
    (x) => `${x.len(x.text('prof_social_worker_registration_no'))} > ${x.b.p(LIMITS.workerId)}`,
  ),
  {
    kind: 'semi',
    id: 'SSD-PROF-004',
    severity: 'warning',
    category: 'data',
    table: PR,
    column: 'prof_social_worker_registration_no',
    title: 'case worker (CW involvement) without an SW registration number',
    what: 'Professionals with at least one involvement whose role is CW but no registration number.',
    why: 'Only workers with a registration number are sent in `care_worker_details` (issue #93), so this case worker never appears in any payload.',
    fix: 'Record the Social Work England registration number for the worker in the CMS.',
    needs: [{ column: 'prof_social_worker_registration_no' }, { column: 'prof_professional_id' }],
    when: (x) => x.blank('prof_social_worker_registration_no'),
    exists: {
      table: IV,
      on: ['prof_professional_id', 'invo_professional_id'],
      needs: [{ column: 'invo_professional_id' }, { column: 'invo_professional_role_id' }],
      when: (o) => `${o.ut('invo_professional_role_id')} = ${o.b.p('CW')}`,
    },
  },
];

const INVOLVEMENTS: Rule[] = [
  duplicateKey('SSD-INVO-001', IV, ['invo_involvements_id']),
  orphan(
    'SSD-INVO-002',
    IV,
    'invo_professional_id',
    PR,
    'prof_professional_id',
    'error',
    'Care workers are sent by joining involvements to ssd_professionals; an involvement whose professional is missing is never sent, and the episode shows no worker.',
  ),
  orphan(
    'SSD-INVO-003',
    IV,
    'invo_referral_id',
    E,
    'cine_referral_id',
    'warning',
    'Care workers are attached to the social care episode with the same referral id; involvements without one are never sent (person-level involvements are normal, but not for case workers).',
  ),
  endBeforeStart('SSD-INVO-004', IV, 'invo_involvement_start_date', 'invo_involvement_end_date', "Sent as the worker's `start_date`/`end_date`; the census-date test cannot be right."),
  missingDate('SSD-INVO-005', IV, 'invo_involvement_start_date', 'A worker is sent only when the involvement was active on a census date (31 March), which needs a start date.'),
  implausibleDate('SSD-INVO-006', IV, 'invo_involvement_start_date', 'care_worker_details[].start_date'),
  row(
    {
      id: 'SSD-INVO-007',
      severity: 'warning',
      table: IV,
      column: 'invo_professional_role_id',
      title: 'invo_professional_role_id looks like a description, not a role code',
      what: 'Role values longer than 6 characters or containing a space after trimming (e.g. "Case Worker").',
      why: 'The builder sends only involvements whose role is exactly CW; SSD versions before 1.4.5 stored the type description, so no care worker is ever sent (ssd-data-model #287).',
      fix: 'Upgrade the SSD to v1.4.5 or later (role code from DIM_LOOKUP_INVOLVEMENT_TYPE_CODE).',
    },
    ['invo_professional_role_id'],
    (x) => `(${x.len(x.tt('invo_professional_role_id'))} > ${x.b.p(6)} OR ${x.tt('invo_professional_role_id')} LIKE ${x.b.p('% %')})`,
  ),
];

// ----------------------------------------------------------------------------------------------
// Cohort

const COHORT: Rule[] = [
  {
    kind: 'cohort',
    id: 'SSD-COHO-001',
    severity: 'warning',
    category: 'cohort',
    table: P,
    column: null,
    unit: 'children',
    source: 'contract: Window and cohort',
    title: 'child in the payload cohort without any social care episode',
    what: 'Children who pass the age gate and are admitted by an open episode waiting for assessment (with no referral date), a CIN plan or a CLA episode/placement that overlaps the window, but have no CIN episode overlapping the window. Examples are person ids.',
    why: 'Their payload has no `social_care_episodes` at all, so the plan or placement that admitted them is never sent (placements only travel inside episodes, §1.3).',
    fix: 'Check the referral (CIN episode) for these children exists, has a referral date and carries the referral id used by their plans and CLA episodes.',
    needs: [
      { table: P, columns: ['pers_person_id', 'pers_dob', 'pers_expected_dob'] },
      { table: E, columns: ['cine_referral_id', 'cine_person_id', 'cine_referral_date', 'cine_close_date'] },
      { table: CA, columns: ['cina_referral_id', 'cina_assessment_start_date'] },
      { table: CP_, columns: ['cinp_person_id', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date'] },
      { table: CE, columns: ['clae_person_id', 'clae_referral_id', 'clae_cla_id'] },
      { table: CL, columns: ['clap_cla_id', 'clap_cla_placement_start_date', 'clap_cla_placement_end_date'] },
    ],
  },
];

export const RULES: readonly Rule[] = [
  ...SCHEMA,
  ...PERSON,
  ...ADDRESS,
  ...DISABILITY,
  ...IMMIGRATION,
  ...LINKED,
  ...EPISODES,
  ...ASSESSMENTS,
  ...FACTORS,
  ...CIN_PLANS,
  ...S47,
  ...ICPC,
  ...CP_PLANS,
  ...CLA_EPISODES,
  ...PLACEMENTS,
  ...PERMANENCE,
  ...CARE_LEAVERS,
  ...SDQ,
  ...PROFESSIONALS,
  ...INVOLVEMENTS,
  ...COHORT,
];

const byId = new Map(RULES.map((r) => [r.id, r] as const));

export function getRule(id: string): Rule {
  const r = byId.get(id);
  if (!r) throw new Error(`unknown check rule ${id}`);
  return r;
}

/** Professionals are checked only when they have an involvement (as the upstream pre-flight view does). */
export const SCOPED_TABLES: Readonly<Record<string, { table: string; column: string; parentColumn: string; description: string }>> = {
  [PR]: { table: IV, column: 'invo_professional_id', parentColumn: 'prof_professional_id', description: 'professionals with at least one involvement' },
};

/** The documentation of every rule (no functions), in rule order. */
export function ruleDocs(): RuleDoc[] {
  return RULES.map(({ id, severity, category, table, column, title, what, why, fix, source }) => ({ id, severity, category, table, column, title, what, why, fix, ...(source ? { source } : {}) }));
}
