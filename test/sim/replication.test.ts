import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/index';
import { Sim, ok, values } from './harness';

function collect(sim: Sim): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  sim.cluster.on((event) => events.push(event));
  return events;
}

describe('placement in a running cluster', () => {
  // Proves that a topic's leaders and replicas are spread evenly over the brokers.
  it('spreads 6 partitions of RF 3 over 3 brokers: two leaders and six replicas each', () => {
    const sim = new Sim();
    sim.createTopic('balanced', 6, 3);
    const snapshot = sim.cluster.snapshot();
    for (const broker of snapshot.brokers) {
      expect(broker.leaderCount).toBe(2);
      expect(broker.replicaCount).toBe(6);
    }
    for (const p of snapshot.topics[0].partitions) {
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.isr.sort()).toEqual([...p.replicas].sort());
    }
  });
});

describe('leader failover', () => {
  // Proves the controller moves leadership to an in-sync replica when a leader's broker dies.
  it('elects a new leader from the ISR when the leader stops, and bumps the epoch', () => {
    const sim = new Sim();
    sim.createTopic('t', 1, 3);
    ok(sim.produce('t', values('a', 10)));
    const before = sim.cluster.snapshot().topics[0].partitions[0];
    const events = collect(sim);
    sim.cluster.stopBroker(before.leader);
    sim.until(() => {
      const p = sim.cluster.snapshot().topics[0].partitions[0];
      return p.leader !== before.leader && p.leader >= 0;
    }, 30_000, 'new leader');
    const after = sim.cluster.snapshot().topics[0].partitions[0];
    expect(before.isr).toContain(after.leader);
    expect(after.leaderEpoch).toBe(before.leaderEpoch + 1);
    expect(after.isr).not.toContain(before.leader);
    const election = events.find((e) => e.type === 'leader.elected');
    expect(election).toMatchObject({ previousLeader: before.leader, leader: after.leader, reason: 'leader fenced' });
    // The new leader has every acknowledged record and keeps taking writes.
    sim.until(() => sim.leadersReady('t'));
    const more = ok(sim.produce('t', values('b', 5)));
    expect(more[0].offset).toBe(10);
  });

  // Proves a returning broker whose replica is the last in-sync one brings the partition back.
  it('takes a partition offline when no in-sync replica is alive, and back when one returns', () => {
    const sim = new Sim();
    sim.createTopic('solo', 1, 1);
    ok(sim.produce('solo', values('x', 3)));
    const leader = sim.cluster.snapshot().topics[0].partitions[0].leader;
    sim.cluster.stopBroker(leader);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].offline, 30_000, 'offline');
    const offline = sim.produce('solo', values('y', 1), { maxMs: 1_000 });
    expect(offline.error?.name).toMatch(/LEADER_NOT_AVAILABLE|NOT_LEADER_OR_FOLLOWER/);
    sim.cluster.startBroker(leader);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].leader === leader && sim.leadersReady('solo'), 30_000, 'back online');
    expect(ok(sim.produce('solo', values('z', 1)))[0].offset).toBe(3);
  });

  // Proves unclean election picks an out-of-sync replica only when the topic allows it.
  it('elects an out-of-sync replica only with unclean.leader.election.enable', () => {
    for (const unclean of [false, true]) {
      const sim = new Sim();
      sim.createTopic('u', 1, 2, { 'unclean.leader.election.enable': String(unclean) });
      const [leader, follower] = sim.cluster.snapshot().topics[0].partitions[0].replicas;
      sim.cluster.stopBroker(follower);
      sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].isr.length === 1, 60_000, 'follower out of ISR');
      sim.cluster.startBroker(follower);
      sim.cluster.stopBroker(leader);
      sim.run(30_000);
      const p = sim.cluster.snapshot().topics[0].partitions[0];
      expect(p.leader).toBe(unclean ? follower : -1);
    }
  });

  // Proves the controller role moves when the controller's broker stops.
  it('moves the controller to another broker when its broker stops', () => {
    const sim = new Sim();
    const events = collect(sim);
    const first = sim.cluster.controllerId;
    sim.cluster.stopBroker(first);
    sim.until(() => sim.cluster.controllerId >= 0 && sim.cluster.controllerId !== first, 10_000, 'new controller');
    const change = events.find((e) => e.type === 'controller.changed');
    expect(change).toMatchObject({ previousControllerId: first, controllerId: sim.cluster.controllerId });
    // The new controller fences the stopped broker after its session timeout.
    sim.until(() => sim.cluster.snapshot().brokers.find((b) => b.id === first)!.fenced, 30_000, 'fenced');
  });
});

