// Canonical JSON and the change hash (payload contract D6).
//
// The hash is SHA-256 over a canonical serialisation of the full payload: object keys sorted by
// Unicode code point, no whitespace, arrays in their (deterministic, D3) order, UTF-8 bytes. So any
// change in a field that is sent changes the hash, and the same payload always hashes the same
// whatever order the builder happened to write its keys in.
//
// With `ignoreEntityIds` (setting hashIgnoresEntityIds) the entity ids listed in ENTITY_ID_KEYS are
// left out of the hash only (the stored payload keeps them), reproducing upstream's reason for its
// semantic hash: case management systems that rewrite system ids nightly (upstream issue #89).
import { createHash } from 'node:crypto';

/**
 * Entity ids: the system ids of the records inside a child's episodes. Child ids (la_child_id,
 * mis_child_id) and worker_id (a social worker registration number) are not entity ids and are
 * always hashed.
 */
export const ENTITY_ID_KEYS: ReadonlySet<string> = new Set([
  'social_care_episode_id',
  'child_and_family_assessment_id',
  'child_in_need_plan_id',
  'section_47_assessment_id',
  'child_protection_plan_id',
  'child_looked_after_placement_id',
]);

/** Code point order by spreading into code points (also right for lone surrogates). */
function compareKeysSpread(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

function compareKeys(a: string, b: string): number {
  // Code point order (not UTF-16 unit order, not locale): stable across platforms. Keys without
  // surrogates (all the builder writes) compare unit by unit without copying; at the first
  // differing unit that is a surrogate the spread comparison decides, as it always did.
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) {
      if (x >= 0xd800 && x <= 0xdfff) return compareKeysSpread(a, b);
      continue;
    }
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) return compareKeysSpread(a, b);
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The sorted order of an object's keys, cached per key list: the builder writes thousands of
 * objects with the same few key lists, so each list is sorted once. An entry is found by the first
 * key and the number of keys, then compared key by key (keys are strings, so equal lists give the
 * same order; a different list with the same first key and length gets its own entry).
 */
const ORDER_CACHE = new Map<string, Array<{ keys: string[]; sorted: string[] }>>();
const ORDER_CACHE_MAX = 4096;
let orderCacheSize = 0;

function sortedKeys(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const head = keys[0]!;
  const list = ORDER_CACHE.get(head);
  if (list) {
    outer: for (const e of list) {
      if (e.keys.length !== keys.length) continue;
      for (let i = 1; i < keys.length; i++) if (e.keys[i] !== keys[i]) continue outer;
      return e.sorted;
    }
  }
  const sorted = [...keys].sort(compareKeys);
  if (orderCacheSize < ORDER_CACHE_MAX) {
    orderCacheSize++;
    if (list) list.push({ keys, sorted });
    else ORDER_CACHE.set(head, [{ keys, sorted }]);
  }
  return sorted;
}

function write(value: unknown, skip: ReadonlySet<string> | null, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonical JSON: non-finite number');
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new Error(`canonical JSON: unsupported value of type ${typeof value}`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      // Holes of a sparse array are passed over, as forEach did (no payload has them).
      if (!(i in value)) continue;
      if (i) out.push(',');
      const v: unknown = value[i];
      // As JSON.stringify: undefined inside arrays becomes null.
      write(v === undefined ? null : v, skip, out);
    }
    out.push(']');
    return;
  }
  const obj = value as Record<string, unknown>;
  // Members whose value is undefined, and skipped keys, are left out (in the sorted order).
  const keys = sortedKeys(Object.keys(obj));
  out.push('{');
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || (skip && skip.has(k))) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    write(v, skip, out);
  }
  out.push('}');
}

/** Canonical text: sorted keys, no whitespace; undefined members left out (as JSON.stringify does). */
export function canonicalJson(value: unknown, options: { omitKeys?: ReadonlySet<string> } = {}): string {
  const out: string[] = [];
  write(value, options.omitKeys ?? null, out);
  return out.join('');
}

export interface HashOptions {
  /** Leave entity ids (ENTITY_ID_KEYS) out of the hash. */
  ignoreEntityIds?: boolean;
}

/** SHA-256 (32 bytes) of the canonical UTF-8 serialisation of a payload. */
export function payloadHash(payload: unknown, options: HashOptions = {}): Buffer {
  const text = canonicalJson(payload, options.ignoreEntityIds ? { omitKeys: ENTITY_ID_KEYS } : {});
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The payload text stored in json_payload: compact JSON in the builder's key order. */
export function compactJson(payload: unknown): string {
  return JSON.stringify(payload);
}
