// How the Tables view's nodes look (pure): short descriptions with counts and finding badges, the
// words in the tooltip, empty and missing tables marked.
import assert from 'node:assert/strict';
import { presentNode, type FindingsView, type PresentContext } from '../../../src/extension/core/treeItems';
import type { Tally } from '../../../src/extension/core/findingsIndex';
import { findTable } from '../../../src/model/ssdModel';

const none: Tally = { errors: 0, warnings: 0, infos: 0, messages: [] };
function findings(byTable: Record<string, Tally> = {}, checked = true): FindingsView {
  return {
    checkedAt: checked ? '2026-12-05T10:00:00Z' : undefined,
    forTable: (t) => byTable[t] ?? (checked ? none : undefined),
    forColumn: () => undefined,
    groupTotal: (ts) => ts.reduce((a, t) => ({ ...a, errors: a.errors + (byTable[t]?.errors ?? 0), warnings: a.warnings + (byTable[t]?.warnings ?? 0) }), { ...none }),
    childProblems: () => new Map(),
  };
}
const ctx = (f: FindingsView, counts: Record<string, number>): PresentContext => ({
  epoch: 1,
  childSearch: '',
  findings: f,
  withheld: new Set(),
  snapshot: { columns: new Map(Object.keys(counts).map((t) => [t, []])), counts: new Map(Object.entries(counts)) },
});
const tooltip = (t: unknown) => (typeof t === 'string' ? t : (t as { markdown: string }).markdown);

describe('tree items: short descriptions, details in the tooltip', () => {
  const person = findTable('ssd_person')!;
  const sdq = findTable('ssd_sdq_scores')!;

  it('a table: its row count and finding badges; the words in the tooltip', () => {
    const f = findings({ ssd_person: { errors: 2, warnings: 1, infos: 3, messages: [] } });
    const v = presentNode({ kind: 'table', def: person, group: 'builder' }, ctx(f, { ssd_person: 1234 }));
    assert.equal(v.description, '1,234 rows · ✕2 ⚠1 ℹ3');
    assert.match(tooltip(v.tooltip), /1,234 rows\\\. Last check: 2 errors, 1 warning, 3 infos\\\./);
  });

  it('marks an empty table and a missing one', () => {
    const f = findings();
    const empty = presentNode({ kind: 'table', def: sdq, group: 'builder' }, ctx(f, { ssd_sdq_scores: 0 }));
    assert.equal(empty.description, 'empty');
    assert.equal(empty.iconPath?.id, 'circle-large-outline');
    const missing = presentNode({ kind: 'table', def: sdq, group: 'builder' }, ctx(f, {}));
    assert.equal(missing.description, 'missing');
    assert.equal(missing.iconPath?.id, 'circle-slash');
  });

  it('a group: present of total and badges, within the default width', () => {
    const f = findings({ ssd_person: { errors: 3, warnings: 5, infos: 0, messages: [] } });
    const v = presentNode({ kind: 'group', group: 'builder' }, ctx(f, { ssd_person: 10 }));
    assert.match(v.description!, /^1 of 19 · ✕3 ⚠5$/);
    assert.match(tooltip(v.tooltip), /Last check: 3 errors, 5 warnings\./);
  });
});
