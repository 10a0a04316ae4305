/**
 * Committed offsets and __consumer_offsets: the internal topic as Kafka creates it, its records
 * in Kafka's schemas, lag, and offsets surviving a whole-cluster restart and a coordinator move.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent, ConsumedRecord, Consumer, ConsumerOptions } from '../../core/index';
import { KafkaError } from '../../core/protocol/errors';
import { decodeRecordBatches } from '../../core/protocol/records';
import { offsetsPartitionFor } from '../../core/group/java-hash';
import { decodeOffsetsTopicRecord, OFFSETS_TOPIC, type OffsetsTopicRecord } from '../../core/group/offsets-records';
import { Sim, ok, values } from './harness';

/** Runs the simulated clock until a promise from the cluster API settles. */
async function settle<T>(sim: Sim, promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 2_000 && !settled; i++) {
    sim.run(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return promise;
}

function consumer(sim: Sim, clientId: string, consumed: ConsumedRecord[], options: Partial<ConsumerOptions> = {}): Consumer {
  return sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], clientId, autoOffsetReset: 'earliest', onRecords: (r) => consumed.push(...r), ...options });
}

const group = (sim: Sim) => sim.cluster.snapshot().groups.find((g) => g.groupId === 'g');

/** Whether the group committed every partition of `orders` up to its high watermark. */
function caughtUp(sim: Sim): boolean {
  const g = group(sim);
  const topic = sim.cluster.snapshot().topics.find((t) => t.name === 'orders')!;
  return g !== undefined && topic.partitions.every((p) => g.offsets.find((o) => o.topic === 'orders' && o.partition === p.partition)?.committedOffset === p.highWatermark);
}

/** Every record of the group's partition of __consumer_offsets, decoded, read at its leader. */
function offsetsTopicRecords(sim: Sim, groupId: string): { key: Buffer; record: OffsetsTopicRecord }[] {
  const image = sim.cluster.store.image.topics.get(OFFSETS_TOPIC)!;
  const partition = offsetsPartitionFor(groupId, image.partitions.length);
  const log = sim.cluster.brokers.get(image.partitions[partition].leader)!.partitions.get(`${OFFSETS_TOPIC}-${partition}`)!.log;
  const result: { key: Buffer; record: OffsetsTopicRecord }[] = [];
  for (let offset = log.logStartOffset; offset < log.logEndOffset; ) {
    const batches = decodeRecordBatches(log.read(offset, 1 << 20, log.logEndOffset).records);
    for (const batch of batches) {
      for (const r of batch.records) result.push({ key: r.key!, record: decodeOffsetsTopicRecord(r.key!, r.value) });
      offset = batch.header.baseOffset + batch.header.lastOffsetDelta + 1;
    }
  }
  return result.filter(({ record }) => record.group === groupId);
}

