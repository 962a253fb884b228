// The VS Code extension's entry (dist/extension.cjs, package.json "main"). scripts/build.mjs builds it
// with the CLI (src/cli/index.ts, dist/cli.cjs) and the editor's worker thread (src/worker/ssdWorker.ts,
// dist/worker.cjs) as three entry points of one code-split build: the editor reads this entry and the
// shared chunks it imports, never the CLI's code, and the engines its commands import() on first run
// are read then (issue 15, item 6).
export { activate, deactivate } from './extension/extension';
