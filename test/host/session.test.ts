/**
 * The session in the worker: commands go to the cluster shown now; switching sends a snapshot
 * of the new source numbered right after the last update, and that source's deltas continue
 * the same sequence (the old one's stop); switching away from an external cluster closes it,
 * and the embedded cluster keeps recording its timeline meanwhile; a cluster that cannot be
 * reached is an error value and the current source stays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HostUpdate } from '../../core/host/contract';
import { SessionHost, parseResolvedConnection } from '../../core/host/session';
import { KafkaError } from '../../core/protocol/errors';
import { fakeExternals, resolvedConnection, type FakeExternal } from './fake-external';
import { openSimHost, settle } from './sim-host';

const sessions: SessionHost[] = [];

function openSession(externals = fakeExternals()) {
  const { host, scheduler } = openSimHost(1);
  const session = new SessionHost(host, externals);
  sessions.push(session);
  const updates: HostUpdate[] = [];
  session.onUpdate((update) => updates.push(update));
  return { session, scheduler, externals, updates, host };
}

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

/** Every update follows the one before it: deltas and snapshots alike are numbered one more. */
function expectGapFree(updates: HostUpdate[]): void {
  for (let i = 1; i < updates.length; i++) expect(updates[i].seq).toBe(updates[i - 1].seq + 1);
}

