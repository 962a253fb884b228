import assert from 'node:assert/strict';
import {
  FAKE_TABLES,
  PROBLEM_KINDS,
  dayOf,
  defaultShares,
  generateChild,
  generateTeam,
  isoOf,
  registrationNumber,
  windowInDays as reportingWindow,
  type CohortContext,
} from '../../../src/fake/cohort';
import { parseChildren, parseShare, sharesFromOptions } from '../../../src/fake/cli';
import { getColumn } from '../../../src/model/ssdModel';
import { isValidUpn } from '../../../src/fake/upn';

const ctx = (seed: string, shares = defaultShares(0)): CohortContext => ({ seed, asOfDay: dayOf('2026-08-10'), shares });

describe('fake/cohort: pure generation', () => {
  it('writes only columns of the SSD model', () => {
    const c = generateChild(3, ctx('1'));
    for (const t of FAKE_TABLES) for (const row of c.tables[t]) for (const col of Object.keys(row)) assert.doesNotThrow(() => getColumn(t, col));
  });

  it('a child depends only on seed, as-of and its number', () => {
    assert.deepEqual(generateChild(42, ctx('1')), generateChild(42, ctx('1')));
    assert.notDeepEqual(generateChild(42, ctx('1')).tables, generateChild(42, ctx('2')).tables);
    assert.notDeepEqual(generateChild(42, ctx('1')).tables, generateChild(42, { ...ctx('1'), asOfDay: dayOf('2025-08-10') }).tables);
  });

  it('problem shares change only the rows they touch', () => {
    for (let k = 0; k < 300; k++) {
      const clean = generateChild(k, ctx('7'));
      const dirty = generateChild(k, ctx('7', defaultShares(1)));
      assert.equal(dirty.tables.ssd_person[0]!.pers_person_id, clean.tables.ssd_person[0]!.pers_person_id);
      assert.deepEqual(dirty.facts, clean.facts);
      for (const t of FAKE_TABLES) {
        const extra = t === 'ssd_sdq_scores' && dirty.problems.includes('duplicateSdq') ? 1 : 0;
        assert.equal(dirty.tables[t].length, clean.tables[t].length + extra, `child ${k} ${t}`);
      }
      assert.equal(clean.problems.length, 0);
    }
  });

  it('dates are YYYY-MM-DD text, UPNs valid, ids fixed-length digits', () => {
    for (let k = 0; k < 500; k++) {
      const c = generateChild(k, ctx('3'));
      for (const t of FAKE_TABLES)
        for (const row of c.tables[t]) {
          for (const [col, v] of Object.entries(row)) {
            if (/_date$|_dob$|_contact$/.test(col) && v !== null) assert.match(String(v), /^\d{4}-\d{2}-\d{2}$/, `${t}.${col}`);
          }
          const id = String(Object.values(row)[0]);
          assert.match(id, t === 'ssd_person' ? /^\d{8}$/ : /^\d{11}$/, `${t} id ${id}`);
        }
      const upn = c.tables.ssd_person[0]!.pers_upn;
      if (upn !== null) assert.ok(isValidUpn(String(upn)));
    }
  });

  it('professionals have SW registration numbers unique per professional', () => {
    const team = generateTeam(0, ctx('1'));
    assert.equal(team.length, 8);
    const regs = team.map((p) => p.prof_social_worker_registration_no).filter((r) => r !== null);
    assert.ok(regs.length >= 5);
    for (const r of regs) assert.match(String(r), /^SW\d{6}$/);
    const all = new Set(Array.from({ length: 100000 }, (_, p) => registrationNumber(p)));
    assert.equal(all.size, 100000);
  });

  it('computes the contract reporting window', () => {
    const w = reportingWindow(dayOf('2026-08-10'));
    assert.equal(isoOf(w.start), '2024-04-01');
    assert.equal(isoOf(w.end), '2026-08-11');
    const w2 = reportingWindow(dayOf('2026-01-15'));
    assert.equal(isoOf(w2.start), '2023-04-01');
  });
});

describe('fake/cli: option parsing', () => {
  it('parses shares as decimals or percentages', () => {
    assert.equal(parseShare('0.02', 'x'), 0.02);
    assert.equal(parseShare('.5', 'x'), 0.5);
    assert.equal(parseShare('2%', 'x'), 0.02);
    assert.equal(parseShare('0', 'x'), 0);
    for (const bad of ['1.5', '-0.1', 'abc', '', '150%']) assert.throws(() => parseShare(bad, 'x'), /share from 0 to 1/);
  });

  it('--clean zeroes every share and an explicit share wins', () => {
    const s = sharesFromOptions({ clean: true, badPostcodeShare: '0.1' });
    for (const k of PROBLEM_KINDS) assert.equal(s[k], k === 'badPostcode' ? 0.1 : 0);
    assert.deepEqual(sharesFromOptions({}), {});
  });

  it('parses --children', () => {
    assert.equal(parseChildren('100_000'), 100000);
    assert.equal(parseChildren('1,000'), 1000);
    for (const bad of ['0', '-1', '1.5', 'many', '100000000']) assert.throws(() => parseChildren(bad), /--children/);
    assert.throws(() => parseChildren(undefined), /required/);
  });
});
