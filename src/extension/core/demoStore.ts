// The extension's embedded demo database: a PGlite folder under the extension's global storage,
// made by the demo job (src/demo/job.ts: SSD tables, fake children, summary). Pure (no
// 'vscode'): the extension passes the storage folder, the number of children, progress and
// cancellation. A READY file is written only when every step finished, so a half-made demo is never
// opened; the lock file every embedded database has (src/db/dirLock.ts: <data folder>.lock, naming
// the holder) keeps a second editor window or an `ssd` command (another process) from opening the
// same folder, which PGlite does not support.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, describeHolder, DirLockedError, lockPathFor, otherHolder, releaseLock } from '../../db/dirLock';
// The demo's steps and the fake-data generator are loaded when a demo is made (in the editor's
// worker thread), not when the extension activates.
import type { DemoProgress, DemoResult, Print } from '../../demo/runDemo';

export const DEMO_FOLDER = 'demo';
export const READY_FILE = 'READY.json';
/** The demo's lock is its data folder's lock (src/db/dirLock.ts): `db.lock` beside `db/`. */
export const LOCK_FILE = 'db.lock';
/** Beside the demo folder while a window is making it. */
export const MAKING_LOCK_FILE = 'demo-making.lock';

export interface DemoInfo {
  children: number;
  seed: string;
  asOf: string;
  createdAt: string;
  version: string;
}

export interface DemoPaths {
  /** The folder runDemo prepares (holds the mark, READY and lock files). */
  dir: string;
  /** PGlite's data folder inside it. */
  dataDir: string;
  address: string;
  ready: string;
  lock: string;
}

export function demoPaths(storageRoot: string): DemoPaths {
  const dir = join(storageRoot, DEMO_FOLDER);
  const dataDir = join(dir, 'db');
  return { dir, dataDir, address: `pglite:${dataDir}`, ready: join(dir, READY_FILE), lock: lockPathFor(dataDir) };
}

/** What the READY file says, or undefined when the demo is missing or was never finished. */
export function readDemoInfo(storageRoot: string): DemoInfo | undefined {
  const p = demoPaths(storageRoot);
  if (!existsSync(p.ready) || !existsSync(p.dataDir)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(p.ready, 'utf8')) as Partial<DemoInfo>;
    if (typeof raw.children !== 'number' || typeof raw.asOf !== 'string') return undefined;
    return { children: raw.children, seed: String(raw.seed ?? ''), asOf: raw.asOf, createdAt: String(raw.createdAt ?? ''), version: String(raw.version ?? '') };
  } catch {
    return undefined;
  }
}

export interface CreateDemoOptions {
  children: number;
  asOf: string;
  seed?: string;
  version?: string;
  signal?: AbortSignal;
  /** Fake children written so far. */
  onProgress?: (p: DemoProgress) => void;
  /** The demo's readable summary (table names and counts; no child's data). */
  print?: Print;
}

/**
 * Make the demo database (replacing an unfinished one). On failure or cancellation the folder is
 * removed, so the next attempt starts clean.
 */
export async function createDemo(storageRoot: string, options: CreateDemoOptions): Promise<DemoResult> {
  const [{ DEMO_MARK_FILE }, { runDemoJob }, { DEFAULT_CHUNK }] = await Promise.all([import('../../demo/runDemo'), import('../../demo/job'), import('../../fake/generateFakeSsd')]);
  const p = demoPaths(storageRoot);
  if (existsSync(p.dir) && !existsSync(join(p.dir, DEMO_MARK_FILE)) && existsSync(p.dataDir)) {
    throw new Error(`${p.dir} holds a database SSD Workbench did not make; not touching it`);
  }
  const holder = otherHolder(p.lock);
  if (holder) throw new DemoLockedError(undefined, holder);
  // Another window making the demo at the same moment would write into the same folder.
  const making = join(storageRoot, MAKING_LOCK_FILE);
  if (heldByOtherProcess(making)) throw new DemoLockedError('the demo database is being made in another editor window: wait for it there');
  writeFileSync(making, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }) + '\n');
  try {
    // The demo job (src/demo/job.ts) without its staging step; no confirm hook: an unfinished demo is replaced.
    const outcome = await runDemoJob({
      dir: p.dir,
      children: options.children,
      asOf: options.asOf,
      ...(options.seed ? { seed: options.seed } : {}),
      steps: ['tables', 'fake data', 'summary'],
      // About 20 progress steps (and as many chances to stop on Cancel); the rows do not depend on it.
      fakeChunkSize: Math.min(DEFAULT_CHUNK, Math.max(100, Math.ceil(options.children / 20))),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.print ? { print: options.print } : {}),
    });
    if (!outcome.ran) throw new Error('the demo was not made'); // not reached: no confirm hook
    const result = outcome.result;
    const info: DemoInfo = { children: options.children, seed: options.seed ?? '1', asOf: options.asOf, createdAt: new Date().toISOString(), version: options.version ?? '' };
    writeFileSync(p.ready, JSON.stringify(info, null, 2) + '\n');
    return result;
  } catch (e) {
    rmSync(p.dir, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(making, { force: true });
  }
}

/** Delete the demo database (refused while another window has it open). */
export function deleteDemo(storageRoot: string, pid = process.pid): void {
  const p = demoPaths(storageRoot);
  const holder = otherHolder(p.lock, pid);
  if (holder) throw new DemoLockedError(undefined, holder);
  rmSync(p.dir, { recursive: true, force: true });
}

export class DemoLockedError extends Error {
  constructor(message?: string, holder?: { pid: number; command: string; since: string }) {
    super(
      message ??
        (holder
          ? `the demo database is open in another process (${describeHolder(holder)}): close it there first`
          : 'the demo database is open in another editor window: close it there (or use that window)'),
    );
    this.name = 'DemoLockedError';
  }
}

/** True when the lock file names another process that is still running (a dead holder's lock is stale). */
export function heldByOtherProcess(lockFile: string, pid = process.pid): boolean {
  return otherHolder(lockFile, pid) !== undefined;
}

/** Take the demo's lock for this process (counted, as every embedded database's lock);
 *  throws DemoLockedError naming the holder when another live process holds it. */
export function acquireDemoLock(storageRoot: string): void {
  const p = demoPaths(storageRoot);
  try {
    acquireLock(p.lock, 'the demo database', 'VS Code extension host');
  } catch (e) {
    if (e instanceof DirLockedError) throw new DemoLockedError(undefined, e.holder);
    throw e;
  }
}

/** Give back this process's take of the lock (another process's lock is left alone). */
export function releaseDemoLock(storageRoot: string): void {
  releaseLock(demoPaths(storageRoot).lock);
}
