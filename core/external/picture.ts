/**
 * Turns what a poll read into the same ClusterSnapshot the embedded cluster draws, so every
 * view works unchanged. What a client cannot observe is marked, never invented: a follower's
 * log end offset is -1 (unknown), the controller epoch and broker epochs are -1, group
 * generations are -1 (DescribeGroups does not carry them), where the cluster does not serve
 * DescribeGroups a group's state is 'Unknown' and its members are listed as unavailable, and
 * brokers that leave the metadata stay listed, stopped, because they were seen.
 */
import type { ObservedGroupState } from '../group/group';
import type { GroupOffsetSnapshot, GroupSnapshot } from '../group/snapshot';
import { sortPartitions } from '../group/consumer-protocol';
import { isInternalTopic } from '../controller/topic-validation';
import type { BrokerSnapshot, ClusterSnapshot, ClusterSourceInfo, PartitionSnapshot, ReplicaSnapshot, TopicSnapshot, UnobservableFeature } from '../view/snapshot';
import { partitionKey, type PolledCluster, type PolledGroup, type PolledTopic } from './poll';

/** What an attached cluster cannot show, and why. */
export const EXTERNAL_UNAVAILABLE: { feature: UnobservableFeature; reason: string }[] = [
  {
    feature: 'follower-log-end-offset',
    reason: "A Kafka client sees a partition's high watermark and its leader's answers, never a follower's own log end offset: followers' logs are drawn as unknown.",
  },
  { feature: 'faults', reason: 'Stopping, isolating, slowing or adding brokers needs the embedded cluster: an attached cluster is only observed through Kafka’s protocol.' },
  { feature: 'reassignment', reason: 'Moving replicas and electing preferred leaders are not offered on attached clusters: Brokerscope only observes them here.' },
  { feature: 'app-consumers', reason: 'In-app consumers and guided scenarios run inside the embedded cluster; groups of real clients on this cluster are shown.' },
  { feature: 'clients', reason: "Which clients are connected to each broker is known only to the brokers; Kafka's protocol does not list them." },
];

/** What a cluster that does not serve DescribeGroups cannot show, added to EXTERNAL_UNAVAILABLE for it. */
export const GROUP_MEMBERS_UNAVAILABLE: { feature: UnobservableFeature; reason: string } = {
  feature: 'group-members',
  reason: "This cluster does not serve DescribeGroups, so a group's members and assignments cannot be seen; its committed offsets and lag can.",
};

/** The source description of an attached cluster as of the last poll. */
export interface SourceState {
  id: string;
  name: string;
  readOnly: boolean;
  bootstrap: string;
  pollIntervalMs: number;
  lastRefreshAt: number | null;
  lastRefreshMs: number | null;
  error: string | null;
}

/** Builds snapshots from polls, remembering what earlier polls saw (brokers, topic order). */
export class PictureBuilder {
  private readonly seenBrokers = new Set<number>();
  private readonly sequences = new Map<string, number>();
  private nextSequence = 0;

  /** The snapshot for a poll taken at `time`. */
  build(poll: PolledCluster, time: number, source: SourceState): ClusterSnapshot {
    const alive = new Set(poll.brokers.map((b) => b.id));
    for (const id of alive) this.seenBrokers.add(id);
    const replicaCounts = new Map<number, number>();
    const leaderCounts = new Map<number, number>();
    // Topics keep the order they were first seen in (the embedded cluster's creation order):
    // the first poll numbers them by name, later ones append new topics.
    for (const topic of poll.topics) if (!this.sequences.has(topic.name)) this.sequences.set(topic.name, this.nextSequence++);
    const topics = poll.topics.map((topic) => this.topic(topic, poll, alive, replicaCounts, leaderCounts)).sort((a, b) => a.sequence - b.sequence);
    const present = new Set(poll.topics.map((t) => t.name));
    for (const name of [...this.sequences.keys()]) if (!present.has(name)) this.sequences.delete(name);
    const brokers = [...this.seenBrokers]
      .sort((a, b) => a - b)
      .map((id): BrokerSnapshot => ({
        id,
        state: alive.has(id) ? 'running' : 'stopped',
        alive: alive.has(id),
        fenced: !alive.has(id),
        isolated: false,
        slowMs: 0,
        fetchDelayMs: 0,
        controller: poll.controllerId === id,
        brokerEpoch: -1,
        replicaCount: replicaCounts.get(id) ?? 0,
        leaderCount: leaderCounts.get(id) ?? 0,
      }));
    const unavailable = poll.groupMembersObservable ? EXTERNAL_UNAVAILABLE : [...EXTERNAL_UNAVAILABLE, GROUP_MEMBERS_UNAVAILABLE];
    const sourceInfo: ClusterSourceInfo = { kind: 'external', unavailable, ...source };
    return {
      time,
      clusterId: poll.clusterId ?? source.id,
      controllerId: poll.controllerId,
      controllerEpoch: -1,
      metadataOffset: -1,
      brokers,
      topics,
      groups: poll.groups.map((group) => groupSnapshot(group, poll)),
      consumers: [],
      kafka: null,
      faults: [],
      source: sourceInfo,
    };
  }

