/**
 * The in-app clients around groups: the producer runner, the consumer's rate, pause and resume,
 * static membership, and the group admin API.
 */
import { describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../core/index';
import { Sim } from './harness';

async function settle<T>(sim: Sim, promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 2_000 && !settled; i++) {
    sim.run(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return promise;
}

describe('producer runner', () => {
  // Proves one-off, burst and steady-rate sends with templated values, replaying identically from a seed.
  it('sends one record, a burst, and a steady rate with {{seq}}, {{uuid}}, {{time}} and {{random}}', async () => {
    const run = async (): Promise<string[]> => {
      const sim = new Sim({ seed: 9 });
      sim.createTopic('t', 2, 3);
      const runner = sim.cluster.createProducerRunner({ topic: 't', value: '{{seq}} {{time}} {{uuid}} {{random}}', key: 'k{{seq}}' });
      const one = await settle(sim, runner.sendOne());
      expect(one.offset).toBe(0);
      const burst = await settle(sim, runner.sendBurst(1_200));
      expect(burst).toHaveLength(1_200);
      runner.start(50);
      sim.run(10_000);
      runner.stop();
      sim.run(1_000);
      const stats = runner.stats();
      expect(stats.sent).toBeGreaterThanOrEqual(1_201 + 495);
      expect(stats.sent).toBeLessThanOrEqual(1_201 + 505);
      expect(stats).toMatchObject({ acknowledged: stats.sent, failed: 0, recordsPerSecond: null });
      const values: string[] = [];
      for (const partition of [0, 1]) for (const value of sim.replicaLog(sim.cluster.snapshot().topics[0].partitions[partition].leader, 't', partition).values()) values.push(value);
      return values;
    };
    const first = await run();
    const [seq, time, uuid, random] = first.find((v) => v.startsWith('0 '))!.split(' ');
    expect(seq).toBe('0');
    expect(new Date(time).toISOString()).toBe(time);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number(random)).toBeLessThan(1_000_000);
    expect(new Set(first.map((v) => v.split(' ')[0])).size).toBe(first.length);
    expect(await run()).toEqual(first);
  });

  // Proves bad runner input is refused before anything is sent.
  it('refuses bad input', async () => {
    const sim = new Sim();
    expect(() => sim.cluster.createProducerRunner({ topic: '' })).toThrow(/INVALID_TOPIC_EXCEPTION/);
    const runner = sim.cluster.createProducerRunner({ topic: 't' });
    expect(() => runner.start(0)).toThrow(RangeError);
    await expect(runner.sendBurst(0)).rejects.toThrow(RangeError);
    expect(runner.stats().sent).toBe(0);
  });
});

describe('in-app consumer', () => {
  // Proves a consumer consumes at its chosen rate, pauses without leaving the group, and resumes.
  it('consumes at a chosen rate, pauses in the group and resumes', () => {
    const sim = new Sim();
    sim.createTopic('orders', 2, 3);
    const runner = sim.cluster.createProducerRunner({ topic: 'orders' });
    void runner.sendBurst(400);
    sim.run(1_000);
    const consumed: ConsumedRecord[] = [];
    const consumer = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], autoOffsetReset: 'earliest', recordsPerSecond: 20, onRecords: (r) => consumed.push(...r) });
    sim.until(() => consumed.length > 0, 60_000, 'first records');
    const start = consumed.length;
    sim.run(5_000);
    expect(consumed.length - start).toBeGreaterThanOrEqual(95);
    expect(consumed.length - start).toBeLessThanOrEqual(105);
    consumer.pause();
    const paused = consumed.length;
    sim.run(10_000);
    expect(consumed.length).toBe(paused);
    const group = sim.cluster.snapshot().groups[0];
    expect(group).toMatchObject({ state: 'Stable', generationId: 1 });
    expect(group.lagRecords).toBe(400 - paused);
    consumer.resume();
    consumer.setRate(null);
    sim.until(() => consumed.length === 400, 30_000, 'everything consumed');
    expect(new Set(consumed.map((r) => `${r.partition}:${r.offset}`)).size).toBe(400);
    expect(() => consumer.setRate(-1)).toThrow(RangeError);
  });

  // Proves consumer options are checked before anything joins.
  it('refuses bad options', () => {
    const sim = new Sim();
    expect(() => sim.cluster.createConsumer({ groupId: '', topics: ['t'] })).toThrow(/INVALID_GROUP_ID/);
    expect(() => sim.cluster.createConsumer({ groupId: 'g', topics: [] })).toThrow(RangeError);
    expect(() => sim.cluster.createConsumer({ groupId: 'g', topics: ['t'], assignors: ['fastest' as never] })).toThrow(/unknown assignor/);
    expect(() => sim.cluster.createConsumer({ groupId: 'g', topics: ['t'], sessionTimeoutMs: 3_000, heartbeatIntervalMs: 3_000 })).toThrow(RangeError);
    expect(sim.cluster.consumers()).toEqual([]);
  });

  // Proves a static member (group.instance.id) restarting within its session timeout keeps its partitions with no rebalance (KIP-345).
  it('lets a static member restart without a rebalance', () => {
    const sim = new Sim();
    sim.createTopic('orders', 4, 3);
    const options = { groupId: 'g', topics: ['orders'], sessionTimeoutMs: 30_000, assignors: ['range' as const] };
    const a = sim.cluster.createConsumer({ ...options, clientId: 'a', groupInstanceId: 'instance-a' });
    const b = sim.cluster.createConsumer({ ...options, clientId: 'b', groupInstanceId: 'instance-b' });
    sim.until(() => sim.cluster.snapshot().groups[0]?.members.length === 2 && [a, b].every((c) => c.snapshot().memberState === 'stable'), 60_000, 'stable');
    const before = sim.cluster.snapshot().groups[0];
    const assignment = a.assignment();
    a.crash();
    sim.run(5_000);
    const restarted = sim.cluster.createConsumer({ ...options, clientId: 'a', groupInstanceId: 'instance-a' });
    sim.until(() => restarted.snapshot().memberState === 'stable', 30_000, 'restarted member');
    const after = sim.cluster.snapshot().groups[0];
    expect(after.generationId).toBe(before.generationId);
    expect(restarted.assignment()).toEqual(assignment);
    expect(after.members.find((m) => m.groupInstanceId === 'instance-a')!.memberId).not.toBe(before.members.find((m) => m.groupInstanceId === 'instance-a')!.memberId);
  });
});

