// CPU-heavy editor work next to the database: on the editor's embedded databases (the demo, a
// pglite: profile), which run in a worker thread (src/db/workerDb.ts), staging, fake data and a
// child's payload are built in that thread too, so building, validating and hashing payloads never
// block the editor (issue 15, item 1). On a server connection they run in this thread, where the
// server does the database work. No 'vscode'. Options cross the thread as plain data; progress and
// log lines come back as they happen; the signal stops the job.
import type { Db } from '../../db/types';
import { WorkerDb } from '../../db/workerDb';
import type { FakeOptions, FakeSummary } from '../../fake/generateFakeSsd';
import type { SingleChildResult } from '../../payload/buildPayloads';
import type { BuildOptions } from '../../payload/types';
import type { StageFromSsdOptions, StageFromSsdReport } from '../../staging/runStage';
import { stageWithProgress, type StageProgress } from './dataWork';

/** stageWithProgress (src/extension/core/dataWork.ts), in the worker when the database has one. */
export async function stageInBackground(db: Db, options: StageFromSsdOptions, onProgress?: (p: StageProgress) => void): Promise<StageFromSsdReport> {
  if (!(db instanceof WorkerDb)) return stageWithProgress(db, options, onProgress);
  const { signal, logger, onProgress: _ignored, stats: _stats, ...plain } = options;
  return db.runJob<StageFromSsdReport>('stage', plain as Record<string, unknown>, {
    ...(signal ? { signal } : {}),
    ...(logger ? { logger } : {}),
    ...(onProgress ? { onProgress: (p) => onProgress(p as StageProgress) } : {}),
  });
}

/** generateFakeSsd, in the embedded database's worker thread when it has one (as stageInBackground). */
export async function fakeInBackground(db: Db, options: FakeOptions): Promise<FakeSummary> {
  if (!(db instanceof WorkerDb)) {
    const { generateFakeSsd } = await import('../../fake/generateFakeSsd');
    return generateFakeSsd(db, options);
  }
  const { signal, onProgress, ...plain } = options;
  return db.runJob<FakeSummary>('fake', plain as Record<string, unknown>, {
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress: (p) => onProgress(p as { done: number; total: number }) } : {}),
  });
}

/** buildChildPayload, in the embedded database's worker thread when it has one. */
export async function childPayloadInBackground(db: Db, personId: string, options: BuildOptions): Promise<SingleChildResult> {
  if (!(db instanceof WorkerDb)) {
    const { buildChildPayload } = await import('../../payload/buildPayloads');
    return buildChildPayload(db, personId, options);
  }
  const { signal, ...plain } = options;
  return db.runJob<SingleChildResult>('payload', { ...plain, personId } as Record<string, unknown>, signal ? { signal } : {});
}
