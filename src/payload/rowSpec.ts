// The one declarative spec of the rows the payload builder reads: per row kind, the SSD table(s)
// it comes from (each route to the child is one branch of the UNION), and its columns with their
// type and the SQL that reads them. Everything else follows from it:
// - the row types of src/payload/rows.ts (RowOf below);
// - the generic slots of the stream (s1… text, d1… timestamps, x long text), assigned in the
//   order the columns are listed, and the decoding of a streamed row back into named columns
//   (decodeRow, used by buildPayloads.ts);
// - the SQL of each dialect, sql/<dialect>/payload_child_rows.sql and payload_orphan_rows.sql
//   (renderChildRowsSql / renderOrphanRowsSql, with the dialect's type names from
//   sqlSyntax in src/db/dialect.ts). Those files are what runs and what a DBA reads;
//   test/unit/sqlCatalogue/rendered.test.ts fails until `npx tsx scripts/render-sql.ts` has rewritten
//   them after a change here.
// Adding a column the builder reads is one line in a kind's `fields` (plus its use in
// buildPayload.ts and a test). Column order within a kind fixes its slot: append, or re-render.
import { sqlSyntax, type SqlSyntax } from '../db/dialect';
import type { Dialect, Row } from '../db/types';

/**
 * How a column travels and is decoded: 'pid' is the row's person id (no slot of its own); 'id' a
 * row key (text, '' when NULL); 'text' and 'number' text (a number is parsed by the builder, so
 * 'N/A' gives a warning, not a failed read); 'date' a timestamp; 'long' long text (JSON).
 */
export type FieldType = 'pid' | 'id' | 'text' | 'number' | 'date' | 'long';

/** SQL of one column: an expression over the branch's aliases, or a string literal. */
export type Expr = string | { readonly literal: string };

export interface FieldSpec {
  readonly type: FieldType;
  /** One expression for every branch, or one per branch (in `from` order); none for 'pid'. */
  readonly sql: readonly Expr[];
}

