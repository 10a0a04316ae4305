/**
 * The shared algorithm of Kafka's `sticky` and `cooperative-sticky` assignors
 * (AbstractStickyAssignor), without rack awareness: keep as many previously owned partitions
 * as balance allows, then hand out the rest. When every member subscribes to the same topics
 * the quota-based "constrained" builder below runs; otherwise the general builder
 * (sticky-general.ts). Previously owned partitions claimed by two members are settled by
 * generation, as Kafka settles them.
 *
 * The decisions follow Kafka's order step by step, including the order in which its HashMaps
 * hand out members (see java-hash.ts), so the same input gives the same assignment.
 */
import { JavaHashMap } from '../java-hash';
import { compareStrings, type MemberSubscription } from './assignor';
import { DEFAULT_GENERATION, PartitionIndex, removeItem, type StickyMemberData, type Tp } from './sticky-common';
import { GeneralAssignmentBuilder } from './sticky-general';

/** An assignment and, for the cooperative assignor, partitions moving from one member to another. */
export interface StickyResult {
  assignment: Map<string, Tp[]>;
  /** Partition to its new owner; null when the general builder ran (then computed afterwards). */
  partitionsTransferringOwnership: Map<Tp, string> | null;
}

/** One assignor's sticky state: the highest generation seen survives between runs, as in Kafka. */
export class StickyAlgorithm {
  maxGeneration = DEFAULT_GENERATION;

  constructor(private readonly memberData: (subscription: MemberSubscription) => StickyMemberData) {}

  /** Computes an assignment (AbstractStickyAssignor.assignPartitions). */
  run(partitionsPerTopic: ReadonlyMap<string, number>, input: ReadonlyMap<string, MemberSubscription>): StickyResult {
    const index = new PartitionIndex();
    // The leader puts subscriptions into a HashMap: walk them in its order.
    const subscriptions = new JavaHashMap<MemberSubscription>();
    for (const [memberId, subscription] of input) subscriptions.set(memberId, subscription);
    const owned = new JavaHashMap<Tp[]>();
    const multiplyClaimed = new Set<Tp>();
    if (this.allSubscriptionsEqual(partitionsPerTopic, subscriptions, owned, multiplyClaimed, index)) {
      const transferring = new Map<Tp, string>();
      const assignment = new ConstrainedAssignmentBuilder(partitionsPerTopic, owned, multiplyClaimed, transferring, index).build();
      return { assignment, partitionsTransferringOwnership: transferring };
    }
    const builder = new GeneralAssignmentBuilder(partitionsPerTopic, owned, subscriptions, index, this.memberData, this.maxGeneration);
    return { assignment: builder.build(), partitionsTransferringOwnership: null };
  }

  /**
   * Whether every member subscribes to the same topics; fills each member's still-valid owned
   * partitions, settling partitions claimed twice by generation.
   */
  private allSubscriptionsEqual(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: JavaHashMap<MemberSubscription>,
    ownedByMember: JavaHashMap<Tp[]>,
    multiplyClaimed: Set<Tp>,
    index: PartitionIndex,
  ): boolean {
    let allEqual = true;
    const subscribedTopics = new Set<string>();
    const previousOwner = new Map<Tp, string>();
    for (const [member, subscription] of subscriptions) {
      if (subscribedTopics.size === 0) {
        for (const topic of subscription.topics) subscribedTopics.add(topic);
      } else if (allEqual && !(subscription.topics.length === subscribedTopics.size && subscription.topics.every((t) => subscribedTopics.has(t)))) {
        allEqual = false;
      }
      const data = this.memberData(subscription);
      const generation = data.generation ?? DEFAULT_GENERATION;
      this.maxGeneration = Math.max(this.maxGeneration, generation);
      const owned: Tp[] = [];
      ownedByMember.set(member, owned);
      for (const { topic, partition } of data.partitions) {
        if (!partitionsPerTopic.has(topic)) continue;
        const tp = index.of(topic, partition);
        const other = previousOwner.get(tp);
        if (other === undefined) {
          owned.push(tp);
          previousOwner.set(tp, member);
          continue;
        }
        // Kafka compares against the other member's subscription generation, not its user data.
        const otherGeneration = Math.max(subscriptions.get(other)!.generationId, DEFAULT_GENERATION);
        if (generation === otherGeneration) {
          multiplyClaimed.add(tp);
          removeItem(ownedByMember.get(other)!, tp);
          previousOwner.set(tp, member);
        } else if (generation > otherGeneration) {
          owned.push(tp);
          removeItem(ownedByMember.get(other)!, tp);
          previousOwner.set(tp, member);
        }
      }
    }
    return allEqual;
  }
}

/**
 * The quota-based builder for members with identical subscriptions: each keeps up to its quota
 * of owned partitions (maxQuota for the first few, minQuota for the others), then the
 * unassigned partitions are dealt round robin to members under quota.
 */
