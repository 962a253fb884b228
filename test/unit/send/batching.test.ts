import assert from 'node:assert/strict';
import { chunk, sendWithBisection } from '../../../src/send/batching';
import type { PostOutcome } from '../../../src/send/apiClient';

const U = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const ok = (part: readonly string[]): PostOutcome => ({ kind: 'ok', status: 200, tokens: part.map((_, i) => ({ uuid: U(i), timestamp: '2026-08-10T10:00:00.000' })) });

describe('send: batching and bisection (D13)', () => {
  it('chunks into batches of at most n', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 100), []);
    assert.equal(
      chunk(
        Array.from({ length: 250 }, (_, i) => i),
        100,
      )
        .map((c) => c.length)
        .join(','),
      '100,100,50',
    );
    assert.throws(() => chunk([1], 0));
  });

  it('isolates the rejected records of a refused batch; the others are sent', async () => {
    const items = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const bad = new Set(['c17', 'c63']);
    const sent: string[][] = [];
    const r = await sendWithBisection(items, async (part) => {
      sent.push([...part]);
      return part.some((x) => bad.has(x)) ? { kind: 'rejected', status: 400, reason: 'HTTP 400 Bad Request' } : ok(part);
    });
    const kinds = r.results.map((x) => x.kind);
    assert.equal(kinds.filter((k) => k === 'sent').length, 98);
    assert.deepEqual(
      items.filter((_, i) => kinds[i] === 'rejected'),
      ['c17', 'c63'],
    );
    assert.equal(r.requests, sent.length);
    assert.equal(r.stop, undefined);
    // Every accepted request holds only good records; a bad record is last sent alone.
    assert.ok(sent.some((p) => p.length === 1 && p[0] === 'c17'));
    // Far fewer requests than one per record.
    assert.ok(r.requests < 40, `${r.requests} requests`);
  });

  it('a refused single record is rejected with the API reason', async () => {
    const r = await sendWithBisection(['only'], async () => ({ kind: 'rejected', status: 422, reason: 'HTTP 422: bad' }));
    assert.deepEqual(r.results, [{ kind: 'rejected', reason: 'HTTP 422: bad' }]);
    assert.equal(r.requests, 1);
  });

  it('a failure that is not about content stops: that request failed, the rest unsent', async () => {
    let n = 0;
    const r = await sendWithBisection(['a', 'b', 'c', 'd'], async (part) => {
      n++;
      if (n === 1) return { kind: 'rejected', status: 400, reason: 'bad' };
      if (n === 2) return ok(part); // a, b
      return { kind: 'failed', status: 503, reason: 'HTTP 503; gave up after 4 attempts' }; // c, d
    });
    assert.deepEqual(
      r.results.map((x) => x.kind),
      ['sent', 'sent', 'failed', 'failed'],
    );
    assert.deepEqual(r.stop, { kind: 'endpoint', reason: 'HTTP 503; gave up after 4 attempts' });

    let m = 0;
    const r2 = await sendWithBisection(['a', 'b', 'c', 'd'], async () => {
      m++;
      if (m === 1) return { kind: 'rejected', status: 400, reason: 'bad' };
      return { kind: 'failed', reason: 'unauthorised', auth: true };
    });
    assert.deepEqual(
      r2.results.map((x) => x.kind),
      ['failed', 'failed', 'unsent', 'unsent'],
    );
    assert.equal(r2.stop?.kind, 'auth');
  });

  it('a 2xx that cannot be matched marks nothing sent and stops', async () => {
    const r = await sendWithBisection(['a', 'b'], async () => ({ kind: 'malformed', status: 200, reason: 'HTTP 200 OK but the response holds 1 token(s) for 2 record(s)' }));
    assert.deepEqual(
      r.results.map((x) => x.kind),
      ['failed', 'failed'],
    );
    assert.equal(r.stop?.kind, 'malformed');
  });

  it('cancelled: nothing more is sent', async () => {
    const r = await sendWithBisection(['a', 'b'], async () => ({ kind: 'cancelled' }));
    assert.deepEqual(
      r.results.map((x) => x.kind),
      ['unsent', 'unsent'],
    );
    assert.equal(r.requests, 0);
    assert.equal(r.stop?.kind, 'cancelled');
  });
});
