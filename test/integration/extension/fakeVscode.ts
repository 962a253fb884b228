// A small stand-in for the editor's 'vscode' module, enough to load the bundled extension in Node,
// activate it, run its commands and walk its tree. Namespaces throw on any member they do not
// have, so the bundle touching an API this fake lacks fails loudly instead of passing silently.
// The real editor is driven by the e2e suite (test/e2e); this checks the bundle and the wiring.
import { pathToFileURL } from 'node:url';

type Fn = (...args: unknown[]) => unknown;

export interface Message {
  kind: 'info' | 'warning' | 'error';
  text: string;
  items: string[];
  modal: boolean;
}

export interface FakeVscode {
  module: Record<string, unknown>;
  commands: Map<string, Fn>;
  contexts: Map<string, unknown>;
  messages: Message[];
  /** Lines written to the output channels, as "[level] text". */
  logs: string[];
  shown: { uri: string; text: string; languageId: string }[];
  config: Map<string, unknown>;
  trusted: boolean;
  treeProvider(): {
    getChildren(n?: unknown): Promise<unknown[]>;
    getTreeItem(n: unknown): { label?: unknown; description?: unknown; contextValue?: string; command?: { command: string; arguments?: unknown[] } };
  };
  /** Answer a message or quick pick: return the item to pick (undefined = dismissed). */
  respond: (m: Message) => string | undefined;
  exec(id: string, ...args: unknown[]): Promise<unknown>;
  /** A diagnostic collection's entries (URI text → diagnostics) by the collection's name. */
  diagnostics(name: string): Map<string, unknown[]>;
  /** URIs (as text) of the documents shown in a tab (showTextDocument opens one tab per document). */
  tabs(): string[];
  /** Close a document's tab (window.tabGroups.onDidChangeTabs); the document itself stays open. */
  closeTab(uri: string): void;
  /** The editor disposes a document (workspace.onDidCloseTextDocument). */
  closeDocument(uri: string): void;
  /** Every progress notification shown (window.withProgress): its title, messages, whether it
   *  ended, and its Cancel button. */
  progress: ProgressNote[];
}

export interface ProgressNote {
  title: string;
  messages: string[];
  done: boolean;
  cancel(): void;
}

function strict<T extends object>(name: string, o: T): T {
  return new Proxy(o, {
    get(t, k) {
      if (typeof k === 'symbol' || k in t || k === 'then' || k === 'toJSON') return (t as Record<string | symbol, unknown>)[k];
      throw new Error(`the fake vscode module has no ${name}.${String(k)}`);
    },
  });
}

class Disposable {
  constructor(private readonly fn?: () => void) {}
  dispose(): void {
    this.fn?.();
  }
  static from(...ds: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
}

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((x) => x !== l);
    });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(s: string): Uri {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1]!, m[2] ?? '', decodeURIComponent(m[3] ?? ''), m[4] ?? '', m[5] ?? '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static file(p: string): Uri {
    return new Uri('file', '', pathToFileURL(p).pathname, '', '');
  }
  get fsPath(): string {
    return decodeURIComponent(this.path);
  }
  with(c: Partial<{ scheme: string; path: string; query: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, this.authority, c.path ?? this.path, c.query ?? this.query, this.fragment);
  }
  toString(): string {
    return `${this.scheme}:${this.authority ? `//${this.authority}` : ''}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}
class ThemeColor {
  constructor(readonly id: string) {}
}
class TreeItem {
  [k: string]: unknown;
  constructor(
    readonly label: unknown,
    readonly collapsibleState?: number,
  ) {}
}
class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s;
    return this;
  }
  appendCodeblock(s: string): this {
    this.value += `\n\`\`\`\n${s}\n\`\`\`\n`;
    return this;
  }
}
class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}
class Diagnostic {
  source?: string;
  code?: unknown;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity = 0,
  ) {}
}
class TabInputText {
  constructor(readonly uri: Uri) {}
}
class Hover {
  constructor(
    readonly contents: unknown,
    readonly range?: Range,
  ) {}
}

/**
 * An ExtensionContext for activate(): global state and secret storage in memory (`secrets` is the
 * map the secret storage writes to, so a test can look into it), storage in `storage`, the
 * extension installed at `root`.
 */
export function fakeExtensionContext(fake: FakeVscode, pkg: unknown, storage: string, root: string, secrets = new Map<string, string>()) {
  const memento = new Map<string, unknown>();
  const file = (p: string) => (fake.module.Uri as { file(p: string): unknown }).file(p);
  return {
    subscriptions: [] as { dispose(): unknown }[],
    globalStorageUri: file(storage),
    globalState: {
      get: (k: string) => memento.get(k),
      update: async (k: string, v: unknown) => {
        memento.set(k, v);
      },
      keys: () => [...memento.keys()],
    },
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => {
        secrets.set(k, v);
      },
      delete: async (k: string) => {
        secrets.delete(k);
      },
      onDidChange: () => ({ dispose() {} }),
    },
    extension: { packageJSON: pkg, id: 'ssd-workbench.ssd-workbench' },
    extensionUri: file(root),
    extensionPath: root,
  };
}

