import { describe, expect, it } from 'vitest';
import { Sim, ok, values } from './harness';

describe('cluster basics', () => {
  it('starts three brokers with one controller, and a topic is produced to and read back', async () => {
    const sim = new Sim();
    const snapshot = sim.cluster.snapshot();
    expect(snapshot.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(snapshot.brokers.filter((b) => b.controller)).toHaveLength(1);
    expect(snapshot.brokers.every((b) => b.state === 'running' && !b.fenced)).toBe(true);
    sim.createTopic('orders', 3, 3);
    const results = ok(sim.produce('orders', values('v', 5, { partition: 1 })));
    expect(results.map((r) => [r.partition, r.offset])).toEqual([[1, 0], [1, 1], [1, 2], [1, 3], [1, 4]]);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[1].replicaStates.every((r) => r.logEndOffset === 5));
    const p1 = sim.cluster.snapshot().topics[0].partitions[1];
    expect(p1.highWatermark).toBe(5);
    for (const replica of p1.replicas) expect([...sim.replicaLog(replica, 'orders', 1).values()]).toEqual(['v-0', 'v-1', 'v-2', 'v-3', 'v-4']);
  });
});
