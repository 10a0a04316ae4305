/**
 * The group part of an admin client (Kafka's Admin listConsumerGroups, describeConsumerGroups,
 * deleteConsumerGroups, listConsumerGroupOffsets and alterConsumerGroupOffsets): it finds each group's coordinator with
 * FindCoordinator and sends ListGroups, DescribeGroups, DeleteGroups and OffsetFetch over the
 * network like any client; offsets are committed with OffsetCommit. Lag is computed as the tools compute it: the partition's high
 * watermark minus the committed offset, or high watermark minus log start offset when the
 * group has committed nothing for an assigned partition.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type ListOffsetsPartitionResponse } from '../broker/messages';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import { groupCoordinatorOf, type GroupCoordinator } from '../group/coordinator';
import {
  COORDINATOR_KEY_TYPE_GROUP,
  type DeleteGroupsResponse,
  type DescribeGroupsResponse,
  type FindCoordinatorResponse,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchResponse,
  type RequestContext,
} from '../group/messages';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import { ClientBase, type ClientContext } from './client';

/** A group as ListGroups reports it, with the broker coordinating it. */
export interface GroupListing {
  groupId: string;
  protocolType: string;
  state: string;
  coordinator: number;
}

/** A member of a described group. */
export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Decoded from the consumer protocol (empty for other protocol types). */
  assignment: TopicPartition[];
  /** Topics the member subscribed to, from its consumer-protocol metadata (empty unless Stable). */
  subscription: string[];
}

/** A group as DescribeGroups reports it. */
export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  /** The assignor the group uses while Stable, else "". */
  protocol: string;
  coordinator: number;
  members: GroupMemberDescription[];
}

/** One partition's committed offset and lag. */
export interface CommittedOffsetInfo {
  topic: string;
  partition: number;
  /** -1 when the group has committed nothing for an assigned partition. */
  committedOffset: number;
  leaderEpoch: number;
  metadata: string;
  highWatermark: number;
  logStartOffset: number;
  lagRecords: number;
}

