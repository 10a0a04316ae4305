/**
 * Consumer groups on a simulated cluster: Kafka's assignments, membership changes (leave, crash,
 * late join, initial delay, new partitions), cooperative and eager rebalancing, and a group
 * mixing in-app members with one that speaks the protocol itself.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent, ConsumedRecord, Consumer, ConsumerOptions } from '../../core/index';
import { decodeAssignment, encodeSubscription } from '../../core/group/consumer-protocol';
import { groupCoordinatorOf } from '../../core/group/coordinator';
import type { JoinGroupResponse } from '../../core/group/messages';
import { Sim } from './harness';

/** Starts `count` consumers of one group, recording what each consumes. */
function consumers(sim: Sim, count: number, options: Partial<ConsumerOptions> & { groupId?: string; topics?: string[] } = {}): { list: Consumer[]; consumed: Map<string, ConsumedRecord[]> } {
  const consumed = new Map<string, ConsumedRecord[]>();
  const list = Array.from({ length: count }, (_, i) => {
    const clientId = `${options.clientId ?? 'consumer'}-${i + 1}`;
    consumed.set(clientId, []);
    return sim.cluster.createConsumer({
      groupId: 'g',
      topics: ['orders'],
      autoOffsetReset: 'earliest',
      ...options,
      clientId,
      onRecords: (records) => consumed.get(clientId)!.push(...records),
    });
  });
  return { list, consumed };
}

function events(sim: Sim): ClusterEvent[] {
  const list: ClusterEvent[] = [];
  sim.cluster.on((event) => list.push(event));
  return list;
}

const stable = (sim: Sim, groupId: string, members: number): boolean => {
  const group = sim.cluster.snapshot().groups.find((g) => g.groupId === groupId);
  return group !== undefined && group.state === 'Stable' && group.members.length === members && sim.cluster.consumers().filter((c) => c.groupId === groupId).every((c) => c.snapshot().memberState === 'stable' || c.state !== 'running');
};

/** Each member's partitions (of one topic), members ordered by member id as the assignors order them. */
function layout(sim: Sim, groupId: string): number[][] {
  const group = sim.cluster.snapshot().groups.find((g) => g.groupId === groupId)!;
  return [...group.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)).map((m) => m.assignment.map((p) => p.partition));
}

describe('consumer group assignment', () => {
  // Proves three consumers of a six-partition topic get two partitions each, in range's and roundrobin's exact layouts.
  it.each([
    ['range', [[0, 1], [2, 3], [4, 5]]],
    ['roundrobin', [[0, 3], [1, 4], [2, 5]]],
  ] as const)('gives three %s consumers two partitions each of six', (assignor, expected) => {
    const sim = new Sim();
    sim.createTopic('orders', 6, 3);
    consumers(sim, 3, { assignors: [assignor] });
    sim.until(() => stable(sim, 'g', 3), 60_000, 'stable group');
    expect(layout(sim, 'g')).toEqual(expected);
    const group = sim.cluster.snapshot().groups[0];
    expect(group).toMatchObject({ protocolType: 'consumer', protocol: assignor, generationId: 1 });
    // The first member to join leads.
    expect(group.leader).toBe(group.members.find((m) => m.clientId === 'consumer-1')!.memberId);
  });
});

