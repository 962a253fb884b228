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
import { sha256, sha256Hex } from '../payload/sha256';

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
 * objects with the same few key lists, so each list is sorted once, and each key's JSON text
 * (`"key":`, and `,"key":` after a member) is made once. An entry is found by the first key and the
 * number of keys, then compared key by key (keys are strings, so equal lists give the same order;
 * a different list with the same first key and length gets its own entry).
 */
interface KeyOrder {
  keys: string[];
  sorted: string[];
  /** `"key":` of each sorted key. */
  quoted: string[];
  /** `,"key":` of each sorted key. */
  quotedAfter: string[];
}

const ORDER_CACHE = new Map<string, KeyOrder[]>();
const ORDER_CACHE_MAX = 4096;
let orderCacheSize = 0;

function keyOrder(keys: string[]): KeyOrder {
  const head = keys[0] ?? '';
  const list = ORDER_CACHE.get(head);
  if (list) {
    outer: for (const e of list) {
      if (e.keys.length !== keys.length) continue;
      for (let i = 1; i < keys.length; i++) if (e.keys[i] !== keys[i]) continue outer;
      return e;
    }
  }
  const sorted = keys.length < 2 ? keys : [...keys].sort(compareKeys);
  const quoted = sorted.map((k) => `${JSON.stringify(k)}:`);
  const e: KeyOrder = { keys, sorted, quoted, quotedAfter: quoted.map((q) => `,${q}`) };
  if (orderCacheSize < ORDER_CACHE_MAX) {
    orderCacheSize++;
    if (list) list.push(e);
    else ORDER_CACHE.set(head, [e]);
  }
  return e;
}

/** Characters JSON.stringify escapes (and every surrogate, paired or not): such strings go through it. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON text of a string, as JSON.stringify writes it (most strings need no escape: quoted as they are). */
function stringText(v: string): string {
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
}

/**
 * The canonical text of a value, built by concatenation (V8 joins the pieces once, when the hash
 * reads the text): fewer objects than an array of pieces, and each key's text comes from the cache.
 */
function write(value: unknown, skip: ReadonlySet<string> | null): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return stringText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonical JSON: non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Error(`canonical JSON: unsupported value of type ${typeof value}`);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      // Holes of a sparse array are passed over, as forEach did (no payload has them).
      if (!(i in value)) continue;
      if (i) out += ',';
      const v: unknown = value[i];
      // As JSON.stringify: undefined inside arrays becomes null.
      out += write(v === undefined ? null : v, skip);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  // Members whose value is undefined, and skipped keys, are left out (in the sorted order).
  const order = keyOrder(Object.keys(obj));
  const keys = order.sorted;
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    if (v === undefined || (skip && skip.has(k))) continue;
    out += first ? order.quoted[i]! : order.quotedAfter[i]!;
    first = false;
    out += write(v, skip);
  }
  return out + '}';
}

/** Canonical text: sorted keys, no whitespace; undefined members left out (as JSON.stringify does). */
export function canonicalJson(value: unknown, options: { omitKeys?: ReadonlySet<string> } = {}): string {
  return write(value, options.omitKeys ?? null);
}

export interface HashOptions {
  /** Leave entity ids (ENTITY_ID_KEYS) out of the hash. */
  ignoreEntityIds?: boolean;
}

/** SHA-256 (32 bytes) of the canonical UTF-8 serialisation of a payload. */
export function payloadHash(payload: unknown, options: HashOptions = {}): Buffer {
  return sha256(canonicalJson(payload, options.ignoreEntityIds ? { omitKeys: ENTITY_ID_KEYS } : {}));
}

/** payloadHash as lower-case hex (what current_hash is compared and stored as). */
export function payloadHashHex(payload: unknown, options: HashOptions = {}): string {
  return sha256Hex(canonicalJson(payload, options.ignoreEntityIds ? { omitKeys: ENTITY_ID_KEYS } : {}));
}

/** The payload text stored in json_payload: compact JSON in the builder's key order. */
export function compactJson(payload: unknown): string {
  return JSON.stringify(payload);
}
