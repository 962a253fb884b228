// A compact set of text values for the verification scan: each value (trimmed, lower-cased) is
// kept as a 64-bit hash in an open-addressing table of 32-bit words, about 16 bytes a value, never
// the text itself. Two different values share a hash with odds of about n² / 2⁶⁵.
import { hash128 } from '../fake/rng';

export function normalise(value: string): string {
  return value.trim().toLowerCase();
}

export class ValueSet {
  private table = new Uint32Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  private static key(value: string): [number, number] {
    const [a, b] = hash128(normalise(value));
    return a === 0 && b === 0 ? [0, 1] : [a, b];
  }

  add(value: string): void {
    const [a, b] = ValueSet.key(value);
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    if (this.insert(this.table, a, b)) this.count++;
  }

  has(value: string): boolean {
    const [a, b] = ValueSet.key(value);
    const t = this.table;
    const mask = (t.length >> 1) - 1;
    for (let i = (a ^ (b * 31)) & mask; ; i = (i + 1) & mask) {
      const x = t[i * 2]!,
        y = t[i * 2 + 1]!;
      if (x === 0 && y === 0) return false;
      if (x === a && y === b) return true;
    }
  }

  private insert(t: Uint32Array, a: number, b: number): boolean {
    const mask = (t.length >> 1) - 1;
    for (let i = (a ^ (b * 31)) & mask; ; i = (i + 1) & mask) {
      const x = t[i * 2]!,
        y = t[i * 2 + 1]!;
      if (x === 0 && y === 0) {
        t[i * 2] = a;
        t[i * 2 + 1] = b;
        return true;
      }
      if (x === a && y === b) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    const next = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(next, old[i]!, old[i + 1]!);
    this.table = next;
  }
}
