/**
 * Consumer groups as plain data for the cluster snapshot: each group as its coordinator holds
 * it (state, protocol type and assignor, generation, leader, members with their assignment),
 * with its committed offsets and lag per partition (high watermark minus committed offset, or
 * high watermark minus log start offset for an assigned partition with nothing committed).
 */
import type { Broker } from '../broker/broker';
import { sortPartitions, type TopicPartition } from './consumer-protocol';
import { groupCoordinatorOf } from './coordinator';
import type { ObservedGroupState } from './group';
import { assignedPartitions } from './group-events';

/** One member of a group in a snapshot. */
export interface GroupMemberSnapshot {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  assignment: TopicPartition[];
}

/** One partition's committed offset and lag in a snapshot. */
export interface GroupOffsetSnapshot {
  topic: string;
  partition: number;
  /** -1: nothing committed yet. */
  committedOffset: number;
  highWatermark: number;
  logStartOffset: number;
  lagRecords: number;
}

/** One consumer group in a snapshot. */
export interface GroupSnapshot {
  groupId: string;
  /** 'Unknown' only on an attached cluster whose coordinator cannot be asked (see ObservedGroupState). */
  state: ObservedGroupState;
  protocolType: string;
  /** The assignor chosen for the current generation, or null. */
  protocol: string | null;
  generationId: number;
  leader: string | null;
  /** The broker coordinating the group. */
  coordinator: number;
  members: GroupMemberSnapshot[];
  offsets: GroupOffsetSnapshot[];
  lagRecords: number;
}

/** Every group loaded by a running coordinator, sorted by id. */
export function buildGroupSnapshots(brokers: ReadonlyMap<number, Broker>): GroupSnapshot[] {
  const result: GroupSnapshot[] = [];
  for (const broker of brokers.values()) {
    if (!broker.running) continue;
    const coordinator = groupCoordinatorOf(broker);
    if (!coordinator) continue;
    for (const group of coordinator.groups.values()) {
      const members = [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        assignment: sortPartitions(assignedPartitions(group, m.assignment)),
      }));
      const offsets = new Map<string, GroupOffsetSnapshot>();
      const add = (topic: string, partition: number, committedOffset: number): void => {
        const { highWatermark, logStartOffset } = partitionEnds(brokers, topic, partition);
        const from = committedOffset >= 0 ? committedOffset : logStartOffset;
        offsets.set(`${topic}-${partition}`, { topic, partition, committedOffset, highWatermark, logStartOffset, lagRecords: highWatermark >= 0 && from >= 0 ? Math.max(0, highWatermark - from) : 0 });
      };
      for (const { topic, partition, committed } of coordinator.offsets.list(group.groupId)) add(topic, partition, committed.offset);
      for (const member of members) for (const p of member.assignment) if (!offsets.has(`${p.topic}-${p.partition}`)) add(p.topic, p.partition, -1);
      const sorted = sortPartitions([...offsets.values()]) as GroupOffsetSnapshot[];
      result.push({
        groupId: group.groupId,
        state: group.state,
        protocolType: group.protocolType ?? '',
        protocol: group.protocolName,
        generationId: group.generationId,
        leader: group.leaderId,
        coordinator: broker.id,
        members,
        offsets: sorted,
        lagRecords: sorted.reduce((sum, o) => sum + o.lagRecords, 0),
      });
    }
  }
  return result.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

/** A partition's high watermark and log start offset at its leader (-1 when it has none). */
function partitionEnds(brokers: ReadonlyMap<number, Broker>, topic: string, partition: number): { highWatermark: number; logStartOffset: number } {
  for (const broker of brokers.values()) {
    const replica = broker.running ? broker.partitions.get(`${topic}-${partition}`) : undefined;
    if (replica?.role === 'leader') return { highWatermark: replica.highWatermark, logStartOffset: replica.log.logStartOffset };
  }
  return { highWatermark: -1, logStartOffset: -1 };
}
