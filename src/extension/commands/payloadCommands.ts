// "SSD: Build Payload for Child": from a tree node (a child or a staging row), an id, or a search
// over ssd_person ids (ids only). src/payload builds and validates; the payload opens as a
// read-only JSON document with its problems at their JSON paths and hovers naming the rule and the
// SSD column. Only ids and counts are logged: never a payload or a value from it.
import * as vscode from 'vscode';
import { childPayloadInBackground } from '../core/offThread';
import { reportingWindow } from '../../payload/window';
import type { PayloadProblem } from '../../payload/types';
import type { ActiveConnection } from '../connections/connectionManager';
import { pagePersonIds } from '../../browse/inventory';
import { exclusionMessage, payloadSummary, payloadText, personIdFromPayloadPath } from '../core/payloadWorkflow';
import { PAYLOAD_SCHEME, PayloadDocuments } from '../diagnostics/payloadDocuments';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings';
import { withWork } from '../work';

export function registerPayloadCommands(services: ExtensionServices): void {
  const docs = new PayloadDocuments(async (personId) => {
    // The editor asks again for a payload document it restored (e.g. after a reload): rebuild quietly.
    const conn = await services.connections.current();
    if (!conn) return 'No database is open: run "SSD: Build Payload for Child" again.';
    try {
      const r = await build(conn, personId);
      if ('exclusion' in r) return r.message;
      return { text: payloadText(r.payload), problems: r.problems };
    } catch (e) {
      return `Could not build the payload: ${e instanceof Error ? e.message : String(e)}`;
    }
  });
  services.context.subscriptions.push(
    docs,
    vscode.commands.registerCommand('ssd.buildPayload', (arg?: unknown) => buildPayloadCommand(services, docs, arg)),
  );
}

/** The person id a command argument names: a tree node, an id, or a payload document's URI. */
export function personIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.trim() || undefined;
  if (typeof arg === 'number' && Number.isFinite(arg)) return String(arg);
  if (arg instanceof vscode.Uri) return arg.scheme === PAYLOAD_SCHEME ? personIdFromPayloadPath(arg.path) : undefined;
  if (typeof arg === 'object' && arg !== null) {
    const n = arg as { kind?: string; personId?: unknown };
    if ((n.kind === 'child' || n.kind === 'stagingRow' || n.kind === undefined) && typeof n.personId === 'string' && n.personId.trim()) return n.personId;
  }
  return undefined;
}

type Built = { payload: Record<string, unknown>; problems: PayloadProblem[] } | { exclusion: true; message: string };

async function build(conn: ActiveConnection, personId: string, signal?: AbortSignal): Promise<Built> {
  const { asOf } = readSettings();
  // In the embedded database's worker thread on the demo; the builder loads on first use.
  const r = await childPayloadInBackground(conn.db, personId, { schema: conn.schema, asOf, ...(signal ? { signal } : {}) });
  if ('exclusion' in r) return { exclusion: true, message: exclusionMessage(r.exclusion, asOf, reportingWindow(asOf)) };
  return { payload: r.child.payload, problems: r.child.problems };
}

async function buildPayloadCommand(services: ExtensionServices, docs: PayloadDocuments, arg: unknown): Promise<void> {
  const conn = await services.connections.require();
  if (!conn) return;
  const personId = personIdFromArg(arg) ?? await pickPersonId(conn);
  if (!personId) return;
  const res = await withWork(`SSD: Build Payload for ${personId}`, conn.db, services.log, async (w) => {
    w.report(10, 'reading the child\'s SSD rows');
    const r = await build(conn, personId, w.signal);
    w.report(100);
    return r;
  });
  if (!res.ok) {
    if (res.cancelled) return;
    void vscode.window.showErrorMessage(`SSD: could not build the payload of ${personId}: ${res.error ?? 'unknown error'}`);
    return;
  }
  const r = res.value;
  if ('exclusion' in r) {
    services.log.info(`Build Payload: ${personId} not in the cohort`);
    void vscode.window.showWarningMessage(`SSD: ${r.message}`);
    return;
  }
  const text = payloadText(r.payload);
  const uri = docs.set(personId, text, r.problems);
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  services.log.info(`Build Payload: ${personId}, ${errors} errors, ${r.problems.length - errors} warnings`);
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json').then(undefined, () => undefined);
  await vscode.window.showTextDocument(doc, { preview: false });
  const summary = payloadSummary(personId, r.problems);
  if (errors) {
    void vscode.window.showWarningMessage(`SSD: ${summary}`, 'Show Problems').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else void vscode.window.showInformationMessage(`SSD: ${summary}`);
}

/** A QuickPick over ssd_person ids that searches by prefix as the user types (ids only). */
async function pickPersonId(conn: ActiveConnection): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = 'SSD: Build Payload for Child';
  qp.placeholder = 'Type a child\'s person id (ssd_person.pers_person_id); the list shows ids starting with what you type';
  qp.matchOnDescription = false;
  qp.ignoreFocusOut = true;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let found: string[] = [];
  const render = (typed: string) => {
    const items: vscode.QuickPickItem[] = found.map((id) => ({ label: id }));
    if (typed && !found.includes(typed)) items.unshift({ label: typed, description: 'build for this id', alwaysShow: true });
    qp.items = items;
  };
  const search = (typed: string) => {
    const g = ++generation;
    qp.busy = true;
    pagePersonIds(conn.db, conn.schema, { ...(typed ? { prefix: typed } : {}), pageSize: 50 }).then((page) => {
      if (g !== generation) return;
      found = page.ids;
      qp.busy = false;
      render(qp.value.trim());
    }, (e: unknown) => {
      if (g !== generation) return;
      qp.busy = false;
      found = [];
      qp.placeholder = `Could not list ids (${e instanceof Error ? e.message : String(e)}); type an id and press Enter`;
      render(qp.value.trim());
    });
  };
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (v: string | undefined) => { if (done) return; done = true; if (timer) clearTimeout(timer); resolve(v); qp.dispose(); };
    qp.onDidChangeValue((v) => {
      render(v.trim());
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => search(v.trim()), 200);
    });
    qp.onDidAccept(() => {
      const v = qp.selectedItems[0]?.label ?? qp.activeItems[0]?.label ?? (qp.value.trim() || undefined);
      finish(v);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
    search('');
  });
}
