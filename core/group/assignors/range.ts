/**
 * Kafka's RangeAssignor (`range`), without rack awareness (in-app members have no rack): per
 * topic, the subscribed members in member order split the partitions in numeric order, each
 * getting floor(P/C) and the first P mod C one more. Topics are visited in the order Java's
 * HashMap gives them, so each member's list comes out in the order Kafka's would.
 */
import type { TopicPartition } from '../consumer-protocol';
import { javaHashOrder } from '../java-hash';
import { compareMembers, type MemberSubscription, type PartitionAssignor, type RebalanceProtocol } from './assignor';

/** Kafka's `range` assignor. */
export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range' as const;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]> {
    const assignment = new Map<string, TopicPartition[]>();
    const membersPerTopic = new Map<string, { memberId: string; groupInstanceId: string | null }[]>();
    for (const [memberId, subscription] of subscriptions) {
      assignment.set(memberId, []);
      for (const topic of subscription.topics) {
        let members = membersPerTopic.get(topic);
        if (!members) membersPerTopic.set(topic, (members = []));
        members.push({ memberId, groupInstanceId: subscription.groupInstanceId });
      }
    }
    for (const topic of javaHashOrder([...partitionsPerTopic.keys()])) {
      const count = partitionsPerTopic.get(topic)!;
      const members = [...(membersPerTopic.get(topic) ?? [])].sort(compareMembers);
      if (count === 0 || members.length === 0) continue;
      const each = Math.floor(count / members.length);
      const extra = count % members.length;
      members.forEach((member, i) => {
        const start = i * each + Math.min(i, extra);
        const length = each + (i < extra ? 1 : 0);
        const list = assignment.get(member.memberId)!;
        for (let partition = start; partition < start + length; partition++) list.push({ topic, partition });
      });
    }
    return assignment;
  }

  subscriptionUserData(): Buffer | null {
    return null;
  }

  onAssignment(): void {}
}