class ConstrainedAssignmentBuilder {
  private readonly maybeRevoked = new Map<Tp, string>();
  private readonly underMinQuota: string[] = [];
  private exactlyMinQuota: string[] = [];
  private readonly minQuota: number;
  private readonly maxQuota: number;
  private readonly expectedOverMinQuota: number;
  private currentOverMinQuota = 0;
  private readonly assignment = new Map<string, Tp[]>();
  private readonly assigned: Tp[] = [];
  private readonly totalPartitions: number;

  constructor(
    private readonly partitionsPerTopic: ReadonlyMap<string, number>,
    private readonly owned: JavaHashMap<Tp[]>,
    private readonly multiplyClaimed: Set<Tp>,
    private readonly transferring: Map<Tp, string>,
    private readonly index: PartitionIndex,
  ) {
    this.totalPartitions = [...partitionsPerTopic.values()].reduce((sum, count) => sum + count, 0);
    const members = owned.size;
    this.minQuota = Math.floor(this.totalPartitions / members);
    this.maxQuota = Math.ceil(this.totalPartitions / members);
    this.expectedOverMinQuota = this.totalPartitions % members;
    for (const member of owned.keys()) this.assignment.set(member, []);
  }

  build(): Map<string, Tp[]> {
    this.assignOwnedPartitions();
    const unassigned = this.unassignedPartitions();
    this.underMinQuota.sort(compareStrings);
    this.exactlyMinQuota.sort(compareStrings);
    this.assignRoundRobin(unassigned);
    this.verifyUnfilledMembers();
    return this.assignment;
  }

  private keep(member: string, partitions: Tp[]): void {
    this.assignment.get(member)!.push(...partitions);
    this.assigned.push(...partitions);
  }

  private assignOwnedPartitions(): void {
    for (const [member, ownedPartitions] of this.owned) {
      const owned = [...ownedPartitions].sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic));
      for (const claimed of this.multiplyClaimed) removeItem(owned, claimed);
      if (owned.length < this.minQuota) {
        this.keep(member, owned);
        this.underMinQuota.push(member);
      } else if (owned.length >= this.maxQuota && this.currentOverMinQuota < this.expectedOverMinQuota) {
        this.currentOverMinQuota++;
        if (this.currentOverMinQuota === this.expectedOverMinQuota) this.exactlyMinQuota = [];
        this.keep(member, owned.slice(0, this.maxQuota));
        for (const tp of owned.slice(this.maxQuota)) this.maybeRevoked.set(tp, member);
      } else {
        this.keep(member, owned.slice(0, this.minQuota));
        for (const tp of owned.slice(this.minQuota)) this.maybeRevoked.set(tp, member);
        if (this.currentOverMinQuota < this.expectedOverMinQuota) this.exactlyMinQuota.push(member);
      }
    }
  }

  /** Every partition not kept, sorted by topic then partition. */
  private unassignedPartitions(): Tp[] {
    const assigned = new Set(this.assigned);
    const result: Tp[] = [];
    for (const topic of [...this.partitionsPerTopic.keys()].sort(compareStrings)) {
      for (const tp of this.index.all(topic, this.partitionsPerTopic.get(topic)!)) if (!assigned.has(tp)) result.push(tp);
    }
    return result;
  }

  private assignRoundRobin(unassigned: Tp[]): void {
    // A cursor over the members under quota that can remove the member it just returned.
    let cursor = 0;
    unassigned.forEach((tp, position) => {
      let member: string;
      let fromUnder = false;
      if (cursor < this.underMinQuota.length) {
        member = this.underMinQuota[cursor++];
        fromUnder = true;
      } else if (this.underMinQuota.length === 0 && this.exactlyMinQuota.length === 0) {
        throw new Error(`No more unfilled consumers to be assigned; ${unassigned.length - position} partitions remain`);
      } else if (this.underMinQuota.length === 0) {
        member = this.exactlyMinQuota.shift()!;
      } else {
        cursor = 0;
        member = this.underMinQuota[cursor++];
        fromUnder = true;
      }
      const list = this.assignment.get(member)!;
      list.push(tp);
      const previous = this.maybeRevoked.get(tp);
      if ((previous !== undefined && previous !== member) || this.multiplyClaimed.has(tp)) this.transferring.set(tp, member);
      if (list.length === this.minQuota) {
        // Kafka removes the member its under-quota iterator last returned.
        if (fromUnder) this.underMinQuota.splice(--cursor, 1);
        this.exactlyMinQuota.push(member);
      } else if (list.length === this.maxQuota) {
        this.currentOverMinQuota++;
      }
    });
  }

  private verifyUnfilledMembers(): void {
    if (this.underMinQuota.length === 0) return;
    if (this.currentOverMinQuota !== this.expectedOverMinQuota) {
      throw new Error("The sticky assignor didn't reach the expected number of members with more than the minQuota partitions");
    }
    for (const member of this.underMinQuota) {
      if (this.assignment.get(member)!.length !== this.minQuota) throw new Error(`Consumer ${member} doesn't reach minQuota partitions`);
    }
  }
}
