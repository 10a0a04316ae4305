/**
 * The connection store: connections are added, edited (a null password keeps the stored one)
 * and removed; summaries never carry a password; with an encrypting SecretBox the file never
 * holds the password as typed; every write replaces the file whole, with mode 0600, and a
 * failed write changes nothing; a corrupted file is reported by name and never overwritten.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionStore, FILE_PERMISSIONS_BOX, connectionsFileBeside, type SecretBox } from '../../core/host/connections';
import type { ConnectionDraft } from '../../core/host/contract';
import { KafkaError } from '../../core/protocol/errors';

const dirs: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-connections-'));
  dirs.push(dir);
  return join(dir, 'connections.json');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A reversible stand-in for the system keychain: the sealed text never contains the plain one. */
const reversingBox: SecretBox = {
  encrypted: true,
  seal: (plain) => `sealed:${Buffer.from([...plain].reverse().join('')).toString('base64')}`,
  open: (sealed) => [...Buffer.from(sealed.replace(/^sealed:/, ''), 'base64').toString()].reverse().join(''),
};

function draft(overrides: Partial<ConnectionDraft> = {}): ConnectionDraft {
  return {
    name: 'staging',
    bootstrapServers: 'kafka-1.internal:9092,kafka-2.internal:9092',
    clientId: 'brokerscope',
    tls: { enabled: true, caFile: null, rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'correct horse battery staple' },
    readOnly: false,
    pollIntervalMs: 2_000,
    watchedGroups: [],
    ...overrides,
  };
}

function errorOf(action: () => unknown): KafkaError {
  try {
    action();
  } catch (error) {
    if (error instanceof KafkaError) return error;
    throw error;
  }
  throw new Error('expected the action to fail');
}

