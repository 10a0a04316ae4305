/**
 * One classic consumer group's state as its coordinator keeps it (Kafka's ClassicGroup and
 * ClassicGroupMember): state machine, generation, leader, members with the protocols they
 * support, members that still have to rejoin or sync, and the responses parked while a
 * rebalance runs. Decisions (when to rebalance, what to write) live in membership.ts.
 */
import type { Timer } from '../time/scheduler';
import { javaHashOrder } from './java-hash';
import type { JoinGroupProtocol, JoinGroupResponse, JoinGroupResponseMember, SyncGroupResponse } from './messages';

/** Kafka's classic group states, named as DescribeGroups and ListGroups report them. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/**
 * A group's state as a snapshot or an event shows it: its coordinator's state, or 'Unknown'
 * (Kafka's own word for a state it cannot name) when the coordinator cannot be asked: an
 * attached cluster that does not serve DescribeGroups shows a group from its committed
 * offsets alone. The embedded coordinator never enters 'Unknown'.
 */
export type ObservedGroupState = GroupState | 'Unknown';

/** The states each state may be entered from (ClassicGroupState.validPreviousStates). */
const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

/** How long a new member may wait in a join before it is dropped (classic.group.new.member.join.timeout.ms). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/** One member of a classic group. */
export class GroupMember {
  assignment: Buffer = Buffer.alloc(0);
  awaitingJoin: ((response: JoinGroupResponse) => void) | null = null;
  awaitingSync: ((response: SyncGroupResponse) => void) | null = null;
  /** Joined during the current rebalance: its session does not count until the join completes. */
  isNew = false;
  heartbeatTimer: Timer | null = null;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: JoinGroupProtocol[],
  ) {}

  /** The metadata (subscription) this member gave for `protocol`. */
  metadata(protocol: string): Buffer {
    const found = this.protocols.find((p) => p.name === protocol);
    if (!found) throw new Error(`member ${this.memberId} does not support protocol ${protocol}`);
    return found.metadata;
  }

  /** Whether `protocols` equals what the member joined with, names and metadata in order. */
  matches(protocols: readonly JoinGroupProtocol[]): boolean {
    return protocols.length === this.protocols.length && protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata));
  }

  /** The first of its protocols (in its preference order) that is among `candidates`. */
  vote(candidates: Set<string>): string {
    const choice = this.protocols.find((p) => candidates.has(p.name));
    if (!choice) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return choice.name;
  }

  /** A member waiting in a join or sync is alive; a new member's session counts even then. */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false;
    return this.awaitingJoin !== null || this.awaitingSync !== null;
  }
}

/** One classic group. */
export class ClassicGroup {
  state: GroupState;
  previousState: GroupState = 'Dead';
  currentStateTimestamp: number;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id to member id. */
  readonly staticMembers = new Map<string, string>();
  readonly pendingJoinMembers = new Set<string>();
  readonly pendingSyncMembers = new Set<string>();
  private readonly supportedProtocols = new Map<string, number>();
  /** A member joined the initial rebalance: it may be delayed once more. */
  newMemberAdded = false;
  joinTimer: Timer | null = null;
  syncTimer: Timer | null = null;
  /** When the current rebalance started (for the completion event's duration). */
  rebalanceStartedAt = -1;

  constructor(
    readonly groupId: string,
    state: GroupState,
    now: number,
  ) {
    this.state = state;
    this.currentStateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  member(memberId: string): GroupMember | undefined {
    return this.members.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Whether a rebalance may start from the current state. */
  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state);
  }

