// The 35 local settings of the Mosaic SSD script (docs/upstream.md "The SSD deployment scripts"): table
// variables declared at the top of each ##populate_ssd_<procedure>, filled with LA-specific codes.
// This catalogue drives the JSON Schema (schemas/mosaic-settings.schema.json) that the editor uses
// to complete and validate *.ssd-mosaic.json files, and the docs. The injector itself always reads
// the column list from the script's own `declare @x table (...)`.

export interface MosaicColumn {
  name: string;
  /** T-SQL type as the script declares it. */
  type: string;
}

export interface MosaicSetting {
  /** Row number in the community research notes' table of Mosaic settings (1-35). */
  n: number;
  /** Procedure suffix: ##populate_ssd_<procedure>. */
  procedure: string;
  /** Table variable name without @. */
  variable: string;
  columns: MosaicColumn[];
  /** What to list. */
  what: string;
  /** Where to look the values up. */
  lookup: string;
  /** False for the settings the Mosaic guide does not document. */
  documented: boolean;
  /** The script ships a dummy value here, so the output stays empty until it is set. */
  dummyShipped?: boolean;
}

const STEP = (desc = 'description', len = 1000): MosaicColumn[] => [
  { name: 'workflow_step_type_id', type: 'numeric(9)' },
  { name: desc, type: `varchar(${len})` },
];
const VISIT: MosaicColumn[] = [
  { name: 'visit_type_code', type: 'varchar(20)' },
  { name: 'visit_type_description', type: 'varchar(88)' },
];
const QUC: MosaicColumn[] = [{ name: 'question_user_code', type: 'varchar(128)' }];
const QUC_TEXT = (len = 1000): MosaicColumn[] => [
  { name: 'question_user_code', type: 'varchar(128)' },
  { name: 'question_text', type: `varchar(${len})` },
];
const NEXT_ACTION: MosaicColumn[] = [
  { name: 'workflow_next_action_type_id', type: 'numeric(9)' },
  { name: 'description', type: 'varchar(1000)' },
];
const ANSWER: MosaicColumn[] = [{ name: 'answer', type: 'varchar(1000)' }];
const FORM_Q = 'DM_CACHED_FORM_QUESTIONS (or the Form Designer tool)';

