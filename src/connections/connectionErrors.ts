// Connection failures in words an analyst can act on: which connection, what went wrong (the
// server cannot be reached, the login was refused, the certificate is not trusted, the database
// does not exist, the embedded folder is in use or missing) and what to do, in one line. Pure:
// maps the errors the drivers raise (pg, tedious through mssql, PGlite, ours) to a message.
// Never quotes a password: the text goes through redactSecrets.
import { redactSecrets } from '../db/connectionSpec';

export type ConnectionProblem = 'unknown-host' | 'unreachable' | 'timeout' | 'login' | 'no-password' | 'certificate' | 'database-missing' | 'schema-missing' | 'in-use' | 'no-embedded' | 'other';

interface Facts {
  text: string;
  codes: string[];
}

/** Every message and code along the error and its causes (mssql wraps tedious, ours wrap both). */
function facts(err: unknown): Facts {
  const texts: string[] = [];
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (e === null || e === undefined || depth > 6 || seen.has(e)) return;
    seen.add(e);
    if (typeof e === 'string') {
      texts.push(e);
      return;
    }
    if (typeof e !== 'object') {
      texts.push(String(e));
      return;
    }
    const o = e as { message?: unknown; code?: unknown; number?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown; details?: { code?: unknown } };
    if (typeof o.message === 'string') texts.push(o.message);
    for (const c of [o.code, o.number, o.details?.code]) if (typeof c === 'string' || typeof c === 'number') codes.push(String(c));
    visit(o.cause, depth + 1);
    visit(o.originalError, depth + 1);
    if (Array.isArray(o.errors)) for (const x of o.errors) visit(x, depth + 1);
  };
  visit(err, 0);
  return { text: texts.join(' | '), codes };
}

/** What went wrong, from the driver's codes and words. */
export function classifyConnectionError(err: unknown): ConnectionProblem {
  const { text, codes } = facts(err);
  const has = (...cs: string[]) => cs.some((c) => codes.includes(c));
  // Embedded (PGlite) folders.
  if (/is in use by|can be opened by one process at a time/i.test(text)) return 'in-use';
  if (/no embedded database at|is not an embedded database/i.test(text)) return 'no-embedded';
  // The database (SQL Server 4060 says "Cannot open database … The login failed": the database comes first).
  if (has('3D000', '4060', 'ORA-12514', 'NJS-518') || /database "[^"]*" does not exist|cannot open database/i.test(text)) return 'database-missing';
  if (/schema "[^"]*" does not exist|the schema .* does not exist/i.test(text)) return 'schema-missing';
  // Certificates and TLS.
  if (
    /SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_/.test(codes.join(' ')) ||
    /self[- ]signed certificate|unable to verify the first certificate|certificate (has expired|is not trusted|chain)|unable to get (local )?issuer certificate|hostname\/IP does not match|does not support SSL|certificate verify failed|altnames/i.test(
      text,
    )
  )
    return 'certificate';
  // Sign-in.
  if (/client password must be a string|asks for a password and none was given|needs its password/i.test(text)) return 'no-password';
  if (
    has('28P01', '28000', 'ELOGIN', '18456', 'ORA-01017', 'ORA-28000', 'ORA-28001') ||
    /password authentication failed|login failed|no pg_hba\.conf entry|role "[^"]*" does not exist|authentication failed/i.test(text)
  )
    return 'login';
  // The network.
  if (has('ETIMEOUT', 'ETIMEDOUT', 'NJS-510') || /timeout expired|timed out|connection timeout|in \d+ ?ms/i.test(text)) return 'timeout';
  if (has('ENOTFOUND', 'EAI_AGAIN') || /getaddrinfo (ENOTFOUND|EAI_AGAIN)/.test(text)) return 'unknown-host';
  if (
    has('ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ESOCKET', 'NJS-503', 'NJS-511', 'ORA-12541') ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|getaddrinfo|could not connect|failed to connect|connection refused/i.test(text)
  )
    return 'unreachable';
  return 'other';
}

const ADVICE: Record<Exclude<ConnectionProblem, 'other'>, string> = {
  'unknown-host': 'this machine cannot find a server of that name. Check the server name (Edit Connection… changes it) and that the network or VPN that knows it is connected',
  unreachable: 'cannot reach the server. Check the server name and port, that the server is running and that this machine can reach it (VPN, firewall)',
  timeout: 'the server did not answer in time. Check the server name and port and your network (VPN, firewall); a busy server may need a longer Connect Timeout=',
  login: 'the server refused the login. Check the user name and password (Edit Connection… to change them) and that this login may use the database',
  'no-password': "the server asks for a password and none was given. Add it with Edit Connection… (it is kept in the editor's secret storage)",
  certificate:
    "the server's certificate is not trusted. Set ssd.sqlServer.caFile to your authority's CA certificate (PEM), or ask the DBA for a certificate signed by a trusted authority; TrustServerCertificate=true skips the check (not for live data)",
  'database-missing': 'the database does not exist on that server (or this login cannot open it). Use Edit Connection… to check the Database= (or path) part of the address',
  'schema-missing': 'the schema does not exist in that database. Use Edit Connection… or the ssd.schema setting to correct it',
  'in-use': 'the embedded database folder is in use by another process (a terminal running ssd, or another window). Close that, then try again',
  'no-embedded': 'there is no embedded database in that folder. Use Edit Connection… to correct the path, or make one with ssd init or ssd demo',
};

/** Where the driver said it tried to connect (host:port, or the host it could not look up). */
function endpoint(text: string): string | undefined {
  const m = /Failed to connect to (\S+?:\d+)/i.exec(text) ?? /\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH) (\S+?:\d+)/.exec(text) ?? /getaddrinfo E[A-Z_]+ ([^\s|)]+)/.exec(text);
  return m?.[1];
}

/** One readable line: the connection, what went wrong and what to do. No passwords, no line breaks. */
export function connectionErrorMessage(label: string, err: unknown, secrets: readonly (string | undefined)[] = []): string {
  const problem = classifyConnectionError(err);
  const { text } = facts(err);
  const where = problem === 'unreachable' || problem === 'timeout' || problem === 'unknown-host' ? endpoint(text) : undefined;
  const name = `"${label}"`;
  let line: string;
  if (problem === 'other') {
    // Not one we know: the driver's own words, shortened to one line.
    const first = (err instanceof Error ? err.message : typeof err === 'string' ? err : text) || 'unknown error';
    const shortened = first.replace(/^cannot (connect to|open) [^:]*: /i, '');
    line = `Could not open ${name}: ${shortened}`;
  } else {
    line = `Could not open ${name}${where ? ` (${where})` : ''}: ${ADVICE[problem]}.`;
  }
  line = redactSecrets(line.replace(/\s*[\r\n]+\s*/g, ' '), [...secrets]);
  return line.length > 400 ? `${line.slice(0, 397)}…` : line;
}
