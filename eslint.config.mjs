// ESLint: typescript-eslint's recommended rules (no formatting rules) and the layering rules the
// project's structure rests on (DEVELOPERS.md "Layers"), written as `no-restricted-imports`:
// - the pure cores never import `vscode`; only the editor layer (src/extension/) and the bundle
//   entry src/bundle.ts that hands over to it may;
// - the cores import neither the CLI (src/cli/, src/cliSupport/, any capability's cli.ts or
//   *Cli.ts) nor the editor (src/extension/);
// - a capability's cli.ts imports the cores and src/cliSupport/, never the CLI's top (src/cli/)
//   or the editor; the editor (and its worker thread, src/worker/) never imports the CLI; src/cli/
//   (main.ts) is the top.
// Run by `npm run lint`, part of `npm test`; test/unit/lint/layering.test.ts pins the rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VSCODE = {
  name: 'vscode',
  message: 'Pure cores never import vscode: put editor code in src/extension/ and pass what the core needs as plain values or callbacks.',
};
// Import specifiers are relative ('../cli/common', './cli', '../../extension/core/x'): matched by
// their path segments.
const TOP_CLI = { regex: '(^|/)cli/', message: 'src/cli/ is the top layer (main.ts): nothing imports it; shared CLI helpers live in src/cliSupport/.' };
const CLI_SUPPORT = { regex: '(^|/)cliSupport/', message: 'src/cliSupport/ is for the CLI commands (cli.ts): a core takes plain options and callbacks instead.' };
const CAPABILITY_CLI = { regex: '(^|/)(cli|[A-Za-z0-9_]+Cli)$', message: "a capability's cli.ts is the CLI layer: move what a core needs out of it (e.g. a formatter into format.ts)." };
const EDITOR = { regex: '(^|/)extension/', message: 'src/extension/ is the editor layer: nothing below it imports it; move pure code into a core folder.' };

const restrict = (paths, patterns) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.build-cache/**', '.vscode-test/**', 'out/**', 'test/e2e/screenshots/**', '**/*.generated.ts'] },
  { files: ['**/*.ts'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([VSCODE], []),
      // `_`-prefixed names are deliberately unused (callback signatures, destructuring to omit).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A variable a closure reads before its one assignment (e.g. a pool made after its watcher)
      // cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: the regexes with control characters match them on purpose (payload text checks,
      // the script splitter's binary-file guard).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests build malformed payloads, fake drivers and generators on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The cores: neither vscode nor the CLI nor the editor.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [TOP_CLI, CLI_SUPPORT, CAPABILITY_CLI, EDITOR]) },
  },
  {
    // The CLI commands: the cores and src/cliSupport/ (and another capability's cli.ts for a shared
    // reader, e.g. mosaicCli.ts), never the top or the editor.
    files: ['src/*/cli.ts', 'src/**/*Cli.ts', 'src/cliSupport/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [TOP_CLI, EDITOR]) },
  },
  {
    // The CLI's top: main.ts registers every command.
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [EDITOR]) },
  },
  {
    // The editor layer: the only code that may import vscode; it calls the cores, never the CLI.
    files: ['src/extension/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([], [TOP_CLI, CLI_SUPPORT, CAPABILITY_CLI]) },
  },
  {
    // The editor's worker thread (no vscode: it runs in a worker): the cores and the editor's pure
    // helpers (src/extension/core/), never the CLI.
    files: ['src/worker/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [TOP_CLI, CLI_SUPPORT, CAPABILITY_CLI]) },
  },
  {
    // The bundle entry hands over to the editor layer.
    files: ['src/bundle.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
