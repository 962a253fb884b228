// Format-preserving keyed permutation (a small FF1-style Feistel network) over mixed-radix digit
// strings: every position keeps its own alphabet (digits stay digits, letters stay letters), and
// two different inputs never give the same output. `ssd scramble` needs a permutation rather than
// a plain truncated HMAC: a hash squeezed into 8 digits would give two children the same id (about
// 50 such merges per 100,000 children), which a permutation cannot.
//
// Construction: the digit string is read as a number x in [0, N), N the product of the radices.
// An alternating Feistel network on b = bitLength(N − 1) bits (left a = ⌊b/2⌋ bits, right b − a)
// with 8 rounds of modular addition; values that land at or above N are walked again (cycle
// walking), so the result is always a string of the same alphabets. Round function: AES-256 on one
// block (domains up to 52 bits, nearly every id) or HMAC-SHA-256 (longer ones), with keys derived
// from the scramble key by HMAC-SHA-256. The tweak is the shape itself, so the same value gives the
// same pseudonym in every table and column. Pure: no database, no vscode.
import { createCipheriv, createHmac, type Cipher } from 'node:crypto';

const ROUNDS = 8;
const NUMBER_BITS = 52;

export class FormatPreservingPermutation {
  private readonly cipher: Cipher;
  private readonly macKey: Buffer;
  private readonly tweaks = new Map<string, Buffer>();
  private readonly block = Buffer.alloc(16);

  constructor(key: Buffer) {
    if (key.length < 16) throw new Error('the scramble key must be at least 16 bytes');
    const aesKey = createHmac('sha256', key).update('ssd-scramble/fpe-aes/v1').digest();
    this.macKey = createHmac('sha256', key).update('ssd-scramble/fpe-mac/v1').digest();
    this.cipher = createCipheriv('aes-256-ecb', aesKey, null);
    this.cipher.setAutoPadding(false);
  }

  /** Encrypt digits (each digits[i] < radices[i]); `domain` separates independent permutations. */
  encrypt(digits: readonly number[], radices: readonly number[], domain: string): number[] {
    return this.run(digits, radices, domain, true);
  }

  decrypt(digits: readonly number[], radices: readonly number[], domain: string): number[] {
    return this.run(digits, radices, domain, false);
  }

  private tweak(radices: readonly number[], domain: string): Buffer {
    const sig = `${domain}|${radices.join(',')}`;
    let t = this.tweaks.get(sig);
    if (!t) {
      t = createHmac('sha256', this.macKey).update(sig).digest().subarray(0, 8);
      if (this.tweaks.size > 10_000) this.tweaks.clear();
      this.tweaks.set(sig, t);
    }
    return t;
  }

  private run(digits: readonly number[], radices: readonly number[], domain: string, forward: boolean): number[] {
    if (digits.length !== radices.length) throw new Error('digits and radices differ in length');
    let big = false;
    let nNum = 1;
    for (const r of radices) {
      if (!Number.isInteger(r) || r < 1) throw new Error('bad radix');
      nNum *= r;
      if (nNum > 2 ** NUMBER_BITS) big = true;
    }
    if (!big && nNum <= 1) return [...digits];
    const tweak = this.tweak(radices, domain);
    if (!big) {
      let x = 0;
      for (let i = 0; i < digits.length; i++) x = x * radices[i]! + digits[i]!;
      const b = Math.max(2, Math.ceil(Math.log2(nNum)));
      do x = this.feistelNumber(x, b, tweak, forward);
      while (x >= nNum);
      const out = new Array<number>(digits.length);
      for (let i = digits.length - 1; i >= 0; i--) {
        out[i] = x % radices[i]!;
        x = Math.floor(x / radices[i]!);
      }
      return out;
    }
    let n = 1n;
    let x = 0n;
    for (let i = 0; i < digits.length; i++) {
      n *= BigInt(radices[i]!);
      x = x * BigInt(radices[i]!) + BigInt(digits[i]!);
    }
    const b = Math.max(2, (n - 1n).toString(2).length);
    do x = this.feistelBig(x, b, tweak, forward);
    while (x >= n);
    const out = new Array<number>(digits.length);
    for (let i = digits.length - 1; i >= 0; i--) {
      const r = BigInt(radices[i]!);
      out[i] = Number(x % r);
      x /= r;
    }
    return out;
  }

  /**
   * Encrypt many values of one shape at once (domains up to 2^52 only): each round is one AES call
   * over all of them, which is some 20 times faster than one call per value. Returns the digits.
   */
  encryptMany(values: readonly (readonly number[])[], radices: readonly number[], domain: string): number[][] {
    return this.runMany(values, radices, domain, true);
  }

  /** The inverse of encryptMany: decrypt many values of one shape at once. */
  decryptMany(values: readonly (readonly number[])[], radices: readonly number[], domain: string): number[][] {
    return this.runMany(values, radices, domain, false);
  }

  private runMany(values: readonly (readonly number[])[], radices: readonly number[], domain: string, forward: boolean): number[][] {
    let nNum = 1;
    for (const r of radices) nNum *= r;
    if (nNum > 2 ** NUMBER_BITS) return values.map((d) => this.run(d, radices, domain, forward));
    if (nNum <= 1) return values.map((d) => [...d]);
    const xs = values.map((d) => {
      let x = 0;
      for (let i = 0; i < d.length; i++) x = x * radices[i]! + d[i]!;
      return x;
    });
    this.permuteNumbers(xs, radices, domain, forward);
    return xs.map((x0) => {
      let x = x0;
      const out = new Array<number>(radices.length);
      for (let i = radices.length - 1; i >= 0; i--) {
        out[i] = x % radices[i]!;
        x = Math.floor(x / radices[i]!);
      }
      return out;
    });
  }

