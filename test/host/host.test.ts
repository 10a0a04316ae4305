/**
 * The host on a simulated clock: commands change the cluster or return Kafka's error with
 * nothing changed; the update stream is a snapshot then gap-free deltas, at most 30 a second
 * however busy the cluster; records produced can be read back page by page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage, SimScheduler } from '../../core/index';
import { ClusterHost } from '../../core/host/host';
import type { HostDelta, HostUpdate } from '../../core/host/contract';
import { settle } from './sim-host';

const hosts: ClusterHost[] = [];

function openHost(brokers = 3): { host: ClusterHost; scheduler: SimScheduler } {
  const scheduler = new SimScheduler();
  const host = new ClusterHost({ brokers, scheduler, storage: new MemoryStorage(), seed: 7 });
  hosts.push(host);
  scheduler.runUntil(() => host.cluster.controllerId >= 0 && [...host.cluster.brokers.values()].every((b) => b.state === 'running'), 30_000);
  return { host, scheduler };
}


afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

describe('ClusterHost', () => {
  it('creates a topic and refuses a bad one with Kafka’s error, creating nothing', async () => {
    const { host, scheduler } = openHost();
    const created = await settle(scheduler, host.execute('createTopic', { name: 'orders', partitions: 3, replicationFactor: 3, configs: {} }));
    expect(created).toEqual({ ok: true, value: { name: 'orders', partitions: 3, replicationFactor: 3 } });
    const invalid = await settle(scheduler, host.execute('createTopic', { name: 'bad name!', partitions: 1, replicationFactor: 1, configs: {} }));
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error.name).toBe('INVALID_TOPIC_EXCEPTION');
    const tooMany = await settle(scheduler, host.execute('createTopic', { name: 'wide', partitions: 1, replicationFactor: 4, configs: {} }));
    expect(!tooMany.ok && tooMany.error.name).toBe('INVALID_REPLICATION_FACTOR');
    const duplicate = await settle(scheduler, host.execute('createTopic', { name: 'orders', partitions: 1, replicationFactor: 1, configs: {} }));
    expect(!duplicate.ok && duplicate.error.name).toBe('TOPIC_ALREADY_EXISTS');
    expect(host.snapshotNow().cluster.topics.map((t) => t.name)).toEqual(['orders']);
  });

  it('previews placement without creating', async () => {
    const { host, scheduler } = openHost();
    const preview = await settle(scheduler, host.execute('previewTopic', { name: 'later', partitions: 4, replicationFactor: 2, configs: {} }));
    expect(preview.ok && preview.value.replicaAssignment.length).toBe(4);
    expect(preview.ok && preview.value.replicaAssignment.every((replicas) => replicas.length === 2)).toBe(true);
    expect(host.snapshotNow().cluster.topics).toEqual([]);
  });

  it('rejects malformed arguments before the cluster sees them', async () => {
    const { host } = openHost();
    const result = await host.execute('stopBroker', { brokerId: 'two' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.name).toBe('INVALID_REQUEST');
    expect(host.cluster.brokers.get(2)?.running).toBe(true);
  });

  it('produces with templates and reads the records back by offset', async () => {
    const { host, scheduler } = openHost();
    await settle(scheduler, host.execute('createTopic', { name: 'events', partitions: 1, replicationFactor: 3, configs: {} }));
    scheduler.runFor(2_000);
    const sent = await settle(
      scheduler,
      host.execute('produce', { topic: 'events', records: [{ key: 'k', value: 'n={{seq}}', headers: [{ key: 'h', value: 'v' }], partition: null }], acks: -1, repeat: 5, expandTemplates: true }),
    );
    expect(sent.ok && sent.value).toMatchObject({ records: 5, partition: 0, offset: 4, placements: [{ partition: 0, firstOffset: 0, lastOffset: 4, records: 5 }] });
    const page = await settle(scheduler, host.execute('fetchRecords', { topic: 'events', partition: 0, offset: 2, maxRecords: 2 }));
    expect(page.ok).toBe(true);
    if (page.ok) {
      expect(page.value.records.map((r) => [r.offset, r.value?.text, r.key?.text])).toEqual([
        [2, 'n=2', 'k'],
        [3, 'n=3', 'k'],
      ]);
      expect(page.value.records[0].headers).toEqual([{ key: 'h', value: { text: 'v' } }]);
      expect(page.value.nextOffset).toBe(4);
      expect(page.value.highWatermark).toBe(5);
    }
    const latest = await settle(scheduler, host.execute('listOffset', { topic: 'events', partition: 0, position: 'latest' }));
    expect(latest.ok && latest.value.offset).toBe(5);
  });

  it('streams a snapshot, then gap-free deltas at most 30 a second while a steady producer runs', async () => {
    const { host, scheduler } = openHost();
    await settle(scheduler, host.execute('createTopic', { name: 'busy', partitions: 6, replicationFactor: 3, configs: {} }));
    scheduler.runFor(2_000);
    const snapshot = host.snapshotNow();
    const updates: HostUpdate[] = [];
    host.onUpdate((update) => updates.push(update));
    const started = await settle(scheduler, host.execute('startProducer', { topic: 'busy', recordsPerSecond: 5_000, key: null, value: 'v{{seq}}', acks: 1 }));
    expect(started.ok).toBe(true);
    const start = scheduler.now();
    scheduler.runFor(3_000);
    const deltas = updates.filter((u): u is HostDelta => u.type === 'delta');
    expect(deltas.length).toBeGreaterThan(30);
    expect(deltas.length).toBeLessThanOrEqual(3 * 30 + 1);
    deltas.forEach((delta, i) => expect(delta.seq).toBe(snapshot.seq + i + 1));
    for (let i = 1; i < deltas.length; i++) expect(deltas[i].time - deltas[i - 1].time).toBeGreaterThanOrEqual(33);
    const last = host.snapshotNow();
    const produced = last.cluster.topics[0].partitions.reduce((sum, p) => sum + p.logEndOffset, 0);
    expect(produced).toBeGreaterThan(14_000);
    expect(last.producers[0]).toMatchObject({ topic: 'busy', recordsPerSecond: 5_000, failedRecords: 0 });
    expect(deltas.at(-1)!.rates.recordsInPerSecond).toBeGreaterThan(4_000);
    expect(scheduler.now() - start).toBe(3_000);
    const stopped = await settle(scheduler, host.execute('stopProducer', { id: (started.ok && started.value.id) || '' }));
    expect(stopped.ok).toBe(true);
  });

  it('reports a stopped broker and the leader moving in deltas', async () => {
    const { host, scheduler } = openHost();
    await settle(scheduler, host.execute('createTopic', { name: 'moves', partitions: 1, replicationFactor: 3, configs: {} }));
    scheduler.runFor(2_000);
    const leader = host.snapshotNow().cluster.topics[0].partitions[0].leader;
    const updates: HostUpdate[] = [];
    host.onUpdate((update) => updates.push(update));
    await settle(scheduler, host.execute('stopBroker', { brokerId: leader }));
    scheduler.runFor(10_000);
    const deltas = updates as HostDelta[];
    expect(deltas.some((d) => d.brokers?.find((b) => b.id === leader)?.alive === false)).toBe(true);
    // A leader moving is a partition-level change: it arrives as that partition alone.
    const moved = deltas.flatMap((d) => [...(d.topics ?? []).map((t) => ({ topic: t.name, partitions: t.partitions })), ...(d.partitions ?? [])]);
    const newLeader = moved.filter((t) => t.topic === 'moves').flatMap((t) => t.partitions).at(-1)!.leader;
    expect(newLeader).not.toBe(leader);
    expect(newLeader).toBeGreaterThan(0);
    expect(deltas.flatMap((d) => d.events).some((e) => e.type === 'leader.elected')).toBe(true);
  });
});
