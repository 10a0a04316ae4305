/**
 * Cluster pictures built directly as plain data, for tests and measurements of the update
 * stream and the window's store on large clusters (no engine, no network). A PictureSource
 * is a SnapshotSource on a simulated clock whose picture changes only through its methods,
 * each replacing the objects it changes (as a real snapshot builds new objects every time).
 */
import type { ClusterEvent } from '../../core/events';
import type { BrokerSnapshot, ClusterSnapshot, PartitionSnapshot, TopicSnapshot } from '../../core/host/contract';
import type { SnapshotSource } from '../../core/host/update-stream';
import { Random } from '../../core/time/random';
import { SimScheduler } from '../../core/time/scheduler';
import { EMBEDDED_SOURCE } from '../../core/view/snapshot';

/** One partition led by its first replica, every replica in sync at `offset`. */
export function partitionOf(partition: number, replicas: number[], offset = 0): PartitionSnapshot {
  return {
    partition,
    leader: replicas[0],
    leaderEpoch: 0,
    replicas,
    isr: [...replicas],
    addingReplicas: [],
    removingReplicas: [],
    offline: false,
    underReplicated: false,
    highWatermark: offset,
    logStartOffset: 0,
    logEndOffset: offset,
    replicaStates: replicas.map((brokerId, i) => ({ brokerId, logEndOffset: offset, inSync: true, leader: i === 0, preferred: i === 0, lagRecords: 0, brokerAlive: true })),
  };
}

/** A topic whose partitions' replicas go round the brokers. */
export function topicOf(name: string, sequence: number, partitions: number, replicationFactor: number, brokers: number): TopicSnapshot {
  return {
    name,
    topicId: `${name}-id-${sequence}`,
    internal: false,
    sequence,
    configs: { 'retention.ms': '604800000' },
    replicationFactor,
    partitions: Array.from({ length: partitions }, (_, p) => partitionOf(p, Array.from({ length: replicationFactor }, (_, r) => ((sequence + p + r) % brokers) + 1))),
  };
}

function brokersOf(count: number): BrokerSnapshot[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: i === 0, brokerEpoch: i + 1, replicaCount: 0, leaderCount: 0 }));
}

/** The size of a picture: topics x partitions x replication factor over brokers. */
export interface PictureShape {
  topics: number;
  partitions: number;
  replicationFactor: number;
  brokers: number;
}

/** A snapshot source whose picture the caller changes, on a simulated clock. */
export class PictureSource implements SnapshotSource {
  readonly scheduler = new SimScheduler(0);
  readonly totals = { records: 0, bytes: 0 };
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private topics: TopicSnapshot[];
  private brokers: BrokerSnapshot[];
  private nextSequence: number;

  constructor(readonly shape: PictureShape) {
    this.brokers = brokersOf(shape.brokers);
    this.topics = Array.from({ length: shape.topics }, (_, i) => topicOf(`topic-${String(i).padStart(4, '0')}`, i, shape.partitions, shape.replicationFactor, shape.brokers));
    this.nextSequence = shape.topics;
  }

  snapshot(): ClusterSnapshot {
    return {
      time: this.scheduler.now(),
      clusterId: 'large',
      controllerId: 1,
      controllerEpoch: 1,
      metadataOffset: 0,
      brokers: this.brokers,
      topics: this.topics,
      groups: [],
      consumers: [],
      kafka: null,
      faults: [],
      source: EMBEDDED_SOURCE,
    };
  }

