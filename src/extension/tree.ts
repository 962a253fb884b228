// The "SSD Tables" tree: connection → groups (tables the API builder reads / other SSD tables /
// staging) → table (present or missing, row count, findings) → columns; a "Children" node paging
// through ssd_person ids with a search; staging counts by row_state and submission_status, and
// the staging rows under each count. Everything is loaded lazily and asynchronously; a failure
// shows as one node with the reason instead of an empty tree.
import * as vscode from 'vscode';
import { redactSecrets } from '../db/connectionSpec';
import { findTable, type SsdTableDef, type StagingTableName } from '../model/ssdModel';
import type { Logger } from '../log';
import type { ActiveConnection, ConnectionManager } from '../connections/vscode/connectionManager';
import { countRows, GROUP_TABLES, mergeColumns, pagePersonIds, pageStagingRows, readSchemaColumns, stagingCounts, withheldPersonIds, type DbColumn, type TableGroup } from './core/inventory';
import { problemNote } from './core/childPicker';
import { STAGING_TABLE_NAMES } from '../model/ssdModel';
import type { FindingsIndex } from './findings';
import { contextValueOf, type TreeNode } from './core/treeModel';
import type { Tally } from './core/findingsIndex';
import { readSettings } from './settings';
import { recentStageRuns } from '../staging/stageRuns';

/** The tree's nodes: kinds, context values and type guards live in the pure model. */
export type Node = TreeNode;

