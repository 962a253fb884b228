// How each node of the Tables view looks: label, description (short enough for the default
// sidebar width: counts and findings as badges), tooltip, icon, click command. Pure (no 'vscode'):
// src/extension/tree.ts turns an ItemView into a TreeItem, and sets the context value from
// treeModel.ts. Ids and counts only.
import { findTable } from '../../model/ssdModel';
import type { ReportChild } from './report';
import type { Tally } from './findingsIndex';
import { problemNote } from './childPicker';
import { GROUP_TABLES, type DbColumn, type TableGroup } from '../../browse/inventory';
import type { TreeNode } from './treeModel';

export const GROUP_LABEL: Record<TableGroup, string> = {
  builder: 'Tables the API builder reads',
  other: 'Other SSD tables',
  staging: 'Staging',
};

/** A theme icon by id, with an optional theme colour id. */
export interface IconView {
  id: string;
  color?: string;
}

/** A tree item without the editor: what tree.ts renders. */
export interface ItemView {
  label: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  id?: string;
  description?: string;
  /** Plain text, or markdown. */
  tooltip?: string | { markdown: string };
  iconPath?: IconView;
  command?: { command: string; title: string; arguments?: unknown[] };
}

/** What the last check found, as the view reads it (src/extension/findings.ts has these). */
export interface FindingsView {
  readonly checkedAt: string | undefined;
  forTable(table: string): Tally | undefined;
  forColumn(table: string, column: string): Tally | undefined;
  groupTotal(tables: readonly string[]): Tally;
  childProblems(): ReadonlyMap<string, ReportChild>;
}

export interface PresentContext {
  /** The connection's epoch: item ids change with it, so the editor forgets expanded state. */
  epoch: number;
  childSearch: string;
  findings: FindingsView;
  /** Person ids of Withheld staging rows, once "With problems" was read. */
  withheld: ReadonlySet<string>;
  /** The schema read so far (tables' columns, row counts; -1 = the count failed). */
  snapshot?: { columns: ReadonlyMap<string, DbColumn[]>; counts: ReadonlyMap<string, number> };
}

function view(label: string, collapsible: ItemView['collapsible']): ItemView {
  return { label, collapsible };
}

function icon(id: string, color?: string): IconView {
  return color ? { id, color } : { id };
}

function md(markdown: string): { markdown: string } {
  return { markdown };
}

