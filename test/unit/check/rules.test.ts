// The rule catalogue: ids, documentation, coverage of the upstream pre-flight view, and that
// docs/check-rules.md is generated from it and up to date.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesDoc } from '../../../src/check/rulesDoc';
import { RULES, ruleDocs, type Need } from '../../../src/check/rules';
import { BUILDER_TABLES, findTable } from '../../../src/model/ssdModel';

const modelColumn = (table: string, column: string) => findTable(table)?.columns.some((c) => c.name === column) ?? false;

describe('check rule catalogue', () => {
  it('has at least 60 data rules with unique, well-formed ids', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids');
    for (const id of ids) assert.match(id, /^SSD-[A-Z0-9]+-\d{3}$/);
    assert.ok(RULES.filter((r) => r.kind !== 'schema').length >= 60);
  });

  it('documents every rule: severity, what, why, a one-line fix', () => {
    for (const r of ruleDocs()) {
      assert.ok(['error', 'warning', 'info'].includes(r.severity), r.id);
      for (const k of ['title', 'what', 'why', 'fix'] as const) assert.ok(r[k].trim().length > 10, `${r.id} ${k}`);
      assert.doesNotMatch(r.fix, /\n/, `${r.id} fix is one line`);
    }
  });

  it('names only tables and columns of the SSD model', () => {
    for (const r of RULES) {
      if (r.table === '*') continue;
      assert.ok(findTable(r.table), `${r.id}: table ${r.table}`);
      if (r.column && r.column !== '*') assert.ok(modelColumn(r.table, r.column), `${r.id}: ${r.table}.${r.column}`);
      const needs: Need[] = 'needs' in r && Array.isArray(r.needs) && r.kind !== 'cohort' ? (r.needs as Need[]) : [];
      for (const n of needs) assert.ok(modelColumn(r.table, n.column), `${r.id}: needs ${r.table}.${n.column}`);
      if (r.kind === 'orphan') assert.ok(modelColumn(r.parent.table, r.parent.column), `${r.id}: parent`);
      if (r.kind === 'cohort') for (const n of r.needs) for (const c of n.columns) assert.ok(modelColumn(n.table, c), `${r.id}: ${n.table}.${c}`);
    }
  });

  it('covers every table the builder reads', () => {
    for (const t of BUILDER_TABLES)
      assert.ok(
        RULES.some((r) => r.table === t.name && r.kind !== 'schema'),
        t.name,
      );
  });

  it('applies every check of the community pre-flight view (§6.1, #1-#28)', () => {
    const sources = RULES.map((r) => r.source ?? '').join(' ');
    for (let n = 1; n <= 28; n++) assert.match(sources, new RegExp(`pre-flight #${n}\\b`), `pre-flight #${n}`);
  });

  it('has a duplicate-key rule for every builder table and the orphan links the payload depends on', () => {
    for (const t of BUILDER_TABLES)
      assert.ok(
        RULES.some((r) => r.kind === 'group' && r.table === t.name && r.title.startsWith('duplicate primary key')),
        t.name,
      );
    const links = RULES.filter((r) => r.kind === 'orphan').map((r) => (r.kind === 'orphan' ? `${r.table}.${r.column}>${r.parent.table}` : ''));
    for (const l of [
      'ssd_cin_episodes.cine_person_id>ssd_person',
      'ssd_cin_assessments.cina_referral_id>ssd_cin_episodes',
      'ssd_cin_plans.cinp_referral_id>ssd_cin_episodes',
      'ssd_s47_enquiry.s47e_referral_id>ssd_cin_episodes',
      'ssd_cp_plans.cppl_referral_id>ssd_cin_episodes',
      'ssd_cla_episodes.clae_referral_id>ssd_cin_episodes',
      'ssd_cla_placement.clap_cla_id>ssd_cla_episodes',
      'ssd_involvements.invo_professional_id>ssd_professionals',
      'ssd_initial_cp_conference.icpc_s47_enquiry_id>ssd_s47_enquiry',
    ]) {
      assert.ok(links.includes(l), l);
    }
  });

  it('docs/check-rules.md is up to date (regenerate: npx tsx src/check/writeRulesDoc.ts)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'check-rules.md'), 'utf8');
    assert.equal(committed, renderRulesDoc());
  });

  it('documents every rule id in docs/check-rules.md', () => {
    const doc = renderRulesDoc();
    for (const r of RULES) assert.ok(doc.includes(`### ${r.id}: `), r.id);
  });
});
