/**
 * The window's host in the serving process: it answers the connection commands from the store
 * (never with a password), resolves passwords only for the session, switches clusters,
 * re-attaches when the connection shown is edited, switches to the embedded cluster before
 * removing the connection shown, restores the last choice at start, and passes every other
 * command through unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectedHost } from '../../core/host/connected-host';
import { ConnectionStore, FILE_PERMISSIONS_BOX } from '../../core/host/connections';
import type { CommandName, CommandResult, CommandValue, ConnectionDraft, HostUpdate } from '../../core/host/contract';
import { SessionHost } from '../../core/host/session';
import { fakeExternals } from './fake-external';
import { openSimHost, settle } from './sim-host';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(file = join(mkdtempSync(join(tmpdir(), 'brokerscope-connected-')), 'connections.json')) {
  cleanups.push(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { host, scheduler } = openSimHost(1);
  const externals = fakeExternals();
  const session = new SessionHost(host, externals);
  const lines: string[] = [];
  const connected = new ConnectedHost(session, new ConnectionStore(file, FILE_PERMISSIONS_BOX), (line) => lines.push(line));
  cleanups.push(() => connected.close());
  const updates: HostUpdate[] = [];
  connected.onUpdate((update) => updates.push(update));
  const results: unknown[] = [];
  const call = async <N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> => {
    const result = await connected.execute(name, args);
    results.push(result);
    return result;
  };
  return { connected, externals, updates, call, results, file, lines, scheduler };
}

const draft = (overrides: Partial<ConnectionDraft> = {}): ConnectionDraft => ({
  name: 'staging',
  bootstrapServers: 'staging-kafka:9092',
  clientId: 'brokerscope',
  tls: { enabled: false, caFile: null, rejectUnauthorized: true },
  sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'right' },
  readOnly: false,
  pollIntervalMs: 2_000,
  watchedGroups: [],
  ...overrides,
});

function valueOf<N extends CommandName>(result: CommandResult<N>): CommandValue<N> {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('ConnectedHost', () => {
  it('lists, saves, switches and never answers with a password', async () => {
    const { call, externals, updates, results } = open();
    expect(valueOf(await call('listConnections', {}))).toEqual({ connections: [], active: 'embedded' });
    const { id } = valueOf(await call('saveConnection', { connection: draft() }));
    const listed = valueOf(await call('listConnections', {}));
    expect(listed.connections).toMatchObject([{ id, name: 'staging', sasl: { mechanism: 'scram-sha-256', username: 'alice', hasPassword: true }, secretsEncrypted: false }]);

    expect(valueOf(await call('switchCluster', { id }))).toEqual({ id });
    expect(externals.opened[0].connection.sasl?.password).toBe('right');
    expect(valueOf(await call('listConnections', {})).active).toBe(id);
    const last = updates[updates.length - 1];
    expect(last.type === 'snapshot' && last.cluster.source.id).toBe(id);
    // Other commands reach the cluster shown, unchanged.
    await call('describeTopicConfigs', { name: 'orders' });
    expect(externals.opened[0].calls).toEqual([['describeTopicConfigs', { name: 'orders' }]]);

    expect(valueOf(await call('switchCluster', { id: 'embedded' }))).toEqual({ id: 'embedded' });
    expect(externals.opened[0].closed).toBe(true);
    expect(JSON.stringify(results)).not.toContain('right');
  });

  it('refuses bad input and unknown connections, changing nothing', async () => {
    const { call, externals } = open();
    const bad = await call('saveConnection', { connection: { ...draft(), bootstrapServers: 'no-port' } });
    expect(!bad.ok && bad.error.name).toBe('INVALID_REQUEST');
    const unknown = await call('switchCluster', { id: 'conn-nope' });
    expect(!unknown.ok && unknown.error.message).toContain("no saved connection 'conn-nope'");
    expect(valueOf(await call('listConnections', {}))).toEqual({ connections: [], active: 'embedded' });
    expect(externals.opened).toEqual([]);
  });

  it('keeps the cluster shown when another cannot be reached', async () => {
    const { call } = open();
    const { id } = valueOf(await call('saveConnection', { connection: draft({ bootstrapServers: 'unreachable-kafka:9092' }) }));
    const result = await call('switchCluster', { id });
    expect(!result.ok && result.error.name).toBe('NETWORK_EXCEPTION');
    expect(valueOf(await call('listConnections', {})).active).toBe('embedded');
  });

  it('tests a draft with the saved password when none is typed', async () => {
    const { call, externals } = open();
    const { id } = valueOf(await call('saveConnection', { connection: draft() }));
    const tested = await call('testConnection', { connection: { ...draft({ id, bootstrapServers: 'other:9093' }), sasl: { mechanism: 'plain', username: 'alice', password: null } } });
    expect(valueOf(tested).clusterId).toBe('fake-cluster');
    expect(externals.tested[0]).toMatchObject({ id, bootstrapServers: 'other:9093', sasl: { password: 'right' } });
    const wrong = await call('testConnection', { connection: draft({ sasl: { mechanism: 'plain', username: 'alice', password: 'wrong' } }) });
    expect(!wrong.ok && wrong.error.name).toBe('SASL_AUTHENTICATION_FAILED');
  });

  it('re-attaches when the connection shown is edited, so read-only applies at once', async () => {
    const { call, externals } = open();
    const { id } = valueOf(await call('saveConnection', { connection: draft() }));
    await call('switchCluster', { id });
    await call('saveConnection', { connection: draft({ id, readOnly: true, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: null } }) });
    expect(externals.opened.map((e) => [e.connection.readOnly, e.closed])).toEqual([
      [false, true],
      [true, false],
    ]);
    const refused = await call('createTopic', { name: 't', partitions: 1, replicationFactor: 1, configs: {} });
    expect(!refused.ok && refused.error.message).toContain('read-only');

    // New settings that cannot attach: saved, but the embedded cluster is shown rather than the old settings.
    const failed = await call('saveConnection', { connection: draft({ id, bootstrapServers: 'unreachable-kafka:9092', sasl: { mechanism: 'scram-sha-256', username: 'alice', password: null } }) });
    expect(!failed.ok && failed.error.message).toContain('the connection was saved, but attaching with the new settings failed');
    expect(valueOf(await call('listConnections', {}))).toMatchObject({ active: 'embedded', connections: [{ bootstrapServers: 'unreachable-kafka:9092' }] });
    expect(externals.opened[1].closed).toBe(true);
  });

  it('switches to the embedded cluster before removing the connection shown', async () => {
    const { call, externals, updates } = open();
    const { id } = valueOf(await call('saveConnection', { connection: draft() }));
    await call('switchCluster', { id });
    expect(valueOf(await call('removeConnection', { id }))).toBeNull();
    const last = updates[updates.length - 1];
    expect(last.type === 'snapshot' && last.cluster.source.kind).toBe('embedded');
    expect(externals.opened[0].closed).toBe(true);
    expect(valueOf(await call('listConnections', {}))).toEqual({ connections: [], active: 'embedded' });
  });

  it('shows the cluster chosen last after a restart, or stays embedded when it is unreachable', async () => {
    const first = open();
    const { id } = valueOf(await first.call('saveConnection', { connection: draft() }));
    await first.call('switchCluster', { id });
    const second = open(first.file);
    await second.connected.restoreActive();
    expect(second.connected.active).toBe(id);
    expect(second.externals.opened[0].connection.id).toBe(id);

    // The cluster chosen last is down at the next start: the embedded one stays, and the log says why.
    const store = new ConnectionStore(first.file, FILE_PERMISSIONS_BOX);
    store.setActive(store.save(draft({ name: 'down', bootstrapServers: 'unreachable-kafka:9092' })));
    const third = open(first.file);
    await third.connected.restoreActive();
    expect(third.connected.active).toBe('embedded');
    expect(third.lines.join('\n')).toContain('could not be shown again');
  });

  it('passes cluster commands through to the embedded cluster', async () => {
    const { call, scheduler } = open();
    const created = await settle(scheduler, call('createTopic', { name: 'orders', partitions: 1, replicationFactor: 1, configs: {} }));
    expect(created.ok).toBe(true);
    const bad = await call('createTopic', { name: 'x', partitions: -1 });
    expect(!bad.ok && bad.error.name).toBe('INVALID_REQUEST');
  });
});
