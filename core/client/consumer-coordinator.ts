/**
 * A consumer's side of its group (the Java client's ConsumerCoordinator and
 * AbstractCoordinator, condensed): finds the coordinator, joins (JoinGroup v4+: first for a
 * member id, then for real), runs the assignor when it is the leader, syncs, heartbeats on its
 * own timer, commits offsets, and leaves. Eager assignors revoke everything before each join;
 * cooperative ones keep what they own, revoke only owned-minus-assigned and rejoin once more
 * when they gave something up (KIP-429). Errors are handled as the Java client handles them:
 * a reset generation loses the partitions (no commit), a moved coordinator is looked up again,
 * a fatal error (INCONSISTENT_GROUP_PROTOCOL, INVALID_SESSION_TIMEOUT, ...) stops the member.
 *
 * It is driven by responses and timers on the scheduler, never by a polling thread.
 */
import { createAssignor, rebalanceProtocolFor, type AssignorName, type MemberSubscription, type PartitionAssignor, type RebalanceProtocol } from '../group/assignors';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import type { GroupCoordinator } from '../group/coordinator';
import {
  COORDINATOR_KEY_TYPE_GROUP,
  IN_APP_API_VERSIONS,
  TOPIC_METADATA_CHANGED_REASON,
  type FindCoordinatorResponse,
  type HeartbeatResponse,
  type JoinGroupResponse,
  type LeaveGroupResponse,
  type OffsetCommitResponse,
  type OffsetFetchResponse,
  type RequestContext,
  type SyncGroupResponse,
} from '../group/messages';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import type { Scheduler, Timer } from '../time/scheduler';

/** How the consumer sends a group request to a broker's coordinator. */
export interface GroupTransport {
  /** Runs `handle` at broker `brokerId`'s coordinator; `unavailable` answers if the broker has none. */
  request<T>(brokerId: number, handle: (coordinator: GroupCoordinator, context: RequestContext, respond: (value: T) => void) => void, unavailable: T, onReply: (reply: T | KafkaError) => void, timeoutMs: number): void;
  /** A broker to ask for the coordinator (rotates on failure). */
  bootstrapBroker(attempt: number): number;
  /** Partition counts of topics, from fresh metadata (null: the metadata request failed). */
  partitionCounts(topics: string[], done: (counts: Map<string, number> | null) => void): void;
}

/** The settings of a member, with the Java client's names. */
export interface GroupMemberSettings {
  groupId: string;
  topics: string[];
  groupInstanceId: string | null;
  assignors: AssignorName[];
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms: sent as the rebalance timeout. */
  rebalanceTimeoutMs: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  metadataMaxAgeMs: number;
}

/** What the member tells its consumer. */
export interface GroupMemberListener {
  /** Before joining: commit what was consumed, then call `done` (auto-commit, bounded by the rebalance timeout). */
  beforeJoin(done: () => void): void;
  /** Partitions given up by this member (it still owns them during the call; commit them here). */
  revoked(partitions: TopicPartition[]): void;
  /** Partitions taken away without a chance to commit (the generation was reset). */
  lost(partitions: TopicPartition[]): void;
  assigned(partitions: TopicPartition[]): void;
  /** A fatal error: the member stopped. */
  failed(error: KafkaError): void;
}

/** Where the member is in the group protocol. */
export type MemberState = 'unjoined' | 'joining' | 'syncing' | 'stable' | 'stopped';

const FATAL: ReadonlySet<KafkaErrorName> = new Set<KafkaErrorName>([
  'INCONSISTENT_GROUP_PROTOCOL',
  'INVALID_SESSION_TIMEOUT',
  'INVALID_GROUP_ID',
  'GROUP_AUTHORIZATION_FAILED',
  'GROUP_MAX_SIZE_REACHED',
  'FENCED_INSTANCE_ID',
]);

const key = (p: TopicPartition): string => `${p.topic}\u0000${p.partition}`;

/** retry.backoff.max.ms: the longest pause between coordinator lookups. */
const RETRY_BACKOFF_MAX_MS = 1_000;