export interface KindSpec {
  /** The row kind tag (column k). */
  readonly k: string;
  /** Each branch's FROM clause (joins, and WHERE where needed), table names as {{placeholders}}. */
  readonly from: readonly string[];
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

const f = <T extends FieldType>(type: T, ...sql: Expr[]) => ({ type, sql }) as const;
const pid = f('pid');
const id = (...sql: Expr[]) => f('id', ...sql);
const text = (...sql: Expr[]) => f('text', ...sql);
const number = (...sql: Expr[]) => f('number', ...sql);
const date = (...sql: Expr[]) => f('date', ...sql);
const long = (...sql: Expr[]) => f('long', ...sql);
const lit = (literal: string) => ({ literal }) as const;

// Which rows belong to a child (the joins of the community T-SQL): rows reached through a referral
// (assessments, factors, plans, S47s, CP plans, CLA episodes, involvements) take the person of
// their CIN episode; placements and permanence also come through the child's CLA episodes. The
// keys the builder matches on in memory (referral, CLA and person ids) are taken from the joined
// row, so they agree with the joins.

/** The kinds of the child-rows stream, keyed by their ChildRows list (person: the one person row), in stream order. */
export const PAYLOAD_ROWS = {
  person: {
    k: 'p',
    from: ['{{ssd_person}} p'],
    fields: {
      pers_person_id: pid,
      pers_legacy_id: text('p.pers_legacy_id'),
      pers_upn: text('p.pers_upn'),
      pers_forename: text('p.pers_forename'),
      pers_surname: text('p.pers_surname'),
      pers_sex: text('p.pers_sex'),
      pers_ethnicity: text('p.pers_ethnicity'),
      pers_upn_unknown: text('p.pers_upn_unknown'),
      pers_dob: date('p.pers_dob'),
      pers_expected_dob: date('p.pers_expected_dob'),
    },
  },
  addresses: {
    k: 'ad',
    from: ['{{ssd_address}} a JOIN {{ssd_person}} p ON p.pers_person_id = a.addr_person_id'],
    fields: {
      addr_table_id: id('a.addr_table_id'),
      addr_address_postcode: text('a.addr_address_postcode'),
      addr_address_start_date: date('a.addr_address_start_date'),
    },
  },
  disabilities: {
    k: 'di',
    from: ['{{ssd_disability}} di JOIN {{ssd_person}} p ON p.pers_person_id = di.disa_person_id'],
    fields: {
      disa_table_id: id('di.disa_table_id'),
      disa_disability_code: text('di.disa_disability_code'),
    },
  },
  immigration: {
    k: 'im',
    from: ['{{ssd_immigration_status}} im JOIN {{ssd_person}} p ON p.pers_person_id = im.immi_person_id'],
    fields: {
      immi_immigration_status_id: id('im.immi_immigration_status_id'),
      immi_immigration_status: text('im.immi_immigration_status'),
      immi_immigration_status_start_date: date('im.immi_immigration_status_start_date'),
      immi_immigration_status_end_date: date('im.immi_immigration_status_end_date'),
    },
  },
  linkedIds: {
    k: 'li',
    from: ['{{ssd_linked_identifiers}} li JOIN {{ssd_person}} p ON p.pers_person_id = li.link_person_id'],
    fields: {
      link_table_id: id('li.link_table_id'),
      link_identifier_type: text('li.link_identifier_type'),
      link_identifier_value: text('li.link_identifier_value'),
      link_valid_from_date: date('li.link_valid_from_date'),
    },
  },
  cinEpisodes: {
    k: 'ce',
    from: ['{{ssd_cin_episodes}} e JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id'],
    fields: {
      cine_referral_id: id('e.cine_referral_id'),
      cine_person_id: pid,
      cine_referral_source_code: text('e.cine_referral_source_code'),
      cine_referral_nfa: text('e.cine_referral_nfa'),
      cine_close_reason: text('e.cine_close_reason'),
      cine_referral_date: date('e.cine_referral_date'),
      cine_close_date: date('e.cine_close_date'),
    },
  },
  assessments: {
    k: 'ca',
    from: ['{{ssd_cin_assessments}} ca JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = ca.cina_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id'],
    fields: {
      cina_assessment_id: id('ca.cina_assessment_id'),
      cina_referral_id: text('e.cine_referral_id'),
      cina_assessment_start_date: date('ca.cina_assessment_start_date'),
      cina_assessment_auth_date: date('ca.cina_assessment_auth_date'),
    },
  },
  factors: {
    k: 'af',
    from: [
      '{{ssd_assessment_factors}} af JOIN {{ssd_cin_assessments}} ca ON ca.cina_assessment_id = af.cinf_assessment_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = ca.cina_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id',
    ],
    fields: {
      cinf_table_id: id('af.cinf_table_id'),
      cinf_assessment_id: id('ca.cina_assessment_id'),
      cinf_assessment_factors_json: long('af.cinf_assessment_factors_json'),
    },
  },
  cinPlans: {
    k: 'cp',
    from: [
      '{{ssd_cin_plans}} cp JOIN {{ssd_person}} p ON p.pers_person_id = cp.cinp_person_id LEFT JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cp.cinp_referral_id',
      '{{ssd_cin_plans}} cp JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cp.cinp_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id',
    ],
    fields: {
      cinp_cin_plan_id: id('cp.cinp_cin_plan_id'),
      cinp_referral_id: text('COALESCE(e.cine_referral_id, cp.cinp_referral_id)', 'e.cine_referral_id'),
      cinp_person_id: text('p.pers_person_id', 'CASE WHEN cp.cinp_person_id = p.pers_person_id THEN p.pers_person_id ELSE cp.cinp_person_id END'),
      cinp_cin_plan_start_date: date('cp.cinp_cin_plan_start_date'),
      cinp_cin_plan_end_date: date('cp.cinp_cin_plan_end_date'),
    },
  },
  s47: {
    k: 's4',
    from: [
      '{{ssd_s47_enquiry}} s JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = s.s47e_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id\n' +
        '  LEFT JOIN (SELECT icpc_s47_enquiry_id, MAX(icpc_icpc_date) AS latest_icpc_date FROM {{ssd_initial_cp_conference}} GROUP BY icpc_s47_enquiry_id) ic ON ic.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id',
    ],
    fields: {
      s47e_s47_enquiry_id: id('s.s47e_s47_enquiry_id'),
      s47e_referral_id: text('e.cine_referral_id'),
      s47e_s47_start_date: date('s.s47e_s47_start_date'),
      s47e_s47_end_date: date('s.s47e_s47_end_date'),
      /** Latest ssd_initial_cp_conference.icpc_icpc_date for this enquiry (not window-limited). */
      latest_icpc_date: date('ic.latest_icpc_date'),
      s47e_s47_outcome_json: long('s.s47e_s47_outcome_json'),
    },
  },
  cpPlans: {
    k: 'pp',
    from: ['{{ssd_cp_plans}} cpp JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cpp.cppl_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id'],
    fields: {
      cppl_cp_plan_id: id('cpp.cppl_cp_plan_id'),
      cppl_referral_id: text('e.cine_referral_id'),
      cppl_cp_plan_start_date: date('cpp.cppl_cp_plan_start_date'),
      cppl_cp_plan_end_date: date('cpp.cppl_cp_plan_end_date'),
    },
  },
  claEpisodes: {
    k: 'cl',
    from: [
      '{{ssd_cla_episodes}} c JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id LEFT JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id',
      '{{ssd_cla_episodes}} c JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id',
    ],
    fields: {
      clae_cla_episode_id: id('c.clae_cla_episode_id'),
      clae_cla_id: text('c.clae_cla_id'),
      clae_referral_id: text('COALESCE(e.cine_referral_id, c.clae_referral_id)', 'e.cine_referral_id'),
      clae_person_id: text('p.pers_person_id', 'CASE WHEN c.clae_person_id = p.pers_person_id THEN p.pers_person_id ELSE c.clae_person_id END'),
      clae_cla_episode_start_reason: text('c.clae_cla_episode_start_reason'),
      clae_cla_episode_ceased_reason: text('c.clae_cla_episode_ceased_reason'),
      /** Referral and close dates of the CIN episode clae_referral_id names, whoever's it is (gate B, HasLAC part A). */
      linked_referral_date: date('e.cine_referral_date'),
      linked_close_date: date('e.cine_close_date'),
    },
  },
  placements: {
    k: 'pl',
    from: [
      '{{ssd_cla_placement}} pl JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pl.clap_cla_id JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id',
      '{{ssd_cla_placement}} pl JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pl.clap_cla_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id',
    ],
    fields: {
      clap_cla_placement_id: id('pl.clap_cla_placement_id'),
      clap_cla_id: text('c.clae_cla_id'),
      clap_cla_placement_type: text('pl.clap_cla_placement_type'),
      clap_cla_placement_postcode: text('pl.clap_cla_placement_postcode'),
      clap_cla_placement_change_reason: text('pl.clap_cla_placement_change_reason'),
      clap_cla_placement_start_date: date('pl.clap_cla_placement_start_date'),
      clap_cla_placement_end_date: date('pl.clap_cla_placement_end_date'),
    },
  },
  permanence: {
    k: 'pm',
    from: [
      '{{ssd_permanence}} pm JOIN {{ssd_person}} p ON p.pers_person_id = pm.perm_person_id',
      '{{ssd_permanence}} pm JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pm.perm_cla_id JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id',
    ],
    fields: {
      perm_table_id: id('pm.perm_table_id'),
      perm_person_id: text('p.pers_person_id', 'CASE WHEN pm.perm_person_id = p.pers_person_id THEN p.pers_person_id ELSE pm.perm_person_id END'),
      perm_cla_id: text('pm.perm_cla_id', 'c.clae_cla_id'),
      perm_adm_decision_date: date('pm.perm_adm_decision_date'),
      perm_matched_date: date('pm.perm_matched_date'),
      perm_placed_for_adoption_date: date('pm.perm_placed_for_adoption_date'),
    },
  },
  careLeavers: {
    k: 'cv',
    from: ['{{ssd_care_leavers}} cv JOIN {{ssd_person}} p ON p.pers_person_id = cv.clea_person_id'],
    fields: {
      clea_table_id: id('cv.clea_table_id'),
      clea_care_leaver_activity: text('cv.clea_care_leaver_activity'),
      clea_care_leaver_accommodation: text('cv.clea_care_leaver_accommodation'),
      clea_care_leaver_latest_contact: date('cv.clea_care_leaver_latest_contact'),
    },
  },
  involvements: {
    k: 'iv',
    from: [
      '{{ssd_involvements}} i JOIN {{ssd_professionals}} pr ON pr.prof_professional_id = i.invo_professional_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = i.invo_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id',
    ],
    fields: {
      invo_involvements_id: id('i.invo_involvements_id'),
      invo_referral_id: text('e.cine_referral_id'),
      invo_professional_role_id: text('i.invo_professional_role_id'),
      /** ssd_professionals.prof_social_worker_registration_no of invo_professional_id (inner join). */
      prof_social_worker_registration_no: text('pr.prof_social_worker_registration_no'),
      invo_involvement_start_date: date('i.invo_involvement_start_date'),
      invo_involvement_end_date: date('i.invo_involvement_end_date'),
    },
  },
  sdq: {
    k: 'sd',
    from: ['{{ssd_sdq_scores}} sd JOIN {{ssd_person}} p ON p.pers_person_id = sd.csdq_person_id'],
    fields: {
      csdq_table_id: id('sd.csdq_table_id'),
      csdq_sdq_completed_date: date('sd.csdq_sdq_completed_date'),
      csdq_sdq_score: number('sd.csdq_sdq_score'),
    },
  },
} as const satisfies Readonly<Record<string, KindSpec>>;

/** The ChildRows lists the stream fills (every kind but the person). */
export type RowList = Exclude<keyof typeof PAYLOAD_ROWS, 'person'>;

/**
 * Rows no payload can hold (kind 'or', payload_orphan_rows.sql): an assessment, plan, S47, CP
 * plan, CLA episode or involvement whose referral is not in ssd_cin_episodes (or is empty), a
 * placement whose CLA id is in no ssd_cla_episodes row. Each branch is tagged with the person of
 * its own person-id column (`key`, table.column): older SSDs lack some of these columns, so a
 * branch is spliced into the stream only when its column exists.
 */
const orphan = (table: string, alias: string, idColumn: string, refColumn: string, personColumn: string, parent: 'referral' | 'cla') => ({
  key: `${table}.${personColumn}`,
  from:
    `{{${table}}} ${alias} JOIN {{ssd_person}} p ON p.pers_person_id = ${alias}.${personColumn}\n` +
    (parent === 'referral'
      ? `  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = ${alias}.${refColumn})`
      : `  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cla_episodes}} r WHERE r.clae_cla_id = ${alias}.${refColumn})`),
  sql: { table: lit(table), id: `${alias}.${idColumn}`, ref: `${alias}.${refColumn}`, refColumn: lit(refColumn) },
});

const ORPHAN_BRANCHES = [
  orphan('ssd_cin_assessments', 'ca', 'cina_assessment_id', 'cina_referral_id', 'cina_person_id', 'referral'),
  orphan('ssd_cin_plans', 'cp', 'cinp_cin_plan_id', 'cinp_referral_id', 'cinp_person_id', 'referral'),
  orphan('ssd_s47_enquiry', 's', 's47e_s47_enquiry_id', 's47e_referral_id', 's47e_person_id', 'referral'),
  orphan('ssd_cp_plans', 'cpp', 'cppl_cp_plan_id', 'cppl_referral_id', 'cppl_person_id', 'referral'),
  orphan('ssd_cla_episodes', 'c', 'clae_cla_episode_id', 'clae_referral_id', 'clae_person_id', 'referral'),
  orphan('ssd_cla_placement', 'pl', 'clap_cla_placement_id', 'clap_cla_id', 'clap_person_id', 'cla'),
  orphan('ssd_involvements', 'i', 'invo_involvements_id', 'invo_referral_id', 'invo_person_id', 'referral'),
];

/** The orphan kind: s1 the table, s2 the row id, s3 the reference that was not found, s4 its column. */
export const ORPHAN_ROWS = {
  k: 'or',
  from: ORPHAN_BRANCHES.map((b) => b.from),
  fields: {
    table: id(...ORPHAN_BRANCHES.map((b) => b.sql.table)),
    id: id(...ORPHAN_BRANCHES.map((b) => b.sql.id)),
    ref: text(...ORPHAN_BRANCHES.map((b) => b.sql.ref)),
    refColumn: id(...ORPHAN_BRANCHES.map((b) => b.sql.refColumn)),
  },
} as const satisfies KindSpec;

/** Keys ('table.person_column') of the orphan branches, in stream order. */
export const ORPHAN_BRANCH_KEYS: readonly string[] = ORPHAN_BRANCHES.map((b) => b.key);

// ---- Row types ---------------------------------------------------------------------------------

type Fields = Readonly<Record<string, FieldSpec>>;
type KeyType = 'pid' | 'id';
type ValueOf<T extends FieldType> = T extends 'number' ? number | string | null : string | null;

/** The row object of a kind: keys and ids required strings, every other column optional (NULL as null). */
export type RowOf<F extends Fields> = { -readonly [K in keyof F as F[K]['type'] extends KeyType ? K : never]: string } & {
  -readonly [K in keyof F as F[K]['type'] extends KeyType ? never : K]?: ValueOf<F[K]['type']>;
};

// ---- Slots and decoding ------------------------------------------------------------------------

type SlotClass = 's' | 'd' | 'n' | 'x';
const SLOT_CLASS: Record<Exclude<FieldType, 'pid'>, SlotClass> = { id: 's', text: 's', number: 's', date: 'd', long: 'x' };
const ALL_KINDS: readonly KindSpec[] = [...Object.values(PAYLOAD_ROWS), ORPHAN_ROWS];

/** Each field's slot in its kind, in the order the fields are listed (pid: the pid column). */
export function slotsOf(kind: KindSpec): Array<{ field: string; type: FieldType; slot: string }> {
  const used: Record<SlotClass, number> = { s: 0, d: 0, n: 0, x: 0 };
  return Object.entries(kind.fields).map(([field, spec]) => {
    if (spec.type === 'pid') return { field, type: spec.type, slot: 'pid' };
    const c = SLOT_CLASS[spec.type];
    used[c]++;
    return { field, type: spec.type, slot: c === 'x' && used.x === 1 ? 'x' : `${c}${used[c]}` };
  });
}

/**
 * The generic columns of the stream after pid and k: as many of each class as the widest kind
 * needs (one integer column n1, always NULL, is kept for the layout).
 */
export const STREAM_SLOTS: readonly string[] = (() => {
  const width: Record<SlotClass, number> = { s: 0, d: 0, n: 1, x: 1 };
  for (const kind of ALL_KINDS) {
    const n: Record<SlotClass, number> = { s: 0, d: 0, n: 0, x: 0 };
    for (const spec of Object.values(kind.fields)) if (spec.type !== 'pid') n[SLOT_CLASS[spec.type]]++;
    if (n.x > 1) throw new Error(`payload row kind ${kind.k}: more than one long text column`);
    for (const c of Object.keys(n) as SlotClass[]) width[c] = Math.max(width[c], n[c]);
  }
  const list = (c: SlotClass) => Array.from({ length: width[c] }, (_, i) => `${c}${i + 1}`);
  return [...list('s'), ...list('d'), ...list('n'), 'x'];
})();

function s(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

/** A decoder of one kind: streamed row → the named columns, keys in field order. */
export type RowDecoder = (r: Row) => Record<string, string | null>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The decoder of one kind, compiled once into one object literal (the builder decodes every row
 * of the stream: a literal is about twice as fast as filling an object key by key). Only field
 * and slot names of this file go into the text, each checked to be a plain name.
 */
function decoderOf(kind: KindSpec): RowDecoder {
  const props = slotsOf(kind).map(({ field, type, slot }) => {
    if (!NAME.test(field) || !NAME.test(slot)) throw new Error(`payload row kind ${kind.k}: bad field or slot name ${JSON.stringify(field)}`);
    return `${field}: ${type === 'id' || type === 'pid' ? 'id' : 's'}(r.${slot})`;
  });
  const id = (v: unknown) => s(v) ?? '';
  return new Function('s', 'id', `return (r) => ({ ${props.join(', ')} });`)(s, id) as RowDecoder;
}

/** A kind's decoder and the ChildRows list it fills ('person' for the person row, null for orphans). */
export interface KindDecoder {
  readonly list: keyof typeof PAYLOAD_ROWS | null;
  readonly decode: RowDecoder;
}

/** Decoders by row kind tag. */
export const ROW_DECODERS: ReadonlyMap<string, KindDecoder> = new Map<string, KindDecoder>([
  ...Object.entries(PAYLOAD_ROWS).map(([list, kind]): [string, KindDecoder] => [kind.k, { list: list as keyof typeof PAYLOAD_ROWS, decode: decoderOf(kind) }]),
  [ORPHAN_ROWS.k, { list: null, decode: decoderOf(ORPHAN_ROWS) }],
]);

// ---- SQL rendering -----------------------------------------------------------------------------

function typeOf(syntax: SqlSyntax, slot: string): string {
  switch (slot[0]) {
    case 's':
      return syntax.text;
    case 'd':
      return syntax.timestamp;
    case 'n':
      return syntax.integer;
    default:
      return syntax.longText;
  }
}

/** A slot's value in its type: CAST, or the dialect's conversion to long text (Oracle: TO_CLOB). */
function castSlot(syntax: SqlSyntax, slot: string, expr: string): string {
  if (slot === 'x' && syntax.castLongText) return syntax.castLongText(expr);
  return `CAST(${expr} AS ${typeOf(syntax, slot)})`;
}

function exprSql(syntax: SqlSyntax, e: Expr): string {
  return typeof e === 'string' ? e : syntax.literal(e.literal);
}

/** One branch: the SELECT line (every stream column, NULL where the kind has none) and its FROM. */
function branchSql(syntax: SqlSyntax, kind: KindSpec, branch: number): string {
  const bySlot = new Map<string, Expr>();
  for (const { field, slot } of slotsOf(kind)) {
    if (slot === 'pid') continue;
    const sql = kind.fields[field]!.sql;
    if (sql.length !== 1 && sql.length !== kind.from.length) {
      throw new Error(`payload row kind ${kind.k}, ${field}: ${sql.length} expressions for ${kind.from.length} branches`);
    }
    bySlot.set(slot, sql.length === 1 ? sql[0]! : sql[branch]!);
  }
  const cols = [
    `CAST(p.pers_person_id AS ${syntax.personId}) AS pid`,
    `CAST(${syntax.literal(kind.k)} AS ${syntax.kind}) AS k`,
    ...STREAM_SLOTS.map((slot) => `${castSlot(syntax, slot, bySlot.has(slot) ? exprSql(syntax, bySlot.get(slot)!) : 'NULL')} AS ${slot}`),
  ];
  return `  SELECT ${cols.join(', ')}\n  FROM ${kind.from[branch]}`;
}

function kindSql(syntax: SqlSyntax, kind: KindSpec): string[] {
  return kind.from.map((_, i) => branchSql(syntax, kind, i));
}

function slotComment(): string {
  const range = (c: string) => {
    const list = STREAM_SLOTS.filter((x) => x[0] === c);
    return list.length === 1 ? list[0]! : `${list[0]}-${list[list.length - 1]}`;
  };
  return `${range('s')} text, ${range('d')} timestamps, ${range('n')} integer, x long text`;
}

const GENERATED = '-- Generated from src/payload/rowSpec.ts by `npx tsx scripts/render-sql.ts`: edit the spec, not this file.';

/**
 * sql/<dialect>/payload_child_rows.sql: every row of the SSD tables the builder reads, tagged
 * with its person (pid) and kind (k), in person-id order; {{orphanBranches}} marks where
 * childRowsSql splices the orphan branches present in the schema.
 */
export function renderChildRowsSql(dialect: Dialect): string {
  const syntax = sqlSyntax(dialect);
  const [person, ...rest] = Object.values(PAYLOAD_ROWS) as KindSpec[];
  const head = [
    GENERATED,
    '-- The rows the DfE payload builder reads, one stream for every child: each row of the 19 SSD',
    '-- tables tagged with the person it belongs to (pid) and its kind (k), in pid order (code-point',
    '-- order, the order src/payload compares in, by the collation of the ORDER BY), so the builder',
    '-- groups consecutive rows per child and never holds more than one child in memory. Rows reached',
    '-- through a referral (assessments, factors, plans, S47s, CP plans, CLA episodes, involvements)',
    '-- take the person of their CIN episode; placements and permanence also come through the',
    "-- child's CLA episodes. Joins use the database collation, as the community T-SQL does; the keys",
    '-- the builder matches on in memory (referral, CLA and person ids) are taken from the joined row,',
    '-- so its matching agrees.',
    `-- Generic columns: ${slotComment()};`,
    '-- which column of which table each one carries, per kind, is in src/payload/rowSpec.ts.',
    '-- Values the builder reads as numbers (the SDQ score) come as text and are parsed in TypeScript,',
    "-- so a text column holding 'N/A' or '7.5' gives that row a warning instead of aborting the stream",
    '-- for everyone (n1 is kept, always NULL, for the column layout).',
    '-- $1 = one person id, or NULL for everyone.',
    '-- orphanBranches: rows no payload can hold, by their own person id (payload_orphan_rows.sql).',
  ];
  const tail = [
    ') u',
    `WHERE CAST($1 AS ${syntax.personId}) IS NULL OR u.pid = CAST($1 AS ${syntax.personId})`,
    `ORDER BY ${syntax.orderByCodePoint('u.pid')}`,
    ...(syntax.queryHint ? [syntax.queryHint] : []),
  ];
  const body = [...kindSql(syntax, person!), '{{orphanBranches}}', ...rest.flatMap((k) => kindSql(syntax, k).flatMap((b) => ['  UNION ALL', b]))];
  return [...head, 'SELECT u.* FROM (', ...body, ...tail, ''].join('\n');
}

/**
 * sql/<dialect>/payload_orphan_rows.sql: one section per orphan branch, each starting with
 * "-- branch table.column" (the person-id column it needs).
 */
export function renderOrphanRowsSql(dialect: Dialect): string {
  const syntax = sqlSyntax(dialect);
  const head = [
    GENERATED,
    '-- Rows the payload builder cannot attach to any payload (issue 19.3): an assessment, plan, S47,',
    '-- CP plan, CLA episode or involvement whose referral is not in ssd_cin_episodes (or is empty), a',
    '-- placement whose CLA id is in no ssd_cla_episodes row. They are reached through a referral or CLA',
    '-- episode in payload_child_rows.sql, so they belong to no child there; here each is tagged with',
    "-- the person of its own person-id column (kind 'or': s1 table, s2 row id, s3 the reference that",
    "-- was not found, s4 its column) so that child's payload gets a warning naming what was dropped.",
    '-- The person-id columns are not among the columns the builder needs, so src/payload adds a branch',
    '-- only when its column exists (older SSDs lack some). Sections start with "-- branch table.column"',
    '-- and are spliced into payload_child_rows.sql at its orphanBranches placeholder, each after a UNION ALL.',
  ];
  const sections = kindSql(syntax, ORPHAN_ROWS).map((sql, i) => `-- branch ${ORPHAN_BRANCH_KEYS[i]}\n${sql}`);
  return [...head, ...sections, ''].join('\n');
}
