// Pure decisions behind "SSD: Connection Testing Phases", "SSD: Make Scrambled Copy…" and the
// live-send confirmation (no vscode here, so unit tests cover them).
import { validateIdentifier } from '../../db/dialect';
import type { Phase, PhasesReport } from '../../phases/phases';
import { skippedBeforeLive, skippedText } from '../../phases/phases';

const fmt = (n: number) => n.toLocaleString('en-GB');

export interface PhaseItem {
  label: string;
  description: string;
  detail: string;
  next: string | null;
}

/** One quick-pick item per phase: done or not yet, date, counts, the next command. */
export function phaseItems(r: PhasesReport): PhaseItem[] {
  return r.phases.map((p: Phase) => ({
    label: `${p.done ? '$(pass-filled)' : p.no === r.current ? '$(arrow-right)' : '$(circle-large-outline)'} ${p.no}. ${p.title}`,
    description: p.done ? `done${p.date ? ` ${p.date.replace('T', ' ').slice(0, 16)}` : ''}` : 'not yet',
    detail:
      `${fmt(p.staged)} staged, ${fmt(p.runs)} send run(s), ${fmt(p.posted)} sent, ${fmt(p.acknowledged)} acknowledged` +
      (p.where[0] ? ` (${p.where[0].schema}.${p.where[0].table})` : '') +
      (p.next ? ` · next: ${p.next}` : ''),
    next: p.next,
  }));
}

/** The modal asked before live data goes to the live endpoint while phases 1-3 have no record of success; null when none is skipped. */
export function liveSkipConfirmation(r: PhasesReport): { message: string; detail: string; button: string } | null {
  const skipped = skippedBeforeLive(r);
  if (!skipped.length) return null;
  return {
    message: 'Send live data to the live endpoint before the test phases have succeeded?',
    detail: `This database has no record of ${skippedText(skipped)}. The guide's path tests the connection with fake data, a scrambled copy and live data sent to the test endpoint first ("SSD: Connection Testing Phases").`,
    button: 'Send Live Anyway',
  };
}

/** Why a schema name cannot hold the scrambled copy (undefined when it can). */
export function copySchemaProblem(value: string, sourceSchema: string): string | undefined {
  try {
    validateIdentifier(value.trim(), 'schema');
  } catch (e) {
    return (e as Error).message;
  }
  if (value.trim().toLowerCase() === sourceSchema.toLowerCase()) return `the copy must go to another schema than the source (${sourceSchema})`;
  return undefined;
}
