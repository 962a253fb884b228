// A small scripted SQL Server on 127.0.0.1 that speaks the TDS protocol (MS-TDS), so the SQL
// Server driver is tested through tedious and the wire, not a stubbed Request. It does what a test
// needs and no more:
// - PRELOGIN with the encryption answer the test chooses ('notsup', 'off', 'on', 'req'); with 'on'
//   or 'req' the TLS handshake runs inside PRELOGIN packets and the rest of the connection is TLS,
//   as a real server does (a certificate and key must be given).
// - LOGIN7: parsed (user, database, language, application, SSPI/NTLM negotiate, flags) and kept
//   for the test; answered with LOGINACK and ENVCHANGE (database, language) or a login error;
//   with `ntlm`, an NTLM challenge (SSPI token) and then the client's NTLM AUTHENTICATE message.
// - SQLBatch, RPC (sp_executesql: the statement text is read) and transaction manager requests
//   (BEGIN/COMMIT/ROLLBACK) are handed to the test's handler, which answers with tokens built by
//   the helpers below (COLMETADATA/ROW/DONE/ERROR/INFO); an answer may wait for ATTENTION, which
//   is acknowledged as a real server does (DONE with the attention bit).
// Every request is recorded with the id (SPID) of the connection it arrived on.
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';

const PKT = { BATCH: 0x01, RPC: 0x03, REPLY: 0x04, ATTENTION: 0x06, TXN: 0x0e, LOGIN7: 0x10, SSPI: 0x11, PRELOGIN: 0x12 } as const;

export interface Login7Info {
  tdsVersion: number;
  packetSize: number;
  clientPid: number;
  optionFlags1: number;
  optionFlags2: number;
  optionFlags3: number;
  /** OptionFlags2 fIntSecurity: the client asked for integrated (SSPI) authentication. */
  integratedSecurity: boolean;
  hostName: string;
  userName: string;
  /** The password as the server decodes it (tests check it arrived intact; never printed). */
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  /** Empty when the client leaves the language to the login's default. */
  language: string;
  database: string;
  /** SSPI data (the NTLM NEGOTIATE message for tedious's ntlm authentication). */
  sspi: Buffer;
}

export interface NtlmAuthenticate {
  domain: string;
  user: string;
  workstation: string;
  ntResponseLength: number;
}

export interface TdsConnection {
  /** The session id the server gave this connection (also in every reply packet header). */
  readonly spid: number;
  login?: Login7Info;
  ntlm?: NtlmAuthenticate;
  /** Whether this connection's traffic after PRELOGIN is TLS. */
  encrypted: boolean;
  /** The session's language: the login's default unless LOGIN7 or SET LANGUAGE chose one. */
  language: string;
  /** The last SET LOCK_TIMEOUT value (ms), -1 before any. */
  lockTimeout: number;
  /** ATTENTION messages (cancels) received. */
  attentions: number;
  /** The first SQL batch after login (tedious's session settings). */
  initialSql?: string;
  requests: TdsRequest[];
  /** Session state a handler may keep (e.g. #temp tables created on this connection). */
  state: Map<string, unknown>;
  closed: boolean;
}

export interface TdsRequest {
  kind: 'batch' | 'rpc' | 'txn-begin' | 'txn-commit' | 'txn-rollback';
  /** The SQL text (batch text, or sp_executesql's statement); '' for transaction requests. */
  sql: string;
  /** sp_executesql's second argument (parameter declarations), when RPC. */
  paramDecl?: string;
  conn: TdsConnection;
}

export interface Reply {
  tokens: Buffer[];
  /** Send nothing until the client sends ATTENTION, then acknowledge it. */
  waitForAttention?: boolean;
  /** Wait this long before answering (the answer is dropped if ATTENTION arrives first). */
  delayMs?: number;
}

export type Handler = (req: TdsRequest) => Reply | Buffer[] | undefined;

export interface TdsServerOptions {
  /** PRELOGIN ENCRYPTION answer: notsup (default), off, on, req. on/req need `tls`. */
  encryption?: 'notsup' | 'off' | 'on' | 'req';
  tls?: { key: string | Buffer; cert: string | Buffer; minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion };
  /** The login's default language, used when LOGIN7 leaves the language empty (default us_english). */
  loginLanguage?: string;
  /** Refuse a login: return an error message (error 18456). */
  checkLogin?: (login: Login7Info, ntlm?: NtlmAuthenticate) => string | undefined;
  /** Answer an SSPI login with an NTLM challenge (tedious's ntlm authentication). */
  ntlm?: boolean;
  handler?: Handler;
}

