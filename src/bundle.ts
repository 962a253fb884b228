// The one bundle (dist/extension.cjs) holding both the VS Code extension and the CLI, so the .vsix
// carries the engine once. The extension layer (which needs the editor's 'vscode' module) and the
// CLI are each loaded only when used: esbuild turns these require() calls into lazy module
// initialisers. dist/cli.cjs is a two-line launcher calling runCli(); dist/worker.cjs calls
// runWorker() in the editor's worker thread.
import type * as vscode from 'vscode';
import type * as Extension from './extension/extension';

function extension(): typeof Extension {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./extension/extension') as typeof Extension;
}

export function activate(context: vscode.ExtensionContext): void {
  extension().activate(context);
}

export function deactivate(): Promise<void> {
  return extension().deactivate();
}

/** Serve the editor's worker thread (dist/worker.cjs calls this inside the thread: src/worker/ssdWorker.ts). */
export function runWorker(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./worker/ssdWorker');
}

/** Run the `ssd` command line (process.argv), as dist/cli.cjs does. */
export function runCli(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./cli/index');
}
