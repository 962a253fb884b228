// The bundled extension (dist/extension.cjs, made by `npm run build`) loaded in Node with a fake
// 'vscode' module: it activates, registers exactly the commands the manifest contributes, makes
// the demo database, shows it in the tree, stages it, shows a staging row, builds a child's payload,
// refuses to write in an untrusted workspace, and closes on deactivate.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeVscode, fakeExtensionContext, type FakeVscode, type Message } from './fakeVscode';
import { CLIENT_ID, CLIENT_SECRET, LA_CODE, SCOPE, startMockApi, SUPPLIER_KEY } from '../send/mockApi';
import { runCli } from '../../helpers/runCli';
import { openDb } from '../../../src/db/openDb';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const bundle = join(root, 'dist/extension.cjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[] };
};

type Ext = { activate(ctx: unknown): void; deactivate(): Promise<void> };
type TreeNode = { kind: string; [k: string]: unknown };

describe('bundled extension in a fake editor', function () {
  this.timeout(180_000);
  let fake: FakeVscode;
  let ext: Ext;
  let storage: string;
  const resolveOrig = (Module as unknown as { _resolveFilename: Fn })._resolveFilename;
  type Fn = (...a: unknown[]) => unknown;
  const FAKE_ID = join(tmpdir(), 'ssd-fake-vscode.cjs');
  /** The extension's SecretStorage. */
  const secrets = new Map<string, string>();

  before(() => {
    assert.ok(existsSync(bundle), 'dist/extension.cjs is missing: run `npm run build` first (npm test does)');
    fake = createFakeVscode(pkg);
    fake.config.set('ssd.demo.children', 30);
    fake.config.set('ssd.fake.children', 25);
    fake.config.set('ssd.asOf', '2026-08-10');
    (Module as unknown as { _resolveFilename: Fn })._resolveFilename = function (this: unknown, request: unknown, ...rest: unknown[]) {
      return request === 'vscode' ? FAKE_ID : resolveOrig.call(this, request, ...rest);
    };
    const req = createRequire(join(here, 'bundle.test.ts'));
    req.cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: fake.module } as unknown as NodeJS.Module;
    delete req.cache[bundle];
    ext = req(bundle) as Ext;
    storage = mkdtempSync(join(tmpdir(), 'ssd-ext-storage-'));
  });

  after(async () => {
    (Module as unknown as { _resolveFilename: Fn })._resolveFilename = resolveOrig;
    rmSync(storage, { recursive: true, force: true });
  });

  const tree = () => fake.treeProvider();
  const item = (n: unknown) => tree().getTreeItem(n);
  const label = (n: unknown) => String(item(n).label);
  async function child(parent: unknown, name: string | RegExp): Promise<TreeNode> {
    const kids = (await tree().getChildren(parent)) as TreeNode[];
    const found = kids.find((k) => (typeof name === 'string' ? label(k) === name : name.test(label(k))));
    assert.ok(found, `no "${name}" under ${parent ? label(parent) : 'the root'}: ${kids.map(label).join(', ')}`);
    return found;
  }

  it('activates and registers exactly the contributed commands', async () => {
    const context = fakeExtensionContext(fake, pkg, storage, root, secrets);
    ext.activate(context);
    const registered = [...fake.commands.keys()].filter((c) => c.startsWith('ssd.')).sort();
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(registered, contributed);
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'SSD', `${c.command} is in the SSD category`);
    assert.equal(fake.contexts.get('ssd.state'), 'noDemo');
    assert.deepEqual(await tree().getChildren(), [], 'no database yet: the view shows its welcome content');
  });

  it('opens the demo database and shows its tables with row counts', async () => {
    await fake.exec('ssd.openDemo');
    assert.equal(fake.contexts.get('ssd.state'), 'open');
    assert.equal(fake.contexts.get('ssd.isDemo'), true);
    const conn = await child(undefined, 'Demo database');
    const builder = await child(conn, 'Tables the API builder reads');
    const tables = (await tree().getChildren(builder)) as TreeNode[];
    assert.equal(tables.length, 19);
    const person = tables.find((t) => label(t) === 'ssd_person')!;
    assert.match(String(item(person).description), /^30 rows/);
    // Short enough for the default sidebar width; the details are in the tooltip.
    for (const t of tables) assert.ok(String(item(t).description).length <= 24, `${label(t)}: "${String(item(t).description)}"`);
    assert.equal(item(person).command?.command, 'ssd.openTableDocument');
    const cols = (await tree().getChildren(person)) as TreeNode[];
    assert.ok(cols.some((c) => label(c) === 'pers_person_id' && /key/.test(String(item(c).description))));
    await child(conn, 'Other SSD tables');
    const staging = await child(conn, 'Staging');
    assert.equal(String(item(staging).description), '0 of 2');
    const children = await child(conn, 'Children');
    const all = (await tree().getChildren(children)) as TreeNode[];
    // "With problems" first (issue 15), then the ids.
    assert.equal(all[0]!.kind, 'childrenWithProblems');
    assert.equal(label(all[0]!), 'With problems');
    const ids = all.slice(1);
    assert.equal(ids.length, 30);
    assert.equal(item(ids[0]).contextValue, 'ssd.child');
  });

  it('refuses to build staging in an untrusted workspace', async () => {
    fake.trusted = false;
    try {
      const before = fake.messages.length;
      await fake.exec('ssd.buildStaging');
      const m = fake.messages.slice(before);
      assert.equal(m.length, 1);
      assert.match(m[0]!.text, /disabled in an untrusted workspace/);
      await fake.exec('ssd.generateFakeData');
      assert.match(fake.messages[fake.messages.length - 1]!.text, /Generate Fake Data writes to a database/);
    } finally {
      fake.trusted = true;
    }
    const conn = await child(undefined, 'Demo database');
    const staging = await child(conn, 'Staging');
    const anon = await child(staging, 'ssd_api_data_staging_anon');
    assert.equal(item(anon).contextValue, 'ssd.table.missing');
  });

  it('builds staging into the anonymised table on the demo and shows counts and rows', async () => {
    // A check first: both staging tables are "not present yet" (SSD-SCHEMA-005) on their table documents.
    await fake.exec('ssd.checkTables');
    const checkProblems = fake.diagnostics('ssd-check');
    const rules = (uri: string) => (checkProblems.get(uri) ?? []).map((d) => (d as { code?: unknown }).code);
    const anonDoc = 'ssd-table:/ssd_api_data_staging_anon.md';
    const stagingDoc = 'ssd-table:/ssd_api_data_staging.md';
    assert.deepEqual(rules(anonDoc), ['SSD-SCHEMA-005']);
    assert.deepEqual(rules(stagingDoc), ['SSD-SCHEMA-005']);
    const markedBefore = await child(await child(await child(undefined, 'Demo database'), 'Staging'), 'ssd_api_data_staging_anon');
    assert.equal(String(item(markedBefore).description), 'missing · ℹ1', 'findings as badges');
    const before = fake.messages.length;
    await fake.exec('ssd.buildStaging');
    const done = fake.messages.slice(before).find((m) => /^SSD: Staged \d+ children into ssd_api_data_staging_anon/.test(m.text));
    assert.ok(
      done,
      fake.messages
        .slice(before)
        .map((m) => m.text)
        .join('\n'),
    );
    // The table it created no longer carries the stale finding; the table it did not create still does.
    assert.deepEqual(rules(anonDoc), []);
    assert.deepEqual(rules(stagingDoc), ['SSD-SCHEMA-005']);
    const markedAfter = await child(await child(await child(undefined, 'Demo database'), 'Staging'), 'ssd_api_data_staging_anon');
    assert.doesNotMatch(String(item(markedAfter).description), /ℹ/);
    assert.deepEqual(done.items, ['Show report']);
    assert.equal(fake.contexts.get('ssd.hasReport'), true);
    const conn = await child(undefined, 'Demo database');
    const staging = await child(conn, 'Staging');
    const anon = await child(staging, 'ssd_api_data_staging_anon');
    const bucket = await child(anon, /^New \/ (Pending|Error)$/);
    assert.match(String(item(bucket).description), /^\d+ rows?$/);
    // Rows by state first; the columns apart, under their own node.
    const anonKids = (await tree().getChildren(anon)) as TreeNode[];
    assert.ok(!anonKids.some((k) => k.kind === 'column'), 'no column beside the buckets');
    assert.equal(anonKids[anonKids.length - 1]!.kind, 'columns');
    assert.ok(((await tree().getChildren(anonKids[anonKids.length - 1])) as TreeNode[]).some((c) => label(c) === 'person_id'));
    const rows = (await tree().getChildren(bucket)) as TreeNode[];
    assert.ok(rows.length > 0);
    const row = rows[0]!;
    assert.equal(item(row).contextValue, 'ssd.stagingRow');
    assert.equal(item(row).command?.command, 'ssd.showStagingRow');

    await fake.exec('ssd.showStagingRow', row);
    const doc = fake.shown[fake.shown.length - 1]!;
    assert.match(doc.uri, /^ssd-staging:\/ssd_api_data_staging_anon\/row-\d+\.json$/);
    const shownRow = JSON.parse(doc.text) as { person_id: string; row_state: string; json_payload: { la_child_id: string } };
    assert.equal(shownRow.person_id, row.personId);
    assert.equal(shownRow.row_state, 'New');
    assert.equal(typeof shownRow.json_payload.la_child_id, 'string');

    // A document the editor restores after a reload (not held in memory) is read again.
    const other = rows.find((r) => r.id !== row.id)!;
    const ws = fake.module.workspace as { openTextDocument(u: unknown): Promise<{ getText(): string }> };
    const uri = (fake.module.Uri as { parse(s: string): unknown }).parse(`ssd-staging:/ssd_api_data_staging_anon/row-${String(other.id)}.json`);
    const restored = JSON.parse((await ws.openTextDocument(uri)).getText()) as { id: number; person_id: string };
    assert.equal(String(restored.id), other.id);
    assert.equal(restored.person_id, other.personId);

    // Children → With problems: the children the check's findings name and the Withheld ones, marked.
    const withProblems = ((await tree().getChildren(await child(await child(undefined, 'Demo database'), 'Children'))) as TreeNode[])[0]!;
    assert.equal(withProblems.kind, 'childrenWithProblems');
    const flagged = (await tree().getChildren(withProblems)) as TreeNode[];
    const withheldIds = new Set(
      (
        await Promise.all(
          ((await tree().getChildren(anon)) as TreeNode[])
            .filter((b) => b.kind === 'stagingBucket' && b.submissionStatus === 'Withheld')
            .map(async (b) => ((await tree().getChildren(b)) as TreeNode[]).filter((r) => r.kind === 'stagingRow').map((r) => String(r.personId))),
        )
      ).flat(),
    );
    assert.ok(flagged.length > 0 && flagged.every((n) => n.kind === 'child'), flagged.map(label).join(', '));
    for (const id of withheldIds)
      assert.ok(
        flagged.some((n) => n.personId === id),
        `Withheld child ${id} is listed`,
      );
    for (const n of flagged) assert.match(String(item(n).description), /check finding|Withheld/, `${label(n)} is marked`);
  });

  it("builds a child's payload from the tree", async () => {
    const conn = await child(undefined, 'Demo database');
    const staging = await child(conn, 'Staging');
    const anon = await child(staging, 'ssd_api_data_staging_anon');
    const bucket = await child(anon, /^New \/ Pending$/);
    const row = ((await tree().getChildren(bucket)) as TreeNode[])[0]!;
    const shownBefore = fake.shown.length;
    await fake.exec('ssd.buildPayload', { kind: 'child', personId: row.personId });
    assert.equal(
      fake.shown.length,
      shownBefore + 1,
      fake.messages
        .slice(-3)
        .map((m) => m.text)
        .join('\n'),
    );
    const doc = fake.shown[fake.shown.length - 1]!;
    assert.match(doc.uri, /^ssd-payload:/);
    assert.equal(doc.languageId, 'json');
    assert.equal(typeof (JSON.parse(doc.text) as { la_child_id?: unknown }).la_child_id, 'string');
    // Its problems are in the Problems panel while a tab shows it, and go when the tab closes
    // (the editor disposes the document itself only later), come back if it is shown again, and
    // go for good when the document is closed.
    const problems = fake.diagnostics('ssd-payload');
    assert.ok(problems.has(doc.uri), `no ssd-payload diagnostics for ${doc.uri}: ${[...problems.keys()].join(', ')}`);
    assert.ok(fake.tabs().includes(doc.uri));
    fake.closeTab(doc.uri);
    assert.ok(!problems.has(doc.uri), "the closed payload's problems stay in the Problems panel");
    await fake.exec('ssd.buildPayload', { kind: 'child', personId: row.personId });
    assert.ok(problems.has(doc.uri), 'shown again: its problems are back');
    fake.closeDocument(doc.uri);
    assert.ok(!problems.has(doc.uri), "the closed document's problems stay in the Problems panel");
    assert.ok(!fake.tabs().includes(doc.uri));
  });

  it('generates fake data into the demo after a confirmation naming the schema', async () => {
    const before = fake.messages.length;
    fake.respond = (m) => (m.modal && /^Generate 25 fake children into the demo database, schema public\?$/.test(m.text) ? 'Generate' : undefined);
    try {
      await fake.exec('ssd.generateFakeData');
    } finally {
      fake.respond = () => undefined;
    }
    const texts = fake.messages.slice(before).map((m) => m.text);
    assert.ok(
      texts.some((t) => /^SSD: generated 25 fake children/.test(t)),
      texts.join('\n'),
    );
    const conn = await child(undefined, 'Demo database');
    const builder = await child(conn, 'Tables the API builder reads');
    const person = await child(builder, 'ssd_person');
    assert.match(String(item(person).description), /^25 rows/);
  });

  it('recreates the demo database after a confirmation', async () => {
    fake.config.set('ssd.demo.children', 20);
    fake.respond = (m) => (m.modal && /^Delete the demo database and make a new one with 20 fake children\?$/.test(m.text) ? 'Recreate' : undefined);
    try {
      await fake.exec('ssd.recreateDemo');
    } finally {
      fake.respond = () => undefined;
    }
    const conn = await child(undefined, 'Demo database');
    const builder = await child(conn, 'Tables the API builder reads');
    const person = await child(builder, 'ssd_person');
    assert.match(String(item(person).description), /^20 rows/);
    const staging = await child(conn, 'Staging');
    assert.equal(String(item(staging).description), '0 of 2', 'a new demo has no staging yet');
  });

  it('pages through child ids and searches them by prefix', async () => {
    fake.config.set('ssd.children.pageSize', 10);
    (tree() as unknown as { refresh(): void }).refresh();
    const conn = await child(undefined, 'Demo database');
    const idNodes = async () => ((await tree().getChildren(await child(conn, 'Children'))) as TreeNode[]).filter((n) => n.kind !== 'childrenWithProblems');
    let kids = await idNodes();
    assert.equal(kids.length, 11);
    const more = kids[10]!;
    assert.equal(label(more), 'Load more…');
    await fake.exec('ssd.loadMore', more);
    kids = await idNodes();
    const ids = kids.map(label);
    assert.equal(ids.length, 20, ids.join(', '));
    assert.equal(new Set(ids).size, 20);

    const prefix = ids[13]!.slice(0, -1);
    const expected = ids.filter((i) => i.startsWith(prefix)).sort();
    fake.respond = (m) => (m.text === 'input:SSD: Search Children by Id' ? prefix : undefined);
    try {
      await fake.exec('ssd.searchChildren');
    } finally {
      fake.respond = () => undefined;
    }
    const filtered = await child(conn, 'Children');
    assert.equal(item(filtered).contextValue, 'ssd.children.filtered');
    assert.deepEqual(((await tree().getChildren(filtered)) as TreeNode[]).map(label).sort(), expected);
    await fake.exec('ssd.clearChildSearch');
    assert.equal(item(await child(conn, 'Children')).contextValue, 'ssd.children');
    fake.config.delete('ssd.children.pageSize');
  });

  it('shows a connection that fails as a node with the reason, and retries only when asked', async () => {
    const notADir = join(storage, 'not-a-folder');
    writeFileSync(notADir, 'x');
    const answers: Record<string, string> = {
      'quickpick:SSD: Add Connection (1/5)': 'Embedded database folder',
      'input:SSD: Add Connection (2/5)': `pglite:${join(notADir, 'db')}`,
      'input:SSD: Add Connection (4/5)': '',
      'input:SSD: Add Connection (5/5)': 'Broken folder',
      'quickpick:SSD: Add Connection: test "Broken folder" before saving?': '$(save) Save without testing',
    };
    fake.respond = (m) => answers[m.text];
    try {
      await fake.exec('ssd.addConnection');
    } finally {
      fake.respond = () => undefined;
    }
    assert.equal(fake.contexts.get('ssd.state'), 'failed');
    assert.equal(fake.contexts.get('ssd.hasProfiles'), true);
    const failures = () => fake.logs.filter((l) => l.startsWith('[error] could not open Broken folder')).length;
    assert.equal(failures(), 1);
    for (let i = 0; i < 3; i++) {
      const nodes = (await tree().getChildren()) as TreeNode[];
      assert.deepEqual(nodes.map(label), ['Could not open the database', 'Select Connection…', 'Try Again', 'Show Log']);
      assert.match(String(item(nodes[0]).description), /^Could not open "Broken folder": cannot write its lock file/);
    }
    assert.equal(failures(), 1, 'redrawing the tree does not reconnect');
    await fake.exec('ssd.refresh');
    assert.equal(failures(), 2, 'Refresh tries again');
    await fake.exec('ssd.openDemo');
    assert.equal(fake.contexts.get('ssd.state'), 'open');
    await child(undefined, 'Demo database');
  });

  it('sends staged payloads: a dry run makes no request, the test endpoint gets them and rows turn Sent', async () => {
    const api = await startMockApi();
    const folder = join(storage, 'send-db');
    const byText = (answers: Array<[RegExp, string | undefined]>) => (m: Message) => answers.find(([re]) => re.test(m.text))?.[1];
    const since = (n: number) => fake.messages.slice(n);
    const texts = (n: number) =>
      since(n)
        .map((m) => m.text)
        .join('\n');
    try {
      // The demo is never sent anywhere, whatever the settings.
      // Refused up front, before any endpoint is offered; a dry run is the only choice.
      await fake.exec('ssd.openDemo');
      let before = fake.messages.length;
      const asked: string[] = [];
      fake.respond = (m) => {
        asked.push(m.text);
        return m.text.startsWith('quickpick:') ? 'DfE test endpoint' : undefined;
      };
      await fake.exec('ssd.send');
      assert.match(texts(before), /demo database holds fake children made on this machine: it is never sent/);
      assert.deepEqual(
        asked.filter((t) => t.startsWith('quickpick:') || t.startsWith('input:')),
        [],
        'no endpoint was offered',
      );
      assert.deepEqual(since(before).find((m) => /demo database/.test(m.text))?.items, ['Dry Run']);

      // A database of one's own, with children staged into ssd_api_data_staging. They are made by
      // `ssd fake`, whose mark would make every test or live send refuse (fake data is never sent,
      // src/fake/fakeMarker.ts): the mark is dropped, as a user does once a schema holds real data.
      assert.equal((await runCli(['fake', '--db', `pglite:${folder}`, '--children', '25', '--seed', '7'])).code, 0);
      const own = await openDb(`pglite:${folder}`);
      try {
        await own.execute('DROP TABLE public.ssd_workbench_fake_runs');
      } finally {
        await own.close();
      }
      fake.respond = byText([
        [/^quickpick:SSD: Add Connection \(1\/5\)$/, 'Embedded database folder'],
        [/^input:SSD: Add Connection \(2\/5\)$/, `pglite:${folder}`],
        [/^input:SSD: Add Connection \(4\/5\)$/, ''],
        [/^input:SSD: Add Connection \(5\/5\)$/, 'Send test'],
        [/^quickpick:SSD: Add Connection: test "Send test" before saving\?$/, '$(plug) Test, then save'],
      ]);
      before = fake.messages.length;
      await fake.exec('ssd.addConnection');
      assert.match(texts(before), /^SSD: Connected to "Send test": schema public has \d+ SSD tables\.$/m, texts(before));
      assert.equal(fake.contexts.get('ssd.isDemo'), false);
      fake.respond = byText([[/^Build staging in Send test, table public\.ssd_api_data_staging\?$/, 'Build Staging']]);
      before = fake.messages.length;
      await fake.exec('ssd.buildStaging');
      assert.match(texts(before), /^SSD: Staged \d+ children into ssd_api_data_staging/m, texts(before));
      const staging = async () => child(await child(await child(undefined, 'Send test'), 'Staging'), 'ssd_api_data_staging');
      const buckets = async () => Object.fromEntries(((await tree().getChildren(await staging())) as TreeNode[]).filter((b) => b.kind === 'stagingBucket').map((b) => [label(b), b.count as number]));
      const staged = await buckets();
      const pending = staged['New / Pending'] ?? 0;
      assert.ok(pending > 10, JSON.stringify(staged));

      // Test mode without the endpoint settings: names what is missing, sends nothing.
      before = fake.messages.length;
      fake.respond = byText([[/^quickpick:SSD: Send Staged Payloads$/, 'DfE test endpoint']]);
      await fake.exec('ssd.send');
      const need = since(before).find((m) => /needs the settings ssd\.api\.baseUrl, ssd\.api\.tokenUrl, ssd\.api\.scope, ssd\.api\.clientId, ssd\.laCode/.test(m.text));
      assert.ok(need, texts(before));
      assert.deepEqual(need.items, ['Open Settings']);

      fake.config.set('ssd.api.baseUrl', api.baseUrl);
      fake.config.set('ssd.api.tokenUrl', api.tokenUrl);
      fake.config.set('ssd.api.scope', SCOPE);
      fake.config.set('ssd.api.clientId', CLIENT_ID);
      fake.config.set('ssd.laCode', LA_CODE);

      // Dry run (the first, default item): counts and checks, no request, no token, nothing written.
      before = fake.messages.length;
      let picked: string[] = [];
      fake.respond = (m) => {
        if (m.text === 'quickpick:SSD: Send Staged Payloads') {
          picked = m.items;
          return m.items[0];
        }
        return undefined;
      };
      await fake.exec('ssd.send');
      assert.deepEqual(picked, ['Dry run (nothing leaves this machine)', 'DfE test endpoint', 'DfE live endpoint']);
      const dry = since(before).find((m) => m.text.startsWith('SSD: Dry run of public.ssd_api_data_staging'));
      assert.ok(dry, texts(before));
      assert.match(dry.text, new RegExp(`^SSD: Dry run of public\\.ssd_api_data_staging: ${pending} records queued in 1 request\\. Nothing was sent\\.$`));
      assert.deepEqual(dry.items, ['Show report']);
      assert.equal(api.requests.length, 0);
      assert.equal(api.tokenRequests, 0);
      assert.deepEqual(await buckets(), staged);

      // Live from the anonymised table is refused before anything is asked.
      fake.config.set('ssd.staging.table', 'ssd_api_data_staging_anon');
      before = fake.messages.length;
      fake.respond = byText([[/^quickpick:SSD: Send Staged Payloads$/, 'DfE live endpoint']]);
      await fake.exec('ssd.send');
      assert.match(texts(before), /live endpoint takes only ssd_api_data_staging: ssd_api_data_staging_anon holds fake or scrambled data/);
      fake.config.delete('ssd.staging.table');

      // Live: secrets asked (not kept), then the confirmation names host, LA code, table and count; declined, nothing sent.
      before = fake.messages.length;
      const host = new URL(api.baseUrl).host;
      fake.respond = byText([
        [/^quickpick:SSD: Send Staged Payloads$/, 'DfE live endpoint'],
        [/^input:SSD: Send Staged Payloads: client secret$/, CLIENT_SECRET],
        [/^input:SSD: Send Staged Payloads: supplier key$/, SUPPLIER_KEY],
        [/^Keep the client secret and supplier key in the editor's secret storage/, 'Only This Time'],
      ]);
      await fake.exec('ssd.send');
      const live = since(before).find((m) => m.modal && /^Send \d+ records from public\.ssd_api_data_staging to the LIVE DfE endpoint/.test(m.text));
      assert.ok(live, texts(before));
      assert.equal(live.text, `Send ${pending} records from public.ssd_api_data_staging to the LIVE DfE endpoint ${host} as LA ${LA_CODE}?`);
      assert.deepEqual(live.items, ['Send to Live']);
      assert.equal(api.requests.length, 0);
      assert.equal(api.tokenRequests, 0);
      assert.equal(secrets.size, 0, 'secrets not kept when the user said only this time');

      // A wrong client secret: the token endpoint refuses (and echoes it); the error names the OAuth
      // error without the secret, nothing is sent, no row changes.
      before = fake.messages.length;
      const wrong = 'Wrong-Secret-Value-987';
      fake.respond = byText([
        [/^quickpick:SSD: Send Staged Payloads$/, 'DfE test endpoint'],
        [/^input:SSD: Send Staged Payloads: client secret$/, wrong],
        [/^input:SSD: Send Staged Payloads: supplier key$/, SUPPLIER_KEY],
        [/^Keep the client secret and supplier key/, 'Only This Time'],
        [/^Send \d+ records from public\.ssd_api_data_staging to the DfE test endpoint/, 'Send to Test'],
      ]);
      await fake.exec('ssd.send');
      const failed = since(before).find((m) => m.kind === 'error' && m.text.startsWith('SSD: Send failed:'));
      assert.ok(failed, texts(before));
      assert.match(failed.text, /invalid_client/);
      assert.ok(!failed.text.includes(wrong), failed.text);
      assert.ok(!fake.logs.some((l) => l.includes(wrong)), 'the wrong secret is not logged');
      assert.equal(api.tokenRequests, 1);
      assert.equal(api.requests.length, 0);
      assert.deepEqual(await buckets(), staged);
      api.tokenRequests = 0;

      // Test endpoint: secrets asked and remembered, confirmed, sent; every row is Sent.
      before = fake.messages.length;
      fake.respond = byText([
        [/^quickpick:SSD: Send Staged Payloads$/, 'DfE test endpoint'],
        [/^input:SSD: Send Staged Payloads: client secret$/, CLIENT_SECRET],
        [/^input:SSD: Send Staged Payloads: supplier key$/, SUPPLIER_KEY],
        [/^Keep the client secret and supplier key/, 'Remember'],
        [new RegExp(`^Send ${pending} records from public\\.ssd_api_data_staging to the DfE test endpoint ${host.replace(/\./g, '\\.')} as LA ${LA_CODE}\\?$`), 'Send to Test'],
      ]);
      await fake.exec('ssd.send');
      const sent = since(before).find((m) => m.text.startsWith('SSD: Sent public.ssd_api_data_staging to the test endpoint'));
      assert.ok(sent, texts(before));
      assert.equal(sent.text, `SSD: Sent public.ssd_api_data_staging to the test endpoint: ${pending} records queued, ${pending} sent.`);
      assert.deepEqual(sent.items, ['Show report']);
      assert.equal(api.tokenRequests, 1);
      assert.equal(
        api.requests.reduce((a, r) => a + r.children.length, 0),
        pending,
      );
      assert.ok(api.requests.every((r) => r.laCode === LA_CODE && r.status === 200));
      const after = await buckets();
      assert.equal(after['Unchanged / Sent'], pending, JSON.stringify(after));
      assert.equal(after['New / Pending'], undefined, JSON.stringify(after));
      const row = ((await tree().getChildren(await child(await staging(), 'Unchanged / Sent'))) as TreeNode[])[0]!;
      await fake.exec('ssd.showStagingRow', row);
      const shownRow = JSON.parse(fake.shown[fake.shown.length - 1]!.text) as { api_response: string; submission_status: string; json_payload: { la_child_id: string } };
      assert.equal(shownRow.submission_status, 'Sent');
      assert.equal(shownRow.api_response, api.acks.get(String(shownRow.json_payload.la_child_id))?.uuid);
      // Stored for this client id and these hosts only; never logged.
      assert.deepEqual([...secrets.keys()].sort(), ['ssd.api.clientSecret', 'ssd.api.supplierKey']);
      assert.ok(secrets.get('ssd.api.clientSecret')!.includes(CLIENT_SECRET));
      for (const l of fake.logs) {
        assert.ok(!l.includes(CLIENT_SECRET) && !l.includes(SUPPLIER_KEY), `a secret in the log: ${l}`);
        assert.ok(!/"la_child_id"|child_details|first_name/.test(l), `a payload in the log: ${l}`);
      }

      // Nothing left to send: said so, no secret asked, no request.
      before = fake.messages.length;
      const requests = api.requests.length;
      fake.respond = byText([[/^quickpick:SSD: Send Staged Payloads$/, 'DfE test endpoint']]);
      await fake.exec('ssd.send');
      assert.match(texts(before), /Nothing is queued in public\.ssd_api_data_staging: nothing to send/);
      assert.ok(!since(before).some((m) => m.text.startsWith('input:')), texts(before));
      assert.equal(api.requests.length, requests);

      await fake.exec('ssd.clearApiSecrets');
      assert.equal(secrets.size, 0);
      fake.trusted = false;
      try {
        before = fake.messages.length;
        await fake.exec('ssd.send');
        assert.match(texts(before), /Send Staged Payloads writes to a database, which is disabled in an untrusted workspace/);
      } finally {
        fake.trusted = true;
      }
    } finally {
      fake.respond = () => undefined;
      for (const k of ['ssd.api.baseUrl', 'ssd.api.tokenUrl', 'ssd.api.scope', 'ssd.api.clientId', 'ssd.laCode', 'ssd.fake.devSchemas', 'ssd.staging.table']) fake.config.delete(k);
      await api.close();
      await fake.exec('ssd.openDemo');
    }
  });

  it('closes the database and gives the demo back on deactivate', async () => {
    // The demo's lock is its data folder's lock (<folder>.lock), as for every embedded database.
    const lock = join(storage, 'demo', 'db.lock');
    assert.ok(existsSync(lock), 'the open demo is locked for this window');
    await ext.deactivate();
    assert.ok(!existsSync(lock));
  });
});
