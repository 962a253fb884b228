// Connection profiles (passwords split off into the secret store) and the mapping of the host
// editors' connections (SQL Server extension, Azure Data Studio) to our connection specs.
import assert from 'node:assert/strict';
import { makeProfile, ProfileError, ProfileStore, randomProfileId, splitPassword, type KeyValueStore, type SecretStore } from '../../../src/connections/profiles';
import {
  borrowFromMssqlExtension,
  specFromAzdata,
  specFromHostConnectionString,
  specFromMssqlConnectionInfo,
  specFromMssqlExtension,
  type AzdataApiLike,
  type MssqlConnectionInfoLike,
  type MssqlExtensionApiLike,
} from '../../../src/connections/hostConnections';
import { ConnectionError } from '../../../src/db/types';

class MemoryState implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

class MemorySecrets implements SecretStore {
  readonly data = new Map<string, string>();
  async get(key: string) {
    return this.data.get(key);
  }
  async store(key: string, value: string) {
    this.data.set(key, value);
  }
  async delete(key: string) {
    this.data.delete(key);
  }
}

describe('connection profiles', () => {
  it('takes the password out of an ADO string, keeping braces-quoted values intact', () => {
    const r = splitPassword('Server=sql01,1433;Database=ssd;User Id=u;Password={p;w}};d};Encrypt=true');
    assert.equal(r.password, 'p;w};d');
    assert.ok(!/password/i.test(r.address), r.address);
    assert.ok(!r.address.includes('p;w'), r.address);
    // The address without the password still parses to the same server and user.
    const again = splitPassword(r.address);
    assert.equal(again.password, undefined);
    assert.ok(again.spec.kind === 'mssql' && r.spec.kind === 'mssql');
    assert.deepEqual([again.spec.server, again.spec.port, again.spec.database, again.spec.user, again.spec.password], ['sql01', 1433, 'ssd', 'u', undefined]);
  });

  it('takes the (percent-encoded) password out of a URL', () => {
    const r = splitPassword('postgres://me:s%40cret@localhost:5432/db');
    assert.equal(r.password, 's@cret');
    assert.equal(r.address, 'postgres://me@localhost:5432/db');
    const m = splitPassword('mssql://u:pw@h:1433/d?encrypt=true');
    assert.equal(m.password, 'pw');
    assert.ok(!m.address.includes('pw'), m.address);
  });

  it('refuses an access token in a saved profile and a password for an embedded database', () => {
    assert.throws(() => splitPassword('Server=h;Database=d;Access Token=abc'), ProfileError);
    assert.throws(() => makeProfile({ name: 'x', address: 'pglite:/tmp/x', password: 'p' }, () => 'id'), /no password/);
  });

  it('validates the name, the address and the schema', () => {
    assert.throws(() => makeProfile({ name: '  ', address: 'postgres://h/d' }, () => 'id'), /needs a name/);
    assert.throws(() => makeProfile({ name: 'x'.repeat(81), address: 'postgres://h/d' }, () => 'id'), /80 characters/);
    assert.throws(() => makeProfile({ name: 'x', address: 'not a connection string' }, () => 'id'), ProfileError);
    assert.throws(() => makeProfile({ name: 'x', address: 'postgres://h/d', schema: 'bad-schema; drop' }, () => 'id'), ProfileError);
    const ok = makeProfile({ name: ' LA test ', address: 'mssql://u:pw@h:1433/d', schema: 'ssd_development' }, () => 'id1');
    assert.deepEqual(ok.profile, { id: 'id1', name: 'LA test', kind: 'mssql', address: 'mssql://u@h:1433/d', hasPassword: true, schema: 'ssd_development' });
    assert.equal(ok.password, 'pw');
    // A password typed separately wins over one in the address.
    assert.equal(makeProfile({ name: 'x', address: 'mssql://u:old@h/d', password: 'new' }, () => 'i').password, 'new');
  });

  it('keeps profiles in the state store and passwords only in the secret store', async () => {
    const state = new MemoryState();
    const secrets = new MemorySecrets();
    const store = new ProfileStore(state, secrets);
    const a = makeProfile({ name: 'A', address: 'postgres://me:pw1@h/a' }, () => 'a1');
    const b = makeProfile({ name: 'B', address: 'pglite:/tmp/b' }, () => 'b1');
    await store.add(a.profile, a.password);
    await store.add(b.profile, b.password);
    assert.deepEqual(
      store.list().map((p) => p.name),
      ['A', 'B'],
    );
    assert.equal(await store.password('a1'), 'pw1');
    assert.equal(await store.password('b1'), undefined);
    assert.ok(!JSON.stringify([...state.data]).includes('pw1'), 'no password in the state store');
    await assert.rejects(store.add({ ...b.profile, id: 'b2', name: 'b' }), /already exists/);

    await store.setActive({ source: 'profile', id: 'a1' });
    assert.deepEqual(store.active(), { source: 'profile', id: 'a1' });
    assert.equal(await store.remove('a1'), true);
    assert.equal(await store.password('a1'), undefined, 'the password goes with the profile');
    assert.equal(store.active(), undefined, 'removing the active profile clears the choice');
    assert.equal(await store.remove('a1'), false);
  });

  it('ignores malformed stored entries', () => {
    const state = new MemoryState();
    state.data.set('ssd.connections.profiles', [{ id: 'x' }, 'junk', { id: 'p', name: 'P', kind: 'postgres', address: 'postgres://h/d', hasPassword: false }]);
    state.data.set('ssd.connections.active', { source: 'profile', id: 'gone' });
    const store = new ProfileStore(state, new MemorySecrets());
    assert.deepEqual(
      store.list().map((p) => p.id),
      ['p'],
    );
    assert.equal(store.active(), undefined);
  });

  it('updates a profile in place (Edit Connection…): keeps, replaces or removes its password; names stay unique', async () => {
    const state = new MemoryState();
    const secrets = new MemorySecrets();
    const store = new ProfileStore(state, secrets);
    const a = makeProfile({ name: 'A', address: 'postgres://u@h:5432/d', password: 'pw1' }, () => 'aaaa');
    const b = makeProfile({ name: 'B', address: 'postgres://u@h:5432/e' }, () => 'bbbb');
    await store.add(a.profile, a.password);
    await store.add(b.profile);
    const edited = makeProfile({ name: 'A renamed', address: 'postgres://u@h2:5432/d', schema: 'ssd_development' }, () => 'aaaa');
    await store.update(edited.profile, { keep: true });
    assert.deepEqual(store.get('aaaa'), { ...edited.profile, hasPassword: true });
    assert.equal(await store.password('aaaa'), 'pw1');
    await store.update(edited.profile, { value: 'pw2' });
    assert.equal(await store.password('aaaa'), 'pw2');
    await store.update(edited.profile, { value: undefined });
    assert.equal(await store.password('aaaa'), undefined);
    assert.equal(store.get('aaaa')!.hasPassword, false);
    await assert.rejects(store.update({ ...edited.profile, name: 'b' }, { keep: true }), ProfileError);
    await assert.rejects(store.update({ ...edited.profile, id: 'gone' }, { keep: true }), /no longer exists/);
    assert.deepEqual(
      store.list().map((p) => p.name),
      ['A renamed', 'B'],
    );
  });

  it('makes random hex ids', () => {
    const ids = new Set(Array.from({ length: 50 }, randomProfileId));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
  });
});

