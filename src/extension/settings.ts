// The extension's settings, read fresh each time (they can change while a window is open).
import * as vscode from 'vscode';
import { validateIdentifier } from '../db/dialect';
import { todayAsOf } from '../model/asOf';

export interface SsdSettings {
  /** '' when not set. */
  schema: string;
  /** YYYY-MM-DD; today (local date) when not set. */
  asOf: string;
  laCode: string | undefined;
  partialPayloads: boolean;
  hashIgnoresEntityIds: boolean;
  childrenPageSize: number;
  demoChildren: number;
  fakeChildren: number;
  fakeSeed: number;
  fakeDevSchemas: string[];
  stopOnError: boolean;
  /** Run Script: each table's refresh in one transaction (default true). */
  atomicRefresh: boolean;
  /** DfE API endpoint settings for SSD: Send Staged Payloads ('' when not set; never secrets). */
  apiBaseUrl: string;
  apiTokenUrl: string;
  apiScope: string;
  apiClientId: string;
  /** SQL Server: CA file ('' when not set), lock wait and command limit in seconds (0 = none). */
  sqlServerCaFile: string;
  lockTimeoutSeconds: number;
  commandTimeoutSeconds: number;
}

/** Today, YYYY-MM-DD: the local date (the one definition, src/model/asOf.ts todayAsOf). */
export function todayLocal(): string {
  return todayAsOf();
}

export function readSettings(): SsdSettings {
  const c = vscode.workspace.getConfiguration('ssd');
  const trusted = vscode.workspace.isTrusted;
  const schemaRaw = (c.get<string>('schema', '') ?? '').trim();
  let schema = '';
  if (schemaRaw) {
    try {
      schema = validateIdentifier(schemaRaw, 'schema');
    } catch {
      schema = '';
    }
  }
  const asOfRaw = (c.get<string>('asOf', '') ?? '').trim();
  const laRaw = (c.get<string>('laCode', '') ?? '').trim();
  const dev = trusted ? c.get<string[]>('fake.devSchemas', []) : (c.inspect<string[]>('fake.devSchemas')?.globalValue ?? []);
  return {
    schema,
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(asOfRaw) ? asOfRaw : todayLocal(),
    laCode: /^\d{3}$/.test(laRaw) ? laRaw : undefined,
    partialPayloads: c.get<boolean>('payload.partial', false),
    hashIgnoresEntityIds: c.get<boolean>('staging.hashIgnoresEntityIds', false),
    childrenPageSize: clampInt(c.get<number>('children.pageSize', 100), 10, 1000, 100),
    demoChildren: clampInt(c.get<number>('demo.children', 1000), 10, 100000, 1000),
    fakeChildren: clampInt(c.get<number>('fake.children', 1000), 1, 1000000, 1000),
    fakeSeed: clampInt(c.get<number>('fake.seed', 1), -2147483648, 2147483647, 1),
    fakeDevSchemas: (Array.isArray(dev) ? dev : []).filter((s) => typeof s === 'string' && /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/.test(s)),
    stopOnError: c.get<boolean>('script.stopOnError', true),
    atomicRefresh: c.get<boolean>('script.atomicRefresh', true) !== false,
    apiBaseUrl: text(c.get<string>('api.baseUrl', '')),
    apiTokenUrl: text(c.get<string>('api.tokenUrl', '')),
    apiScope: text(c.get<string>('api.scope', '')),
    apiClientId: text(c.get<string>('api.clientId', '')),
    sqlServerCaFile: text(c.get<string>('sqlServer.caFile', '')),
    lockTimeoutSeconds: clampInt(c.get<number>('sqlServer.lockTimeoutSeconds', 600), 0, 86_400, 600),
    commandTimeoutSeconds: clampInt(c.get<number>('sqlServer.commandTimeoutSeconds', 7200), 0, 604_800, 7200),
  };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function clampInt(v: unknown, min: number, max: number, dflt: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : dflt;
  return Math.min(max, Math.max(min, n));
}
