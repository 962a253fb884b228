// The report page (pure renderer): counts, findings, timings, charts; escaping and the strict CSP.
import assert from 'node:assert/strict';
import { barChartSvg, escapeHtml, formatMs, renderReportHtml, type ReportData } from '../../../src/extension/core/report';

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    title: 'Check Tables',
    outcome: 'problems',
    target: 'pglite <memory>',
    schema: 'ssd',
    startedAt: new Date('2026-11-25T09:00:00Z'),
    elapsedMs: 1530,
    counts: [
      { label: 'Errors', value: 3 },
      { label: 'Warnings', value: 12000 },
    ],
    timings: [
      { label: 'ssd_person', value: 250 },
      { label: 'ssd_cin_episodes', value: 65_000 },
    ],
    charts: [
      {
        title: 'Findings by table',
        bars: [
          { label: 'ssd_person', value: 10 },
          { label: 'ssd_cin_episodes', value: 5 },
          { label: 'ssd_disability', value: 0 },
        ],
      },
    ],
    findings: [{ severity: 'error', where: 'ssd_person.pers_person_id', rule: 'SSD-PERS-001', message: 'bad <id> & "quote"', count: 1 }],
    moreFindings: 4,
    notes: ['Not fit: 3 errors.'],
    ...over,
  };
}

describe('extension workflows: report page', () => {
  it('renders counts, findings, timings, notes and the chart', () => {
    const html = renderReportHtml(data(), 'N1', 'vscode-webview://x');
    assert.match(html, /<h1>Check Tables<\/h1>/);
    assert.match(html, /<span class="outcome problems">Finished with problems<\/span>/);
    assert.match(html, /<th scope="row">Warnings<\/th><td class="num">12,000<\/td>/);
    assert.match(html, /<th scope="row">ssd_person<\/th><td class="num">250 ms<\/td>/);
    assert.match(html, /<th scope="row">ssd_cin_episodes<\/th><td class="num">1 min 5 s<\/td>/);
    assert.match(html, /<tr class="error"><td>error<\/td><td>ssd_person\.pers_person_id<\/td><td><code>SSD-PERS-001<\/code><\/td>/);
    assert.match(html, /…and 4 more/);
    assert.match(html, /<li>Not fit: 3 errors\.<\/li>/);
    assert.match(html, /schema <code>ssd<\/code> · started 2026-11-25 09:00:00 UTC · took 1\.5 s/);
    assert.match(html, /<h2>Findings by table<\/h2><svg /);
  });

  it('escapes every text it is given and allows no script or remote content', () => {
    const html = renderReportHtml(data({ title: '<script>alert(1)</script>', target: 'a"b' }), 'N1', 'vscode-webview://x');
    assert.ok(!/<script/i.test(html));
    assert.match(html, /bad &lt;id&gt; &amp; &quot;quote&quot;/);
    assert.match(html, /content="default-src 'none'; img-src vscode-webview:\/\/x data:; style-src 'nonce-N1';"/);
    assert.match(html, /<style nonce="N1">/);
    assert.equal(escapeHtml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
  });

  it('bar widths scale to the largest value; zero is drawn empty; empty charts and findings are said plainly', () => {
    const svg = barChartSvg(
      {
        title: 't',
        bars: [
          { label: 'a', value: 10 },
          { label: 'b', value: 5 },
          { label: 'c', value: 0 },
        ],
      },
      520,
    );
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 3);
    assert.equal(widths[1], Math.round(widths[0]! / 2));
    assert.equal(widths[2], 0);
    const html = renderReportHtml(data({ charts: [{ title: 'Empty', bars: [] }], findings: [], counts: [], timings: [] }), 'N', 'c');
    assert.ok(!html.includes('<h2>Empty</h2>'), 'an empty chart is left out');
    assert.match(html, /<p>No findings\.<\/p>/);
    assert.match(html, /<p>Nothing was counted\.<\/p>/);
    assert.ok(!html.includes('<h2>Timings</h2>'));
  });

  it('formats durations', () => {
    assert.deepEqual([formatMs(12.4), formatMs(999.7), formatMs(1530), formatMs(59_999), formatMs(119_700), formatMs(125_000)], ['12 ms', '1.0 s', '1.5 s', '1 min 0 s', '2 min 0 s', '2 min 5 s']);
  });
});
