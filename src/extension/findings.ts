// The last check's findings, held for the tree (table and column markers) and whoever else shows
// them. Set by "SSD: Check Tables"; cleared when the connection changes.
import * as vscode from 'vscode';
import type { CheckFinding } from '../check/types';
import { indexFindings, withoutStagingTableMissing, type FindingsByTable, type Tally } from './core/findingsIndex';
import { childrenOfReport } from './core/checkWorkflow';
import type { ReportChild } from './core/report';

export class FindingsIndex implements vscode.Disposable {
  private byTable = new Map<string, FindingsByTable>();
  private all: CheckFinding[] = [];
  private checkedAtValue: string | undefined;
  private children: Map<string, ReportChild> | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  /** Replace the findings with a new check's (all of them: a check covers every table). */
  set(findings: readonly CheckFinding[], checkedAt = new Date().toISOString()): void {
    this.all = [...findings];
    this.byTable = indexFindings(findings);
    this.checkedAtValue = checkedAt;
    this.children = undefined;
    this.emitter.fire();
  }

  /**
   * Build Staging created (or found) staging table `table`: drop the last check's "not present yet"
   * finding for it (tree markers, Problems panel and table document follow); the rest stays.
   */
  stagingTableCreated(table: string): void {
    if (!this.checkedAtValue) return;
    const kept = withoutStagingTableMissing(this.all, table);
    if (kept.length === this.all.length) return;
    this.all = kept;
    this.byTable = indexFindings(kept);
    this.children = undefined;
    this.emitter.fire();
  }

  clear(): void {
    if (!this.checkedAtValue && this.all.length === 0) return;
    this.all = [];
    this.byTable = new Map();
    this.checkedAtValue = undefined;
    this.children = undefined;
    this.emitter.fire();
  }

  /** True once a check has run on this connection. */
  get checked(): boolean {
    return this.checkedAtValue !== undefined;
  }
  get checkedAt(): string | undefined {
    return this.checkedAtValue;
  }
  get findings(): readonly CheckFinding[] {
    return this.all;
  }

  /** A table's tally; after a check, an all-zero tally for a table without findings; before any check, undefined. */
  forTable(table: string): Tally | undefined {
    const e = this.byTable.get(table.toLowerCase());
    if (e) return e.table;
    return this.checked ? { errors: 0, warnings: 0, infos: 0, messages: [] } : undefined;
  }

  /** The children the last check's findings name (person ids of their example rows), with the rules naming each. */
  childProblems(): ReadonlyMap<string, ReportChild> {
    if (!this.children) this.children = new Map(childrenOfReport(this.all).map((c) => [c.personId, c] as const));
    return this.children;
  }

  findingsFor(table: string): readonly CheckFinding[] {
    return this.byTable.get(table.toLowerCase())?.findings ?? [];
  }

  forColumn(table: string, column: string): Tally | undefined {
    return this.byTable.get(table.toLowerCase())?.columns.get(column.toLowerCase());
  }

  groupTotal(tables: readonly string[]): Tally {
    const t: Tally = { errors: 0, warnings: 0, infos: 0, messages: [] };
    for (const name of tables) {
      const e = this.byTable.get(name.toLowerCase());
      if (!e) continue;
      t.errors += e.table.errors;
      t.warnings += e.table.warnings;
      t.infos += e.table.infos;
    }
    return t;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
