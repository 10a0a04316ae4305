/**
 * The external source attached to the embedded cluster over its own Kafka listener, as if it
 * were any Kafka cluster: the attached picture shows the same brokers, controller, leaders,
 * replicas, ISR, high watermarks and groups (members and decoded assignments, committed
 * offsets and lag) as the embedded view; a watched group is polled once even when listed too,
 * and one that has committed nothing is shown; stopping a broker shows up as leader elections
 * within two polls; commands the attached cluster cannot serve are refused with a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalHost, testConnection } from '../../core/external/index';
import type { ClusterEvent, ClusterSnapshot, HostUpdate } from '../../core/host/contract';
import type { ClusterHost } from '../../core/host/host';
import { connectionTo, startEmbedded, waitFor } from './helpers';

let embedded: Awaited<ReturnType<typeof startEmbedded>>;
let host: ClusterHost;
let attached: ExternalHost;
const events: ClusterEvent[] = [];

beforeAll(async () => {
  embedded = await startEmbedded();
  host = embedded.host;
  const created = await host.execute('createTopic', { name: 'orders', partitions: 6, replicationFactor: 3, configs: { 'retention.ms': '3600000' } });
  expect(created.ok).toBe(true);
  const produced = await host.execute('produce', { topic: 'orders', acks: -1, repeat: 50, expandTemplates: true, records: [{ key: 'k-{{seq}}', value: 'v-{{seq}}', headers: [], partition: null }] });
  expect(produced.ok).toBe(true);
  attached = await ExternalHost.open(connectionTo(embedded.bootstrap), { dataDir: embedded.dataDir, log: () => {} });
  attached.onUpdate((update: HostUpdate) => {
    if (update.type === 'delta') events.push(...update.events);
  });
}, 60_000);

afterAll(async () => {
  await attached?.close();
  await embedded?.stop();
});

/** The parts both views must agree on. */
function essentials(snapshot: ClusterSnapshot) {
  return {
    controllerId: snapshot.controllerId,
    brokers: snapshot.brokers.map((b) => ({ id: b.id, alive: b.alive, controller: b.controller, leaders: b.leaderCount, replicas: b.replicaCount })),
    topics: snapshot.topics
      .filter((t) => !t.internal)
      .map((t) => ({
        name: t.name,
        replicationFactor: t.replicationFactor,
        partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch, replicas: p.replicas, isr: p.isr, highWatermark: p.highWatermark, logStartOffset: p.logStartOffset })),
      })),
  };
}

function groupEssentials(snapshot: ClusterSnapshot, groupId: string) {
  const group = snapshot.groups.find((g) => g.groupId === groupId);
  if (!group) return null;
  return {
    state: group.state,
    protocol: group.protocol,
    coordinator: group.coordinator,
    members: group.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, assignment: m.assignment })),
    offsets: group.offsets.map((o) => ({ topic: o.topic, partition: o.partition, committedOffset: o.committedOffset, highWatermark: o.highWatermark, lagRecords: o.lagRecords })),
  };
}

