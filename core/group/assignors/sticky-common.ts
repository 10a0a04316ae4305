/**
 * Pieces both sticky builders share: interned partitions, what members report, list removal
 * with Java's ArrayList.remove(Object) meaning.
 */
import type { TopicPartition } from '../consumer-protocol';

/** The generation Kafka uses when a member reports none. */
export const DEFAULT_GENERATION = -1;

/** A partition interned per assignment run, so lists can be searched by identity. */
export interface Tp {
  readonly topic: string;
  readonly partition: number;
}

/** Hands out one object per (topic, partition). */
export class PartitionIndex {
  private readonly byTopic = new Map<string, Tp[]>();

  of(topic: string, partition: number): Tp {
    let list = this.byTopic.get(topic);
    if (!list) this.byTopic.set(topic, (list = []));
    return (list[partition] ??= { topic, partition });
  }

  /** Partitions 0..count-1 of a topic. */
  all(topic: string, count: number): Tp[] {
    return Array.from({ length: count }, (_, partition) => this.of(topic, partition));
  }
}

/** What a member reports about its current ownership (AbstractStickyAssignor.MemberData). */
export interface StickyMemberData {
  partitions: TopicPartition[];
  /** null: the member reported no generation. */
  generation: number | null;
}

/** Removes `item` from `list` by identity, as ArrayList.remove(Object) does; returns whether found. */
export function removeItem<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  list.splice(index, 1);
  return true;
}
