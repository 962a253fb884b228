// Root hooks (loaded by .mocharc.json): after every run, the 10 slowest tests with their times, so
// a slow test is seen and can be made faster (npm test should stay under 10 minutes on a 2-core
// machine). SSD_SLOWEST=0 turns the list off; SSD_SLOWEST=n shows n.
import type { Context } from 'mocha';

const times: Array<{ title: string; ms: number }> = [];
const count = Number(process.env.SSD_SLOWEST ?? 10);
const started = Date.now();

export const mochaHooks = {
  afterEach(this: Context) {
    const t = this.currentTest;
    if (t && typeof t.duration === 'number') times.push({ title: t.fullTitle(), ms: t.duration });
  },
  afterAll() {
    if (!(count > 0) || times.length === 0) return;
    const top = [...times].sort((a, b) => b.ms - a.ms).slice(0, count);
    const total = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(`\n  The ${top.length} slowest of ${times.length} tests (this run took ${total} s):\n`);
    for (const t of top) process.stdout.write(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.title}\n`);
  },
};
