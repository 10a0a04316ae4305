/**
 * The plain-data picture of a cluster that the UI draws: brokers with liveness and the
 * controller, topics and partitions with leader, epoch, replicas, ISR, high watermark, log
 * start offset and each replica's log end offset, and consumer groups with their members,
 * committed offsets and lag. It is built from the controller's metadata
 * (what the cluster decided) and each broker's own replica state (what each log holds).
 */
import type { Cluster } from '../cluster';
import type { BrokerState } from '../broker/broker';
import { isInternalTopic } from '../controller/topic-validation';
import type { ConsumerSnapshot } from '../client/consumer';
import { buildGroupSnapshots, type GroupSnapshot } from '../group/snapshot';
import type { Fault } from '../events';

/** One broker in a snapshot. */
export interface BrokerSnapshot {
  id: number;
  state: BrokerState;
  /** Running (not stopped). */
  alive: boolean;
  /** Fenced by the controller (stopped, starting, or silent past its session timeout). */
  fenced: boolean;
  isolated: boolean;
  /** Extra delay on every message, in ms (0: none). */
  slowMs: number;
  /** How long each of its replica fetches waits (the slow-follower fault), in ms (0: none). */
  fetchDelayMs: number;
  controller: boolean;
  brokerEpoch: number;
  replicaCount: number;
  leaderCount: number;
}

/** One replica of a partition in a snapshot. */
export interface ReplicaSnapshot {
  brokerId: number;
  /**
   * This replica's log end offset (the last known one when its broker is stopped). On an
   * attached external cluster only the leader's end is observable (as the high watermark a
   * client reads); a follower's is -1, meaning unknown.
   */
  logEndOffset: number;
  inSync: boolean;
  leader: boolean;
  /** The first replica: the one leadership returns to. */
  preferred: boolean;
  /** Records this replica lacks compared with the leader's log end offset. */
  lagRecords: number;
  brokerAlive: boolean;
}

/** One partition in a snapshot. */
export interface PartitionSnapshot {
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** Replicas being added and removed by a reassignment in progress (both empty otherwise). */
  addingReplicas: number[];
  removingReplicas: number[];
  offline: boolean;
  underReplicated: boolean;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
  replicaStates: ReplicaSnapshot[];
}

/** One topic in a snapshot. */
export interface TopicSnapshot {
  name: string;
  topicId: string;
  internal: boolean;
  /** Creation order, for stable colours. */
  sequence: number;
  configs: Record<string, string>;
  replicationFactor: number;
  partitions: PartitionSnapshot[];
}

/** The whole cluster as plain data. */
export interface ClusterSnapshot {
  time: number;
  clusterId: string;
  controllerId: number;
  controllerEpoch: number;
  metadataOffset: number;
  brokers: BrokerSnapshot[];
  topics: TopicSnapshot[];
  /** Consumer groups, as their coordinators hold them, with committed offsets and lag. */
  groups: GroupSnapshot[];
  /** The in-app consumers. */
  consumers: ConsumerSnapshot[];
  /** The Kafka listeners, when the host opened them: bootstrap string and connected clients. */
  kafka: KafkaListenerSnapshot | null;
  /** Faults a user applied and has not cleared (isolation, slow fetches). */
  faults: Fault[];
  /** Where this picture comes from: the embedded cluster or an attached external one. */
  source: ClusterSourceInfo;
}

/** What a picture of an external cluster cannot show, because a Kafka client cannot observe it. */
export type UnobservableFeature =
  /** A follower's own log end offset (clients see only the leader's end and the high watermark). */
  | 'follower-log-end-offset'
  /** Stopping, isolating or slowing brokers, and adding them. */
  | 'faults'
  /** Reassigning replicas and electing preferred leaders from the app. */
  | 'reassignment'
  /** In-app consumers and guided scenarios (they drive the embedded cluster). */
  | 'app-consumers'
  /** Which clients are connected to each broker. */
  | 'clients'
  /**
   * A group's members, their assignments and the group's state: missing only where the cluster
   * does not serve DescribeGroups (the group's committed offsets and lag are still shown).
   */
  | 'group-members';

/** The source of a snapshot: the embedded cluster, or a connection polled over Kafka's protocol. */
export interface ClusterSourceInfo {
  kind: 'embedded' | 'external';
  /** `embedded`, or the connection's id. */
  id: string;
  /** A name for people: "Embedded cluster" or the connection's name. */
  name: string;
  /** Every write (create, delete, produce, configs, offsets) is refused. */
  readOnly: boolean;
  /** External: bootstrap servers as configured. */
  bootstrap: string | null;
  /** External: the poll interval in force now (grows while the cluster is slow), in ms. */
  pollIntervalMs: number | null;
  /** External: when the last poll finished (ms since the epoch) and how long it took. */
  lastRefreshAt: number | null;
  lastRefreshMs: number | null;
  /** External: the last poll's failure as `NAME: sentence`, null while polls succeed. */
  error: string | null;
  /** What this source cannot show, each with a sentence saying why. */
  unavailable: { feature: UnobservableFeature; reason: string }[];
}

