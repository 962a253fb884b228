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
  // `found` may be an earlier search's (a shorter prefix): keep the ids that match what is typed now.
  found = found.filter((id) => id.startsWith(t));
  const flagged = [...problems.keys()]
    .filter((id) => id.startsWith(t))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .slice(0, 20);
  const out: PickerItem[] = flagged.map((id) => ({ id, note: problems.get(id)! }));
  const seen = new Set(flagged);
  for (const id of found)
    if (!seen.has(id)) {
      seen.add(id);
      out.push(problems.has(id) ? { id, note: problems.get(id)! } : { id });
    }
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

/** How many ids one lookup asks for: the picker lists a page, never the whole table. */
export const PICKER_LOOKUP_LIMIT = 50;

/** The database side of the picker: ids starting with a prefix (bounded) and whether an id exists. */
export interface PickerLookup {
  search(prefix: string, limit: number): Promise<string[]>;
  exists(id: string): Promise<boolean>;
}

export type AcceptOutcome =
  | { build: string }
  /** Not an id: say so and keep the picker open. */
  | { message: string }
  | { none: true };

/**
 * One picker's state, without the editor: what to list for what was typed (searching as the user
 * types; a superseded search's answer is dropped) and what Enter does (only an id that exists
 * builds; a prefix or an unknown id gets a message saying what to do).
 */
export class ChildPickerSession {
  private found: string[] = [];
  private foundFor: string | undefined;
  private generation = 0;

  constructor(
    private readonly lookup: PickerLookup,
    private readonly problems: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The items for what is typed, from the ids found so far (no database call). */
  items(typed: string): PickerItem[] {
    return pickerItems(typed, this.found, this.problems);
  }

  /** Search the database for ids starting with `typed`; undefined when a newer search superseded this one. */
  async search(typed: string): Promise<PickerItem[] | undefined> {
    const t = typed.trim();
    const g = ++this.generation;
    const ids = await this.lookup.search(t, PICKER_LOOKUP_LIMIT);
    if (g !== this.generation) return undefined;
    this.found = ids;
    this.foundFor = t;
    return this.items(t);
  }

  /** What Enter does with what is typed and the highlighted item (a label, or undefined). */
  async accept(typed: string, highlighted: string | undefined): Promise<AcceptOutcome> {
    const t = typed.trim();
    const listed = this.items(t).map((i) => i.id);
    const d = acceptDecision(t, highlighted, listed);
    if ('build' in d || 'none' in d) return d;
    if (await this.lookup.exists(d.check)) return { build: d.check };
    // Not an id. Say whether ids start with it (a prefix) or none does.
    const longer = this.foundFor === t ? this.found.filter((id) => id !== t && id.startsWith(t)) : (await this.lookup.search(t, 2)).filter((id) => id !== t);
    if (longer.length) return { message: `"${t}" is not a person id, only the start of some: pick one from the list (ids starting with "${t}").` };
    return { message: `No child has the person id "${t}" in ssd_person: check the id, or clear the box to list the ids.` };
  }
}