/** A consumer's group membership: discovery, join, sync, heartbeats, commits and leave. */
export class ConsumerCoordinator {
  state: MemberState = 'unjoined';
  memberId = '';
  generationId = -1;
  protocol: string | null = null;
  leaderId = '';
  coordinatorId = -1;
  /** Partitions this member owns, and the generation whose assignment gave them. */
  owned: TopicPartition[] = [];
  ownedGeneration = -1;
  readonly rebalanceProtocol: RebalanceProtocol;
  private readonly assignors: PartitionAssignor[];
  private rejoinNeeded = true;
  private rejoinReason: string | null = null;
  private busy = false;
  private lookupAttempt = 0;
  private lookupFailures = 0;
  private lookupInFlight = false;
  private heartbeatTimer: Timer | null = null;
  private heartbeatInFlight = false;
  private metadataTimer: Timer | null = null;
  /** The leader's view of the group's topics when it assigned: a change makes it rejoin. */
  private assignmentSnapshot: Map<string, number> | null = null;
  /** Bumped whenever an exchange must be forgotten (reset, stop). */
  private epoch = 0;

  constructor(
    private readonly settings: GroupMemberSettings,
    private readonly transport: GroupTransport,
    private readonly scheduler: Scheduler,
    private readonly listener: GroupMemberListener,
  ) {
    this.assignors = settings.assignors.map(createAssignor);
    this.rebalanceProtocol = rebalanceProtocolFor(this.assignors);
  }

  /** Starts joining. */
  start(): void {
    this.ensureActiveGroup();
    this.scheduleMetadataCheck();
  }

  /** Stops every timer and forgets pending exchanges (a crash, or after leaving). */
  stop(): void {
    this.state = 'stopped';
    this.epoch++;
    this.heartbeatTimer?.cancel();
    this.metadataTimer?.cancel();
  }

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** Whether offsets may be committed with this member's generation. */
  get hasGeneration(): boolean {
    return this.generationId >= 0 && this.memberId !== '';
  }

  private later(delayMs: number, task: () => void): void {
    const epoch = this.epoch;
    this.scheduler.schedule(delayMs, () => {
      if (epoch === this.epoch && !this.stopped) task();
    });
  }

  private send<T>(handle: (coordinator: GroupCoordinator, context: RequestContext, respond: (value: T) => void) => void, unavailable: T, onReply: (reply: T | KafkaError) => void, timeoutMs = this.settings.requestTimeoutMs): void {
    const epoch = this.epoch;
    this.transport.request(this.coordinatorId, handle, unavailable, (reply) => {
      if (epoch === this.epoch && !this.stopped) onReply(reply);
    }, timeoutMs);
  }

  // ---- Coordinator discovery ---------------------------------------------------------------

  private lookupCoordinator(): void {
    if (this.lookupInFlight || this.stopped) return;
    this.lookupInFlight = true;
    const epoch = this.epoch;
    const broker = this.transport.bootstrapBroker(this.lookupAttempt++);
    const request = { keyType: COORDINATOR_KEY_TYPE_GROUP, keys: [this.settings.groupId] };
    const unavailable: FindCoordinatorResponse = { coordinators: [{ key: this.settings.groupId, nodeId: -1, error: 'COORDINATOR_NOT_AVAILABLE', errorMessage: null }] };
    this.transport.request<FindCoordinatorResponse>(broker, (coordinator, context, respond) => coordinator.handleFindCoordinator(request, { ...context, apiVersion: IN_APP_API_VERSIONS.findCoordinator }, respond), unavailable, (reply) => {
      if (epoch !== this.epoch || this.stopped) return;
      this.lookupInFlight = false;
      const answer = reply instanceof KafkaError ? null : reply.coordinators[0];
      if (!answer || answer.error) {
        // Exponential backoff up to retry.backoff.max.ms (1 s), as the Java client retries (KIP-580).
        const delay = Math.min(RETRY_BACKOFF_MAX_MS, this.settings.retryBackoffMs * 2 ** Math.min(this.lookupFailures++, 10));
        return this.later(delay, () => this.ensureActiveGroup());
      }
      this.lookupFailures = 0;
      this.coordinatorId = answer.nodeId;
      this.ensureActiveGroup();
      this.scheduleHeartbeat(0);
    }, this.settings.requestTimeoutMs);
  }

  private markCoordinatorUnknown(): void {
    this.coordinatorId = -1;
    this.later(0, () => this.ensureActiveGroup());
  }

  // ---- Joining -------------------------------------------------------------------------------

