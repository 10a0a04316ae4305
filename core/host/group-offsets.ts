/**
 * Resetting a consumer group's committed offsets, as `kafka-consumer-groups --reset-offsets
 * --execute` does: only while the group has no members; targets computed per partition from
 * the partition's log start offset and high watermark (what a consumer can read), then
 * committed in one OffsetCommit with generation -1. Like Kafka's tool, a group that does not
 * exist yet is created by the commit.
 */
import type { Cluster } from '../cluster';
import { KafkaError } from '../protocol/errors';
import type { CommandArgs, CommandValue, OffsetResetSpec } from './contract';

/** Group states in which offsets may be reset (Dead: the coordinator knows no such group). */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

/** Resets the group's offsets on the topic's partitions (all, or the ones listed) and returns the new ones. */
export async function resetGroupOffsets(cluster: Cluster, args: CommandArgs<'resetGroupOffsets'>): Promise<CommandValue<'resetGroupOffsets'>> {
  const partitions = partitionsToReset(cluster, args.topic, args.partitions);
  await requireInactive(cluster, args.groupId);
  const committed = args.to.kind === 'shift' ? await committedOffsets(cluster, args.groupId, args.topic) : new Map<number, number>();
  const targets = await Promise.all(
    partitions.map(async (partition) => ({ partition, offset: await targetOffset(cluster, args.topic, partition, args.to, committed.get(partition)) })),
  );
  try {
    await cluster.commitGroupOffsets(
      args.groupId,
      targets.map(({ partition, offset }) => ({ topic: args.topic, partition, offset })),
    );
  } catch (error) {
    // A member joined between the check and the commit: the coordinator refused the memberless commit.
    if (error instanceof KafkaError && error.name === 'UNKNOWN_MEMBER_ID') throw nonEmpty(args.groupId, 'a member joined while the offsets were being reset');
    throw error;
  }
  return { partitions: targets };
}

/** The partitions named (deduplicated, each checked to exist), or every partition of the topic. */
function partitionsToReset(cluster: Cluster, topic: string, requested: number[] | null): number[] {
  const image = cluster.store.image.topics.get(topic);
  if (!image) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist.`);
  const count = image.partitions.length;
  if (requested === null) return Array.from({ length: count }, (_, i) => i);
  const missing = requested.filter((p) => p >= count);
  if (missing.length > 0) {
    throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' has partitions 0 to ${count - 1}; there is no partition ${missing.slice(0, 5).join(', ')}.`);
  }
  return [...new Set(requested)].sort((a, b) => a - b);
}

/** Refuses with NON_EMPTY_GROUP unless the group has no members (Kafka's tool insists on an inactive group). */
async function requireInactive(cluster: Cluster, groupId: string): Promise<void> {
  const group = await cluster.describeGroup(groupId);
  if (INACTIVE_STATES.has(group.state) && group.members.length === 0) return;
  const members = group.members.length;
  throw nonEmpty(groupId, `it is ${group.state} with ${members} member${members === 1 ? '' : 's'}`);
}

function nonEmpty(groupId: string, why: string): KafkaError {
  return new KafkaError('NON_EMPTY_GROUP', `Offsets of group '${groupId}' can be reset only while it has no members, and ${why}; stop its consumers first.`);
}

/** The group's committed offsets on one topic, by partition. */
async function committedOffsets(cluster: Cluster, groupId: string, topic: string): Promise<Map<number, number>> {
  const rows = await cluster.committedOffsets(groupId);
  return new Map(rows.filter((row) => row.topic === topic && row.committedOffset >= 0).map((row) => [row.partition, row.committedOffset]));
}

/** Where one partition's committed offset goes: always within [log start offset, high watermark]. */
async function targetOffset(cluster: Cluster, topic: string, partition: number, to: OffsetResetSpec, committed: number | undefined): Promise<number> {
  const earliest = (await cluster.listOffset(topic, partition, 'earliest')).offset;
  const latest = (await cluster.listOffset(topic, partition, 'latest')).offset;
  const clamp = (offset: number): number => Math.min(Math.max(offset, earliest), latest);
  switch (to.kind) {
    case 'earliest':
      return earliest;
    case 'latest':
      return latest;
    case 'offset':
      return clamp(to.offset);
    case 'timestamp': {
      // No record at or after the time: the end, as Kafka's tool does.
      const found = (await cluster.listOffset(topic, partition, { timestamp: to.timestamp })).offset;
      return found < 0 ? latest : clamp(found);
    }
    case 'shift':
      return clamp((committed ?? earliest) + to.by);
  }
}
