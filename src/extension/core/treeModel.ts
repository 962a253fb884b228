// The SSD Workbench Tables view's model: the kinds of node, the context value each kind shows as
// (what package.json's `view/item/context` menus match with `viewItem == …`), and type guards the
// commands use on the node a menu passes them instead of guessing its shape. Pure (no 'vscode'):
// src/extension/tree.ts renders these nodes; test/unit/extension/treeModel.test.ts checks that
// every `viewItem` in package.json's menus is a context value here, and the other way round.
import type { SsdTableDef, StagingTableName } from '../../model/ssdModel';
import { STAGING_TABLE_NAMES } from '../../model/ssdModel';
import type { StageRunRecord } from '../../staging/stageRuns';
import type { TableGroup } from '../../browse/inventory';

/** What the tree needs of the open connection (the editor's ActiveConnection has these). */
export interface TreeConnection {
  key: string;
  label: string;
  description: string;
  schema: string;
  isDemo: boolean;
  source?: string;
}

export type TreeNode =
  | { kind: 'connection'; conn: TreeConnection }
  | { kind: 'group'; group: TableGroup }
  | { kind: 'table'; def: SsdTableDef; group: TableGroup }
  | { kind: 'columns'; def: SsdTableDef }
  | { kind: 'column'; table: string; name: string; type: string; present: boolean; inModel: boolean; usedByBuilder: boolean; pk: boolean }
  | { kind: 'children' }
  | { kind: 'childrenWithProblems' }
  | { kind: 'child'; personId: string; withheld?: boolean }
  | { kind: 'stagingBucket'; table: StagingTableName; rowState: string | null; submissionStatus: string | null; count: number }
  | { kind: 'stagingRow'; table: StagingTableName; id: string; personId: string; rowState: string | null; submissionStatus: string | null; withheldReason?: string }
  | { kind: 'stageRuns'; table: StagingTableName }
  | { kind: 'stageRun'; run: StageRunRecord }
  | { kind: 'more'; parent: 'children' | string; after: string }
  | { kind: 'message'; text: string; detail?: string; icon?: string }
  | { kind: 'action'; text: string; command: string; icon: string };

export type TreeNodeKind = TreeNode['kind'];
export type NodeOf<K extends TreeNodeKind> = Extract<TreeNode, { kind: K }>;

/** Every context value a node can have: package.json's menus match these exactly. */
export const CONTEXT = {
  connection: 'ssd.connection',
  groupBuilder: 'ssd.group.builder',
  groupOther: 'ssd.group.other',
  groupStaging: 'ssd.group.staging',
  table: 'ssd.table',
  tableMissing: 'ssd.table.missing',
  columns: 'ssd.columns',
  column: 'ssd.column',
  columnBuilder: 'ssd.column.builder',
  children: 'ssd.children',
  childrenFiltered: 'ssd.children.filtered',
  childrenWithProblems: 'ssd.childrenWithProblems',
  child: 'ssd.child',
  stagingBucket: 'ssd.stagingBucket',
  stagingRow: 'ssd.stagingRow',
  stageRuns: 'ssd.stageRuns',
  stageRun: 'ssd.stageRun',
  more: 'ssd.more',
  message: 'ssd.message',
  action: 'ssd.action',
} as const;

export type ContextValue = (typeof CONTEXT)[keyof typeof CONTEXT];
export const CONTEXT_VALUES: readonly ContextValue[] = Object.values(CONTEXT);

/** Context values no menu needs (the node's click, or nothing, does the work). */
export const CONTEXT_WITHOUT_MENU: ReadonlySet<ContextValue> = new Set<ContextValue>([
  CONTEXT.columns,
  CONTEXT.column,
  CONTEXT.columnBuilder,
  CONTEXT.childrenWithProblems,
  CONTEXT.stageRuns,
  CONTEXT.stageRun,
  CONTEXT.more,
  CONTEXT.message,
  CONTEXT.action,
]);

/**
 * The context value of a node. `present` is whether a table exists in the database (undefined
 * before the schema is read); `childSearch` the Children node's active prefix.
 */
export function contextValueOf(node: TreeNode, state: { present?: boolean; childSearch?: string } = {}): ContextValue {
  switch (node.kind) {
    case 'connection':
      return CONTEXT.connection;
    case 'group':
      return node.group === 'builder' ? CONTEXT.groupBuilder : node.group === 'other' ? CONTEXT.groupOther : CONTEXT.groupStaging;
    case 'table':
      return state.present === false ? CONTEXT.tableMissing : CONTEXT.table;
    case 'columns':
      return CONTEXT.columns;
    case 'column':
      return node.usedByBuilder ? CONTEXT.columnBuilder : CONTEXT.column;
    case 'children':
      return state.childSearch ? CONTEXT.childrenFiltered : CONTEXT.children;
    case 'childrenWithProblems':
      return CONTEXT.childrenWithProblems;
    case 'child':
      return CONTEXT.child;
    case 'stagingBucket':
      return CONTEXT.stagingBucket;
    case 'stagingRow':
      return CONTEXT.stagingRow;
    case 'stageRuns':
      return CONTEXT.stageRuns;
    case 'stageRun':
      return CONTEXT.stageRun;
    case 'more':
      return CONTEXT.more;
    case 'message':
      return CONTEXT.message;
    case 'action':
      return CONTEXT.action;
  }
}

const KINDS: ReadonlySet<string> = new Set<TreeNodeKind>([
  'connection',
  'group',
  'table',
  'columns',
  'column',
  'children',
  'childrenWithProblems',
  'child',
  'stagingBucket',
  'stagingRow',
  'stageRuns',
  'stageRun',
  'more',
  'message',
  'action',
]);

/** Whether a command argument is a node of this tree (a menu passes the node it was opened on). */
export function isTreeNode(arg: unknown): arg is TreeNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as { kind?: unknown }).kind === 'string' && KINDS.has((arg as { kind: string }).kind);
}

export function isNodeKind<K extends TreeNodeKind>(arg: unknown, kind: K): arg is NodeOf<K> {
  return isTreeNode(arg) && arg.kind === kind;
}

function isStagingName(v: unknown): v is StagingTableName {
  return (STAGING_TABLE_NAMES as readonly unknown[]).includes(v);
}

/** The child a node is about: a child or a staging row (a non-empty person id). */
export function personIdOfNode(arg: unknown): string | undefined {
  if (!isNodeKind(arg, 'child') && !isNodeKind(arg, 'stagingRow')) return undefined;
  return typeof arg.personId === 'string' && arg.personId.trim() ? arg.personId : undefined;
}

/** The SSD table a node is about: a table, its columns, a column, or a staging node's table. Lower case. */
export function tableOfNode(arg: unknown): string | undefined {
  if (!isTreeNode(arg)) return undefined;
  switch (arg.kind) {
    case 'table':
    case 'columns':
      return arg.def.name.toLowerCase();
    case 'column':
    case 'stagingBucket':
    case 'stagingRow':
    case 'stageRuns':
      return arg.table.toLowerCase();
    default:
      return undefined;
  }
}

/** The staging table a node is about: a table of the Staging group, a bucket, a row or its runs. */
export function stagingTableOfNode(arg: unknown): StagingTableName | undefined {
  if (!isTreeNode(arg)) return undefined;
  if (arg.kind === 'table') return arg.group === 'staging' && isStagingName(arg.def.name) ? arg.def.name : undefined;
  if (arg.kind === 'stagingBucket' || arg.kind === 'stagingRow' || arg.kind === 'stageRuns') return isStagingName(arg.table) ? arg.table : undefined;
  return undefined;
}
