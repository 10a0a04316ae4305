/**
 * The events an attached cluster's timeline shows, found by comparing two successive
 * snapshots: the same ClusterEvent types the embedded engine emits (leader elections, ISR
 * changes, topics, controller and broker changes, group state, rebalances and assignments),
 * so the timeline and animations work unchanged. A change between two polls is reported once,
 * at the later poll's time; what happened in between (several elections, a quick rebalance)
 * is seen as its net effect, and elections carry the reason `observed`.
 */
import type { ClusterEvent } from '../events';
import { sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import type { MemberAssignmentChange } from '../group/group-events';
import type { GroupSnapshot } from '../group/snapshot';
import type { ClusterSnapshot, PartitionSnapshot, TopicSnapshot } from '../view/snapshot';

/** Every event between two snapshots of the same cluster, in a stable order. */
export function diffSnapshots(previous: ClusterSnapshot, next: ClusterSnapshot): ClusterEvent[] {
  const time = next.time;
  const events: ClusterEvent[] = [];
  diffBrokers(previous, next, events);
  if (previous.controllerId !== next.controllerId && next.controllerId >= 0) {
    events.push({ type: 'controller.changed', time, controllerId: next.controllerId, previousControllerId: previous.controllerId, controllerEpoch: next.controllerEpoch, reason: 'observed in the metadata' });
  }
  diffTopics(previous.topics, next.topics, time, events);
  diffGroups(previous.groups, next.groups, time, events);
  return events;
}

function diffBrokers(previous: ClusterSnapshot, next: ClusterSnapshot, events: ClusterEvent[]): void {
  const before = new Map(previous.brokers.map((b) => [b.id, b]));
  for (const broker of next.brokers) {
    const was = before.get(broker.id);
    if (!was && broker.alive) events.push({ type: 'broker.added', time: next.time, brokerId: broker.id });
    else if (was && !was.alive && broker.alive) events.push({ type: 'broker.unfenced', time: next.time, brokerId: broker.id });
    else if (was?.alive && !broker.alive) {
      events.push({ type: 'broker.fenced', time: next.time, brokerId: broker.id, reason: 'it left the cluster metadata (stopped, crashed or cut off from the controller)' });
    }
  }
}

function diffTopics(previous: TopicSnapshot[], next: TopicSnapshot[], time: number, events: ClusterEvent[]): void {
  const before = new Map(previous.map((t) => [t.name, t]));
  const seen = new Set<string>();
  for (const topic of next) {
    seen.add(topic.name);
    const was = before.get(topic.name);
    if (!was) {
      events.push({ type: 'topic.created', time, topic: topic.name, partitions: topic.partitions.length, replicationFactor: topic.replicationFactor, configs: { ...topic.configs } });
      continue;
    }
    if (topic.partitions.length > was.partitions.length) {
      events.push({ type: 'topic.partitions-added', time, topic: topic.name, partitions: topic.partitions.length, previousPartitions: was.partitions.length });
    }
    if (!sameConfigs(was.configs, topic.configs)) events.push({ type: 'topic.config-changed', time, topic: topic.name, configs: { ...topic.configs } });
    for (const partition of topic.partitions) {
      const old = was.partitions[partition.partition];
      if (old) diffPartition(topic.name, old, partition, time, events);
    }
  }
  for (const name of before.keys()) if (!seen.has(name)) events.push({ type: 'topic.deleted', time, topic: name });
}

function diffPartition(topic: string, was: PartitionSnapshot, now: PartitionSnapshot, time: number, events: ClusterEvent[]): void {
  const partition = now.partition;
  // Only a change of leader counts: some Kafka versions bump the leader epoch on ISR changes too.
  if (was.leader !== now.leader) {
    events.push({ type: 'leader.elected', time, topic, partition, leader: now.leader, previousLeader: was.leader, leaderEpoch: now.leaderEpoch, reason: 'observed', isr: [...now.isr] });
  }
  const removed = was.isr.filter((id) => !now.isr.includes(id));
  const added = now.isr.filter((id) => !was.isr.includes(id));
  if (removed.length > 0) events.push({ type: 'isr.shrunk', time, topic, partition, isr: [...now.isr], removed, leader: now.leader });
  if (added.length > 0) events.push({ type: 'isr.expanded', time, topic, partition, isr: [...now.isr], added, leader: now.leader });
}

function diffGroups(previous: GroupSnapshot[], next: GroupSnapshot[], time: number, events: ClusterEvent[]): void {
  const before = new Map(previous.map((g) => [g.groupId, g]));
  for (const group of next) {
    const was = before.get(group.groupId);
    const previousState = was?.state ?? 'Empty';
    if (was && was.state !== group.state) {
      events.push({ type: 'group.state-changed', time, groupId: group.groupId, coordinator: group.coordinator, state: group.state, previousState, generationId: group.generationId });
    }
    if (group.state !== 'Stable') continue;
    const changes = assignmentChanges(was, group);
    // A group that became stable, or whose members or assignment changed while stable (a
    // whole rebalance may fall between two polls), completed a rebalance.
    if (was?.state === 'Stable' && !changes.some((c) => c.assigned.length > 0 || c.revoked.length > 0) && sameMembers(was, group)) continue;
    events.push({ type: 'group.rebalance-completed', time, groupId: group.groupId, coordinator: group.coordinator, generationId: group.generationId, protocol: group.protocol, leader: group.leader, members: group.members.length, durationMs: 0 });
    events.push({ type: 'group.assignment-changed', time, groupId: group.groupId, coordinator: group.coordinator, generationId: group.generationId, members: changes });
  }
  for (const [groupId, was] of before) {
    if (!next.some((g) => g.groupId === groupId) && was.state !== 'Dead') {
      events.push({ type: 'group.state-changed', time, groupId, coordinator: was.coordinator, state: 'Dead', previousState: was.state, generationId: was.generationId });
    }
  }
}

const key = (p: TopicPartition): string => `${p.topic}\u0000${p.partition}`;

/** Per member: what it holds now, and what it gained and lost since the previous picture. */
function assignmentChanges(was: GroupSnapshot | undefined, now: GroupSnapshot): MemberAssignmentChange[] {
  const previous = new Map((was?.members ?? []).map((m) => [m.memberId, m]));
  const changes: MemberAssignmentChange[] = now.members.map((member) => {
    const before = previous.get(member.memberId)?.assignment ?? [];
    const beforeKeys = new Set(before.map(key));
    const nowKeys = new Set(member.assignment.map(key));
    return {
      memberId: member.memberId,
      clientId: member.clientId,
      assignment: sortPartitions(member.assignment),
      assigned: member.assignment.filter((p) => !beforeKeys.has(key(p))),
      revoked: before.filter((p) => !nowKeys.has(key(p))),
    };
  });
  for (const [memberId, member] of previous) {
    if (!now.members.some((m) => m.memberId === memberId) && member.assignment.length > 0) {
      changes.push({ memberId, clientId: member.clientId, assignment: [], assigned: [], revoked: member.assignment });
    }
  }
  return changes;
}

function sameMembers(a: GroupSnapshot, b: GroupSnapshot): boolean {
  return a.members.length === b.members.length && a.members.every((m, i) => m.memberId === b.members[i].memberId);
}

function sameConfigs(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
