/**
 * Turns committed metadata records into cluster events: elections with their reason and the
 * previous leader, ISR shrinks and expansions, topics created, deleted and grown, brokers
 * fenced and unfenced. One place, so every decision the controller makes shows up once.
 */
import type { ClusterEvent } from '../events';
import type { MetadataImage, MetadataRecord } from './image';
import type { MetadataObserver } from './store';

export class MetadataEventTranslator implements MetadataObserver {
  private pending: ClusterEvent[] = [];
  private readonly createdTopics = new Map<string, { partitions: number; replicationFactor: number; configs: Record<string, string> }>();
  private readonly grownTopics = new Map<string, { previous: number; partitions: number }>();

  constructor(
    private readonly now: () => number,
    private readonly emit: (event: ClusterEvent) => void,
  ) {}

  record(record: MetadataRecord, image: MetadataImage): void {
    const time = this.now();
    switch (record.type) {
      case 'FenceBroker':
        this.pending.push({ type: 'broker.fenced', time, brokerId: record.brokerId, reason: record.reason });
        break;
      case 'UnfenceBroker':
        this.pending.push({ type: 'broker.unfenced', time, brokerId: record.brokerId });
        break;
      case 'Topic':
        this.createdTopics.set(record.name, { partitions: 0, replicationFactor: 0, configs: record.configs });
        break;
      case 'Partition': {
        const created = this.createdTopics.get(record.topic);
        if (created) {
          created.partitions++;
          created.replicationFactor = record.registration.replicas.length;
        } else {
          const previous = image.topics.get(record.topic)?.partitions.length ?? 0;
          const grown = this.grownTopics.get(record.topic) ?? { previous, partitions: previous };
          grown.partitions = Math.max(grown.partitions, record.partition + 1);
          this.grownTopics.set(record.topic, grown);
        }
        break;
      }
      case 'PartitionChange':
        this.partitionChange(record, image, time);
        break;
      case 'RemoveTopic':
        this.pending.push({ type: 'topic.deleted', time, topic: record.name });
        break;
      case 'Config':
        this.pending.push({ type: 'topic.config-changed', time, topic: record.topic, configs: record.configs });
        break;
      default:
        break;
    }
  }

  private partitionChange(record: Extract<MetadataRecord, { type: 'PartitionChange' }>, image: MetadataImage, time: number): void {
    const before = image.topics.get(record.topic)?.partitions[record.partition];
    if (!before) return;
    const isr = record.isr ?? before.isr;
    const leader = record.leader ?? before.leader;
    const base = { time, topic: record.topic, partition: record.partition, leader };
    const removed = before.isr.filter((id) => !isr.includes(id));
    const added = isr.filter((id) => !before.isr.includes(id));
    if (removed.length > 0) this.pending.push({ type: 'isr.shrunk', ...base, isr: [...isr], removed });
    if (added.length > 0) this.pending.push({ type: 'isr.expanded', ...base, isr: [...isr], added });
    if (record.addingReplicas && record.removingReplicas) {
      const reassigning = record.addingReplicas.length > 0 || record.removingReplicas.length > 0;
      if (reassigning) {
        const target = (record.replicas ?? before.replicas).filter((id) => !record.removingReplicas!.includes(id));
        this.pending.push({ type: 'partition.reassignment-started', time, topic: record.topic, partition: record.partition, replicas: target, adding: [...record.addingReplicas], removing: [...record.removingReplicas] });
      } else if (before.addingReplicas.length > 0 || before.removingReplicas.length > 0) {
        this.pending.push({ type: 'partition.reassignment-completed', time, topic: record.topic, partition: record.partition, replicas: [...(record.replicas ?? before.replicas)], removed: [...before.removingReplicas] });
      }
    }
    if (record.leader !== undefined && record.leader !== before.leader) {
      this.pending.push({
        type: 'leader.elected',
        ...base,
        previousLeader: before.leader,
        leaderEpoch: before.leaderEpoch + 1,
        reason: record.reason ?? 'leader fenced',
        isr: [...isr],
      });
    }
  }

  committed(): void {
    const time = this.now();
    const events = this.pending;
    this.pending = [];
    for (const [topic, info] of this.createdTopics) {
      events.unshift({ type: 'topic.created', time, topic, partitions: info.partitions, replicationFactor: info.replicationFactor, configs: info.configs });
    }
    for (const [topic, info] of this.grownTopics) {
      events.push({ type: 'topic.partitions-added', time, topic, partitions: info.partitions, previousPartitions: info.previous });
    }
    this.createdTopics.clear();
    this.grownTopics.clear();
    for (const event of events) this.emit(event);
  }
}
