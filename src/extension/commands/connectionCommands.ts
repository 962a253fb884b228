// Connection and tree commands: add / select / remove a connection, refresh, the log, and the
// Children node's search and paging. The work is the ConnectionManager's and the tree's.
import * as vscode from 'vscode';
import { redactSecrets } from '../../db/connectionSpec';
import { isNodeKind } from '../core/treeModel';
import type { ExtensionServices } from '../services';

export function registerConnectionCommands(services: ExtensionServices): void {
  const { connections, tree, log } = services;
  const guarded =
    (name: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      try {
        await fn(...args);
      } catch (e) {
        const msg = redactSecrets(e instanceof Error ? e.message : String(e));
        log.error(`${name}: ${msg}`);
        void vscode.window.showErrorMessage(`SSD: ${name} failed: ${msg}`);
      }
    };
  services.context.subscriptions.push(
    vscode.commands.registerCommand(
      'ssd.addConnection',
      guarded('Add Connection', () => connections.addProfile()),
    ),
    vscode.commands.registerCommand(
      'ssd.selectConnection',
      guarded('Select Connection', () => connections.select()),
    ),
    vscode.commands.registerCommand(
      'ssd.editConnection',
      guarded('Edit Connection', async (arg) => {
        // From the tree's connection node: that profile; else a pick of the saved ones.
        const id = isNodeKind(arg, 'connection') && arg.conn.source === 'profile' ? arg.conn.key : undefined;
        await connections.editProfile(id);
      }),
    ),
    vscode.commands.registerCommand(
      'ssd.removeConnection',
      guarded('Remove Connection', () => connections.removeProfile()),
    ),
    vscode.commands.registerCommand(
      'ssd.refresh',
      guarded('Refresh', async () => {
        // A connection that failed (or none yet) is tried again; an open one is re-read.
        if (connections.connectionState === 'failed' || !connections.activeConnection) await connections.reopen();
        tree.refresh();
      }),
    ),
    vscode.commands.registerCommand('ssd.showLog', () => log.channel.show(true)),
    vscode.commands.registerCommand(
      'ssd.searchChildren',
      guarded('Search Children', async () => {
        const v = await vscode.window.showInputBox({
          title: 'SSD: Search Children by Id',
          prompt: 'Show the child ids (ssd_person.pers_person_id) starting with… (empty: all)',
          value: tree.childSearch,
          validateInput: (s) => (s.length > 48 ? 'a person id is at most 48 characters' : undefined),
        });
        if (v === undefined) return;
        tree.setChildSearch(v.trim());
      }),
    ),
    vscode.commands.registerCommand('ssd.clearChildSearch', () => tree.setChildSearch('')),
    vscode.commands.registerCommand(
      'ssd.loadMore',
      guarded('Load More', async (node) => {
        if (isNodeKind(node, 'more')) await tree.loadMore(node);
      }),
    ),
  );
}
