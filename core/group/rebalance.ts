/**
 * The rebalance state machine of a classic group (the timer-driven half of Kafka's
 * GroupMetadataManager): Empty -> PreparingRebalance waits group.initial.rebalance.delay.ms
 * (again while new members keep arriving, up to the rebalance timeout); later rebalances wait
 * until every member rejoined or the rebalance timeout passed, and drop dynamic members that did
 * not. The next generation goes to CompletingRebalance; the leader's assignment is written to
 * __consumer_offsets before anyone gets it, then the group is Stable. Session timeouts remove
 * silent members; members that never sync are removed after the rebalance timeout. Every state
 * change, rebalance and new assignment is reported on the event stream.
 */
import type { KafkaErrorName } from '../protocol/errors';
import type { TopicPartition } from './consumer-protocol';
import type { CoordinatorContext } from './coordinator';
import { ClassicGroup, GroupMember, joinError, type GroupState } from './group';
import { assignedPartitions, assignmentChanges, type RebalanceReason } from './group-events';
import { encodeGroupMetadataKey, encodeGroupMetadataValue, type GroupMetadataValue } from './offsets-records';

/** Kafka's mapping of a failed group write to the error members see. */
export function groupWriteError(error: KafkaErrorName): KafkaErrorName {
  return coordinatorWriteError(error, 'UNKNOWN_SERVER_ERROR');
}

/**
 * How Kafka's coordinator reports a failed write to __consumer_offsets: the partition is gone
 * or under-replicated (retry the coordinator), moved (find it again), or the write was too
 * large, which offset commits and group writes report differently.
 */
export function coordinatorWriteError(error: KafkaErrorName, tooLarge: KafkaErrorName): KafkaErrorName {
  switch (error) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
    case 'REQUEST_TIMED_OUT':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'MESSAGE_TOO_LARGE':
    case 'RECORD_LIST_TOO_LARGE':
    case 'INVALID_FETCH_SIZE':
      return tooLarge;
    default:
      return error;
  }
}

const EMPTY = Buffer.alloc(0);

/** Drives one coordinator's groups through their rebalances. */
export class Rebalancer {
  /** Each group's assignment in its last stable generation, for assignment-changed events. */
  private readonly lastStable = new Map<string, Map<string, { clientId: string; partitions: TopicPartition[] }>>();

  constructor(private readonly ctx: CoordinatorContext) {}

  /** Moves a group to `state` and reports it. */
  transition(group: ClassicGroup, state: GroupState): void {
    const previous = group.state;
    group.transitionTo(state, this.ctx.now());
    this.ctx.emit({ type: 'group.state-changed', time: this.ctx.now(), groupId: group.groupId, coordinator: this.ctx.brokerId, state, previousState: previous, generationId: group.generationId });
  }

  /** Rebuilds a group loaded from __consumer_offsets: Stable with its members, or Empty. */
  restore(groupId: string, value: GroupMetadataValue | null): void {
    const now = this.ctx.now();
    const group = new ClassicGroup(groupId, value && value.members.length > 0 ? 'Stable' : 'Empty', value?.currentStateTimestamp ?? now);
    if (value) {
      group.generationId = value.generation;
      group.protocolType = value.protocolType === '' ? null : value.protocolType;
      group.protocolName = value.protocol;
      for (const stored of value.members) {
        const member = new GroupMember(stored.memberId, stored.groupInstanceId, stored.clientId, stored.clientHost, stored.rebalanceTimeout, stored.sessionTimeout, value.protocolType, [
          { name: value.protocol ?? '', metadata: stored.subscription },
        ]);
        member.assignment = stored.assignment;
        group.add(member, null);
      }
      group.leaderId = value.leader;
    }
    this.ctx.groups.set(groupId, group);
    this.rememberStable(group);
    // Loaded members must reach this coordinator within their session timeout.
    for (const member of group.members.values()) this.rescheduleHeartbeat(group, member);
  }

  /** Forgets a group's bookkeeping (it was unloaded or deleted). */
  forget(groupId: string): void {
    this.lastStable.delete(groupId);
  }

  private rememberStable(group: ClassicGroup): void {
    const members = new Map<string, { clientId: string; partitions: TopicPartition[] }>();
    for (const member of group.members.values()) members.set(member.memberId, { clientId: member.clientId, partitions: assignedPartitions(group, member.assignment) });
    this.lastStable.set(group.groupId, members);
  }

