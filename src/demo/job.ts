// The demo job: the question about replacing an earlier demo, then the demo's steps (runDemo) with
// progress and cancellation. The one flow `ssd demo` and the editor's demo database
// (src/extension/core/demoStore.ts, in a worker thread) both call (the model is
// src/script/job.ts); each gives it what differs as options:
// - `steps` names the demo's steps to run, in order (default all: tables, fake data, summary,
//   staging; the editor's demo runs the first three);
// - `onProgress` receives each step's start and the fake children written; `signal` stops the
//   demo before the next step and inside the long ones (CancelledError);
// - `confirm` answers 'replace' (the directory holds an earlier demo, which is deleted and made
//   again); without it the answer is yes, as `ssd demo` documents ("--dir is deleted and
//   recreated on each run"). A directory that holds anything else is refused by runDemo whatever
//   the answer.
import { DEMO_STEPS, demoDirOf, holdsEarlierDemo, runDemo, type DemoOptions, type DemoResult, type DemoStep, type Print } from './runDemo';

export type DemoJobQuestion = { kind: 'replace'; dir: string };

export interface DemoJobOptions extends DemoOptions {
  /** The demo's steps to run, by name, in order (default: every step of DEMO_STEPS). */
  steps?: readonly string[];
  /** The readable summary, line by line (default: nothing printed). */
  print?: Print;
  confirm?(question: DemoJobQuestion): boolean | Promise<boolean>;
}

export type DemoJobOutcome = { ran: true; result: DemoResult } | { ran: false; declined: 'replace'; dir: string };

/** The demo's steps by name (an unknown name is a programming error). */
export function demoStepsNamed(names: readonly string[] | undefined): DemoStep[] {
  if (!names) return [...DEMO_STEPS];
  return names.map((n) => {
    const s = DEMO_STEPS.find((x) => x.name === n);
    if (!s) throw new Error(`the demo has no '${n}' step`);
    return s;
  });
}

/** Ask, then make the demo: see the header. */
export async function runDemoJob(options: DemoJobOptions): Promise<DemoJobOutcome> {
  const { steps, print, confirm, ...demoOptions } = options;
  const chosen = demoStepsNamed(steps);
  const dir = demoDirOf(demoOptions);
  if (dir && confirm && holdsEarlierDemo(dir) && !(await confirm({ kind: 'replace', dir }))) return { ran: false, declined: 'replace', dir };
  return { ran: true, result: await runDemo(demoOptions, print ?? (() => undefined), chosen) };
}