describe('ConnectionStore', () => {
  it('adds, edits keeping the stored password, and removes', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, reversingBox);
    const id = store.save(draft());
    expect(id).toMatch(/^conn-[0-9a-f]{12}$/);
    expect(store.resolve(id).sasl?.password).toBe('correct horse battery staple');

    store.save(draft({ id, name: 'staging eu', readOnly: true, sasl: { mechanism: 'scram-sha-256', username: 'bob', password: null } }));
    const reopened = new ConnectionStore(file, reversingBox);
    const resolved = reopened.resolve(id);
    expect(resolved).toMatchObject({ id, name: 'staging eu', readOnly: true, sasl: { mechanism: 'scram-sha-256', username: 'bob', password: 'correct horse battery staple' } });

    reopened.save(draft({ id, name: 'staging eu', sasl: { mechanism: 'plain', username: 'bob', password: 'new secret' } }));
    expect(reopened.resolve(id).sasl?.password).toBe('new secret');
    reopened.save(draft({ id, name: 'staging eu', sasl: null }));
    expect(reopened.resolve(id).sasl).toBeNull();

    reopened.remove(id);
    expect(reopened.list()).toEqual([]);
    expect(new ConnectionStore(file, reversingBox).list()).toEqual([]);
    expect(errorOf(() => reopened.remove(id)).message).toContain(`no saved connection '${id}'`);
  });

  it('never puts a password in a summary, nor the plain password in the file when the box encrypts', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, reversingBox);
    const id = store.save(draft());
    const [summary] = store.list();
    expect(summary).toEqual({
      id,
      name: 'staging',
      bootstrapServers: 'kafka-1.internal:9092,kafka-2.internal:9092',
      clientId: 'brokerscope',
      tls: { enabled: true, caFile: null, rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'alice', hasPassword: true },
      readOnly: false,
      pollIntervalMs: 2_000,
      watchedGroups: [],
      secretsEncrypted: true,
    });
    expect(JSON.stringify(store.list())).not.toContain('correct horse');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('correct horse battery staple');
    expect(text).toContain('sealed:');
  });

  it('says honestly when passwords are only protected by the file’s permissions', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, FILE_PERMISSIONS_BOX);
    store.save(draft());
    store.save(draft({ name: 'no sasl', sasl: null }));
    expect(store.list().map((c) => c.secretsEncrypted)).toEqual([false, false]);
    expect(JSON.stringify(store.list())).not.toContain('correct horse');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    // A password sealed by the keychain cannot be read without it: a clear error, not garbage.
    const sealed = new ConnectionStore(tempFile(), reversingBox);
    const id = sealed.save(draft());
    const withoutKeychain = new ConnectionStore(sealed.file, FILE_PERMISSIONS_BOX);
    expect(withoutKeychain.list()[0].secretsEncrypted).toBe(true);
    expect(errorOf(() => withoutKeychain.resolve(id)).message).toContain('keychain, which is not available now');
  });

  it('refuses bad drafts and changes nothing', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, reversingBox);
    store.save(draft());
    const before = readFileSync(file, 'utf8');
    expect(errorOf(() => store.save(draft({ bootstrapServers: 'no port here' }))).name).toBe('INVALID_REQUEST');
    expect(errorOf(() => store.save(draft({ name: 'STAGING' }))).message).toContain("a connection named 'staging' already exists");
    expect(errorOf(() => store.save(draft({ name: 'other', sasl: { mechanism: 'plain', username: 'x', password: null } }))).message).toContain('SASL needs a password');
    expect(errorOf(() => store.save(draft({ id: 'conn-missing', name: 'other' }))).message).toContain("no saved connection 'conn-missing'");
    expect(errorOf(() => store.save(draft({ id: 'embedded', name: 'other' }))).message).toContain('embedded cluster');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.list()).toHaveLength(1);
  });

  it('resolves a draft under test with the saved password when none is typed', () => {
    const store = new ConnectionStore(tempFile(), reversingBox);
    const id = store.save(draft());
    const tested = store.resolveDraft(draft({ id, bootstrapServers: 'other:9093', sasl: { mechanism: 'plain', username: 'alice', password: null } }));
    expect(tested).toMatchObject({ id, bootstrapServers: 'other:9093', sasl: { password: 'correct horse battery staple' } });
    expect(store.resolve(id).bootstrapServers).toBe('kafka-1.internal:9092,kafka-2.internal:9092');
    expect(store.resolveDraft(draft({ sasl: { mechanism: 'plain', username: 'u', password: 'typed' } })).sasl?.password).toBe('typed');
  });

  it('writes atomically: the whole file or nothing, no temporary file left behind', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, reversingBox);
    const id = store.save(draft());
    expect(readdirSync(join(file, '..'))).toEqual(['connections.json']);
    const before = readFileSync(file, 'utf8');
    // Something in the way of the temporary file: the write fails before the rename.
    mkdirSync(`${file}.${process.pid}.tmp`);
    const failure = errorOf(() => store.save(draft({ id, name: 'renamed' })));
    expect(failure.name).toBe('KAFKA_STORAGE_ERROR');
    expect(failure.message).toContain('nothing was changed');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.list()[0].name).toBe('staging');
    expect(new ConnectionStore(file, reversingBox).list()[0].name).toBe('staging');
  });

  it('reports a corrupted file by name and never overwrites it', () => {
    const file = tempFile();
    writeFileSync(file, '{"version":1,"active":"embedded","connections":[{"id":"c1"');
    const store = new ConnectionStore(file, reversingBox);
    const failure = errorOf(() => store.list());
    expect(failure.name).toBe('KAFKA_STORAGE_ERROR');
    expect(failure.message).toContain(file);
    expect(failure.message).toContain('is not valid JSON');
    expect(() => store.save(draft())).toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toContain('"c1"');

    writeFileSync(file, JSON.stringify({ version: 1, active: 'embedded', connections: [{ id: 'c1', name: 'x' }] }));
    expect(errorOf(() => new ConnectionStore(file, reversingBox).list()).message).toContain('bad connection at position 1');
    // Fixed by hand while the app runs: read again.
    writeFileSync(file, JSON.stringify({ version: 1, active: 'embedded', connections: [] }));
    expect(store.list()).toEqual([]);
  });

  it('loads a file saved before connections named groups to watch, watching none, and keeps the groups a save names', () => {
    const file = tempFile();
    // A connection as releases before `watchedGroups` wrote it (no SASL, so no secret to seal).
    const older = { id: 'conn-0123456789ab', name: 'legacy', bootstrapServers: 'kafka:9092', clientId: 'brokerscope', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: null, readOnly: true, pollIntervalMs: 5_000 };
    writeFileSync(file, JSON.stringify({ version: 1, active: older.id, connections: [older] }));
    const store = new ConnectionStore(file, reversingBox);
    expect(store.list()).toEqual([{ ...older, watchedGroups: [], secretsEncrypted: true }]);
    expect(store.resolve(older.id)).toEqual({ ...older, watchedGroups: [] });
    expect(store.activeId()).toBe(older.id);

    store.save({ ...older, watchedGroups: ['payments', 'audit-trail'] });
    expect(JSON.parse(readFileSync(file, 'utf8')).connections[0].watchedGroups).toEqual(['payments', 'audit-trail']);
    expect(new ConnectionStore(file, reversingBox).resolve(older.id).watchedGroups).toEqual(['payments', 'audit-trail']);
  });

  it('remembers the cluster shown, forgetting a removed connection', () => {
    const file = tempFile();
    const store = new ConnectionStore(file, reversingBox);
    const id = store.save(draft());
    store.setActive(id);
    expect(new ConnectionStore(file, reversingBox).activeId()).toBe(id);
    store.remove(id);
    expect(new ConnectionStore(file, reversingBox).activeId()).toBe('embedded');
  });

  it('keeps connections in memory when there is no data folder, and beside it when there is', () => {
    const store = new ConnectionStore(null, FILE_PERMISSIONS_BOX);
    store.save(draft());
    expect(store.list()).toHaveLength(1);
    expect(connectionsFileBeside(join('data', 'cluster') + '/')).toMatch(/cluster\.connections\.json$/);
  });
});
