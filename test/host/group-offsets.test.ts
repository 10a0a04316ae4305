/**
 * Resetting a group's offsets on the embedded cluster, as `kafka-consumer-groups
 * --reset-offsets --execute` does: refused with NON_EMPTY_GROUP while the group has members;
 * otherwise every partition's offset goes to the earliest, the latest, a given offset (clamped
 * to the log), the first record at a time (the end when none), or the committed offset shifted
 * by N (clamped), committed through the group coordinator; an unknown group is created by it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterHost } from '../../core/host/host';
import type { CommandArgs } from '../../core/host/contract';
import type { SimScheduler } from '../../core/index';
import { openSimHost, settle } from './sim-host';

const hosts: ClusterHost[] = [];

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

/** A host with topic `orders` of 2 partitions: 10 records in each at t0, 10 more in each 10 s later. */
async function openWithRecords(): Promise<{ host: ClusterHost; scheduler: SimScheduler; secondBatchAt: number }> {
  const { host, scheduler } = openSimHost(1);
  hosts.push(host);
  await settle(scheduler, host.execute('createTopic', { name: 'orders', partitions: 2, replicationFactor: 1, configs: {} }));
  const send = (partition: number) => host.execute('produce', { topic: 'orders', records: [{ key: null, value: 'v', headers: [], partition }], acks: -1, repeat: 10 });
  await settle(scheduler, Promise.all([send(0), send(1)]));
  scheduler.runFor(10_000);
  const secondBatchAt = scheduler.now();
  await settle(scheduler, Promise.all([send(0), send(1)]));
  return { host, scheduler, secondBatchAt };
}

async function reset(host: ClusterHost, scheduler: SimScheduler, args: Partial<CommandArgs<'resetGroupOffsets'>> & Pick<CommandArgs<'resetGroupOffsets'>, 'to'>) {
  return settle(scheduler, host.execute('resetGroupOffsets', { groupId: 'billing', topic: 'orders', partitions: null, ...args }));
}

async function committed(host: ClusterHost, scheduler: SimScheduler, groupId = 'billing'): Promise<Record<number, number>> {
  const rows = await settle(scheduler, host.cluster.committedOffsets(groupId));
  return Object.fromEntries(rows.filter((r) => r.topic === 'orders').map((r) => [r.partition, r.committedOffset]));
}

describe('resetGroupOffsets on the embedded cluster', () => {
  it('creates an unknown group and moves its offsets to the earliest, the latest, or an offset clamped to the log', async () => {
    const { host, scheduler } = await openWithRecords();
    const latest = await reset(host, scheduler, { to: { kind: 'latest' } });
    expect(latest).toEqual({ ok: true, value: { partitions: [{ partition: 0, offset: 20 }, { partition: 1, offset: 20 }] } });
    expect(await committed(host, scheduler)).toEqual({ 0: 20, 1: 20 });
    const state = await settle(scheduler, host.cluster.describeGroup('billing'));
    expect(state.state).toBe('Empty');

    expect(await reset(host, scheduler, { partitions: [1], to: { kind: 'earliest' } })).toEqual({ ok: true, value: { partitions: [{ partition: 1, offset: 0 }] } });
    expect(await committed(host, scheduler)).toEqual({ 0: 20, 1: 0 });

    const clamped = await reset(host, scheduler, { partitions: [0, 1, 1], to: { kind: 'offset', offset: 500 } });
    expect(clamped.ok && clamped.value.partitions).toEqual([{ partition: 0, offset: 20 }, { partition: 1, offset: 20 }]);
    const exact = await reset(host, scheduler, { partitions: [0], to: { kind: 'offset', offset: 7 } });
    expect(exact.ok && exact.value.partitions).toEqual([{ partition: 0, offset: 7 }]);
  });

  it('finds offsets by time, the end when no record is that recent', async () => {
    const { host, scheduler, secondBatchAt } = await openWithRecords();
    const atSecondBatch = await reset(host, scheduler, { to: { kind: 'timestamp', timestamp: secondBatchAt } });
    expect(atSecondBatch.ok && atSecondBatch.value.partitions).toEqual([{ partition: 0, offset: 10 }, { partition: 1, offset: 10 }]);
    const future = await reset(host, scheduler, { to: { kind: 'timestamp', timestamp: secondBatchAt + 3_600_000 } });
    expect(future.ok && future.value.partitions).toEqual([{ partition: 0, offset: 20 }, { partition: 1, offset: 20 }]);
  });

  it('shifts from the committed offset (the earliest when none), clamped to the log', async () => {
    const { host, scheduler } = await openWithRecords();
    await reset(host, scheduler, { partitions: [0], to: { kind: 'offset', offset: 12 } });
    const shifted = await reset(host, scheduler, { to: { kind: 'shift', by: -5 } });
    expect(shifted.ok && shifted.value.partitions).toEqual([{ partition: 0, offset: 7 }, { partition: 1, offset: 0 }]);
    const forward = await reset(host, scheduler, { to: { kind: 'shift', by: 15 } });
    expect(forward.ok && forward.value.partitions).toEqual([{ partition: 0, offset: 20 }, { partition: 1, offset: 15 }]);
  });

  it('refuses a group with members (NON_EMPTY_GROUP), then resets it once they are gone', async () => {
    const { host, scheduler } = await openWithRecords();
    const created = await settle(scheduler, host.execute('createConsumerGroup', { groupId: 'billing', topics: ['orders'], members: 1, assignor: 'range', recordsPerSecond: null }));
    const [clientId] = created.ok ? created.value.clientIds : [];
    scheduler.runUntil(() => host.cluster.snapshot().groups.some((g) => g.groupId === 'billing' && g.state === 'Stable'), 30_000);
    scheduler.runFor(3_000);
    const before = await committed(host, scheduler);

    const refused = await reset(host, scheduler, { to: { kind: 'earliest' } });
    expect(!refused.ok && refused.error.name).toBe('NON_EMPTY_GROUP');
    expect(!refused.ok && refused.error.message).toContain('it is Stable with 1 member');
    expect(await committed(host, scheduler)).toEqual(before);

    await settle(scheduler, host.execute('memberAction', { clientId, action: 'close' }));
    scheduler.runUntil(() => host.cluster.snapshot().groups.some((g) => g.groupId === 'billing' && g.state === 'Empty'), 30_000);
    expect(await reset(host, scheduler, { to: { kind: 'earliest' } })).toMatchObject({ ok: true });
    expect(await committed(host, scheduler)).toEqual({ 0: 0, 1: 0 });
  });

  it('refuses unknown topics and partitions, committing nothing', async () => {
    const { host, scheduler } = await openWithRecords();
    const topic = await reset(host, scheduler, { topic: 'nope', to: { kind: 'earliest' } });
    expect(!topic.ok && topic.error.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const partition = await reset(host, scheduler, { partitions: [0, 5], to: { kind: 'earliest' } });
    expect(!partition.ok && partition.error.message).toContain('there is no partition 5');
    const invalid = await reset(host, scheduler, { to: { kind: 'offset', offset: -1 } });
    expect(!invalid.ok && invalid.error.name).toBe('INVALID_REQUEST');
    expect(await committed(host, scheduler)).toEqual({});
  });
});
