// From a finding to a child: the report lists the children the findings name with a "Build payload"
// link each (a command URI the webview allows), the rule documentation renders from the shipped
// Markdown, and the .vsix carries that Markdown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '@vscode/vsce';
import type { CheckFinding } from '../../../src/check/types';
import { childrenOfReport } from '../../../src/extension/core/checkWorkflow';
import { renderInline, renderMarkdown } from '../../../src/extension/core/markdown';
import { commandHref, renderReportHtml, REPORT_COMMANDS, type ReportData } from '../../../src/extension/core/report';

const f = (o: Partial<CheckFinding>): CheckFinding => ({
  ruleId: 'SSD-X-001',
  severity: 'error',
  category: 'data',
  table: 'ssd_address',
  column: null,
  count: 1,
  examples: [],
  message: 'm',
  fix: 'f',
  ...o,
});

describe('extension workflows: findings lead to children', () => {
  it('childrenOfReport gathers person ids, most severe first, with the rules naming each', () => {
    const kids = childrenOfReport([
      f({ ruleId: 'SSD-ADDR-003', severity: 'warning', personIds: ['100', '20'] }),
      f({ ruleId: 'SSD-CINE-001', personIds: ['100'] }),
      f({ ruleId: 'SSD-CINE-002', personIds: ['100'] }),
      f({ ruleId: 'SSD-SCHEMA-006', severity: 'info', personIds: ['7'], skippedRule: 'SSD-X' }),
      f({ ruleId: 'SSD-PROF-001' }),
    ]);
    assert.deepEqual(kids, [
      { personId: '100', rules: ['SSD-ADDR-003', 'SSD-CINE-001', 'SSD-CINE-002'], severity: 'error' },
      { personId: '20', rules: ['SSD-ADDR-003'], severity: 'warning' },
    ]);
  });

  it('the report lists each child with a Build payload command link, and links the rule documentation', () => {
    const r: ReportData = {
      title: 'Check Tables',
      outcome: 'problems',
      target: 't',
      startedAt: new Date('2026-11-25T09:00:00Z'),
      elapsedMs: 1,
      counts: [],
      children: [{ personId: '1000<99>', rules: ['SSD-ADDR-003'], severity: 'error' }],
      moreChildren: 3,
      links: [{ label: 'Rule documentation', command: 'ssd.showCheckRules' }],
    };
    const html = renderReportHtml(r, 'N', 'csp');
    const href = commandHref('ssd.buildPayload', ['1000<99>']);
    assert.equal(href, `command:ssd.buildPayload?${encodeURIComponent('["1000<99>"]')}`);
    assert.ok(html.includes(`<a href="${href}">Build payload</a>`), html);
    assert.match(html, /<code>1000&lt;99&gt;<\/code>/);
    assert.match(html, /…and 3 more/);
    assert.match(html, /<a href="command:ssd\.showCheckRules">Rule documentation<\/a>/);
    assert.throws(() => commandHref('workbench.action.terminal.new'), /not a report command/);
    assert.deepEqual([...REPORT_COMMANDS].sort(), ['ssd.buildPayload', 'ssd.showCheckRules']);
  });

  it('renders docs/check-rules.md: headings, tables, code, lists, no raw HTML', () => {
    const md = readFileSync(join(process.cwd(), 'docs', 'check-rules.md'), 'utf8');
    const html = renderMarkdown(md);
    assert.match(html, /<h1 id="[^"]*">`?<code>ssd check<\/code>: rules and output<\/h1>/);
    assert.match(html, /<table><thead><tr><th>Option<\/th><th>Meaning<\/th><\/tr><\/thead>/);
    assert.match(html, /<pre><code>ssd check --db URL/);
    assert.match(html, /SSD-PERS-001/);
    assert.doesNotMatch(html, /GENERATED from/, 'HTML comments are dropped');
    assert.equal(renderMarkdown('<script>x</script>'), '<p>&lt;script&gt;x&lt;/script&gt;</p>');
    assert.equal(renderInline('**a** `b|c` [d](https://e.x) [f](other.md)'), '<strong>a</strong> <code>b|c</code> <a href="https://e.x">d</a> f');
    assert.equal(renderMarkdown('- one\n  more\n- two\n\n1. a'), '<ul><li>one more</li><li>two</li></ul>\n<ol><li>a</li></ol>');
  });

  it('the .vsix carries docs/check-rules.md (not excluded by .vscodeignore)', async () => {
    const files = await listFiles({ cwd: process.cwd(), packageManager: 'none' } as unknown as Parameters<typeof listFiles>[0]);
    assert.ok(files.includes('docs/check-rules.md'), files.join(', '));
    assert.ok(!files.some((x) => x.startsWith('src/') || x.startsWith('test/')), 'no sources in the package');
  });
});