  /** Starts a rebalance if the state allows one, else completes a join phase every member has joined. */
  maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup, reason: RebalanceReason, memberId: string | null, detail: string | null): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason, memberId, detail);
    else this.maybeCompleteJoinPhase(group);
  }

  /** Completes the join phase once every member rejoined (never during the initial delay). */
  maybeCompleteJoinPhase(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.previousState !== 'Empty' && group.hasAllMembersJoined()) this.completeJoinPhase(group);
  }

  /** PreparingRebalance: parked syncs are told to rejoin, and the join phase waits for the members. */
  prepareRebalance(group: ClassicGroup, reason: RebalanceReason, memberId: string | null, detail: string | null): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignment(group, 'REBALANCE_IN_PROGRESS');
    group.pendingSyncMembers.clear();
    group.syncTimer?.cancel();
    group.syncTimer = null;
    const initial = group.is('Empty');
    this.transition(group, 'PreparingRebalance');
    group.rebalanceStartedAt = this.ctx.now();
    this.ctx.emit({
      type: 'group.rebalance-started',
      time: this.ctx.now(),
      groupId: group.groupId,
      coordinator: this.ctx.brokerId,
      generationId: group.generationId,
      reason,
      memberId,
      detail: detail ?? reason,
    });
    if (initial) {
      const delay = this.ctx.settings.groupInitialRebalanceDelayMs;
      this.setJoinTimer(group, delay, () => this.tryCompleteInitialRebalance(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0)));
    } else if (group.hasAllMembersJoined()) {
      this.completeJoinPhase(group);
    } else {
      this.setJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoinPhase(group));
    }
  }

  private setJoinTimer(group: ClassicGroup, delayMs: number, task: () => void): void {
    group.joinTimer?.cancel();
    group.joinTimer = this.ctx.schedule(delayMs, () => {
      group.joinTimer = null;
      if (this.ctx.groups.get(group.groupId) === group) task();
    });
  }

  /** The initial rebalance waits another delay each time a new member arrived, up to the rebalance timeout. */
  private tryCompleteInitialRebalance(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false;
      const nextDelay = Math.min(this.ctx.settings.groupInitialRebalanceDelayMs, remainingMs);
      const nextRemaining = Math.max(remainingMs - delayMs, 0);
      this.setJoinTimer(group, nextDelay, () => this.tryCompleteInitialRebalance(group, nextDelay, nextRemaining));
      return;
    }
    this.completeJoinPhase(group);
  }

  /** Ends the join phase: drops dynamic members that did not rejoin and starts the next generation. */
  completeJoinPhase(group: ClassicGroup): void {
    group.joinTimer?.cancel();
    group.joinTimer = null;
    if (!group.is('PreparingRebalance')) return;
    for (const member of group.notYetRejoinedMembers()) if (member.groupInstanceId === null) group.remove(member.memberId);
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Only static members that have not rejoined remain: wait for their sessions to end.
      this.setJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoinPhase(group));
      return;
    }
    const previous = group.state;
    group.initNextGeneration(this.ctx.now());
    this.ctx.emit({ type: 'group.state-changed', time: this.ctx.now(), groupId: group.groupId, coordinator: this.ctx.brokerId, state: group.state, previousState: previous, generationId: group.generationId });
    if (group.is('Empty')) {
      // Best effort: if this write is lost, the previous generation reloads and times out.
      this.storeGroup(group, new Map(), () => {});
      this.emitAssignmentChanges(group);
      return;
    }
    for (const member of group.membersInJavaOrder()) {
      group.completeJoin(member, {
        error: null,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leader: group.leaderId ?? '',
        skipAssignment: false,
        memberId: member.memberId,
        members: group.isLeader(member.memberId) ? group.currentMembers() : [],
      });
      this.rescheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    const generation = group.generationId;
    group.syncTimer = this.ctx.schedule(group.rebalanceTimeoutMs(), () => this.expirePendingSync(group, generation));
  }

  /** Members that never sent SyncGroup within the rebalance timeout are removed. */
  private expirePendingSync(group: ClassicGroup, generationId: number): void {
    if (this.ctx.groups.get(group.groupId) !== group || generationId !== group.generationId) return;
    if (!(group.is('CompletingRebalance') || group.is('Stable')) || group.pendingSyncMembers.size === 0) return;
    const missing = [...group.pendingSyncMembers];
    for (const memberId of missing) group.remove(memberId);
    this.prepareRebalance(group, 'sync timeout', missing[0], `removing ${missing.join(', ')} on pending sync request expiration`);
  }

  private resetAndPropagateAssignment(group: ClassicGroup, error: KafkaErrorName): void {
    for (const member of group.members.values()) member.assignment = EMPTY;
    this.propagateAssignment(group, error);
  }

  private propagateAssignment(group: ClassicGroup, error: KafkaErrorName | null): void {
    for (const member of group.members.values()) {
      const answered = group.completeSync(member, {
        error,
        protocolType: error ? null : group.protocolType,
        protocolName: error ? null : group.protocolName,
        assignment: member.assignment,
      });
      // A member whose session lapsed while it waited for the assignment gets a fresh one.
      if (answered) this.rescheduleHeartbeat(group, member);
    }
  }

  /** Writes the group (GroupMetadataValue v3 with every member's assignment) to __consumer_offsets. */
  storeGroup(group: ClassicGroup, assignment: Map<string, Buffer>, done: (error: KafkaErrorName | null) => void): void {
    const value: GroupMetadataValue = {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp,
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        rebalanceTimeout: member.rebalanceTimeoutMs,
        sessionTimeout: member.sessionTimeoutMs,
        subscription: member.metadata(group.protocolName!),
        assignment: assignment.get(member.memberId) ?? EMPTY,
      })),
    };
    this.ctx.append(group.groupId, [{ key: encodeGroupMetadataKey(group.groupId), value: encodeGroupMetadataValue(value) }], done);
  }

  private emitAssignmentChanges(group: ClassicGroup): void {
    const changes = assignmentChanges(group, this.lastStable.get(group.groupId) ?? new Map());
    this.rememberStable(group);
    if (changes.length === 0) return;
    this.ctx.emit({ type: 'group.assignment-changed', time: this.ctx.now(), groupId: group.groupId, coordinator: this.ctx.brokerId, generationId: group.generationId, members: changes });
  }

  /** Keeps a member's session alive for another session timeout (or `timeoutMs`). */
  rescheduleHeartbeat(group: ClassicGroup, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    member.heartbeatTimer?.cancel();
    const memberId = member.memberId;
    member.heartbeatTimer = this.ctx.schedule(timeoutMs, () => this.expireHeartbeat(group, memberId));
  }

  private expireHeartbeat(group: ClassicGroup, memberId: string): void {
    if (this.ctx.groups.get(group.groupId) !== group || group.is('Dead')) return;
    if (group.isPendingMember(memberId)) return this.expirePendingMember(group, memberId);
    const member = group.member(memberId);
    if (!member || member.hasSatisfiedHeartbeat()) return;
    this.removeMember(group, member, 'session timeout', `removing member ${memberId} on heartbeat expiration`);
  }

  /** A member told MEMBER_ID_REQUIRED never came back within its session timeout. */
  expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pendingJoinMembers.delete(memberId)) return;
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoinPhase(group);
  }

  private removeMember(group: ClassicGroup, member: GroupMember, reason: RebalanceReason, detail: string): void {
    // A new member may be parked in a join: answer it so a live client rejoins.
    group.completeJoin(member, joinError('', 'UNKNOWN_MEMBER_ID'));
    group.remove(member.memberId);
    if (group.is('Stable') || group.is('CompletingRebalance')) this.maybePrepareRebalanceOrCompleteJoin(group, reason, member.memberId, detail);
    else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoinPhase(group);
  }

  /** Marks a group Dead (it is being deleted): every parked request is told to look again. */
  markDead(group: ClassicGroup): void {
    group.failAll('COORDINATOR_NOT_AVAILABLE');
    group.cancelTimers();
    this.transition(group, 'Dead');
    this.ctx.groups.delete(group.groupId);
    this.forget(group.groupId);
  }

  /**
   * Writes the leader's assignment, then hands every member its part and makes the group
   * Stable; a failed write sends the error to everyone and starts over.
   */
  storeLeaderAssignment(group: ClassicGroup, generationId: number, assignment: Map<string, Buffer>): void {
    this.storeGroup(group, assignment, (error) => {
      // Another member may have joined meanwhile: only the same generation, still completing, proceeds.
      if (!group.is('CompletingRebalance') || generationId !== group.generationId || this.ctx.groups.get(group.groupId) !== group) return;
      if (error) {
        this.resetAndPropagateAssignment(group, groupWriteError(error));
        return this.maybePrepareRebalanceOrCompleteJoin(group, 'store failed', null, `Error ${error} when storing group assignment during SyncGroup`);
      }
      for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY;
      this.propagateAssignment(group, null);
      this.transition(group, 'Stable');
      this.ctx.emit({
        type: 'group.rebalance-completed',
        time: this.ctx.now(),
        groupId: group.groupId,
        coordinator: this.ctx.brokerId,
        generationId: group.generationId,
        protocol: group.protocolName,
        leader: group.leaderId,
        members: group.members.size,
        durationMs: group.rebalanceStartedAt >= 0 ? this.ctx.now() - group.rebalanceStartedAt : 0,
      });
      this.emitAssignmentChanges(group);
    });
  }
}
