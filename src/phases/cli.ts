// `ssd phases`: where the LA is on the phased connection-testing path (fake → scrambled → live to
// test → live to live), from the staging tables and the send history.
import { Command, Option } from 'commander';
import { action, dbOption, EXIT, jsonOption, out, printJson, UsageError } from '../cliSupport/common';
import { openDb } from '../db/openDb';
import type { Db } from '../db/types';
import { readPhases, type PhasesReport } from './phases';

interface PhasesCliOptions {
  db?: string;
  also: string[];
  json?: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-GB');

export function printPhases(r: PhasesReport, write: (line?: string) => void = out): void {
  write(`Phased connection testing (looked in every schema of: ${r.databases.join('; ')})`);
  write('');
  for (const p of r.phases) {
    write(`  ${p.done ? '[done]   ' : '[not yet]'} ${p.no}. ${p.title}`);
    const facts = [`${fmt(p.staged)} staged`, `${fmt(p.runs)} send run(s)`, `${fmt(p.posted)} sent`, `${fmt(p.acknowledged)} acknowledged`];
    if (p.date) facts.push(`last ${p.date.replace('T', ' ').slice(0, 16)}`);
    write(`             ${facts.join(', ')}`);
    for (const w of p.where.slice(0, 3)) write(`             in ${w.schema}.${w.table}`);
    if (p.next) write(`             next: ${p.next}`);
  }
  write('');
  write(r.current ? `You are at phase ${r.current}.` : 'All four phases are done.');
}

export function registerPhases(program: Command): void {
  program
    .command('phases')
    .description('show where you are on the phased connection-testing path: fake, scrambled and live data to the DfE test endpoint, then live')
    .addOption(dbOption())
    .addOption(new Option('--also <url>', 'another database to look in (e.g. where the scrambled copy is); repeatable').argParser((v: string, prev: string[] = []) => [...prev, v]).default([]))
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 shown; 2 bad usage or no connection. See docs/scramble.md "Phased connection testing".')
    .action(
      action(async (opts: PhasesCliOptions) => {
        if (!opts.db) throw new UsageError('no database given: pass --db (or set SSD_DB)');
        const dbs: Db[] = [];
        try {
          for (const url of [opts.db, ...opts.also]) dbs.push(await openDb(url));
          const r = await readPhases(dbs);
          if (opts.json) printJson(r);
          else printPhases(r);
          return EXIT.OK;
        } finally {
          for (const d of dbs) await d.close().catch(() => undefined);
        }
      }),
    );
}
