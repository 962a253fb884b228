// One process at a time on an embedded (PGlite) database directory: PGlite is a single-user
// PostgreSQL, and two processes writing one directory corrupt it (an index that no longer matches
// its table). A lock file beside the directory (<dir>.lock) names the holder: its process id, what
// it runs and since when. A lock whose process is gone is stale and taken over. Within one process
// the lock is shared (counted), so the editor's demo connection and a job it runs on the same
// directory do not refuse each other. The extension's demo database uses the same lock
// (src/extension/core/demoStore.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ConnectionError } from './types';

export interface LockHolder {
  pid: number;
  /** What the holder runs, e.g. "ssd stage" or "VS Code extension host". Never its arguments. */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Distinguishes two takes by the same process id. */
  token?: string;
}

/** The lock file of a PGlite data directory: beside it, named <dir>.lock. */
export function lockPathFor(dataDir: string): string {
  return resolve(dataDir) + '.lock';
}

/** What this process is, in a few words (no arguments: they may hold addresses or values). */
export function currentCommand(): string {
  const script = process.argv[1] ? basename(process.argv[1]) : '';
  if (/extensionHost|bootstrap-fork/i.test(script) || process.env.VSCODE_PID) return 'VS Code extension host';
  const sub = process.argv.slice(2).find((a) => /^[a-z][a-z-]*$/.test(a));
  if (/^(cli\.cjs|ssd|main\.ts|index\.ts)$/.test(script)) return `ssd${sub ? ' ' + sub : ''}`;
  return script ? `node ${script}` : 'node';
}

/** Whether a process with this id is running (on this machine). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder a lock file names, or undefined when there is none or it cannot be read. */
export function readLock(lockFile: string): LockHolder | undefined {
  let raw: { pid?: unknown; command?: unknown; since?: unknown; token?: unknown };
  try {
    raw = JSON.parse(readFileSync(lockFile, 'utf8')) as typeof raw;
  } catch {
    return undefined;
  }
  const pid = Number(raw.pid);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    command: typeof raw.command === 'string' ? raw.command : 'unknown command',
    since: typeof raw.since === 'string' ? raw.since : 'an unknown time',
    ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
  };
}

/** The live process other than `pid` that holds the lock, if any (a dead holder's lock is stale). */
export function otherHolder(lockFile: string, pid = process.pid): LockHolder | undefined {
  const h = readLock(lockFile);
  return h && h.pid !== pid && processAlive(h.pid) ? h : undefined;
}

export function describeHolder(h: LockHolder): string {
  return `process ${h.pid} (${h.command}), since ${h.since}`;
}

export class DirLockedError extends ConnectionError {
  constructor(
    readonly what: string,
    readonly holder: LockHolder,
  ) {
    super(`${what} is in use by ${describeHolder(holder)}: an embedded database can be opened by one process at a time. Wait for it to finish (or stop it), then try again.`);
  }
}

const held = new Map<string, { count: number; token: string }>();

/**
 * Take the lock on a lock file for this process (counted: take it as often as you like, give it
 * back as often). Throws DirLockedError naming the holder when another live process has it.
 */
export function acquireLock(lockFile: string, what: string, command = currentCommand()): void {
  const key = resolve(lockFile);
  const mine = held.get(key);
  if (mine && readLock(key)?.token === mine.token) {
    mine.count++;
    return;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = randomUUID();
    const text = JSON.stringify({ pid: process.pid, command, since: new Date().toISOString(), token } satisfies LockHolder) + '\n';
    try {
      writeFileSync(key, text, { flag: 'wx', mode: 0o644 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConnectionError(`cannot open ${what}: cannot write its lock file (${(e as Error).message})`, { cause: e });
      const h = readLock(key);
      if (h && h.pid !== process.pid && processAlive(h.pid)) throw new DirLockedError(what, h);
      if (!h && attempt < 4) {
        // Just being written by its taker, or unreadable: look again shortly before calling it stale.
        sleepSync(50);
        if (readLock(key)) continue;
      }
      // Stale (its process is gone), ours from before, or unreadable: take it over.
      rmSync(key, { force: true });
      continue;
    }
    // Two processes taking over one stale lock at once: only the one whose token is in the file has it.
    if (readLock(key)?.token !== token) {
      const h = readLock(key);
      if (h && h.pid !== process.pid) throw new DirLockedError(what, h);
      continue;
    }
    held.set(key, { count: (mine?.count ?? 0) + 1, token });
    return;
  }
  const h = readLock(key);
  if (h && h.pid !== process.pid) throw new DirLockedError(what, h);
  throw new ConnectionError(`cannot lock ${what}: the lock file ${key} keeps changing`);
}

/** Give back one take of the lock; the file goes when this process's last take is given back. */
export function releaseLock(lockFile: string): void {
  const key = resolve(lockFile);
  const mine = held.get(key);
  if (!mine) return;
  if (--mine.count > 0) return;
  held.delete(key);
  if (readLock(key)?.token === mine.token) rmSync(key, { force: true });
}

/** Whether this process holds the lock now (its token is in the file). */
export function holdsLock(lockFile: string): boolean {
  const key = resolve(lockFile);
  const mine = held.get(key);
  return !!mine && readLock(key)?.token === mine.token;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
