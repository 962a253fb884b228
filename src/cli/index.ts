// Entry point of the bundled CLI (dist/cli.cjs).
import { main } from './main';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ssd: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

// `ssd ... | head` closes stdout early: stop quietly rather than crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
