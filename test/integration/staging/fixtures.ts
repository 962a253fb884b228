// Hand-made built children for staging tests (fake values only).
import type { BuiltChild, PayloadProblem } from '../../../src/payload/types';

export function child(
  personId: string,
  opts: { surname?: string; episodes?: Array<{ id: string; ref: string; close?: string; plans?: string[] }>; legacyId?: string | null; problems?: PayloadProblem[] } = {},
): BuiltChild {
  const legacyId = opts.legacyId === undefined ? `L${personId}` : opts.legacyId;
  const payload: Record<string, unknown> = { la_child_id: personId };
  if (legacyId) payload.mis_child_id = legacyId;
  payload.purge = false;
  payload.child_details = { first_name: 'Zoë', surname: opts.surname ?? "O'Brien", date_of_birth: '2015-06-01', sex: 'F', disabilities: ['NONE'], uasc_flag: false, purge: false };
  const episodes = opts.episodes ?? [{ id: `E${personId}`, ref: '2025-01-10' }];
  if (episodes.length) {
    payload.social_care_episodes = episodes.map((e) => {
      const ep: Record<string, unknown> = { social_care_episode_id: e.id, referral_date: e.ref };
      if (e.close) ep.closure_date = e.close;
      if (e.plans?.length) ep.child_in_need_plans = e.plans.map((p) => ({ child_in_need_plan_id: p, start_date: e.ref, purge: false }));
      ep.purge = false;
      return ep;
    });
  }
  return { personId, legacyId, payload, problems: opts.problems ?? [] };
}

export async function* stream(children: BuiltChild[]): AsyncIterable<BuiltChild> {
  for (const c of children) yield c;
}

export const badUpn: PayloadProblem = {
  path: '/child_details/unique_pupil_number',
  rule: 'maxLength',
  message: 'must be 13 characters, is 14 characters',
  source: 'ssd_person.pers_upn',
  severity: 'error',
};
export const noEpisodes: PayloadProblem = { path: '', rule: 'no-social-care-episodes', message: 'admitted without an overlapping CIN episode', severity: 'warning' };
