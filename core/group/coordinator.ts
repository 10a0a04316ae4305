/**
 * The group coordinator of one broker (Kafka's GroupCoordinator with its runtime): it owns the
 * groups whose partition of __consumer_offsets this broker leads. When the broker becomes a
 * partition's leader it loads the partition from log start to end (loader.ts); when it stops
 * leading it drops those groups, failing parked joins and syncs with NOT_COORDINATOR. Every
 * write (committed offsets, group metadata, tombstones) is appended through the broker's own
 * produce path with acks=all, so it replicates like any partition and survives restarts.
 *
 * Requests arrive here from the network, shaped like Kafka's (messages.ts); membership.ts
 * handles JoinGroup, SyncGroup, Heartbeat and LeaveGroup, rebalance.ts the rebalances they
 * start, offset-manager.ts OffsetCommit, OffsetFetch and DeleteGroups.
 */
import type { Broker, BrokerExtension } from '../broker/broker';
import type { Partition } from '../broker/partition';
import type { ClusterSettings } from '../config/cluster-config';
import type { Controller } from '../controller/controller';
import type { EventBus } from '../events';
import type { Network } from '../net/network';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import { encodeRecordBatch } from '../protocol/records';
import type { Random } from '../time/random';
import type { Scheduler, Timer } from '../time/scheduler';
import type { ClassicGroup } from './group';
import type { GroupEvent, OffsetCommitStats } from './group-events';
import { offsetsPartitionFor } from './java-hash';
import { loadPartition, type LoadedPartition } from './loader';
import { Membership } from './membership';
import { Rebalancer } from './rebalance';
import {
  COORDINATOR_KEY_TYPE_GROUP,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  type DescribedGroup,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type FindCoordinatorResult,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type RequestContext,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from './messages';
import { OffsetManager } from './offset-manager';
import { OFFSETS_TOPIC } from './offsets-records';
import { OffsetStore } from './offset-store';

/** What a coordinator needs from the cluster around its broker. */
export interface GroupCoordinatorEnvironment {
  scheduler: Scheduler;
  settings: ClusterSettings;
  network: Network;
  events: EventBus;
  random: Random;
  commitStats: OffsetCommitStats;
  controllerId(): number;
  controller(): Controller | null;
}

/** A record of __consumer_offsets to append (null value: tombstone). */
export interface OffsetsTopicWrite {
  key: Buffer;
  value: Buffer | null;
}

/** What the membership and offset managers share with their coordinator. */
export interface CoordinatorContext {
  readonly brokerId: number;
  readonly settings: ClusterSettings;
  readonly groups: Map<string, ClassicGroup>;
  readonly offsets: OffsetStore;
  now(): number;
  /** Schedules work that is dropped if the coordinator stops first. */
  schedule(delayMs: number, task: () => void): Timer;
  uuid(): string;
  emit(event: GroupEvent): void;
  readonly commitStats: OffsetCommitStats;
  /** Appends to the group's partition of __consumer_offsets with acks=all; done gets Kafka's error or null. */
  append(groupId: string, records: OffsetsTopicWrite[], done: (error: KafkaErrorName | null) => void): void;
}

interface Shard {
  partition: number;
  state: 'loading' | 'active';
}

/** One broker's group coordinator, a BrokerExtension created with each broker incarnation. */
export class GroupCoordinator implements BrokerExtension, CoordinatorContext {
  readonly groups = new Map<string, ClassicGroup>();
  readonly offsets = new OffsetStore();
  private readonly shards = new Map<number, Shard>();
  private readonly rebalancer: Rebalancer;
  private readonly membership: Membership;
  private readonly offsetManager: OffsetManager;
  private active = true;
  private readonly sweepTimer: Timer;

  constructor(
    private readonly broker: Broker,
    private readonly env: GroupCoordinatorEnvironment,
  ) {
    this.rebalancer = new Rebalancer(this);
    this.membership = new Membership(this, this.rebalancer);
    this.offsetManager = new OffsetManager(this, this.rebalancer);
    const sweep = (): void => {
      this.offsetManager.dropEmptyGroups();
      this.schedule(this.settings.offsetsRetentionCheckIntervalMs, sweep);
    };
    this.sweepTimer = this.schedule(this.settings.offsetsRetentionCheckIntervalMs, sweep);
  }

  get brokerId(): number {
    return this.broker.id;
  }

  get settings(): ClusterSettings {
    return this.env.settings;
  }

  get commitStats(): OffsetCommitStats {
    return this.env.commitStats;
  }

  now(): number {
    return this.env.scheduler.now();
  }

  schedule(delayMs: number, task: () => void): Timer {
    return this.env.scheduler.schedule(delayMs, () => {
      if (this.active) task();
    });
  }

  uuid(): string {
    return this.env.random.uuid();
  }

  emit(event: GroupEvent): void {
    this.env.events.emit(event);
  }

  // ---- Partitions of __consumer_offsets -------------------------------------------------

  /** The partition of __consumer_offsets holding a group (its actual partition count when it exists). */
  partitionFor(groupId: string): number {
    const count = this.broker.image.topics.get(OFFSETS_TOPIC)?.partitions.length ?? this.settings.offsetsTopicNumPartitions;
    return offsetsPartitionFor(groupId, count);
  }

  onRoleChange(partition: Partition, role: 'leader' | 'follower' | 'offline' | 'removed'): void {
    if (partition.topic !== OFFSETS_TOPIC || !this.active) return;
    if (role === 'leader') this.load(partition);
    else this.unload(partition.partition);
  }

  stop(): void {
    this.active = false;
    this.sweepTimer.cancel();
    for (const group of this.groups.values()) group.cancelTimers();
    this.groups.clear();
    this.shards.clear();
  }

  /** Partitions led here, with their load state. */
  ownedPartitions(): { partition: number; loading: boolean }[] {
    return [...this.shards.values()].map((shard) => ({ partition: shard.partition, loading: shard.state === 'loading' }));
  }

  private load(partition: Partition): void {
    if (this.shards.has(partition.partition)) return;
    const shard: Shard = { partition: partition.partition, state: 'loading' };
    this.shards.set(partition.partition, shard);
    loadPartition(
      partition.log,
      this.settings.offsetsLoadBufferSize,
      (task) => void this.schedule(0, task),
      () => this.shards.get(partition.partition) !== shard,
      (loaded) => this.install(shard, loaded),
    );
  }

  private install(shard: Shard, loaded: LoadedPartition): void {
    for (const groupId of loaded.offsets.groupIds()) {
      for (const { topic, partition, committed } of loaded.offsets.list(groupId)) this.offsets.set(groupId, topic, partition, committed);
    }
    const ids = new Set([...loaded.groups.keys(), ...loaded.offsets.groupIds()]);
    for (const groupId of ids) this.rebalancer.restore(groupId, loaded.groups.get(groupId) ?? null);
    shard.state = 'active';
    // An empty partition has nothing to show; one with groups tells where they went.
    if (loaded.records === 0) return;
    const offsets = loaded.offsets.groupIds().reduce((n, g) => n + loaded.offsets.list(g).length, 0);
    this.emit({ type: 'group.coordinator-loaded', time: this.now(), coordinator: this.brokerId, partition: shard.partition, groups: ids.size, offsets, records: loaded.records });
  }

  private unload(partitionIndex: number): void {
    if (!this.shards.delete(partitionIndex)) return;
    for (const [groupId, group] of [...this.groups]) {
      if (this.partitionFor(groupId) !== partitionIndex) continue;
      group.failAll('NOT_COORDINATOR');
      group.cancelTimers();
      this.groups.delete(groupId);
      this.rebalancer.forget(groupId);
    }
    for (const groupId of this.offsets.groupIds()) if (this.partitionFor(groupId) === partitionIndex) this.offsets.deleteGroup(groupId);
  }

  append(groupId: string, records: OffsetsTopicWrite[], done: (error: KafkaErrorName | null) => void): void {
    const partitionIndex = this.partitionFor(groupId);
    const shard = this.shards.get(partitionIndex);
    // Answers always come in a later task, so callers never see their callback run re-entrantly.
    const finish = (error: KafkaErrorName | null): void => void this.env.scheduler.schedule(0, () => done(this.shards.get(partitionIndex) === shard ? error : 'NOT_COORDINATOR'));
    if (!shard || shard.state !== 'active' || !this.active) return finish('NOT_COORDINATOR');
    const batch = encodeRecordBatch(records.map(({ key, value }) => ({ key, value })), { timestamp: this.now() });
    this.broker.handleProduce(
      { acks: -1, timeoutMs: this.settings.offsetCommitTimeoutMs, partitions: [{ topic: OFFSETS_TOPIC, partition: partitionIndex, records: batch }], internalTopicsAllowed: true },
      (responses) => finish(responses[0].error),
    );
  }

  /**
   * Kafka's validateGroupStatus: the id must be valid (OffsetCommit, OffsetFetch, DescribeGroups
   * and DeleteGroups accept "", for backward compatibility), this broker
   * must coordinate the group, and its partition must be loaded.
   */
  statusError(groupId: string, emptyIdAllowed: boolean): KafkaErrorName | null {
    if (typeof groupId !== 'string' || (!emptyIdAllowed && groupId === '')) return 'INVALID_GROUP_ID';
    if (!this.active) return 'COORDINATOR_NOT_AVAILABLE';
    const shard = this.shards.get(this.partitionFor(groupId));
    if (!shard) return 'NOT_COORDINATOR';
    if (shard.state === 'loading') return 'COORDINATOR_LOAD_IN_PROGRESS';
    return null;
  }

  // ---- Requests -------------------------------------------------------------------------

  /**
   * FindCoordinator: the leader of each group's partition of __consumer_offsets, from this
   * broker's metadata. The first request for a cluster without the topic asks the controller
   * to create it and answers COORDINATOR_NOT_AVAILABLE, as Kafka does; clients retry.
   */
  handleFindCoordinator(request: FindCoordinatorRequest, _context: RequestContext, respond: (response: FindCoordinatorResponse) => void): void {
    const topic = this.broker.image.topics.get(OFFSETS_TOPIC);
    if (!topic && request.keyType === COORDINATOR_KEY_TYPE_GROUP) this.requestOffsetsTopic();
    const coordinators = request.keys.map((key): FindCoordinatorResult => {
      const none = { key, nodeId: -1 };
      if (request.keyType !== COORDINATOR_KEY_TYPE_GROUP) return { ...none, error: 'INVALID_REQUEST', errorMessage: `Unsupported key type ${request.keyType}: this cluster coordinates groups only` };
      if (!topic) return { ...none, error: 'COORDINATOR_NOT_AVAILABLE', errorMessage: `${OFFSETS_TOPIC} is being created` };
      const leader = topic.partitions[offsetsPartitionFor(key, topic.partitions.length)].leader;
      if (leader < 0) return { ...none, error: 'COORDINATOR_NOT_AVAILABLE', errorMessage: `the partition of ${OFFSETS_TOPIC} holding group ${key} has no leader` };
      return { key, nodeId: leader, error: null, errorMessage: null };
    });
    respond({ coordinators });
  }

  /** Asks the active controller to create __consumer_offsets (over the network, like any broker-to-controller request). */
  private requestOffsetsTopic(): void {
    this.env.network.request<null>(
      this.brokerId,
      this.env.controllerId(),
      (respond) => {
        try {
          this.env.controller()?.createOffsetsTopic();
        } catch (error) {
          // No broker is unfenced yet, or the controller just moved: the next FindCoordinator asks again.
          if (!(error instanceof KafkaError)) throw error;
        }
        respond(null);
      },
      () => {},
      this.settings.requestTimeoutMs,
    );
  }

  handleJoinGroup(request: JoinGroupRequest, context: RequestContext, respond: (response: JoinGroupResponse) => void): void {
    const error = this.statusError(request.groupId, false);
    if (error) return respond({ error, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: request.memberId, members: [] });
    this.membership.join(request, context, respond);
  }

  handleSyncGroup(request: SyncGroupRequest, _context: RequestContext, respond: (response: SyncGroupResponse) => void): void {
    let error = this.statusError(request.groupId, false);
    // The rebalance was lost with the coordinator's state: a rejoin starts it over.
    if (error === 'COORDINATOR_LOAD_IN_PROGRESS') error = 'REBALANCE_IN_PROGRESS';
    if (error) return respond({ error, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    this.membership.sync(request, respond);
  }

  handleHeartbeat(request: HeartbeatRequest, _context: RequestContext, respond: (response: HeartbeatResponse) => void): void {
    const error = this.statusError(request.groupId, false);
    // While loading, heartbeats are answered blindly so members keep their session.
    if (error === 'COORDINATOR_LOAD_IN_PROGRESS') return respond({ error: null });
    if (error) return respond({ error });
    this.membership.heartbeat(request, respond);
  }

  handleLeaveGroup(request: LeaveGroupRequest, _context: RequestContext, respond: (response: LeaveGroupResponse) => void): void {
    const error = this.statusError(request.groupId, false);
    if (error) return respond({ error, members: [] });
    this.membership.leave(request, respond);
  }

  handleOffsetCommit(request: OffsetCommitRequest, context: RequestContext, respond: (response: OffsetCommitResponse) => void): void {
    const error = this.statusError(request.groupId, true);
    if (error) return respond(OffsetManager.commitError(request, error));
    this.offsetManager.commit(request, context, respond);
  }

  handleOffsetFetch(request: OffsetFetchRequest, _context: RequestContext, respond: (response: OffsetFetchResponse) => void): void {
    const error = this.statusError(request.groupId, true);
    if (error) return respond({ error, topics: [] });
    respond(this.offsetManager.fetch(request));
  }

  handleDeleteGroups(request: DeleteGroupsRequest, _context: RequestContext, respond: (response: DeleteGroupsResponse) => void): void {
    this.offsetManager.deleteGroups(request, (groupId) => this.statusError(groupId, true), respond);
  }

  handleDescribeGroups(request: DescribeGroupsRequest, _context: RequestContext, respond: (response: DescribeGroupsResponse) => void): void {
    respond({ groups: request.groups.map((groupId) => this.describe(groupId)) });
  }

  private describe(groupId: string): DescribedGroup {
    const error = this.statusError(groupId, true);
    if (error) return { error, groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
    const group = this.groups.get(groupId);
    if (!group) return { error: null, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    const stable = group.is('Stable');
    return {
      error: null,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        memberMetadata: stable ? member.metadata(group.protocolName!) : Buffer.alloc(0),
        memberAssignment: member.assignment,
      })),
    };
  }

  /** ListGroups: this broker's groups, COORDINATOR_LOAD_IN_PROGRESS while a partition loads. */
  handleListGroups(request: ListGroupsRequest, _context: RequestContext, respond: (response: ListGroupsResponse) => void): void {
    if (!this.active) return respond({ error: 'COORDINATOR_NOT_AVAILABLE', groups: [] });
    const states = new Set(request.statesFilter.map((state) => state.trim().toLowerCase()));
    const groups = [...this.groups.values()]
      .filter((group) => states.size === 0 || states.has(group.state.toLowerCase()))
      .map((group) => ({ groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state }));
    const loading = [...this.shards.values()].some((shard) => shard.state === 'loading');
    respond({ error: loading ? 'COORDINATOR_LOAD_IN_PROGRESS' : null, groups });
  }
}

/** The coordinator hosted by a broker, if it runs one. */
export function groupCoordinatorOf(broker: Broker): GroupCoordinator | undefined {
  return broker.extensions.find((extension): extension is GroupCoordinator => extension instanceof GroupCoordinator);
}
