// The scramble key: 32 random bytes kept as 64 hex digits in a file the user names (--key-file).
// Created (owner-only permissions) when missing; never written into the copy, a log or an error.
// The same key file makes the same copy; keep it away from the copy, or delete it to make the
// copy unlinkable to the source for good.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';

export const KEY_BYTES = 32;

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export interface LoadedKey {
  key: Buffer;
  created: boolean;
}

/** Read the key from `path`, or create a new random one there when the file does not exist. */
export function loadOrCreateKey(path: string): LoadedKey {
  if (!path) throw new KeyFileError('no key file given');
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new KeyFileError(`key file ${path} does not hold a scramble key (64 hex digits); use a new file name to create one`);
    return { key: Buffer.from(text, 'hex'), created: false };
  }
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    throw new KeyFileError(`cannot create key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    writeSync(fd, key.toString('hex') + '\n');
  } finally {
    closeSync(fd);
  }
  return { key, created: true };
}
