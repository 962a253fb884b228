// The embedded demo database in the editor: kept under the extension's global storage, made on
// first use with a cancellable progress notification (src/extension/core/demoStore.ts does the
// work with the demo's own steps). Fake children only; nothing leaves the machine.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { DemoDatabase } from './connections/connectionManager';
import { redactSecrets } from '../db/connectionSpec';
import { acquireDemoLock, deleteDemo, demoPaths, readDemoInfo, releaseDemoLock, type DemoInfo } from './core/demoStore';
import { createDemoInWorker } from './core/demoWorker';
import type { ExtensionLogger } from './log';
import { readSettings } from './settings';
import { isCancellation } from './work';

export class ExtensionDemoDatabase implements DemoDatabase {
  readonly schema = 'public';
  private creating: Promise<string | undefined> | undefined;

  constructor(
    private readonly storageRoot: string,
    private readonly log: ExtensionLogger,
    private readonly version: string,
  ) {}

  get info(): DemoInfo | undefined {
    return readDemoInfo(this.storageRoot);
  }

  existing(): string | undefined {
    return this.info ? demoPaths(this.storageRoot).address : undefined;
  }

  acquire(): void {
    acquireDemoLock(this.storageRoot);
  }
  release(): void {
    releaseDemoLock(this.storageRoot);
  }

  /** Delete the demo (the caller closes it first). */
  delete(): void {
    deleteDemo(this.storageRoot);
  }

  ensure(): Promise<string | undefined> {
    const have = this.existing();
    if (have) return Promise.resolve(have);
    if (!this.creating)
      this.creating = this.create().finally(() => {
        this.creating = undefined;
      });
    return this.creating;
  }

  private async create(): Promise<string | undefined> {
    const { demoChildren, asOf } = readSettings();
    const ac = new AbortController();
    const t0 = Date.now();
    // The editor's thread must stay free while the demo is made (issue 15, item 1): measured and
    // logged (the end-to-end suite reads it from the log channel).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const loopNote = () => {
      loop.disable();
      return `longest event-loop delay on the extension host ${Math.round(loop.max / 1e6)} ms`;
    };
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SSD: making the demo database', cancellable: true }, async (progress, token) => {
        const sub = token.onCancellationRequested(() => ac.abort());
        let last = 0;
        const advance = (pct: number, message: string) => {
          progress.report({ increment: Math.max(0, pct - last), message });
          last = Math.max(last, pct);
        };
        try {
          progress.report({ message: 'starting' });
          // In a worker thread: the editor stays responsive, and Cancel stops it within seconds.
          await createDemoInWorker(this.storageRoot, {
            children: demoChildren,
            asOf,
            version: this.version,
            signal: ac.signal,
            onProgress: (p) => {
              // Real steps: the tables (5%), the fake children (5–95%), the summary's row counts.
              if (p.step === 'tables') advance(0, 'creating the SSD tables');
              else if (p.step === 'fake data' && p.total) {
                const pct = 5 + Math.round((p.done / p.total) * 90);
                advance(pct, `${Math.round((p.done / p.total) * 100)}% · ${p.done.toLocaleString('en-GB')} of ${p.total.toLocaleString('en-GB')} fake children`);
              } else if (p.step === 'summary') advance(95, 'counting the rows of each table');
            },
            // Table names and row counts only (the demo's summary never prints a child's data).
            print: (line) => {
              if (line && line.trim()) this.log.info(`demo: ${line.trim()}`);
            },
          });
        } finally {
          sub.dispose();
        }
      });
      if (ac.signal.aborted) {
        loop.disable();
        // Cancel clicked as the last step finished (the worker had no step left to stop): the demo is
        // still removed and never opened, as a cancelled demo always is.
        deleteDemo(this.storageRoot);
        this.log.info('making the demo database was cancelled (as it finished): removed');
        return undefined;
      }
      this.log.info(`demo database made with ${demoChildren} fake children in ${Date.now() - t0} ms; ${loopNote()}`);
      return demoPaths(this.storageRoot).address;
    } catch (e) {
      loop.disable();
      if (isCancellation(e, ac.signal)) {
        this.log.info('making the demo database was cancelled');
        return undefined;
      }
      const msg = redactSecrets(e instanceof Error ? e.message : String(e));
      this.log.error(`could not make the demo database: ${msg}`);
      void vscode.window.showErrorMessage(`SSD: could not make the demo database: ${msg}`);
      return undefined;
    }
  }
}