  /** Asks for another rebalance (e.g. the leader saw topic metadata change). */
  requestRejoin(reason: string): void {
    this.rejoinNeeded = true;
    this.rejoinReason = reason;
    this.later(0, () => this.ensureActiveGroup());
  }

  /** The driver: finds the coordinator, then joins when a (re)join is needed and nothing is under way. */
  ensureActiveGroup(): void {
    if (this.stopped) return;
    if (this.coordinatorId < 0) return this.lookupCoordinator();
    if (!this.rejoinNeeded || this.busy) return;
    this.busy = true;
    this.state = 'joining';
    this.listener.beforeJoin(() => {
      if (this.stopped) return;
      this.revokeBeforeJoin();
      this.sendJoin();
    });
  }

  /** onJoinPrepare: a reset generation loses everything; eager revokes everything; cooperative revokes unsubscribed topics. */
  private revokeBeforeJoin(): void {
    if (!this.hasGeneration) return this.loseAll();
    const give = this.rebalanceProtocol === 'eager' ? this.owned : this.owned.filter((p) => !this.settings.topics.includes(p.topic));
    if (give.length === 0) return;
    this.listener.revoked(give);
    const gone = new Set(give.map(key));
    this.owned = this.owned.filter((p) => !gone.has(key(p)));
  }

  private loseAll(): void {
    if (this.owned.length === 0) return;
    const lost = this.owned;
    this.owned = [];
    this.ownedGeneration = -1;
    this.listener.lost(lost);
  }

  private subscription(assignor: PartitionAssignor): Buffer {
    return encodeSubscription({
      topics: this.settings.topics,
      userData: assignor.subscriptionUserData(),
      ownedPartitions: this.owned,
      generationId: this.generationId,
      rackId: null,
    });
  }

  private sendJoin(): void {
    const request = {
      groupId: this.settings.groupId,
      sessionTimeoutMs: this.settings.sessionTimeoutMs,
      rebalanceTimeoutMs: this.settings.rebalanceTimeoutMs,
      memberId: this.memberId,
      groupInstanceId: this.settings.groupInstanceId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocols: this.assignors.map((assignor) => ({ name: assignor.name, metadata: this.subscription(assignor) })),
      reason: this.rejoinReason,
    };
    const unavailable: JoinGroupResponse = { error: 'COORDINATOR_NOT_AVAILABLE', generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: this.memberId, members: [] };
    // A join may wait a whole rebalance at the coordinator (Java: rebalance timeout + 5 s).
    const timeoutMs = Math.max(this.settings.requestTimeoutMs, this.settings.rebalanceTimeoutMs + 5_000);
    this.send<JoinGroupResponse>((c, context, respond) => c.handleJoinGroup(request, { ...context, apiVersion: IN_APP_API_VERSIONS.joinGroup }, respond), unavailable, (reply) => this.onJoinResponse(reply), timeoutMs);
  }

  private onJoinResponse(reply: JoinGroupResponse | KafkaError): void {
    if (!(reply instanceof KafkaError) && reply.error === null) {
      this.memberId = reply.memberId;
      this.generationId = reply.generationId;
      this.protocol = reply.protocolName;
      this.leaderId = reply.leader;
      this.state = 'syncing';
      this.scheduleHeartbeat(this.settings.heartbeatIntervalMs);
      if (reply.leader === reply.memberId && !reply.skipAssignment) this.assignAsLeader(reply);
      else this.sendSync([]);
      return;
    }
    this.busy = false;
    const error: KafkaErrorName = reply instanceof KafkaError ? 'NETWORK_EXCEPTION' : reply.error!;
    switch (error) {
      case 'MEMBER_ID_REQUIRED':
        this.memberId = (reply as JoinGroupResponse).memberId;
        return this.ensureActiveGroup();
      case 'UNKNOWN_MEMBER_ID':
        this.resetGeneration(true);
        return this.ensureActiveGroup();
      case 'ILLEGAL_GENERATION':
        this.resetGeneration(false);
        return this.ensureActiveGroup();
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'NOT_COORDINATOR':
      case 'NETWORK_EXCEPTION':
      case 'REQUEST_TIMED_OUT':
        return this.markCoordinatorUnknown();
      default:
        if (FATAL.has(error)) return this.fail(error);
        // COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS and the like: try again shortly.
        return this.later(this.settings.retryBackoffMs, () => this.ensureActiveGroup());
    }
  }