describe('attached to the embedded cluster over its Kafka listener', () => {
  it('tests a connection and refuses a bad bootstrap', async () => {
    const result = await testConnection(connectionTo(embedded.bootstrap));
    expect(result.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(result.controllerId).toBe(host.cluster.controllerId);
    expect(result.topics).toBeGreaterThanOrEqual(1);
    await expect(testConnection(connectionTo('not a server'))).rejects.toThrow(/INVALID_REQUEST/);
    await expect(ExternalHost.open(connectionTo('127.0.0.1:1'), { dataDir: null, log: () => {} })).rejects.toThrow(/NETWORK_EXCEPTION|BROKER_NOT_AVAILABLE|REQUEST_TIMED_OUT/);
  });

  it('shows the same brokers, controller, leaders, replicas, ISR and high watermarks as the embedded view', async () => {
    await waitFor(async () => {
      await attached.refresh();
      return JSON.stringify(essentials(attached.picture())) === JSON.stringify(essentials(host.snapshotNow().cluster));
    }, 20_000, 'the attached picture matches the embedded one');
    const picture = (await attached.snapshot()).cluster;
    expect(picture.source).toMatchObject({ kind: 'external', id: 'attached-test', readOnly: false, error: null });
    expect(picture.source.unavailable.map((u) => u.feature)).toEqual(['follower-log-end-offset', 'faults', 'reassignment', 'app-consumers', 'clients']);
    const orders = picture.topics.find((t) => t.name === 'orders')!;
    expect(orders.configs['retention.ms']).toBe('3600000');
    for (const p of orders.partitions) {
      for (const replica of p.replicaStates) {
        expect(replica.logEndOffset).toBe(replica.leader ? p.highWatermark : -1);
        expect(replica.inSync).toBe(p.isr.includes(replica.brokerId));
      }
    }
  });

  it('shows a consumer group with its members, decoded assignments, committed offsets and lag', async () => {
    const group = await host.execute('createConsumerGroup', { groupId: 'billing', topics: ['orders'], members: 2, assignor: 'range', recordsPerSecond: null });
    expect(group.ok).toBe(true);
    await waitFor(() => {
      const g = host.snapshotNow().cluster.groups.find((x) => x.groupId === 'billing');
      return g?.state === 'Stable' && g.members.every((m) => m.assignment.length === 3) && g.lagRecords === 0 && g.offsets.length === 6;
    }, 30_000, 'the embedded group is stable and caught up');
    await waitFor(async () => {
      await attached.refresh();
      return JSON.stringify(groupEssentials(attached.picture(), 'billing')) === JSON.stringify(groupEssentials(host.snapshotNow().cluster, 'billing'));
    }, 20_000, 'the attached group matches the embedded one');
    await waitFor(() => events.some((e) => e.type === 'group.assignment-changed' && e.groupId === 'billing'), 10_000, 'an assignment event');
    expect(events.some((e) => e.type === 'group.rebalance-completed' && e.groupId === 'billing')).toBe(true);
    // An attached cluster cannot run in-app consumers, and resets need an empty group.
    const refused = await attached.execute('createConsumerGroup', { groupId: 'x', topics: ['orders'], members: 1, assignor: 'range', recordsPerSecond: null });
    expect(refused).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    const busy = await attached.execute('resetGroupOffsets', { groupId: 'billing', topic: 'orders', partitions: null, to: { kind: 'earliest' } });
    expect(busy).toMatchObject({ ok: false, error: { name: 'NON_EMPTY_GROUP' } });
  });

  it('polls watched groups beside the listed ones: once each, and shown before they commit anything', async () => {
    const watching = await ExternalHost.open(connectionTo(embedded.bootstrap, { id: 'watching', watchedGroups: ['billing', 'not-started'] }), { dataDir: null, log: () => {} });
    try {
      const picture = watching.picture();
      expect(picture.groups.filter((g) => g.groupId === 'billing')).toHaveLength(1);
      expect(picture.groups.find((g) => g.groupId === 'billing')!.members).toHaveLength(2);
      // Kafka describes a group it does not know as Dead, with no members.
      expect(picture.groups.find((g) => g.groupId === 'not-started')).toMatchObject({ state: 'Dead', members: [], offsets: [], lagRecords: 0 });
      // This cluster serves DescribeGroups: members are observable.
      expect(picture.source.unavailable.map((u) => u.feature)).not.toContain('group-members');
    } finally {
      await watching.close();
    }
  });

  it('sees a stopped broker as leader elections within two polls, and refuses to stop brokers itself', async () => {
    const refused = await attached.execute('stopBroker', { brokerId: 1 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/needs the embedded cluster: an attached cluster is only observed through Kafka's protocol/);
    const orders = host.snapshotNow().cluster.topics.find((t) => t.name === 'orders')!;
    const victim = orders.partitions[0].leader;
    const led = orders.partitions.filter((p) => p.leader === victim).map((p) => p.partition);
    events.length = 0;
    // A poll whose ListOffsets meets the stopped leader must not fail (and so slow) the polls:
    // the metadata still reads, and those partitions keep their last known offsets.
    const pollErrors: string[] = [];
    const watchErrors = setInterval(() => {
      const source = attached.picture().source;
      if (source.error) pollErrors.push(source.error);
    }, 5);
    const stopped = await host.execute('stopBroker', { brokerId: victim });
    expect(stopped.ok).toBe(true);
    // Wait until the embedded metadata has moved every leadership, then count the polls that follow.
    await waitFor(() => host.snapshotNow().cluster.topics.find((t) => t.name === 'orders')!.partitions.every((p) => p.leader !== victim), 20_000, 'leaders moved');
    const pollsBefore = attached.picture().source.lastRefreshAt!;
    let polls = 0;
    let lastSeen = pollsBefore;
    await waitFor(() => {
      const at = attached.picture().source.lastRefreshAt!;
      if (at !== lastSeen) (polls++, (lastSeen = at));
      return led.every((partition) => events.some((e) => e.type === 'leader.elected' && e.topic === 'orders' && e.partition === partition && e.previousLeader === victim));
    }, 20_000, 'leader.elected for every partition the stopped broker led');
    expect(polls).toBeLessThanOrEqual(2);
    await waitFor(() => attached.picture().brokers.some((b) => b.id === victim && !b.alive), 10_000, 'the stopped broker listed as not alive');
    clearInterval(watchErrors);
    expect([...new Set(pollErrors)]).toEqual([]);
    expect(attached.picture().source.pollIntervalMs).toBe(250);
    const election = events.find((e) => e.type === 'leader.elected')!;
    expect(election).toMatchObject({ reason: 'observed' });
    const timeline = await attached.execute('timeline', {});
    expect(timeline.ok && timeline.value.events.some((e) => e.type === 'leader.elected')).toBe(true);
    const state = await attached.execute('stateAt', { time: Date.now() });
    expect(state.ok && state.value?.cluster.source.kind).toBe('external');
    await host.execute('startBroker', { brokerId: victim });
    await waitFor(() => attached.picture().brokers.find((b) => b.id === victim)!.alive, 20_000, 'the broker back in the attached picture');
  });
});
