// "Test" of a connection profile before it is saved: open, ask the server one cheap question and
// see whether the schema holds SSD tables. Pure (no 'vscode'); the editor layer shows the outcome.
import { DIALECTS } from '../db/dialect';
import type { Db } from '../db/types';

export interface ConnectionTestResult {
  /** SSD tables (names starting ssd_) in the schema. */
  ssdTables: number;
  /** The schema has any table at all (a mistyped schema has none). */
  schemaHasTables: boolean;
  schema: string;
}

export async function testOpenConnection(db: Db, schema: string): Promise<ConnectionTestResult> {
  const rows = await db.query<{ n: unknown; ssd: unknown }>(DIALECTS[db.dialect].tableCounts, [schema]);
  const n = Number(rows[0]?.n ?? 0);
  const ssd = Number(rows[0]?.ssd ?? 0);
  return { ssdTables: Number.isFinite(ssd) ? ssd : 0, schemaHasTables: n > 0, schema };
}

/** One line for the test's outcome. */
export function describeConnectionTest(label: string, r: ConnectionTestResult): string {
  if (r.ssdTables > 0) return `Connected to "${label}": schema ${r.schema} has ${r.ssdTables} SSD table${r.ssdTables === 1 ? '' : 's'}.`;
  if (r.schemaHasTables) return `Connected to "${label}", but schema ${r.schema} has no SSD tables (ssd_…): check the schema, or deploy the SSD there.`;
  return `Connected to "${label}", but schema ${r.schema} has no tables at all: check the schema name (SystemC deployments use ssd_development).`;
}
