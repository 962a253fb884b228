// The cohort's date rules as SQL (src/check/cohortSql.ts, rendered into every dialect's
// check_cohort_without_episode.sql) evaluated by real databases against the TypeScript rules they
// must agree with: addYears of src/model/asOf.ts, gate A of the builder (passesGateA) and
// AsOf.ageCutoff, the window's overlaps/inWindow (src/payload/window.ts). Boundary dates: the
// 26th birthday on the window start and on the as-of date, births on 29 February, as-of dates on
// 29 February, times of day on the boundary dates, open-ended records. Runs on Oracle too when
// SSD_TEST_ORACLE is set (there "+ n years" is a CASE over NUMTOYMINTERVAL and ADD_MONTHS).
import assert from 'node:assert/strict';
import { columnType, quoteIdent, sqlSyntax } from '../../../src/db/dialect';
import { ageRuleSql, gateASql, inWindowSql, overlapsWindowSql } from '../../../src/check/cohortSql';
import { AGE_LIMIT_YEARS, AsOf, addDays, addYears } from '../../../src/model/asOf';
import { findTable } from '../../../src/model/ssdModel';
import { passesGateA } from '../../../src/payload/buildPayload';
import { emptyChildRows } from '../../../src/payload/rows';
import { addYearsTs, inWindow, overlaps } from '../../../src/payload/window';
import { forEachTarget } from '../../helpers/targets';

const AS_OF_DATES = ['2026-08-10', '2028-02-29', '2024-02-29', '2027-03-31', '2026-04-01', '2025-03-01'];

/** Dates of birth around every boundary of one as-of date. */
function boundaryDobs(asOf: AsOf): string[] {
  const { start, end } = asOf.window;
  const cutoff = asOf.ageCutoff;
  const birthdayOnAsOf = addYears(asOf.date, -AGE_LIMIT_YEARS);
  return [
    cutoff,
    addDays(cutoff, 1),
    addDays(cutoff, -1),
    `${cutoff}T00:00:01`,
    `${cutoff}T23:59:59`,
    `${addDays(cutoff, -1)}T23:59:59`,
    addYears(start, -AGE_LIMIT_YEARS + 1),
    birthdayOnAsOf,
    addDays(birthdayOnAsOf, 1),
    addDays(birthdayOnAsOf, -1),
    addYears(asOf.date, -AGE_LIMIT_YEARS + 1),
    asOf.date,
    end,
    addDays(end, 1),
    `${end}T00:00:01`,
    `${asOf.date}T23:59:59`,
    '2000-02-29',
    '1996-02-29',
    '1998-02-28',
    '1998-03-01',
    '2000-02-29T12:00:00',
    '2024-02-29',
    '2028-02-29',
  ];
}

/** One value as the driver takes it: 'YYYY-MM-DDTHH:MM:SS'. */
const ts = (d: string) => (d.length === 10 ? `${d}T00:00:00` : d);