describe('SessionHost', () => {
  it('starts on the embedded cluster and runs commands there', async () => {
    const { session, scheduler, host } = openSession();
    expect(session.activeId).toBe('embedded');
    const created = await settle(scheduler, session.execute('createTopic', { name: 'orders', partitions: 2, replicationFactor: 1, configs: {} }));
    expect(created.ok).toBe(true);
    expect(host.cluster.store.image.topics.has('orders')).toBe(true);
    const snapshot = await session.snapshot();
    expect(snapshot.cluster.source.kind).toBe('embedded');
    expect(snapshot.cluster.topics.map((t) => t.name)).toEqual(['orders']);
  });

  it('switches with a snapshot numbered after the last update, then continues the sequence from the new source', async () => {
    const { session, scheduler, updates, externals } = openSession();
    await settle(scheduler, session.execute('createTopic', { name: 'orders', partitions: 1, replicationFactor: 1, configs: {} }));
    scheduler.runFor(500);
    expect(updates.length).toBeGreaterThan(0);
    const before = updates.length;

    const switched = await session.attach(resolvedConnection());
    expect(switched).toEqual({ ok: true, value: { id: 'conn-1' } });
    expect(session.activeId).toBe('conn-1');
    const snapshot = updates[before];
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.type === 'snapshot' && snapshot.cluster.source).toMatchObject({ kind: 'external', id: 'conn-1' });

    const external = externals.opened[0];
    external.emitDelta();
    external.emitDelta();
    // The embedded cluster keeps running, but its deltas no longer reach the windows.
    await settle(scheduler, session.embedded.execute('createTopic', { name: 'hidden', partitions: 1, replicationFactor: 1, configs: {} }));
    scheduler.runFor(500);
    expect(updates.slice(before).map((u) => u.type)).toEqual(['snapshot', 'delta', 'delta']);
    expectGapFree(updates);

    // A window that asks for a snapshot now gets the external one, numbered on the same sequence.
    const resync = await session.snapshot();
    expect(resync.cluster.source.kind).toBe('external');
    expect(resync.seq).toBe(updates[updates.length - 1].seq);
    await session.execute('deleteTopic', { name: 'orders' });
    expect(external.calls).toEqual([['deleteTopic', { name: 'orders' }]]);
  });

  it('switching back closes the external cluster; the embedded timeline kept recording meanwhile', async () => {
    const { session, scheduler, updates, externals } = openSession();
    await session.attach(resolvedConnection());
    const external = externals.opened[0];
    await settle(scheduler, session.embedded.execute('createTopic', { name: 'while-away', partitions: 1, replicationFactor: 1, configs: {} }));
    scheduler.runFor(1_000);

    const back = await session.attach(null);
    expect(back).toEqual({ ok: true, value: { id: 'embedded' } });
    expect(external.closed).toBe(true);
    const last = updates[updates.length - 1];
    expect(last.type === 'snapshot' && last.cluster.topics.map((t) => t.name)).toEqual(['while-away']);
    const timeline = await session.execute('timeline', {});
    expect(timeline.ok && timeline.value.events.some((e) => e.type === 'topic.created' && e.topic === 'while-away')).toBe(true);
    // Embedded deltas continue the window's sequence.
    await settle(scheduler, session.execute('createPartitions', { name: 'while-away', totalPartitions: 2 }));
    scheduler.runFor(500);
    expect(updates[updates.length - 1].type).toBe('delta');
    expectGapFree(updates);
  });

  it('drops a new source’s deltas already in its snapshot and keeps the ones after it', async () => {
    const { session, updates, externals } = openSession();
    const open = externals.open;
    let external: FakeExternal | null = null;
    externals.open = async (connection) => {
      external = (await open(connection)) as FakeExternal;
      // While the session waits for the snapshot: one delta before it (in it), one after it.
      external.duringSnapshot = () => {
        external!.emitDelta();
        queueMicrotask(() => external!.emitDelta());
      };
      return external;
    };
    const before = updates.length;
    await session.attach(resolvedConnection());
    await new Promise((resolve) => setImmediate(resolve));
    expect(updates.slice(before).map((u) => u.type)).toEqual(['snapshot', 'delta']);
    expectGapFree(updates);
  });

  it('keeps the current cluster when another cannot be reached, with a sentence naming it', async () => {
    const { session, updates, externals } = openSession();
    await session.attach(resolvedConnection());
    const before = updates.length;
    const refused = await session.attach(resolvedConnection({ id: 'conn-2', name: 'prod', bootstrapServers: 'unreachable-kafka:9092' }));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toEqual({ name: 'NETWORK_EXCEPTION', message: "NETWORK_EXCEPTION: could not attach to 'prod' (unreachable-kafka:9092): connect ECONNREFUSED unreachable-kafka:9092" });
    const denied = await session.attach(resolvedConnection({ id: 'conn-3', sasl: { mechanism: 'plain', username: 'u', password: 'wrong' } }));
    expect(!denied.ok && denied.error.name).toBe('SASL_AUTHENTICATION_FAILED');
    expect(session.activeId).toBe('conn-1');
    expect(externals.opened[0].closed).toBe(false);
    expect(updates.length).toBe(before);
  });

  it('closes a cluster that connects but cannot be read, and stays where it was', async () => {
    const { session, externals } = openSession();
    const open = externals.open;
    let broken: FakeExternal | null = null;
    externals.open = async (connection) => {
      broken = (await open(connection)) as FakeExternal;
      broken.snapshot = () => Promise.reject(new KafkaError('REQUEST_TIMED_OUT', 'Metadata took longer than 30 s'));
      return broken;
    };
    const result = await session.attach(resolvedConnection());
    expect(!result.ok && result.error).toEqual({ name: 'REQUEST_TIMED_OUT', message: 'REQUEST_TIMED_OUT: Metadata took longer than 30 s' });
    expect(broken!.closed).toBe(true);
    expect(session.activeId).toBe('embedded');
  });

  it('runs switches one at a time, in order', async () => {
    const { session, externals } = openSession();
    const [first, second] = await Promise.all([session.attach(resolvedConnection({ id: 'a' })), session.attach(resolvedConnection({ id: 'b' }))]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(session.activeId).toBe('b');
    expect(externals.opened.map((e) => [e.connection.id, e.closed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('passes a read-only cluster’s refusal through, and leaves connection commands to the store', async () => {
    const { session, externals } = openSession();
    await session.attach(resolvedConnection({ readOnly: true }));
    const refused = await session.execute('produce', { topic: 'orders', records: [{ key: null, value: 'x', headers: [], partition: null }], acks: -1 });
    expect(!refused.ok && refused.error.message).toContain('read-only');
    expect(externals.opened[0].calls.map(([name]) => name)).toEqual(['produce']);
    const list = await session.execute('listConnections', {});
    expect(!list.ok && list.error.name).toBe('INVALID_REQUEST');
  });

  it('tests connections without changing what is shown', async () => {
    const { session, externals } = openSession();
    const tested = await session.testConnection(resolvedConnection());
    expect(tested.ok && tested.value.clusterId).toBe('fake-cluster');
    const failed = await session.testConnection(resolvedConnection({ bootstrapServers: 'unreachable:1' }));
    expect(!failed.ok && failed.error.message).toContain("could not connect to 'staging' (unreachable:1)");
    expect(externals.opened).toEqual([]);
    expect(session.activeId).toBe('embedded');
  });

  it('validates connections arriving from the main thread', () => {
    expect(parseResolvedConnection(resolvedConnection()).ok).toBe(true);
    expect(parseResolvedConnection({ ...resolvedConnection(), id: undefined }).ok).toBe(false);
    expect(parseResolvedConnection(resolvedConnection({ sasl: { mechanism: 'plain', username: 'u', password: null as never } })).ok).toBe(false);
    expect(parseResolvedConnection({ ...resolvedConnection(), bootstrapServers: 'nope' }).ok).toBe(false);
  });
});
