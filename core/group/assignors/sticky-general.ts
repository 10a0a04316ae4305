/**
 * The sticky assignors' general builder (AbstractStickyAssignor.GeneralAssignmentBuilder), for
 * members whose subscriptions differ: keep every still-valid owned partition, give each
 * unassigned partition to the least loaded member that can take it, then move partitions from
 * the most to the least loaded members until the assignment is balanced, preferring to move a
 * partition back to its owner of an earlier generation and never moving partitions back and
 * forth between the same two members (PartitionMovements). Without rack awareness.
 */
import { JavaHashMap, topicPartitionHashCode } from '../java-hash';
import { compareStrings, type MemberSubscription } from './assignor';
import { DEFAULT_GENERATION, removeItem, type PartitionIndex, type StickyMemberData, type Tp } from './sticky-common';

/** Members ascending by partition count, then member id: Kafka's TreeSet with SubscriptionComparator. */
class MembersByLoad {
  private readonly members: string[] = [];

  constructor(private readonly assignment: Map<string, Tp[]>) {}

  private compare(a: string, b: string): number {
    return this.assignment.get(a)!.length - this.assignment.get(b)!.length || compareStrings(a, b);
  }

  private search(member: string): number {
    let low = 0;
    let high = this.members.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.compare(this.members[middle], member) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(member: string): void {
    const at = this.search(member);
    if (this.members[at] !== member) this.members.splice(at, 0, member);
  }

  remove(member: string): void {
    const at = this.search(member);
    if (this.members[at] === member) this.members.splice(at, 1);
  }

  first(): string {
    return this.members[0];
  }

  last(): string {
    return this.members[this.members.length - 1];
  }

  [Symbol.iterator](): Iterator<string> {
    return this.members[Symbol.iterator]();
  }
}

/** A partition's movement from one member to another during this assignment. */
interface MemberPair {
  source: string;
  destination: string;
}

const pairKey = (source: string, destination: string): string => `${source}\u0000${destination}`;
const tpKey = (tp: Tp): string => `${tp.partition}\u0000${tp.topic}`;

function tpKeyHash(key: string): number {
  const split = key.indexOf('\u0000');
  return topicPartitionHashCode(key.slice(split + 1), Number(key.slice(0, split)));
}

/** Kafka's PartitionMovements: which partitions moved between which members, per topic. */
class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, JavaHashMap<Tp>>>();
  private readonly movements = new Map<Tp, MemberPair>();

  private removeRecord(tp: Tp): MemberPair {
    const pair = this.movements.get(tp)!;
    this.movements.delete(tp);
    const forTopic = this.byTopic.get(tp.topic)!;
    const key = pairKey(pair.source, pair.destination);
    const set = forTopic.get(key)!;
    set.delete(tpKey(tp));
    if (set.size === 0) forTopic.delete(key);
    if (forTopic.size === 0) this.byTopic.delete(tp.topic);
    return pair;
  }

  private addRecord(tp: Tp, pair: MemberPair): void {
    this.movements.set(tp, pair);
    let forTopic = this.byTopic.get(tp.topic);
    if (!forTopic) this.byTopic.set(tp.topic, (forTopic = new Map()));
    const key = pairKey(pair.source, pair.destination);
    let set = forTopic.get(key);
    if (!set) forTopic.set(key, (set = new JavaHashMap<Tp>(tpKeyHash)));
    set.set(tpKey(tp), tp);
  }

  move(tp: Tp, from: string, to: string): void {
    if (!this.movements.has(tp)) {
      this.addRecord(tp, { source: from, destination: to });
      return;
    }
    const existing = this.removeRecord(tp);
    // A partition moving back to where it started leaves no record.
    if (existing.source !== to) this.addRecord(tp, { source: existing.source, destination: to });
  }

  /**
   * The partition to move instead of `tp`: when some partition of the topic already moved the
   * other way between the two members, that one moves back (the first in Java's HashSet order).
   */
  actualPartitionToMove(tp: Tp, from: string, to: string): Tp {
    const forTopic = this.byTopic.get(tp.topic);
    if (!forTopic) return tp;
    const origin = this.movements.get(tp)?.source ?? from;
    const reverse = forTopic.get(pairKey(to, origin));
    if (!reverse) return tp;
    return reverse.get(reverse.keys()[0])!;
  }
}

/** The general sticky builder; one instance per assignment. */
export class GeneralAssignmentBuilder {
  private readonly topicMembers = new Map<string, string[]>();
  private readonly memberTopics = new Map<string, string[]>();
  private readonly partitionOwner = new Map<Tp, string>();
  private readonly sortedPartitions: Tp[];
  private readonly current = new Map<string, Tp[]>();
  private readonly byLoad: MembersByLoad;
  private readonly movements = new PartitionMovements();
  private readonly totalPartitions: number;
  private revocationRequired = false;

