// `ssd send`: send the staging table's queue to the DfE children's social care API (or, by default,
// a dry run that builds and validates the requests and sends nothing). Secrets come only from the
// environment or a hidden prompt, never from options or settings.
import { Command, Option } from 'commander';
import { terminalProgress } from '../cliSupport/progress';
import { readFakeMark } from '../fake/fakeMarker';
import { action, cliLogger, dbOption, EXIT, jsonOption, openFromOptions, out, parseSchema, printJson, UsageError } from '../cliSupport/common';
import { STAGING_TABLES } from '../staging/stagingTable';
import { skippedText } from '../phases/phases';
import type { ApiEndpoint } from './apiClient';
import { MAX_BATCH } from './batching';
import { Redactor } from './redact';
import { checkLaCode, SEND_MODES, type SendMode, type SendReport } from './runSend';
import { runSendJob } from './job';

export const SECRET_ENV = { clientSecret: 'SSD_API_CLIENT_SECRET', supplierKey: 'SSD_API_SUPPLIER_KEY' } as const;

interface SendCliOptions {
  db?: string;
  schema?: string;
  table: string;
  laCode?: string;
  mode: string;
  baseUrl?: string;
  tokenUrl?: string;
  scope?: string;
  clientId?: string;
  batchSize: string;
  limit?: string;
  timeout: string;
  partial?: boolean;
  yesSendLive?: boolean;
  allowMassDeletion?: boolean;
  yesSkipPhases?: boolean;
  allowFakeToTest?: boolean;
  json?: boolean;
  verbose?: boolean;
}

const GROUP_LIMIT = 20;
const IDS_PER_GROUP = 10;

function n(v: number): string {
  return v.toLocaleString('en-GB');
}

function count(v: number, word: string): string {
  return `${n(v)} ${word}${v === 1 ? '' : 's'}`;
}

/** Read a line from the terminal without echoing it. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError('no terminal to ask for a secret');
  process.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          return;
        }
        if (ch === '\u0003') {
          done(new UsageError('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function secret(envName: string, label: string): Promise<string> {
  const v = process.env[envName];
  if (v) return v;
  if (process.stdin.isTTY) {
    const typed = await promptHidden(`${label} (not shown; set ${envName} to skip this question): `);
    if (typed) return typed;
  }
  throw new UsageError(`no ${label}: set the environment variable ${envName} (secrets are never taken from options or settings)`);
}

function whole(value: string | undefined, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(v) || v < min || v > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}`);
  return v;
}

/** The records not sent, one group per outcome and reason (the la_child_id an API names is each record's own). */
export function groupIssues(issues: SendReport['issues']): Array<{ outcome: string; reason: string; personIds: string[] }> {
  const groups = new Map<string, { outcome: string; reason: string; personIds: string[] }>();
  for (const i of issues) {
    const reason = i.reason.replace(/; la_child_id [^;]*/, '');
    const key = `${i.outcome}\u0000${reason}`;
    let g = groups.get(key);
    if (!g) {
      g = { outcome: i.outcome, reason, personIds: [] };
      groups.set(key, g);
    }
    g.personIds.push(i.personId);
  }
  return [...groups.values()];
}

