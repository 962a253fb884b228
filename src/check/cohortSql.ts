// The payload cohort's date rules in SQL, written once for every dialect: gate A's age rule (a
// date of birth + AGE_LIMIT_YEARS years after the window start, src/model/asOf.ts), the window
// rules (a record overlapping the window, a date inside it), and from them the query of
// ssd check SSD-COHO-001, rendered into sql/<dialect>/check_cohort_without_episode.sql by
// `npx tsx scripts/render-sql.ts` (the file is what runs; test/unit/sqlCatalogue/rendered.test.ts fails
// until it equals this rendering). The dialect supplies only its spelling of "+ n years"
// (sqlSyntax in src/db/dialect.ts). test/integration/check/cohortSql.test.ts evaluates these
// expressions on real databases against the TypeScript rules (passesGateA, overlaps, inWindow,
// AsOf.ageCutoff) on boundary dates: birthdays on the as-of date, 29 February, times of day.
import { limitClause, sqlSyntax, type SqlSyntax } from '../db/dialect';
import type { Dialect } from '../db/types';
import { AGE_LIMIT_YEARS } from '../model/asOf';

/** The window's bounds as the cohort SQL binds them: $1 = start, $2 = end (inclusive dates). */
export const WINDOW_PARAMS = { start: 'CAST($1 AS DATE)', end: 'CAST($2 AS DATE)' } as const;

/** The bounds in a dialect's spelling (Oracle converts the 'YYYY-MM-DD' text with an explicit format). */
function windowParams(syntax?: SqlSyntax): { start: string; end: string } {
  return syntax?.dateParam ? { start: syntax.dateParam('$1'), end: syntax.dateParam('$2') } : WINDOW_PARAMS;
}

/** Gate A's age rule: still under the age limit on the window start (passesGateA in src/payload/buildPayload.ts). */
export function ageRuleSql(syntax: SqlSyntax, dob: string): string {
  return `${syntax.addYears(dob, AGE_LIMIT_YEARS)} > ${windowParams(syntax).start}`;
}

/** A date inside the window (inWindow in src/payload/window.ts). */
export function inWindowSql(date: string, syntax?: SqlSyntax): string {
  const w = windowParams(syntax);
  return `${date} >= ${w.start} AND ${date} <= ${w.end}`;
}

/** A record from `start` to `end` (NULL: open) overlapping the window (overlaps in src/payload/window.ts); `indent` starts the second line. */
export function overlapsWindowSql(start: string, end: string, indent: string, syntax?: SqlSyntax): string {
  const w = windowParams(syntax);
  return `${start} <= ${w.end}\n${indent}AND (${end} IS NULL OR ${end} >= ${w.start})`;
}

/** Gate A (docs/contract.md "Window and cohort"): under the age limit at some point in the window, or unborn with the expected date of birth in it. */
export function gateASql(syntax: SqlSyntax, dob: string, expectedDob: string): string {
  return (
    `(${dob} IS NOT NULL AND ${dob} <= ${windowParams(syntax).end}\n` +
    `         AND ${ageRuleSql(syntax, dob)})\n` +
    `     OR (${dob} IS NULL AND ${expectedDob} IS NOT NULL\n` +
    `         AND ${inWindowSql(expectedDob, syntax)})`
  );
}

/** sql/<dialect>/check_cohort_without_episode.sql. */
export function renderCohortWithoutEpisodeSql(dialect: Dialect): string {
  const syntax = sqlSyntax(dialect);
  const { top, limit } = limitClause(dialect, 5);
  return `-- Generated from src/check/cohortSql.ts by \`npx tsx scripts/render-sql.ts\`: edit that, not this file.
-- ssd check SSD-COHO-001: children in the payload cohort (contract "Window and cohort",
-- docs/contract.md; gates as docs/upstream.md) who have no CIN episode overlapping the window, so their
-- payload has no social_care_episodes. $1 = window start, $2 = window end (inclusive dates).
-- Gate B routes that always bring an overlapping episode of the same child (an overlapping
-- referral, the care-leaver route, which needs an open episode) cannot produce a hit and are left out.
WITH gate_a AS (
  SELECT p.{{pers_person_id}} AS person_id
  FROM {{ssd_person}} p
  WHERE ${gateASql(syntax, 'p.{{pers_dob}}', 'p.{{pers_expected_dob}}')}
),
admitted AS (
  SELECT e.{{cine_person_id}} AS person_id
  FROM {{ssd_cin_episodes}} e
  WHERE e.{{cine_close_date}} IS NULL
    AND NOT EXISTS (SELECT 1 FROM {{ssd_cin_assessments}} a
                    WHERE a.{{cina_referral_id}} = e.{{cine_referral_id}} AND a.{{cina_assessment_start_date}} IS NOT NULL)
  UNION
  SELECT cp.{{cinp_person_id}}
  FROM {{ssd_cin_plans}} cp
  WHERE ${overlapsWindowSql('cp.{{cinp_cin_plan_start_date}}', 'cp.{{cinp_cin_plan_end_date}}', '    ', syntax)}
  UNION
  SELECT ce.{{clae_person_id}}
  FROM {{ssd_cla_episodes}} ce
  JOIN {{ssd_cin_episodes}} e2 ON e2.{{cine_referral_id}} = ce.{{clae_referral_id}}
  WHERE ${overlapsWindowSql('e2.{{cine_referral_date}}', 'e2.{{cine_close_date}}', '    ', syntax)}
  UNION
  SELECT ce.{{clae_person_id}}
  FROM {{ssd_cla_episodes}} ce
  JOIN {{ssd_cla_placement}} pl ON pl.{{clap_cla_id}} = ce.{{clae_cla_id}}
  WHERE ${overlapsWindowSql('pl.{{clap_cla_placement_start_date}}', 'pl.{{clap_cla_placement_end_date}}', '    ', syntax)}
),
hits AS (
  SELECT DISTINCT g.person_id
  FROM gate_a g
  WHERE EXISTS (SELECT 1 FROM admitted ad WHERE ad.person_id = g.person_id)
    AND NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} e3
                    WHERE e3.{{cine_person_id}} = g.person_id
                      AND ${overlapsWindowSql('e3.{{cine_referral_date}}', 'e3.{{cine_close_date}}', '                      ', syntax)})
)
SELECT ${top}CAST(h.person_id AS ${syntax.text}) AS id, COUNT(*) OVER () AS n
FROM hits h
ORDER BY 1
${limit.trim() ? `${limit.trim()}\n` : ''}`;
}
