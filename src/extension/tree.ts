// The Tables view (SSD Workbench sidebar): connection → groups (tables the API builder reads / other SSD tables /
// staging) → table (present or missing, row count, findings) → columns; a "Children" node paging
// through ssd_person ids with a search; staging counts by row_state and submission_status, and
// the staging rows under each count. Everything is loaded lazily and asynchronously; a failure
// shows as one node with the reason instead of an empty tree. This file loads the nodes and renders
// them: their kinds and context values are in core/treeModel.ts, their looks in core/treeItems.ts.
import * as vscode from 'vscode';
import { redactSecrets } from '../db/connectionSpec';
import type { SsdTableDef, StagingTableName } from '../model/ssdModel';
import type { Logger } from '../log';
import type { ActiveConnection, ConnectionManager } from './connections/connectionManager';
import { countRows, GROUP_TABLES, mergeColumns, pagePersonIds, pageStagingRows, readSchemaColumns, stagingCounts, withheldPersonIds, type DbColumn } from '../browse/inventory';
import { problemNote } from './core/childPicker';
import { STAGING_TABLE_NAMES } from '../model/ssdModel';
import type { FindingsIndex } from './findings';
import { contextValueOf, type TreeNode } from './core/treeModel';
import { presentNode, type ItemView } from './core/treeItems';
import { readSettings } from './settings';
import { recentStageRuns } from '../staging/stageRuns';

/** The tree's nodes: kinds, context values and type guards live in the pure model. */
export type Node = TreeNode;

interface Snapshot {
  epoch: number;
  columns: Map<string, DbColumn[]>;
  counts: Map<string, number>;
}

