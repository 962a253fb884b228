// The payload picker's rules (Build Payload for Child): real ids first (children with problems,
// then ids starting with what was typed), and Enter builds only an id that exists: never the
// typed prefix itself. Pure (no 'vscode').

export interface PickerItem {
  /** The person id (the item's label). */
  id: string;
  /** Short note: the child's problems ("2 check findings · Withheld"). */
  note?: string;
}

/**
 * The items for what was typed: children with problems whose id starts with it first (with their
 * note), then the other ids the search found. Ids only, each once.
 */
export function pickerItems(typed: string, found: readonly string[], problems: ReadonlyMap<string, string>): PickerItem[] {
  const t = typed.trim();
  const flagged = [...problems.keys()].filter((id) => id.startsWith(t)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).slice(0, 20);
  const out: PickerItem[] = flagged.map((id) => ({ id, note: problems.get(id)! }));
  const seen = new Set(flagged);
  for (const id of found) if (!seen.has(id)) { seen.add(id); out.push(problems.has(id) ? { id, note: problems.get(id)! } : { id }); }
  return out;
}

export type AcceptDecision =
  | { build: string }
  /** Nothing listed matches: ask the database whether the typed text is an id. */
  | { check: string }
  | { none: true };

/**
 * What Enter does: the highlighted item when it is a real id that matches what was typed; the
 * typed text when it is exactly a listed id; else ask the database (a prefix never builds).
 */
export function acceptDecision(typed: string, highlighted: string | undefined, listed: readonly string[]): AcceptDecision {
  const t = typed.trim();
  if (t && listed.includes(t)) return { build: t };
  if (highlighted !== undefined && listed.includes(highlighted) && highlighted.startsWith(t)) return { build: highlighted };
  if (t) return { check: t };
  return { none: true };
}

/** A short note for a child with problems, from the rules naming it and whether staging withheld it. */
export function problemNote(rules: readonly string[], withheld: boolean): string {
  const parts: string[] = [];
  if (rules.length) parts.push(`${rules.length} check finding${rules.length === 1 ? '' : 's'}`);
  if (withheld) parts.push('Withheld');
  return parts.join(' · ');
}
