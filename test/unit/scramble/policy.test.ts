import assert from 'node:assert/strict';
import { SSD_TABLES, findTable } from '../../../src/model/ssdModel';
import { CHILD_COLUMN, CHILD_LOOKUP, FREE_TEXT_COLUMNS, roleOf, rolesOf } from '../../../src/scramble/policy';

describe('scramble/policy: what happens to every column', () => {
  it('names only real model columns in its lists', () => {
    for (const [t, cols] of Object.entries(FREE_TEXT_COLUMNS)) {
      const m = findTable(t);
      assert.ok(m, t);
      for (const c of cols)
        assert.ok(
          m.columns.some((x) => x.name.toLowerCase() === c),
          `${t}.${c}`,
        );
    }
    for (const [t, c] of Object.entries(CHILD_COLUMN))
      if (c)
        assert.ok(
          findTable(t)!.columns.some((x) => x.name.toLowerCase() === c),
          `${t}.${c}`,
        );
    for (const [t, [pt, pc, pj, oj]] of Object.entries(CHILD_LOOKUP)) {
      assert.ok(findTable(t)!.columns.some((x) => x.name === oj));
      assert.ok(findTable(pt)!.columns.some((x) => x.name === pc) && findTable(pt)!.columns.some((x) => x.name === pj));
    }
  });

  it('scrambles identifiers, names, UPNs and postcodes; moves dates; keeps codes; blanks free text', () => {
    const p = rolesOf('ssd_person');
    assert.equal(p.get('pers_person_id'), 'id');
    assert.equal(p.get('pers_legacy_id'), 'id');
    assert.equal(p.get('pers_single_unique_id'), 'id');
    assert.equal(p.get('pers_upn'), 'upn');
    assert.equal(p.get('pers_forename'), 'forename');
    assert.equal(p.get('pers_surname'), 'surname');
    assert.equal(p.get('pers_dob'), 'date');
    assert.equal(p.get('pers_ethnicity'), 'keep');
    assert.equal(rolesOf('ssd_address').get('addr_address_postcode'), 'postcode');
    assert.equal(rolesOf('ssd_address').get('addr_address_json'), 'blank');
    assert.equal(rolesOf('ssd_professionals').get('prof_social_worker_registration_no'), 'registration');
    assert.equal(rolesOf('ssd_professionals').get('prof_professional_name'), 'fullName');
    assert.equal(rolesOf('ssd_involvements').get('invo_professional_role_id'), 'keep');
    assert.equal(rolesOf('ssd_assessment_factors').get('cinf_assessment_factors_json'), 'keep');
    assert.equal(rolesOf('ssd_cin_episodes').get('cine_referral_worker_id'), 'id');
    assert.equal(rolesOf('ssd_cin_episodes').get('cine_referral_source_code'), 'keep');
  });

  it('gives every id-like column of the model a pseudonym and every date column a shift', () => {
    for (const t of SSD_TABLES) {
      if (t.apiUsage === 'READ_WRITE' || t.name === 'ssd_dim_date') continue;
      for (const c of t.columns) {
        const role = roleOf(t, c);
        if (/_id$/i.test(c.name) && c.name !== 'invo_professional_role_id') assert.equal(role, 'id', `${t.name}.${c.name}`);
        if (c.sqlServerType === 'DATETIME') assert.equal(role, 'date', `${t.name}.${c.name}`);
      }
    }
  });
});

describe('scramble: SQL Server date text', () => {
  it('writes dates SQL Server reads the same under any DATEFORMAT', async () => {
    const { mssqlDateText } = await import('../../../src/scramble/runScramble');
    assert.equal(mssqlDateText('2024-02-29', 'datetime'), '2024-02-29T00:00:00');
    assert.equal(mssqlDateText('2024-02-29T10:11:12.123456', 'datetime'), '2024-02-29T10:11:12.123');
    assert.equal(mssqlDateText('2024-02-29T10:11:12.123456', 'datetime2'), '2024-02-29T10:11:12.123456');
    assert.equal(mssqlDateText('2024-02-29', 'date'), '2024-02-29');
  });
});

describe('docs/scramble.md', () => {
  it('lists every free-text column the scramble blanks', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/scramble.md', import.meta.url), 'utf8');
    for (const [t, cols] of Object.entries(FREE_TEXT_COLUMNS)) {
      const line = doc.split('\n').find((l) => l.startsWith(`| ${t} |`));
      assert.ok(line, `${t} row`);
      for (const c of cols) assert.ok(line.includes(c), `${t}.${c}`);
    }
  });
});