  private topic(topic: PolledTopic, poll: PolledCluster, alive: Set<number>, replicaCounts: Map<number, number>, leaderCounts: Map<number, number>): TopicSnapshot {
    const partitions = topic.partitions.map((p): PartitionSnapshot => {
      const ends = poll.ends.get(partitionKey(topic.name, p.partition));
      const highWatermark = ends?.highWatermark ?? -1;
      const offline = new Set(p.offlineReplicas);
      if (p.leader >= 0) leaderCounts.set(p.leader, (leaderCounts.get(p.leader) ?? 0) + 1);
      const replicaStates = p.replicas.map((brokerId, i): ReplicaSnapshot => {
        replicaCounts.set(brokerId, (replicaCounts.get(brokerId) ?? 0) + 1);
        const leader = brokerId === p.leader;
        return {
          brokerId,
          // The leader's log end offset is shown as the high watermark a client reads (records
          // above it are not observable); a follower's own end is unknown (-1).
          logEndOffset: leader ? highWatermark : -1,
          inSync: p.isr.includes(brokerId),
          leader,
          preferred: i === 0,
          lagRecords: 0,
          brokerAlive: alive.has(brokerId) && !offline.has(brokerId),
        };
      });
      return {
        partition: p.partition,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicas: [...p.replicas],
        isr: [...p.isr],
        addingReplicas: [],
        removingReplicas: [],
        offline: p.leader < 0,
        underReplicated: p.isr.length < p.replicas.length,
        highWatermark,
        logStartOffset: ends?.logStartOffset ?? -1,
        logEndOffset: highWatermark,
        replicaStates,
      };
    });
    return {
      name: topic.name,
      // Topic ids arrive only with Metadata v10+; the name identifies a topic here.
      topicId: '',
      internal: topic.internal || isInternalTopic(topic.name),
      sequence: this.sequences.get(topic.name)!,
      configs: { ...(poll.configs.get(topic.name) ?? {}) },
      replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
      partitions,
    };
  }
}

/** A polled group with its committed offsets and lag, shaped as the embedded coordinator's. */
function groupSnapshot(group: PolledGroup, poll: PolledCluster): GroupSnapshot {
  const offsets = new Map<string, GroupOffsetSnapshot>();
  const add = (topic: string, partition: number, committedOffset: number): void => {
    const ends = poll.ends.get(partitionKey(topic, partition));
    offsets.set(partitionKey(topic, partition), offsetSnapshot(topic, partition, committedOffset, ends?.highWatermark ?? -1, ends?.logStartOffset ?? -1));
  };
  for (const c of group.committed) add(c.topic, c.partition, c.offset);
  for (const member of group.members) for (const p of member.assignment) if (!offsets.has(partitionKey(p.topic, p.partition))) add(p.topic, p.partition, -1);
  const sorted = sortPartitions([...offsets.values()]) as GroupOffsetSnapshot[];
  return {
    groupId: group.groupId,
    // Kafka's own names; a newer broker's states (KIP-848's 'Assigning', say) pass through as text.
    state: group.state as ObservedGroupState,
    protocolType: group.protocolType,
    protocol: group.protocol,
    generationId: -1,
    // DescribeGroups names no leader; the member that computes assignments is not observable.
    leader: null,
    coordinator: group.coordinator,
    members: group.members,
    offsets: sorted,
    lagRecords: sorted.reduce((sum, o) => sum + o.lagRecords, 0),
  };
}

/**
 * One partition's committed offset and lag, as the embedded coordinator computes it: the high
 * watermark minus the committed offset, or minus the log start for nothing committed.
 */
export function offsetSnapshot(topic: string, partition: number, committedOffset: number, highWatermark: number, logStartOffset: number): GroupOffsetSnapshot {
  const from = committedOffset >= 0 ? committedOffset : logStartOffset;
  return { topic, partition, committedOffset, highWatermark, logStartOffset, lagRecords: highWatermark >= 0 && from >= 0 ? Math.max(0, highWatermark - from) : 0 };
}
