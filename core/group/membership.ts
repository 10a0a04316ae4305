/**
 * Classic group membership requests as Kafka's coordinator answers them (GroupMetadataManager's
 * classic handlers, Kafka 3.7+): JoinGroup (v4+ hands a new dynamic member an id first with
 * MEMBER_ID_REQUIRED; a static member restarting takes its old place, in a Stable group without
 * a rebalance), SyncGroup, Heartbeat and LeaveGroup, with Kafka's checks and error codes. The
 * rebalances they trigger run in rebalance.ts.
 */
import type { KafkaErrorName } from '../protocol/errors';
import type { CoordinatorContext } from './coordinator';
import { ClassicGroup, GroupMember, NEW_MEMBER_JOIN_TIMEOUT_MS, joinError } from './group';
import type { RebalanceReason } from './group-events';
import {
  TOPIC_METADATA_CHANGED_REASON,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type RequestContext,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from './messages';
import { groupWriteError, type Rebalancer } from './rebalance';

const EMPTY = Buffer.alloc(0);

/** JoinGroup, SyncGroup, Heartbeat and LeaveGroup for one coordinator's groups. */
export class Membership {
  constructor(
    private readonly ctx: CoordinatorContext,
    private readonly rebalance: Rebalancer,
  ) {}

  /** JoinGroup: checks the session timeout, creates the group on a first join, then admits the member. */
  join(request: JoinGroupRequest, context: RequestContext, respond: (response: JoinGroupResponse) => void): void {
    const settings = this.ctx.settings;
    if (request.sessionTimeoutMs < settings.groupMinSessionTimeoutMs || request.sessionTimeoutMs > settings.groupMaxSessionTimeoutMs) {
      return respond(joinError(request.memberId, 'INVALID_SESSION_TIMEOUT'));
    }
    const isUnknown = request.memberId === '';
    let group = this.ctx.groups.get(request.groupId);
    if (!group) {
      if (!isUnknown) return respond(joinError(request.memberId, 'UNKNOWN_MEMBER_ID'));
      group = new ClassicGroup(request.groupId, 'Empty', this.ctx.now());
      this.ctx.groups.set(request.groupId, group);
    }
    if (!this.acceptsJoiningMember(group, request.memberId)) {
      group.remove(request.memberId);
      return respond(joinError('', 'GROUP_MAX_SIZE_REACHED'));
    }
    if (isUnknown) this.joinNewMember(group, request, context, respond);
    else this.joinExistingMember(group, request, context, respond);
  }

  private acceptsJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.ctx.settings.groupMaxSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.member(memberId)?.awaitingJoin ?? null) !== null || group.numAwaitingJoin() < max;
      default:
        return group.members.has(memberId) || group.members.size < max;
    }
  }

  private protocolNames(request: JoinGroupRequest): string[] {
    return request.protocols.map((p) => p.name);
  }

  private joinNewMember(group: ClassicGroup, request: JoinGroupRequest, context: RequestContext, respond: (response: JoinGroupResponse) => void): void {
    if (group.is('Dead')) return respond(joinError('', 'COORDINATOR_NOT_AVAILABLE'));
    if (!group.supportsProtocols(request.protocolType, this.protocolNames(request))) return respond(joinError('', 'INCONSISTENT_GROUP_PROTOCOL'));
    const memberId = `${request.groupInstanceId ?? context.clientId}-${this.ctx.uuid()}`;
    if (request.groupInstanceId !== null) {
      const existing = group.staticMembers.get(request.groupInstanceId);
      if (existing !== undefined) return this.replaceStaticMember(group, request, existing, memberId, respond);
      return this.addMember(group, request, context, memberId, respond);
    }
    if (context.apiVersion >= 4) {
      // JoinGroup v4+: the member must come back with this id, within its session timeout.
      group.pendingJoinMembers.add(memberId);
      this.ctx.schedule(request.sessionTimeoutMs, () => this.rebalance.expirePendingMember(group, memberId));
      return respond(joinError(memberId, 'MEMBER_ID_REQUIRED'));
    }
    this.addMember(group, request, context, memberId, respond);
  }

  private joinExistingMember(group: ClassicGroup, request: JoinGroupRequest, context: RequestContext, respond: (response: JoinGroupResponse) => void): void {
    const memberId = request.memberId;
    if (group.is('Dead')) return respond(joinError(memberId, 'COORDINATOR_NOT_AVAILABLE'));
    if (!group.supportsProtocols(request.protocolType, this.protocolNames(request))) return respond(joinError(memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
    if (group.isPendingMember(memberId)) return this.addMember(group, request, context, memberId, respond);
    const invalid = this.validateMember(group, memberId, request.groupInstanceId);
    if (invalid) return respond(joinError(memberId, invalid));
    const member = group.member(memberId)!;
    const rejoin = (reason: RebalanceReason): void => {
      group.updateMember(member, request.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, respond);
      this.rebalance.maybePrepareRebalanceOrCompleteJoin(group, reason, memberId, request.reason);
    };
    const current = (withMembers: boolean): JoinGroupResponse => ({
      error: null,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMembers() : [],
    });
    switch (group.state) {
      case 'PreparingRebalance':
        return rejoin(this.rejoinReason(request));
      case 'CompletingRebalance':
        // The same metadata: the member missed the join response; give it the current generation.
        if (member.matches(request.protocols)) return respond(current(group.isLeader(memberId)));
        return rejoin('member rejoined');
      case 'Stable':
        // A leader's join forces a rebalance: that is how it reports topic metadata changes.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) return rejoin(this.rejoinReason(request));
        return respond(current(false));
      default:
        return respond(joinError(memberId, 'UNKNOWN_MEMBER_ID'));
    }
  }

  private rejoinReason(request: JoinGroupRequest): RebalanceReason {
    return request.reason?.startsWith(TOPIC_METADATA_CHANGED_REASON) ? 'topic metadata changed' : 'member rejoined';
  }

  /** Kafka's validateMember: a static id must map to this member id, and the member must exist. */
  private validateMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): KafkaErrorName | null {
    if (groupInstanceId !== null) {
      const existing = group.staticMembers.get(groupInstanceId);
      if (existing === undefined) return 'UNKNOWN_MEMBER_ID';
      if (existing !== memberId) return 'FENCED_INSTANCE_ID';
    }
    return group.members.has(memberId) ? null : 'UNKNOWN_MEMBER_ID';
  }

  private addMember(group: ClassicGroup, request: JoinGroupRequest, context: RequestContext, memberId: string, respond: (response: JoinGroupResponse) => void): void {
    const member = new GroupMember(memberId, request.groupInstanceId, context.clientId, context.clientHost, request.rebalanceTimeoutMs, request.sessionTimeoutMs, request.protocolType, request.protocols);
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
    group.add(member, respond);
    // A new member cannot heartbeat before its join completes: it gets the new-member timeout instead.
    this.rebalance.rescheduleHeartbeat(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.rebalance.maybePrepareRebalanceOrCompleteJoin(group, 'member joined', memberId, request.reason);
  }

  /**
   * A static member restarted without its member id: it takes over the old id's place. In a
   * Stable group whose protocol does not change it keeps its assignment with no rebalance.
   */
  private replaceStaticMember(group: ClassicGroup, request: JoinGroupRequest, oldMemberId: string, newMemberId: string, respond: (response: JoinGroupResponse) => void): void {
    const previous = group.member(oldMemberId)!;
    group.completeJoin(previous, joinError(oldMemberId, 'FENCED_INSTANCE_ID'));
    group.completeSync(previous, { error: 'FENCED_INSTANCE_ID', protocolType: null, protocolName: null, assignment: EMPTY });
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(request.groupInstanceId!, oldMemberId, newMemberId);
    this.rebalance.rescheduleHeartbeat(group, member);
    const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    group.updateMember(member, request.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, respond);
    if (group.is('CompletingRebalance')) return this.rebalance.prepareRebalance(group, 'member rejoined', newMemberId, request.reason);
    if (!group.is('Stable')) return this.rebalance.maybeCompleteJoinPhase(group);
    if (group.protocolName !== group.selectProtocol()) return this.rebalance.maybePrepareRebalanceOrCompleteJoin(group, 'member rejoined', newMemberId, request.reason);
    const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
    this.rebalance.storeGroup(group, assignment, (error) => {
      if (error) {
        // The new id could not be persisted: the old member id stays in place.
        group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
        group.replaceStaticMember(request.groupInstanceId!, newMemberId, oldMemberId);
        this.rebalance.rescheduleHeartbeat(group, member);
        return respond({ ...joinError('', groupWriteError(error)), generationId: group.generationId, leader: currentLeader });
      }
      group.completeJoin(member, {
        error: null,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        // Kafka keeps the old leader id so a rejoining static leader does not reassign.
        leader: currentLeader,
        skipAssignment: false,
        memberId: newMemberId,
        members: [],
      });
    });
  }

  /** SyncGroup: the leader's assignment is written and handed out; others wait for it or get it from a Stable group. */
  sync(request: SyncGroupRequest, respond: (response: SyncGroupResponse) => void): void {
    const fail = (error: KafkaErrorName): void => respond({ error, protocolType: null, protocolName: null, assignment: EMPTY });
    const group = this.ctx.groups.get(request.groupId);
    if (!group || group.is('Empty')) return fail('UNKNOWN_MEMBER_ID');
    if (group.is('Dead')) return fail('COORDINATOR_NOT_AVAILABLE');
    const invalid = this.validateMember(group, request.memberId, request.groupInstanceId);
    if (invalid) return fail(invalid);
    if (request.generationId !== group.generationId) return fail('ILLEGAL_GENERATION');
    const inconsistent = (given: string | null, actual: string | null): boolean => given !== null && given !== actual;
    if (inconsistent(request.protocolType, group.protocolType) || inconsistent(request.protocolName, group.protocolName)) return fail('INCONSISTENT_GROUP_PROTOCOL');
    if (group.is('PreparingRebalance')) return fail('REBALANCE_IN_PROGRESS');
    const member = group.member(request.memberId)!;
    this.receivedSync(group, request.memberId);
    if (group.is('Stable')) return respond({ error: null, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
    member.awaitingSync = respond;
    if (!group.isLeader(request.memberId)) return;
    const assignment = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
    for (const id of group.members.keys()) if (!assignment.has(id)) assignment.set(id, EMPTY);
    this.rebalance.storeLeaderAssignment(group, request.generationId, assignment);
  }

  private receivedSync(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) {
      group.syncTimer?.cancel();
      group.syncTimer = null;
    }
  }

  /** Heartbeat: keeps the session alive; REBALANCE_IN_PROGRESS tells the member to rejoin. */
  heartbeat(request: HeartbeatRequest, respond: (response: HeartbeatResponse) => void): void {
    const group = this.ctx.groups.get(request.groupId);
    if (!group) return respond({ error: 'UNKNOWN_MEMBER_ID' });
    if (group.is('Dead')) return respond({ error: 'COORDINATOR_NOT_AVAILABLE' });
    const invalid = this.validateMember(group, request.memberId, request.groupInstanceId);
    if (invalid) return respond({ error: invalid });
    if (request.generationId !== group.generationId) return respond({ error: 'ILLEGAL_GENERATION' });
    if (group.is('Empty')) return respond({ error: 'UNKNOWN_MEMBER_ID' });
    this.rebalance.rescheduleHeartbeat(group, group.member(request.memberId)!);
    respond({ error: group.is('PreparingRebalance') ? 'REBALANCE_IN_PROGRESS' : null });
  }

  /** LeaveGroup: removes members (or a static member by instance id) and rebalances the rest. */
  leave(request: LeaveGroupRequest, respond: (response: LeaveGroupResponse) => void): void {
    const group = this.ctx.groups.get(request.groupId);
    if (!group) return respond({ error: 'UNKNOWN_MEMBER_ID', members: [] });
    if (group.is('Dead')) return respond({ error: 'COORDINATOR_NOT_AVAILABLE', members: [] });
    const left: string[] = [];
    const members = request.members.map(({ memberId, groupInstanceId }) => {
      const answer = (error: KafkaErrorName | null) => ({ memberId, groupInstanceId, error });
      if (memberId === '') {
        // Administrative removal of a static member by instance id.
        const target = groupInstanceId === null ? undefined : group.staticMembers.get(groupInstanceId);
        if (target === undefined) return answer('UNKNOWN_MEMBER_ID');
        this.dropLeavingMember(group, target);
        left.push(target);
        return answer(null);
      }
      if (group.isPendingMember(memberId)) {
        group.pendingJoinMembers.delete(memberId);
        left.push(memberId);
        return answer(null);
      }
      const invalid = this.validateMember(group, memberId, groupInstanceId);
      if (invalid) return answer(invalid);
      this.dropLeavingMember(group, memberId);
      left.push(memberId);
      return answer(null);
    });
    if (left.length > 0) {
      const detail = `explicit LeaveGroup request for (${left.join(', ')}) members`;
      if (group.is('Stable') || group.is('CompletingRebalance')) this.rebalance.maybePrepareRebalanceOrCompleteJoin(group, 'member left', left[0], detail);
      else if (group.is('PreparingRebalance')) this.rebalance.maybeCompleteJoinPhase(group);
    }
    respond({ error: null, members });
  }

  private dropLeavingMember(group: ClassicGroup, memberId: string): void {
    const member = group.member(memberId);
    if (!member) return;
    group.completeJoin(member, joinError('', 'UNKNOWN_MEMBER_ID'));
    group.remove(memberId);
  }
}
