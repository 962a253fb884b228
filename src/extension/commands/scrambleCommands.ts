// "SSD: Make Scrambled Copy…" (ssd.makeScrambledCopy): a scrambled copy of the active connection's
// SSD tables in another schema of the same database (src/scramble), and "SSD: Connection Testing
// Phases" (ssd.showPhases): where the LA is on the phased connection-testing path (src/phases), in
// a quick pick whose items copy their next command. Thin: decisions live in core/phasesWork.ts.
import * as vscode from 'vscode';
import { readPhases } from '../../phases/phases';
import { printScrambleReport } from '../../scramble/format';
import { KeyFileError, loadOrCreateKey } from '../../scramble/keyFile';
import { copySchemaProblem, phaseItems } from '../core/phasesWork';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork } from '../work';
import { requireTrust } from './dataCommands';

const TITLE = 'SSD: Make Scrambled Copy';

export function registerScrambleCommands(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ssd.makeScrambledCopy', () => makeScrambledCopy(services)),
    vscode.commands.registerCommand('ssd.showPhases', () => showPhases(services)),
  );
}

async function makeScrambledCopy(services: ExtensionServices): Promise<void> {
  if (!(await requireTrust('Make Scrambled Copy'))) return;
  const conn = await services.connections.require();
  if (!conn) return;
  const schema = await vscode.window.showInputBox({
    title: TITLE,
    prompt: `Schema of ${conn.label} to hold the scrambled copy of ${conn.schema} (empty or new; never the source)`,
    value: `${conn.schema}_scrambled`,
    ignoreFocusOut: true,
    validateInput: (v) => copySchemaProblem(v, conn.schema),
  });
  if (!schema) return;
  const keyUri = await vscode.window.showSaveDialog({
    title: `${TITLE}: key file (an existing key makes the same copy again; a new file gets a new random key)`,
    saveLabel: 'Use Key File',
    filters: { 'Scramble key': ['key'] },
  });
  if (!keyUri) return;
  let key: Buffer;
  try {
    const k = loadOrCreateKey(keyUri.fsPath);
    key = k.key;
    if (k.created) services.log.info('Scramble: created a new key file');
  } catch (e) {
    void vscode.window.showErrorMessage(`SSD: ${e instanceof KeyFileError ? e.message : String(e)}`);
    return;
  }
  const { asOf } = readSettings();
  // Loaded on first use, not at activation (issue 15, item 6).
  const { runScramble } = await import('../../scramble/runScramble');
  const res = await withWork(`SSD: Scrambling ${conn.schema} into ${schema.trim()}`, undefined, services.log, (w) =>
    runScramble(conn.db, conn.db, {
      fromSchema: conn.schema,
      toSchema: schema.trim(),
      key,
      asOf: asOf || undefined,
      sameDatabase: true,
      signal: w.signal,
      logger: services.log,
      onProgress: (p) => w.report(undefined, `${p.table}: ${p.rows.toLocaleString('en-GB')} rows`),
    }),
  );
  services.tree.refresh();
  if (!res.ok) {
    if (res.cancelled) void vscode.window.showInformationMessage('SSD: Scrambled copy cancelled; what it wrote was dropped.');
    else void vscode.window.showErrorMessage(`SSD: Scrambled copy failed: ${res.error ?? 'unknown error'}`);
    return;
  }
  const r = res.value;
  services.log.info(`Scramble ${r.from.schema} -> ${r.to.schema}: ${r.ok ? 'verified' : 'dropped'}; ${r.tables.reduce((a, t) => a + t.rowsOut, 0)} rows, ${r.scan.cellsScanned} cells scanned`);
  // The report names tables, columns, counts and the key's fingerprint only: no data values.
  const lines: string[] = [];
  printScrambleReport(r, (l = '') => lines.push(l));
  const doc = await vscode.workspace.openTextDocument({ content: lines.join('\n') + '\n', language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: true });
  if (r.ok) void vscode.window.showInformationMessage(`SSD: scrambled copy of ${r.from.schema} made in ${r.to.schema} and verified.`);
  else void vscode.window.showErrorMessage(`SSD: the scrambled copy failed verification and was dropped: ${r.failure}`);
}

async function showPhases(services: ExtensionServices): Promise<void> {
  const conn = await services.connections.require();
  if (!conn) return;
  const r = await readPhases([conn.db]);
  const pick = await vscode.window.showQuickPick(phaseItems(r), {
    title: `SSD: Connection Testing Phases (${conn.label}: every schema)`,
    placeHolder: r.current ? `You are at phase ${r.current}. Pick a phase to copy its next command.` : 'All four phases are done.',
    ignoreFocusOut: true,
  });
  if (pick?.next) {
    await vscode.env.clipboard.writeText(pick.next);
    void vscode.window.showInformationMessage(`SSD: copied the next command for phase ${pick.label.replace(/^\S+ (\d).*$/, '$1')}.`);
  }
}
