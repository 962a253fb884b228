// The check job: the checks (runChecks) with a percentage on each progress step, the time spent on
// each table, and (for `ssd check`) the refusal of a schema holding none of the SSD tables. The one
// flow `ssd check` and the editor's "SSD: Check Tables" both call (the model is src/script/job.ts);
// each gives it what differs as options: `onProgress` (the CLI: a line on stderr; the editor: the
// notification's bar), `signal` (Ctrl+C / Cancel), `requireSsdTables`. The check asks the user
// nothing, so it has no confirm hook. Pure (never imports 'vscode').
import type { Db } from '../db/types';
import { BUILDER_TABLES } from '../model/ssdModel';
import { runChecks } from './runChecks';
import type { CheckOptions, CheckProgress, CheckReport } from './types';

export interface CheckJobOptions extends Omit<CheckOptions, 'onProgress'> {
  /** Each step, with its percent done (undefined when the total is 0). */
  onProgress?(p: CheckProgress & { percent: number | undefined }): void;
  /** Refuse (NoSsdTablesError) a schema holding none of the tables the payload builder reads: the wrong schema, not findings about an SSD. */
  requireSsdTables?: boolean;
  /** Clock for the per-table times (tests). */
  now?: () => number;
}

export interface CheckJobResult {
  report: CheckReport;
  /** Milliseconds spent on each table, from the progress steps (TableTimer). */
  times: Map<string, number>;
}

/** The schema holds none of the SSD tables the payload builder reads. */
export class NoSsdTablesError extends Error {
  constructor(readonly schema: string) {
    super(`schema ${schema} holds none of the ${BUILDER_TABLES.length} SSD tables the payload builder reads: check --schema, or create them with ssd init`);
    this.name = 'NoSsdTablesError';
  }
}

/** Time spent on each table, from the check's progress events: the time a table's closing step
 *  gives (tableMs), or else (older reports, tests) the time until the next table starts. */
export class TableTimer {
  private current: string | undefined;
  private since = 0;
  private exact = false;
  readonly times = new Map<string, number>();
  constructor(private readonly now: () => number = () => performance.now()) {}

  onProgress(p: CheckProgress): void {
    // A step that ends a table says how long it took: exact even when tables run side by side.
    if (p.table && p.tableMs !== undefined) {
      // From the first such step on, only these count (what the start steps measured is dropped).
      if (!this.exact) this.times.clear();
      this.exact = true;
      this.current = undefined;
      this.times.set(p.table, (this.times.get(p.table) ?? 0) + p.tableMs);
      return;
    }
    if (this.exact) return;
    const table = p.table;
    if (table === this.current) return;
    this.stop();
    if (table) {
      this.current = table;
      this.since = this.now();
    }
  }

  stop(): void {
    if (this.current !== undefined) this.times.set(this.current, (this.times.get(this.current) ?? 0) + (this.now() - this.since));
    this.current = undefined;
  }
}

/** Run the checks: see the header. Throws CancelledError when the signal stops them. */
export async function runCheckJob(db: Db, options: CheckJobOptions): Promise<CheckJobResult> {
  const { onProgress, requireSsdTables, now, ...checkOptions } = options;
  const timer = new TableTimer(now);
  let report: CheckReport;
  try {
    report = await runChecks(db, {
      ...checkOptions,
      onProgress: (p) => {
        timer.onProgress(p);
        onProgress?.({ ...p, percent: p.total ? (p.done / p.total) * 100 : undefined });
      },
    });
  } finally {
    timer.stop();
  }
  if (requireSsdTables && report.findings.filter((f) => f.ruleId === 'SSD-SCHEMA-001').length === BUILDER_TABLES.length) {
    throw new NoSsdTablesError(report.schema);
  }
  return { report, times: timer.times };
}