export interface TdsServer {
  readonly port: number;
  readonly connections: TdsConnection[];
  /** Every request on every connection, in arrival order. */
  readonly requests: TdsRequest[];
  /** Close every client connection from the server side (a lost connection), and go on listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- token builders

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const ucs2 = (s: string) => Buffer.from(s, 'utf16le');
const bVarchar = (s: string) => Buffer.concat([Buffer.from([s.length]), ucs2(s)]);
const usVarchar = (s: string) => Buffer.concat([u16(s.length), ucs2(s)]);

export const DONE = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, COUNT: 0x10, ATTN: 0x20 } as const;

export function done(options: { status?: number; count?: number; more?: boolean; error?: boolean; token?: number } = {}): Buffer {
  let status = options.status ?? 0;
  if (options.count !== undefined) status |= DONE.COUNT;
  if (options.more) status |= DONE.MORE;
  if (options.error) status |= DONE.ERROR;
  return Buffer.concat([Buffer.from([options.token ?? 0xfd]), u16(status), u16(0xc1), u64(options.count ?? 0)]);
}

function message(token: number, m: { number: number; message: string; state?: number; severity?: number; line?: number; proc?: string }): Buffer {
  const body = Buffer.concat([i32(m.number), Buffer.from([m.state ?? 1, m.severity ?? 16]), usVarchar(m.message), bVarchar('tdsfake'), bVarchar(m.proc ?? ''), i32(m.line ?? 1)]);
  return Buffer.concat([Buffer.from([token]), u16(body.length), body]);
}
export const error = (m: Parameters<typeof message>[1]): Buffer => message(0xaa, m);
export const info = (m: Parameters<typeof message>[1]): Buffer => message(0xab, { severity: 0, ...m });

export type ColumnType = 'int' | 'nvarchar';
const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]); // Latin1_General_CI_AS

export function colmetadata(columns: { name: string; type: ColumnType }[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x81]), u16(columns.length)];
  for (const c of columns) {
    parts.push(u32(0), u16(0x0009)); // user type; flags: nullable, updatable unknown
    if (c.type === 'int') parts.push(Buffer.from([0x26, 4]));
    else parts.push(Buffer.from([0xe7]), u16(8000), COLLATION);
    parts.push(bVarchar(c.name));
  }
  return Buffer.concat(parts);
}

export function row(columns: { type: ColumnType }[], values: (string | number | null)[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0xd1])];
  columns.forEach((c, i) => {
    const v = values[i];
    if (c.type === 'int') parts.push(v === null || v === undefined ? Buffer.from([0]) : Buffer.concat([Buffer.from([4]), i32(Number(v))]));
    else if (v === null || v === undefined) parts.push(u16(0xffff));
    else {
      const b = ucs2(String(v));
      parts.push(u16(b.length), b);
    }
  });
  return Buffer.concat(parts);
}

/** A result set: COLMETADATA, ROWs and the DONE with its count (MORE set: a statement follows). */
export function resultSet(columns: { name: string; type: ColumnType }[], rows: (string | number | null)[][], more = false): Buffer[] {
  return [colmetadata(columns), ...rows.map((r) => row(columns, r)), done({ count: rows.length, more })];
}

function envchange(type: number, newValue: Buffer, oldValue: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from([type]), newValue, oldValue]);
  return Buffer.concat([Buffer.from([0xe3]), u16(body.length), body]);
}
const envString = (type: number, nv: string, ov: string) => envchange(type, bVarchar(nv), bVarchar(ov));
const envBytes = (type: number, nv: Buffer, ov: Buffer) => envchange(type, Buffer.concat([Buffer.from([nv.length]), nv]), Buffer.concat([Buffer.from([ov.length]), ov]));

function loginAck(): Buffer {
  const body = Buffer.concat([Buffer.from([1, 0x74, 0x00, 0x00, 0x04]), bVarchar('Microsoft SQL Server'), Buffer.from([16, 0, 0x10, 0x00])]);
  return Buffer.concat([Buffer.from([0xad]), u16(body.length), body]);
}

// ---------------------------------------------------------------- parsing what the client sends

function readUcs2(buf: Buffer, offset: number, chars: number): string {
  return buf.subarray(offset, offset + chars * 2).toString('utf16le');
}

