// startEarly (src/staging/runStage.ts): the staging run asks the builder for its first child before
// its prologue, so the server's query runs meanwhile; a run that stops first ends that read.
import assert from 'node:assert/strict';
import { startEarly } from '../../../src/staging/runStage';
import { CancelledError } from '../../../src/db/types';

/** A source that records when it starts and waits for `open` (or its signal) before each item. */
function source(signal: AbortSignal, log: string[], open: Promise<void>): AsyncIterable<number> {
  return {
    async *[Symbol.asyncIterator]() {
      log.push('started');
      try {
        for (let i = 1; i <= 3; i++) {
          await Promise.race([
            open,
            new Promise<never>((_, reject) => {
              if (signal.aborted) reject(new CancelledError());
              signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
            }),
          ]);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    },
  };
}

describe('startEarly', () => {
  it('starts the source at once, and the first item read is the one asked for early', async () => {
    const log: string[] = [];
    let release!: () => void;
    const open = new Promise<void>((r) => (release = r));
    const ac = new AbortController();
    const early = startEarly(source(ac.signal, log, open), true, ac);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['started']);
    release();
    const got: number[] = [];
    for await (const x of early) got.push(x);
    assert.deepEqual(got, [1, 2, 3]);
    assert.deepEqual(log, ['started', 'closed']);
    await early.stop(); // read: nothing to stop
    assert.equal(ac.signal.aborted, false);
  });

  it('does not start the source when not asked to (other databases)', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const early = startEarly(source(ac.signal, log, Promise.resolve()), false, ac);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, []);
    const got: number[] = [];
    for await (const x of early) got.push(x);
    assert.deepEqual(got, [1, 2, 3]);
  });

  it('stop() ends a read started but never taken (a safety stop), at once, without an unhandled rejection', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const never = new Promise<void>(() => undefined);
    const early = startEarly(source(ac.signal, log, never), true, ac);
    await new Promise((r) => setImmediate(r));
    const t = Date.now();
    await early.stop();
    assert.ok(Date.now() - t < 1000);
    assert.equal(ac.signal.aborted, true);
    assert.deepEqual(log, ['started', 'closed']);
  });

  it('breaking out of the loop closes the source', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const early = startEarly(source(ac.signal, log, Promise.resolve()), true, ac);
    for await (const x of early) if (x === 1) break;
    assert.deepEqual(log, ['started', 'closed']);
    assert.throws(() => early[Symbol.asyncIterator](), /read once/);
  });
});
