// One dedicated connection for a job whose statements share server state: a deployment script
// run batch by batch (ssd run, the editor's Run Script), a Mosaic run. See Db.session in types.ts.
import type { Db } from './types';

/**
 * Open a dedicated session on db, run fn with it and end the session afterwards (db stays open).
 * A Db without sessions (a test double) is used as it is.
 */
export async function withSession<T>(db: Db, fn: (session: Db) => Promise<T>): Promise<T> {
  if (!db.session) return fn(db);
  const session = await db.session();
  if (session === db) return fn(db);
  try {
    return await fn(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}
