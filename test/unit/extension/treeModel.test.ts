// The tree's pure model against package.json: every `viewItem` a menu matches is a context value
// of the model, every context value is matched by a menu (or listed as needing none), and menus
// match exact values (no regular expressions). Plus the guards commands use on menu arguments.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONTEXT,
  CONTEXT_VALUES,
  CONTEXT_WITHOUT_MENU,
  contextValueOf,
  isNodeKind,
  isTreeNode,
  personIdOfNode,
  stagingTableOfNode,
  tableOfNode,
  type TreeNode,
} from '../../../src/extension/core/treeModel';
import { findTable } from '../../../src/model/ssdModel';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };

function menuWhens(): string[] {
  return Object.values(pkg.contributes.menus)
    .flat()
    .map((m) => m.when ?? '')
    .filter((w) => w.includes('viewItem'));
}

describe('tree model: context values agree with package.json menus', () => {
  it('menus match viewItem with exact values only', () => {
    const whens = menuWhens();
    assert.ok(whens.length >= 10, `${whens.length} menu entries name viewItem`);
    for (const w of whens) assert.doesNotMatch(w, /viewItem\s*=~/, w);
  });

  it('every viewItem a menu names is a context value of the model, and every context value has a menu or is listed as needing none', () => {
    const named = new Set<string>();
    for (const w of menuWhens()) for (const m of w.matchAll(/viewItem\s*==\s*([\w.]+)/g)) named.add(m[1]!);
    const values = new Set<string>(CONTEXT_VALUES);
    for (const v of named) assert.ok(values.has(v), `package.json names viewItem ${v}, which no node has`);
    for (const v of CONTEXT_VALUES) {
      if (CONTEXT_WITHOUT_MENU.has(v)) assert.ok(!named.has(v), `${v} is listed as needing no menu but has one`);
      else assert.ok(named.has(v), `no menu matches ${v}`);
    }
  });

  it('gives each node kind its context value', () => {
    const def = findTable('ssd_person')!;
    assert.equal(contextValueOf({ kind: 'table', def, group: 'builder' }, { present: false }), CONTEXT.tableMissing);
    assert.equal(contextValueOf({ kind: 'table', def, group: 'builder' }, { present: true }), CONTEXT.table);
    assert.equal(contextValueOf({ kind: 'children' }, { childSearch: '10' }), CONTEXT.childrenFiltered);
    assert.equal(contextValueOf({ kind: 'children' }), CONTEXT.children);
    assert.equal(contextValueOf({ kind: 'group', group: 'staging' }), CONTEXT.groupStaging);
    assert.equal(
      contextValueOf({ kind: 'column', table: 'ssd_person', name: 'pers_person_id', type: 'varchar(48)', present: true, inModel: true, usedByBuilder: true, pk: true }),
      CONTEXT.columnBuilder,
    );
  });
});

describe('tree model: guards on command arguments', () => {
  const def = findTable('ssd_api_data_staging')!;
  const row: TreeNode = { kind: 'stagingRow', table: 'ssd_api_data_staging', id: '7', personId: '1000001', rowState: 'New', submissionStatus: 'Pending' };

  it('tells tree nodes from other arguments', () => {
    assert.equal(isTreeNode(row), true);
    assert.equal(isTreeNode({ kind: 'nonsense' }), false);
    assert.equal(isTreeNode('1000001'), false);
    assert.equal(isTreeNode(null), false);
    assert.equal(isNodeKind(row, 'stagingRow'), true);
    assert.equal(isNodeKind(row, 'child'), false);
  });

  it('finds the child, the table and the staging table a node is about, and nothing for other kinds', () => {
    assert.equal(personIdOfNode({ kind: 'child', personId: '42' }), '42');
    assert.equal(personIdOfNode(row), '1000001');
    assert.equal(personIdOfNode({ kind: 'child', personId: '  ' }), undefined);
    assert.equal(personIdOfNode({ kind: 'table', def, group: 'staging' }), undefined, 'a table is not a child');
    assert.equal(tableOfNode({ kind: 'table', def, group: 'staging' }), 'ssd_api_data_staging');
    assert.equal(tableOfNode({ kind: 'columns', def }), 'ssd_api_data_staging');
    assert.equal(tableOfNode({ kind: 'children' }), undefined);
    assert.equal(stagingTableOfNode({ kind: 'table', def, group: 'staging' }), 'ssd_api_data_staging');
    assert.equal(stagingTableOfNode({ kind: 'table', def: findTable('ssd_person')!, group: 'builder' }), undefined);
    assert.equal(stagingTableOfNode({ kind: 'stagingBucket', table: 'ssd_api_data_staging_anon', rowState: 'New', submissionStatus: 'Pending', count: 3 }), 'ssd_api_data_staging_anon');
    assert.equal(stagingTableOfNode(row), 'ssd_api_data_staging');
  });
});