  /** The leader decodes every member's subscription, reads fresh metadata and runs the assignor. */
  private assignAsLeader(reply: JoinGroupResponse): void {
    const assignor = this.assignors.find((a) => a.name === reply.protocolName);
    if (!assignor) return this.fail('INCONSISTENT_GROUP_PROTOCOL', `the coordinator chose protocol ${reply.protocolName}, which this consumer does not have`);
    const subscriptions = new Map<string, MemberSubscription>();
    for (const member of reply.members) {
      try {
        subscriptions.set(member.memberId, { ...decodeSubscription(member.metadata), groupInstanceId: member.groupInstanceId });
      } catch {
        subscriptions.set(member.memberId, { topics: [], userData: null, ownedPartitions: [], generationId: -1, rackId: null, groupInstanceId: member.groupInstanceId });
      }
    }
    const topics = [...new Set([...subscriptions.values()].flatMap((s) => s.topics))].sort();
    const epoch = this.epoch;
    this.transport.partitionCounts(topics, (counts) => {
      if (epoch !== this.epoch || this.stopped) return;
      const partitionsPerTopic = new Map([...(counts ?? new Map<string, number>())].filter(([, count]) => count > 0));
      this.assignmentSnapshot = new Map(topics.map((topic) => [topic, partitionsPerTopic.get(topic) ?? 0]));
      const result = assignor.assign(partitionsPerTopic, subscriptions);
      this.sendSync([...result].map(([memberId, partitions]) => ({ memberId, assignment: encodeAssignment({ partitions, userData: null }) })));
    });
  }

