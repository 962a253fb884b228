// SHA-256 of a text (UTF-8) in one call: Node's crypto.hash (Node 20.12 and later), which makes no
// Hash object, where there is one (the CLI needs Node 20.19); createHash in older extension hosts
// (VS Code 1.82's Node 18). Same bytes either way. Staging hashes every child's payload and its
// validation stamp with it (issue 17: a third of the time the createHash route took at 100k).
import { createHash, hash as nodeHash } from 'node:crypto';

type OneShot = (algorithm: string, data: string, outputEncoding: 'hex' | 'buffer') => string | Buffer;

let oneShot: OneShot | null | undefined;

/** Node's crypto.hash, or null where it is missing (decided on first use, so loading this module loads nothing). */
function hashFunction(): OneShot | null {
  if (oneShot === undefined) oneShot = typeof nodeHash === 'function' ? (nodeHash as unknown as OneShot) : null;
  return oneShot;
}

/** SHA-256 of the text's UTF-8 bytes, as lower-case hex. */
export function sha256Hex(text: string): string {
  const f = hashFunction();
  return f ? (f('sha256', text, 'hex') as string) : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the text's UTF-8 bytes (32 bytes). */
export function sha256(text: string): Buffer {
  const f = hashFunction();
  return f ? (f('sha256', text, 'buffer') as Buffer) : createHash('sha256').update(text, 'utf8').digest();
}

/** Tests: force the createHash route (null) or go back to deciding on first use (undefined). */
export function useOneShotHashForTests(f: null | undefined): void {
  oneShot = f;
}
