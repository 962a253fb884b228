// The `ssd` command-line tool. Each capability registers its own subcommands; this file only
// assembles them. Exit codes: 0 done, 1 the job found problems, 2 bad usage or no connection.
import { Command, CommanderError, Option } from 'commander';
import { asOfRangeProblem, connectionOptions, EXIT } from '../cliSupport/common';
import { registerInit } from '../ddl/cli';
import { registerCheck } from '../check/cli';
import { registerPayload } from '../payload/cli';
import { registerStage } from '../staging/cli';
import { registerSend } from '../send/cli';
import { registerFake } from '../fake/cli';
import { registerDemo } from '../demo/cli';
import { registerRun, registerPreflight, registerDrift } from '../script/cli';
import { registerMosaic } from '../script/mosaicCli';
import { registerSql } from '../sqlCatalogue/cli';
import { registerScramble } from '../scramble/cli';
import { registerPhases } from '../phases/cli';

declare const SSD_VERSION: string | undefined;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ssd')
    .description("SSD Workbench: deploy, check and stage the Standard Safeguarding Dataset and build DfE children's social care API payloads.")
    .version(typeof SSD_VERSION === 'string' ? SSD_VERSION : 'dev')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      "\nEvery command takes --db (or SSD_DB) and most take --schema (or SSD_SCHEMA).\nExit codes: 0 done, 1 the job found problems, 2 bad usage or no connection.\nRun `ssd <command> --help` for a command's options.",
    );
  program.exitOverride();
  registerInit(program);
  registerCheck(program);
  registerPayload(program);
  registerStage(program);
  registerSend(program);
  registerFake(program);
  registerDemo(program);
  registerRun(program);
  registerPreflight(program);
  registerDrift(program);
  registerMosaic(program);
  registerScramble(program);
  registerPhases(program);
  // Every command with --as-of takes --force to accept a date outside 2000–2100 (a typo such as
  // 9999-12-31 or 0202-08-10 is refused otherwise, exit 2).
  for (const c of program.commands) {
    if (c.options.some((o) => o.long === '--as-of') && !c.options.some((o) => o.long === '--force')) {
      c.addOption(new Option('--force', 'accept an --as-of date outside 2000–2100'));
    }
  }
  program.hook('preAction', (_program, command) => {
    const o = command.opts<{ asOf?: unknown; force?: unknown }>();
    const problem = typeof o.asOf === 'string' && !o.force ? asOfRangeProblem(o.asOf) : undefined;
    if (problem) command.error(`ssd: ${problem}`, { exitCode: EXIT.USAGE, code: 'ssd.asOfRange' });
  });
  // Every command that connects also takes the SQL Server certificate and lock-wait options.
  for (const c of program.commands) if (c.options.some((o) => o.long === '--db')) for (const o of connectionOptions()) c.addOption(o);
  registerSql(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
      // `ssd` with no command prints the help as an error (exit 2); `ssd help` asks for it (exit 0).
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return EXIT.USAGE;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
}
