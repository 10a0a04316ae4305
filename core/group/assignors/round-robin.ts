/**
 * Kafka's RoundRobinAssignor (`roundrobin`): every subscribed partition, sorted by topic then
 * partition, is dealt to the members in member order, going round in a circle and skipping a
 * member not subscribed to the partition's topic.
 */
import type { TopicPartition } from '../consumer-protocol';
import { compareMembers, compareStrings, type MemberSubscription, type PartitionAssignor, type RebalanceProtocol } from './assignor';

/** Kafka's `roundrobin` assignor. */
export class RoundRobinAssignor implements PartitionAssignor {
  readonly name = 'roundrobin' as const;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]> {
    const assignment = new Map<string, TopicPartition[]>();
    const members = [...subscriptions].map(([memberId, subscription]) => ({ memberId, groupInstanceId: subscription.groupInstanceId, topics: new Set(subscription.topics) }));
    for (const member of members) assignment.set(member.memberId, []);
    members.sort(compareMembers);
    const topics = [...new Set(members.flatMap((member) => [...member.topics]))].sort(compareStrings);
    // The circle's cursor: the member the next partition is offered to first.
    let next = 0;
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic);
      if (count === undefined) continue;
      for (let partition = 0; partition < count; partition++) {
        while (!members[next].topics.has(topic)) next = (next + 1) % members.length;
        assignment.get(members[next].memberId)!.push({ topic, partition });
        next = (next + 1) % members.length;
      }
    }
    return assignment;
  }

  subscriptionUserData(): Buffer | null {
    return null;
  }

  onAssignment(): void {}
}