export function printSendReport(r: SendReport, write: (line: string) => void = out): void {
  const where = `${r.schema}.${r.table}`;
  if (r.mode === 'dry-run') {
    write(`Dry run of ${where}: nothing was sent and nothing was written${r.partial ? ' (partial mode)' : ''}`);
    write(`  queued    ${n(r.queued).padStart(9)}  (${n(r.full)} full, ${n(r.partialPayloads)} partial, ${n(r.deletions)} deletion payloads would be sent)`);
    write(`  requests  ${n(r.batches).padStart(9)}  (up to ${r.batchSize} children each; largest ${n(Math.max(0, ...r.batchSizes))} children, ${n(Math.ceil(r.largestRequestBytes / 1024))} KiB)`);
    write(`  invalid   ${n(r.invalid).padStart(9)}${r.invalid ? '  (fail the DfE schema: would not be sent)' : ''}`);
    if (r.deletionsQueued > r.deletionLimit) {
      write(`Safety stop: ${n(r.deletionsQueued)} deletion payloads (purges at the DfE) are queued, more than the ${n(r.deletionLimit)} a test or live run sends without --allow-mass-deletion.`);
    }
    if (r.url) write(`Endpoint: POST ${r.url}`);
  } else {
    write(`Sent ${where} to the ${r.mode} endpoint POST ${r.url}${r.partial ? ' (partial mode)' : ''}`);
    const rows: Array<[string, number, string?]> = [
      ['queued', r.queued, `${n(r.full)} full, ${n(r.partialPayloads)} partial, ${n(r.deletions)} deletion payloads`],
      ['Sent', r.sent, r.supersededWhileSending ? `${n(r.supersededWhileSending)} restaged meanwhile: their new payload stays queued` : undefined],
      ['rejected', r.rejected, r.rejected ? 'by the API, one by one (Error, reason in api_response)' : undefined],
      ['failed', r.failed, r.failed ? 'request failed (Error, retried next run)' : undefined],
      ['invalid', r.invalid, r.invalid ? 'fail the DfE schema (Error, not sent)' : undefined],
      ['not sent', r.notSent, r.notSent ? 'the run stopped first (left as they were)' : undefined],
      ...(r.stopped
        ? [['not read', r.notRead ?? 0, r.notRead === null ? 'could not be counted' : r.notRead ? 'still queued: the run stopped before reading them' : undefined] as [string, number, string?]]
        : []),
    ];
    for (const [label, v, note] of rows) write(`  ${label.padEnd(9)} ${n(v).padStart(9)}${note ? `  (${note})` : ''}`);
    write(`  requests  ${n(r.requests).padStart(9)}  (${count(r.retries, 'retry').replace('retrys', 'retries')}, ${count(r.tokenRequests, 'token request')})`);
  }
  if (r.issues.length) {
    write('Records not sent, by reason (outcome, reason, person ids):');
    const groups = groupIssues(r.issues);
    for (const g of groups.slice(0, GROUP_LIMIT)) {
      write(`  ${g.outcome}  ${g.reason}`);
      const more = g.personIds.length - IDS_PER_GROUP;
      write(`    ${count(g.personIds.length, 'record')}: ${g.personIds.slice(0, IDS_PER_GROUP).join(', ')}${more > 0 ? ` … and ${n(more)} more (--json lists them all)` : ''}`);
    }
    if (groups.length > GROUP_LIMIT) write(`  … and ${n(groups.length - GROUP_LIMIT)} more reasons (--json lists them all)`);
  }
  if (r.stopped) write(`Stopped early: ${r.stopped.reason}`);
  write(`Took ${r.seconds.toFixed(1)} s.`);
}