export class SsdTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private snapshot: Promise<Snapshot> | undefined;
  private snapshotEpoch = -1;
  /** Child ids loaded so far (pages appended by "Load more"). */
  private childIds: string[] = [];
  private childNext: string | undefined;
  private childLoaded = false;
  private childPrefix = '';
  private readonly stagingPages = new Map<string, { rows: Node[]; next?: string }>();
  /** Person ids of Withheld staging rows, read when "With problems" is expanded. */
  private withheld = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connections: ConnectionManager,
    private readonly findings: FindingsIndex,
    private readonly log: Logger,
  ) {
    this.disposables.push(connections.onDidChange(() => this.refresh()));
    this.disposables.push(findings.onDidChange(() => this.emitter.fire()));
  }

  dispose(): void {
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Forget everything loaded and redraw. */
  refresh(): void {
    this.snapshot = undefined;
    this.snapshotEpoch = -1;
    this.resetChildren();
    this.stagingPages.clear();
    this.withheld = new Set();
    this.emitter.fire();
  }

  /** Children with problems (the last check's findings and staging's Withheld rows): id → short note. */
  childProblemNotes(): Map<string, string> {
    const out = new Map<string, string>();
    const fromCheck = this.findings.childProblems();
    for (const id of new Set([...fromCheck.keys(), ...this.withheld])) out.set(id, problemNote(fromCheck.get(id)?.rules ?? [], this.withheld.has(id)));
    return out;
  }

  get childSearch(): string {
    return this.childPrefix;
  }

  setChildSearch(prefix: string): void {
    this.childPrefix = prefix;
    this.resetChildren();
    this.emitter.fire();
  }

  private resetChildren(): void {
    this.childIds = [];
    this.childNext = undefined;
    this.childLoaded = false;
  }

  /** Load the next page for a "Load more" node. */
  async loadMore(node: Node): Promise<void> {
    if (node.kind !== 'more') return;
    const conn = await this.connections.current();
    if (!conn) return;
    if (node.parent === 'children') {
      await this.loadChildPage(conn, node.after);
    } else {
      const page = this.stagingPages.get(node.parent);
      const [table, rs, ss] = JSON.parse(node.parent) as [StagingTableName, string | null, string | null];
      const next = await pageStagingRows(conn.db, conn.schema, table, { after: node.after, rowState: rs, submissionStatus: ss, pageSize: readSettings().childrenPageSize });
      const rows = next.rows.map((r) => ({ kind: 'stagingRow' as const, table, ...r }));
      this.stagingPages.set(node.parent, { rows: [...(page?.rows ?? []), ...rows], ...(next.next ? { next: next.next } : {}) });
    }
    this.emitter.fire();
  }

  private async loadChildPage(conn: ActiveConnection, after?: string): Promise<void> {
    const page = await pagePersonIds(conn.db, conn.schema, {
      ...(after !== undefined ? { after } : {}),
      ...(this.childPrefix ? { prefix: this.childPrefix } : {}),
      pageSize: readSettings().childrenPageSize,
    });
    this.childIds.push(...page.ids);
    this.childNext = page.next;
    this.childLoaded = true;
    this.log.debug(`children page: ${page.ids.length} ids`);
  }

  private async snap(conn: ActiveConnection): Promise<Snapshot> {
    if (this.snapshot && this.snapshotEpoch === this.connections.epoch) return this.snapshot;
    this.snapshotEpoch = this.connections.epoch;
    const epoch = this.connections.epoch;
    this.snapshot = (async () => {
      const t0 = Date.now();
      const columns = await readSchemaColumns(conn.db, conn.schema);
      this.log.debug(`read ${columns.size} tables' columns in ${Date.now() - t0} ms`);
      const snap: Snapshot = { epoch, columns, counts: new Map<string, number>() };
      this.loaded = snap;
      return snap;
    })();
    this.snapshot.catch(() => {
      this.snapshot = undefined;
    });
    return this.snapshot;
  }

  private async countTables(conn: ActiveConnection, snap: Snapshot, defs: readonly SsdTableDef[]): Promise<void> {
    const todo = defs.filter((d) => snap.columns.has(d.name) && !snap.counts.has(d.name));
    let i = 0;
    const worker = async () => {
      while (i < todo.length) {
        const d = todo[i++]!;
        try {
          snap.counts.set(d.name, await countRows(conn.db, conn.schema, d.name));
        } catch (e) {
          this.log.warn(`counting ${d.name}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
          snap.counts.set(d.name, -1);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    try {
      return await this.children(node);
    } catch (e) {
      const msg = redactSecrets(e instanceof Error ? e.message : String(e));
      this.log.error(`SSD Tables: ${msg}`);
      return [{ kind: 'message', text: 'Could not read the database', detail: msg, icon: 'error' }];
    }
  }

  private async children(node?: Node): Promise<Node[]> {
    if (!node) {
      if (this.connections.connectionState === 'makingDemo') {
        return [{ kind: 'message', text: 'Demo database being made…', detail: 'progress in the notification', icon: 'loading~spin' }];
      }
      const conn = await this.connections.current();
      if (conn) return [{ kind: 'connection', conn }];
      // No database chosen: the view's welcome content offers the demo. A failure shows its reason.
      if (this.connections.connectionState !== 'failed') return [];
      return [
        { kind: 'message', text: 'Could not open the database', detail: this.connections.failure ?? 'see the log', icon: 'error' },
        { kind: 'action', text: 'Select Connection…', command: 'ssd.selectConnection', icon: 'plug' },
        { kind: 'action', text: 'Try Again', command: 'ssd.refresh', icon: 'refresh' },
        { kind: 'action', text: 'Show Log', command: 'ssd.showLog', icon: 'output' },
      ];
    }
    const conn = await this.connections.current();
    if (!conn) return [];
    switch (node.kind) {
      case 'connection': {
        const snap = await this.snap(conn);
        const out: Node[] = [
          { kind: 'group', group: 'builder' },
          { kind: 'group', group: 'other' },
          { kind: 'group', group: 'staging' },
        ];
        if (snap.columns.has('ssd_person')) out.push({ kind: 'children' });
        return out;
      }
      case 'group': {
        const snap = await this.snap(conn);
        const defs = GROUP_TABLES[node.group];
        await this.countTables(conn, snap, defs);
        return defs.map((def) => ({ kind: 'table', def, group: node.group }));
      }
      case 'table': {
        const snap = await this.snap(conn);
        const cols = mergeColumns(node.def, snap.columns.get(node.def.name), conn.db.dialect);
        const out: Node[] = [];
        if (node.group === 'staging' && snap.columns.has(node.def.name)) {
          const counts = await stagingCounts(conn.db, conn.schema, node.def.name as StagingTableName);
          for (const c of counts) out.push({ kind: 'stagingBucket', table: node.def.name as StagingTableName, rowState: c.rowState, submissionStatus: c.submissionStatus, count: c.count });
          if (!counts.length) out.push({ kind: 'message', text: 'No staged rows yet', detail: 'Run SSD: Build Staging', icon: 'info' });
          out.push({ kind: 'stageRuns', table: node.def.name as StagingTableName });
          // A staging table's rows by state come first; its columns apart, under their own node.
          out.push({ kind: 'columns', def: node.def });
          return out;
        }
        for (const c of cols) out.push({ kind: 'column', table: node.def.name, ...c });
        return out;
      }
      case 'columns': {
        const snap = await this.snap(conn);
        return mergeColumns(node.def, snap.columns.get(node.def.name), conn.db.dialect).map((c) => ({ kind: 'column' as const, table: node.def.name, ...c }));
      }
      case 'childrenWithProblems': {
        const snap = await this.snap(conn);
        const withheld = new Set<string>();
        for (const t of STAGING_TABLE_NAMES) {
          if (!snap.columns.has(t)) continue;
          try {
            for (const id of await withheldPersonIds(conn.db, conn.schema, t, readSettings().childrenPageSize)) withheld.add(id);
          } catch (e) {
            this.log.warn(`Withheld children of ${t}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
          }
        }
        this.withheld = withheld;
        const ids = [...this.childProblemNotes().keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
        if (!ids.length) {
          return [{ kind: 'message', text: this.findings.checked ? 'No child named by the last check or withheld by staging' : 'Run Check Tables (or Build Staging) to find them', icon: 'info' }];
        }
        return ids.map((personId) => ({ kind: 'child' as const, personId, ...(withheld.has(personId) ? { withheld: true } : {}) }));
      }
      case 'children': {
        if (!this.childLoaded) await this.loadChildPage(conn);
        const out: Node[] = this.childIds.map((personId) => ({ kind: 'child', personId }));
        if (!this.childPrefix) out.unshift({ kind: 'childrenWithProblems' });
        if (this.childNext !== undefined) out.push({ kind: 'more', parent: 'children', after: this.childNext });
        if (!out.length) out.push({ kind: 'message', text: this.childPrefix ? `No child id starts with "${this.childPrefix}"` : 'ssd_person has no rows', icon: 'info' });
        return out;
      }
      case 'stageRuns': {
        const runs = await recentStageRuns(conn.db, conn.schema, `${conn.schema}.${node.table}`, { limit: 10 });
        if (!runs.length) return [{ kind: 'message', text: 'No stage run recorded yet', icon: 'info' }];
        return runs.map((run) => ({ kind: 'stageRun' as const, run }));
      }
      case 'stagingBucket': {
        const key = JSON.stringify([node.table, node.rowState, node.submissionStatus]);
        let page = this.stagingPages.get(key);
        if (!page) {
          const p = await pageStagingRows(conn.db, conn.schema, node.table, { rowState: node.rowState, submissionStatus: node.submissionStatus, pageSize: readSettings().childrenPageSize });
          page = { rows: p.rows.map((r) => ({ kind: 'stagingRow' as const, table: node.table, ...r })), ...(p.next ? { next: p.next } : {}) };
          this.stagingPages.set(key, page);
        }
        return page.next ? [...page.rows, { kind: 'more', parent: key, after: page.next }] : page.rows;
      }
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = this.treeItem(node);
    const present = node.kind === 'table' ? this.peekSnapshot()?.columns.has(node.def.name) : undefined;
    item.contextValue = contextValueOf(node, { ...(present !== undefined ? { present } : {}), childSearch: this.childPrefix });
    return item;
  }

  private treeItem(node: Node): vscode.TreeItem {
    return renderItem(
      presentNode(node, {
        epoch: this.connections.epoch,
        childSearch: this.childPrefix,
        findings: this.findings,
        withheld: this.withheld,
        ...(this.peekSnapshot() ? { snapshot: this.peekSnapshot()! } : {}),
      }),
    );
  }

  private peekSnapshot(): Snapshot | undefined {
    return this.loaded && this.loaded.epoch === this.connections.epoch ? this.loaded : undefined;
  }

  private loaded: Snapshot | undefined;
}

/** An ItemView (core/treeItems.ts) as the editor's TreeItem. */
function renderItem(v: ItemView): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  const item = new vscode.TreeItem(v.label, v.collapsible === 'expanded' ? C.Expanded : v.collapsible === 'collapsed' ? C.Collapsed : C.None);
  if (v.id !== undefined) item.id = v.id;
  if (v.description !== undefined) item.description = v.description;
  if (v.tooltip !== undefined) item.tooltip = typeof v.tooltip === 'string' ? v.tooltip : new vscode.MarkdownString(v.tooltip.markdown);
  if (v.iconPath) item.iconPath = v.iconPath.color ? new vscode.ThemeIcon(v.iconPath.id, new vscode.ThemeColor(v.iconPath.color)) : new vscode.ThemeIcon(v.iconPath.id);
  if (v.command) item.command = v.command;
  return item;
}
