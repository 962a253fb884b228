// The value transforms of `ssd scramble`, all keyed by the scramble key and all pure (no database):
// - identifiers: a format-preserving keyed permutation (fpe.ts) that keeps the length and every
//   character's class (digit / upper-case / lower-case letter; anything else is kept), so the same
//   id is the same pseudonym in every table, two ids never merge, and id rules behave the same;
// - UPNs: a valid UPN becomes another valid UPN (LA number kept, the other 9 characters permuted,
//   check letter recomputed, temporary stays temporary); an invalid one stays invalid the same way;
// - names: faker en_GB names (src/fake/names.ts), chosen by an HMAC of the child's (or worker's) id,
//   never equal to the name they replace;
// - postcodes: a valid postcode becomes a fake one (areas Y, YY and ZY do not exist) with the same
//   outward-code length and spacing; an invalid one is permuted and stays invalid;
// - dates: every date of one child moves by the same keyed offset, ±1 to ±45 days, never 0.
import { createHmac } from 'node:crypto';
import { LIMITS, POSTCODE } from '../check/codes';
import { firstName, lastName } from '../fake/names';
import { Rng } from '../fake/rng';
import { UPN_CHECK_LETTERS, makeUpn, upnProblem } from '../fake/upn';
import { FormatPreservingPermutation } from './fpe';

const DAY_MS = 86_400_000;
/** Largest date shift in days (either way). */
export const MAX_DATE_SHIFT = 45;
/** Postcode values kept as they are: placeholders, not anyone's address. */
export const POSTCODE_PLACEHOLDERS = new Set(['UNKNOWN', 'N/A', 'NA', 'NFA', 'TBC', 'NONE', 'NOT KNOWN', 'NK', 'ZZ99 3CZ', 'ZZ99 3WZ', 'ZZ993CZ', 'ZZ993WZ']);
/** Forenames kept as they are (unborn children): not names of anyone. */
export const NAME_PLACEHOLDERS = new Set(['UNBORN', 'BABY', 'UNKNOWN', 'NOT KNOWN', 'N/A']);

const FAKE_INWARD = 'ABDEFGHJLNPQRSTUWXYZ';
/**
 * Entries per generation of the caches of pseudonyms and date offsets: a small fixed number, not
 * one that grows with the children. The caches serve the repeats close together (a child's rows in
 * one table, the ids of one batch); a value met again later is simply computed again (a batched AES
 * pass or one HMAC: cheaper than the garbage collection that caches of 200,000 entries cost, and
 * the same answer, so the copy does not depend on the cache).
 */
export const CACHE_MAX = 4096;
const NAME_TRIES = 50;
export type NameKind = 'forename' | 'surname' | 'fullName';

interface Shape {
  /** Positions that change and their radices. */
  positions: number[];
  radices: number[];
  digits: number[];
  /** Per position: base char code of its alphabet. */
  bases: number[];
}

function shapeOf(value: string): Shape {
  const positions: number[] = [];
  const radices: number[] = [];
  const digits: number[] = [];
  const bases: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (i === 0) {
        // A leading zero stays (so "0123" and "5123" never land on each other); 1-9 stay 1-9.
        if (c === 48) continue;
        positions.push(i);
        radices.push(9);
        digits.push(c - 49);
        bases.push(49);
      } else {
        positions.push(i);
        radices.push(10);
        digits.push(c - 48);
        bases.push(48);
      }
    } else if (c >= 65 && c <= 90) {
      positions.push(i);
      radices.push(26);
      digits.push(c - 65);
      bases.push(65);
    } else if (c >= 97 && c <= 122) {
      positions.push(i);
      radices.push(26);
      digits.push(c - 97);
      bases.push(97);
    }
  }
  return { positions, radices, digits, bases };
}

function applyShape(value: string, s: Shape, digits: readonly number[]): string {
  const chars = value.split('');
  for (let k = 0; k < s.positions.length; k++) chars[s.positions[k]!] = String.fromCharCode(s.bases[k]! + digits[k]!);
  return chars.join('');
}

/**
 * A bounded cache of recent entries in two generations: when the newer one is full it becomes the
 * older one (the oldest entries go), and a hit in the older one moves to the newer. At most
 * 2 × CACHE_MAX entries; unlike emptying one map when full, a value used again and again (the
 * id of a child with many rows) stays cached while other values come between.
 */
class RecentCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  get(k: string): V | undefined {
    const y = this.young.get(k);
    if (y !== undefined) return y;
    const o = this.old.get(k);
    if (o !== undefined) this.set(k, o);
    return o;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  set(k: string, v: V): void {
    if (this.young.size >= CACHE_MAX) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(k, v);
  }
}