export function sendExitCode(r: SendReport): number {
  if (r.stopped?.kind === 'auth' || r.stopped?.kind === 'lock-lost') return EXIT.USAGE;
  if (r.stopped || r.invalid || r.rejected || r.failed || r.notSent) return EXIT.PROBLEMS;
  return EXIT.OK;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description("send the staging table's queue to the DfE children's social care API (default: a dry run that sends nothing)")
    .addOption(dbOption())
    .addOption(new Option('--schema <name>', 'schema of the staging table (default: public / dbo)').env('SSD_SCHEMA'))
    .addOption(new Option('--table <name>', 'staging table').choices([...STAGING_TABLES]).default('ssd_api_data_staging'))
    .addOption(new Option('--mode <mode>', 'dry-run builds and checks the requests, sends nothing; test / live send').choices([...SEND_MODES]).default('dry-run'))
    .addOption(new Option('--la-code <NNN>', "the LA's 3-digit code (in the URL only)").env('SSD_LA_CODE'))
    .addOption(new Option('--base-url <url>', 'API base URL, e.g. https://…/children-in-social-care-data-receiver-test/1').env('SSD_API_BASE_URL'))
    .addOption(new Option('--token-url <url>', 'OAuth2 token endpoint').env('SSD_API_TOKEN_URL'))
    .addOption(new Option('--scope <scope>', 'OAuth2 scope').env('SSD_API_SCOPE'))
    .addOption(new Option('--client-id <id>', 'OAuth2 client id').env('SSD_API_CLIENT_ID'))
    .addOption(new Option('--batch-size <n>', `children per request, 1–${MAX_BATCH}`).default(String(MAX_BATCH)))
    .addOption(new Option('--limit <n>', 'send at most this many records this run'))
    .addOption(new Option('--timeout <seconds>', 'timeout of every HTTP request').default('30'))
    .addOption(new Option('--partial', 'send partial payloads for Updated children (New children and deletions always in full)'))
    .addOption(new Option('--yes-send-live', 'required with --mode live: you mean to send to the live DfE endpoint this run'))
    .addOption(new Option('--allow-mass-deletion', 'send more than max(25, 2% of the acknowledged children) deletion payloads (purges) this run'))
    .addOption(
      new Option(
        '--allow-fake-to-test',
        'with --mode test: send fake data (a schema filled by ssd fake or ssd demo) to the DfE test endpoint this run, for phase 1 of ssd phases; fake data is never sent live',
      ),
    )
    .addOption(new Option('--yes-skip-phases', 'with --mode live: send although phases 1-3 of connection testing (ssd phases) have no record of success in this database'))
    .addOption(jsonOption())
    .addOption(new Option('-v, --verbose', 'log progress and retries to stderr'))
    .addHelpText(
      'after',
      '\nSecrets come only from the environment (or a hidden prompt on a terminal):\n' +
        `  ${SECRET_ENV.clientSecret}  the OAuth2 client secret\n  ${SECRET_ENV.supplierKey}   the supplier (subscription) key\n\n` +
        'Examples:\n  ssd send --db pglite:./ssd-db --table ssd_api_data_staging_anon\n' +
        '  ssd send --db postgres://me@host/la --mode test --la-code 845 --base-url https://… --token-url https://… --scope api://…/.default --client-id …\n\n' +
        'Exit codes: 0 every record sent (dry run: every request valid); 1 some records were rejected, failed, invalid or not sent, or a safety stop; 2 bad usage, no connection, no token, or another run holds the staging table.\nSee docs/sending.md.',
    )
    .action(
      action(async (opts: SendCliOptions) => {
        const mode = opts.mode as SendMode;
        const schema = parseSchema(opts.schema);
        const batchSize = whole(opts.batchSize, '--batch-size', 1, MAX_BATCH)!;
        const limit = whole(opts.limit, '--limit', 1, Number.MAX_SAFE_INTEGER);
        const timeoutSeconds = whole(opts.timeout, '--timeout', 1, 600)!;
        let endpoint: ApiEndpoint | undefined;
        const redactor = new Redactor();
        if (mode !== 'dry-run') {
          if (opts.allowFakeToTest && mode !== 'test') throw new UsageError('--allow-fake-to-test is for --mode test only: fake data is never sent to the live endpoint');
          if (mode === 'live' && !opts.yesSendLive) throw new UsageError("--mode live sends children's data to the live DfE endpoint: add --yes-send-live to confirm, each run");
          const missing = [
            ['--la-code', opts.laCode],
            ['--base-url', opts.baseUrl],
            ['--token-url', opts.tokenUrl],
            ['--scope', opts.scope],
            ['--client-id', opts.clientId],
          ]
            .filter(([, v]) => !v)
            .map(([k]) => k);
          if (missing.length) throw new UsageError(`--mode ${mode} needs ${missing.join(', ')}`);
          checkLaCode(opts.laCode);
          const clientSecret = await secret(SECRET_ENV.clientSecret, 'client secret');
          const supplierKey = await secret(SECRET_ENV.supplierKey, 'supplier key');
          redactor.add(clientSecret);
          redactor.add(supplierKey);
          endpoint = { baseUrl: opts.baseUrl!, tokenUrl: opts.tokenUrl!, laCode: opts.laCode!, clientId: opts.clientId!, scope: opts.scope!, clientSecret, supplierKey };
        }
        const controller = new AbortController();
        const logger = cliLogger(opts);
        const db = await openFromOptions(opts);
        let interrupts = 0;
        const onSigint = () => {
          interrupts++;
          if (interrupts === 1) {
            process.stderr.write('ssd: cancelling: the request in flight is abandoned (its records stay queued for the next run); Ctrl+C again cancels the database statement\n');
            controller.abort();
          } else {
            void db.cancel();
          }
        };
        process.on('SIGINT', onSigint);
        // A line on the terminal while it works (none with --json or when stderr is not a terminal).
        const progress = terminalProgress('ssd send', { enabled: !opts.json, text: 'reading the send queue' });
        progress.waitingFor(mode === 'dry-run' ? 'the database' : 'the database or the DfE API (a slow answer, or a retry after a pause)');
        try {
          if (opts.allowFakeToTest) {
            // Only with --mode test (refused above otherwise), where the fake-data rule lets it through.
            const mark = await readFakeMark(db, schema ?? db.defaultSchema);
            // Said every time, before anything is sent: what goes where, by the user's choice.
            process.stderr.write(
              mark
                ? `ssd: --allow-fake-to-test: sending the FAKE data staged in ${mark.schema}.${opts.table} to the DfE TEST endpoint ${hostOf(opts.baseUrl!)} (phase 1 of ssd phases), as you chose for this run\n`
                : `ssd: --allow-fake-to-test: ${schema ?? db.defaultSchema} holds no fake-data marker; sending as a normal test run\n`,
            );
          }
          // The send job (job.ts): the options answer its questions (--yes-send-live was required above).
          const outcome = await runSendJob(db, {
            mode,
            schema,
            table: opts.table,
            partial: !!opts.partial,
            batchSize,
            limit,
            endpoint,
            allowMassDeletion: !!opts.allowMassDeletion,
            allowFakeToTest: !!opts.allowFakeToTest,
            baseUrl: opts.baseUrl,
            laCode: opts.laCode,
            policy: { requestTimeoutMs: timeoutSeconds * 1000 },
            signal: controller.signal,
            logger: {
              ...logger,
              warn: (m: string) => {
                progress.clear();
                logger.warn(m);
              },
            },
            confirm: (q) => (q.kind === 'send' ? q.mode !== 'live' || !!opts.yesSendLive : !!opts.yesSkipPhases),
            onProgress: ({ records, sent }) => {
              progress.update(mode === 'dry-run' ? `${records.toLocaleString('en-GB')} records checked` : `${records.toLocaleString('en-GB')} records read, ${sent.toLocaleString('en-GB')} sent`);
              if (opts.verbose) logger.debug(`${records} records read, ${sent} sent`);
            },
          }).finally(() => progress.done());
          if (!outcome.ran) {
            if ('declined' in outcome && outcome.declined === 'skip-phases') {
              throw new UsageError(
                `sending live data to the live endpoint before the test phases have succeeded: this database has no record of ${skippedText(outcome.skipped ?? [])}. See \`ssd phases\`; add --yes-skip-phases to send anyway`,
              );
            }
            throw new UsageError("--mode live sends children's data to the live DfE endpoint: add --yes-send-live to confirm, each run");
          }
          const r = outcome.report;
          if (opts.json) printJson(r);
          else printSendReport(r);
          return sendExitCode(r);
        } catch (e) {
          if (e instanceof Error && (e.name === 'TokenError' || e.name === 'TableLockedError')) {
            process.stderr.write(`ssd: ${redactor.text(e.message)}\n`);
            return EXIT.USAGE;
          }
          if (e instanceof Error) e.message = redactor.text(e.message);
          throw e;
        } finally {
          process.off('SIGINT', onSigint);
          await db.close().catch(() => undefined);
        }
      }),
    );
}