export const MOSAIC_SETTINGS: readonly MosaicSetting[] = [
  {
    n: 1,
    procedure: 'early_help_episodes',
    variable: 'eh_step_types',
    columns: STEP('workflow_step_type_description', 500),
    what: 'workflow step types (id and description) of the steps that make up a "Period of Early Help"',
    lookup: 'DM_WORKFLOW_STEP_TYPES',
    documented: true,
  },
  {
    n: 2,
    procedure: 'early_help_episodes',
    variable: 'reason_for_eh_question_user_codes',
    columns: QUC,
    what: 'form question user codes that hold the reason an Early Help episode started',
    lookup: FORM_Q,
    documented: true,
  },
  {
    n: 3,
    procedure: 'early_help_episodes',
    variable: 'reason_for_eh_closure_question_user_codes',
    columns: QUC,
    what: 'form question user codes that hold the Early Help closure reason',
    lookup: FORM_Q,
    documented: true,
  },
  {
    n: 4,
    procedure: 'early_help_episodes',
    variable: 'early_help_worker_prof_rel_types',
    columns: [
      { name: 'prof_rel_type_code', type: 'varchar(20)' },
      { name: 'description', type: 'varchar(80)' },
    ],
    what: 'professional-relationship type codes of Early Help workers',
    lookup: 'DM_PROF_REL_TYPES',
    documented: true,
  },
  { n: 5, procedure: 'cin_visits', variable: 'cin_visit_types', columns: VISIT, what: 'visit type codes (and descriptions) that count as CIN visits', lookup: 'DM_VISIT_TYPES', documented: true },
  {
    n: 6,
    procedure: 'cin_visits',
    variable: 'bedroom_seen_question_user_codes',
    columns: QUC,
    what: 'question user codes for "bedroom seen" on workflow-step visits',
    lookup: FORM_Q,
    documented: true,
  },
  { n: 7, procedure: 'cin_visits', variable: 'child_seen_question_user_codes', columns: QUC, what: 'question user codes for "child seen at all"', lookup: FORM_Q, documented: true },
  { n: 8, procedure: 'cla_visits', variable: 'cla_visit_types', columns: VISIT, what: 'visit types that count as CLA visits', lookup: 'DM_VISIT_TYPES', documented: true },
  { n: 9, procedure: 'cla_visits', variable: 'child_seen_question_user_codes', columns: QUC, what: 'question user codes for "child seen" on CLA visits', lookup: FORM_Q, documented: true },
  {
    n: 10,
    procedure: 'cla_care_plan',
    variable: 'cla_plan_step_types',
    columns: STEP('description', 62),
    what: 'workflow steps that hold the CLA care plan (including CLA reviews if the plan is recorded there)',
    lookup: 'DM_WORKFLOW_STEP_TYPES',
    documented: true,
  },
  { n: 11, procedure: 'cla_care_plan', variable: 'permanence_plan_question_user_codes', columns: QUC, what: 'question user codes that hold the permanence plan', lookup: FORM_Q, documented: true },
  {
    n: 12,
    procedure: 'cla_care_plan',
    variable: 'permanence_plan_categories',
    columns: [
      { name: 'question_answer', type: 'varchar(500)' },
      { name: 'permanence_plan_type', type: 'varchar(500)' },
    ],
    what: 'answer text mapped to the Ofsted Annex A List 8 categories (A) Return to Family … )',
    lookup: 'answers in DM_CACHED_FORM_ANS',
    documented: true,
  },
  {
    n: 13,
    procedure: 'immigration_status',
    variable: 'immigration_status_question_user_codes',
    columns: QUC_TEXT(),
    what: "question user codes (repeating table) that record a child's immigration status",
    lookup: FORM_Q,
    documented: true,
  },
  {
    n: 14,
    procedure: 'immigration_status',
    variable: 'immigration_status_start_date_question_user_codes',
    columns: QUC_TEXT(),
    what: 'same-row question that records the immigration status start date',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 15,
    procedure: 'immigration_status',
    variable: 'immigration_status_end_date_question_user_codes',
    columns: QUC_TEXT(),
    what: 'same-row question that records the immigration status end date',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  { n: 16, procedure: 'cp_visits', variable: 'cpp_visit_types', columns: VISIT, what: 'visit types that count as CP visits', lookup: 'DM_VISIT_TYPES', documented: true },
  { n: 17, procedure: 'cp_visits', variable: 'bedroom_seen_question_user_codes', columns: QUC, what: 'question user codes for "bedroom seen" on CP visits', lookup: FORM_Q, documented: true },
  { n: 18, procedure: 'cp_visits', variable: 'child_seen_question_user_codes', columns: QUC, what: 'question user codes for "child seen" on CP visits', lookup: FORM_Q, documented: true },
  {
    n: 19,
    procedure: 'cla_substance_misuse',
    variable: 'substance_misuse_type_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question that records the type of substance misused',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 20,
    procedure: 'cla_substance_misuse',
    variable: 'substance_misuse_date_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question that records the date the substance misuse was recorded',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 21,
    procedure: 'cla_substance_misuse',
    variable: 'substance_misuse_intervention_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question that records whether an intervention was received',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 22,
    procedure: 'cla_substance_misuse',
    variable: 'substance_misuse_intervention_answers',
    columns: ANSWER,
    what: 'exact answer wording that means "yes, an intervention was received"',
    lookup: 'answer text in DM_CACHED_FORM_ANSWERS',
    documented: true,
  },
  {
    n: 23,
    procedure: 'cla_immunisations',
    variable: 'immunisation_workflow_step_types',
    columns: STEP(),
    what: 'health-assessment workflow step types that record immunisations',
    lookup: 'DM_WORKFLOW_STEP_TYPES / dm_workflow_steps',
    documented: false,
  },
  {
    n: 24,
    procedure: 'cla_immunisations',
    variable: 'immunisations_up_to_date_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question user codes for "immunisations up to date?"',
    lookup: 'dm_cached_form_questions',
    documented: false,
  },
  {
    n: 25,
    procedure: 'cla_immunisations',
    variable: 'immunisations_up_to_date_answers',
    columns: ANSWER,
    what: 'answer wording that means immunisations are up to date',
    lookup: 'dm_cached_form_answers',
    documented: false,
  },
  {
    n: 26,
    procedure: 'permanence',
    variable: 'ffa_cp_decision_date_question_user_codes',
    columns: QUC_TEXT(500),
    what: 'question that records the FFA / concurrent-planning decision date',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 27,
    procedure: 'permanence',
    variable: 'siblings_placed_together_question_user_codes',
    columns: QUC_TEXT(500),
    what: 'question that records the number of siblings placed together',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 28,
    procedure: 'permanence',
    variable: 'siblings_placed_apart_question_user_codes',
    columns: QUC_TEXT(500),
    what: 'question that records the number of siblings placed apart',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 29,
    procedure: 'cp_reviews',
    variable: 'cp_conference_quorate_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question "was the review conference quorate?"',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 30,
    procedure: 'cp_reviews',
    variable: 'cp_conference_participation_question_user_codes',
    columns: QUC_TEXT(),
    what: 'question that records how the child participated in the conference',
    lookup: FORM_Q,
    documented: true,
    dummyShipped: true,
  },
  {
    n: 31,
    procedure: 'cin_assessments',
    variable: 'nfa_next_actions',
    columns: NEXT_ACTION,
    what: 'next-action type ids of Child and Family assessments that mean No Further Action',
    lookup: 'DM_WORKFLOW_NXT_ACTION_TYPES (continuous-assessment step types)',
    documented: true,
  },
  {
    n: 32,
    procedure: 'cin_assessments',
    variable: 'further_sw_intervention_next_actions',
    columns: NEXT_ACTION,
    what: 'next-action type ids that mean further social-work intervention',
    lookup: 'DM_WORKFLOW_NXT_ACTION_TYPES',
    documented: true,
  },
  {
    n: 33,
    procedure: 'care_leavers',
    variable: 'personal_advisor_rel_type_codes',
    columns: [
      { name: 'PROF_REL_TYPE_CODE', type: 'varchar(128)' },
      { name: 'description', type: 'varchar(1000)' },
    ],
    what: 'professional-relationship types of personal advisers',
    lookup: 'DM_PROF_REL_TYPES',
    documented: true,
  },
  {
    n: 34,
    procedure: 'care_leavers',
    variable: 'pathway_plan_step_types',
    columns: STEP(),
    what: 'Pathway Plan and Pathway Plan Review workflow step types',
    lookup: 'DM_WORKFLOW_STEP_TYPES',
    documented: true,
  },
  {
    n: 35,
    procedure: 's47_enquiry',
    variable: 'further_sw_action_next_actions',
    columns: NEXT_ACTION,
    what: 'S47 next actions that mean further action (for example an ICPC)',
    lookup: 'dm_workflow_nxt_action_types / dm_workflow_links',
    documented: false,
  },
];

/** Values the Mosaic script ships in place of real codes. */
export const MOSAIC_DUMMY_VALUES: readonly RegExp[] = [/<question_user_code>/i, /^question_user_code$/i, /<insert quc>/i, /^latest_question_text$/i, /f4jf0f4f-jf203cc2-jc239c32c/i];

const columnSchema = (c: MosaicColumn): Record<string, unknown> => {
  const len = /\((\d+)\)/.exec(c.type);
  if (/^numeric|^int|^decimal/i.test(c.type)) {
    const p = len ? Number(len[1]) : 9;
    return { description: `${c.name} (${c.type})`, type: ['integer', 'string'], pattern: `^-?\\d{1,${p}}$`, minimum: -(10 ** p - 1), maximum: 10 ** p - 1 };
  }
  return { description: `${c.name} (${c.type})`, type: ['string', 'null'], ...(len ? { maxLength: Number(len[1]) } : {}) };
};

/** The JSON Schema of a Mosaic settings file (*.ssd-mosaic.json). */
export function mosaicSettingsJsonSchema(): Record<string, unknown> {
  const procedures = [...new Set(MOSAIC_SETTINGS.map((s) => s.procedure))];
  const procProps: Record<string, unknown> = {};
  for (const proc of procedures) {
    const vars: Record<string, unknown> = {};
    for (const s of MOSAIC_SETTINGS.filter((x) => x.procedure === proc)) {
      const rowObject = {
        type: 'object',
        additionalProperties: false,
        required: [s.columns[0]!.name],
        properties: Object.fromEntries(s.columns.map((c) => [c.name, columnSchema(c)])),
      };
      const row = s.columns.length === 1 ? { anyOf: [rowObject, columnSchema(s.columns[0]!)] } : rowObject;
      vars[s.variable] = {
        description: `#${s.n} @${s.variable}: ${s.what}. Look up in ${s.lookup}.${s.documented ? '' : ' (Not in the Mosaic guide.)'}${s.dummyShipped ? ' The script ships a dummy value: set this or the output stays empty.' : ''} An empty list leaves the table variable empty.`,
        markdownDescription: `**#${s.n} \`@${s.variable}\`** (\`##populate_ssd_${s.procedure}\`)\n\n${s.what}.\n\nLook up in \`${s.lookup}\`. Columns: ${s.columns.map((c) => `\`${c.name}\` ${c.type}`).join(', ')}.${s.dummyShipped ? '\n\n⚠ The script ships a dummy value here: set it, or the output stays empty.' : ''}`,
        type: 'array',
        items: row,
      };
    }
    procProps[proc] = { description: `settings of ##populate_ssd_${proc}`, type: 'object', additionalProperties: false, properties: vars };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ssd-workbench.invalid/schemas/mosaic-settings.schema.json',
    title: 'SSD Workbench: Mosaic local settings',
    description: 'Local settings injected into the Mosaic SSD procedures by `ssd mosaic` (see docs/scripts.md). Settings left out keep the values shipped in the script.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      financialYears: { description: 'number of financial years to include, counting the current one (##populate_ssd_main @years_to_include)', type: 'integer', minimum: 1, maximum: 20 },
      settings: { description: 'one object per procedure, one list per setting', type: 'object', additionalProperties: false, properties: procProps },
    },
    required: ['settings'],
  };
}