/** LOGIN7 password bytes are nibble-swapped and XORed with 0xA5. */
function decodePassword(buf: Buffer): string {
  const out = Buffer.alloc(buf.length);
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]! ^ 0xa5;
    out[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return out.toString('utf16le');
}

export function parseLogin7(p: Buffer): Login7Info {
  const field = (at: number) => ({ off: p.readUInt16LE(at), len: p.readUInt16LE(at + 2) });
  const text = (at: number) => {
    const f = field(at);
    return readUcs2(p, f.off, f.len);
  };
  const pw = field(44);
  const sspi = field(78);
  const flags2 = p[25]!;
  return {
    tdsVersion: p.readUInt32LE(4),
    packetSize: p.readUInt32LE(8),
    clientPid: p.readUInt32LE(16),
    optionFlags1: p[24]!,
    optionFlags2: flags2,
    optionFlags3: p[27]!,
    integratedSecurity: (flags2 & 0x80) !== 0,
    hostName: text(36),
    userName: text(40),
    password: decodePassword(p.subarray(pw.off, pw.off + pw.len * 2)),
    appName: text(48),
    serverName: text(52),
    libraryName: text(60),
    language: text(64),
    database: text(68),
    sspi: Buffer.from(p.subarray(sspi.off, sspi.off + sspi.len)),
  };
}

function parseNtlmAuthenticate(b: Buffer): NtlmAuthenticate {
  const sec = (at: number) => ({ len: b.readUInt16LE(at), off: b.readUInt32LE(at + 4) });
  const str = (at: number) => {
    const s = sec(at);
    return b.subarray(s.off, s.off + s.len).toString('utf16le');
  };
  if (b.subarray(0, 8).toString('latin1') !== 'NTLMSSP\0' || b.readUInt32LE(8) !== 3) throw new Error('not an NTLM AUTHENTICATE message');
  return { ntResponseLength: sec(20).len, domain: str(28), user: str(36), workstation: str(44) };
}

function ntlmChallenge(domain: string): Buffer {
  const dom = ucs2(domain);
  // Target info: MsvAvNbDomainName, then MsvAvEOL.
  const target = Buffer.concat([u16(2), u16(dom.length), dom, u16(0), u16(0)]);
  const head = Buffer.alloc(56);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(dom.length, 12);
  head.writeUInt16LE(dom.length, 14);
  head.writeUInt32LE(56, 16);
  head.writeUInt32LE(0x628a8215, 20); // negotiate flags (unicode, NTLM, target info, version, 128-bit, ...)
  Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).copy(head, 24); // server challenge
  head.writeUInt16LE(target.length, 40);
  head.writeUInt16LE(target.length, 42);
  head.writeUInt32LE(56 + dom.length, 44);
  Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]).copy(head, 48); // version
  return Buffer.concat([head, dom, target]);
}

/** After ALL_HEADERS: the rest of a SQLBatch or RPC payload. */
function skipAllHeaders(p: Buffer): Buffer {
  const total = p.readUInt32LE(0);
  return p.subarray(total);
}

/** sp_executesql's @stmt and @params (the first two NVARCHAR arguments), or the procedure name. */
function parseRpc(p: Buffer): { sql: string; paramDecl?: string } {
  let b = skipAllHeaders(p);
  let o = 0;
  const nameLen = b.readUInt16LE(o);
  o += 2;
  let proc: string;
  if (nameLen === 0xffff) {
    proc = `procid:${b.readUInt16LE(o)}`;
    o += 2;
  } else {
    proc = readUcs2(b, o, nameLen);
    o += nameLen * 2;
  }
  o += 2; // option flags
  const values: string[] = [];
  while (o < b.length && values.length < 2) {
    const pn = b[o]!;
    o += 1 + pn * 2; // parameter name
    o += 1; // status flags
    const type = b[o]!;
    o += 1;
    if (type !== 0xe7 && type !== 0xef) break;
    const max = b.readUInt16LE(o);
    o += 2;
    o += 5; // collation
    if (max === 0xffff) {
      // PLP: total length (8), then chunks (4-byte length) ending with a 0 length.
      const total = b.readBigUInt64LE(o);
      o += 8;
      const chunks: Buffer[] = [];
      if (total !== 0xffffffffffffffffn) {
        for (;;) {
          const n = b.readUInt32LE(o);
          o += 4;
          if (!n) break;
          chunks.push(b.subarray(o, o + n));
          o += n;
        }
      }
      values.push(Buffer.concat(chunks).toString('utf16le'));
    } else {
      const n = b.readUInt16LE(o);
      o += 2;
      values.push(n === 0xffff ? '' : b.subarray(o, o + n).toString(type === 0xe7 ? 'utf16le' : 'latin1'));
      if (n !== 0xffff) o += n;
    }
  }
  b = Buffer.alloc(0);
  if (proc !== 'procid:10' && proc.toLowerCase() !== 'sp_executesql') return { sql: `EXEC ${proc}` };
  return values.length > 1 ? { sql: values[0] ?? '', paramDecl: values[1]! } : { sql: values[0] ?? '' };
}

