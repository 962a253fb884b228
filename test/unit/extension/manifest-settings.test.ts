// The settings and the view as the Settings editor and the sidebar show them (package.json): every
// setting in one of the named categories, each description opening with its name in words, the
// reference in docs/extension.md listing each setting, and the view titled "SSD Workbench" / "Tables".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: { id: string; title: string; order: number; properties: Record<string, { markdownDescription?: string; description?: string; order?: number }> }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string; contextualTitle?: string }[]>;
  };
};

describe('manifest: settings in categories, readable titles and descriptions', () => {
  const cats = pkg.contributes.configuration;

  it('groups the settings in the six categories, in order, each titled "SSD Workbench: …"', () => {
    assert.ok(Array.isArray(cats));
    assert.deepEqual(
      cats.map((c) => c.title),
      ['SSD Workbench: Connection', 'SSD Workbench: Data and Checks', 'SSD Workbench: Staging', 'SSD Workbench: Sending', 'SSD Workbench: Demo and Fake Data', 'SSD Workbench: Logging'],
    );
    assert.deepEqual(
      cats.map((c) => c.order),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(new Set(cats.map((c) => c.id)).size, cats.length);
  });

  it('gives every setting a markdown description that opens with its name, and an order within its category', () => {
    for (const c of cats) {
      const orders = Object.values(c.properties).map((p) => p.order);
      assert.deepEqual(
        orders,
        orders.map((_, i) => i + 1),
        c.title,
      );
      for (const [key, p] of Object.entries(c.properties)) {
        assert.equal(p.description, undefined, `${key}: markdownDescription only`);
        assert.match(p.markdownDescription ?? '', /^\*\*[A-Z][^*]+\.\*\* \S/, key);
      }
    }
  });

  it('says ssd.laCode is used only in the send URL', () => {
    const la = cats.find((c) => c.title.endsWith('Sending'))!.properties['ssd.laCode']!;
    assert.match(la.markdownDescription!, /^\*\*LA code\.\*\*/);
    assert.match(la.markdownDescription!, /Used only in the URL/);
    assert.doesNotMatch(la.markdownDescription!, /written into payloads/);
  });

  it('lists every setting in the settings reference (docs/extension.md)', () => {
    const doc = readFileSync(resolve(root, 'docs/extension.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Settings\n'), doc.indexOf('## What is logged'));
    for (const c of cats) for (const key of Object.keys(c.properties)) assert.ok(section.includes(`\`${key}\``), key);
  });

  it('titles the sidebar "SSD Workbench" and its view "Tables"', () => {
    assert.deepEqual(
      pkg.contributes.viewsContainers.activitybar.map((c) => c.title),
      ['SSD Workbench'],
    );
    assert.deepEqual(
      pkg.contributes.views.ssd!.map((v) => [v.id, v.name, v.contextualTitle]),
      [['ssd.tables', 'Tables', 'SSD Workbench']],
    );
  });
});