forEachTarget(
  'cohort date rules in SQL agree with src/model/asOf.ts and the builder',
  (fx) => {
    let table = '';
    let tsType = '';

    before(async function () {
      const { db, t } = fx();
      // The SSD's own column types: ssd_person.pers_dob for dates of birth, CIN episode dates for records.
      const person = findTable('ssd_person')!,
        episodes = findTable('ssd_cin_episodes')!;
      const col = (def: typeof person, name: string) =>
        columnType(
          db.dialect,
          def.columns.find((c) => c.name === name)!,
        );
      tsType = col(person, 'pers_dob');
      table = t('dates');
      await db.execute(
        `CREATE TABLE ${table} (${quoteIdent(db.dialect, 'id')} ${db.dialect === 'mssql' ? 'NVARCHAR(20)' : 'VARCHAR(20)'} NOT NULL, ` +
          `dob ${tsType} NULL, edob ${col(person, 'pers_expected_dob')} NULL, s ${col(episodes, 'cine_referral_date')} NULL, e ${col(episodes, 'cine_close_date')} NULL)`,
      );
    });

    beforeEach(async function () {
      await fx().db.execute(`DELETE FROM ${table}`);
    });

    async function fill(rows: Array<Record<'dob' | 'edob' | 's' | 'e', string | null>>): Promise<string[]> {
      const { db } = fx();
      const ids: string[] = [];
      for (const [i, r] of rows.entries()) {
        const id = `r${String(i).padStart(4, '0')}`;
        ids.push(id);
        await db.execute(`INSERT INTO ${table} (id, dob, edob, s, e) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          r.dob === null ? null : ts(r.dob),
          r.edob === null ? null : ts(r.edob),
          r.s === null ? null : ts(r.s),
          r.e === null ? null : ts(r.e),
        ]);
      }
      return ids;
    }

    async function matching(where: string, asOf: AsOf): Promise<Set<string>> {
      const params = where.includes('$2') ? [asOf.window.start, asOf.window.end] : [asOf.window.start];
      const rows = await fx().db.query<{ id: string }>(`SELECT id FROM ${table} p WHERE ${where}`, params);
      return new Set(rows.map((r) => String(r.id)));
    }

    it('adds years as addYears does: 29 February to 28 February in a common year, the time of day kept', async () => {
      const { db } = fx();
      const syntax = sqlSyntax(db.dialect);
      const values = ['2000-02-29', '2000-02-29T13:45:10', '1996-02-29', '1998-04-01', '1999-12-31T23:59:59', '2024-02-28', '2000-03-01'];
      for (const v of values) {
        for (const n of [AGE_LIMIT_YEARS, -AGE_LIMIT_YEARS, 1, -1, 4, 25]) {
          const want = ts(addYearsTs(v, n));
          const [row] = await db.query<{ ok: number }>(
            `SELECT CASE WHEN ${syntax.addYears(`CAST($1 AS ${tsType})`, n)} = CAST($2 AS ${tsType}) THEN 1 ELSE 0 END AS ok${db.dialect === 'oracle' ? ' FROM dual' : ''}`,
            [ts(v), want],
          );
          assert.equal(Number(row!.ok), 1, `${v} + ${n} years should be ${want}`);
        }
      }
    });

    it('gate A: the same children as the builder and as AsOf.ageCutoff, around the 26th birthday and the window ends', async () => {
      const { db } = fx();
      const syntax = sqlSyntax(db.dialect);
      for (const date of AS_OF_DATES) {
        const asOf = AsOf.parse(date);
        const dobs = boundaryDobs(asOf);
        const { start, end } = asOf.window;
        const expected = [start, end, addDays(start, -1), addDays(end, 1), `${end}T10:00:00`, `${start}T00:00:01`];
        const rows = [
          ...dobs.map((dob) => ({ dob, edob: null, s: null, e: null })),
          ...expected.map((edob) => ({ dob: null, edob, s: null, e: null })),
          { dob: '2000-02-29', edob: start, s: null, e: null }, // a date of birth wins over the expected one
          { dob: null, edob: null, s: null, e: null },
        ];
        await fx().db.execute(`DELETE FROM ${table}`);
        const ids = await fill(rows);
        const sqlGate = await matching(gateASql(syntax, 'p.dob', 'p.edob'), asOf);
        const sqlAge = await matching(`p.dob IS NOT NULL AND ${ageRuleSql(syntax, 'p.dob')}`, asOf);
        rows.forEach((r, i) => {
          const person = emptyChildRows({ pers_person_id: ids[i]!, pers_dob: r.dob, pers_expected_dob: r.edob });
          const what = `as-of ${date}, dob ${r.dob}, expected ${r.edob}`;
          assert.equal(sqlGate.has(ids[i]!), passesGateA(person, asOf.window), `gate A, ${what}`);
          if (r.dob !== null) {
            assert.equal(sqlAge.has(ids[i]!), addYearsTs(r.dob, AGE_LIMIT_YEARS) > start, `age rule, ${what}`);
            // Past the age limit for the whole window exactly when born on or before the cut-off day.
            assert.equal(sqlAge.has(ids[i]!), r.dob.slice(0, 10) > asOf.ageCutoff || (r.dob.slice(0, 10) === asOf.ageCutoff && r.dob.length > 10), `cut-off, ${what}`);
          }
        });
        // The boundaries are really crossed: some in, some out.
        assert.ok(sqlGate.size > 0 && sqlGate.size < rows.length, `as-of ${date}: ${sqlGate.size} of ${rows.length}`);
      }
    });

    it('window rules: overlapping records and dates inside the window as overlaps and inWindow, times of day on the ends included', async () => {
      for (const date of AS_OF_DATES) {
        const asOf = AsOf.parse(date);
        const { start, end } = asOf.window;
        const points = [addDays(start, -1), start, `${start}T09:00:00`, addDays(start, 1), addDays(end, -1), end, `${end}T10:00:00`, addDays(end, 1)];
        const rows = [...points.flatMap((s) => [...points, null].map((e) => ({ dob: null, edob: null, s, e }))), ...points.map((edob) => ({ dob: null, edob, s: null, e: null }))];
        await fx().db.execute(`DELETE FROM ${table}`);
        const ids = await fill(rows);
        // The dialect's spelling of the window's bounds (Oracle: TO_DATE with an explicit format).
        const syntax = sqlSyntax(fx().db.dialect);
        const sqlOverlap = await matching(overlapsWindowSql('p.s', 'p.e', '  ', syntax), asOf);
        const sqlInside = await matching(inWindowSql('p.edob', syntax), asOf);
        rows.forEach((r, i) => {
          if (r.s !== null) assert.equal(sqlOverlap.has(ids[i]!), overlaps(r.s, r.e, asOf.window), `as-of ${date}: ${r.s} to ${r.e}`);
          if (r.edob !== null) assert.equal(sqlInside.has(ids[i]!), inWindow(r.edob, asOf.window), `as-of ${date}: ${r.edob} in the window`);
        });
      }
    });
  },
  { oracle: true },
);