  constructor(
    private readonly partitionsPerTopic: ReadonlyMap<string, number>,
    owned: JavaHashMap<Tp[]>,
    private readonly subscriptions: JavaHashMap<MemberSubscription>,
    private readonly index: PartitionIndex,
    private readonly memberData: (subscription: MemberSubscription) => StickyMemberData,
    private readonly maxGeneration: number,
  ) {
    this.totalPartitions = [...partitionsPerTopic.values()].reduce((sum, count) => sum + count, 0);
    for (const topic of partitionsPerTopic.keys()) this.topicMembers.set(topic, []);
    for (const [member, subscription] of subscriptions) {
      const topics: string[] = [];
      this.memberTopics.set(member, topics);
      for (const topic of subscription.topics) {
        if (!partitionsPerTopic.has(topic)) continue;
        topics.push(topic);
        this.topicMembers.get(topic)!.push(member);
      }
    }
    for (const [member, partitions] of owned) this.current.set(member, partitions);
    for (const member of this.memberTopics.keys()) if (!this.current.has(member)) this.current.set(member, []);
    for (const [member, partitions] of this.current) for (const tp of partitions) this.partitionOwner.set(tp, member);
    const topicOrder = [...this.topicMembers.keys()].sort(
      (a, b) => this.topicMembers.get(a)!.length - this.topicMembers.get(b)!.length || compareStrings(a, b),
    );
    this.sortedPartitions = topicOrder.flatMap((topic) => index.all(topic, partitionsPerTopic.get(topic)!));
    this.byLoad = new MembersByLoad(this.current);
  }

  build(): Map<string, Tp[]> {
    const previous = this.previousAssignment();
    const assigned = this.keepOwnedPartitions();
    const unassigned = this.sortedPartitions.filter((tp) => !assigned.has(tp));
    for (const member of this.current.keys()) this.byLoad.add(member);
    this.balance(previous, unassigned);
    return this.current;
  }

  /** Owned partitions reported with an older generation: where a partition was before. */
  private previousAssignment(): Map<Tp, { member: string; generation: number }> {
    const previous = new Map<Tp, { member: string; generation: number }>();
    const record = (partitions: StickyMemberData['partitions'], member: string, generation: number): void => {
      for (const { topic, partition } of partitions) {
        const tp = this.index.of(topic, partition);
        const existing = previous.get(tp);
        if (!existing || generation > existing.generation) previous.set(tp, { member, generation });
      }
    };
    for (const [member, subscription] of this.subscriptions) {
      const data = this.memberData(subscription);
      if (data.generation !== null && data.generation < this.maxGeneration) record(data.partitions, member, data.generation);
      else if (data.generation === null && this.maxGeneration > DEFAULT_GENERATION) record(data.partitions, member, DEFAULT_GENERATION);
    }
    return previous;
  }

  /** Keeps owned partitions of still-subscribed topics; returns them. */
  private keepOwnedPartitions(): Set<Tp> {
    const assigned = new Set<Tp>();
    for (const [member, partitions] of this.current) {
      const subscription = this.subscriptions.get(member)!;
      for (const tp of [...partitions]) {
        if (!this.topicMembers.has(tp.topic)) {
          removeItem(partitions, tp);
          this.partitionOwner.delete(tp);
        } else if (!subscription.topics.includes(tp.topic)) {
          removeItem(partitions, tp);
          this.revocationRequired = true;
        } else {
          assigned.add(tp);
        }
      }
    }
    return assigned;
  }

  private maxAssignmentSize(topics: string[]): number {
    if (topics.length === this.partitionsPerTopic.size) return this.totalPartitions;
    return topics.reduce((sum, topic) => sum + this.partitionsPerTopic.get(topic)!, 0);
  }

  private isBalanced(): boolean {
    const min = this.current.get(this.byLoad.first())!.length;
    const max = this.current.get(this.byLoad.last())!.length;
    if (min >= max - 1) return true;
    const owners = new Map<Tp, string>();
    for (const [member, partitions] of this.current) for (const tp of partitions) owners.set(tp, member);
    for (const member of this.byLoad) {
      const partitions = this.current.get(member)!;
      const topics = this.memberTopics.get(member)!;
      if (partitions.length === this.maxAssignmentSize(topics)) continue;
      for (const topic of topics) {
        for (const tp of this.index.all(topic, this.partitionsPerTopic.get(topic)!)) {
          if (partitions.includes(tp)) continue;
          const other = owners.get(tp);
          const otherCount = other === undefined ? 0 : (this.current.get(other)?.length ?? 0);
          if (partitions.length + 1 < otherCount) return false;
        }
      }
    }
    return true;
  }

