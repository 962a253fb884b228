// Child process of the kill-safety test: stages a synthetic cohort (version 1 or 2) and prints one
// line per committed batch, so the parent can SIGKILL it at chosen points.
//   node --import tsx killWorker.ts <db url> <schema> <version> <n> [batchSize]
import { openDb } from '../../../src/db/openDb';
import { stageChildren } from '../../../src/staging/stageChildren';
import { cohortFor } from './killCohort';

const [url, schema, version, n, batchSize] = process.argv.slice(2);
const db = await openDb(url!);
try {
  process.stdout.write('ready\n');
  const r = await stageChildren(db, cohortFor(Number(version), Number(n)), {
    schema,
    batchSize: Number(batchSize ?? 250),
    onProgress: ({ children }) => process.stdout.write(`batch ${children}\n`),
  });
  process.stdout.write(`done ${JSON.stringify({ new: r.new, updated: r.updated, unchanged: r.unchanged, deleted: r.deleted })}\n`);
} finally {
  await db.close();
}
