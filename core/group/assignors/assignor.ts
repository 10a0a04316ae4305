/**
 * What a partition assignor is (Kafka's ConsumerPartitionAssignor, client side): the group
 * leader runs one over every member's subscription and the topics' partition counts, and each
 * member's assignor keeps what it must remember between rebalances (the sticky assignors'
 * previous assignment and generation). Names are Kafka's, so remote members that advertise
 * `range` or `roundrobin` agree with in-app members on the group's protocol.
 */
import type { Subscription, TopicPartition } from '../consumer-protocol';

/** Kafka's built-in assignor names. */
export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

/** Every built-in assignor name, in Kafka's documentation order. */
export const ASSIGNOR_NAMES: readonly AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];

/** Eager: revoke everything before each rebalance. Cooperative (KIP-429): revoke only what moves. */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** A member's subscription as the leader decodes it, with its static instance id. */
export interface MemberSubscription extends Subscription {
  groupInstanceId: string | null;
}

/** One assignor instance per consumer. */
export interface PartitionAssignor {
  readonly name: AssignorName;
  /** Protocols this assignor supports, preferred first. */
  readonly supportedProtocols: readonly RebalanceProtocol[];
  /**
   * The leader's computation. `partitionsPerTopic` has the partition count of every subscribed
   * topic that exists; `subscriptions` lists the members in JoinGroup response order. Every
   * member gets an entry in the result, possibly empty.
   */
  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]>;
  /** The user data this member puts in its subscription. */
  subscriptionUserData(): Buffer | null;
  /** This member received `partitions` in generation `generationId`. */
  onAssignment(partitions: readonly TopicPartition[], generationId: number): void;
}

/**
 * Kafka's member order for assignors (AbstractPartitionAssignor.MemberInfo): static members by
 * group.instance.id first, then dynamic members by member id.
 */
export function compareMembers(
  a: { memberId: string; groupInstanceId: string | null },
  b: { memberId: string; groupInstanceId: string | null },
): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** Java's String.compareTo order (UTF-16 code units), which JavaScript's < also follows. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The partitions 0..count-1 of a topic. */
export function partitionsOf(topic: string, count: number): TopicPartition[] {
  return Array.from({ length: count }, (_, partition) => ({ topic, partition }));
}