  /**
   * The same permutation as encryptMany/decryptMany on values given (and returned, in place) as the
   * numbers their digits spell in the mixed radix (the first digit most significant); domains up to
   * 2^52 only. No per-value arrays: what the scramble's batched pseudonyms use.
   */
  permuteNumbers(xs: number[], radices: readonly number[], domain: string, forward: boolean): void {
    let nNum = 1;
    for (const r of radices) nNum *= r;
    if (nNum > 2 ** NUMBER_BITS) throw new Error('permuteNumbers: domain larger than 2^52');
    if (nNum <= 1) return;
    const tweak = this.tweak(radices, domain);
    const b = Math.max(2, Math.ceil(Math.log2(nNum)));
    const a = b >> 1;
    const c = b - a;
    const mc = 2 ** c;
    const ma = 2 ** a;
    let todo = xs.map((_, i) => i);
    const blocks = Buffer.alloc(16 * xs.length);
    for (let i = 0; i < xs.length; i++) {
      tweak.copy(blocks, i * 16, 0, 8);
      blocks[i * 16 + 9] = a;
      blocks[i * 16 + 10] = c;
    }
    while (todo.length) {
      const L = new Float64Array(todo.length);
      const R = new Float64Array(todo.length);
      for (let k = 0; k < todo.length; k++) {
        L[k] = Math.floor(xs[todo[k]!]! / mc);
        R[k] = xs[todo[k]!]! % mc;
      }
      for (let step = 0; step < ROUNDS; step++) {
        const round = forward ? step : ROUNDS - 1 - step;
        const even = round % 2 === 0;
        const buf = blocks.subarray(0, 16 * todo.length);
        for (let k = 0, o = 8; k < todo.length; k++, o += 16) {
          const h = (even ? R[k]! : L[k]!) >>> 0;
          buf[o] = round;
          buf[o + 4] = h >>> 24;
          buf[o + 5] = (h >>> 16) & 255;
          buf[o + 6] = (h >>> 8) & 255;
          buf[o + 7] = h & 255;
        }
        const out = this.cipher.update(buf);
        for (let k = 0, o = 0; k < todo.length; k++, o += 16) {
          const f = ((out[o]! << 24) >>> 0) + (out[o + 1]! << 16) + (out[o + 2]! << 8) + out[o + 3]!;
          if (forward) {
            if (even) L[k] = (L[k]! + (f % ma)) % ma;
            else R[k] = (R[k]! + (f % mc)) % mc;
          } else if (even) L[k] = (L[k]! - (f % ma) + ma) % ma;
          else R[k] = (R[k]! - (f % mc) + mc) % mc;
        }
      }
      const again: number[] = [];
      for (let k = 0; k < todo.length; k++) {
        const x = L[k]! * mc + R[k]!;
        xs[todo[k]!] = x;
        if (x >= nNum) again.push(todo[k]!);
      }
      todo = again;
    }
  }

  /** Round function for halves of at most 26 bits: AES on one block, 32 bits of output. */
  private fNumber(tweak: Buffer, round: number, a: number, c: number, half: number, bits: number): number {
    const blk = this.block;
    tweak.copy(blk, 0, 0, 8);
    blk[8] = round;
    blk[9] = a;
    blk[10] = c;
    blk[11] = 0;
    blk.writeUInt32BE(half >>> 0, 12);
    const out = this.cipher.update(blk);
    return out.readUInt32BE(0) % 2 ** bits;
  }

  private feistelNumber(x: number, b: number, tweak: Buffer, forward: boolean): number {
    const a = b >> 1;
    const c = b - a;
    const mc = 2 ** c;
    const ma = 2 ** a;
    let L = Math.floor(x / mc);
    let R = x % mc;
    if (forward) {
      for (let i = 0; i < ROUNDS; i++) {
        if (i % 2 === 0) L = (L + this.fNumber(tweak, i, a, c, R, a)) % ma;
        else R = (R + this.fNumber(tweak, i, a, c, L, c)) % mc;
      }
    } else {
      for (let i = ROUNDS - 1; i >= 0; i--) {
        if (i % 2 === 0) L = (L - this.fNumber(tweak, i, a, c, R, a) + ma) % ma;
        else R = (R - this.fNumber(tweak, i, a, c, L, c) + mc) % mc;
      }
    }
    return L * mc + R;
  }

  private fBig(tweak: Buffer, round: number, a: number, c: number, half: bigint, bits: number): bigint {
    const d = createHmac('sha256', this.macKey)
      .update(tweak)
      .update(`|${round}|${a}|${c}|${half.toString(16)}`)
      .digest();
    let v = BigInt('0x' + d.toString('hex'));
    if (bits < 256) v &= (1n << BigInt(bits)) - 1n;
    return v;
  }

  private feistelBig(x: bigint, b: number, tweak: Buffer, forward: boolean): bigint {
    const a = b >> 1;
    const c = b - a;
    if (a > 256 || c > 256) throw new Error('value too long to scramble');
    const mc = 1n << BigInt(c);
    const ma = 1n << BigInt(a);
    let L = x >> BigInt(c);
    let R = x & (mc - 1n);
    if (forward) {
      for (let i = 0; i < ROUNDS; i++) {
        if (i % 2 === 0) L = (L + this.fBig(tweak, i, a, c, R, a)) % ma;
        else R = (R + this.fBig(tweak, i, a, c, L, c)) % mc;
      }
    } else {
      for (let i = ROUNDS - 1; i >= 0; i--) {
        if (i % 2 === 0) L = (((L - this.fBig(tweak, i, a, c, R, a)) % ma) + ma) % ma;
        else R = (((R - this.fBig(tweak, i, a, c, L, c)) % mc) + mc) % mc;
      }
    }
    return (L << BigInt(c)) | R;
  }
}
