import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskIncludeReader } from '../../../src/script/index';
import { planScript, mapBatchLine } from '../../../src/script/plan';

describe(':r includes from disk (the SystemC procedure installer layout)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssd-inc-'));
    mkdirSync(join(dir, 'procs'));
    writeFileSync(
      join(dir, 'procs', 'ssd_setup.sql'),
      "IF OBJECT_ID('proc_ssd_setup') IS NULL EXEC('CREATE PROCEDURE proc_ssd_setup AS SELECT 1');\nGO\nCREATE OR ALTER PROCEDURE proc_ssd_setup AS\nBEGIN\n  SELECT 2;\nEND\nGO\n",
    );
    writeFileSync(join(dir, 'procs', 'ssd_person.sql'), 'CREATE OR ALTER PROCEDURE proc_ssd_person AS\nBEGIN\n  SELECT 3;\nEND\nGO\n');
    writeFileSync(join(dir, '00_install_all.sql'), ':r "procs/ssd_setup.sql"\n:r "procs/ssd_person.sql"\n');
    writeFileSync(join(dir, '00_install_all_windows.sql'), ':r "procs\\ssd_setup.sql"\n:r procs\\ssd_person.sql\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const installer of ['00_install_all.sql', '00_install_all_windows.sql']) {
    it(`${installer}: each included file's batches, mapped to that file`, () => {
      const file = join(dir, installer);
      const text = diskIncludeReader(file, file).text;
      const plan = planScript(text, { dialect: 'tsql', file, readInclude: diskIncludeReader });
      assert.equal(plan.batches.length, 3);
      assert.ok(plan.batches[1]!.text.startsWith('CREATE OR ALTER PROCEDURE proc_ssd_setup'));
      assert.deepEqual(mapBatchLine(plan.batches[1]!, 3), { file: join(dir, 'procs', 'ssd_setup.sql'), line: 5, column: 3 });
      assert.equal(plan.batches[2]!.file, join(dir, 'procs', 'ssd_person.sql'));
    });
  }
});

describe('reading script files', () => {
  it('decodes UTF-16 LE/BE with BOM (SSMS), UTF-8 with or without BOM, and falls back to Windows-1252', async () => {
    const { decodeScript } = await import('../../../src/script/index');
    const text = "SELECT N'£5 café'\nGO\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(Buffer.from(text, 'utf16le')).swap16();
    assert.deepEqual(decodeScript(le), { text, encoding: 'utf-16le' });
    assert.deepEqual(decodeScript(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), { text, encoding: 'utf-16be' });
    assert.deepEqual(decodeScript(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), { text, encoding: 'utf-8' });
    assert.deepEqual(decodeScript(Buffer.from(text)), { text, encoding: 'utf-8' });
    assert.deepEqual(decodeScript(Buffer.from([0x27, 0xa3, 0x35, 0x27])), { text: "'£5'", encoding: 'windows-1252' });
  });
});
