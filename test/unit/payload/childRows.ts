// Hand-made ChildRows for the pure builder's tests: a child in the cohort by default (born 2015,
// one CIN episode overlapping the window of as-of 2026-08-10: 2024-04-01 to 2026-08-11).
import { emptyChildRows, type ChildRows, type PersonRow } from '../../../src/payload/rows';
import { buildChild } from '../../../src/payload/buildPayload';
import { reportingWindow } from '../../../src/payload/window';
import { withSchemaProblems } from '../../../src/payload/validatePayload';

export const AS_OF = '2026-08-10';
export const W = reportingWindow(AS_OF);

export function child(person: Partial<PersonRow> = {}, rest: Partial<Omit<ChildRows, 'person'>> = {}, options: { episode?: boolean } = {}): ChildRows {
  const rows = emptyChildRows({ pers_person_id: 'C1', pers_dob: '2015-05-01', pers_sex: 'F', ...person });
  if (options.episode !== false) rows.cinEpisodes.push({ cine_referral_id: 'R1', cine_person_id: rows.person.pers_person_id, cine_referral_date: '2025-01-01' });
  return { ...rows, ...rest, cinEpisodes: [...rows.cinEpisodes, ...(rest.cinEpisodes ?? [])] };
}

/** Build and return the payload; fails the test when the child is not in the cohort. */
export function payloadOf(rows: ChildRows, w = W): Record<string, unknown> {
  const r = buildChild(rows, w);
  if (!r.result) throw new Error(`not in cohort: ${r.decision.exclusion?.reason}`);
  return r.result.payload;
}

export function problemsOf(rows: ChildRows, w = W) {
  const r = buildChild(rows, w);
  if (!r.result) throw new Error(`not in cohort: ${r.decision.exclusion?.reason}`);
  return withSchemaProblems(r.result.problems, r.result.payload);
}

/** The first social care episode of a built payload. */
export function episode0(rows: ChildRows, w = W): Record<string, unknown> {
  const eps = payloadOf(rows, w).social_care_episodes as Record<string, unknown>[];
  if (!eps) throw new Error('no social_care_episodes');
  return eps[0]!;
}

export function details(rows: ChildRows, w = W): Record<string, unknown> {
  return payloadOf(rows, w).child_details as Record<string, unknown>;
}
