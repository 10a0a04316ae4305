/**
 * The consumer-group events of the cluster's event stream and the helpers coordinators emit
 * them with. Committed offsets arrive gathered per stats interval (like records.appended):
 * a group committing every partition every few seconds yields a handful of events, never one
 * per commit.
 */
import type { EventBus } from '../events';
import type { Scheduler } from '../time/scheduler';
import { IntervalGatherer } from '../time/interval-gatherer';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, sortPartitions, type TopicPartition } from './consumer-protocol';
import type { ClassicGroup, ObservedGroupState } from './group';

/** Why a rebalance started. */
export type RebalanceReason =
  | 'member joined'
  | 'member left'
  | 'session timeout'
  | 'topic metadata changed'
  | 'member rejoined'
  | 'sync timeout'
  | 'store failed';

/** What changed for one member when a generation became stable. */
export interface MemberAssignmentChange {
  memberId: string;
  clientId: string;
  /** Partitions this member holds in the new generation. */
  assignment: TopicPartition[];
  assigned: TopicPartition[];
  revoked: TopicPartition[];
}

/** One partition's commits during a stats interval. */
export interface OffsetCommitCount {
  groupId: string;
  topic: string;
  partition: number;
  /** The last offset committed. */
  offset: number;
  commits: number;
}

/** Events of consumer groups, discriminated by `type`; `coordinator` is the broker that emitted them. */
export type GroupEvent =
  | { type: 'group.state-changed'; time: number; groupId: string; coordinator: number; state: ObservedGroupState; previousState: ObservedGroupState; generationId: number }
  | { type: 'group.rebalance-started'; time: number; groupId: string; coordinator: number; generationId: number; reason: RebalanceReason; memberId: string | null; detail: string }
  | { type: 'group.rebalance-completed'; time: number; groupId: string; coordinator: number; generationId: number; protocol: string | null; leader: string | null; members: number; durationMs: number }
  | { type: 'group.assignment-changed'; time: number; groupId: string; coordinator: number; generationId: number; members: MemberAssignmentChange[] }
  | { type: 'group.offsets-committed'; time: number; intervalMs: number; commits: OffsetCommitCount[] }
  | { type: 'group.coordinator-loaded'; time: number; coordinator: number; partition: number; groups: number; offsets: number; records: number };

/** Decodes a member's assignment bytes, or nothing when the group does not speak the consumer protocol. */
export function assignedPartitions(group: ClassicGroup, assignment: Buffer): TopicPartition[] {
  if (group.protocolType !== CONSUMER_PROTOCOL_TYPE) return [];
  try {
    return decodeAssignment(assignment).partitions;
  } catch {
    return [];
  }
}

const key = (p: TopicPartition): string => `${p.topic}\u0000${p.partition}`;

/**
 * The per-member difference between the previous stable generation's assignment and the
 * current one; members that left appear with everything revoked.
 */
export function assignmentChanges(group: ClassicGroup, previous: Map<string, { clientId: string; partitions: TopicPartition[] }>): MemberAssignmentChange[] {
  const changes: MemberAssignmentChange[] = [];
  const seen = new Set<string>();
  for (const member of group.members.values()) {
    seen.add(member.memberId);
    const now = sortPartitions(assignedPartitions(group, member.assignment));
    const before = previous.get(member.memberId)?.partitions ?? [];
    const beforeKeys = new Set(before.map(key));
    const nowKeys = new Set(now.map(key));
    changes.push({
      memberId: member.memberId,
      clientId: member.clientId,
      assignment: now,
      assigned: now.filter((p) => !beforeKeys.has(key(p))),
      revoked: before.filter((p) => !nowKeys.has(key(p))),
    });
  }
  for (const [memberId, { clientId, partitions }] of previous) {
    if (!seen.has(memberId) && partitions.length > 0) changes.push({ memberId, clientId, assignment: [], assigned: [], revoked: partitions });
  }
  return changes;
}

/** Gathers offset commits of every coordinator in the cluster into one event per interval. */
export class OffsetCommitStats extends IntervalGatherer {
  private commits = new Map<string, OffsetCommitCount>();

  constructor(
    scheduler: Scheduler,
    private readonly events: EventBus,
    intervalMs: number,
  ) {
    super(scheduler, intervalMs);
  }

  /** Counts one acknowledged commit of a partition's offset. */
  committed(groupId: string, topic: string, partition: number, offset: number): void {
    const id = `${groupId}\u0000${topic}\u0000${partition}`;
    const entry = this.commits.get(id);
    if (entry) {
      entry.offset = offset;
      entry.commits++;
    } else {
      this.commits.set(id, { groupId, topic, partition, offset, commits: 1 });
    }
    this.arm();
  }

  protected emit(now: number, intervalMs: number): void {
    if (this.commits.size === 0) return;
    this.events.emit({ type: 'group.offsets-committed', time: now, intervalMs, commits: [...this.commits.values()] });
    this.commits = new Map();
  }
}
