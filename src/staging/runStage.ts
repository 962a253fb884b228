// Build every child's payload from the SSD tables and stage them: the work behind `ssd stage`, the
// demo's staging step and the benchmark.
import type { Db } from '../db/types';
import { assertBuilderTables, emptyStats, streamChildPayloads } from '../payload/buildPayloads';
import { markStagedFromFake, readFakeMark } from '../fake/fakeMarker';
import { stageChildren, type StageOptions, type StageReport } from './stageChildren';

export interface StageFromSsdOptions extends Omit<StageOptions, 'schema'> {
  /** Schema holding the SSD tables (default: the connection's default schema). */
  schema?: string;
  /** Schema of the staging table (default: the SSD schema). */
  stagingSchema?: string;
  /** As-of date YYYY-MM-DD (required: the caller decides "today"). */
  asOf: string;
  /** Rows the builder fetches per round trip. */
  readBatchSize?: number;
}

export interface StageFromSsdReport extends StageReport {
  asOf: string;
  /** People read from ssd_person. */
  persons: number;
  /** People not in the cohort, by gate. */
  excludedGateA: number;
  excludedGateB: number;
}

export async function stageFromSsd(db: Db, options: StageFromSsdOptions): Promise<StageFromSsdReport> {
  const schema = options.schema ?? db.defaultSchema;
  // Nothing is created (no staging table) before the SSD tables are found.
  await assertBuilderTables(db, schema);
  // Payloads of fake children staged into another schema carry the fake mark there too, so that
  // schema's send refuses them as well (src/fake/fakeMarker.ts).
  if (options.stagingSchema && (await readFakeMark(db, schema))) await markStagedFromFake(db, schema, options.stagingSchema, options.asOf);
  const stats = emptyStats();
  const children = streamChildPayloads(db, { schema, asOf: options.asOf, batchSize: options.readBatchSize, signal: options.signal, stats });
  const report = await stageChildren(db, children, { ...options, schema: options.stagingSchema ?? schema });
  return { ...report, asOf: options.asOf, persons: stats.persons, excludedGateA: stats.excludedGateA, excludedGateB: stats.excludedGateB };
}
