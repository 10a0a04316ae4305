/**
 * Faults a user applies from the window: isolating a broker (it keeps running but reaches no
 * other broker and no controller) and slowing a follower's fetches. Each is listed while
 * active, announced with fault.applied / fault.cleared, and undone by one call.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/index';
import { Sim, ok, values } from './harness';

const LAG_MS = 3_000;

function collect(sim: Sim): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  sim.cluster.on((event) => events.push(event));
  return events;
}

function partition(sim: Sim, topic = 't', index = 0) {
  return sim.cluster.snapshot().topics.find((t) => t.name === topic)!.partitions[index];
}

describe('isolating a broker', () => {
  // Proves an isolated leader loses leadership to an in-sync follower and leaves the ISR, and
  // that healing it brings it back into the ISR as a follower with every record.
  it('moves leadership away from an isolated leader, and the healed broker rejoins the ISR', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS } });
    sim.createTopic('t', 1, 3);
    ok(sim.produce('t', values('a', 10)));
    const before = partition(sim);
    const events = collect(sim);
    sim.cluster.isolateBroker(before.leader);
    expect(sim.cluster.faults()).toEqual([{ kind: 'isolated', brokerId: before.leader }]);
    expect(events[0]).toMatchObject({ type: 'fault.applied', fault: { kind: 'isolated', brokerId: before.leader } });
    sim.until(() => {
      const p = partition(sim);
      return p.leader !== before.leader && p.leader >= 0 && !p.isr.includes(before.leader);
    }, 30_000, 'leadership moved off the isolated broker');
    expect(sim.cluster.brokers.get(before.leader)!.running).toBe(true);
    expect(sim.cluster.snapshot().brokers.find((b) => b.id === before.leader)!.isolated).toBe(true);
    sim.until(() => sim.leadersReady('t'));
    ok(sim.produce('t', values('b', 5)));

    sim.cluster.clearFault({ kind: 'isolated', brokerId: before.leader });
    expect(sim.cluster.faults()).toEqual([]);
    expect(events.some((e) => e.type === 'fault.cleared')).toBe(true);
    sim.until(() => partition(sim).isr.includes(before.leader), 60_000, 'healed broker back in the ISR');
    expect(sim.replicaLog(before.leader, 't', 0).size).toBe(15);
  });

  // Proves an isolated follower falls out of the ISR within the lag time (it is fenced) and rejoins after healing.
  it('drops an isolated follower from the ISR and takes it back after healing', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS } });
    sim.createTopic('t', 1, 3);
    const p = partition(sim);
    const follower = p.replicas.find((id) => id !== p.leader)!;
    sim.cluster.isolateBroker(follower);
    const start = sim.scheduler.now();
    sim.until(() => !partition(sim).isr.includes(follower), 30_000, 'follower out of the ISR');
    expect(sim.scheduler.now() - start).toBeLessThanOrEqual(Math.max(LAG_MS, sim.cluster.settings.brokerSessionTimeoutMs) + 2_000);
    expect(partition(sim).leader).toBe(p.leader);
    sim.cluster.clearAllFaults();
    const healed = sim.scheduler.now();
    sim.until(() => partition(sim).isr.includes(follower), 60_000, 'follower back in the ISR');
    // Requests lost on the cut links fail when it heals, so the follower fetches (and heartbeats)
    // again at once instead of waiting out request.timeout.ms.
    expect(sim.scheduler.now() - healed).toBeLessThan(Math.min(5_000, sim.cluster.settings.requestTimeoutMs));
  });
});

describe('slowing a follower', () => {
  // Proves a follower whose fetches wait longer than replica.lag.time.max.ms leaves the ISR
  // while records arrive (without being fenced), and rejoins once healed and caught up.
  it('drops a slow follower from the ISR and takes it back once healed', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS } });
    sim.createTopic('t', 1, 3);
    const p = partition(sim);
    const follower = p.replicas.find((id) => id !== p.leader)!;
    const events = collect(sim);
    sim.cluster.slowFollower(follower, LAG_MS * 2);
    expect(sim.cluster.faults()).toEqual([{ kind: 'slow-fetches', brokerId: follower, delayMs: LAG_MS * 2 }]);
    let sent = 0;
    const producer = sim.cluster.createProducer({ acks: 1 });
    const tick = (): void => {
      producer.send('t', [{ value: `v${sent++}` }], () => {});
      if (sent < 200) sim.scheduler.schedule(100, tick);
    };
    tick();
    sim.until(() => !partition(sim).isr.includes(follower), 30_000, 'slow follower out of the ISR');
    expect(events.some((e) => e.type === 'isr.shrunk' && e.removed.includes(follower))).toBe(true);
    expect(events.some((e) => e.type === 'broker.fenced' && e.brokerId === follower)).toBe(false);
    sim.cluster.clearFault({ kind: 'slow-fetches', brokerId: follower });
    expect(events.filter((e) => e.type === 'fault.cleared')).toHaveLength(1);
    sim.until(() => partition(sim).isr.includes(follower), 60_000, 'follower back in the ISR');
    producer.close();
  });
});

describe('reassigning a partition', () => {
  // Proves Kafka's reassignment order on a new broker: the new replica is added, catches up,
  // joins the ISR, and only then the removed replica goes (and leadership moves off it).
  it('moves a replica to an added broker: catch up, join the ISR, then drop the old one', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS } });
    sim.createTopic('t', 1, 3);
    ok(sim.produce('t', values('a', 50)));
    const before = partition(sim);
    const added = sim.cluster.addBroker();
    sim.settle();
    const leaving = before.leader;
    const target = [...before.replicas.filter((id) => id !== leaving), added];
    const events = collect(sim);
    sim.cluster.reassignPartition('t', 0, target);
    const during = partition(sim);
    expect(during.addingReplicas).toEqual([added]);
    expect(during.removingReplicas).toEqual([leaving]);
    expect(during.replicas).toEqual([...target, leaving]);
    expect(() => sim.cluster.reassignPartition('t', 0, before.replicas)).toThrow(/REASSIGNMENT_IN_PROGRESS/);
    sim.until(() => partition(sim).addingReplicas.length === 0 && partition(sim).replicas.length === 3, 60_000, 'reassignment complete');
    const after = partition(sim);
    expect(after.replicas).toEqual(target);
    expect(after.isr.sort()).toEqual([...target].sort());
    expect(after.leader).not.toBe(leaving);
    expect(target).toContain(after.leader);
    const kinds = events.map((e) => e.type);
    const joined = events.findIndex((e) => e.type === 'isr.expanded' && e.added.includes(added));
    expect(kinds.indexOf('partition.reassignment-started')).toBeLessThan(joined);
    expect(joined).toBeLessThan(kinds.indexOf('partition.reassignment-completed'));
    expect(events.find((e) => e.type === 'leader.elected')).toMatchObject({ reason: 'reassignment', previousLeader: leaving });
    // The removed broker deletes its replica; the new one has every record.
    sim.until(() => !sim.cluster.brokers.get(leaving)!.partitions.has('t-0'), 10_000, 'old replica removed');
    expect(sim.replicaLog(added, 't', 0).size).toBe(50);
    sim.until(() => sim.leadersReady('t'));
    ok(sim.produce('t', values('b', 5)));
  });

  // Proves cancelling a reassignment returns the partition to its original replicas.
  it('cancels a reassignment back to the original replicas', () => {
    const sim = new Sim();
    sim.createTopic('t', 1, 2);
    const before = partition(sim);
    const other = [1, 2, 3].find((id) => !before.replicas.includes(id))!;
    sim.cluster.isolateBroker(other); // it cannot catch up, so the reassignment stays pending
    sim.cluster.reassignPartition('t', 0, [before.replicas[0], other]);
    expect(partition(sim).addingReplicas).toEqual([other]);
    sim.cluster.cancelReassignment('t', 0);
    expect(partition(sim).replicas).toEqual(before.replicas);
    expect(partition(sim).addingReplicas).toEqual([]);
    expect(() => sim.cluster.cancelReassignment('t', 0)).toThrow(/NO_REASSIGNMENT_IN_PROGRESS/);
  });
});
