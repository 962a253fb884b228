// ESLint: typescript-eslint's recommended rules (no formatting rules) and the one layering rule
// the project's structure rests on: the pure cores never import `vscode`; only the editor layer
// (src/extension/, the editor's connection manager src/connections/vscode/ and the bundle entry
// src/bundle.ts that hands over to it) may. Run by `npm run lint`, part of `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOutOfTheCore = {
  paths: [{
    name: 'vscode',
    message: 'Pure cores never import vscode: put editor code in src/extension/ and pass what the core needs as plain values or callbacks.',
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.build-cache/**', '.vscode-test/**', 'out/**', 'test/e2e/screenshots/**', '**/*.generated.ts'] },
  { files: ['**/*.ts'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', vscodeOutOfTheCore],
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
    // The editor layer: the only code that may import vscode.
    files: ['src/extension/**/*.ts', 'src/connections/vscode/**/*.ts', 'src/bundle.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
