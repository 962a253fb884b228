// Root hooks (loaded by .mocharc.json): after every run, the 10 slowest tests with their times, so
// a slow test is seen and can be made faster (npm test should stay under 10 minutes on a 2-core
// machine). SSD_SLOWEST=0 turns the list off; SSD_SLOWEST=n shows n.
// Also the slowest files by wall time, hooks included: a file's before/beforeEach hooks (fixtures,
// fake data, an embedded database started) are not in any test's own time, and are often the cost.
import { relative } from 'node:path';
import type { Context } from 'mocha';

const times: Array<{ title: string; ms: number }> = [];
const files = new Map<string, number>();
const count = Number(process.env.SSD_SLOWEST ?? 10);
const started = Date.now();
// Wall time since the previous test ended goes to the file of the test that ends now: its file's
// hooks and the test itself (an after hook of the previous file lands here too, a small error).
let last = started;

export const mochaHooks = {
  afterEach(this: Context) {
    const t = this.currentTest;
    const now = Date.now();
    if (t && typeof t.duration === 'number') times.push({ title: t.fullTitle(), ms: t.duration });
    const file = t?.file ? relative(process.cwd(), t.file) : '(unknown file)';
    files.set(file, (files.get(file) ?? 0) + (now - last));
    last = now;
  },
  afterAll() {
    if (!(count > 0) || times.length === 0) return;
    const top = [...times].sort((a, b) => b.ms - a.ms).slice(0, count);
    const total = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(`\n  The ${top.length} slowest of ${times.length} tests (this run took ${total} s):\n`);
    for (const t of top) process.stdout.write(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.title}\n`);
    const topFiles = [...files].sort((a, b) => b[1] - a[1]).slice(0, count);
    process.stdout.write(`\n  The ${topFiles.length} slowest of ${files.size} files (wall time, hooks included):\n`);
    for (const [f, ms] of topFiles) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${f}\n`);
  },
};
