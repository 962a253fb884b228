// How far V8 lets the old generation grow before a full garbage collection, for the CLI's long
// batch jobs (issue 17). V8 sets the next full collection at up to four times what survived the
// last one; a staging run keeps about 16–19 MB alive and promotes a steady trickle of short-lived
// objects, so its old generation filled to about 80 MB before each full collection, and the peak
// RSS grew with the number of children (the longer the run, the nearer that limit it got:
// docs/performance.md "Memory flat in N"). With --heap-growing-percent=100 the limit is twice what
// survived: the old generation peaks at about 35 MB at 10k and at 100k children alike, for a few
// more full collections (about 10 ms each at this heap size).
//
// This is not a cap: the limit follows what is alive, so a larger live heap (a bigger payload, a
// bigger batch) still gets all the memory it needs, and nothing fails for lack of memory that did
// not before. The flag is read each time V8 sets the limit, so setting it once the process runs
// takes effect from the next full collection (measured: the old generation's peak at 100k went
// from 71–77 MB to 31 MB). It is set only in processes that are ours (`ssd stage` and `ssd scramble`, and the
// staging bench that measures it), never in the editor's extension host. A flag given on node's
// own command line wins.
import { setFlagsFromString } from 'node:v8';

/** Old generation limit: (1 + this/100) × the heap that survived the last full collection. */
export const HEAP_GROWING_PERCENT = 100;

let applied = false;

/** Set V8's heap growing factor for this process (once; not when node was started with its own). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
