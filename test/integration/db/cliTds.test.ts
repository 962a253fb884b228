// The built CLI (dist/cli.cjs, made by `npm run build`) as a user runs it, against the scripted TDS
// server (test/helpers/tdsServer.ts): what the bundle does on the wire must match the sources —
// a self-signed certificate refused in one line, a script's batches in one session in the login's
// language, Windows sign-in without msnodesqlv8 in one line, never a stack trace.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTdsServer, type TdsServer } from '../../helpers/tdsServer';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const cli = join(root, 'dist/cli.cjs');
const tls = (f: string) => readFileSync(join(root, 'test/fixtures/tls', f), 'utf8');
const script = join(root, 'test/fixtures/scripts/tds_session.sql');

function ssd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const env = { ...process.env };
    delete env.SSD_DB;
    delete env.SSD_CA_FILE;
    delete env.SSD_LOCK_TIMEOUT;
    execFile(process.execPath, [cli, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the built CLI against the scripted TDS server', function () {
  this.timeout(120_000);
  let server: TdsServer | undefined;
  before(() => assert.ok(existsSync(cli), 'dist/cli.cjs is missing: run `npm run build` first (npm test does)'));
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('refuses a self-signed certificate in one line naming TrustServerCertificate=true; with it, runs every batch in one session', async () => {
    server = await startTdsServer({ encryption: 'on', tls: { key: tls('selfsigned.key'), cert: tls('selfsigned.pem') }, loginLanguage: 'British' });
    const db = `Server=127.0.0.1,${server.port};Database=ssd;User Id=u;Password=Pw-secret1;Encrypt=true`;
    const refused = await ssd(['run', script, '--db', db, '--no-preflight', '--no-drift']);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /self-signed certificate.*TrustServerCertificate=true/);
    assert.ok(!refused.stderr.includes('Pw-secret1'));
    const ok = await ssd(['run', script, '--db', `${db};TrustServerCertificate=true`, '--no-preflight', '--no-drift']);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    const batches = server.requests.filter((q) => q.kind === 'batch' && /#ssd_session_probe/.test(q.sql));
    assert.equal(batches.length, 3);
    assert.equal(new Set(batches.map((b) => b.conn.spid)).size, 1);
    assert.equal(batches[0]!.conn.encrypted, true);
    assert.equal(batches[0]!.conn.language, 'British');
  });

  it('Trusted_Connection without msnodesqlv8: one line saying how to install it, exit 2', async () => {
    const r = await ssd(['preflight', '--db', 'Server=127.0.0.1,1;Database=ssd;Trusted_Connection=yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ssd: Windows sign-in \(Trusted_Connection=yes \/ Integrated Security=SSPI\) needs the msnodesqlv8 driver.*npm i -g msnodesqlv8.*ODBC Driver 18/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