describe('__consumer_offsets', () => {
  // Proves the first FindCoordinator makes the controller create the internal topic as Kafka auto-creates it.
  it('is created on first need: compacted, 100 MiB segments, RF capped at the live brokers, shown as internal', () => {
    const sim = new Sim({ settings: { offsetsTopicNumPartitions: 5 } });
    sim.createTopic('orders', 1, 1);
    expect(sim.cluster.snapshot().topics.map((t) => t.name)).toEqual(['orders']);
    sim.cluster.stopBroker(3);
    sim.until(() => sim.cluster.snapshot().brokers.find((b) => b.id === 3)!.fenced, 30_000, 'broker 3 fenced');
    consumer(sim, 'c', []);
    sim.until(() => sim.cluster.snapshot().topics.some((t) => t.name === OFFSETS_TOPIC), 10_000, 'offsets topic');
    const topic = sim.cluster.snapshot().topics.find((t) => t.name === OFFSETS_TOPIC)!;
    expect(topic).toMatchObject({ internal: true, replicationFactor: 2, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '104857600', 'compression.type': 'producer' } });
    expect(topic.partitions).toHaveLength(5);
  });

  // Proves commits and group metadata are records in Kafka's own schemas, and deleting a group writes tombstones.
  it('holds OffsetCommit v1/v3 and GroupMetadata v2/v3 records, and tombstones after DeleteGroups', async () => {
    const sim = new Sim();
    sim.createTopic('orders', 2, 3);
    ok(sim.produce('orders', values('o', 10, { partition: 0 })));
    const consumed: ConsumedRecord[] = [];
    const c = consumer(sim, 'c', consumed, { assignors: ['range'] });
    sim.until(() => caughtUp(sim) && consumed.length === 10, 60_000, 'committed');
    const records = offsetsTopicRecords(sim, 'g');
    const metadata = records.filter((r) => r.record.type === 'group-metadata');
    expect(metadata[0].key.readInt16BE(0)).toBe(2);
    expect(metadata.at(-1)!.record).toMatchObject({ value: { protocolType: 'consumer', protocol: 'range', generation: 1, members: [{ clientId: 'c', clientHost: '/127.0.0.1' }] } });
    const commit = records.filter((r) => r.record.type === 'offset-commit').at(-1)!;
    expect(commit.key.readInt16BE(0)).toBe(1);
    expect(records.some((r) => r.record.type === 'offset-commit' && r.record.partition === 0 && r.record.value?.offset === 10)).toBe(true);

    const busy = await settle(sim, sim.cluster.deleteGroup('g')).catch((e: unknown) => e);
    expect((busy as KafkaError).name).toBe('NON_EMPTY_GROUP');
    await settle(sim, c.close());
    await settle(sim, sim.cluster.deleteGroup('g'));
    const after = offsetsTopicRecords(sim, 'g');
    const tail = after.slice(after.length - 3).map((r) => [r.record.type, r.record.value]);
    expect(tail).toEqual([['offset-commit', null], ['offset-commit', null], ['group-metadata', null]]);
    expect(group(sim)).toBeUndefined();
    const gone = await settle(sim, sim.cluster.deleteGroup('g')).catch((e: unknown) => e);
    expect((gone as KafkaError).name).toBe('GROUP_ID_NOT_FOUND');
  });
});

