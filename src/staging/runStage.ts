// Build every child's payload from the SSD tables and stage them: the work behind `ssd stage`, the
// demo's staging step and the benchmark.
import type { Db } from '../db/types';
import { emptyStats, streamChildPayloads } from '../payload/buildPayloads';
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
  /** ssd_person rows whose person id is NULL: no payload can be built or staged for them. */
  personsWithoutId: number;
  /** People not in the cohort, by gate. */
  excludedGateA: number;
  excludedGateB: number;
}

export async function stageFromSsd(db: Db, options: StageFromSsdOptions): Promise<StageFromSsdReport> {
  const schema = options.schema ?? db.defaultSchema;
  const stats = emptyStats();
  const children = streamChildPayloads(db, { schema, asOf: options.asOf, batchSize: options.readBatchSize, signal: options.signal, stats });
  const report = await stageChildren(db, children, { ...options, schema: options.stagingSchema ?? schema });
  return { ...report, asOf: options.asOf, persons: stats.persons, personsWithoutId: stats.personsWithoutId, excludedGateA: stats.excludedGateA, excludedGateB: stats.excludedGateB };
}
