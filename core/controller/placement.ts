/**
 * Replica placement as Kafka's rack-unaware assignment does it (AdminUtils
 * assignReplicasToBrokersRackUnaware): the first replica of partition p goes to broker
 * (start + p) mod n, so leaders spread round-robin from a random start; the other replicas
 * follow at a shift that grows by one every n partitions, so followers are staggered and no
 * two brokers always share the same partitions. The first replica is the preferred leader.
 */
import type { Random } from '../time/random';

/** Where the replicas of new partitions go, given the live broker ids. */
export function assignReplicas(
  brokerIds: readonly number[],
  partitionCount: number,
  replicationFactor: number,
  random: Random,
  options: { fixedStartIndex?: number; startPartitionId?: number } = {},
): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) throw new Error(`replication factor ${replicationFactor} is larger than the ${n} available brokers`);
  const fixedStart = options.fixedStartIndex ?? -1;
  const startIndex = fixedStart >= 0 ? fixedStart : random.nextInt(n);
  let nextReplicaShift = fixedStart >= 0 ? fixedStart : random.nextInt(n);
  let currentPartitionId = Math.max(0, options.startPartitionId ?? 0);
  const assignment: number[][] = [];
  for (let i = 0; i < partitionCount; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokers[firstReplicaIndex]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]);
    }
    assignment.push(replicas);
    currentPartitionId += 1;
  }
  return assignment;
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, index: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + index) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}