// ---------------------------------------------------------------- PRELOGIN

function preloginReply(encryption: number): Buffer {
  // Options: VERSION(0) 6 bytes, ENCRYPTION(1) 1 byte, INSTOPT(2) 1 byte, THREADID(3) 0, MARS(4) 1 byte.
  const opts: [number, Buffer][] = [
    [0, Buffer.from([16, 0, 0x10, 0x00, 0, 0])],
    [1, Buffer.from([encryption])],
    [2, Buffer.from([0])],
    [3, Buffer.alloc(0)],
    [4, Buffer.from([0])],
  ];
  const headerLen = opts.length * 5 + 1;
  const head: Buffer[] = [];
  const data: Buffer[] = [];
  let off = headerLen;
  for (const [t, d] of opts) {
    const h = Buffer.alloc(5);
    h[0] = t;
    h.writeUInt16BE(off, 1);
    h.writeUInt16BE(d.length, 3);
    head.push(h);
    data.push(d);
    off += d.length;
  }
  return Buffer.concat([...head, Buffer.from([0xff]), ...data]);
}

const ENCRYPTION = { off: 0, on: 1, notsup: 2, req: 3 } as const;

// ---------------------------------------------------------------- the server

/** Splits a byte stream into TDS messages (packets joined until end-of-message). */
class PacketReader {
  private buf = Buffer.alloc(0);
  private parts: Buffer[] = [];
  constructor(private readonly onMessage: (type: number, payload: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt16BE(2);
      if (this.buf.length < len) return;
      const type = this.buf[0]!;
      const status = this.buf[1]!;
      this.parts.push(this.buf.subarray(8, len));
      this.buf = this.buf.subarray(len);
      if (type === PKT.ATTENTION) {
        this.parts = [];
        this.onMessage(type, Buffer.alloc(0));
        continue;
      }
      if (status & 0x01) {
        const payload = Buffer.concat(this.parts);
        this.parts = [];
        this.onMessage(type, payload);
      }
    }
  }
}

function packets(type: number, spid: number, payload: Buffer, size = 4096): Buffer {
  const out: Buffer[] = [];
  const max = size - 8;
  let id = 1;
  for (let o = 0; o < payload.length || o === 0; o += max) {
    const part = payload.subarray(o, o + max);
    const last = o + max >= payload.length;
    const h = Buffer.alloc(8);
    h[0] = type;
    h[1] = last ? 1 : 0;
    h.writeUInt16BE(part.length + 8, 2);
    h.writeUInt16BE(spid, 4);
    h[6] = id++ & 0xff;
    out.push(h, part);
    if (last) break;
  }
  return Buffer.concat(out);
}

/**
 * What the server answers when the test's handler has none: the driver's own session queries
 * (default schema, session id and language, lock timeout), else one DONE per batch.
 */
export function defaultReply(req: TdsRequest): Reply {
  const c = req.conn;
  const lock = /SET LOCK_TIMEOUT (-?\d+)/i.exec(req.sql);
  if (lock) c.lockTimeout = Number(lock[1]);
  const lang = /^\s*SET LANGUAGE (\S+?);?\s*$/i.exec(req.sql);
  if (lang) {
    c.language = lang[1]!;
    return { tokens: [done()] };
  }
  if (/^\s*SELECT SCHEMA_NAME\(\) AS s\s*$/i.test(req.sql)) return { tokens: resultSet([{ name: 's', type: 'nvarchar' }], [['dbo']]) };
  if (/SELECT @@SPID AS spid, @@LANGUAGE AS language/i.test(req.sql)) {
    return {
      tokens: [
        ...(lock ? [done({ more: true })] : []),
        ...resultSet(
          [
            { name: 'spid', type: 'int' },
            { name: 'language', type: 'nvarchar' },
          ],
          [[c.spid, c.language]],
        ),
      ],
    };
  }
  if (/^\s*SELECT 1 AS ok\s*$/i.test(req.sql)) return { tokens: resultSet([{ name: 'ok', type: 'int' }], [[1]]) };
  return { tokens: [done()] };
}

