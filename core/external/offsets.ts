/**
 * Resetting a consumer group's committed offsets on an attached cluster, as
 * `kafka-consumer-groups --reset-offsets` does: only while the group has no members
 * (NON_EMPTY_GROUP otherwise, Kafka's own answer), targets clamped to each partition's log
 * range, written with one OffsetCommit at the group's coordinator carrying no generation and
 * no member id (an admin commit, which coordinators accept for empty groups).
 */
import type { Message } from '../kafka/protocol/codec';
import { KafkaError, errorByCode } from '../protocol/errors';
import type { OffsetResetSpec } from '../host/contract';
import type { ClusterSnapshot } from '../view/snapshot';
import { DESCRIBE_GROUPS, FIND_COORDINATOR, FIND_COORDINATOR_MAX_VERSION, OFFSET_COMMIT, OFFSET_FETCH, OFFSET_FETCH_MAX_VERSION } from './apis';
import type { ExternalClient } from './client';
import { throwIfError } from './errors';
import { listOffset, requireTopic } from './records';

/** What a reset asks for. */
export interface ResetRequest {
  groupId: string;
  topic: string;
  partitions: number[] | null;
  to: OffsetResetSpec;
}

/** Moves the group's committed offsets; returns where each partition now stands. */
export async function resetGroupOffsets(client: ExternalClient, snapshot: ClusterSnapshot, request: ResetRequest): Promise<{ partitions: { partition: number; offset: number }[] }> {
  const topic = requireTopic(snapshot, request.topic);
  const partitions = request.partitions ?? topic.partitions.map((p) => p.partition);
  for (const p of partitions) {
    if (!topic.partitions[p]) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${p} is not in 0..${topic.partitions.length - 1} of topic ${topic.name}.`);
  }
  const coordinator = await findCoordinator(client, request.groupId);
  await requireEmpty(client, coordinator, request.groupId);
  const committed = request.to.kind === 'shift' ? await committedOffsets(client, coordinator, request.groupId, topic.name, partitions) : new Map<number, number>();
  const targets = await Promise.all(
    partitions.map(async (partition) => {
      // The log's range now (the last poll's may be a few seconds old while records arrive).
      const [first, last] = await Promise.all([listOffset(client, snapshot, topic.name, partition, 'earliest'), listOffset(client, snapshot, topic.name, partition, 'latest')]);
      const start = Math.max(0, first.offset);
      const end = Math.max(start, last.offset);
      return { partition, offset: await targetOffset(client, snapshot, topic.name, partition, request.to, start, end, committed.get(partition)) };
    }),
  );
  const response = await client.request(coordinator, OFFSET_COMMIT, {
    groupId: request.groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [{ name: topic.name, partitions: targets.map(({ partition, offset }) => ({ partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: '' })) }],
  });
  for (const t of response.topics as Message[]) for (const p of t.partitions as Message[]) throwIfError(p.errorCode as number, `Committing ${topic.name}-${p.partitionIndex} for group ${request.groupId}`);
  return { partitions: targets.sort((a, b) => a.partition - b.partition) };
}

/** Where one partition's offset goes, clamped to [start, end]. */
async function targetOffset(client: ExternalClient, snapshot: ClusterSnapshot, topic: string, partition: number, to: OffsetResetSpec, start: number, end: number, committed: number | undefined): Promise<number> {
  const clamp = (offset: number): number => Math.min(end, Math.max(start, offset));
  switch (to.kind) {
    case 'earliest':
      return start;
    case 'latest':
      return end;
    case 'offset':
      return clamp(to.offset);
    case 'shift':
      return clamp((committed !== undefined && committed >= 0 ? committed : start) + to.by);
    case 'timestamp': {
      // The first record at or after the time; the end when there is none (Kafka answers -1).
      const found = await listOffset(client, snapshot, topic, partition, { timestamp: to.timestamp });
      return found.offset < 0 ? end : clamp(found.offset);
    }
  }
}

/** How long finding a coordinator retries while it is not available (a new offsets topic, a move). */
const COORDINATOR_WAIT_MS = 10_000;

/**
 * The broker coordinating a group (FindCoordinator), retried as Kafka's clients retry while
 * the coordinator loads or the offsets topic is being created, for up to `waitMs` (0: one
 * attempt, for a poll that will ask again at its next round).
 */
export async function findCoordinator(client: ExternalClient, groupId: string, waitMs = COORDINATOR_WAIT_MS): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    const response = await client.request(null, FIND_COORDINATOR, { key: groupId, keyType: 0, coordinatorKeys: [groupId] }, FIND_COORDINATOR_MAX_VERSION);
    const retriable = errorByCode(response.errorCode as number)?.retriable === true;
    if (!retriable || Date.now() + delayMs > deadline) {
      throwIfError(response.errorCode as number, `Finding the coordinator of group ${groupId}`);
      return response.nodeId as number;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** NON_EMPTY_GROUP unless the group has no members. */
async function requireEmpty(client: ExternalClient, coordinator: number, groupId: string): Promise<void> {
  const response = await client.request(coordinator, DESCRIBE_GROUPS, { groups: [groupId], includeAuthorizedOperations: false }, 4);
  const group = (response.groups as Message[])[0];
  if (!group) return;
  throwIfError(group.errorCode as number, `Describing group ${groupId}`);
  const members = (group.members as Message[]).length;
  if (members > 0) {
    throw new KafkaError('NON_EMPTY_GROUP', `Group ${groupId} has ${members} member${members === 1 ? '' : 's'} (state ${group.groupState as string}); offsets can be reset only while it is empty: stop its consumers first.`);
  }
}

/** The group's committed offsets on a topic's partitions (-1: none). */
async function committedOffsets(client: ExternalClient, coordinator: number, groupId: string, topic: string, partitions: number[]): Promise<Map<number, number>> {
  const response = await client.request(coordinator, OFFSET_FETCH, { groupId, topics: [{ name: topic, partitionIndexes: partitions }], requireStable: false }, OFFSET_FETCH_MAX_VERSION);
  throwIfError((response.errorCode as number | undefined) ?? 0, `Reading the offsets of group ${groupId}`);
  const result = new Map<number, number>();
  for (const t of response.topics as Message[]) for (const p of t.partitions as Message[]) if (p.errorCode === 0) result.set(p.partitionIndex as number, p.committedOffset as number);
  return result;
}
