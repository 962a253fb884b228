-- Generated from src/check/cohortSql.ts by `npx tsx scripts/render-sql.ts`: edit that, not this file.
-- ssd check SSD-COHO-001: children in the payload cohort (contract "Window and cohort",
-- docs/contract.md; gates as docs/upstream.md) who have no CIN episode overlapping the window, so their
-- payload has no social_care_episodes. $1 = window start, $2 = window end (inclusive dates).
-- Gate B routes that always bring an overlapping episode of the same child (an overlapping
-- referral, the care-leaver route, which needs an open episode) cannot produce a hit and are left out.
WITH gate_a AS (
  SELECT p.{{pers_person_id}} AS person_id
  FROM {{ssd_person}} p
  WHERE (p.{{pers_dob}} IS NOT NULL AND p.{{pers_dob}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD')
         AND CASE WHEN TO_CHAR(p.{{pers_dob}}, 'MM-DD') = '02-29' THEN p.{{pers_dob}} + NUMTODSINTERVAL(ADD_MONTHS(TRUNC(p.{{pers_dob}}), 312) - TRUNC(p.{{pers_dob}}), 'DAY') ELSE p.{{pers_dob}} + NUMTOYMINTERVAL(26, 'YEAR') END > TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD'))
     OR (p.{{pers_dob}} IS NULL AND p.{{pers_expected_dob}} IS NOT NULL
         AND p.{{pers_expected_dob}} >= TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD') AND p.{{pers_expected_dob}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD'))
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
  WHERE cp.{{cinp_cin_plan_start_date}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD')
    AND (cp.{{cinp_cin_plan_end_date}} IS NULL OR cp.{{cinp_cin_plan_end_date}} >= TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD'))
  UNION
  SELECT ce.{{clae_person_id}}
  FROM {{ssd_cla_episodes}} ce
  JOIN {{ssd_cin_episodes}} e2 ON e2.{{cine_referral_id}} = ce.{{clae_referral_id}}
  WHERE e2.{{cine_referral_date}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD')
    AND (e2.{{cine_close_date}} IS NULL OR e2.{{cine_close_date}} >= TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD'))
  UNION
  SELECT ce.{{clae_person_id}}
  FROM {{ssd_cla_episodes}} ce
  JOIN {{ssd_cla_placement}} pl ON pl.{{clap_cla_id}} = ce.{{clae_cla_id}}
  WHERE pl.{{clap_cla_placement_start_date}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD')
    AND (pl.{{clap_cla_placement_end_date}} IS NULL OR pl.{{clap_cla_placement_end_date}} >= TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD'))
),
hits AS (
  SELECT DISTINCT g.person_id
  FROM gate_a g
  WHERE EXISTS (SELECT 1 FROM admitted ad WHERE ad.person_id = g.person_id)
    AND NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} e3
                    WHERE e3.{{cine_person_id}} = g.person_id
                      AND e3.{{cine_referral_date}} <= TO_DATE(SUBSTR($2, 1, 10), 'YYYY-MM-DD')
                      AND (e3.{{cine_close_date}} IS NULL OR e3.{{cine_close_date}} >= TO_DATE(SUBSTR($1, 1, 10), 'YYYY-MM-DD')))
)
SELECT CAST(h.person_id AS NVARCHAR2(2000)) AS id, COUNT(*) OVER () AS n
FROM hits h
ORDER BY 1
FETCH FIRST 5 ROWS ONLY
