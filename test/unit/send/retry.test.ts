import assert from 'node:assert/strict';
import { backoffMs, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, realSleep } from '../../../src/send/retry';

const P = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, forbiddenMaxAttempts: 3, forbiddenBaseDelayMs: 30000, forbiddenMaxDelayMs: 120000, maxRetryAfterMs: 60000 };

describe('send: retry policy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    // random 0 → half the exponential delay; random 1 → all of it.
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((r) => backoffMs(r, 'server', P, () => 0)),
      [500, 1000, 2000, 4000, 4000, 4000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((r) => backoffMs(r, 'throttled', P, () => 1)),
      [1000, 2000, 4000, 8000, 8000, 8000],
    );
    const mid = backoffMs(3, 'network', P, () => 0.5);
    assert.ok(mid > 2000 && mid < 4000);
  });

  it('403 backs off long (gateway shaping)', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((r) => backoffMs(r, 'forbidden', P, () => 1)),
      [30000, 60000, 120000, 120000],
    );
    assert.ok(backoffMs(1, 'forbidden', P, () => 0) >= 15000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-08-10T12:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('1.5', now), 1500);
    assert.equal(parseRetryAfter('Mon, 10 Aug 2026 12:00:30 GMT', now), 30000);
    assert.equal(parseRetryAfter('Mon, 10 Aug 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter('', now), null);
    assert.equal(parseRetryAfter(null, now), null);
  });

  it('retries up to the attempt limit, honouring Retry-After, and gives up on a Retry-After longer than the cap', () => {
    assert.deepEqual(
      decideRetry(1, 'server', null, P, () => 1),
      { retry: true, delayMs: 1000 },
    );
    assert.deepEqual(
      decideRetry(4, 'timeout', null, P, () => 1),
      { retry: true, delayMs: 8000 },
    );
    const last = decideRetry(5, 'server', null, P, () => 1);
    assert.equal(last.retry, false);
    if (!last.retry) assert.match(last.reason, /after 5 attempts/);
    const ra = decideRetry(1, 'throttled', 7000, P, () => 0);
    assert.deepEqual(ra, { retry: true, delayMs: 7000 });
    const jittered = decideRetry(1, 'throttled', 7000, P, () => 1);
    assert.ok(jittered.retry && jittered.delayMs >= 7000 && jittered.delayMs <= 8000);
    const long = decideRetry(1, 'throttled', 3_600_000, P, () => 0);
    assert.equal(long.retry, false);
    if (!long.retry) assert.match(long.reason, /3600 s/);
    assert.equal(decideRetry(3, 'forbidden', null, P, () => 0).retry, false);
    assert.equal(decideRetry(2, 'forbidden', null, P, () => 0).retry, true);
  });

  it('the real sleep stops at once when cancelled', async () => {
    const c = new AbortController();
    const started = Date.now();
    const p = realSleep(10_000, c.signal);
    c.abort();
    await assert.rejects(p, { name: 'CancelledError' });
    assert.ok(Date.now() - started < 1000);
  });
});
