/**
 * Kafka's two sticky assignors over the shared algorithm (sticky.ts):
 *
 * - `sticky` (StickyAssignor) is eager: members revoke everything before rejoining, so each
 *   reports its previous assignment and generation in its subscription's user data
 *   (STICKY_ASSIGNOR_USER_DATA_V1: [topic, [partition]] and an int32 generation).
 * - `cooperative-sticky` (CooperativeStickyAssignor, KIP-429) keeps owned partitions across a
 *   rebalance: members report them as owned partitions with their generation, and a partition
 *   moving between members is left out of this assignment, so its owner revokes it first and
 *   it is handed to its new owner in the follow-up rebalance.
 */
import type { TopicPartition } from '../consumer-protocol';
import { javaHashOrder } from '../java-hash';
import { WireReader, WireWriter } from '../wire';
import type { MemberSubscription, PartitionAssignor, RebalanceProtocol } from './assignor';
import { StickyAlgorithm } from './sticky';
import { DEFAULT_GENERATION, removeItem, type StickyMemberData, type Tp } from './sticky-common';

/** Converts the algorithm's interned partitions to plain ones. */
function plain(assignment: Map<string, Tp[]>): Map<string, TopicPartition[]> {
  return new Map([...assignment].map(([member, list]) => [member, list.map(({ topic, partition }) => ({ topic, partition }))]));
}

/** Encodes the sticky assignor's user data; topics grouped in Java HashMap order, as the Java client writes them. */
export function encodeStickyUserData(partitions: readonly TopicPartition[], generation: number | null): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push(partition);
  }
  const writer = new WireWriter();
  writer.array(javaHashOrder([...byTopic.keys()]), (topic) => {
    writer.string(topic);
    writer.array(byTopic.get(topic)!, (p) => writer.int32(p));
  });
  if (generation !== null) writer.int32(generation);
  return writer.toBuffer();
}

/** Decodes the sticky assignor's user data: V1 (with generation), else V0, else nothing usable. */
export function decodeStickyUserData(bytes: Buffer): StickyMemberData {
  const readPartitions = (reader: WireReader): TopicPartition[] =>
    reader.array(() => ({ topic: reader.string(), partitions: reader.array(() => reader.int32()) })).flatMap((group) =>
      group.partitions.map((partition) => ({ topic: group.topic, partition })),
    );
  try {
    const reader = new WireReader(bytes, 'sticky assignor user data');
    const partitions = readPartitions(reader);
    return { partitions, generation: reader.int32() };
  } catch {
    try {
      return { partitions: readPartitions(new WireReader(bytes, 'sticky assignor user data')), generation: null };
    } catch {
      return { partitions: [], generation: DEFAULT_GENERATION };
    }
  }
}

/** `sticky`: balanced first, then as sticky as possible; eager rebalancing. */
export class StickyAssignor implements PartitionAssignor {
  readonly name = 'sticky' as const;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];
  private memberAssignment: TopicPartition[] | null = null;
  private generation = DEFAULT_GENERATION;
  private readonly algorithm = new StickyAlgorithm((subscription) => StickyAssignor.memberData(subscription));

  /** The eager sticky assignor always reads ownership from user data: owned partitions are revoked before a join. */
  static memberData(subscription: MemberSubscription): StickyMemberData {
    if (subscription.userData === null || subscription.userData.length === 0) return { partitions: [], generation: null };
    return decodeStickyUserData(subscription.userData);
  }

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]> {
    return plain(this.algorithm.run(partitionsPerTopic, subscriptions).assignment);
  }

  subscriptionUserData(): Buffer | null {
    return this.memberAssignment === null ? null : encodeStickyUserData(this.memberAssignment, this.generation);
  }

  onAssignment(partitions: readonly TopicPartition[], generationId: number): void {
    this.memberAssignment = [...partitions];
    this.generation = generationId;
  }
}

/** `cooperative-sticky`: the sticky algorithm with incremental (cooperative) rebalancing. */
export class CooperativeStickyAssignor implements PartitionAssignor {
  readonly name = 'cooperative-sticky' as const;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['cooperative', 'eager'];
  private generation = DEFAULT_GENERATION;
  private readonly algorithm = new StickyAlgorithm((subscription) => CooperativeStickyAssignor.memberData(subscription));

  /** Owned partitions come from the subscription; the generation from it (v2+) or from the user data. */
  static memberData(subscription: MemberSubscription): StickyMemberData {
    if (subscription.generationId >= 0) return { partitions: subscription.ownedPartitions, generation: subscription.generationId };
    if (subscription.userData === null) return { partitions: subscription.ownedPartitions, generation: null };
    let generation = DEFAULT_GENERATION;
    try {
      generation = new WireReader(subscription.userData, 'cooperative-sticky user data').int32();
    } catch {
      // Unreadable user data counts as the default generation, as in Kafka.
    }
    return { partitions: subscription.ownedPartitions, generation };
  }

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]> {
    const result = this.algorithm.run(partitionsPerTopic, subscriptions);
    const transferring = result.partitionsTransferringOwnership ?? transferringOwnership(subscriptions, result.assignment);
    // A partition changing owner goes to nobody this time: its owner must revoke it first.
    for (const [tp, member] of transferring) removeItem(result.assignment.get(member)!, tp);
    return plain(result.assignment);
  }

  subscriptionUserData(): Buffer | null {
    return new WireWriter().int32(this.generation).toBuffer();
  }

  onAssignment(_partitions: readonly TopicPartition[], generationId: number): void {
    this.generation = generationId;
  }
}

/** Partitions newly assigned to one member while another member reported owning them. */
function transferringOwnership(subscriptions: ReadonlyMap<string, MemberSubscription>, assignment: Map<string, Tp[]>): Map<Tp, string> {
  const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
  const added = new Map<string, { tp: Tp; member: string }>();
  const revoked = new Set<string>();
  for (const [member, assigned] of assignment) {
    const owned = subscriptions.get(member)!.ownedPartitions;
    const ownedKeys = new Set(owned.map(key));
    const assignedKeys = new Set(assigned.map(key));
    for (const tp of assigned) if (!ownedKeys.has(key(tp))) added.set(key(tp), { tp, member });
    for (const tp of owned) if (!assignedKeys.has(key(tp))) revoked.add(key(tp));
  }
  const result = new Map<Tp, string>();
  for (const [k, { tp, member }] of added) if (revoked.has(k)) result.set(tp, member);
  return result;
}
