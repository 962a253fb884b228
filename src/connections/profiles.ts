// Connection profiles: the user's own named connections (SQL Server, PostgreSQL, embedded PGlite).
// Pure core, no 'vscode': the extension supplies a key-value store (globalState) and a secret store
// (SecretStorage). A profile never holds a password: the address is stored with the password
// removed, and the password goes to the secret store under the profile's id.
import { parseAdoString, parseConnectionString, type ConnectionSpec } from '../db/connectionSpec';
import { validateIdentifier } from '../db/dialect';
import type { DriverKind } from '../db/types';

export interface ConnectionProfile {
  /** Stable random id (also the secret's key suffix). */
  readonly id: string;
  /** What the user calls it ("LA test server"). */
  readonly name: string;
  readonly kind: DriverKind;
  /** Connection string or URL, never with a password in it. */
  readonly address: string;
  /** Schema holding the SSD tables; undefined = the `ssd.schema` setting or the connection default. */
  readonly schema?: string;
  /** Whether a password is kept in the secret store for this profile. */
  readonly hasPassword: boolean;
}

/** What the extension's globalState offers (a subset of vscode.Memento). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What the extension's SecretStorage offers. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The chosen connection, persisted between sessions (host-editor connections are not persisted). */
export type ActiveChoice = { source: 'demo' } | { source: 'profile'; id: string };

const PROFILES_KEY = 'ssd.connections.profiles';
const ACTIVE_KEY = 'ssd.connections.active';
const secretKey = (id: string) => `ssd.connections.password.${id}`;

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Quote an ADO value when it needs it ({…} with '}' doubled). */
function adoValue(v: string): string {
  return /[;{}'"=]|^\s|\s$/.test(v) ? `{${v.replace(/}/g, '}}')}}` : v;
}

/**
 * Split an address into the address without its password, and the password (if it held one).
 * Accepts every form parseConnectionString accepts; throws ProfileError when it is not valid.
 */
export function splitPassword(address: string): { address: string; password?: string; spec: ConnectionSpec } {
  const text = address.trim();
  let spec: ConnectionSpec;
  try {
    spec = parseConnectionString(text);
  } catch (e) {
    throw new ProfileError((e as Error).message);
  }
  const lower = text.toLowerCase();
  if (/^(postgres|postgresql|mssql|sqlserver|oracle):\/\//.test(lower)) {
    const u = new URL(text);
    if (!u.password) return { address: text, spec };
    const password = decodeURIComponent(u.password);
    u.password = '';
    return { address: u.toString(), password, spec };
  }
  if (spec.kind === 'mssql') {
    const kv = parseAdoString(text);
    let password: string | undefined;
    const parts: string[] = [];
    for (const [k, v] of kv) {
      if (k === 'password' || k === 'pwd') {
        password = v;
        continue;
      }
      if (k === 'access token' || k === 'accesstoken')
        throw new ProfileError("an access token cannot be saved in a profile: use SQL authentication, or the SQL Server extension's connection for Entra ID");
      parts.push(`${k}=${adoValue(v)}`);
    }
    return password === undefined ? { address: parts.join(';'), spec } : { address: parts.join(';'), password, spec };
  }
  return { address: text, spec };
}

/** Validate the user's input and make a profile (plus the password to keep in the secret store). */
export function makeProfile(input: { name: string; address: string; schema?: string; password?: string }, newId: () => string): { profile: ConnectionProfile; password?: string } {
  const name = input.name.trim();
  if (!name) throw new ProfileError('a connection needs a name');
  if (name.length > 80) throw new ProfileError('a connection name is at most 80 characters');
  const { address, password: inAddress, spec } = splitPassword(input.address);
  let schema: string | undefined;
  if (input.schema !== undefined && input.schema.trim() !== '') {
    try {
      schema = validateIdentifier(input.schema.trim(), 'schema');
    } catch (e) {
      throw new ProfileError((e as Error).message);
    }
  }
  const password = input.password !== undefined && input.password !== '' ? input.password : inAddress;
  if (password !== undefined && spec.kind === 'pglite') throw new ProfileError('an embedded database has no password');
  const profile: ConnectionProfile = { id: newId(), name, kind: spec.kind, address, hasPassword: password !== undefined, ...(schema ? { schema } : {}) };
  return password === undefined ? { profile } : { profile, password };
}

