// The source's identifying values for the verification scan of `ssd scramble`, with memory flat
// in the number of children:
// - each value (trimmed, lower-cased) is reduced to a 128-bit hash keyed by the scramble key
//   (never the text itself; without the key a hash cannot be matched to a name or a date);
// - 53 bits of it go to a temporary table (one column, BIGINT) of a dedicated session on the
//   copy's database, indexed once the copy is written: the exact set (see keyOf for the odds of
//   two values sharing a key: they can only fail a copy, never pass one). A temporary table lives
//   only as long as the session: it is dropped when the scan ends and vanishes with the session if
//   the process dies;
// - the other 64 bits set bits of a Bloom filter of a fixed size (16 MB) in memory, so that the
//   scan asks the database only about the cells the filter cannot rule out. A Bloom filter has no
//   false negatives; its false positives (more of them the more children) cost a database lookup,
//   never a wrong answer.
// Values added are buffered and inserted in batches (one insert in flight; COPY FROM STDIN on
// PostgreSQL where the driver can); a fixed-size table of recently added keys drops most repeats
// (an id is in many rows) before they are sent.
import { randomBytes } from 'node:crypto';
import { fillIdentifiers, loadSql } from '../db/sqlFiles';
import type { Db } from '../db/types';
import { normalise } from './valueSet';
import { hash128 } from '../fake/rng';

/** Bits of the Bloom filter (2^27 bits = 16 MB) and positions set per value. */
const BLOOM_BITS_LOG2 = 27;
const BLOOM_K = 7;
/** Keys buffered before an insert, keys per lookup statement, recent keys kept to drop repeats. */
const INSERT_BATCH = 20_000;
const LOOKUP_BATCH = 1_000;
const PG_LOOKUP_BATCH = 50_000;
const RECENT_SLOTS_LOG2 = 16;

/**
 * The table's key: 53 bits of the hash (a safe JS integer, a BIGINT in the table). The filter's
 * positions come from the other 64 bits, so a value the scan looks up in the table matches a source
 * value it is not only when both the filter and the key collide (odds about 1 in 2⁵³ per source
 * value for each of the few values the filter lets through), and such a collision can only make
 * the scan fail a copy, never miss a value.
 */
function keyOf(h: readonly number[]): number {
  return (h[0]! >>> 11) * 4294967296 + h[1]!;
}

export class ScanStore {
  private readonly bloom = new Uint32Array((1 << BLOOM_BITS_LOG2) >>> 5);
  /** Keys added lately, direct-mapped (a slot holds the last key that fell on it): drops most repeats. */
  private readonly recent = new Float64Array(1 << RECENT_SLOTS_LOG2).fill(-1);
  private buffer: number[] = [];
  private pending: Promise<unknown> | null = null;
  private failed: Error | null = null;
  private sealed = false;
  private distinct = 0;
  /** Database lookups made (for the report and tests). */
  lookups = 0;

  private constructor(
    private readonly session: Db,
    private readonly ownsSession: boolean,
    private readonly table: string,
    private readonly seed: readonly [number, number, number, number],
  ) {}

  /** Open a session on `target` and create the temporary table. */
  static async open(target: Db, seedBytes: Buffer): Promise<ScanStore> {
    if (seedBytes.length < 16) throw new Error('scan store: seed must be at least 16 bytes');
    const session = target.session ? await target.session() : target;
    const table = `${target.dialect === 'mssql' ? '#' : ''}ssd_scramble_scan_${randomBytes(4).toString('hex')}`;
    try {
      await session.execute(fillIdentifiers(loadSql(target.dialect, 'scramble_scan_create'), { table }));
    } catch (e) {
      if (session !== target) await session.close().catch(() => undefined);
      throw e;
    }
    const seed = [seedBytes.readUInt32BE(0), seedBytes.readUInt32BE(4), seedBytes.readUInt32BE(8), seedBytes.readUInt32BE(12)] as const;
    return new ScanStore(session, session !== target, table, seed);
  }

  private hash(value: string): [number, number, number, number] {
    return hash128(normalise(value), this.seed);
  }

  private bits(h: readonly number[], set: boolean): boolean {
    const mask = (1 << BLOOM_BITS_LOG2) - 1;
    const h3 = h[2]!,
      h4 = h[3]! | 1;
    for (let i = 0; i < BLOOM_K; i++) {
      const p = (h3 + Math.imul(i, h4)) & mask;
      const w = p >>> 5,
        m = 1 << (p & 31);
      if (set) this.bloom[w]! |= m;
      else if ((this.bloom[w]! & m) === 0) return false;
    }
    return true;
  }

