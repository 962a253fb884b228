// Terminal progress for stage, send and demo: a line on a terminal, rewritten in place, saying what
// a stalled job waits for; nothing at all when stderr is not a terminal or with --json.
import assert from 'node:assert/strict';
import { terminalProgress } from '../../../src/cliSupport/progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    isTTY,
    writes,
    write(t: string) {
      writes.push(t);
      return true;
    },
  };
}

describe('terminal progress', () => {
  it('writes nothing when the stream is not a terminal, or when disabled (--json)', async () => {
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const s = fakeStream(tty);
      const p = terminalProgress('ssd stage', { stream: s, enabled });
      p.update('1,000 children staged');
      p.waitingFor('x');
      p.clear();
      p.done();
      assert.deepEqual(s.writes, []);
    }
  });

  it('on a terminal: one line rewritten in place with the time, a stall names what it waits for, done clears it', async () => {
    const s = fakeStream(true);
    let t = 0;
    const p = terminalProgress('ssd stage', { stream: s, now: () => t, stallMs: 3000 });
    assert.deepEqual(s.writes, ['\r\x1b[Kssd stage: starting · 0 s']);
    p.update('2,000 children staged');
    p.waitingFor('the database (a lock on public.ssd_api_data_staging held by another session, or a slow query)');
    t = 1000;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(s.writes.at(-1), '\r\x1b[Kssd stage: 2,000 children staged · 1 s');
    t = 46_000;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(s.writes.at(-1), '\r\x1b[Kssd stage: 2,000 children staged · 46 s · waiting for the database (a lock on public.ssd_api_data_staging held by another session, or a slow query) (46 s)');
    p.update('3,000 children staged');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(s.writes.at(-1), '\r\x1b[Kssd stage: 3,000 children staged · 46 s', 'progress again: no longer waiting');
    // Drawn by update itself too (work on this thread may starve the timer), at most 5 times a second.
    t = 47_000;
    p.update('4,000 children staged');
    assert.equal(s.writes.at(-1), '\r\x1b[Kssd stage: 4,000 children staged · 47 s');
    t = 47_100;
    p.update('5,000 children staged');
    assert.equal(s.writes.at(-1), '\r\x1b[Kssd stage: 4,000 children staged · 47 s', 'not yet');
    p.done();
    assert.equal(s.writes.at(-1), '\r\x1b[K');
    const n = s.writes.length;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(s.writes.length, n, 'nothing after done');
  });
});
