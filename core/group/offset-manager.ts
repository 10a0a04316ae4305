/**
 * Committed offsets (Kafka's OffsetMetadataManager, classic groups): OffsetCommit validates the
 * member and generation as Kafka does (a generation of -1 commits for a group without members),
 * writes one OffsetCommitValue v3 record per partition through the broker with acks=all, and
 * makes the offsets visible once the write is acknowledged. OffsetFetch answers from memory;
 * DeleteGroups removes an Empty group with tombstones for its metadata and every offset. Empty
 * groups without offsets are dropped on the offsets.retention.check.interval.ms sweep.
 *
 * Offsets do not expire here (offsets.retention.minutes is not modelled).
 */
import type { KafkaErrorName } from '../protocol/errors';
import type { CoordinatorContext, OffsetsTopicWrite } from './coordinator';
import { ClassicGroup } from './group';
import { coordinatorWriteError, type Rebalancer } from './rebalance';
import type { DeleteGroupsRequest, DeleteGroupsResponse, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, RequestContext } from './messages';
import { encodeGroupMetadataKey, encodeOffsetCommitKey, encodeOffsetCommitValue } from './offsets-records';

/** Kafka's mapping of a failed offset write to the error the committer sees. */
export function commitWriteError(error: KafkaErrorName): KafkaErrorName {
  return coordinatorWriteError(error, 'INVALID_COMMIT_OFFSET_SIZE');
}

/** OffsetCommit, OffsetFetch, DeleteGroups and the empty-group sweep for one coordinator. */
export class OffsetManager {
  constructor(
    private readonly ctx: CoordinatorContext,
    private readonly rebalance: Rebalancer,
  ) {}

