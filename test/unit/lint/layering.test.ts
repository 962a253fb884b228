// The layering rules of eslint.config.mjs (DEVELOPERS.md "Layers"): `vscode` only in the editor
// layer; the cores import neither the CLI nor the editor; src/cli/ is the top.
// Lints small snippets as if they were files at the given paths, with the project's own config.
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const importVscode = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
const importTypeVscode = "import type * as vscode from 'vscode';\nexport type X = vscode.Uri;\n";

const importFrom = (specifier: string) => `import { x } from '${specifier}';\nexport const y = x;\n`;

async function restricted(path: string, text: string): Promise<boolean> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(text, { filePath: path });
  return (result?.messages ?? []).some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
}

describe('lint: vscode stays out of the pure cores', function () {
  this.timeout(60_000);

  it('flags vscode imported by a core folder, the CLI or a test', async () => {
    for (const p of ['src/payload/x.ts', 'src/check/x.ts', 'src/db/x.ts', 'src/model/x.ts', 'src/cli/x.ts', 'src/connections/x.ts', 'test/unit/x.test.ts']) {
      assert.equal(await restricted(p, importVscode), true, p);
    }
    assert.equal(await restricted('src/staging/x.ts', importTypeVscode), true, 'a type import is an import too');
  });

  it('allows it in the editor layer', async () => {
    for (const p of ['src/extension/x.ts', 'src/extension/commands/x.ts', 'src/extension/connections/x.ts', 'src/bundle.ts']) {
      assert.equal(await restricted(p, importVscode), false, p);
    }
  });

  it("flags vscode in src/connections/ (the editor's connection code lives in src/extension/connections/)", async () => {
    assert.equal(await restricted('src/connections/vscode/x.ts', importVscode), true);
  });
});

describe('lint: the layers (cores, CLI commands, editor, CLI top)', function () {
  this.timeout(60_000);

  it('flags a core importing the CLI or the editor', async () => {
    const cases: Array<[string, string]> = [
      ['src/payload/x.ts', '../cli/main'],
      ['src/payload/x.ts', '../cliSupport/common'],
      ['src/staging/x.ts', './cli'],
      ['src/staging/x.ts', '../script/cli'],
      ['src/script/x.ts', './mosaicCli'],
      ['src/sqlCatalogue/scenarios/x.ts', '../../extension/core/inventory'],
      ['src/connections/x.ts', '../extension/settings'],
      ['src/model/x.ts', '../extension/x'],
    ];
    for (const [p, spec] of cases) assert.equal(await restricted(p, importFrom(spec)), true, `${p} → ${spec}`);
  });

  it("flags a CLI command importing the CLI's top or the editor, and the editor importing the CLI", async () => {
    const cases: Array<[string, string]> = [
      ['src/payload/cli.ts', '../cli/main'],
      ['src/script/mosaicCli.ts', '../extension/settings'],
      ['src/cliSupport/x.ts', '../cli/main'],
      ['src/extension/x.ts', '../cliSupport/common'],
      ['src/extension/commands/x.ts', '../../staging/cli'],
      ['src/extension/x.ts', '../cli/main'],
      ['src/cli/x.ts', '../extension/extension'],
      ['src/worker/x.ts', '../cliSupport/common'],
    ];
    for (const [p, spec] of cases) assert.equal(await restricted(p, importFrom(spec)), true, `${p} → ${spec}`);
  });

  it('allows the imports the layers are for', async () => {
    const cases: Array<[string, string]> = [
      ['src/payload/x.ts', '../db/types'],
      ['src/staging/x.ts', './format'],
      ['src/sqlCatalogue/scenarios/x.ts', '../../browse/inventory'],
      ['src/payload/cli.ts', '../cliSupport/common'],
      ['src/payload/cli.ts', './buildPayloads'],
      ['src/script/mosaicCli.ts', './cli'],
      ['src/cliSupport/x.ts', '../db/openDb'],
      ['src/cli/main.ts', '../payload/cli'],
      ['src/cli/main.ts', '../cliSupport/common'],
      ['src/extension/x.ts', '../staging/runStage'],
      ['src/extension/commands/x.ts', '../connections/connectionManager'],
      ['test/unit/x.test.ts', '../../src/cliSupport/common'],
      ['test/unit/x.test.ts', '../../src/extension/core/x'],
    ];
    for (const [p, spec] of cases) assert.equal(await restricted(p, importFrom(spec)), false, `${p} → ${spec}`);
  });
});
