// The small work pool `ssd check` runs its tables with (runChecks.ts forEachLimited).
import assert from 'node:assert/strict';
import { forEachLimited } from '../../../src/check/runChecks';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forEachLimited', () => {
  it('runs every item, never more than the limit at once, starting them in order', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await forEachLimited([5, 1, 4, 2, 3, 0], 3, async (ms) => {
      started.push(ms);
      running++;
      most = Math.max(most, running);
      await tick(ms * 3);
      running--;
    });
    assert.deepEqual(started, [5, 1, 4, 2, 3, 0]);
    assert.equal(most, 3);
    assert.equal(running, 0);
  });

  it('with a limit of 1 runs one item after another', async () => {
    const log: string[] = [];
    await forEachLimited(['a', 'b', 'c'], 1, async (x) => {
      log.push(`start ${x}`);
      await tick(1);
      log.push(`end ${x}`);
    });
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('on a failure starts nothing new, waits for the running items, then throws the first failure', async () => {
    const log: string[] = [];
    const p = forEachLimited([1, 2, 3, 4, 5], 2, async (n) => {
      log.push(`start ${n}`);
      if (n === 1) {
        await tick(2);
        throw new Error('first');
      }
      if (n === 2) {
        await tick(20);
        log.push('end 2');
        throw new Error('second');
      }
      log.push(`end ${n}`);
    });
    await assert.rejects(p, /first/);
    assert.deepEqual(log, ['start 1', 'start 2', 'end 2']);
  });

  it('does nothing with no items, and treats a limit below 1 as 1', async () => {
    await forEachLimited([], 4, async () => assert.fail('no item'));
    let running = 0;
    let most = 0;
    await forEachLimited([1, 2, 3], 0, async () => {
      running++;
      most = Math.max(most, running);
      await tick(1);
      running--;
    });
    assert.equal(most, 1);
  });
});
