// What is at an embedded database's folder, without loading PGlite (src/db/workerDb.ts checks it
// on the editor's main thread before starting the database's worker).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What is at dataDir: nothing (or an empty folder), a PGlite/PostgreSQL data folder, or something else. */
export function pgliteDirState(dataDir: string): 'none' | 'database' | 'other' {
  let st;
  try {
    st = statSync(dataDir);
  } catch {
    return 'none';
  }
  if (!st.isDirectory()) return 'other';
  if (existsSync(join(dataDir, 'PG_VERSION'))) return 'database';
  try {
    return readdirSync(dataDir).length === 0 ? 'none' : 'other';
  } catch {
    return 'other';
  }
}