describe('committed offsets', () => {
  // Proves a group's committed offsets and lag as the tools report them: HW minus committed, or HW minus log start without a commit.
  it('reports committed offsets and lag per partition', async () => {
    const sim = new Sim();
    sim.createTopic('orders', 2, 3);
    ok(sim.produce('orders', values('o', 8, { partition: 0 })));
    ok(sim.produce('orders', values('p', 5, { partition: 1 })));
    const consumed: ConsumedRecord[] = [];
    const c = consumer(sim, 'c', consumed, { recordsPerSecond: 2, assignors: ['range'] });
    sim.until(() => consumed.length >= 3, 60_000, 'consumed some');
    c.pause();
    sim.run(6_000);
    const offsets = await settle(sim, sim.cluster.committedOffsets('g'));
    const byPartition = new Map(offsets.map((o) => [o.partition, o]));
    const positions = new Map(c.snapshot().assignment.map((a) => [a.partition, a.position!]));
    for (const partition of [0, 1]) {
      const row = byPartition.get(partition)!;
      expect(row.committedOffset).toBe(positions.get(partition));
      expect(row.highWatermark).toBe(partition === 0 ? 8 : 5);
      expect(row.lagRecords).toBe(row.highWatermark - row.committedOffset);
    }
    expect(group(sim)!.lagRecords).toBe(13 - consumed.length);
    // A partition assigned but never committed counts from the log start.
    const fresh = sim.cluster.createConsumer({ groupId: 'fresh', topics: ['orders'], autoOffsetReset: 'latest', enableAutoCommit: false });
    sim.until(() => sim.cluster.snapshot().groups.find((g) => g.groupId === 'fresh')?.state === 'Stable', 60_000, 'fresh group');
    const uncommitted = await settle(sim, sim.cluster.committedOffsets('fresh'));
    expect(uncommitted.map((o) => [o.partition, o.committedOffset, o.lagRecords])).toEqual([[0, -1, 8], [1, -1, 5]]);
    void fresh;
  });

  // Proves committed offsets are kept in the log: after a restart of the whole cluster a new member resumes where the group stopped.
  it('survive a restart of the whole cluster', async () => {
    const sim = new Sim();
    sim.createTopic('orders', 3, 3);
    ok(sim.produce('orders', values('before', 30)));
    const first: ConsumedRecord[] = [];
    const c = consumer(sim, 'first', first);
    sim.until(() => caughtUp(sim) && first.length === 30, 60_000, 'committed everything');
    await settle(sim, c.close());
    const committed = group(sim)!.offsets.map((o) => [o.partition, o.committedOffset]);
    sim.restart();
    sim.until(() => sim.leadersReady('orders') && sim.leadersReady(OFFSETS_TOPIC), 60_000, 'leaders after restart');
    sim.until(() => group(sim) !== undefined, 60_000, 'group reloaded');
    expect(group(sim)!.offsets.map((o) => [o.partition, o.committedOffset])).toEqual(committed);
    expect(group(sim)!.state).toBe('Empty');
    const again: ConsumedRecord[] = [];
    consumer(sim, 'second', again);
    ok(sim.produce('orders', values('after', 6)));
    sim.until(() => again.length >= 6, 60_000, 'new records consumed');
    sim.run(5_000);
    expect(again.map((r) => r.value!.toString()).sort()).toEqual(values('after', 6).map((r) => String(r.value)).sort());
  });

  // Proves a stop of the coordinator's broker moves the group with the partition leader, rebuilt from the log, without a rebalance.
  it('move with the coordinator when its broker stops', () => {
    const sim = new Sim();
    sim.createTopic('orders', 3, 3);
    ok(sim.produce('orders', values('a', 15)));
    const consumed: ConsumedRecord[] = [];
    consumer(sim, 'c1', consumed);
    consumer(sim, 'c2', consumed);
    sim.until(() => caughtUp(sim) && consumed.length === 15 && group(sim)!.state === 'Stable', 60_000, 'committed');
    const before = group(sim)!;
    const log: ClusterEvent[] = [];
    sim.cluster.on((e) => log.push(e));
    sim.cluster.stopBroker(before.coordinator);
    sim.until(() => group(sim) !== undefined && group(sim)!.coordinator !== before.coordinator, 60_000, 'new coordinator');
    const after = group(sim)!;
    expect(after).toMatchObject({ state: 'Stable', generationId: before.generationId, leader: before.leader });
    expect(after.offsets.map((o) => o.committedOffset)).toEqual(before.offsets.map((o) => o.committedOffset));
    expect(log.some((e) => e.type === 'group.coordinator-loaded' && e.coordinator === after.coordinator)).toBe(true);
    // Members find the new coordinator and carry on in the same generation.
    sim.until(() => sim.leadersReady('orders'));
    ok(sim.produce('orders', values('b', 9), { retries: 5 }));
    sim.until(() => consumed.length >= 24 && caughtUp(sim), 120_000, 'consumed after failover');
    expect(log.filter((e) => e.type === 'group.rebalance-started')).toEqual([]);
    expect(new Set(consumed.map((r) => `${r.partition}:${r.offset}`)).size).toBe(24);
  });

  // Proves commits reach the event stream gathered per interval, not one event per commit.
  it('emits group.offsets-committed once per interval', () => {
    const sim = new Sim();
    sim.createTopic('orders', 3, 3);
    consumer(sim, 'c', [], { autoCommitIntervalMs: 1_000 });
    sim.until(() => group(sim)?.state === 'Stable', 60_000, 'stable');
    const log: ClusterEvent[] = [];
    sim.cluster.on((e) => log.push(e));
    sim.run(10_000);
    const batches = log.filter((e): e is Extract<ClusterEvent, { type: 'group.offsets-committed' }> => e.type === 'group.offsets-committed');
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.length).toBeLessThanOrEqual(11);
    expect(batches.every((b) => b.commits.length === 3 && b.commits.every((c) => c.groupId === 'g' && c.commits === 1))).toBe(true);
  });
});