describe('host editor connections', () => {
  it("maps the SQL Server extension's connection info (server forms, encrypt, port)", () => {
    const s = specFromMssqlConnectionInfo({ server: 'tcp:sql01\\INST,1444', database: 'ssd', user: 'u', password: 'p', authenticationType: 'SqlLogin', encrypt: 'Optional' });
    assert.deepEqual({ ...s }, { kind: 'mssql', server: 'sql01', instanceName: 'INST', port: 1444, database: 'ssd', user: 'u', password: 'p', encrypt: false, trustServerCertificate: false });
    const local = specFromMssqlConnectionInfo({ server: '(local)', authenticationType: 'SqlLogin', encrypt: true, trustServerCertificate: true, port: 1500 });
    assert.equal(local.server, 'localhost');
    assert.equal(local.port, 1500);
    assert.equal(local.encrypt, true);
    assert.equal(local.trustServerCertificate, true);
  });

  it('uses the Entra ID token and refuses integrated authentication', () => {
    const s = specFromMssqlConnectionInfo({ server: 'x.database.windows.net', database: 'd', user: 'me@la.gov.uk', authenticationType: 'AzureMFA', azureAccountToken: 'TOKEN' });
    assert.equal(s.accessToken, 'TOKEN');
    assert.equal(s.user, undefined);
    assert.throws(() => specFromMssqlConnectionInfo({ server: 'x', authenticationType: 'AzureMFA' }), /Entra ID token/);
    assert.throws(() => specFromMssqlConnectionInfo({ server: 'x', authenticationType: 'Integrated' }), ConnectionError);
  });

  it('drops the Authentication keyword when it has the token', () => {
    const s = specFromHostConnectionString('Data Source=sql01;Initial Catalog=ssd;Authentication=ActiveDirectoryInteractive;Encrypt=True', 'TOKEN');
    assert.equal(s.server, 'sql01');
    assert.equal(s.database, 'ssd');
    assert.equal(s.accessToken, 'TOKEN');
    assert.throws(() => specFromHostConnectionString('postgres://h/d'), /not a SQL Server connection/);
  });

  function mssqlApi(info: MssqlConnectionInfoLike | undefined, cs: string | Error): MssqlExtensionApiLike & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      async promptForConnection() {
        calls.push('prompt');
        return info;
      },
      async connect() {
        calls.push('connect');
        if (cs instanceof Error) throw cs;
        return 'uri-1';
      },
      async getConnectionString(uri: string, includePassword?: boolean) {
        calls.push(`cs:${uri}:${includePassword}`);
        if (cs instanceof Error) throw cs;
        return cs;
      },
    };
  }

  it('asks the SQL Server extension for the connection string with the password', async () => {
    const api = mssqlApi({ server: 'sql01', database: 'ssd', user: 'u', authenticationType: 'SqlLogin', profileName: 'LA test' }, 'Server=sql01;Database=ssd;User Id=u;Password=secret;Encrypt=true');
    const got = await specFromMssqlExtension(api);
    assert.ok(got);
    assert.equal(got.label, 'LA test');
    assert.equal(got.spec.password, 'secret');
    assert.deepEqual(api.calls, ['prompt', 'connect', 'cs:uri-1:true']);
  });

  it('falls back to the connection info when the extension cannot give a string', async () => {
    const api = mssqlApi({ server: 'sql01,1500', database: 'ssd', user: 'u', password: 'pw', authenticationType: 'SqlLogin' }, new Error('not supported'));
    const got = await specFromMssqlExtension(api);
    assert.equal(got?.spec.port, 1500);
    assert.equal(got?.spec.password, 'pw');
    assert.equal(await specFromMssqlExtension(mssqlApi(undefined, 'x')), undefined, 'cancelled prompt');
  });

  function azdata(conn: { providerName?: string; options: Record<string, unknown> } | undefined, cs?: string): AzdataApiLike {
    return {
      connection: {
        getCurrentConnection: async () => (conn ? { connectionId: 'c1', ...conn } : undefined),
        getCredentials: async () => ({ password: 'from-credentials' }),
        ...(cs !== undefined ? { getConnectionString: async () => cs } : {}),
      },
    };
  }

  it("reads Azure Data Studio's current connection", async () => {
    assert.equal(await specFromAzdata(azdata(undefined)), undefined);
    await assert.rejects(specFromAzdata(azdata({ providerName: 'PGSQL', options: {} })), /SQL Server connections only/);
    const viaCreds = await specFromAzdata(azdata({ providerName: 'MSSQL', options: { server: 'sql01', database: 'ssd', user: 'u', authenticationType: 'SqlLogin', connectionName: 'Dev' } }));
    assert.equal(viaCreds?.label, 'Dev');
    assert.equal(viaCreds?.spec.password, 'from-credentials');
    const viaString = await specFromAzdata(azdata({ providerName: 'MSSQL', options: { server: 'ignored' } }, 'Server=sql02;Database=d;User Id=v;Password=w'));
    assert.equal(viaString?.spec.server, 'sql02');
    assert.equal(viaString?.spec.password, 'w');
  });

  describe('Windows (Integrated) and Entra MFA sign-ins through the connection sharing API (issue 11)', () => {
    const cell = (v: string) => ({ displayValue: v, isNull: false });
    function sharingApi(info: MssqlConnectionInfoLike, withSharing = true, activeId?: string) {
      const calls: string[] = [];
      const api: MssqlExtensionApiLike = {
        async promptForConnection() {
          calls.push('prompt');
          return info;
        },
        async connect() {
          calls.push('connect');
          return 'uri-x';
        },
        async getConnectionString() {
          calls.push('cs');
          return 'Server=h;Integrated Security=SSPI';
        },
      };
      if (withSharing) {
        api.connectionSharing = {
          async getActiveEditorConnectionId(ext) {
            calls.push(`active:${ext}`);
            return activeId;
          },
          async connect(ext, id, db) {
            calls.push(`share:${ext}:${id}:${db ?? ''}`);
            return 'shared-uri';
          },
          async executeSimpleQuery(uri, q) {
            calls.push(`q:${uri}:${q}`);
            return { rowCount: 1, columnInfo: [{ columnName: 's', dataTypeName: 'nvarchar' }], rows: [[cell('dbo')]] };
          },
          disconnect(uri) {
            calls.push(`disconnect:${uri}`);
          },
        };
      }
      return { api, calls };
    }

    it("runs an Integrated connection over the extension's own connection, by its profile id", async () => {
      const { api, calls } = sharingApi({ server: 'sql01', database: 'HDM', authenticationType: 'Integrated', profileName: 'LA reporting', id: 'prof-7' });
      const got = await borrowFromMssqlExtension(api, 'ssd-workbench.ssd-workbench');
      assert.ok(got && 'open' in got);
      assert.equal(got.label, 'LA reporting');
      assert.equal(got.auth, 'integrated');
      assert.deepEqual(calls, ['prompt'], 'nothing connects before the connection is chosen');
      const db = await got.open();
      assert.equal(db.defaultSchema, 'dbo');
      assert.deepEqual(calls.slice(1), ['share:ssd-workbench.ssd-workbench:prof-7:HDM', 'q:shared-uri:SELECT SCHEMA_NAME() AS s']);
      assert.ok(!calls.includes('cs'), 'no connection string (no password) is asked for');
      await db.close();
      assert.equal(calls.at(-1), 'disconnect:shared-uri');
    });

    it("uses the active editor's connection for Entra MFA when the info has no profile id", async () => {
      const { api, calls } = sharingApi({ server: 'x.database.windows.net', authenticationType: 'AzureMFA' }, true, 'editor-conn');
      const got = await borrowFromMssqlExtension(api, 'ext');
      assert.ok(got && 'open' in got && got.auth === 'entra-mfa');
      await got.open();
      assert.ok(calls.includes('share:ext:editor-conn:'));
    });

    it('says which version of the SQL Server extension is needed when it has no sharing API', async () => {
      const { api } = sharingApi({ server: 'sql01', authenticationType: 'Integrated' }, false);
      await assert.rejects(borrowFromMssqlExtension(api, 'ext'), (e: unknown) => e instanceof ConnectionError && /update the SQL Server \(mssql\) extension to 1\.34 or later/.test(e.message));
      // Entra MFA with an older extension still works with the token it gives.
      const older = sharingApi({ server: 'x.database.windows.net', authenticationType: 'AzureMFA', azureAccountToken: 'TOKEN' }, false);
      older.api.getConnectionString = async () => 'Server=x.database.windows.net;Authentication=ActiveDirectoryInteractive';
      const viaToken = await borrowFromMssqlExtension(older.api, 'ext');
      assert.ok(viaToken && 'spec' in viaToken && viaToken.spec.accessToken === 'TOKEN');
      const none = sharingApi({ server: 'sql01', authenticationType: 'Integrated' }, true, undefined);
      await assert.rejects(borrowFromMssqlExtension(none.api, 'ext'), /open a query editor connected with it/);
    });

    it("keeps SQL logins on our own driver with the extension's connection string", async () => {
      const api = mssqlApi({ server: 'sql01', user: 'u', authenticationType: 'SqlLogin' }, 'Server=sql01;User Id=u;Password=pw');
      const got = await borrowFromMssqlExtension(api, 'ext');
      assert.ok(got && 'spec' in got);
      assert.equal(got.spec.password, 'pw');
    });
  });

  it('keeps a Windows password asked later in the secret store (ProfileStore.setPassword)', async () => {
    const state = new MemoryState();
    const secrets = new MemorySecrets();
    const store = new ProfileStore(state, secrets);
    const made = makeProfile({ name: 'LA', address: 'Server=sql01;Database=HDM;Domain=COUNCIL;User Id=jbloggs' }, () => 'id1');
    assert.equal(made.profile.hasPassword, false);
    await store.add(made.profile);
    await store.setPassword('id1', 'Win-pass1');
    assert.equal(store.get('id1')?.hasPassword, true);
    assert.equal(await store.password('id1'), 'Win-pass1');
    assert.ok(!JSON.stringify([...state.data]).includes('Win-pass1'));
    await assert.rejects(store.setPassword('gone', 'x'), ProfileError);
    // A password the server refused is forgotten, so it is asked again.
    await store.forgetPassword('id1');
    assert.equal(store.get('id1')?.hasPassword, false);
    assert.equal(await store.password('id1'), undefined);
  });
});