describe('group admin API', () => {
  // Proves listGroups and describeGroup report what the coordinators hold, over the same requests a tool would send.
  it('lists and describes groups', async () => {
    const sim = new Sim();
    sim.createTopic('orders', 3, 3);
    sim.cluster.createConsumer({ groupId: 'alpha', topics: ['orders'], clientId: 'one', assignors: ['roundrobin'] });
    sim.cluster.createConsumer({ groupId: 'beta', topics: ['orders'], clientId: 'two' });
    sim.until(() => sim.cluster.snapshot().groups.filter((g) => g.state === 'Stable').length === 2, 60_000, 'two groups');
    const listed = await settle(sim, sim.cluster.listGroups());
    expect(listed.map((g) => [g.groupId, g.state, g.protocolType])).toEqual([['alpha', 'Stable', 'consumer'], ['beta', 'Stable', 'consumer']]);
    const alpha = await settle(sim, sim.cluster.describeGroup('alpha'));
    expect(alpha).toMatchObject({ state: 'Stable', protocol: 'roundrobin', coordinator: listed[0].coordinator });
    expect(alpha.members).toHaveLength(1);
    expect(alpha.members[0]).toMatchObject({ clientId: 'one', clientHost: '/127.0.0.1' });
    expect(alpha.members[0].assignment.map((p: { partition: number }) => p.partition)).toEqual([0, 1, 2]);
    expect(await settle(sim, sim.cluster.describeGroup('nobody'))).toMatchObject({ state: 'Dead', members: [] });
  });
});