export async function startTdsServer(options: TdsServerOptions = {}): Promise<TdsServer> {
  const connections: TdsConnection[] = [];
  const requests: TdsRequest[] = [];
  const sockets = new Set<net.Socket>();
  let nextSpid = 51;
  const encryption = options.encryption ?? 'notsup';
  if ((encryption === 'on' || encryption === 'req') && !options.tls) throw new Error('encryption on/req needs a certificate and key');
  // An old server (TLS 1.0/1.1) needs OpenSSL's old ciphers allowed to answer at all.
  const old = options.tls?.maxVersion === 'TLSv1' || options.tls?.maxVersion === 'TLSv1.1';
  const secureContext = options.tls
    ? tls.createSecureContext({
        key: options.tls.key,
        cert: options.tls.cert,
        ...(options.tls.minVersion ? { minVersion: options.tls.minVersion } : {}),
        ...(options.tls.maxVersion ? { maxVersion: options.tls.maxVersion } : {}),
        ...(old ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
      })
    : undefined;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      conn.closed = true;
    });
    socket.on('error', () => undefined);
    const conn: TdsConnection = { spid: nextSpid++, encrypted: false, language: options.loginLanguage ?? 'us_english', lockTimeout: -1, attentions: 0, requests: [], state: new Map(), closed: false };
    connections.push(conn);
    let sawInitialSql = false;
    let pendingAttention: (() => void) | undefined;
    let pendingTimer: NodeJS.Timeout | undefined;
    let txn = 0;

    // Where replies go: the socket, or the TLS layer once the connection is encrypted.
    let send = (type: number, payload: Buffer) => {
      if (!socket.destroyed) socket.write(packets(type, conn.spid, payload));
    };

    // TLS inside PRELOGIN packets during the handshake, raw TLS records after it.
    let handshake: { raw: Duplex; tlsSocket: tls.TLSSocket; out: Buffer[]; timer?: NodeJS.Timeout } | undefined;
    let tlsActive = false;

    const reader = new PacketReader((type, payload) => {
      try {
        onMessage(type, payload);
      } catch (e) {
        socket.destroy(e as Error);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (tlsActive && handshake) {
        handshake.raw.push(chunk);
        return;
      }
      reader.push(chunk);
    });

    const startTls = (): void => {
      let secureSeen = false;
      const flush = () => {
        const data = Buffer.concat(handshake!.out);
        handshake!.out = [];
        if (data.length) socket.write(packets(PKT.PRELOGIN, conn.spid, data));
        // The client answers the last flight with LOGIN7 as raw TLS records.
        if (secureSeen && !tlsActive) {
          tlsActive = true;
          conn.encrypted = true;
          send = (type, p) => {
            if (!tlsSocket.destroyed) tlsSocket.write(packets(type, conn.spid, p));
          };
        }
      };
      const schedule = () => {
        // The server's flight of handshake records goes back as one PRELOGIN message.
        if (handshake!.timer) clearTimeout(handshake!.timer);
        handshake!.timer = setTimeout(flush, 10);
      };
      const raw = new Duplex({
        read() {
          /* pushed from the socket */
        },
        write(chunk: Buffer, _enc, cb) {
          if (tlsActive) socket.write(chunk);
          else {
            handshake!.out.push(chunk);
            schedule();
          }
          cb();
        },
      });
      const tlsSocket = new tls.TLSSocket(raw as unknown as net.Socket, { isServer: true, secureContext: secureContext! });
      handshake = { raw, tlsSocket, out: [] };
      const clearReader = new PacketReader((type, payload) => {
        try {
          onMessage(type, payload);
        } catch (e) {
          socket.destroy(e as Error);
        }
      });
      tlsSocket.on('secure', () => {
        secureSeen = true;
        schedule();
      });
      tlsSocket.on('data', (c: Buffer) => clearReader.push(c));
      // A failed handshake: send the alert the TLS layer wrote (e.g. protocol version), then close.
      tlsSocket.on('error', () => {
        if (handshake!.timer) clearTimeout(handshake!.timer);
        flush();
        setTimeout(() => socket.destroy(), 50);
      });
    };

    const reply = (r: Reply): void => {
      const write = () => {
        pendingAttention = undefined;
        pendingTimer = undefined;
        send(PKT.REPLY, Buffer.concat(r.tokens));
      };
      if (r.waitForAttention) {
        pendingAttention = () => undefined;
        return;
      }
      if (r.delayMs) {
        pendingAttention = () => undefined;
        pendingTimer = setTimeout(write, r.delayMs);
        return;
      }
      write();
    };

    const handle = (req: TdsRequest): void => {
      conn.requests.push(req);
      requests.push(req);
      const got = options.handler?.(req);
      const r: Reply = got === undefined ? defaultReply(req) : Array.isArray(got) ? { tokens: got } : got;
      if (got !== undefined) defaultReply(req); // keep the session state (language, lock timeout) current
      reply(r);
    };

    function onMessage(type: number, payload: Buffer): void {
      switch (type) {
        case PKT.PRELOGIN: {
          if (handshake) {
            handshake.raw.push(payload);
            return;
          }
          const enc = ENCRYPTION[encryption];
          send(PKT.REPLY, preloginReply(enc));
          // The client asked for encryption (or the server requires it): TLS follows.
          const clientEnc = readPreloginEncryption(payload);
          if (encryption === 'req' || (encryption === 'on' && clientEnc !== ENCRYPTION.notsup)) startTls();
          return;
        }
        case PKT.LOGIN7: {
          const login = parseLogin7(payload);
          conn.login = login;
          if (login.integratedSecurity && options.ntlm) {
            const ch = ntlmChallenge('SSDFAKE');
            send(PKT.REPLY, Buffer.concat([Buffer.from([0xed]), u16(ch.length), ch]));
            return;
          }
          finishLogin();
          return;
        }
        case PKT.SSPI: {
          conn.ntlm = parseNtlmAuthenticate(payload);
          finishLogin();
          return;
        }
        case PKT.BATCH: {
          const sql = skipAllHeaders(payload).toString('utf16le');
          if (!sawInitialSql) {
            sawInitialSql = true;
            conn.initialSql = sql;
            const m = /set language (\S+)/i.exec(sql);
            const tokens: Buffer[] = [];
            if (m && m[1] !== conn.language) {
              tokens.push(envString(2, m[1]!, conn.language));
              conn.language = m[1]!;
            }
            send(PKT.REPLY, Buffer.concat([...tokens, done()]));
            return;
          }
          handle({ kind: 'batch', sql, conn });
          return;
        }
        case PKT.RPC:
          handle({ kind: 'rpc', ...parseRpc(payload), conn });
          return;
        case PKT.TXN: {
          const op = skipAllHeaders(payload).readUInt16LE(0);
          const kind = op === 5 ? 'txn-begin' : op === 7 ? 'txn-commit' : 'txn-rollback';
          conn.requests.push({ kind, sql: '', conn });
          requests.push({ kind, sql: '', conn });
          const desc = Buffer.alloc(8);
          desc.writeUInt32LE(conn.spid * 1000 + ++txn);
          const tokens = kind === 'txn-begin' ? [envBytes(8, desc, Buffer.alloc(0)), done()] : [envBytes(kind === 'txn-commit' ? 9 : 10, Buffer.alloc(0), desc), done()];
          send(PKT.REPLY, Buffer.concat(tokens));
          return;
        }
        case PKT.ATTENTION: {
          // A request still waiting for its answer: end that answer (one message), then
          // acknowledge the attention in the next message, as SQL Server does.
          conn.attentions++;
          if (pendingTimer) clearTimeout(pendingTimer);
          if (pendingAttention) send(PKT.REPLY, done({ error: true }));
          pendingAttention = undefined;
          pendingTimer = undefined;
          send(PKT.REPLY, done({ status: DONE.ATTN }));
          return;
        }
        default:
          socket.destroy();
      }
    }

    function finishLogin(): void {
      const login = conn.login!;
      const refused = options.checkLogin?.(login, conn.ntlm);
      if (refused) {
        send(PKT.REPLY, Buffer.concat([error({ number: 18456, message: refused, state: 1, severity: 14 }), done({ error: true })]));
        return;
      }
      // An empty LOGIN7 language means "the login's default", as a real server does.
      if (login.language) conn.language = login.language;
      send(PKT.REPLY, Buffer.concat([loginAck(), envString(1, login.database || 'master', 'master'), envString(2, conn.language, ''), envString(4, '4096', '4096'), done()]));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections,
    requests,
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readPreloginEncryption(p: Buffer): number {
  for (let o = 0; o < p.length && p[o] !== 0xff; o += 5) {
    if (p[o] === 1) return p[p.readUInt16BE(o + 1)]!;
  }
  return ENCRYPTION.notsup;
}