  on(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The topics now (for tests that compare). */
  currentTopics(): TopicSnapshot[] {
    return this.topics;
  }

  /** Grows the log (LEO and high watermark) of each partition with probability `fraction`; returns how many grew. */
  growLogs(random: Random, fraction: number): number {
    let grown = 0;
    this.topics = this.topics.map((topic) => {
      let partitions: PartitionSnapshot[] | null = null;
      topic.partitions.forEach((partition, index) => {
        if (random.next() >= fraction) return;
        const records = 1 + random.nextInt(50);
        partitions ??= [...topic.partitions];
        partitions[index] = {
          ...partition,
          highWatermark: partition.highWatermark + records,
          logEndOffset: partition.logEndOffset + records,
          replicaStates: partition.replicaStates.map((replica) => ({ ...replica, logEndOffset: replica.logEndOffset + records })),
        };
        grown++;
      });
      return partitions ? { ...topic, partitions } : topic;
    });
    this.totals.records += grown;
    return grown;
  }

  /** Moves one partition's leadership to its next in-sync replica (a new leader epoch). */
  electLeader(topicIndex: number, partitionIndex: number): void {
    this.updatePartition(topicIndex, partitionIndex, (p) => {
      const leader = p.isr[(p.isr.indexOf(p.leader) + 1) % p.isr.length];
      return { ...p, leader, leaderEpoch: p.leaderEpoch + 1, replicaStates: p.replicaStates.map((r) => ({ ...r, leader: r.brokerId === leader })) };
    });
  }

  /** Drops a partition's last follower from the ISR, or restores the full ISR when one is missing. */
  toggleIsr(topicIndex: number, partitionIndex: number): void {
    this.updatePartition(topicIndex, partitionIndex, (p) => {
      const follower = p.replicas.find((id) => id !== p.leader);
      const isr = p.isr.length < p.replicas.length || follower === undefined ? [...p.replicas] : p.isr.filter((id) => id !== follower);
      return { ...p, isr, underReplicated: isr.length < p.replicas.length, replicaStates: p.replicaStates.map((r) => ({ ...r, inSync: isr.includes(r.brokerId) })) };
    });
  }

  /** Moves a partition's replicas to other brokers (the map's structure changes). */
  reassign(topicIndex: number, partitionIndex: number): void {
    const brokers = this.shape.brokers;
    this.updatePartition(topicIndex, partitionIndex, (p) => {
      const replicas = p.replicas.map((id) => (id % brokers) + 1);
      return { ...partitionOf(p.partition, replicas, p.logEndOffset), leaderEpoch: p.leaderEpoch + 1 };
    });
  }

  /** Sets a topic config (a topic-level change). */
  alterConfig(topicIndex: number, value: string): void {
    this.updateTopic(topicIndex, (t) => ({ ...t, configs: { ...t.configs, 'retention.ms': value } }));
  }

  /** Adds one partition to a topic (a topic-level change). */
  addPartition(topicIndex: number): void {
    this.updateTopic(topicIndex, (t) => {
      const replicas = Array.from({ length: t.replicationFactor }, (_, r) => ((t.sequence + t.partitions.length + r) % this.shape.brokers) + 1);
      return { ...t, partitions: [...t.partitions, partitionOf(t.partitions.length, replicas)] };
    });
  }

  /** Creates a topic with a new name; returns the name. */
  createTopic(partitions: number): string {
    const sequence = this.nextSequence++;
    const topic = topicOf(`created-${sequence}`, sequence, partitions, this.shape.replicationFactor, this.shape.brokers);
    this.topics = [...this.topics, topic];
    return topic.name;
  }

  /** Deletes a topic; returns its name. */
  deleteTopic(topicIndex: number): string {
    const name = this.topics[topicIndex].name;
    this.topics = this.topics.filter((_, i) => i !== topicIndex);
    return name;
  }

  /** Deletes a topic and creates one of the same name (a new topic id and sequence). */
  recreateTopic(topicIndex: number): void {
    const old = this.topics[topicIndex];
    const sequence = this.nextSequence++;
    const topic = { ...topicOf(old.name, sequence, old.partitions.length, this.shape.replicationFactor, this.shape.brokers) };
    this.topics = [...this.topics.filter((_, i) => i !== topicIndex), topic];
  }

  /** Stops or starts a broker (the brokers change, not the topics). */
  toggleBroker(brokerId: number): void {
    this.brokers = this.brokers.map((b) => (b.id === brokerId ? { ...b, alive: !b.alive, state: b.alive ? 'stopped' : 'running' } : b));
  }

  private updateTopic(topicIndex: number, change: (topic: TopicSnapshot) => TopicSnapshot): void {
    this.topics = this.topics.map((t, i) => (i === topicIndex ? change(t) : t));
  }

  private updatePartition(topicIndex: number, partitionIndex: number, change: (partition: PartitionSnapshot) => PartitionSnapshot): void {
    this.updateTopic(topicIndex, (t) => ({ ...t, partitions: t.partitions.map((p, i) => (i === partitionIndex ? change(p) : p)) }));
  }
}