export function createFakeVscode(packageJson: unknown): FakeVscode {
  const commands = new Map<string, Fn>();
  const contexts = new Map<string, unknown>();
  const messages: Message[] = [];
  const logs: string[] = [];
  const shown: FakeVscode['shown'] = [];
  const config = new Map<string, unknown>();
  const providers = new Map<string, { provideTextDocumentContent(u: Uri): unknown }>();
  let tree: ReturnType<FakeVscode['treeProvider']> | undefined;
  const noEvent = () => new Disposable();
  const collections = new Map<string, Map<string, unknown[]>>();
  type Tab = { label: string; input: TabInputText };
  const group = { tabs: [] as Tab[], isActive: true, viewColumn: 1, activeTab: undefined as Tab | undefined };
  const tabsChanged = new EventEmitter<{ opened: Tab[]; closed: Tab[]; changed: Tab[] }>();
  const docClosed = new EventEmitter<unknown>();
  const docs = new Map<string, ReturnType<typeof makeDoc>>();

  const fake: FakeVscode = {
    module: {},
    commands,
    contexts,
    messages,
    logs,
    shown,
    config,
    trusted: true,
    progress: [],
    treeProvider() {
      if (!tree) throw new Error('no tree view was created');
      return tree;
    },
    respond: () => undefined,
    async exec(id, ...args) {
      return (fake.module.commands as { executeCommand: Fn }).executeCommand(id, ...args);
    },
    diagnostics(name) {
      const c = collections.get(name);
      if (!c) throw new Error(`no diagnostic collection '${name}'`);
      return c;
    },
    tabs: () => group.tabs.map((t) => t.input.uri.toString()),
    closeTab(uri) {
      const closed = group.tabs.filter((t) => t.input.uri.toString() === uri);
      if (!closed.length) throw new Error(`no tab shows ${uri}`);
      group.tabs = group.tabs.filter((t) => !closed.includes(t));
      tabsChanged.fire({ opened: [], closed, changed: [] });
    },
    closeDocument(uri) {
      const d = docs.get(uri);
      if (!d) throw new Error(`no open document ${uri}`);
      if (group.tabs.some((t) => t.input.uri.toString() === uri)) fake.closeTab(uri);
      docs.delete(uri);
      d.isClosed = true;
      docClosed.fire(d);
    },
  };

  const message =
    (kind: Message['kind']) =>
    async (text: string, ...rest: unknown[]) => {
      const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal === true;
      const items = rest.filter((x): x is string => typeof x === 'string');
      const m: Message = { kind, text, items, modal };
      messages.push(m);
      return fake.respond(m);
    };

  const makeDoc = (uri: Uri, text: string, languageId: string) => ({ uri, getText: () => text, languageId, lineCount: text.split('\n').length, isClosed: false, version: 1, fileName: uri.fsPath });

  const window = strict('window', {
    createOutputChannel: (name: string) =>
      strict(`OutputChannel(${name})`, {
        name,
        lines: [] as string[],
        append() {},
        appendLine() {},
        clear() {},
        show() {},
        hide() {},
        dispose() {},
        replace() {},
        trace() {},
        debug() {},
        info: (m: string) => {
          logs.push(`[info] ${m}`);
        },
        warn: (m: string) => {
          logs.push(`[warn] ${m}`);
        },
        error: (m: string) => {
          logs.push(`[error] ${m}`);
        },
        logLevel: 2,
        onDidChangeLogLevel: noEvent,
      }),
    createStatusBarItem: () => ({ text: '', tooltip: '', command: '', name: '', accessibilityInformation: undefined, show() {}, hide() {}, dispose() {} }),
    createTreeView: (_id: string, o: { treeDataProvider: ReturnType<FakeVscode['treeProvider']> }) => {
      tree = o.treeDataProvider;
      return { dispose() {}, description: undefined, message: undefined, reveal: async () => undefined };
    },
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    showQuickPick: async (items: unknown, o?: { title?: string }) => {
      const list = (await items) as ({ label: string } | string)[];
      const labels = list.map((i) => (typeof i === 'string' ? i : i.label));
      const pick = fake.respond({ kind: 'info', text: `quickpick:${o?.title ?? ''}`, items: labels, modal: false });
      return list.find((i) => (typeof i === 'string' ? i : i.label) === pick);
    },
    showInputBox: async (o?: { title?: string }) => fake.respond({ kind: 'info', text: `input:${o?.title ?? ''}`, items: [], modal: false }),
    withProgress: async (o: { title?: string }, task: Fn) => {
      const cancelled = new EventEmitter<void>();
      const token = { isCancellationRequested: false, onCancellationRequested: cancelled.event };
      const note: ProgressNote = {
        title: o?.title ?? '',
        messages: [],
        done: false,
        cancel() {
          if (!token.isCancellationRequested) {
            token.isCancellationRequested = true;
            cancelled.fire();
          }
        },
      };
      fake.progress.push(note);
      try {
        return await task(
          {
            report(r: { message?: string }) {
              if (r?.message) note.messages.push(r.message);
            },
          },
          token,
        );
      } finally {
        note.done = true;
      }
    },
    showTextDocument: async (doc: { uri: Uri; getText(): string; languageId: string }) => {
      shown.push({ uri: doc.uri.toString(), text: doc.getText(), languageId: doc.languageId });
      if (!group.tabs.some((t) => t.input.uri.toString() === doc.uri.toString())) {
        const tab = { label: doc.uri.path, input: new TabInputText(doc.uri) };
        group.tabs.push(tab);
        group.activeTab = tab;
        tabsChanged.fire({ opened: [tab], closed: [], changed: [] });
      }
      return { document: doc };
    },
    tabGroups: {
      get all() {
        return [group];
      },
      get activeTabGroup() {
        return group;
      },
      onDidChangeTabs: tabsChanged.event,
      onDidChangeTabGroups: noEvent,
    },
    activeTextEditor: undefined,
    visibleTextEditors: [],
    onDidChangeActiveTextEditor: noEvent,
    onDidChangeVisibleTextEditors: noEvent,
    createWebviewPanel: () => ({ webview: { html: '', cspSource: 'fake' }, title: '', reveal() {}, onDidDispose: noEvent, dispose() {} }),
    showOpenDialog: async () => undefined,
  });

  const workspace = strict('workspace', {
    getConfiguration: (section?: string) => ({
      get: <T>(key: string, dflt?: T) => (config.has(`${section}.${key}`) ? (config.get(`${section}.${key}`) as T) : dflt),
      inspect: (key: string) => ({ key, globalValue: config.get(`${section}.${key}`) }),
      has: (key: string) => config.has(`${section}.${key}`),
      update: async (key: string, v: unknown) => {
        config.set(`${section}.${key}`, v);
      },
    }),
    get isTrusted() {
      return fake.trusted;
    },
    onDidChangeConfiguration: noEvent,
    onDidGrantWorkspaceTrust: noEvent,
    onDidCloseTextDocument: docClosed.event,
    onDidOpenTextDocument: noEvent,
    onDidChangeTextDocument: noEvent,
    onDidSaveTextDocument: noEvent,
    textDocuments: [],
    workspaceFolders: undefined,
    registerTextDocumentContentProvider: (scheme: string, p: { provideTextDocumentContent(u: Uri): unknown }) => {
      providers.set(scheme, p);
      return new Disposable(() => providers.delete(scheme));
    },
    registerFileSystemProvider: () => new Disposable(),
    openTextDocument: async (uri: Uri) => {
      const p = providers.get(uri.scheme);
      if (!p) throw new Error(`no content provider for ${uri.scheme}`);
      const d = makeDoc(uri, String(await p.provideTextDocumentContent(uri)), uri.path.endsWith('.json') ? 'json' : 'plaintext');
      docs.set(uri.toString(), d);
      return d;
    },
  });

  const languages = strict('languages', {
    createDiagnosticCollection: (name: string) => {
      const m = new Map<string, unknown[]>();
      collections.set(name, m);
      return {
        name,
        set: (u: Uri | unknown[], d?: unknown[]) => {
          if (u instanceof Uri) m.set(u.toString(), d ?? []);
        },
        delete: (u: Uri) => m.delete(u.toString()),
        clear: () => m.clear(),
        get: (u: Uri) => m.get(u.toString()),
        forEach: () => undefined,
        dispose() {},
      };
    },
    registerHoverProvider: () => new Disposable(),
    registerCodeLensProvider: () => new Disposable(),
    setTextDocumentLanguage: async (doc: ReturnType<typeof makeDoc>, languageId: string) => ({ ...doc, languageId }),
  });

  const cmds = strict('commands', {
    registerCommand: (id: string, fn: Fn) => {
      if (commands.has(id)) throw new Error(`command '${id}' already exists`);
      commands.set(id, fn);
      return new Disposable(() => commands.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      if (id === 'setContext') {
        contexts.set(args[0] as string, args[1]);
        return undefined;
      }
      const fn = commands.get(id);
      return fn ? fn(...args) : undefined;
    },
    getCommands: async () => [...commands.keys()],
  });

  Object.assign(fake.module, {
    window,
    workspace,
    languages,
    commands: cmds,
    extensions: strict('extensions', { getExtension: () => undefined, all: [] }),
    env: strict('env', { appName: 'Fake Code', language: 'en', uiKind: 1 }),
    Disposable,
    EventEmitter,
    Uri,
    ThemeIcon,
    ThemeColor,
    TreeItem,
    MarkdownString,
    Position,
    Range,
    Diagnostic,
    Hover,
    TabInputText,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    version: (packageJson as { engines?: { vscode?: string } }).engines?.vscode?.replace(/^\^/, '') ?? '1.95.0',
  });
  return fake;
}