const RETRIABLE_LOOKUP = new Set<KafkaErrorName>(['COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'NETWORK_EXCEPTION', 'REQUEST_TIMED_OUT']);

/** The admin client's group operations over the in-process network. */
export class GroupAdmin extends ClientBase {
  private readonly context: RequestContext;

  constructor(ctx: ClientContext, clientId = 'brokerscope-admin') {
    super(ctx, clientId);
    this.context = { clientId, clientHost: '/127.0.0.1', apiVersion: 0 };
  }

  private ask<T>(brokerId: number, handle: (coordinator: GroupCoordinator, respond: (value: T) => void) => void, unavailable: T): Promise<T> {
    return new Promise((resolve, reject) =>
      this.call<T>(brokerId, (broker, respond) => {
        const coordinator = groupCoordinatorOf(broker);
        if (coordinator) handle(coordinator, respond);
        else respond(unavailable);
      }, (reply) => (reply instanceof KafkaError ? reject(reply) : resolve(reply))),
    );
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.ctx.scheduler.schedule(ms, resolve));
  }

  /** Runs `attempt` until it succeeds or fails with a non-retriable error or the request timeout passes. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = this.ctx.scheduler.now() + this.ctx.settings.requestTimeoutMs;
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof KafkaError) || !RETRIABLE_LOOKUP.has(error.name) || this.ctx.scheduler.now() >= deadline) throw error;
        await this.wait(Math.min(1_000, 100 * 2 ** tries));
      }
    }
  }

  /** FindCoordinator for a group (creating __consumer_offsets on first need, as Kafka does). */
  findCoordinator(groupId: string): Promise<number> {
    const ids = this.ctx.bootstrapBrokerIds();
    let turn = this.ctx.random.nextInt(ids.length);
    return this.retrying(async () => {
      const request = { keyType: COORDINATOR_KEY_TYPE_GROUP, keys: [groupId] };
      const broker = ids[turn++ % ids.length];
      const reply = await this.ask<FindCoordinatorResponse>(broker, (c, respond) => c.handleFindCoordinator(request, this.context, respond), { coordinators: [] });
      const answer = reply.coordinators[0];
      if (!answer) throw new KafkaError('COORDINATOR_NOT_AVAILABLE');
      if (answer.error) throw new KafkaError(answer.error, answer.errorMessage ?? undefined);
      return answer.nodeId;
    });
  }

  /** ListGroups at every running broker, merged. */
  async listGroups(): Promise<GroupListing[]> {
    const request = { statesFilter: [] };
    const answers = await Promise.all(
      this.ctx.bootstrapBrokerIds().map((id) =>
        this.ask<ListGroupsResponse>(id, (c, respond) => c.handleListGroups(request, this.context, respond), { error: 'COORDINATOR_NOT_AVAILABLE', groups: [] }).then(
          (reply) => reply.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState, coordinator: id })),
          () => [] as GroupListing[],
        ),
      ),
    );
    return answers.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** DescribeGroups at the group's coordinator; an unknown group reads as Dead with no members. */
  describeGroup(groupId: string): Promise<GroupDescription> {
    return this.retrying(async () => {
      const coordinator = await this.findCoordinator(groupId);
      const request = { groups: [groupId] };
      const reply = await this.ask<DescribeGroupsResponse>(coordinator, (c, respond) => c.handleDescribeGroups(request, this.context, respond), { groups: [] });
      const group = reply.groups[0];
      if (!group) throw new KafkaError('COORDINATOR_NOT_AVAILABLE');
      if (group.error) throw new KafkaError(group.error);
      return {
        groupId,
        state: group.groupState,
        protocolType: group.protocolType,
        protocol: group.protocolData,
        coordinator,
        members: group.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: group.protocolType === CONSUMER_PROTOCOL_TYPE ? safeAssignment(m.memberAssignment) : [],
          subscription: group.protocolType === CONSUMER_PROTOCOL_TYPE ? safeSubscription(m.memberMetadata) : [],
        })),
      };
    });
  }

  /** DeleteGroups: an Empty group only (NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND if unknown). */
  deleteGroup(groupId: string): Promise<void> {
    return this.retrying(async () => {
      const coordinator = await this.findCoordinator(groupId);
      const request = { groupsNames: [groupId] };
      const reply = await this.ask<DeleteGroupsResponse>(coordinator, (c, respond) => c.handleDeleteGroups(request, this.context, respond), { results: [] });
      const error = reply.results[0]?.error ?? null;
      if (error) throw new KafkaError(error, error === 'NON_EMPTY_GROUP' ? `group ${groupId} still has members; stop them first` : undefined);
    });
  }

  /**
   * Commits offsets for a group without members, as Kafka's Admin alterConsumerGroupOffsets does:
   * generation -1 and no member id, so the coordinator accepts it only while the group is Empty
   * (UNKNOWN_MEMBER_ID otherwise) and creates a "simple" group when none exists.
   */
  commitOffsets(groupId: string, offsets: { topic: string; partition: number; offset: number }[]): Promise<void> {
    const byTopic = new Map<string, OffsetCommitRequest['topics'][number]>();
    for (const o of offsets) {
      if (!byTopic.has(o.topic)) byTopic.set(o.topic, { name: o.topic, partitions: [] });
      byTopic.get(o.topic)!.partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, committedMetadata: '' });
    }
    const request: OffsetCommitRequest = { groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [...byTopic.values()] };
    const unavailable: OffsetCommitResponse = {
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, error: 'COORDINATOR_NOT_AVAILABLE' as const })) })),
    };
    return this.retrying(async () => {
      const coordinator = await this.findCoordinator(groupId);
      const reply = await this.ask<OffsetCommitResponse>(coordinator, (c, respond) => c.handleOffsetCommit(request, this.context, respond), unavailable);
      const error = reply.topics.flatMap((t) => t.partitions).find((p) => p.error !== null)?.error ?? null;
      if (error) throw new KafkaError(error);
    });
  }

  /** Every committed offset of a group, plus assigned partitions without one, with their lag. */
  async committedOffsets(groupId: string): Promise<CommittedOffsetInfo[]> {
    const description = await this.describeGroup(groupId);
    const reply = await this.retrying(async () => {
      const coordinator = await this.findCoordinator(groupId);
      const request = { groupId, topics: null };
      const answer = await this.ask<OffsetFetchResponse>(coordinator, (c, respond) => c.handleOffsetFetch(request, this.context, respond), { error: 'COORDINATOR_NOT_AVAILABLE', topics: [] });
      if (answer.error) throw new KafkaError(answer.error);
      return answer;
    });
    const rows = new Map<string, CommittedOffsetInfo>();
    for (const t of reply.topics) {
      for (const p of t.partitions) {
        rows.set(`${t.name}-${p.partitionIndex}`, { topic: t.name, partition: p.partitionIndex, committedOffset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.metadata, highWatermark: -1, logStartOffset: -1, lagRecords: 0 });
      }
    }
    for (const member of description.members) {
      for (const p of member.assignment) {
        if (!rows.has(`${p.topic}-${p.partition}`)) rows.set(`${p.topic}-${p.partition}`, { ...p, committedOffset: -1, leaderEpoch: -1, metadata: '', highWatermark: -1, logStartOffset: -1, lagRecords: 0 });
      }
    }
    const result = sortPartitions([...rows.values()]) as CommittedOffsetInfo[];
    await this.fillLag(result);
    return result;
  }

  /** High watermark and log start from each partition's leader (ListOffsets latest and earliest). */
  private async fillLag(rows: CommittedOffsetInfo[]): Promise<void> {
    const topics = [...new Set(rows.map((r) => r.topic))];
    await new Promise<void>((resolve) => this.refreshMetadata(topics, () => resolve()));
    const byLeader = new Map<number, CommittedOffsetInfo[]>();
    for (const row of rows) {
      const leader = this.cachedTopic(row.topic)?.partitions[row.partition]?.leader ?? -1;
      if (leader < 0) continue;
      if (!byLeader.has(leader)) byLeader.set(leader, []);
      byLeader.get(leader)!.push(row);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const request = list.flatMap((r) => [
          { topic: r.topic, partition: r.partition, timestamp: LATEST_TIMESTAMP, currentLeaderEpoch: -1 },
          { topic: r.topic, partition: r.partition, timestamp: EARLIEST_TIMESTAMP, currentLeaderEpoch: -1 },
        ]);
        const answers = await new Promise<ListOffsetsPartitionResponse[] | null>((resolve) =>
          this.call<ListOffsetsPartitionResponse[]>(leader, (broker, respond) => respond(broker.handleListOffsets(request)), (reply) => resolve(reply instanceof KafkaError ? null : reply)),
        );
        if (!answers) return;
        list.forEach((row, i) => {
          const latest = answers[2 * i];
          const earliest = answers[2 * i + 1];
          if (latest.error || earliest.error) return;
          row.highWatermark = latest.offset;
          row.logStartOffset = earliest.offset;
          row.lagRecords = Math.max(0, latest.offset - (row.committedOffset >= 0 ? row.committedOffset : earliest.offset));
        });
      }),
    );
  }
}

function safeSubscription(bytes: Buffer): string[] {
  if (bytes.length === 0) return [];
  try {
    return [...decodeSubscription(bytes).topics].sort();
  } catch {
    return [];
  }
}

function safeAssignment(bytes: Buffer): TopicPartition[] {
  try {
    return sortPartitions(decodeAssignment(bytes).partitions);
  } catch {
    return [];
  }
}
