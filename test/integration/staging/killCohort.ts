// The synthetic cohorts of the kill-safety test. Version 1: children 0..n-1. Version 2: every 20th
// child (i % 20 == 3) has left, every 7th (i % 7 == 2) has changed, and n/10 new children joined.
import type { BuiltChild } from '../../../src/payload/types';
import { child } from './fixtures';

export function personId(i: number): string {
  return `K${String(i).padStart(7, '0')}`;
}

export function childAt(version: number, i: number): BuiltChild | null {
  if (version === 2 && i % 20 === 3) return null;
  const changed = version === 2 && i % 7 === 2;
  return child(personId(i), { surname: changed ? 'Changed' : 'Same', episodes: [{ id: `E${i}`, ref: '2025-02-01', plans: [`P${i}a`, `P${i}b`] }] });
}

export function size(version: number, n: number): number {
  return version === 2 ? n + Math.floor(n / 10) : n;
}

export async function* cohortFor(version: number, n: number): AsyncIterable<BuiltChild> {
  for (let i = 0; i < size(version, n); i++) {
    const c = childAt(version, i);
    if (c) yield c;
  }
}
