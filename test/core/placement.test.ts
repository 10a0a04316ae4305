import { describe, expect, it } from 'vitest';
import { assignReplicas } from '../../core/controller/placement';
import { Random } from '../../core/time/random';

describe('replica placement (Kafka rack-unaware assignment)', () => {
  it('matches the assignment in Kafka AdminUtils tests for 5 brokers, 10 partitions, RF 3, start 0', () => {
    const assignment = assignReplicas([0, 1, 2, 3, 4], 10, 3, new Random(1), { fixedStartIndex: 0 });
    expect(assignment).toEqual([
      [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
      [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
    ]);
  });

  it('spreads leaders evenly and never repeats a broker within a partition', () => {
    for (let seed = 0; seed < 50; seed++) {
      const assignment = assignReplicas([1, 2, 3, 4, 5, 6], 60, 3, new Random(seed));
      const leaders = new Map<number, number>();
      const replicas = new Map<number, number>();
      for (const list of assignment) {
        expect(new Set(list).size).toBe(3);
        leaders.set(list[0], (leaders.get(list[0]) ?? 0) + 1);
        for (const id of list) replicas.set(id, (replicas.get(id) ?? 0) + 1);
      }
      expect([...leaders.values()]).toEqual([10, 10, 10, 10, 10, 10]);
      expect([...replicas.values()]).toEqual([30, 30, 30, 30, 30, 30]);
    }
  });

  it('continues the leaders round-robin when partitions are added (as Kafka passes start index and partition id)', () => {
    const added = assignReplicas([0, 1, 2, 3, 4], 4, 3, new Random(1), { fixedStartIndex: 0, startPartitionId: 6 });
    expect(added.map((replicas) => replicas[0])).toEqual([1, 2, 3, 4]);
    // The shift restarts from the start index, exactly as AdminUtils does it.
    expect(added).toEqual([[1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1]]);
  });

  it('rejects a replication factor above the broker count', () => {
    expect(() => assignReplicas([1, 2], 1, 3, new Random(1))).toThrow(/replication factor 3/);
  });
});