  private static balanceScore(assignment: Map<string, Tp[]>): number {
    const sizes = [...assignment.values()].map((list) => list.length);
    let score = 0;
    for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i] - sizes[j]);
    return score;
  }

  /** Gives `tp` to the least loaded member subscribed to its topic. */
  private assignToLeastLoaded(tp: Tp): void {
    for (const member of this.byLoad) {
      if (!this.memberTopics.get(member)!.includes(tp.topic)) continue;
      this.byLoad.remove(member);
      this.current.get(member)!.push(tp);
      this.partitionOwner.set(tp, member);
      this.byLoad.add(member);
      return;
    }
  }

  private canMemberParticipate(member: string): boolean {
    const partitions = this.current.get(member)!;
    if (partitions.length < this.maxAssignmentSize(this.memberTopics.get(member)!)) return true;
    return partitions.some((tp) => this.topicMembers.get(tp.topic)!.length >= 2);
  }

  private balance(previous: Map<Tp, { member: string; generation: number }>, unassigned: Tp[]): void {
    const initializing = this.current.get(this.byLoad.last())!.length === 0;
    for (const tp of unassigned) if (this.topicMembers.get(tp.topic)!.length > 0) this.assignToLeastLoaded(tp);
    // Only partitions with two or more candidate members, and members that could change, take part.
    const fixedTopics = new Set([...this.topicMembers].filter(([, members]) => members.length < 2).map(([topic]) => topic));
    const reassignable = this.sortedPartitions.filter((tp) => !fixedTopics.has(tp.topic));
    const reassignableUnassigned = unassigned.filter((tp) => !fixedTopics.has(tp.topic));
    const fixed = new Map<string, Tp[]>();
    for (const member of this.memberTopics.keys()) {
      if (this.canMemberParticipate(member)) continue;
      this.byLoad.remove(member);
      fixed.set(member, this.current.get(member)!);
      this.current.delete(member);
    }
    const before = new Map([...this.current].map(([member, list]) => [member, [...list]]));
    const ownersBefore = new Map(this.partitionOwner);
    if (!this.revocationRequired) this.performReassignments(reassignableUnassigned, previous);
    const moved = this.performReassignments(reassignable, previous);
    if (!initializing && moved && GeneralAssignmentBuilder.balanceScore(this.current) >= GeneralAssignmentBuilder.balanceScore(before)) {
      this.current.clear();
      for (const [member, list] of before) this.current.set(member, list);
      this.partitionOwner.clear();
      for (const [tp, member] of ownersBefore) this.partitionOwner.set(tp, member);
    }
    for (const [member, list] of fixed) {
      this.current.set(member, list);
      this.byLoad.add(member);
    }
  }

  private performReassignments(partitions: Tp[], previous: Map<Tp, { member: string; generation: number }>): boolean {
    let performed = false;
    let modified: boolean;
    do {
      modified = false;
      for (const tp of partitions) {
        if (this.isBalanced()) break;
        const owner = this.partitionOwner.get(tp)!;
        const ownerCount = this.current.get(owner)!.length;
        const before = previous.get(tp);
        const beforeCount = before === undefined ? undefined : this.current.get(before.member)?.length;
        if (before !== undefined && beforeCount !== undefined && ownerCount > beforeCount + 1) {
          this.reassign(tp, before.member);
          performed = modified = true;
          continue;
        }
        for (const other of this.topicMembers.get(tp.topic)!) {
          const otherCount = this.current.get(other)?.length;
          if (otherCount !== undefined && ownerCount > otherCount + 1) {
            this.reassign(tp, this.leastLoadedFor(tp));
            performed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return performed;
  }

  private leastLoadedFor(tp: Tp): string {
    for (const member of this.byLoad) if (this.memberTopics.get(member)!.includes(tp.topic)) return member;
    throw new Error(`no member can take ${tp.topic}-${tp.partition}`);
  }

  private reassign(tp: Tp, to: string): void {
    const moving = this.movements.actualPartitionToMove(tp, this.partitionOwner.get(tp)!, to);
    const from = this.partitionOwner.get(moving)!;
    this.byLoad.remove(from);
    this.byLoad.remove(to);
    this.movements.move(moving, from, to);
    removeItem(this.current.get(from)!, moving);
    this.current.get(to)!.push(moving);
    this.partitionOwner.set(moving, to);
    this.byLoad.add(to);
    this.byLoad.add(from);
  }
}

