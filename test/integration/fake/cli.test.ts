import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { openDb } from '../../../src/db/openDb';

/** Run the CLI in-process, capturing stdout/stderr. */
async function ssd(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'ssd', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = saved;
  }
}

describe('ssd fake / ssd demo on the command line', function () {
  this.timeout(120000);

  it('ssd fake writes children and prints rows and problems (exit 0)', async () => {
    const r = await ssd('fake', '--db', 'pglite:memory', '--children', '200', '--seed', '9', '--as-of', '2026-08-10', '--bad-postcode-share', '50%');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Wrote 200 fake children to schema public/);
    assert.match(r.out, /ssd_person +200/);
    assert.match(r.out, /bad-postcode +\d+ +50\.0% of children with an address/);
  });

  it('ssd fake --json --clean prints the summary object', async () => {
    const r = await ssd('fake', '--db', 'pglite:memory', '--children', '50', '--clean', '--json', '--as-of', '2026-08-10');
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as { children: number; problems: Record<string, number>; rows: Record<string, number> };
    assert.equal(s.children, 50);
    assert.equal(s.rows.ssd_person, 50);
    assert.ok(Object.values(s.problems).every((n) => n === 0));
  });

  it('refuses foreign rows with exit 1 and a hint, and --replace overrides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssd-fake-cli-'));
    try {
      const url = `pglite:${join(dir, 'db')}`;
      assert.equal((await ssd('fake', '--db', url, '--children', '20', '--as-of', '2026-08-10')).code, 0);
      const db = await openDb(url);
      try {
        await db.execute(`INSERT INTO ssd_person (pers_person_id) VALUES ($1)`, ['LA-1']);
      } finally {
        await db.close();
      }
      const refused = await ssd('fake', '--db', url, '--children', '20', '--as-of', '2026-08-10');
      assert.equal(refused.code, 1);
      assert.match(refused.err, /^ssd: refusing to write fake data into schema public: ssd_person \(21 rows\).*--replace/);
      const json = await ssd('fake', '--db', url, '--children', '20', '--json');
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.out), { refused: true, schema: 'public', foreignTables: [{ table: 'ssd_person', rows: 21 }] });
      const replaced = await ssd('fake', '--db', url, '--children', '20', '--as-of', '2026-08-10', '--replace');
      assert.equal(replaced.code, 0, replaced.err);
      assert.match(replaced.out, /Deleted first: ssd_person 21/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad usage exits 2 with one clear line', async () => {
    for (const args of [
      ['fake', '--db', 'pglite:memory'],
      ['fake', '--db', 'pglite:memory', '--children', 'lots'],
      ['fake', '--db', 'pglite:memory', '--children', '5', '--missing-upn-share', '2'],
      ['fake', '--db', 'pglite:memory', '--children', '5', '--as-of', '2026-02-30'],
      ['fake', '--children', '5'],
      ['demo', '--children', '0'],
    ]) {
      const r = await ssd(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^ssd: .+\n$/);
    }
  });

  it('documents every option in --help', async () => {
    const r = await ssd('fake', '--help');
    assert.equal(r.code, 0);
    for (const o of ['--children', '--seed', '--as-of', '--replace', '--clean', '--missing-upn-share', '--factors-as-comma-list-share', '--json']) assert.ok(r.out.includes(o), o);
    const d = await ssd('demo', '--help');
    for (const o of ['--dir', '--children', '--seed']) assert.ok(d.out.includes(o), o);
  });
});