/** The embedded cluster's source description. */
export const EMBEDDED_SOURCE: ClusterSourceInfo = {
  kind: 'embedded',
  id: 'embedded',
  name: 'Embedded cluster',
  readOnly: false,
  bootstrap: null,
  pollIntervalMs: null,
  lastRefreshAt: null,
  lastRefreshMs: null,
  error: null,
  unavailable: [],
};

/** A client connected to a broker's Kafka listener. */
export interface KafkaClientSnapshot {
  brokerId: number;
  clientId: string | null;
  address: string;
  connectedAt: number;
  requests: number;
}

/** The Kafka listeners as the UI shows them. */
export interface KafkaListenerSnapshot {
  bootstrap: string;
  clients: KafkaClientSnapshot[];
}

/** What a snapshot needs of the Kafka listeners (core/kafka's KafkaServer). */
export interface KafkaListenerView {
  readonly bootstrap: string;
  clients(): KafkaClientSnapshot[];
}

/** Builds the snapshot of a cluster now. */
export function buildSnapshot(cluster: Cluster): ClusterSnapshot {
  const image = cluster.store.image;
  const replicaCounts = new Map<number, number>();
  const leaderCounts = new Map<number, number>();
  const topics: TopicSnapshot[] = [];
  for (const topic of image.topics.values()) {
    const partitions = topic.partitions.map((registration, index): PartitionSnapshot => {
      const key = `${topic.name}-${index}`;
      const leaderReplica = cluster.brokers.get(registration.leader)?.partitions.get(key);
      const leaderEnd = leaderReplica?.logEndOffset ?? Math.max(0, ...registration.replicas.map((id) => replicaEnd(cluster, id, key)));
      const replicaStates = registration.replicas.map((brokerId, i): ReplicaSnapshot => {
        replicaCounts.set(brokerId, (replicaCounts.get(brokerId) ?? 0) + 1);
        const logEndOffset = replicaEnd(cluster, brokerId, key);
        return {
          brokerId,
          logEndOffset,
          inSync: registration.isr.includes(brokerId),
          leader: registration.leader === brokerId,
          preferred: i === 0,
          lagRecords: Math.max(0, leaderEnd - logEndOffset),
          brokerAlive: cluster.brokers.get(brokerId)?.running ?? false,
        };
      });
      if (registration.leader >= 0) leaderCounts.set(registration.leader, (leaderCounts.get(registration.leader) ?? 0) + 1);
      return {
        partition: index,
        leader: registration.leader,
        leaderEpoch: registration.leaderEpoch,
        replicas: [...registration.replicas],
        isr: [...registration.isr],
        addingReplicas: [...registration.addingReplicas],
        removingReplicas: [...registration.removingReplicas],
        offline: registration.leader < 0,
        underReplicated: registration.isr.length < registration.replicas.length,
        highWatermark: leaderReplica?.highWatermark ?? -1,
        logStartOffset: leaderReplica?.log.logStartOffset ?? -1,
        logEndOffset: leaderEnd,
        replicaStates,
      };
    });
    topics.push({
      name: topic.name,
      topicId: topic.topicId,
      internal: isInternalTopic(topic.name),
      sequence: topic.sequence,
      configs: { ...topic.configs },
      replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
      partitions,
    });
  }
  topics.sort((a, b) => a.sequence - b.sequence);
  const brokers = [...cluster.brokers.values()]
    .sort((a, b) => a.id - b.id)
    .map((broker): BrokerSnapshot => ({
      id: broker.id,
      state: broker.state,
      alive: broker.running,
      fenced: image.brokers.get(broker.id)?.fenced ?? true,
      isolated: cluster.network.isIsolated(broker.id),
      slowMs: cluster.network.slowness(broker.id),
      fetchDelayMs: broker.fetchDelayMs,
      controller: cluster.controllerId === broker.id,
      brokerEpoch: image.brokers.get(broker.id)?.epoch ?? -1,
      replicaCount: replicaCounts.get(broker.id) ?? 0,
      leaderCount: leaderCounts.get(broker.id) ?? 0,
    }));
  return {
    time: cluster.scheduler.now(),
    clusterId: cluster.clusterId,
    controllerId: cluster.controllerId,
    controllerEpoch: image.controllerEpoch,
    metadataOffset: image.offset,
    brokers,
    topics,
    groups: buildGroupSnapshots(cluster.brokers),
    consumers: cluster.consumers().map((consumer) => consumer.snapshot()),
    kafka: cluster.kafkaListener ? { bootstrap: cluster.kafkaListener.bootstrap, clients: cluster.kafkaListener.clients() } : null,
    faults: cluster.faults(),
    source: EMBEDDED_SOURCE,
  };
}

function replicaEnd(cluster: Cluster, brokerId: number, key: string): number {
  const broker = cluster.brokers.get(brokerId);
  const live = broker?.partitions.get(key)?.logEndOffset;
  if (live !== undefined) return live;
  return broker?.lastKnownLogEndOffsets.get(key) ?? 0;
}