  private sendSync(assignments: { memberId: string; assignment: Buffer }[]): void {
    const request = {
      groupId: this.settings.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.settings.groupInstanceId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: this.protocol,
      assignments,
    };
    const unavailable: SyncGroupResponse = { error: 'COORDINATOR_NOT_AVAILABLE', protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
    const timeoutMs = Math.max(this.settings.requestTimeoutMs, this.settings.rebalanceTimeoutMs + 5_000);
    this.send<SyncGroupResponse>((c, context, respond) => c.handleSyncGroup(request, { ...context, apiVersion: IN_APP_API_VERSIONS.syncGroup }, respond), unavailable, (reply) => this.onSyncResponse(reply), timeoutMs);
  }

  private onSyncResponse(reply: SyncGroupResponse | KafkaError): void {
    this.busy = false;
    if (!(reply instanceof KafkaError) && reply.error === null) return this.onJoinComplete(reply.assignment);
    const error: KafkaErrorName = reply instanceof KafkaError ? 'NETWORK_EXCEPTION' : reply.error!;
    this.state = 'joining';
    switch (error) {
      case 'REBALANCE_IN_PROGRESS':
        return this.requestRejoin('the group is rebalancing again');
      case 'UNKNOWN_MEMBER_ID':
        this.resetGeneration(true);
        return this.ensureActiveGroup();
      case 'ILLEGAL_GENERATION':
        this.resetGeneration(false);
        return this.ensureActiveGroup();
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'NOT_COORDINATOR':
      case 'NETWORK_EXCEPTION':
      case 'REQUEST_TIMED_OUT':
        this.rejoinNeeded = true;
        return this.markCoordinatorUnknown();
      default:
        if (FATAL.has(error)) return this.fail(error);
        return this.requestRejoin(`SyncGroup failed with ${error}`);
    }
  }

  /** onJoinComplete: takes the assignment; cooperative members revoke what moved away and rejoin. */
  private onJoinComplete(bytes: Buffer): void {
    let assigned: TopicPartition[];
    try {
      assigned = decodeAssignment(bytes).partitions;
    } catch {
      assigned = [];
    }
    this.rejoinNeeded = false;
    this.rejoinReason = null;
    this.state = 'stable';
    const assignedKeys = new Set(assigned.map(key));
    const ownedKeys = new Set(this.owned.map(key));
    const added = sortPartitions(assigned.filter((p) => !ownedKeys.has(key(p))));
    const revoked = sortPartitions(this.owned.filter((p) => !assignedKeys.has(key(p))));
    if (revoked.length > 0) {
      this.listener.revoked(revoked);
      this.requestRejoin(`need to revoke partitions ${revoked.map((p) => `${p.topic}-${p.partition}`).join(', ')} and re-join`);
    }
    for (const assignor of this.assignors) assignor.onAssignment(assigned, this.generationId);
    // An assignment naming topics this member does not subscribe to asks for another rebalance.
    if (assigned.some((p) => !this.settings.topics.includes(p.topic))) this.requestRejoin('assigned partitions of topics not subscribed');
    this.owned = sortPartitions(assigned);
    this.ownedGeneration = this.generationId;
    if (added.length > 0) this.listener.assigned(added);
  }

  /** Forgets the generation (and the member id when the coordinator does not know it); the partitions are lost. */
  private resetGeneration(resetMemberId: boolean): void {
    this.generationId = -1;
    this.protocol = null;
    if (resetMemberId) this.memberId = '';
    this.state = 'unjoined';
    this.rejoinNeeded = true;
    this.loseAll();
  }

  private fail(error: KafkaErrorName, message?: string): void {
    const failure = new KafkaError(error, message);
    this.loseAll();
    this.stop();
    this.listener.failed(failure);
  }

  // ---- Heartbeats and metadata -----------------------------------------------------------------

  private scheduleHeartbeat(delayMs: number): void {
    this.heartbeatTimer?.cancel();
    const epoch = this.epoch;
    this.heartbeatTimer = this.scheduler.schedule(delayMs, () => {
      if (epoch === this.epoch && !this.stopped) this.sendHeartbeat();
    });
  }

  private sendHeartbeat(): void {
    // Heartbeats run once the member has a generation, and pause while it waits in a join.
    if (!this.hasGeneration || this.coordinatorId < 0 || this.state === 'joining' || this.heartbeatInFlight) {
      return this.scheduleHeartbeat(this.settings.heartbeatIntervalMs);
    }
    this.heartbeatInFlight = true;
    const request = { groupId: this.settings.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.settings.groupInstanceId };
    const generation = this.generationId;
    this.send<HeartbeatResponse>((c, context, respond) => c.handleHeartbeat(request, { ...context, apiVersion: IN_APP_API_VERSIONS.heartbeat }, respond), { error: 'COORDINATOR_NOT_AVAILABLE' }, (reply) => {
      this.heartbeatInFlight = false;
      this.scheduleHeartbeat(this.settings.heartbeatIntervalMs);
      const error = reply instanceof KafkaError ? 'NETWORK_EXCEPTION' : reply.error;
      // An answer about an older generation than the one now held says nothing.
      if (error === null || generation !== this.generationId) return;
      switch (error) {
        case 'REBALANCE_IN_PROGRESS':
          if (this.state === 'stable') this.requestRejoin('the group began another rebalance');
          return;
        case 'ILLEGAL_GENERATION':
        case 'UNKNOWN_MEMBER_ID':
          if (this.busy) return;
          this.resetGeneration(error === 'UNKNOWN_MEMBER_ID');
          return this.ensureActiveGroup();
        case 'FENCED_INSTANCE_ID':
          return this.fail(error);
        default:
          return this.markCoordinatorUnknown();
      }
    }, Math.min(this.settings.requestTimeoutMs, this.settings.sessionTimeoutMs));
  }

  /** Refreshes metadata every metadata.max.age.ms; the leader rejoins when a group topic changed its partitions. */
  private scheduleMetadataCheck(): void {
    this.metadataTimer = this.scheduler.schedule(this.settings.metadataMaxAgeMs, () => {
      if (this.stopped) return;
      const snapshot = this.assignmentSnapshot;
      if (snapshot && this.state === 'stable' && this.leaderId === this.memberId) {
        this.transport.partitionCounts([...snapshot.keys()], (counts) => {
          if (!counts || this.stopped || this.assignmentSnapshot !== snapshot) return;
          const changed = [...snapshot].filter(([topic, count]) => (counts.get(topic) ?? 0) !== count);
          if (changed.length > 0) {
            this.requestRejoin(`${TOPIC_METADATA_CHANGED_REASON} (${changed.map(([topic, count]) => `${topic}: ${count} -> ${counts.get(topic) ?? 0} partitions`).join(', ')})`);
          }
        });
      }
      this.scheduleMetadataCheck();
    });
  }

  // ---- Offsets and leaving ------------------------------------------------------------------------

  /** Commits offsets with this member's generation (or -1 without one); `done` gets the first error or null. */
  commit(offsets: { topic: string; partition: number; offset: number; leaderEpoch: number }[], done: (error: KafkaError | null) => void): void {
    if (this.coordinatorId < 0 || offsets.length === 0) return done(offsets.length === 0 ? null : new KafkaError('COORDINATOR_NOT_AVAILABLE', 'the group coordinator is not known yet'));
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }[]>();
    for (const o of offsets) {
      if (!byTopic.has(o.topic)) byTopic.set(o.topic, []);
      byTopic.get(o.topic)!.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, committedMetadata: '' });
    }
    const request = {
      groupId: this.settings.groupId,
      generationIdOrMemberEpoch: this.hasGeneration ? this.generationId : -1,
      memberId: this.hasGeneration ? this.memberId : '',
      groupInstanceId: this.settings.groupInstanceId,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    };
    const unavailable: OffsetCommitResponse = { topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, error: 'COORDINATOR_NOT_AVAILABLE' as const })) })) };
    const generation = this.generationId;
    this.send<OffsetCommitResponse>((c, context, respond) => c.handleOffsetCommit(request, { ...context, apiVersion: IN_APP_API_VERSIONS.offsetCommit }, respond), unavailable, (reply) => {
      if (reply instanceof KafkaError) {
        this.markCoordinatorUnknown();
        return done(reply);
      }
      const error = reply.topics.flatMap((t) => t.partitions).find((p) => p.error !== null)?.error ?? null;
      if (error === null) return done(null);
      if (error === 'COORDINATOR_NOT_AVAILABLE' || error === 'NOT_COORDINATOR' || error === 'REQUEST_TIMED_OUT') this.markCoordinatorUnknown();
      else if (error === 'REBALANCE_IN_PROGRESS') this.requestRejoin('a commit found the group rebalancing');
      else if ((error === 'ILLEGAL_GENERATION' || error === 'UNKNOWN_MEMBER_ID') && generation === this.generationId && !this.busy) {
        this.resetGeneration(error === 'UNKNOWN_MEMBER_ID');
        this.ensureActiveGroup();
      }
      done(new KafkaError(error));
    });
  }

  /** The committed offsets of partitions (-1 where none). */
  fetchCommitted(partitions: TopicPartition[], done: (offsets: Map<string, number> | KafkaError) => void): void {
    if (this.coordinatorId < 0) return done(new KafkaError('COORDINATOR_NOT_AVAILABLE', 'the group coordinator is not known yet'));
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) {
      if (!byTopic.has(p.topic)) byTopic.set(p.topic, []);
      byTopic.get(p.topic)!.push(p.partition);
    }
    const request = { groupId: this.settings.groupId, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) };
    this.send<OffsetFetchResponse>((c, context, respond) => c.handleOffsetFetch(request, { ...context, apiVersion: IN_APP_API_VERSIONS.offsetFetch }, respond), { error: 'COORDINATOR_NOT_AVAILABLE', topics: [] }, (reply) => {
      if (reply instanceof KafkaError || reply.error) {
        if (reply instanceof KafkaError || reply.error !== 'COORDINATOR_LOAD_IN_PROGRESS') this.markCoordinatorUnknown();
        return done(reply instanceof KafkaError ? reply : new KafkaError(reply.error!));
      }
      const result = new Map<string, number>();
      for (const t of reply.topics) for (const p of t.partitions) result.set(key({ topic: t.name, partition: p.partitionIndex }), p.committedOffset);
      done(result);
    });
  }

  /** LeaveGroup (close): gives up the partitions and tells the coordinator right away. */
  leave(done: () => void): void {
    if (this.memberId === '' || this.coordinatorId < 0 || this.settings.groupInstanceId !== null) {
      // Static members do not leave on close: their session keeps their place (KIP-345).
      this.stop();
      return done();
    }
    const request = { groupId: this.settings.groupId, members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'the consumer is being closed' }] };
    this.send<LeaveGroupResponse>((c, context, respond) => c.handleLeaveGroup(request, { ...context, apiVersion: IN_APP_API_VERSIONS.leaveGroup }, respond), { error: 'COORDINATOR_NOT_AVAILABLE', members: [] }, () => {
      this.stop();
      done();
    });
  }
}