/** Profiles kept in a key-value store, their passwords in a secret store. */
export class ProfileStore {
  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {}

  list(): ConnectionProfile[] {
    const raw = this.state.get<unknown>(PROFILES_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(isProfile);
  }

  get(id: string): ConnectionProfile | undefined {
    return this.list().find((p) => p.id === id);
  }

  async add(profile: ConnectionProfile, password?: string): Promise<void> {
    const all = this.list();
    if (all.some((p) => p.name.toLowerCase() === profile.name.toLowerCase())) {
      throw new ProfileError(`a connection named "${profile.name}" already exists`);
    }
    if (password !== undefined) await this.secrets.store(secretKey(profile.id), password);
    await this.state.update(PROFILES_KEY, [...all, { ...profile, hasPassword: password !== undefined }]);
  }

  /**
   * Replace a saved profile (Edit Connection…): same id, new name, address and schema. The
   * password is kept, replaced or removed as asked.
   */
  async update(profile: ConnectionProfile, password: { keep: true } | { value: string | undefined }): Promise<void> {
    const all = this.list();
    const old = all.find((p) => p.id === profile.id);
    if (!old) throw new ProfileError('that connection no longer exists');
    if (all.some((p) => p.id !== profile.id && p.name.toLowerCase() === profile.name.toLowerCase())) {
      throw new ProfileError(`a connection named "${profile.name}" already exists`);
    }
    let hasPassword = old.hasPassword;
    if (!('keep' in password)) {
      if (password.value === undefined) {
        await this.secrets.delete(secretKey(profile.id));
        hasPassword = false;
      } else {
        await this.secrets.store(secretKey(profile.id), password.value);
        hasPassword = true;
      }
    }
    await this.state.update(
      PROFILES_KEY,
      all.map((p) => (p.id === profile.id ? { ...profile, hasPassword } : p)),
    );
  }

  async remove(id: string): Promise<boolean> {
    const all = this.list();
    const next = all.filter((p) => p.id !== id);
    if (next.length === all.length) return false;
    await this.secrets.delete(secretKey(id));
    await this.state.update(PROFILES_KEY, next);
    const active = this.active();
    if (active?.source === 'profile' && active.id === id) await this.state.update(ACTIVE_KEY, undefined);
    return true;
  }

  password(id: string): PromiseLike<string | undefined> {
    return this.secrets.get(secretKey(id));
  }

  /** Forget a saved password (a Windows password the server refused: it is asked again next time). */
  async forgetPassword(id: string): Promise<void> {
    await this.secrets.delete(secretKey(id));
    await this.state.update(
      PROFILES_KEY,
      this.list().map((p) => (p.id === id ? { ...p, hasPassword: false } : p)),
    );
  }

  /** Keep a password asked for later (a Windows account's, asked once) in the secret store. */
  async setPassword(id: string, password: string): Promise<void> {
    const all = this.list();
    if (!all.some((p) => p.id === id)) throw new ProfileError('that connection no longer exists');
    await this.secrets.store(secretKey(id), password);
    await this.state.update(
      PROFILES_KEY,
      all.map((p) => (p.id === id ? { ...p, hasPassword: true } : p)),
    );
  }

  active(): ActiveChoice | undefined {
    const raw = this.state.get<ActiveChoice>(ACTIVE_KEY);
    if (!raw || typeof raw !== 'object') return undefined;
    if (raw.source === 'demo') return raw;
    if (raw.source === 'profile' && typeof raw.id === 'string' && this.get(raw.id)) return raw;
    return undefined;
  }

  async setActive(choice: ActiveChoice | undefined): Promise<void> {
    await this.state.update(ACTIVE_KEY, choice);
  }
}

function isProfile(x: unknown): x is ConnectionProfile {
  if (!x || typeof x !== 'object') return false;
  const p = x as Record<string, unknown>;
  return (
    typeof p.id === 'string' &&
    typeof p.name === 'string' &&
    typeof p.address === 'string' &&
    (p.kind === 'mssql' || p.kind === 'postgres' || p.kind === 'pglite' || p.kind === 'oracle') &&
    typeof p.hasPassword === 'boolean'
  );
}

/** A random profile id (hex). */
export function randomProfileId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