  /** Add an identifying value of the source (buffered; call drain() now and then). */
  add(value: string): void {
    if (this.sealed) throw new Error('scan store: no values can be added after seal()');
    const h = this.hash(value);
    this.bits(h, true);
    const key = keyOf(h);
    const slot = h[1]! & ((1 << RECENT_SLOTS_LOG2) - 1);
    if (this.recent[slot] === key) return;
    this.recent[slot] = key;
    this.buffer.push(key);
  }

  /** Send the buffered values once there are enough of them (one insert in flight). */
  async drain(force = false): Promise<void> {
    if (!force && this.buffer.length < INSERT_BATCH) return;
    // One insert in flight, whoever calls (tables may be copied side by side).
    while (this.pending) await this.pending;
    if (this.failed) throw this.failed;
    if (!this.buffer.length) return;
    const keys = this.buffer;
    this.buffer = [];
    const p: Promise<void> = this.insert(keys)
      .then(
        () => undefined,
        (e: unknown) => {
          this.failed = e instanceof Error ? e : new Error(String(e));
        },
      )
      .finally(() => {
        if (this.pending === p) this.pending = null;
      });
    this.pending = p;
    if (force) {
      await p;
      if (this.failed) throw this.failed;
    }
  }

  private async insert(keys: number[]): Promise<void> {
    const d = this.session.dialect;
    if (d === 'postgres' && this.session.copyFrom) {
      // COPY where the driver can stream it (pg): no 20,000-element array parameter to encode.
      await this.session.copyFrom(`COPY ${this.table} (h) FROM STDIN`, [`${keys.join('\n')}\n`]);
      return;
    }
    if (d === 'postgres') {
      await this.session.execute(fillIdentifiers(loadSql(d, 'scramble_scan_insert'), { table: this.table }), [keys]);
      return;
    }
    // SQL Server: multi-row VALUES, under its 1,000-row and 2,100-parameter limits.
    for (let i = 0; i < keys.length; i += 1000) {
      const part = keys.slice(i, i + 1000);
      await this.session.execute(`INSERT INTO ${this.table} (h) VALUES ${part.map((_, j) => `(CAST($${j + 1} AS BIGINT))`).join(', ')}`, part);
    }
  }

  /** Everything added is in the table: index it and count the distinct values. */
  async seal(): Promise<void> {
    if (this.sealed) return;
    await this.drain(true);
    this.sealed = true;
    await this.session.execute(fillIdentifiers(loadSql(this.session.dialect, 'scramble_scan_index'), { table: this.table, index: `${this.table.replace('#', '')}_h` }));
    // Temporary tables get no automatic statistics: without them the lookups may scan the table.
    if (this.session.dialect === 'postgres') await this.session.execute(`ANALYZE ${this.table}`);
    const [r] = await this.session.query<{ n: number | string }>(`SELECT COUNT(DISTINCT h) AS n FROM ${this.table}`);
    this.distinct = Number(r?.n ?? 0);
  }

  /** Distinct values added (after seal()). */
  get size(): number {
    return this.distinct;
  }

  /** The value's key when the Bloom filter cannot rule it out (it may be a source value), else null. */
  candidate(value: string): number | null {
    const h = this.hash(value);
    return this.bits(h, false) ? keyOf(h) : null;
  }

  /** Of these candidate keys, those that are source values (exact lookups in the table). */
  async confirm(keys: Iterable<number>): Promise<Set<number>> {
    if (!this.sealed) throw new Error('scan store: seal() before looking values up');
    const unique = [...new Set(keys)];
    const found = new Set<number>();
    const pg = this.session.dialect === 'postgres';
    const step = pg ? PG_LOOKUP_BATCH : LOOKUP_BATCH;
    for (let i = 0; i < unique.length; i += step) {
      const part = unique.slice(i, i + step);
      this.lookups++;
      // PostgreSQL: one array parameter; SQL Server: an IN list under its parameter limit.
      const rows = pg
        ? await this.session.query<{ h: number | string }>(fillIdentifiers(loadSql('postgres', 'scramble_scan_lookup'), { table: this.table }), [part])
        : await this.session.query<{ h: number | string }>(`SELECT DISTINCT h FROM ${this.table} WHERE h IN (${part.map((_, j) => `CAST($${j + 1} AS BIGINT)`).join(', ')})`, part);
      for (const r of rows) found.add(Number(r.h));
    }
    return found;
  }

  /** Whether these values are source values: each value's answer, in order. */
  async hasMany(values: readonly string[]): Promise<boolean[]> {
    const keys = values.map((v) => this.candidate(v));
    const found = await this.confirm(keys.filter((k): k is number => k !== null));
    return keys.map((k) => k !== null && found.has(k));
  }

  /** Drop the table and end the session. */
  async close(): Promise<void> {
    if (this.pending) await this.pending.catch(() => undefined);
    this.buffer = [];
    try {
      await this.session.execute(`DROP TABLE ${this.table}`);
    } finally {
      if (this.ownsSession) await this.session.close().catch(() => undefined);
    }
  }
}