  transitionTo(state: GroupState, now: number): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) throw new Error(`group ${this.groupId} cannot go from ${this.state} to ${state}`);
    this.previousState = this.state;
    this.state = state;
    this.currentStateTimestamp = now;
  }

  add(member: GroupMember, awaitingJoin: ((response: JoinGroupResponse) => void) | null): void {
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = awaitingJoin;
    this.pendingJoinMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const removed = this.members.get(memberId);
    if (removed) {
      this.members.delete(memberId);
      this.countProtocols(removed, -1);
      if (removed.groupInstanceId !== null) this.staticMembers.delete(removed.groupInstanceId);
      removed.heartbeatTimer?.cancel();
    }
    if (this.leaderId === memberId) this.leaderId = this.membersInJavaOrder()[0]?.memberId ?? null;
    this.pendingJoinMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  /** Replaces a static member's id (it rejoined without its old id), keeping everything else. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  updateMember(member: GroupMember, protocols: JoinGroupProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, awaitingJoin: ((response: JoinGroupResponse) => void) | null): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.awaitingJoin = awaitingJoin;
  }

  private countProtocols(member: GroupMember, delta: number): void {
    for (const { name } of member.protocols) this.supportedProtocols.set(name, (this.supportedProtocols.get(name) ?? 0) + delta);
  }

  /** Whether a member with this protocol type and these protocols could join. */
  supportsProtocols(protocolType: string, protocols: readonly string[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((name) => this.supportedProtocols.get(name) === this.members.size);
  }

  /** The protocol most members prefer among those every member supports. */
  selectProtocol(): string {
    const candidates = new Set([...this.supportedProtocols].filter(([, count]) => count === this.members.size).map(([name]) => name));
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    // Ties go to the protocol Java's HashMap of votes lists first.
    let best: string | null = null;
    for (const name of javaHashOrder([...votes.keys()])) if (best === null || votes.get(name)! > votes.get(best)!) best = name;
    return best!;
  }

  /** Members in the order Kafka's HashMap of members lists them (leader fallback, JoinGroup response). */
  membersInJavaOrder(): GroupMember[] {
    return javaHashOrder([...this.members.keys()]).map((id) => this.members.get(id)!);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingJoinMembers.has(memberId);
  }

  numAwaitingJoin(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.awaitingJoin) count++;
    return count;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin() && this.pendingJoinMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((member) => member.awaitingJoin === null);
  }

  /** The longest rebalance timeout of the members: how long a rebalance may wait. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }

  /**
   * Keeps the leader if it rejoined, else picks a member that did. False when the group has
   * no leader or no member rejoined.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.awaitingJoin) return true;
    const joined = this.membersInJavaOrder().find((member) => member.awaitingJoin !== null);
    if (!joined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  /** Starts the next generation: CompletingRebalance with members, else Empty. */
  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
    this.pendingSyncMembers.clear();
  }

  /** Every member with its metadata for the chosen protocol, as the leader receives them. */
  currentMembers(): JoinGroupResponseMember[] {
    return this.membersInJavaOrder().map((member) => ({ memberId: member.memberId, groupInstanceId: member.groupInstanceId, metadata: member.metadata(this.protocolName!) }));
  }

  /** Answers a member's parked join; returns whether one was parked. */
  completeJoin(member: GroupMember, response: JoinGroupResponse): boolean {
    const respond = member.awaitingJoin;
    if (!respond) return false;
    member.awaitingJoin = null;
    respond(response);
    return true;
  }

  /** Answers a member's parked sync; returns whether one was parked. */
  completeSync(member: GroupMember, response: SyncGroupResponse): boolean {
    const respond = member.awaitingSync;
    if (!respond) return false;
    member.awaitingSync = null;
    respond(response);
    return true;
  }

  /** Fails every parked join and sync with an error (the coordinator moved). */
  failAll(error: 'NOT_COORDINATOR' | 'COORDINATOR_NOT_AVAILABLE'): void {
    for (const member of this.members.values()) {
      this.completeJoin(member, joinError(member.memberId, error));
      this.completeSync(member, { error, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    }
  }

  /** Cancels every timer of the group and its members. */
  cancelTimers(): void {
    this.joinTimer?.cancel();
    this.syncTimer?.cancel();
    this.joinTimer = this.syncTimer = null;
    for (const member of this.members.values()) member.heartbeatTimer?.cancel();
  }
}

/** A JoinGroup error response. */
export function joinError(memberId: string, error: NonNullable<JoinGroupResponse['error']>): JoinGroupResponse {
  return { error, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}
