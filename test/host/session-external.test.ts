/**
 * The session with the real external host, attached to the embedded cluster's own Kafka
 * listener as if it were any Kafka cluster: a saved connection is tested and switched to
 * through the connection store; the window gets the attached picture as a snapshot and its
 * deltas on one gap-free sequence; writes are refused while the connection is read-only;
 * switching back closes the attachment and shows the embedded cluster again; a port nobody
 * listens on is an error value and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ExternalHost, testConnection } from '../../core/external/index';
import { ConnectedHost } from '../../core/host/connected-host';
import { ConnectionStore, FILE_PERMISSIONS_BOX } from '../../core/host/connections';
import type { CommandName, CommandResult, CommandValue, HostUpdate } from '../../core/host/contract';
import { SessionHost } from '../../core/host/session';
import { startEmbedded, waitFor } from '../external/helpers';

let embedded: Awaited<ReturnType<typeof startEmbedded>>;
let connected: ConnectedHost;
const updates: HostUpdate[] = [];

beforeAll(async () => {
  embedded = await startEmbedded();
  expect((await embedded.host.execute('createTopic', { name: 'orders', partitions: 3, replicationFactor: 3, configs: {} })).ok).toBe(true);
  const session = new SessionHost(embedded.host, {
    open: (connection) => ExternalHost.open(connection, { dataDir: embedded.dataDir, log: () => undefined }),
    test: (connection) => testConnection(connection),
  });
  connected = new ConnectedHost(session, new ConnectionStore(join(embedded.dataDir, 'connections.json'), FILE_PERMISSIONS_BOX));
  connected.onUpdate((update) => updates.push(update));
}, 60_000);

afterAll(async () => {
  // Switching back closes the attachment; the embedded host is closed by its own helper.
  await connected?.execute('switchCluster', { id: 'embedded' });
  await embedded?.stop();
});

async function call<N extends CommandName>(name: N, args: unknown): Promise<CommandValue<N>> {
  const result: CommandResult<N> = await connected.execute(name, args);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function draft(bootstrapServers: string, readOnly: boolean) {
  return { name: 'itself', bootstrapServers, clientId: 'brokerscope-test', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: null, readOnly, pollIntervalMs: 500, watchedGroups: [] };
}

/** The first snapshot at or after `index`; only deltas (the previous cluster's) may come before it. */
function firstSnapshotFrom(index: number): HostUpdate {
  const at = updates.findIndex((update, i) => i >= index && update.type === 'snapshot');
  expect(at).toBeGreaterThanOrEqual(index);
  expect(updates.slice(index, at).every((update) => update.type === 'delta')).toBe(true);
  return updates[at];
}

describe('switching to an external cluster (the embedded one over its own listener)', () => {
  it('tests, attaches, shows its picture on one sequence, refuses writes when read-only, and switches back', async () => {
    const tested = await call('testConnection', { connection: draft(embedded.bootstrap, true) });
    expect(tested.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);

    const { id } = await call('saveConnection', { connection: draft(embedded.bootstrap, true) });
    const before = updates.length;
    expect(await call('switchCluster', { id })).toEqual({ id });
    // The embedded cluster's own deltas may still arrive before the switch: the attached
    // picture is the first snapshot after them.
    const snapshot = firstSnapshotFrom(before);
    expect(snapshot.type === 'snapshot' && snapshot.cluster.source).toMatchObject({ kind: 'external', id, readOnly: true });
    expect(snapshot.type === 'snapshot' && snapshot.cluster.topics.map((t) => t.name)).toContain('orders');

    const refused = await connected.execute('createTopic', { name: 'blocked', partitions: 1, replicationFactor: 1, configs: {} });
    expect(!refused.ok && refused.error.message).toContain('read-only');
    expect(embedded.host.cluster.store.image.topics.has('blocked')).toBe(false);

    // A change on the cluster reaches the window as deltas continuing the sequence.
    expect((await embedded.host.execute('createTopic', { name: 'later', partitions: 1, replicationFactor: 1, configs: {} })).ok).toBe(true);
    await waitFor(() => updates.some((u) => u.type === 'delta' && u.topics?.some((t) => t.name === 'later')), 20_000, 'the attached picture showing the new topic');
    const sequence = updates.slice(before);
    for (let i = 1; i < sequence.length; i++) expect(sequence[i].seq).toBe(sequence[i - 1].seq + 1);

    const unreachable = await call('saveConnection', { connection: { ...draft('127.0.0.1:1', false), name: 'nobody' } });
    const failed = await connected.execute('switchCluster', { id: unreachable.id });
    expect(failed.ok).toBe(false);
    expect((await call('listConnections', {})).active).toBe(id);

    const back = updates.length;
    expect(await call('switchCluster', { id: 'embedded' })).toEqual({ id: 'embedded' });
    const embeddedSnapshot = firstSnapshotFrom(back);
    expect(embeddedSnapshot.type === 'snapshot' && embeddedSnapshot.cluster.source.kind).toBe('embedded');
    expect(embeddedSnapshot.seq).toBe(updates[updates.indexOf(embeddedSnapshot) - 1].seq + 1);
  }, 60_000);
});
