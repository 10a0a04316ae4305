/**
 * The cluster's metadata as KRaft keeps it: a log of records (brokers registered and fenced,
 * topics and their partitions, every leader and ISR change) and the image they add up to.
 * The controller writes records; every broker applies the same records to its own copy, so a
 * broker that missed some (stopped or cut off) catches up by replaying them.
 */

/** State of one partition as the controller decided it (Kafka's PartitionRegistration). */
export interface PartitionRegistration {
  replicas: number[];
  isr: number[];
  /** -1 when no eligible replica is alive (offline). */
  leader: number;
  leaderEpoch: number;
  /** Bumped on every change, leader or ISR; AlterPartition requests must name the current one. */
  partitionEpoch: number;
  /** Replicas being added or removed by a reassignment. */
  addingReplicas: number[];
  removingReplicas: number[];
}

/** A topic in the image. */
export interface TopicImage {
  name: string;
  topicId: string;
  /** Config overrides, by Kafka's config name. */
  configs: Record<string, string>;
  partitions: PartitionRegistration[];
  /** Creation order, so the app can give topics stable colours. */
  sequence: number;
}

/** A broker known to the controller. */
export interface BrokerRegistration {
  id: number;
  /** Bumped every time the broker registers (starts). */
  epoch: number;
  /** A fenced broker holds no leadership and is in no ISR it could leave. */
  fenced: boolean;
}

/** Why a leader was chosen, shown next to every election. */
export type ElectionReason =
  | 'topic created'
  | 'leader stopped'
  | 'leader fenced'
  | 'broker returned'
  | 'preferred leader'
  | 'unclean'
  | 'reassignment'
  | 'partitions added'
  /** Seen on an attached cluster: the leader changed between two polls (the cause is not observable). */
  | 'observed';

/** One record of the metadata log (KRaft's record types, as plain data). */
export type MetadataRecord =
  | { type: 'RegisterBroker'; brokerId: number; brokerEpoch: number }
  | { type: 'FenceBroker'; brokerId: number; brokerEpoch: number; reason: string }
  | { type: 'UnfenceBroker'; brokerId: number; brokerEpoch: number }
  | { type: 'Topic'; name: string; topicId: string; configs: Record<string, string>; sequence: number }
  | { type: 'Partition'; topic: string; partition: number; registration: PartitionRegistration }
  | {
      type: 'PartitionChange';
      topic: string;
      partition: number;
      leader?: number;
      isr?: number[];
      replicas?: number[];
      addingReplicas?: number[];
      removingReplicas?: number[];
      /** Why the leader changed, when it did. */
      reason?: ElectionReason;
    }
  | { type: 'Config'; topic: string; configs: Record<string, string> }
  | { type: 'RemoveTopic'; name: string }
  | { type: 'LeaderChange'; controllerId: number; controllerEpoch: number }
  /** Producer ids below `nextProducerId` are handed out (KRaft's ProducerIdsRecord). */
  | { type: 'ProducerIds'; nextProducerId: number };

/** The whole metadata image at one offset of the metadata log. */
export interface MetadataImage {
  /** Offset of the last record applied (-1: none). */
  offset: number;
  controllerId: number;
  controllerEpoch: number;
  brokers: Map<number, BrokerRegistration>;
  topics: Map<string, TopicImage>;
  /** Next topic sequence number. */
  nextTopicSequence: number;
  /** First producer id not yet handed out. */
  nextProducerId: number;
}

/** An image with nothing in it. */
export function emptyImage(): MetadataImage {
  return { offset: -1, controllerId: -1, controllerEpoch: 0, brokers: new Map(), topics: new Map(), nextTopicSequence: 0, nextProducerId: 0 };
}

/**
 * Applies one record in place. A PartitionChange bumps the partition epoch, and the leader
 * epoch when the leader changes (or, as Kafka does, when the replica set shrinks under it).
 */