/** Char codes of a pseudonym being built (ids are short; longer ones get their own buffer). */
const CODES = new Uint16Array(256);

/**
 * `value` with its changing positions (as shapeOf finds them) replaced by the mixed-radix digits of
 * `x`, the last position least significant: applyShape without the shape's arrays.
 */
function withDigits(value: string, x: number): string {
  const codes = value.length <= CODES.length ? CODES : new Uint16Array(value.length);
  let y = x;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    let base = -1;
    let r = 0;
    if (c >= 48 && c <= 57) {
      if (i === 0) {
        if (c !== 48) {
          base = 49;
          r = 9;
        }
      } else {
        base = 48;
        r = 10;
      }
    } else if (c >= 65 && c <= 90) {
      base = 65;
      r = 26;
    } else if (c >= 97 && c <= 122) {
      base = 97;
      r = 26;
    }
    if (base < 0) {
      codes[i] = c;
      continue;
    }
    codes[i] = base + (y % r);
    y = Math.floor(y / r);
  }
  return String.fromCharCode.apply(null, codes.subarray(0, value.length) as unknown as number[]);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (y ≥ 0). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

function isoDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return null;
  const y = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const mo = digit(iso, 5) * 10 + digit(iso, 6);
  const d = digit(iso, 8) * 10 + digit(iso, 9);
  // Years 0-99 are not dates here (Date.UTC reads them as 1900-1999, which this always refused).
  if (y < 100 || mo < 1 || mo > 12 || d < 1) return null;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > MONTH_DAYS[mo - 1]! + (leap ? 1 : 0)) return null;
  return daysFromCivil(y, mo, d);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function isoOfDay(day: number): string {
  // civil_from_days (H. Hinnant); outside years 1000-9999 Date's own text (e.g. +010000-…).
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Shift a date or timestamp given as text ('YYYY-MM-DD…' or 'DD/MM/YYYY…') by `days`, keeping the rest of the text. */
export function shiftDateText(value: string, days: number): string | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const d = isoDay(value);
    return d === null ? null : isoOfDay(d + days) + value.slice(10);
  }
  const m = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(value);
  if (m) {
    const d = isoDay(`${m[3]}-${m[2]}-${m[1]}`);
    if (d === null) return null;
    const iso = isoOfDay(d + days);
    return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}${value.slice(10)}`;
  }
  return null;
}

/** A name longer than the payload allows stays too long (the fake name repeated to the same length). */
function keepTooLong(fake: string, original: string): string {
  if (original.length <= LIMITS.names) return fake;
  return `${fake} `.repeat(Math.ceil(original.length / (fake.length + 1))).slice(0, original.length);
}

/** The keyed transforms. One instance per run; it holds small caches of a fixed size only (CACHE_MAX). */
export class Scrambler {
  private readonly fpe: FormatPreservingPermutation;
  private readonly key: Buffer;
  private readonly idCache = new RecentCache<string>();
  private readonly offsetCache = new RecentCache<number>();

  constructor(key: Buffer) {
    this.key = key;
    this.fpe = new FormatPreservingPermutation(key);
  }

  /** Entries held by the caches of pseudonyms and date offsets (at most 2 × CACHE_MAX each). */
  cachedEntries(): { ids: number; offsets: number } {
    return { ids: this.idCache.size, offsets: this.offsetCache.size };
  }

  /** HMAC-SHA-256 of `label|text` under the scramble key. */
  hmac(label: string, text: string): Buffer {
    return createHmac('sha256', this.key).update(label).update('|').update(text).digest();
  }

  /** A short fingerprint of the key (not the key): the same key always shows the same 12 hex digits. */
  fingerprint(): string {
    return this.hmac('fingerprint', 'ssd-scramble').toString('hex').slice(0, 12);
  }

  /** Permute `value` keeping its shape; with `stay`, walk on until the result satisfies it (a bijection on that class). */
  permute(value: string, domain: string, stay?: (s: string) => boolean, forward = true): string {
    const s = shapeOf(value);
    if (s.positions.length === 0) return value;
    let digits = s.digits;
    for (let guard = 0; guard < 10_000; guard++) {
      digits = forward ? this.fpe.encrypt(digits, s.radices, domain) : this.fpe.decrypt(digits, s.radices, domain);
      const out = applyShape(value, s, digits);
      if (!stay || stay(out)) return out;
    }
    throw new Error('could not keep a value in its class while scrambling');
  }

  /** Pseudonym of an identifier (person, referral, plan, worker, legacy…): same value → same pseudonym. */
  id(value: string): string {
    const hit = this.idCache.get(value);
    if (hit !== undefined) return hit;
    const out = this.permute(value, 'id');
    this.idCache.set(value, out);
    return out;
  }

  /**
   * Pseudonyms of many identifiers at once (one AES pass per shape and round): the map from each
   * value to its pseudonym. Use for a batch of rows; id() gives the same answers one at a time.
   */
  idMany(values: Iterable<string>): Map<string, string> {
    return this.permuteIds(values, true);
  }

  /** The identifiers many pseudonyms were made from, at once (as unId, one AES pass per shape and round). */
  unIdMany(values: Iterable<string>): Map<string, string> {
    return this.permuteIds(values, false);
  }

  private permuteIds(values: Iterable<string>, forward: boolean): Map<string, string> {
    const cache = forward ? this.idCache : null;
    const out = new Map<string, string>();
    // Values grouped by shape (the radices of their changing positions, packed in a number: 2 bits
    // a position), each value as the number its digits spell: no per-value arrays.
    const groups = new Map<number, { values: string[]; xs: number[] }>();
    for (const v of values) {
      if (out.has(v)) continue;
      const hit = cache?.get(v);
      if (hit !== undefined) {
        out.set(v, hit);
        continue;
      }
      let sig = 1;
      let x = 0;
      let n = 1;
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          if (i === 0) {
            if (c === 48) continue; // a leading zero stays (as in shapeOf)
            sig = sig * 4 + 1;
            x = x * 9 + (c - 49);
            n *= 9;
          } else {
            sig = sig * 4 + 2;
            x = x * 10 + (c - 48);
            n *= 10;
          }
        } else if (c >= 65 && c <= 90) {
          sig = sig * 4 + 3;
          x = x * 26 + (c - 65);
          n *= 26;
        } else if (c >= 97 && c <= 122) {
          sig = sig * 4 + 3;
          x = x * 26 + (c - 97);
          n *= 26;
        }
      }
      if (n === 1) {
        out.set(v, v);
        continue;
      }
      if (n > 2 ** 52) {
        // Too long for the batched path: one at a time (the same permutation).
        const p = this.permute(v, 'id', undefined, forward);
        out.set(v, p);
        cache?.set(v, p);
        continue;
      }
      out.set(v, v); // placeholder, replaced below
      let g = groups.get(sig);
      if (!g) groups.set(sig, (g = { values: [], xs: [] }));
      g.values.push(v);
      g.xs.push(x);
    }
    for (const [sig, g] of groups) {
      const radices: number[] = [];
      for (let t = sig; t > 1; t = Math.floor(t / 4)) radices.push([0, 9, 10, 26][t % 4]!);
      radices.reverse();
      this.fpe.permuteNumbers(g.xs, radices, 'id', forward);
      for (let k = 0; k < g.values.length; k++) {
        const v = g.values[k]!;
        const p = withDigits(v, g.xs[k]!);
        out.set(v, p);
        cache?.set(v, p);
      }
    }
    return out;
  }

  /** The identifier a pseudonym was made from (for the verification scan). */
  unId(pseudonym: string): string {
    return this.permute(pseudonym, 'id', undefined, false);
  }

  /**
   * A social worker registration number: the same format (a Social Work England "SW" prefix is
   * kept, the rest permuted like an id), the same number in every row.
   */
  registration(value: string, forward = true): string {
    const m = /^(\s*SW)(.*)$/i.exec(value);
    if (!m) return forward ? this.id(value) : this.unId(value);
    return m[1]! + this.permute(m[2]!, 'registration', undefined, forward);
  }

  /** Days every date of this child moves by: ±1…±45, never 0, the same in every table. */
  dateOffset(childKey: string): number {
    const hit = this.offsetCache.get(childKey);
    if (hit !== undefined) return hit;
    const h = this.hmac('date', childKey).readUInt32BE(0);
    const mag = 1 + (h % MAX_DATE_SHIFT);
    const out = h >>> 31 === 1 ? -mag : mag;
    this.offsetCache.set(childKey, out);
    return out;
  }

  /** A UPN (or former UPN): valid stays valid (LA number kept), invalid stays invalid in the same way. */
  upn(value: string): string {
    if (value.trim() === '') return value;
    const problem = upnProblem(value);
    if (problem !== null) return this.permute(value, 'upn-invalid', (s) => upnProblem(s) === problem);
    return this.validUpn(value, true);
  }

  /** The UPN a scrambled valid UPN was made from (for the verification scan); null when not valid. */
  unUpn(value: string): string | null {
    if (upnProblem(value) !== null) return null;
    return this.validUpn(value, false);
  }

  private validUpn(value: string, forward: boolean): string {
    // Positions 5-13 (index 4-12): 8 digits and a final digit or check-alphabet letter.
    const body = value.slice(1);
    const temporary = /[A-Z]/.test(body[11]!);
    const radices = [10, 10, 10, 10, 10, 10, 10, 10, temporary ? UPN_CHECK_LETTERS.length : 10];
    const digits = body
      .slice(3)
      .split('')
      .map((ch, i) => (i === 8 && temporary ? UPN_CHECK_LETTERS.indexOf(ch) : ch.charCodeAt(0) - 48));
    const out = forward ? this.fpe.encrypt(digits, radices, 'upn') : this.fpe.decrypt(digits, radices, 'upn');
    const tail = out.map((d, i) => (i === 8 && temporary ? UPN_CHECK_LETTERS[d]! : String(d))).join('');
    return makeUpn(body.slice(0, 3) + tail);
  }

  private nameMaker(kind: NameKind, sex: string | null): (r: Rng) => string {
    if (kind === 'surname') return (r) => lastName(r);
    if (kind === 'fullName') return (r) => `${firstName(r, r.chance(0.5) ? 'M' : 'F')} ${lastName(r)}`;
    const s = (sex ?? '').trim().toUpperCase();
    const sx = s === 'M' || s === 'MALE' ? 'M' : s === 'F' || s === 'FEMALE' ? 'F' : 'U';
    return (r) => firstName(r, sx);
  }

  /**
   * A fake name (faker en_GB) for the person or worker whose original id is `personKey`, never
   * equal to `original`. Forename placeholders (Unborn, Baby) and blanks are kept.
   */
  name(kind: NameKind, personKey: string, sex: string | null, original: string): string {
    if (original.trim() === '' || (kind === 'forename' && NAME_PLACEHOLDERS.has(original.trim().toUpperCase()))) return original;
    const make = this.nameMaker(kind, sex);
    const r = new Rng(this.hmac('name', `${kind}|${personKey}`).toString('hex'));
    const o = original.trim().toLowerCase();
    const parts = o.split(/\s+/);
    for (let i = 0; i < NAME_TRIES; i++) {
      const v = make(r);
      if (
        v.toLowerCase() !== o &&
        !v
          .toLowerCase()
          .split(' ')
          .some((p) => parts.includes(p))
      )
        return keepTooLong(v, original);
    }
    return keepTooLong('Redacted', original);
  }

  /** Whether `value` is a name this key makes for that person (the verification scan's test). */
  isGeneratedName(kind: NameKind, personKey: string, sex: string | null, value: string): boolean {
    if (value === 'Redacted') return true;
    const make = this.nameMaker(kind, sex);
    const r = new Rng(this.hmac('name', `${kind}|${personKey}`).toString('hex'));
    for (let i = 0; i < NAME_TRIES; i++) {
      const v = make(r);
      if (v === value || (value.length > LIMITS.names && keepTooLong(v, value) === value)) return true;
    }
    return false;
  }

  /** A postcode: valid → a fake one of the same outward length and spacing; invalid → still invalid. */
  postcode(value: string): string {
    if (value.trim() === '' || POSTCODE_PLACEHOLDERS.has(value.trim().toUpperCase())) return value;
    if (!POSTCODE.test(value)) return this.permute(value, 'postcode-invalid', (s) => !POSTCODE.test(s));
    const compact = value.replace(' ', '');
    const outwardLength = compact.length - 3;
    const r = new Rng(this.hmac('postcode', compact).toString('hex'));
    for (let i = 0; i < 50; i++) {
      let outward: string;
      if (outwardLength <= 2) outward = `Y${r.int(1, 9)}`;
      else if (outwardLength === 3) outward = `${r.pick(['YY', 'ZY'])}${r.int(1, 9)}`;
      else outward = `${r.pick(['YY', 'ZY'])}${r.int(10, 99)}`;
      const inward = `${r.int(0, 9)}${FAKE_INWARD[r.int(0, FAKE_INWARD.length - 1)]}${FAKE_INWARD[r.int(0, FAKE_INWARD.length - 1)]}`;
      const out = value.includes(' ') ? `${outward} ${inward}` : `${outward}${inward}`;
      if (out !== value) return out;
    }
    return value.includes(' ') ? 'YY1 1AA' : 'YY11AA';
  }

  /** True when a valid postcode is one of ours (areas Y, YY, ZY: they do not exist in the UK). */
  static isFakePostcode(value: string): boolean {
    return POSTCODE.test(value) && /^(Y\d|YY\d|ZY\d)/.test(value);
  }
}