describe('in-sync replicas', () => {
  // Proves a lagging follower leaves the ISR after replica.lag.time.max.ms and rejoins once caught up.
  it('shrinks the ISR when a follower is cut off and expands it after healing', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: 10_000 } });
    sim.createTopic('isr', 1, 3);
    const p = sim.cluster.snapshot().topics[0].partitions[0];
    const follower = p.replicas.find((id) => id !== p.leader && id !== sim.cluster.controllerId) ?? p.replicas.find((id) => id !== p.leader)!;
    const events = collect(sim);
    sim.cluster.network.isolate(follower);
    const start = sim.scheduler.now();
    ok(sim.produce('isr', values('a', 20), { acks: 1 }));
    sim.until(() => !sim.cluster.snapshot().topics[0].partitions[0].isr.includes(follower), 60_000, 'ISR shrink');
    const shrunkAt = sim.scheduler.now() - start;
    expect(shrunkAt).toBeGreaterThanOrEqual(10_000);
    expect(shrunkAt).toBeLessThanOrEqual(16_000);
    expect(events.some((e) => e.type === 'isr.shrunk' && e.removed.includes(follower))).toBe(true);
    sim.cluster.network.heal(follower);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].isr.includes(follower), 60_000, 'ISR expand');
    expect(events.some((e) => e.type === 'isr.expanded' && e.added.includes(follower))).toBe(true);
    const replica = sim.cluster.snapshot().topics[0].partitions[0].replicaStates.find((r) => r.brokerId === follower)!;
    expect(replica.logEndOffset).toBe(20);
  });

  // Proves acks=all is refused, with nothing appended, when the ISR is below min.insync.replicas.
  it('rejects acks=all with NOT_ENOUGH_REPLICAS below min.insync.replicas and appends nothing', () => {
    const sim = new Sim();
    sim.createTopic('min', 1, 3, { 'min.insync.replicas': '2' });
    ok(sim.produce('min', values('a', 2)));
    const p = sim.cluster.snapshot().topics[0].partitions[0];
    for (const id of p.replicas.filter((r) => r !== p.leader)) sim.cluster.stopBroker(id);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].isr.length === 1, 60_000, 'ISR of one');
    const rejected = sim.produce('min', values('b', 3));
    expect(rejected.error?.name).toBe('NOT_ENOUGH_REPLICAS');
    expect(rejected.error?.message).toMatch(/only 1 of the 2 required replicas/);
    const leader = sim.cluster.brokers.get(p.leader)!.partitions.get('min-0')!;
    expect(leader.logEndOffset).toBe(2);
    // acks=1 still works: the leader alone takes it.
    expect(ok(sim.produce('min', values('c', 1), { acks: 1 }))[0].offset).toBe(2);
    // The high watermark stays still while the ISR is below the minimum (Kafka 3.7+).
    sim.run(1_000);
    expect(leader.highWatermark).toBe(2);
  });
});

describe('log divergence', () => {
  // Proves a leader that took writes nobody replicated truncates them when it returns as a follower.
  it('truncates a returning leader to the end of its epoch as the new leader reports it', () => {
    const sim = new Sim();
    sim.createTopic('d', 1, 3);
    ok(sim.produce('d', values('base', 5)));
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].highWatermark === 5);
    const oldLeader = sim.cluster.snapshot().topics[0].partitions[0].leader;
    const events = collect(sim);
    // Cut the leader off: clients still reach it, followers and the controller do not.
    sim.cluster.network.isolate(oldLeader);
    ok(sim.produce('d', values('lost', 3), { acks: 1 }));
    expect(sim.cluster.brokers.get(oldLeader)!.partitions.get('d-0')!.logEndOffset).toBe(8);
    sim.until(() => {
      const p = sim.cluster.snapshot().topics[0].partitions[0];
      return p.leader !== oldLeader && p.leader >= 0;
    }, 60_000, 'new leader');
    sim.until(() => sim.leadersReady('d'));
    ok(sim.produce('d', values('kept', 4)));
    sim.cluster.network.heal(oldLeader);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].isr.length === 3, 60_000, 'old leader back in sync');
    const truncation = events.find((e) => e.type === 'replica.truncated' && e.brokerId === oldLeader);
    expect(truncation).toMatchObject({ fromOffset: 8, toOffset: 5 });
    const expected = [...values('base', 5), ...values('kept', 4)].map((r) => r.value);
    for (const id of [1, 2, 3]) expect([...sim.replicaLog(id, 'd', 0).values()]).toEqual(expected);
  });
});
