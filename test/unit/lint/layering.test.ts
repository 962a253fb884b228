// The layering rule of eslint.config.mjs: `vscode` may be imported only by the editor layer.
// Lints small snippets as if they were files at the given paths, with the project's own config.
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const importVscode = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
const importTypeVscode = "import type * as vscode from 'vscode';\nexport type X = vscode.Uri;\n";

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
    for (const p of ['src/extension/x.ts', 'src/extension/commands/x.ts', 'src/connections/vscode/x.ts', 'src/bundle.ts']) {
      assert.equal(await restricted(p, importVscode), false, p);
    }
  });
});
