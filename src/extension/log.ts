// The "SSD Workbench" LogOutputChannel as the shared Logger. Info and above carry ids and counts
// only (see src/log.ts); the `ssd.logLevel` setting raises the floor above the channel's own level.
import * as vscode from 'vscode';
import type { Logger, LogLevel } from '../log';

const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'off'];

export interface ExtensionLogger extends Logger {
  readonly channel: vscode.LogOutputChannel;
}

export function createLogger(context: vscode.ExtensionContext): ExtensionLogger {
  const channel = vscode.window.createOutputChannel('SSD Workbench', { log: true });
  context.subscriptions.push(channel);
  let floor = readFloor();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ssd.logLevel')) floor = readFloor();
    }),
  );
  const ok = (l: LogLevel) => order.indexOf(l) >= order.indexOf(floor);
  return {
    channel,
    trace: (m) => {
      if (ok('trace')) channel.trace(m);
    },
    debug: (m) => {
      if (ok('debug')) channel.debug(m);
    },
    info: (m) => {
      if (ok('info')) channel.info(m);
    },
    warn: (m) => {
      if (ok('warn')) channel.warn(m);
    },
    error: (m) => {
      if (ok('error')) channel.error(m);
    },
  };
}

function readFloor(): LogLevel {
  const v = vscode.workspace.getConfiguration('ssd').get<string>('logLevel', 'info');
  return (order as string[]).includes(v) ? (v as LogLevel) : 'info';
}