export function applyRecord(image: MetadataImage, record: MetadataRecord): void {
  switch (record.type) {
    case 'RegisterBroker':
      image.brokers.set(record.brokerId, { id: record.brokerId, epoch: record.brokerEpoch, fenced: true });
      break;
    case 'FenceBroker':
    case 'UnfenceBroker': {
      const broker = image.brokers.get(record.brokerId);
      if (broker) broker.fenced = record.type === 'FenceBroker';
      break;
    }
    case 'Topic':
      image.topics.set(record.name, { name: record.name, topicId: record.topicId, configs: { ...record.configs }, partitions: [], sequence: record.sequence });
      image.nextTopicSequence = Math.max(image.nextTopicSequence, record.sequence + 1);
      break;
    case 'Partition': {
      const topic = image.topics.get(record.topic);
      if (topic) topic.partitions[record.partition] = clonePartition(record.registration);
      break;
    }
    case 'PartitionChange': {
      const current = image.topics.get(record.topic)?.partitions[record.partition];
      if (current) image.topics.get(record.topic)!.partitions[record.partition] = changedPartition(current, record);
      break;
    }
    case 'Config': {
      const topic = image.topics.get(record.topic);
      if (topic) topic.configs = { ...record.configs };
      break;
    }
    case 'RemoveTopic':
      image.topics.delete(record.name);
      break;
    case 'LeaderChange':
      image.controllerId = record.controllerId;
      image.controllerEpoch = record.controllerEpoch;
      break;
    case 'ProducerIds':
      image.nextProducerId = Math.max(image.nextProducerId, record.nextProducerId);
      break;
  }
}

/** The partition after a PartitionChange record. */
export function changedPartition(
  current: PartitionRegistration,
  change: Extract<MetadataRecord, { type: 'PartitionChange' }>,
): PartitionRegistration {
  const next = clonePartition(current);
  if (change.replicas) next.replicas = [...change.replicas];
  if (change.isr) next.isr = [...change.isr];
  if (change.addingReplicas) next.addingReplicas = [...change.addingReplicas];
  if (change.removingReplicas) next.removingReplicas = [...change.removingReplicas];
  if (change.leader !== undefined && change.leader !== current.leader) {
    next.leader = change.leader;
    next.leaderEpoch = current.leaderEpoch + 1;
  }
  next.partitionEpoch = current.partitionEpoch + 1;
  return next;
}

/** A deep copy of a partition registration. */
export function clonePartition(p: PartitionRegistration): PartitionRegistration {
  return {
    replicas: [...p.replicas],
    isr: [...p.isr],
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    partitionEpoch: p.partitionEpoch,
    addingReplicas: [...p.addingReplicas],
    removingReplicas: [...p.removingReplicas],
  };
}

/** A deep copy of a whole image. */
export function cloneImage(image: MetadataImage): MetadataImage {
  const topics = new Map<string, TopicImage>();
  for (const [name, topic] of image.topics) {
    topics.set(name, { ...topic, configs: { ...topic.configs }, partitions: topic.partitions.map(clonePartition) });
  }
  const brokers = new Map<number, BrokerRegistration>();
  for (const [id, broker] of image.brokers) brokers.set(id, { ...broker });
  return { ...image, brokers, topics };
}

/** The records that rebuild an image from nothing (a metadata snapshot). */
export function imageToRecords(image: MetadataImage): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  if (image.controllerId >= 0 || image.controllerEpoch > 0) {
    records.push({ type: 'LeaderChange', controllerId: image.controllerId, controllerEpoch: image.controllerEpoch });
  }
  if (image.nextProducerId > 0) records.push({ type: 'ProducerIds', nextProducerId: image.nextProducerId });
  for (const broker of image.brokers.values()) {
    records.push({ type: 'RegisterBroker', brokerId: broker.id, brokerEpoch: broker.epoch });
    if (!broker.fenced) records.push({ type: 'UnfenceBroker', brokerId: broker.id, brokerEpoch: broker.epoch });
  }
  const topics = [...image.topics.values()].sort((a, b) => a.sequence - b.sequence);
  for (const topic of topics) {
    records.push({ type: 'Topic', name: topic.name, topicId: topic.topicId, configs: topic.configs, sequence: topic.sequence });
    topic.partitions.forEach((registration, partition) => records.push({ type: 'Partition', topic: topic.name, partition, registration }));
  }
  return records;
}
