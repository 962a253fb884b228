// Partial (delta) payloads, payload contract D10–D12, and the deletion payload (D7).
//
// A partial payload is computed for an Updated child against the last payload the API acknowledged
// (previous_json_payload, rotated only by a successful send, D9). It holds:
//   - the required fields la_child_id, mis_child_id and child_details, always, from the current payload;
//   - every other top-level member that differs, recursively:
//       * scalars that differ: the current value;
//       * objects (health_and_wellbeing, adoption, care_leavers, …): only the members that differ;
//         an object that was acknowledged and is gone now is sent as {purge: true} when it carries a
//         purge flag;
//       * lists of items with an id key and a purge flag (social_care_episodes and the lists inside
//         an episode): items matched by their id; a matched item that differs is sent as
//         {<id key>: id, …what differs}; a new item is sent whole; an item that was acknowledged and
//         is gone now is sent as {<id key>: id, purge: true} (D11); unchanged items are left out;
//       * any other list (disabilities, factors, sdq_assessments, care_worker_details): the whole
//         current list when it differs ([] when it is gone);
//   - when a member that was acknowledged has disappeared from an object or item that is still there
//     (a scalar now NULL, e.g. an end date removed), the current object or item is sent whole, since a
//     partial cannot express "this field is now empty" in any other way.
// New children (no acknowledged payload) are always sent in full (D10).
// The result is plain data; callers store JSON.stringify(result) through a bound parameter, so
// apostrophes and every other character are stored exactly (D12).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export const REQUIRED_PARTIAL_FIELDS = ['la_child_id', 'mis_child_id', 'child_details'] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!(k in b) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** The id key of a list item: its first key ending in `_id`. */
function idKeyOf(item: Obj): string | undefined {
  return Object.keys(item).find((k) => k.endsWith('_id'));
}

/**
 * A list is matched item by item when every item (current and acknowledged) is an object with a purge
 * flag and the same id key, and ids are unique on each side.
 */
function matchableIdKey(cur: Json[], prev: Json[]): string | undefined {
  const all = [...cur, ...prev];
  if (all.length === 0) return undefined;
  let key: string | undefined;
  for (const it of all) {
    if (!isObj(it) || !('purge' in it)) return undefined;
    const k = idKeyOf(it);
    if (!k || (key !== undefined && k !== key)) return undefined;
    const v = it[k];
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    key = k;
  }
  for (const side of [cur, prev]) {
    const seen = new Set<string>();
    for (const it of side) {
      const id = String((it as Obj)[key!]);
      if (seen.has(id)) return undefined;
      seen.add(id);
    }
  }
  return key;
}

/** Result of comparing one member: no difference, a value to send, or "vanished" (cannot be expressed). */
type Diff = { kind: 'same' } | { kind: 'send'; value: Json } | { kind: 'vanished' };
const SAME: Diff = { kind: 'same' };
const VANISHED: Diff = { kind: 'vanished' };

function diffValue(cur: Json | undefined, prev: Json | undefined): Diff {
  if (deepEqual(cur, prev)) return SAME;
  if (cur === undefined) {
    // Acknowledged, now gone.
    if (Array.isArray(prev)) {
      const d = diffList([], prev);
      return { kind: 'send', value: d ?? [] };
    }
    if (isObj(prev) && 'purge' in prev) return { kind: 'send', value: { purge: true } };
    return VANISHED;
  }
  if (Array.isArray(cur) && Array.isArray(prev)) {
    const d = diffList(cur, prev);
    return d === undefined ? SAME : { kind: 'send', value: d };
  }
  if (isObj(cur) && isObj(prev)) {
    const d = diffObject(cur, prev, []);
    return d === undefined ? SAME : { kind: 'send', value: d };
  }
  return { kind: 'send', value: cur };
}

/** Members of cur that differ from prev, `keep` members first; the whole of cur if a member vanished. */
function diffObject(cur: Obj, prev: Obj, keep: readonly string[]): Obj | undefined {
  const out: Obj = {};
  for (const k of keep) if (cur[k] !== undefined) out[k] = cur[k]!;
  let changed = false;
  const keys = [...Object.keys(cur), ...Object.keys(prev).filter((k) => !(k in cur))];
  for (const k of keys) {
    if (keep.includes(k)) continue;
    const d = diffValue(cur[k], prev[k]);
    if (d.kind === 'same') continue;
    if (d.kind === 'vanished') return cur;
    out[k] = d.value;
    changed = true;
  }
  return changed ? out : undefined;
}

function diffList(cur: Json[], prev: Json[]): Json[] | undefined {
  const key = matchableIdKey(cur, prev);
  if (!key) return deepEqual(cur, prev) ? undefined : cur;
  const prevById = new Map<string, Obj>();
  for (const it of prev as Obj[]) prevById.set(String(it[key]), it);
  const curIds = new Set<string>();
  const out: Json[] = [];
  for (const it of cur as Obj[]) {
    const id = String(it[key]);
    curIds.add(id);
    const before = prevById.get(id);
    if (!before) {
      out.push(it);
      continue;
    }
    const d = diffObject(it, before, [key]);
    if (d) out.push(d);
  }
  for (const it of prev as Obj[]) {
    const id = String(it[key]);
    if (!curIds.has(id)) out.push({ [key]: it[key]!, purge: true });
  }
  return out.length ? out : undefined;
}

/**
 * The partial payload of an Updated child: required fields plus what differs from the acknowledged
 * payload. `acknowledged` null (never acknowledged) gives the full current payload (D10).
 */
export function computePartialPayload(current: Record<string, unknown>, acknowledged: Record<string, unknown> | null): Record<string, unknown> {
  if (!acknowledged) return current;
  const cur = current as Obj;
  const prev = acknowledged as Obj;
  const out: Obj = {};
  for (const k of REQUIRED_PARTIAL_FIELDS) if (cur[k] !== undefined) out[k] = cur[k]!;
  const keys = [...Object.keys(cur), ...Object.keys(prev).filter((k) => !(k in cur))];
  for (const k of keys) {
    if ((REQUIRED_PARTIAL_FIELDS as readonly string[]).includes(k)) continue;
    const d = diffValue(cur[k], prev[k]);
    if (d.kind === 'same') continue;
    // A top-level scalar (or purge-less object) vanished: a partial cannot say "now empty", so the
    // child is sent whole.
    if (d.kind === 'vanished') return current;
    out[k] = d.value;
  }
  return out;
}

/**
 * The deletion payload (D7) of a child who left the cohort after the API acknowledged them: the ids
 * the DfE knows the child by (from the acknowledged payload) and purge true.
 */
export function deletionPayload(ids: { la_child_id: string; mis_child_id?: string | null }): Record<string, unknown> {
  const p: Record<string, unknown> = { la_child_id: ids.la_child_id };
  if (ids.mis_child_id !== undefined && ids.mis_child_id !== null && ids.mis_child_id !== '') p.mis_child_id = ids.mis_child_id;
  p.purge = true;
  return p;
}

/** Is this payload a deletion payload (top-level purge true)? */
export function isDeletionPayload(payload: unknown): boolean {
  return isObj(payload) && payload.purge === true;
}
