/**
 * Committed offsets held in memory by a coordinator for its groups: the latest
 * OffsetCommitValue per (group, topic, partition) that reached __consumer_offsets.
 */

/** One committed offset as the coordinator keeps it. */
export interface CommittedOffset {
  /** The next offset the group will read. */
  offset: number;
  /** Leader epoch of the last record read, or -1. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

/** Committed offsets by group, topic and partition. */
export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  set(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    let topics = this.byGroup.get(groupId);
    if (!topics) this.byGroup.set(groupId, (topics = new Map()));
    let partitions = topics.get(topic);
    if (!partitions) topics.set(topic, (partitions = new Map()));
    partitions.set(partition, value);
  }

  delete(groupId: string, topic: string, partition: number): void {
    const topics = this.byGroup.get(groupId);
    const partitions = topics?.get(topic);
    if (!topics || !partitions) return;
    partitions.delete(partition);
    if (partitions.size === 0) topics.delete(topic);
    if (topics.size === 0) this.byGroup.delete(groupId);
  }

  /** Every committed offset of a group, sorted by topic and partition. */
  list(groupId: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    const topics = this.byGroup.get(groupId);
    if (!topics) return [];
    const result: { topic: string; partition: number; committed: CommittedOffset }[] = [];
    for (const topic of [...topics.keys()].sort()) {
      const partitions = topics.get(topic)!;
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) result.push({ topic, partition, committed: partitions.get(partition)! });
    }
    return result;
  }

  hasOffsets(groupId: string): boolean {
    return this.byGroup.has(groupId);
  }

  /** Drops a group's offsets (its partition of the offsets topic moved away, or it was deleted). */
  deleteGroup(groupId: string): void {
    this.byGroup.delete(groupId);
  }

  /** Groups with at least one committed offset. */
  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }
}
