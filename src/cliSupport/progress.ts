// Progress on a terminal for the long CLI jobs (stage, send, demo): one line on stderr, rewritten in
// place, with the time so far. Nothing at all when stderr is not a terminal (pipes, files, cron) or
// with --json, so scripted output is unchanged. Counts only, never a child's data.
//
// When nothing has moved for a few seconds the line says what the job is waiting for (by default:
// the database, perhaps a lock another session holds on the table the job writes), so a run held
// by a lock is not silent.

export interface TerminalProgress {
  /** Set the line (shown at most a few times a second). */
  update(text: string): void;
  /** What a pause is probably waiting for, e.g. "a lock on public.ssd_api_data_staging". */
  waitingFor(what: string): void;
  /** Clear the line for a moment (to print a line of output); it is drawn again on the next tick. */
  clear(): void;
  /** Clear the line for good (before the job's own output). */
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const NONE: TerminalProgress = { update() {}, waitingFor() {}, clear() {}, done() {} };

export function terminalProgress(label: string, options: { enabled?: boolean; stream?: ProgressStream; stallMs?: number; now?: () => number; text?: string } = {}): TerminalProgress {
  const stream = options.stream ?? process.stderr;
  if (options.enabled === false || !stream.isTTY) return NONE;
  const now = options.now ?? Date.now;
  const stallMs = options.stallMs ?? 3000;
  const t0 = now();
  let text = options.text ?? 'starting';
  let waiting = 'the database';
  let lastChange = t0;
  let lastDrawn = '';
  let lastDrawAt = -Infinity;
  let finished = false;
  const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
  const draw = () => {
    if (finished) return;
    const t = now();
    const stalled = t - lastChange >= stallMs ? ` · waiting for ${waiting} (${secs(t - lastChange)})` : '';
    const line = `${label}: ${text} · ${secs(t - t0)}${stalled}`;
    if (line === lastDrawn) return;
    lastDrawn = line;
    lastDrawAt = t;
    stream.write(`\r\x1b[K${line}`);
  };
  const timer = setInterval(draw, 500);
  timer.unref?.();
  draw();
  return {
    update(next) {
      if (next !== text) {
        text = next;
        lastChange = now();
      }
      // Drawn here too (at most 5 times a second): work that never yields to timers (the embedded
      // database runs in this thread) still shows its progress.
      if (now() - lastDrawAt >= 200) draw();
    },
    waitingFor(what) {
      waiting = what;
    },
    clear() {
      if (finished || !lastDrawn) return;
      lastDrawn = '';
      stream.write('\r\x1b[K');
    },
    done() {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
