-- Generated from src/payload/rowSpec.ts by `npx tsx scripts/render-sql.ts`: edit the spec, not this file.
-- Rows the payload builder cannot attach to any payload (issue 19.3): an assessment, plan, S47,
-- CP plan, CLA episode or involvement whose referral is not in ssd_cin_episodes (or is empty), a
-- placement whose CLA id is in no ssd_cla_episodes row. They are reached through a referral or CLA
-- episode in payload_child_rows.sql, so they belong to no child there; here each is tagged with
-- the person of its own person-id column (kind 'or': s1 table, s2 row id, s3 the reference that
-- was not found, s4 its column) so that child's payload gets a warning naming what was dropped.
-- The person-id columns are not among the columns the builder needs, so src/payload adds a branch
-- only when its column exists (older SSDs lack some). Sections start with "-- branch table.column"
-- and are spliced into payload_child_rows.sql at its orphanBranches placeholder, each after a UNION ALL.
-- branch ssd_cin_assessments.cina_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_cin_assessments' AS NVARCHAR2(2000)) AS s1, CAST(ca.cina_assessment_id AS NVARCHAR2(2000)) AS s2, CAST(ca.cina_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N'cina_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_cin_assessments}} ca JOIN {{ssd_person}} p ON p.pers_person_id = ca.cina_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = ca.cina_referral_id)
-- branch ssd_cin_plans.cinp_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_cin_plans' AS NVARCHAR2(2000)) AS s1, CAST(cp.cinp_cin_plan_id AS NVARCHAR2(2000)) AS s2, CAST(cp.cinp_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N'cinp_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_cin_plans}} cp JOIN {{ssd_person}} p ON p.pers_person_id = cp.cinp_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = cp.cinp_referral_id)
-- branch ssd_s47_enquiry.s47e_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_s47_enquiry' AS NVARCHAR2(2000)) AS s1, CAST(s.s47e_s47_enquiry_id AS NVARCHAR2(2000)) AS s2, CAST(s.s47e_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N's47e_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_s47_enquiry}} s JOIN {{ssd_person}} p ON p.pers_person_id = s.s47e_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = s.s47e_referral_id)
-- branch ssd_cp_plans.cppl_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_cp_plans' AS NVARCHAR2(2000)) AS s1, CAST(cpp.cppl_cp_plan_id AS NVARCHAR2(2000)) AS s2, CAST(cpp.cppl_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N'cppl_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_cp_plans}} cpp JOIN {{ssd_person}} p ON p.pers_person_id = cpp.cppl_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = cpp.cppl_referral_id)
-- branch ssd_cla_episodes.clae_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_cla_episodes' AS NVARCHAR2(2000)) AS s1, CAST(c.clae_cla_episode_id AS NVARCHAR2(2000)) AS s2, CAST(c.clae_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N'clae_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_cla_episodes}} c JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = c.clae_referral_id)
-- branch ssd_cla_placement.clap_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_cla_placement' AS NVARCHAR2(2000)) AS s1, CAST(pl.clap_cla_placement_id AS NVARCHAR2(2000)) AS s2, CAST(pl.clap_cla_id AS NVARCHAR2(2000)) AS s3, CAST(N'clap_cla_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_cla_placement}} pl JOIN {{ssd_person}} p ON p.pers_person_id = pl.clap_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cla_episodes}} r WHERE r.clae_cla_id = pl.clap_cla_id)
-- branch ssd_involvements.invo_person_id
  SELECT CAST(p.pers_person_id AS NVARCHAR2(48)) AS pid, CAST(N'or' AS NVARCHAR2(2)) AS k, CAST(N'ssd_involvements' AS NVARCHAR2(2000)) AS s1, CAST(i.invo_involvements_id AS NVARCHAR2(2000)) AS s2, CAST(i.invo_referral_id AS NVARCHAR2(2000)) AS s3, CAST(N'invo_referral_id' AS NVARCHAR2(2000)) AS s4, CAST(NULL AS NVARCHAR2(2000)) AS s5, CAST(NULL AS NVARCHAR2(2000)) AS s6, CAST(NULL AS NVARCHAR2(2000)) AS s7, CAST(NULL AS TIMESTAMP(3)) AS d1, CAST(NULL AS TIMESTAMP(3)) AS d2, CAST(NULL AS TIMESTAMP(3)) AS d3, CAST(NULL AS NUMBER(10)) AS n1, TO_CLOB(NULL) AS x
  FROM {{ssd_involvements}} i JOIN {{ssd_person}} p ON p.pers_person_id = i.invo_person_id
  WHERE NOT EXISTS (SELECT 1 FROM {{ssd_cin_episodes}} r WHERE r.cine_referral_id = i.invo_referral_id)