  /** The same error for every partition of a commit. */
  static commitError(request: OffsetCommitRequest, error: KafkaErrorName): OffsetCommitResponse {
    return { topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, error })) })) };
  }

  /** Kafka's checks of a commit against the group; returns the group or the error. */
  private validate(request: OffsetCommitRequest, context: RequestContext): ClassicGroup | KafkaErrorName {
    let group = this.ctx.groups.get(request.groupId);
    if (!group) {
      // Generation -1: an admin or a consumer without group management; a "simple" group is created.
      if (request.generationIdOrMemberEpoch >= 0) return context.apiVersion >= 9 ? 'GROUP_ID_NOT_FOUND' : 'ILLEGAL_GENERATION';
      group = new ClassicGroup(request.groupId, 'Empty', this.ctx.now());
      this.ctx.groups.set(request.groupId, group);
    }
    if (group.is('Dead')) return 'COORDINATOR_NOT_AVAILABLE';
    if (request.generationIdOrMemberEpoch < 0 && group.is('Empty')) return group;
    if (request.generationIdOrMemberEpoch >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
      if (request.groupInstanceId !== null) {
        const existing = group.staticMembers.get(request.groupInstanceId);
        if (existing === undefined) return 'UNKNOWN_MEMBER_ID';
        if (existing !== request.memberId) return 'FENCED_INSTANCE_ID';
      }
      if (!group.members.has(request.memberId)) return 'UNKNOWN_MEMBER_ID';
      if (request.generationIdOrMemberEpoch !== group.generationId) return 'ILLEGAL_GENERATION';
    } else if (!group.is('Empty')) {
      return 'UNKNOWN_MEMBER_ID';
    }
    // The member knows the new generation but has no assignment yet: it should finish the rebalance.
    if (group.is('CompletingRebalance')) return 'REBALANCE_IN_PROGRESS';
    return group;
  }

  commit(request: OffsetCommitRequest, context: RequestContext, respond: (response: OffsetCommitResponse) => void): void {
    const group = this.validate(request, context);
    if (typeof group === 'string') return respond(OffsetManager.commitError(request, group));
    // A commit keeps the member's session alive, as a heartbeat would.
    const member = group.member(request.memberId);
    if (member && (group.is('Stable') || group.is('PreparingRebalance'))) this.rebalance.rescheduleHeartbeat(group, member);
    const now = this.ctx.now();
    const records: OffsetsTopicWrite[] = [];
    const written: { topic: string; partition: number; offset: number; leaderEpoch: number; metadata: string }[] = [];
    const response: OffsetCommitResponse = { topics: [] };
    const errors: { error: KafkaErrorName | null }[] = [];
    for (const topic of request.topics) {
      const partitions = topic.partitions.map((p) => {
        const metadata = p.committedMetadata ?? '';
        const answer = { partitionIndex: p.partitionIndex, error: null as KafkaErrorName | null };
        if (metadata.length > this.ctx.settings.offsetMetadataMaxBytes) answer.error = 'OFFSET_METADATA_TOO_LARGE';
        else {
          records.push({
            key: encodeOffsetCommitKey(request.groupId, topic.name, p.partitionIndex),
            value: encodeOffsetCommitValue({ offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestamp: now }),
          });
          written.push({ topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata });
          errors.push(answer);
        }
        return answer;
      });
      response.topics.push({ name: topic.name, partitions });
    }
    if (records.length === 0) return respond(response);
    this.ctx.append(request.groupId, records, (error) => {
      if (error) {
        for (const answer of errors) answer.error = commitWriteError(error);
        return respond(response);
      }
      // The group may have been unloaded while the write was in flight: the log has it anyway.
      if (this.ctx.groups.has(request.groupId)) {
        for (const w of written) this.ctx.offsets.set(request.groupId, w.topic, w.partition, { offset: w.offset, leaderEpoch: w.leaderEpoch, metadata: w.metadata, commitTimestamp: now });
      }
      for (const w of written) this.ctx.commitStats.committed(request.groupId, w.topic, w.partition, w.offset);
      respond(response);
    });
  }

  /** OffsetFetch: committed offsets, -1 where none (a Dead or unknown group has none). */
  fetch(request: OffsetFetchRequest): OffsetFetchResponse {
    const group = this.ctx.groups.get(request.groupId);
    const known = group !== undefined && !group.is('Dead');
    const none = (partitionIndex: number) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', error: null });
    if (request.topics === null) {
      const byTopic = new Map<string, OffsetFetchResponse['topics'][number]>();
      for (const { topic, partition, committed } of known ? this.ctx.offsets.list(request.groupId) : []) {
        if (!byTopic.has(topic)) byTopic.set(topic, { name: topic, partitions: [] });
        byTopic.get(topic)!.partitions.push({ partitionIndex: partition, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch, metadata: committed.metadata, error: null });
      }
      return { error: null, topics: [...byTopic.values()] };
    }
    return {
      error: null,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const committed = known ? this.ctx.offsets.get(request.groupId, t.name, partitionIndex) : undefined;
          if (!committed) return none(partitionIndex);
          return { partitionIndex, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch, metadata: committed.metadata, error: null };
        }),
      })),
    };
  }

  /** DeleteGroups: only Empty groups; writes tombstones for the group and each of its offsets. */
  deleteGroups(request: DeleteGroupsRequest, statusError: (groupId: string) => KafkaErrorName | null, respond: (response: DeleteGroupsResponse) => void): void {
    const results = request.groupsNames.map((groupId) => ({ groupId, error: null as KafkaErrorName | null }));
    let outstanding = 0;
    let dispatched = false;
    const finish = (): void => {
      if (dispatched && outstanding === 0) respond({ results });
    };
    for (const result of results) {
      const error = statusError(result.groupId) ?? this.deletable(result.groupId);
      if (error) {
        result.error = error;
        continue;
      }
      const records = this.tombstones(result.groupId);
      this.rebalance.markDead(this.ctx.groups.get(result.groupId)!);
      this.ctx.offsets.deleteGroup(result.groupId);
      outstanding++;
      this.ctx.append(result.groupId, records, (writeError) => {
        if (writeError) result.error = commitWriteError(writeError);
        outstanding--;
        finish();
      });
    }
    dispatched = true;
    finish();
  }

  private deletable(groupId: string): KafkaErrorName | null {
    const group = this.ctx.groups.get(groupId);
    if (!group || group.is('Dead')) return 'GROUP_ID_NOT_FOUND';
    return group.is('Empty') ? null : 'NON_EMPTY_GROUP';
  }

  private tombstones(groupId: string): OffsetsTopicWrite[] {
    const records: OffsetsTopicWrite[] = this.ctx.offsets.list(groupId).map(({ topic, partition }) => ({ key: encodeOffsetCommitKey(groupId, topic, partition), value: null }));
    records.push({ key: encodeGroupMetadataKey(groupId), value: null });
    return records;
  }

  /** The periodic cleanup: Empty groups with no committed offsets go (Dead, with a metadata tombstone). */
  dropEmptyGroups(): void {
    for (const group of [...this.ctx.groups.values()]) {
      if (!group.is('Empty') || this.ctx.offsets.hasOffsets(group.groupId) || group.pendingJoinMembers.size > 0) continue;
      this.rebalance.markDead(group);
      this.ctx.append(group.groupId, [{ key: encodeGroupMetadataKey(group.groupId), value: null }], () => {});
    }
  }
}
