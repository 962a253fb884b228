// The extension's own tests in desktop VS Code (@vscode/test-electron): downloads VS Code (the
// version in package.json's engines, or SSD_VSCODE_VERSION), starts it with this folder as the
// extension under development and runs test/vscode/suite/ inside its extension host.
// Runs in GitHub Actions (`xvfb-run -a npm run test:vscode`, after `npm run build`); the download
// needs the internet, so it is not part of `npm test`. Beside it, test/e2e drives the packaged
// .vsix in code-server.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(root, 'dist', 'extension.cjs'))) {
  console.error('test:vscode: dist/extension.cjs is missing: run `npm run build` first');
  process.exit(2);
}
const version = process.env.SSD_VSCODE_VERSION || 'stable';
try {
  const code = await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'vscode', 'suite', 'index.cjs'),
    // A throw-away profile and no other extensions: only SSD Workbench is loaded.
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--user-data-dir', mkdtempSync(join(tmpdir(), 'ssd-vscode-'))],
  });
  process.exit(code);
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
