-- Generated from src/payload/rowSpec.ts by `npx tsx scripts/render-sql.ts`: edit the spec, not this file.
-- The rows the DfE payload builder reads, one stream for every child: each row of the 19 SSD
-- tables tagged with the person it belongs to (pid) and its kind (k), in pid order (code-point
-- order, the order src/payload compares in, by the collation of the ORDER BY), so the builder
-- groups consecutive rows per child and never holds more than one child in memory. Rows reached
-- through a referral (assessments, factors, plans, S47s, CP plans, CLA episodes, involvements)
-- take the person of their CIN episode; placements and permanence also come through the
-- child's CLA episodes. Joins use the database collation, as the community T-SQL does; the keys
-- the builder matches on in memory (referral, CLA and person ids) are taken from the joined row,
-- so its matching agrees.
-- Generic columns: s1-s7 text, d1-d3 timestamps, n1 integer, x long text;
-- which column of which table each one carries, per kind, is in src/payload/rowSpec.ts.
-- Values the builder reads as numbers (the SDQ score) come as text and are parsed in TypeScript,
-- so a text column holding 'N/A' or '7.5' gives that row a warning instead of aborting the stream
-- for everyone (n1 is kept, always NULL, for the column layout).
-- $1 = one person id, or NULL for everyone.
-- orphanBranches: rows no payload can hold, by their own person id (payload_orphan_rows.sql).
SELECT u.* FROM (
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('p' AS VARCHAR) AS k, CAST(p.pers_legacy_id AS VARCHAR) AS s1, CAST(p.pers_upn AS VARCHAR) AS s2, CAST(p.pers_forename AS VARCHAR) AS s3, CAST(p.pers_surname AS VARCHAR) AS s4, CAST(p.pers_sex AS VARCHAR) AS s5, CAST(p.pers_ethnicity AS VARCHAR) AS s6, CAST(p.pers_upn_unknown AS VARCHAR) AS s7, CAST(p.pers_dob AS TIMESTAMP) AS d1, CAST(p.pers_expected_dob AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_person}} p
{{orphanBranches}}
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('ad' AS VARCHAR) AS k, CAST(a.addr_table_id AS VARCHAR) AS s1, CAST(a.addr_address_postcode AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(a.addr_address_start_date AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_address}} a JOIN {{ssd_person}} p ON p.pers_person_id = a.addr_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('di' AS VARCHAR) AS k, CAST(di.disa_table_id AS VARCHAR) AS s1, CAST(di.disa_disability_code AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(NULL AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_disability}} di JOIN {{ssd_person}} p ON p.pers_person_id = di.disa_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('im' AS VARCHAR) AS k, CAST(im.immi_immigration_status_id AS VARCHAR) AS s1, CAST(im.immi_immigration_status AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(im.immi_immigration_status_start_date AS TIMESTAMP) AS d1, CAST(im.immi_immigration_status_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_immigration_status}} im JOIN {{ssd_person}} p ON p.pers_person_id = im.immi_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('li' AS VARCHAR) AS k, CAST(li.link_table_id AS VARCHAR) AS s1, CAST(li.link_identifier_type AS VARCHAR) AS s2, CAST(li.link_identifier_value AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(li.link_valid_from_date AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_linked_identifiers}} li JOIN {{ssd_person}} p ON p.pers_person_id = li.link_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('ce' AS VARCHAR) AS k, CAST(e.cine_referral_id AS VARCHAR) AS s1, CAST(e.cine_referral_source_code AS VARCHAR) AS s2, CAST(e.cine_referral_nfa AS VARCHAR) AS s3, CAST(e.cine_close_reason AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(e.cine_referral_date AS TIMESTAMP) AS d1, CAST(e.cine_close_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cin_episodes}} e JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('ca' AS VARCHAR) AS k, CAST(ca.cina_assessment_id AS VARCHAR) AS s1, CAST(e.cine_referral_id AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(ca.cina_assessment_start_date AS TIMESTAMP) AS d1, CAST(ca.cina_assessment_auth_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cin_assessments}} ca JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = ca.cina_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('af' AS VARCHAR) AS k, CAST(af.cinf_table_id AS VARCHAR) AS s1, CAST(ca.cina_assessment_id AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(NULL AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(af.cinf_assessment_factors_json AS TEXT) AS x
  FROM {{ssd_assessment_factors}} af JOIN {{ssd_cin_assessments}} ca ON ca.cina_assessment_id = af.cinf_assessment_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = ca.cina_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('cp' AS VARCHAR) AS k, CAST(cp.cinp_cin_plan_id AS VARCHAR) AS s1, CAST(COALESCE(e.cine_referral_id, cp.cinp_referral_id) AS VARCHAR) AS s2, CAST(p.pers_person_id AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(cp.cinp_cin_plan_start_date AS TIMESTAMP) AS d1, CAST(cp.cinp_cin_plan_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cin_plans}} cp JOIN {{ssd_person}} p ON p.pers_person_id = cp.cinp_person_id LEFT JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cp.cinp_referral_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('cp' AS VARCHAR) AS k, CAST(cp.cinp_cin_plan_id AS VARCHAR) AS s1, CAST(e.cine_referral_id AS VARCHAR) AS s2, CAST(CASE WHEN cp.cinp_person_id = p.pers_person_id THEN p.pers_person_id ELSE cp.cinp_person_id END AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(cp.cinp_cin_plan_start_date AS TIMESTAMP) AS d1, CAST(cp.cinp_cin_plan_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cin_plans}} cp JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cp.cinp_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('s4' AS VARCHAR) AS k, CAST(s.s47e_s47_enquiry_id AS VARCHAR) AS s1, CAST(e.cine_referral_id AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(s.s47e_s47_start_date AS TIMESTAMP) AS d1, CAST(s.s47e_s47_end_date AS TIMESTAMP) AS d2, CAST(ic.latest_icpc_date AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(s.s47e_s47_outcome_json AS TEXT) AS x
  FROM {{ssd_s47_enquiry}} s JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = s.s47e_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  LEFT JOIN (SELECT icpc_s47_enquiry_id, MAX(icpc_icpc_date) AS latest_icpc_date FROM {{ssd_initial_cp_conference}} GROUP BY icpc_s47_enquiry_id) ic ON ic.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('pp' AS VARCHAR) AS k, CAST(cpp.cppl_cp_plan_id AS VARCHAR) AS s1, CAST(e.cine_referral_id AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(cpp.cppl_cp_plan_start_date AS TIMESTAMP) AS d1, CAST(cpp.cppl_cp_plan_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cp_plans}} cpp JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = cpp.cppl_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('cl' AS VARCHAR) AS k, CAST(c.clae_cla_episode_id AS VARCHAR) AS s1, CAST(c.clae_cla_id AS VARCHAR) AS s2, CAST(COALESCE(e.cine_referral_id, c.clae_referral_id) AS VARCHAR) AS s3, CAST(p.pers_person_id AS VARCHAR) AS s4, CAST(c.clae_cla_episode_start_reason AS VARCHAR) AS s5, CAST(c.clae_cla_episode_ceased_reason AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(e.cine_referral_date AS TIMESTAMP) AS d1, CAST(e.cine_close_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cla_episodes}} c JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id LEFT JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('cl' AS VARCHAR) AS k, CAST(c.clae_cla_episode_id AS VARCHAR) AS s1, CAST(c.clae_cla_id AS VARCHAR) AS s2, CAST(e.cine_referral_id AS VARCHAR) AS s3, CAST(CASE WHEN c.clae_person_id = p.pers_person_id THEN p.pers_person_id ELSE c.clae_person_id END AS VARCHAR) AS s4, CAST(c.clae_cla_episode_start_reason AS VARCHAR) AS s5, CAST(c.clae_cla_episode_ceased_reason AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(e.cine_referral_date AS TIMESTAMP) AS d1, CAST(e.cine_close_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cla_episodes}} c JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('pl' AS VARCHAR) AS k, CAST(pl.clap_cla_placement_id AS VARCHAR) AS s1, CAST(c.clae_cla_id AS VARCHAR) AS s2, CAST(pl.clap_cla_placement_type AS VARCHAR) AS s3, CAST(pl.clap_cla_placement_postcode AS VARCHAR) AS s4, CAST(pl.clap_cla_placement_change_reason AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(pl.clap_cla_placement_start_date AS TIMESTAMP) AS d1, CAST(pl.clap_cla_placement_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cla_placement}} pl JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pl.clap_cla_id JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('pl' AS VARCHAR) AS k, CAST(pl.clap_cla_placement_id AS VARCHAR) AS s1, CAST(c.clae_cla_id AS VARCHAR) AS s2, CAST(pl.clap_cla_placement_type AS VARCHAR) AS s3, CAST(pl.clap_cla_placement_postcode AS VARCHAR) AS s4, CAST(pl.clap_cla_placement_change_reason AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(pl.clap_cla_placement_start_date AS TIMESTAMP) AS d1, CAST(pl.clap_cla_placement_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_cla_placement}} pl JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pl.clap_cla_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = c.clae_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('pm' AS VARCHAR) AS k, CAST(pm.perm_table_id AS VARCHAR) AS s1, CAST(p.pers_person_id AS VARCHAR) AS s2, CAST(pm.perm_cla_id AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(pm.perm_adm_decision_date AS TIMESTAMP) AS d1, CAST(pm.perm_matched_date AS TIMESTAMP) AS d2, CAST(pm.perm_placed_for_adoption_date AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_permanence}} pm JOIN {{ssd_person}} p ON p.pers_person_id = pm.perm_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('pm' AS VARCHAR) AS k, CAST(pm.perm_table_id AS VARCHAR) AS s1, CAST(CASE WHEN pm.perm_person_id = p.pers_person_id THEN p.pers_person_id ELSE pm.perm_person_id END AS VARCHAR) AS s2, CAST(c.clae_cla_id AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(pm.perm_adm_decision_date AS TIMESTAMP) AS d1, CAST(pm.perm_matched_date AS TIMESTAMP) AS d2, CAST(pm.perm_placed_for_adoption_date AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_permanence}} pm JOIN {{ssd_cla_episodes}} c ON c.clae_cla_id = pm.perm_cla_id JOIN {{ssd_person}} p ON p.pers_person_id = c.clae_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('cv' AS VARCHAR) AS k, CAST(cv.clea_table_id AS VARCHAR) AS s1, CAST(cv.clea_care_leaver_activity AS VARCHAR) AS s2, CAST(cv.clea_care_leaver_accommodation AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(cv.clea_care_leaver_latest_contact AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_care_leavers}} cv JOIN {{ssd_person}} p ON p.pers_person_id = cv.clea_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('iv' AS VARCHAR) AS k, CAST(i.invo_involvements_id AS VARCHAR) AS s1, CAST(e.cine_referral_id AS VARCHAR) AS s2, CAST(i.invo_professional_role_id AS VARCHAR) AS s3, CAST(pr.prof_social_worker_registration_no AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(i.invo_involvement_start_date AS TIMESTAMP) AS d1, CAST(i.invo_involvement_end_date AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_involvements}} i JOIN {{ssd_professionals}} pr ON pr.prof_professional_id = i.invo_professional_id JOIN {{ssd_cin_episodes}} e ON e.cine_referral_id = i.invo_referral_id JOIN {{ssd_person}} p ON p.pers_person_id = e.cine_person_id
  UNION ALL
  SELECT CAST(p.pers_person_id AS VARCHAR) AS pid, CAST('sd' AS VARCHAR) AS k, CAST(sd.csdq_table_id AS VARCHAR) AS s1, CAST(sd.csdq_sdq_score AS VARCHAR) AS s2, CAST(NULL AS VARCHAR) AS s3, CAST(NULL AS VARCHAR) AS s4, CAST(NULL AS VARCHAR) AS s5, CAST(NULL AS VARCHAR) AS s6, CAST(NULL AS VARCHAR) AS s7, CAST(sd.csdq_sdq_completed_date AS TIMESTAMP) AS d1, CAST(NULL AS TIMESTAMP) AS d2, CAST(NULL AS TIMESTAMP) AS d3, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS TEXT) AS x
  FROM {{ssd_sdq_scores}} sd JOIN {{ssd_person}} p ON p.pers_person_id = sd.csdq_person_id
) u
WHERE CAST($1 AS VARCHAR) IS NULL OR u.pid = CAST($1 AS VARCHAR)
ORDER BY u.pid COLLATE "C"