export function presentNode(node: TreeNode, ctx: PresentContext): ItemView {
  switch (node.kind) {
    case 'connection': {
      const item = view(node.conn.label, 'expanded');
      item.id = `conn:${node.conn.key}:${ctx.epoch}`;
      item.description = `schema ${node.conn.schema}`;
      item.tooltip = md(
        `**${escapeMd(node.conn.label)}**\n\n${escapeMd(node.conn.description)}\n\nSchema \`${node.conn.schema}\`${node.conn.isDemo ? '\n\nEmbedded demo database: fake children only.' : ''}`,
      );
      item.iconPath = icon(node.conn.isDemo ? 'beaker' : 'database');
      return item;
    }
    case 'group': {
      const item = view(GROUP_LABEL[node.group], node.group === 'builder' ? 'expanded' : 'collapsed');
      item.id = `group:${node.group}:${ctx.epoch}`;
      const snap = ctx.snapshot;
      const defs = GROUP_TABLES[node.group];
      const parts: string[] = [];
      const tip: string[] = [`**${GROUP_LABEL[node.group]}**`];
      if (snap) {
        const present = defs.filter((d) => snap.columns.has(d.name)).length;
        parts.push(`${present} of ${defs.length}`);
        tip.push(`${present} of the ${defs.length} tables are present.`);
      }
      const f = ctx.findings.groupTotal(defs.map((d) => d.name));
      if (f.errors + f.warnings > 0) {
        parts.push(badges(f));
        tip.push(`Last check: ${plural(f.errors, 'error')}, ${plural(f.warnings, 'warning')}.`);
      }
      if (parts.length) item.description = parts.join(' · ');
      item.tooltip = md(tip.join('\n\n'));
      item.iconPath = icon(node.group === 'staging' ? 'inbox' : node.group === 'builder' ? 'symbol-class' : 'folder-library');
      return item;
    }
    case 'table': {
      const snap = ctx.snapshot;
      const present = snap ? snap.columns.has(node.def.name) : undefined;
      const item = view(node.def.name, 'collapsed');
      item.id = `table:${node.def.name}:${ctx.epoch}`;
      // Short enough for the default sidebar width: the count and the findings as badges;
      // the words are in the tooltip.
      const parts: string[] = [];
      const n = present && snap ? snap.counts.get(node.def.name) : undefined;
      if (present === false) parts.push('missing');
      else if (n !== undefined) parts.push(n < 0 ? 'count failed' : n === 0 ? 'empty' : plural(n, 'row'));
      const f = ctx.findings.forTable(node.def.name);
      if (f && f.errors + f.warnings + f.infos > 0) parts.push(badges(f));
      item.description = parts.join(' · ');
      const facts = [
        present === false ? 'Missing from the database.' : n === undefined ? '' : n < 0 ? 'The row count failed (see the log).' : n === 0 ? 'Empty: no rows.' : `${plural(n, 'row')}.`,
        f ? `Last check: ${findingWords(f)}.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const tooltip = md(`**${node.def.name}**${facts ? `\n\n${escapeMd(facts)}` : ''}\n\n${escapeMd(node.def.description)}\n\n*Row:* ${escapeMd(node.def.rowGrain)}`);
      item.tooltip = tooltip;
      item.iconPath =
        present === false
          ? icon('circle-slash', 'disabledForeground')
          : n === 0
            ? icon('circle-large-outline', 'disabledForeground')
            : f && f.errors
              ? icon('table', 'problemsErrorIcon.foreground')
              : f && f.warnings
                ? icon('table', 'problemsWarningIcon.foreground')
                : icon('table');
      item.command = { command: 'ssd.openTableDocument', title: 'Show table', arguments: [node.def.name] };
      return item;
    }
    case 'columns': {
      const item = view('Columns', 'collapsed');
      item.id = `columns:${node.def.name}:${ctx.epoch}`;
      item.description = String(node.def.columns.length);
      item.tooltip = `The columns of ${node.def.name}.`;
      item.iconPath = icon('symbol-field');
      return item;
    }
    case 'column': {
      const item = view(node.name, 'none');
      // "● varchar(48) · key · missing · ⚠1": the words are in the tooltip.
      const bits = [`${node.usedByBuilder ? '● ' : ''}${node.type}`];
      if (node.pk) bits.push('key');
      if (!node.present) bits.push('missing');
      if (!node.inModel) bits.push('extra');
      const f = ctx.findings.forColumn(node.table, node.name);
      if (f) bits.push(badges(f));
      item.description = bits.join(' · ');
      const def = findTable(node.table)?.columns.find((c) => c.name === node.name);
      item.tooltip = `${node.table}.${node.name}: ${node.type}${node.pk ? ' (key)' : ''}${node.usedByBuilder ? '\n● Read by the DfE API payload builder.' : ''}${def?.fk ? `\nRefers to ${def.fk}.` : ''}${node.present ? '' : '\nMissing from the database.'}${node.inModel ? '' : '\nExtra: not in the SSD model.'}${f ? `\nLast check: ${findingWords(f)}.\n${f.messages.slice(0, 3).join('\n')}` : ''}`;
      item.iconPath = !node.present
        ? icon('warning', 'problemsWarningIcon.foreground')
        : f && f.errors
          ? icon('symbol-field', 'problemsErrorIcon.foreground')
          : f
            ? icon('symbol-field', 'problemsWarningIcon.foreground')
            : icon(node.pk ? 'key' : 'symbol-field');
      return item;
    }
    case 'children': {
      const item = view('Children', 'collapsed');
      item.id = `children:${ctx.childSearch}:${ctx.epoch}`;
      item.description = ctx.childSearch ? `starting "${ctx.childSearch}"` : 'ssd_person ids';
      item.tooltip = 'Child ids from ssd_person (ids only), a page at a time. Right-click a child to build its payload.';
      item.iconPath = icon('person');
      return item;
    }
    case 'childrenWithProblems': {
      const item = view('With problems', 'collapsed');
      item.id = `childrenWithProblems:${ctx.epoch}:${ctx.findings.checkedAt ?? ''}`;
      const n = ctx.findings.childProblems().size;
      if (n) item.description = String(n);
      item.tooltip = "Children named by the last Check Tables (person ids of the findings' example rows) and children whose staging rows are Withheld. Right-click a child to build its payload.";
      item.iconPath = icon('warning', 'problemsWarningIcon.foreground');
      return item;
    }
    case 'child': {
      const item = view(node.personId, 'none');
      const fromCheck = ctx.findings.childProblems().get(node.personId);
      const withheld = node.withheld === true || ctx.withheld.has(node.personId);
      const note = fromCheck || withheld ? problemNote(fromCheck?.rules ?? [], withheld) : '';
      item.iconPath = fromCheck?.severity === 'error' ? icon('account', 'problemsErrorIcon.foreground') : fromCheck || withheld ? icon('account', 'problemsWarningIcon.foreground') : icon('account');
      if (note) item.description = note;
      item.tooltip = `Child ${node.personId}${fromCheck ? `\nLast check: ${fromCheck.rules.join(', ')}` : ''}${withheld ? '\nStaging: Withheld (kept out of every send queue)' : ''}\nRight-click to build the payload.`;
      return item;
    }
    case 'stagingBucket': {
      const item = view(`${node.rowState ?? '(no row_state)'} / ${node.submissionStatus ?? '(no status)'}`, 'collapsed');
      item.description = plural(node.count, 'row');
      item.tooltip = `${node.table}: row_state ${node.rowState ?? 'NULL'}, submission_status ${node.submissionStatus ?? 'NULL'}${isWithheld(node.submissionStatus) ? `\n${WITHHELD_TOOLTIP}` : ''}`;
      item.iconPath = icon(node.submissionStatus === 'Error' ? 'error' : node.submissionStatus === 'Sent' ? 'pass' : isWithheld(node.submissionStatus) ? 'circle-slash' : 'circle-outline');
      return item;
    }
    case 'stageRuns': {
      const item = view('Last stage runs', 'collapsed');
      item.tooltip = `The latest runs of Build Staging / ssd stage into ${node.table} (ssd_api_stage_runs): the safety stop's baseline.`;
      item.iconPath = icon('history');
      return item;
    }
    case 'stageRun': {
      const r = node.run;
      const item = view(r.startedAt.replace('T', ' ').slice(0, 16), 'none');
      const c = (v: number | null) => (v === null ? '–' : v.toLocaleString('en-GB'));
      item.description = r.outcome === 'completed' ? `completed · ${c(r.cohort)}` : r.outcome;
      item.tooltip = [
        `Run ${r.runId}, as of ${r.asOf ?? '?'}, SSD schema ${r.ssdSchema}`,
        `Outcome: ${r.outcome}${r.massChangeAllowed ? ' (mass change allowed)' : ''}`,
        ...(r.stopReason ? [`Reason: ${r.stopReason}`] : []),
        ...(r.outcome === 'stopped' ? [`Would purge ${c(r.plannedPurges)}, strip ${c(r.plannedEpisodeLosses)}`] : []),
        `Cohort ${c(r.cohort)}, new ${c(r.new)}, updated ${c(r.updated)}, unchanged ${c(r.unchanged)}, deleted ${c(r.deleted)} (${c(r.deletionPayloads)} purges), invalid ${c(r.invalid)}`,
        `Acknowledged rows at the start: ${c(r.acknowledgedRows)}`,
      ].join('\n');
      item.iconPath = icon(r.outcome === 'completed' ? 'pass' : r.outcome === 'stopped' ? 'warning' : r.outcome === 'running' ? 'sync' : 'error');
      return item;
    }
    case 'stagingRow': {
      const item = view(`#${node.id}`, 'none');
      item.description = `child ${node.personId}${node.withheldReason ? ' · withheld' : ''}`;
      item.tooltip = `${node.table} row ${node.id} (child ${node.personId}): ${node.rowState ?? 'NULL'} / ${node.submissionStatus ?? 'NULL'}${node.withheldReason ? `\nWithheld: ${node.withheldReason}. Kept out of every send queue; the full reason is in api_response.` : ''}`;
      item.iconPath = icon('json');
      item.command = { command: 'ssd.showStagingRow', title: 'Show Staging Row', arguments: [node] };
      return item;
    }
    case 'more': {
      const item = view('Load more…', 'none');
      item.iconPath = icon('ellipsis');
      item.command = { command: 'ssd.loadMore', title: 'Load more', arguments: [node] };
      return item;
    }
    case 'message': {
      const item = view(node.text, 'none');
      if (node.detail) {
        item.description = node.detail;
        item.tooltip = node.detail;
      }
      item.iconPath = icon(node.icon ?? 'info');
      return item;
    }
    case 'action': {
      const item = view(node.text, 'none');
      item.iconPath = icon(node.icon);
      item.command = { command: node.command, title: node.text };
      return item;
    }
  }
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

const WITHHELD_TOOLTIP =
  "Withheld: kept out of every send queue by the staging build (an invalid payload, or a child who left the cohort before any acknowledgement). Each row's reason is in its api_response and on the row below.";