const GROUP_LABEL: Record<TableGroup, string> = {
  builder: 'Tables the API builder reads',
  other: 'Other SSD tables',
  staging: 'Staging',
};

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

  constructor(private readonly connections: ConnectionManager, private readonly findings: FindingsIndex, private readonly log: Logger) {
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

  get childSearch(): string { return this.childPrefix; }

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
    const page = await pagePersonIds(conn.db, conn.schema, { ...(after !== undefined ? { after } : {}), ...(this.childPrefix ? { prefix: this.childPrefix } : {}), pageSize: readSettings().childrenPageSize });
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
    this.snapshot.catch(() => { this.snapshot = undefined; });
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
        const out: Node[] = [{ kind: 'group', group: 'builder' }, { kind: 'group', group: 'other' }, { kind: 'group', group: 'staging' }];
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
          try { for (const id of await withheldPersonIds(conn.db, conn.schema, t, readSettings().childrenPageSize)) withheld.add(id); } catch (e) {
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
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'connection': {
        const item = new vscode.TreeItem(node.conn.label, C.Expanded);
        item.id = `conn:${node.conn.key}:${this.connections.epoch}`;
        item.description = `schema ${node.conn.schema}`;
        item.tooltip = new vscode.MarkdownString(`**${escapeMd(node.conn.label)}**\n\n${escapeMd(node.conn.description)}\n\nSchema \`${node.conn.schema}\`${node.conn.isDemo ? '\n\nEmbedded demo database: fake children only.' : ''}`);
        item.iconPath = new vscode.ThemeIcon(node.conn.isDemo ? 'beaker' : 'database');
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(GROUP_LABEL[node.group], node.group === 'builder' ? C.Expanded : C.Collapsed);
        item.id = `group:${node.group}:${this.connections.epoch}`;
        const snap = this.peekSnapshot();
        const defs = GROUP_TABLES[node.group];
        const parts: string[] = [];
        const tip: string[] = [`**${GROUP_LABEL[node.group]}**`];
        if (snap) {
          const present = defs.filter((d) => snap.columns.has(d.name)).length;
          parts.push(`${present} of ${defs.length}`);
          tip.push(`${present} of the ${defs.length} tables are present.`);
        }
        const f = this.findings.groupTotal(defs.map((d) => d.name));
        if (f.errors + f.warnings > 0) {
          parts.push(badges(f));
          tip.push(`Last check: ${plural(f.errors, 'error')}, ${plural(f.warnings, 'warning')}.`);
        }
        if (parts.length) item.description = parts.join(' · ');
        item.tooltip = new vscode.MarkdownString(tip.join('\n\n'));
        item.iconPath = new vscode.ThemeIcon(node.group === 'staging' ? 'inbox' : node.group === 'builder' ? 'symbol-class' : 'folder-library');
        return item;
      }
      case 'table': {
        const snap = this.peekSnapshot();
        const present = snap ? snap.columns.has(node.def.name) : undefined;
        const item = new vscode.TreeItem(node.def.name, C.Collapsed);
        item.id = `table:${node.def.name}:${this.connections.epoch}`;
        // Short enough for the default sidebar width: the count and the findings as badges;
        // the words are in the tooltip.
        const parts: string[] = [];
        const n = present && snap ? snap.counts.get(node.def.name) : undefined;
        if (present === false) parts.push('missing');
        else if (n !== undefined) parts.push(n < 0 ? 'count failed' : n === 0 ? 'empty' : plural(n, 'row'));
        const f = this.findings.forTable(node.def.name);
        if (f && f.errors + f.warnings + f.infos > 0) parts.push(badges(f));
        item.description = parts.join(' · ');
        const facts = [
          present === false ? 'Missing from the database.' : n === undefined ? '' : n < 0 ? 'The row count failed (see the log).' : n === 0 ? 'Empty: no rows.' : `${plural(n, 'row')}.`,
          f ? `Last check: ${findingWords(f)}.` : '',
        ].filter(Boolean).join(' ');
        const md = new vscode.MarkdownString(`**${node.def.name}**${facts ? `\n\n${escapeMd(facts)}` : ''}\n\n${escapeMd(node.def.description)}\n\n*Row:* ${escapeMd(node.def.rowGrain)}`);
        item.tooltip = md;
        item.iconPath = present === false
          ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
          : n === 0 ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground'))
          : f && f.errors ? new vscode.ThemeIcon('table', new vscode.ThemeColor('problemsErrorIcon.foreground'))
            : f && f.warnings ? new vscode.ThemeIcon('table', new vscode.ThemeColor('problemsWarningIcon.foreground'))
              : new vscode.ThemeIcon('table');
        item.command = { command: 'ssd.openTableDocument', title: 'Show table', arguments: [node.def.name] };
        return item;
      }
      case 'columns': {
        const item = new vscode.TreeItem('Columns', C.Collapsed);
        item.id = `columns:${node.def.name}:${this.connections.epoch}`;
        item.description = String(node.def.columns.length);
        item.tooltip = `The columns of ${node.def.name}.`;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        return item;
      }
      case 'column': {
        const item = new vscode.TreeItem(node.name, C.None);
        // "● varchar(48) · key · missing · ⚠1": the words are in the tooltip.
        const bits = [`${node.usedByBuilder ? '● ' : ''}${node.type}`];
        if (node.pk) bits.push('key');
        if (!node.present) bits.push('missing');
        if (!node.inModel) bits.push('extra');
        const f = this.findings.forColumn(node.table, node.name);
        if (f) bits.push(badges(f));
        item.description = bits.join(' · ');
        const def = findTable(node.table)?.columns.find((c) => c.name === node.name);
        item.tooltip = `${node.table}.${node.name}: ${node.type}${node.pk ? ' (key)' : ''}${node.usedByBuilder ? '\n● Read by the DfE API payload builder.' : ''}${def?.fk ? `\nRefers to ${def.fk}.` : ''}${node.present ? '' : '\nMissing from the database.'}${node.inModel ? '' : '\nExtra: not in the SSD model.'}${f ? `\nLast check: ${findingWords(f)}.\n${f.messages.slice(0, 3).join('\n')}` : ''}`;
        item.iconPath = !node.present ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : f && f.errors ? new vscode.ThemeIcon('symbol-field', new vscode.ThemeColor('problemsErrorIcon.foreground'))
            : f ? new vscode.ThemeIcon('symbol-field', new vscode.ThemeColor('problemsWarningIcon.foreground'))
              : new vscode.ThemeIcon(node.pk ? 'key' : 'symbol-field');
        return item;
      }
      case 'children': {
        const item = new vscode.TreeItem('Children', C.Collapsed);
        item.id = `children:${this.childPrefix}:${this.connections.epoch}`;
        item.description = this.childPrefix ? `starting "${this.childPrefix}"` : 'ssd_person ids';
        item.tooltip = 'Child ids from ssd_person (ids only), a page at a time. Right-click a child to build its payload.';
        item.iconPath = new vscode.ThemeIcon('person');
        return item;
      }
      case 'childrenWithProblems': {
        const item = new vscode.TreeItem('With problems', C.Collapsed);
        item.id = `childrenWithProblems:${this.connections.epoch}:${this.findings.checkedAt ?? ''}`;
        const n = this.findings.childProblems().size;
        if (n) item.description = String(n);
        item.tooltip = 'Children named by the last Check Tables (person ids of the findings\' example rows) and children whose staging rows are Withheld. Right-click a child to build its payload.';
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'child': {
        const item = new vscode.TreeItem(node.personId, C.None);
        const fromCheck = this.findings.childProblems().get(node.personId);
        const withheld = node.withheld === true || this.withheld.has(node.personId);
        const note = fromCheck || withheld ? problemNote(fromCheck?.rules ?? [], withheld) : '';
        item.iconPath = fromCheck?.severity === 'error' ? new vscode.ThemeIcon('account', new vscode.ThemeColor('problemsErrorIcon.foreground'))
          : fromCheck || withheld ? new vscode.ThemeIcon('account', new vscode.ThemeColor('problemsWarningIcon.foreground'))
            : new vscode.ThemeIcon('account');
        if (note) item.description = note;
        item.tooltip = `Child ${node.personId}${fromCheck ? `\nLast check: ${fromCheck.rules.join(', ')}` : ''}${withheld ? '\nStaging: Withheld (kept out of every send queue)' : ''}\nRight-click to build the payload.`;
        return item;
      }
      case 'stagingBucket': {
        const item = new vscode.TreeItem(`${node.rowState ?? '(no row_state)'} / ${node.submissionStatus ?? '(no status)'}`, C.Collapsed);
        item.description = plural(node.count, 'row');
        item.tooltip = `${node.table}: row_state ${node.rowState ?? 'NULL'}, submission_status ${node.submissionStatus ?? 'NULL'}${isWithheld(node.submissionStatus) ? `\n${WITHHELD_TOOLTIP}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.submissionStatus === 'Error' ? 'error' : node.submissionStatus === 'Sent' ? 'pass' : isWithheld(node.submissionStatus) ? 'circle-slash' : 'circle-outline');
        return item;
      }
      case 'stageRuns': {
        const item = new vscode.TreeItem('Last stage runs', C.Collapsed);
        item.tooltip = `The latest runs of Build Staging / ssd stage into ${node.table} (ssd_api_stage_runs): the safety stop's baseline.`;
        item.iconPath = new vscode.ThemeIcon('history');
        return item;
      }
      case 'stageRun': {
        const r = node.run;
        const item = new vscode.TreeItem(r.startedAt.replace('T', ' ').slice(0, 16), C.None);
        const c = (v: number | null) => (v === null ? '–' : v.toLocaleString('en-GB'));
        item.description = r.outcome === 'completed' ? `completed · ${c(r.cohort)}` : r.outcome;
        item.tooltip = [`Run ${r.runId}, as of ${r.asOf ?? '?'}, SSD schema ${r.ssdSchema}`, `Outcome: ${r.outcome}${r.massChangeAllowed ? ' (mass change allowed)' : ''}`,
          ...(r.stopReason ? [`Reason: ${r.stopReason}`] : []),
          ...(r.outcome === 'stopped' ? [`Would purge ${c(r.plannedPurges)}, strip ${c(r.plannedEpisodeLosses)}`] : []),
          `Cohort ${c(r.cohort)}, new ${c(r.new)}, updated ${c(r.updated)}, unchanged ${c(r.unchanged)}, deleted ${c(r.deleted)} (${c(r.deletionPayloads)} purges), invalid ${c(r.invalid)}`,
          `Acknowledged rows at the start: ${c(r.acknowledgedRows)}`].join('\n');
        item.iconPath = new vscode.ThemeIcon(r.outcome === 'completed' ? 'pass' : r.outcome === 'stopped' ? 'warning' : r.outcome === 'running' ? 'sync' : 'error');
        return item;
      }
      case 'stagingRow': {
        const item = new vscode.TreeItem(`#${node.id}`, C.None);
        item.description = `child ${node.personId}${node.withheldReason ? ' · withheld' : ''}`;
        item.tooltip = `${node.table} row ${node.id} (child ${node.personId}): ${node.rowState ?? 'NULL'} / ${node.submissionStatus ?? 'NULL'}${node.withheldReason ? `\nWithheld: ${node.withheldReason}. Kept out of every send queue; the full reason is in api_response.` : ''}`;
        item.iconPath = new vscode.ThemeIcon('json');
        item.command = { command: 'ssd.showStagingRow', title: 'Show Staging Row', arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', C.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'ssd.loadMore', title: 'Load more', arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, C.None);
        if (node.detail) { item.description = node.detail; item.tooltip = node.detail; }
        item.iconPath = new vscode.ThemeIcon(node.icon ?? 'info');
        return item;
      }
      case 'action': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = { command: node.command, title: node.text };
        return item;
      }
    }
  }

  private peekSnapshot(): Snapshot | undefined {
    return this.loaded && this.loaded.epoch === this.connections.epoch ? this.loaded : undefined;
  }

  private loaded: Snapshot | undefined;
}

/** Findings as short badges: "✕2 ⚠1 ℹ3" (errors, warnings, infos; zeros left out). */
function badges(t: Tally): string {
  return [t.errors ? `✕${t.errors}` : '', t.warnings ? `⚠${t.warnings}` : '', t.infos ? `ℹ${t.infos}` : ''].filter(Boolean).join(' ');
}

/** Findings in words, for tooltips: "2 errors, 1 warning" or "no findings". */
function findingWords(t: Tally): string {
  const parts = [t.errors ? plural(t.errors, 'error') : '', t.warnings ? plural(t.warnings, 'warning') : '', t.infos ? plural(t.infos, 'info') : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Rows ssd stage keeps out of every send queue (invalid, or left before any acknowledgement). */
function isWithheld(status: string | null): boolean {
  return (status ?? '').trim().toLowerCase() === 'withheld';
}

const WITHHELD_TOOLTIP = 'Withheld: kept out of every send queue by the staging build (an invalid payload, or a child who left the cohort before any acknowledgement). Each row\'s reason is in its api_response and on the row below.';