describe('membership changes', () => {
  // Proves a member that leaves (close: commit, LeaveGroup) hands its partitions to the others in the next generation.
  it('gives a leaving member’s partitions to the others in the next generation', async () => {
    const sim = new Sim();
    sim.createTopic('orders', 6, 3);
    const { list } = consumers(sim, 3, { assignors: ['range'] });
    sim.until(() => stable(sim, 'g', 3), 60_000, 'stable group');
    const log = events(sim);
    const closed = list[2].close();
    sim.until(() => stable(sim, 'g', 2), 60_000, 'two members');
    await closed;
    const group = sim.cluster.snapshot().groups[0];
    expect(group.generationId).toBe(2);
    expect(group.members.flatMap((m) => m.assignment.map((p) => p.partition)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(log.find((e) => e.type === 'group.rebalance-started')).toMatchObject({ reason: 'member left', generationId: 1 });
    const change = log.find((e) => e.type === 'group.assignment-changed');
    expect(change && change.type === 'group.assignment-changed' && change.members.find((m) => m.clientId === 'consumer-3')?.revoked.length).toBe(2);
  });

  // Proves a crashed member (no heartbeat, no LeaveGroup) is removed once its session timeout passes, and only then.
  it('removes a crashed member after its session timeout', () => {
    const sim = new Sim();
    sim.createTopic('orders', 6, 3);
    const { list } = consumers(sim, 3, { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 });
    sim.until(() => stable(sim, 'g', 3), 60_000, 'stable group');
    const log = events(sim);
    const crashedAt = sim.scheduler.now();
    list[1].crash();
    sim.run(8_000);
    expect(sim.cluster.snapshot().groups[0].members).toHaveLength(3);
    sim.until(() => stable(sim, 'g', 2), 60_000, 'crashed member removed');
    const started = log.find((e) => e.type === 'group.rebalance-started')!;
    expect(started).toMatchObject({ reason: 'session timeout' });
    expect(started.time - crashedAt).toBeGreaterThanOrEqual(9_000);
    expect(started.time - crashedAt).toBeLessThanOrEqual(11_000);
    expect(sim.cluster.snapshot().groups[0].members.flatMap((m) => m.assignment)).toHaveLength(6);
  });

  // Proves an empty group's first rebalance waits group.initial.rebalance.delay.ms, and a member joining late but within the rebalance makes the generation.
  it('waits the initial rebalance delay, and takes a late joiner into the same generation', () => {
    const sim = new Sim({ settings: { groupInitialRebalanceDelayMs: 500 } });
    sim.createTopic('orders', 4, 3);
    const log = events(sim);
    consumers(sim, 1);
    sim.until(() => stable(sim, 'g', 1), 60_000, 'first member');
    const start = log.find((e) => e.type === 'group.rebalance-started')!;
    const completing = log.find((e) => e.type === 'group.state-changed' && e.state === 'CompletingRebalance')!;
    expect(completing.time - start.time).toBe(500);
    // A second member starts a rebalance; a third joins while the first two are still rejoining.
    consumers(sim, 1, { clientId: 'second' });
    sim.until(() => sim.cluster.snapshot().groups[0].state === 'PreparingRebalance', 10_000, 'rebalance');
    sim.run(100);
    consumers(sim, 1, { clientId: 'late' });
    sim.until(() => stable(sim, 'g', 3), 60_000, 'three members');
    expect(sim.cluster.snapshot().groups[0].generationId).toBe(2);
  });

  // Proves growing a subscribed topic makes the leader rejoin (topic metadata changed) and the new partitions get assigned.
  it('rebalances when partitions are added to a subscribed topic', () => {
    const sim = new Sim();
    sim.createTopic('orders', 2, 3);
    consumers(sim, 2, { metadataMaxAgeMs: 5_000 });
    sim.until(() => stable(sim, 'g', 2), 60_000, 'stable group');
    const log = events(sim);
    sim.cluster.createPartitions('orders', 4);
    sim.until(() => sim.leadersReady('orders'));
    sim.until(() => sim.cluster.snapshot().groups[0].members.flatMap((m) => m.assignment).length === 4 && stable(sim, 'g', 2), 60_000, 'four partitions assigned');
    expect(log.find((e) => e.type === 'group.rebalance-started')).toMatchObject({ reason: 'topic metadata changed' });
    expect(sim.cluster.snapshot().groups[0].generationId).toBe(2);
  });
});

describe('cooperative rebalancing (KIP-429)', () => {
  // Proves cooperative-sticky members keep what they own when a member joins: only moved partitions are revoked, and each is owned by nobody for one generation.
  it('keeps owned partitions across a join and revokes only what moves', () => {
    const sim = new Sim();
    sim.createTopic('orders', 6, 3);
    const { list } = consumers(sim, 2, { assignors: ['cooperative-sticky'] });
    sim.until(() => stable(sim, 'g', 2), 60_000, 'stable group');
    const before = new Map(list.map((c) => [c.clientId, c.assignment().map((p) => p.partition)]));
    const log = events(sim);
    const owned = new Map<string, Set<number>>(list.map((c) => [c.clientId, new Set(before.get(c.clientId))]));
    // Watch every task: what old members give up, and that no partition ever has two owners at once.
    const lost: string[] = [];
    const doubled: string[] = [];
    const check = sim.scheduler.afterTask;
    sim.scheduler.afterTask = () => {
      check?.();
      for (const c of list) for (const p of owned.get(c.clientId)!) if (!c.assignment().some((q) => q.partition === p)) lost.push(`${c.clientId}:${p}`);
      for (const c of list) owned.set(c.clientId, new Set(c.assignment().map((p) => p.partition)));
      const all = sim.cluster.consumers().flatMap((c) => c.assignment().map((p) => p.partition));
      if (new Set(all).size !== all.length) doubled.push(all.join(','));
    };
    consumers(sim, 1, { assignors: ['cooperative-sticky'], clientId: 'joiner' });
    sim.until(() => stable(sim, 'g', 3) && sim.cluster.snapshot().groups[0].members.every((m) => m.assignment.length === 2), 60_000, 'balanced');
    sim.scheduler.afterTask = check;
    // Each old member kept two of its three partitions and gave up exactly one.
    for (const c of list) {
      const now = c.assignment().map((p) => p.partition);
      expect(now.every((p) => before.get(c.clientId)!.includes(p))).toBe(true);
      expect(now).toHaveLength(2);
    }
    expect(lost).toHaveLength(2);
    expect(doubled).toEqual([]);
    // Two rebalances: one where the moving partitions are revoked, one where they are assigned.
    const completed = log.filter((e) => e.type === 'group.rebalance-completed');
    expect(completed.map((e) => e.generationId)).toEqual([2, 3]);
    const changes = log.filter((e): e is Extract<ClusterEvent, { type: 'group.assignment-changed' }> => e.type === 'group.assignment-changed');
    expect(changes[0].members.find((m) => m.clientId === 'joiner-1')!.assigned).toEqual([]);
    expect(changes[1].members.find((m) => m.clientId === 'joiner-1')!.assigned).toHaveLength(2);
  });

  // Proves an eager group revokes everything before rejoining while a cooperative one does not stop consuming kept partitions.
  it('eager members revoke everything on a rebalance', () => {
    const sim = new Sim();
    sim.createTopic('orders', 4, 3);
    const { list } = consumers(sim, 1, { assignors: ['range'] });
    sim.until(() => stable(sim, 'g', 1), 60_000, 'stable group');
    let emptied = false;
    const check = sim.scheduler.afterTask;
    sim.scheduler.afterTask = () => {
      check?.();
      if (list[0].assignment().length === 0) emptied = true;
    };
    consumers(sim, 1, { assignors: ['range'], clientId: 'second' });
    sim.until(() => stable(sim, 'g', 2), 60_000, 'two members');
    sim.scheduler.afterTask = check;
    expect(emptied).toBe(true);
    expect(list[0].assignment()).toHaveLength(2);
  });
});

describe('mixed groups', () => {
  // Proves an in-app leader assigns partitions to a member that speaks the consumer protocol on its own (as a remote client would), from its v0 subscription bytes.
  it('assigns to a member that joined with raw JoinGroup and a v0 subscription', () => {
    const sim = new Sim({ settings: { groupInitialRebalanceDelayMs: 0 } });
    sim.createTopic('orders', 4, 3);
    const { list } = consumers(sim, 1, { assignors: ['roundrobin'] });
    sim.until(() => stable(sim, 'g', 1), 60_000, 'in-app member');
    const coordinator = groupCoordinatorOf(sim.cluster.brokers.get(sim.cluster.snapshot().groups[0].coordinator)!)!;
    const context = { clientId: 'rdkafka', clientHost: '/10.0.0.7', apiVersion: 5 };
    const metadata = encodeSubscription({ topics: ['orders'], userData: null, ownedPartitions: [], generationId: -1, rackId: null }, 0);
    const join = (memberId: string, done: (r: JoinGroupResponse) => void): void =>
      coordinator.handleJoinGroup({ groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'roundrobin', metadata }], reason: null }, context, done);
    let joined: JoinGroupResponse | null = null;
    join('', (first) => join(first.memberId, (second) => (joined = second)));
    sim.until(() => joined !== null, 30_000, 'raw join');
    let assignment: Buffer | null = null;
    coordinator.handleSyncGroup({ groupId: 'g', generationId: joined!.generationId, memberId: joined!.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'roundrobin', assignments: [] }, context, (r) => (assignment = r.assignment));
    sim.until(() => assignment !== null && list[0].snapshot().memberState === 'stable', 30_000, 'raw sync');
    expect(decodeAssignment(assignment!).partitions.map((p) => p.partition).sort()).toHaveLength(2);
    expect(list[0].assignment()).toHaveLength(2);
    const remote = sim.cluster.snapshot().groups[0].members.find((m) => m.clientId === 'rdkafka')!;
    expect(remote).toMatchObject({ clientHost: '/10.0.0.7' });
    expect(remote.assignment).toHaveLength(2);
  });
});
