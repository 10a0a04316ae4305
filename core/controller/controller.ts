/**
 * The active controller (KRaft's QuorumController with its ReplicationControlManager and
 * BrokerHeartbeatManager, condensed). It alone writes the metadata log: it registers, fences
 * and unfences brokers from their heartbeats, creates and deletes topics, places replicas,
 * elects leaders and commits ISR changes that partition leaders ask for. Brokers learn every
 * decision by replaying the records it writes.
 *
 * Deliberate differences from Kafka: one controller hosted by a broker (combined mode) over a
 * metadata store that is always reachable, instead of a Raft quorum of controllers; no
 * eligible leader replicas (KIP-966): a partition whose last in-sync replica dies keeps that
 * replica in its ISR with leader -1, as Kafka did before 3.7.
 */
import type { ClusterSettings } from '../config/cluster-config';
import { InvalidConfigError, resolveTopicConfig, validateTopicConfigs } from '../config/topic-config';
import { OFFSETS_TOPIC } from '../group/offsets-records';
import { type ElectionReason, type MetadataRecord, type PartitionRegistration, type TopicImage } from '../metadata/image';
import type { MetadataStore } from '../metadata/store';
import { KafkaError } from '../protocol/errors';
import type { Scheduler, Timer } from '../time/scheduler';
import type { Random } from '../time/random';
import { assignReplicas } from './placement';
import { topicNamesCollide, validateTopicName } from './topic-validation';

/** Upper bounds that keep one request from swamping the cluster. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

/** What the controller needs from the cluster that hosts it. */
export interface ControllerEnvironment {
  scheduler: Scheduler;
  random: Random;
  settings: ClusterSettings;
  store: MetadataStore;
  /** Tells brokers that new records were committed. */
  publish(): void;
}

/** A request to create a topic (CreateTopics). */
export interface CreateTopicSpec {
  name: string;
  /** Default: the cluster's num.partitions. */
  partitions?: number;
  /** Default: the cluster's default.replication.factor, capped for internal topics. */
  replicationFactor?: number;
  configs?: Record<string, string>;
  /** Explicit replica lists per partition, instead of Kafka's placement. */
  replicaAssignment?: number[][];
}

/** A leader's request to change a partition's ISR (AlterPartition). */
export interface AlterPartitionRequest {
  brokerId: number;
  brokerEpoch: number;
  topic: string;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  newIsr: number[];
}

/** The controller's answer to AlterPartition: the committed state, or an error name. */
export type AlterPartitionResponse =
  | { error: null; registration: PartitionRegistration }
  | { error: 'FENCED_LEADER_EPOCH' | 'INVALID_UPDATE_VERSION' | 'UNKNOWN_TOPIC_OR_PARTITION' | 'NOT_LEADER_OR_FOLLOWER' | 'INELIGIBLE_REPLICA' | 'NOT_CONTROLLER' | 'STALE_BROKER_EPOCH' };

/** A broker's heartbeat (BrokerHeartbeat). */
export interface BrokerHeartbeat {
  brokerId: number;
  brokerEpoch: number;
  /** Offset of the last metadata record the broker applied. */
  metadataOffset: number;
}

/** The answer to a heartbeat. */
export interface BrokerHeartbeatResponse {
  error: null | 'STALE_BROKER_EPOCH' | 'NOT_CONTROLLER';
  fenced: boolean;
}

export class Controller {
  private readonly lastHeartbeat = new Map<number, number>();
  /** Metadata offset at which each broker registered: it is unfenced once caught up to it. */
  private readonly registrationOffset = new Map<number, number>();
  private readonly timers: Timer[] = [];
  private active = true;

  constructor(
    private readonly env: ControllerEnvironment,
    /** The broker hosting this controller. */
    readonly brokerId: number,
    readonly epoch: number,
  ) {}

  private get image() {
    return this.env.store.image;
  }

  private get settings() {
    return this.env.settings;
  }

  /** Takes office: records the leadership and starts the periodic checks. */
  activate(reason: string): void {
    void reason;
    this.commit([{ type: 'LeaderChange', controllerId: this.brokerId, controllerEpoch: this.epoch }]);
    const now = this.env.scheduler.now();
    // A new controller gives every unfenced broker a fresh session, as KRaft does.
    for (const broker of this.image.brokers.values()) if (!broker.fenced) this.lastHeartbeat.set(broker.id, now);
    this.every(Math.max(50, Math.floor(this.settings.brokerHeartbeatIntervalMs / 2)), () => this.fenceExpiredBrokers());
    if (this.settings.autoLeaderRebalanceEnable) {
      this.every(this.settings.leaderImbalanceCheckIntervalMs, () => this.electPreferredLeaders(null, 'auto'));
    }
  }

  /** Leaves office (the hosting broker stopped or lost the quorum). */
  deactivate(): void {
    this.active = false;
    for (const timer of this.timers) timer.cancel();
    this.timers.length = 0;
  }

  /** Whether this controller is still in office. */
  get isActive(): boolean {
    return this.active;
  }

  private every(intervalMs: number, task: () => void): void {
    const run = (): void => {
      if (!this.active) return;
      task();
      this.timers.push(this.env.scheduler.schedule(intervalMs, run));
    };
    this.timers.push(this.env.scheduler.schedule(intervalMs, run));
  }

  private commit(records: MetadataRecord[]): void {
    if (records.length === 0) return;
    this.env.store.append(records);
    this.env.publish();
  }

  // ---- Brokers -------------------------------------------------------------------------

  /** Registers a starting broker with a new epoch; a previous incarnation is fenced first. */
  registerBroker(brokerId: number): number {
    this.requireActive();
    const previous = this.image.brokers.get(brokerId);
    const records: MetadataRecord[] = [];
    if (previous && !previous.fenced) records.push(...this.fenceRecords(brokerId, previous.epoch, 'broker restarted'));
    const brokerEpoch = this.image.offset + records.length + 1;
    records.push({ type: 'RegisterBroker', brokerId, brokerEpoch });
    this.commit(records);
    this.registrationOffset.set(brokerId, this.image.offset);
    this.lastHeartbeat.set(brokerId, this.env.scheduler.now());
    return brokerEpoch;
  }

  /** Records a heartbeat; unfences a registered broker once it has caught up on metadata. */
  heartbeat(request: BrokerHeartbeat): BrokerHeartbeatResponse {
    if (!this.active) return { error: 'NOT_CONTROLLER', fenced: true };
    const broker = this.image.brokers.get(request.brokerId);
    if (!broker || broker.epoch !== request.brokerEpoch) return { error: 'STALE_BROKER_EPOCH', fenced: true };
    this.lastHeartbeat.set(request.brokerId, this.env.scheduler.now());
    const caughtUp = request.metadataOffset >= (this.registrationOffset.get(request.brokerId) ?? -1);
    if (broker.fenced && caughtUp) {
      this.commit([{ type: 'UnfenceBroker', brokerId: broker.id, brokerEpoch: broker.epoch }, ...this.electionsForReturningBroker(broker.id)]);
    }
    return { error: null, fenced: this.image.brokers.get(request.brokerId)!.fenced };
  }

  /** Fences a broker now (a controlled shutdown, or a test), moving its leaderships. */
  fenceBroker(brokerId: number, reason: string): void {
    this.requireActive();
    const broker = this.image.brokers.get(brokerId);
    if (!broker || broker.fenced) return;
    this.commit(this.fenceRecords(brokerId, broker.epoch, reason));
  }

  private fenceExpiredBrokers(): void {
    const now = this.env.scheduler.now();
    for (const broker of [...this.image.brokers.values()]) {
      if (broker.fenced || broker.id === this.brokerId) continue;
      const last = this.lastHeartbeat.get(broker.id) ?? now;
      if (now - last > this.settings.brokerSessionTimeoutMs) {
        this.commit(this.fenceRecords(broker.id, broker.epoch, `no heartbeat for ${this.settings.brokerSessionTimeoutMs} ms (broker.session.timeout.ms)`));
      }
    }
  }

  /** Records that fence a broker: out of every ISR it can leave, leaders moved, then fenced. */
  private fenceRecords(brokerId: number, brokerEpoch: number, reason: string): MetadataRecord[] {
    const records: MetadataRecord[] = [];
    for (const topic of this.image.topics.values()) {
      topic.partitions.forEach((p, partition) => {
        if (!p.isr.includes(brokerId) && p.leader !== brokerId) return;
        const change = this.partitionWithout(topic, p, brokerId);
        if (change) records.push({ type: 'PartitionChange', topic: topic.name, partition, ...change });
      });
    }
    records.push({ type: 'FenceBroker', brokerId, brokerEpoch, reason });
    return records;
  }

  /** How a partition changes when `brokerId` is lost: smaller ISR and, if it led, a new leader. */
  private partitionWithout(
    topic: TopicImage,
    p: PartitionRegistration,
    brokerId: number,
  ): { leader?: number; isr?: number[]; reason?: ElectionReason } | null {
    const remaining = p.isr.filter((id) => id !== brokerId);
    // The last in-sync replica stays in the ISR, so that it alone may lead when it returns.
    const isr = remaining.length > 0 ? remaining : p.isr;
    if (p.leader !== brokerId) return remaining.length === p.isr.length ? null : { isr };
    const candidate = p.replicas.find((id) => id !== brokerId && isr.includes(id) && this.isUnfenced(id));
    if (candidate !== undefined) return { leader: candidate, isr, reason: 'leader fenced' };
    if (resolveTopicConfig(topic.configs, this.settings.topicConfigDefaults).uncleanLeaderElectionEnable) {
      const unclean = p.replicas.find((id) => id !== brokerId && this.isUnfenced(id));
      if (unclean !== undefined) return { leader: unclean, isr: [unclean], reason: 'unclean' };
    }
    return { leader: -1, isr, reason: 'leader fenced' };
  }

  /** Leaders for offline partitions that the returning broker can lead. */
  private electionsForReturningBroker(brokerId: number): MetadataRecord[] {
    const records: MetadataRecord[] = [];
    for (const topic of this.image.topics.values()) {
      topic.partitions.forEach((p, partition) => {
        if (p.leader !== -1 || !p.replicas.includes(brokerId)) return;
        const live = (id: number): boolean => id === brokerId || this.isUnfenced(id);
        const clean = p.replicas.find((id) => p.isr.includes(id) && live(id));
        if (clean !== undefined) {
          records.push({ type: 'PartitionChange', topic: topic.name, partition, leader: clean, reason: 'broker returned' });
        } else if (resolveTopicConfig(topic.configs, this.settings.topicConfigDefaults).uncleanLeaderElectionEnable) {
          records.push({ type: 'PartitionChange', topic: topic.name, partition, leader: brokerId, isr: [brokerId], reason: 'unclean' });
        }
      });
    }
    return records;
  }

  private isUnfenced(brokerId: number): boolean {
    const broker = this.image.brokers.get(brokerId);
    return broker !== undefined && !broker.fenced;
  }

  /** Ids of the brokers that may take new replicas and leaderships. */
  unfencedBrokerIds(): number[] {
    return [...this.image.brokers.values()].filter((b) => !b.fenced).map((b) => b.id).sort((a, b) => a - b);
  }

  // ---- Topics --------------------------------------------------------------------------

  /** Creates a topic with Kafka's validation and placement; throws KafkaError. */
  createTopic(spec: CreateTopicSpec, options: { validateOnly?: boolean } = {}): TopicImage {
    this.requireActive();
    validateTopicName(spec.name);
    if (this.image.topics.has(spec.name)) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`);
    for (const existing of this.image.topics.keys()) {
      if (topicNamesCollide(spec.name, existing)) {
        throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${spec.name}' collides with existing topic: ${existing}`);
      }
    }
    const configs = this.validConfigs(spec.configs ?? {});
    const assignment = spec.replicaAssignment
      ? this.validAssignment(spec.replicaAssignment)
      : this.placement(spec.partitions ?? this.settings.numPartitions, spec.replicationFactor ?? this.settings.defaultReplicationFactor);
    const topic: TopicImage = {
      name: spec.name,
      topicId: this.env.random.uuid(),
      configs,
      sequence: this.image.nextTopicSequence,
      partitions: assignment.map((replicas) => newPartition(replicas, (id) => this.isUnfenced(id))),
    };
    if (options.validateOnly) return topic;
    this.commit([
      { type: 'Topic', name: topic.name, topicId: topic.topicId, configs, sequence: topic.sequence },
      ...topic.partitions.map((registration, partition): MetadataRecord => ({ type: 'Partition', topic: topic.name, partition, registration })),
    ]);
    return this.image.topics.get(topic.name)!;
  }

  /**
   * Creates __consumer_offsets as a Kafka broker auto-creates it on the first FindCoordinator:
   * offsets.topic.num.partitions partitions, compacted, segment.bytes from
   * offsets.topic.segment.bytes, and offsets.topic.replication.factor replicas capped at the
   * brokers alive now (Kafka would refuse until enough brokers are up). A no-op if it exists.
   */
  createOffsetsTopic(): void {
    this.requireActive();
    if (this.image.topics.has(OFFSETS_TOPIC)) return;
    this.createTopic({
      name: OFFSETS_TOPIC,
      partitions: this.settings.offsetsTopicNumPartitions,
      replicationFactor: Math.min(this.settings.offsetsTopicReplicationFactor, this.unfencedBrokerIds().length),
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(this.settings.offsetsTopicSegmentBytes), 'compression.type': 'producer' },
    });
  }

  /** Where the replicas of `partitions` new partitions would go (validating counts). */
  placement(partitions: number, replicationFactor: number, existing?: TopicImage): number[][] {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.');
    }
    const total = partitions + (existing?.partitions.length ?? 0);
    if (total > MAX_PARTITIONS_PER_TOPIC) {
      throw new KafkaError('INVALID_PARTITIONS', `A topic may have at most ${MAX_PARTITIONS_PER_TOPIC} partitions in this cluster; ${total} were requested.`);
    }
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
      throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.');
    }
    const brokers = this.unfencedBrokerIds();
    if (replicationFactor > brokers.length) {
      throw new KafkaError(
        'INVALID_REPLICATION_FACTOR',
        `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokers.length} broker(s) are registered.`,
      );
    }
    if (!existing) return assignReplicas(brokers, partitions, replicationFactor, this.env.random);
    const firstLeader = existing.partitions[0]?.replicas[0] ?? brokers[0];
    const startIndex = Math.max(0, brokers.indexOf(firstLeader));
    return assignReplicas(brokers, partitions, replicationFactor, this.env.random, {
      fixedStartIndex: startIndex,
      startPartitionId: existing.partitions.length,
    });
  }

  private validConfigs(configs: Record<string, string>): Record<string, string> {
    try {
      return validateTopicConfigs(configs);
    } catch (error) {
      if (error instanceof InvalidConfigError) throw new KafkaError('INVALID_CONFIG', error.message);
      throw error;
    }
  }

  private validAssignment(assignment: number[][]): number[][] {
    if (assignment.length < 1) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'The replica assignment is empty.');
    const rf = assignment[0].length;
    for (const replicas of assignment) {
      if (replicas.length !== rf || replicas.length === 0) {
        throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'All partitions must have the same, non-zero number of replicas.');
      }
      if (new Set(replicas).size !== replicas.length) {
        throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Duplicate brokers in replica list ${replicas.join(',')}.`);
      }
      const unknown = replicas.find((id) => !this.image.brokers.has(id));
      if (unknown !== undefined) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Broker ${unknown} does not exist.`);
    }
    return assignment;
  }

  /** Deletes a topic: its partitions disappear from every broker. */
  deleteTopic(name: string): void {
    this.requireActive();
    if (!this.image.topics.has(name)) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist.`);
    this.commit([{ type: 'RemoveTopic', name }]);
  }

  /** Grows a topic to `totalPartitions` (CreatePartitions); partitions never shrink. */
  createPartitions(name: string, totalPartitions: number, options: { validateOnly?: boolean } = {}): TopicImage {
    this.requireActive();
    const topic = this.image.topics.get(name);
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist.`);
    const current = topic.partitions.length;
    if (!Number.isInteger(totalPartitions) || totalPartitions <= current) {
      throw new KafkaError(
        'INVALID_PARTITIONS',
        totalPartitions === current
          ? `Topic already has ${current} partitions.`
          : `The topic ${name} currently has ${current} partition(s); ${totalPartitions} would not be an increase.`,
      );
    }
    const rf = topic.partitions[0]?.replicas.length ?? 1;
    const assignment = this.placement(totalPartitions - current, rf, topic);
    if (options.validateOnly) return topic;
    this.commit(
      assignment.map((replicas, i): MetadataRecord => ({
        type: 'Partition',
        topic: name,
        partition: current + i,
        registration: newPartition(replicas, (id) => this.isUnfenced(id)),
      })),
    );
    return this.image.topics.get(name)!;
  }

  /** Replaces a topic's config overrides (IncrementalAlterConfigs result). */
  /** Checks topic configs as a create or alter would (INVALID_CONFIG with Kafka's sentence), changing nothing. */
  validateTopicConfigs(configs: Record<string, string>): void {
    this.validConfigs(configs);
  }

  alterTopicConfigs(name: string, configs: Record<string, string>): void {
    this.requireActive();
    if (!this.image.topics.has(name)) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist.`);
    this.commit([{ type: 'Config', topic: name, configs: this.validConfigs(configs) }]);
  }

  // ---- Partitions ----------------------------------------------------------------------

  /** Commits an ISR change a leader asked for, after Kafka's checks. */
  alterPartition(request: AlterPartitionRequest): AlterPartitionResponse {
    if (!this.active) return { error: 'NOT_CONTROLLER' };
    const broker = this.image.brokers.get(request.brokerId);
    if (!broker || broker.epoch !== request.brokerEpoch) return { error: 'STALE_BROKER_EPOCH' };
    const current = this.image.topics.get(request.topic)?.partitions[request.partition];
    if (!current) return { error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    if (current.leader !== request.brokerId) return { error: 'NOT_LEADER_OR_FOLLOWER' };
    if (request.leaderEpoch !== current.leaderEpoch) return { error: 'FENCED_LEADER_EPOCH' };
    if (request.partitionEpoch !== current.partitionEpoch) return { error: 'INVALID_UPDATE_VERSION' };
    const added = request.newIsr.filter((id) => !current.isr.includes(id));
    if (!request.newIsr.includes(request.brokerId) || request.newIsr.some((id) => !current.replicas.includes(id))) {
      return { error: 'INELIGIBLE_REPLICA' };
    }
    if (added.some((id) => !this.isUnfenced(id))) return { error: 'INELIGIBLE_REPLICA' };
    this.commit([{ type: 'PartitionChange', topic: request.topic, partition: request.partition, isr: [...request.newIsr] }]);
    this.maybeCompleteReassignment(request.topic, request.partition);
    return { error: null, registration: this.image.topics.get(request.topic)!.partitions[request.partition] };
  }

  /**
   * Starts moving a partition to `targetReplicas` (Kafka's AlterPartitionReassignments): the
   * replica set becomes target plus the replicas being removed, with addingReplicas and
   * removingReplicas recorded. New replicas start as followers and catch up; once every adding
   * replica is in the ISR the reassignment completes: the replica set becomes the target, removed
   * replicas leave (their brokers delete them), and a leader that is being removed hands over
   * to the first in-sync target replica (reason 'reassignment').
   */
  reassignPartition(topic: string, partition: number, targetReplicas: number[]): void {
    this.requireActive();
    const current = this.image.topics.get(topic)?.partitions[partition];
    if (!current) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `${topic}-${partition} does not exist.`);
    if (current.addingReplicas.length > 0 || current.removingReplicas.length > 0) {
      throw new KafkaError('REASSIGNMENT_IN_PROGRESS', `${topic}-${partition} is already being reassigned; wait for it to finish or cancel it.`);
    }
    const target = [...targetReplicas];
    if (target.length === 0 || new Set(target).size !== target.length || target.some((id) => !this.image.brokers.has(id))) {
      throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The target replicas [${target.join(', ')}] must be distinct, registered brokers.`);
    }
    const adding = target.filter((id) => !current.replicas.includes(id));
    const removing = current.replicas.filter((id) => !target.includes(id));
    if (adding.length === 0 && removing.length === 0) {
      this.commit([{ type: 'PartitionChange', topic, partition, replicas: target }]);
      return;
    }
    this.commit([{ type: 'PartitionChange', topic, partition, replicas: [...target, ...removing], addingReplicas: adding, removingReplicas: removing }]);
    this.maybeCompleteReassignment(topic, partition);
  }

  /** Stops a reassignment in progress: the partition goes back to its original replicas. */
  cancelReassignment(topic: string, partition: number): void {
    this.requireActive();
    const current = this.image.topics.get(topic)?.partitions[partition];
    if (!current) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `${topic}-${partition} does not exist.`);
    if (current.addingReplicas.length === 0 && current.removingReplicas.length === 0) {
      throw new KafkaError('NO_REASSIGNMENT_IN_PROGRESS', `${topic}-${partition} is not being reassigned.`);
    }
    const original = current.replicas.filter((id) => !current.addingReplicas.includes(id));
    this.finishReassignment(topic, partition, original);
  }

  /** Completes a reassignment once every adding replica is in the ISR. */
  private maybeCompleteReassignment(topic: string, partition: number): void {
    const current = this.image.topics.get(topic)?.partitions[partition];
    if (!current || (current.addingReplicas.length === 0 && current.removingReplicas.length === 0)) return;
    if (!current.addingReplicas.every((id) => current.isr.includes(id))) return;
    this.finishReassignment(topic, partition, current.replicas.filter((id) => !current.removingReplicas.includes(id)));
  }

  private finishReassignment(topic: string, partition: number, replicas: number[]): void {
    const current = this.image.topics.get(topic)!.partitions[partition];
    const isr = current.isr.filter((id) => replicas.includes(id));
    const change: Extract<MetadataRecord, { type: 'PartitionChange' }> = { type: 'PartitionChange', topic, partition, replicas, isr, addingReplicas: [], removingReplicas: [] };
    if (!replicas.includes(current.leader)) {
      const leader = replicas.find((id) => isr.includes(id) && this.isUnfenced(id)) ?? -1;
      change.leader = leader;
      change.reason = 'reassignment';
      // With no eligible replica the partition waits offline for one (like any leaderless partition).
      if (leader < 0) change.isr = isr.length > 0 ? isr : [replicas[0]];
    }
    this.commit([change]);
  }

  /**
   * Moves leadership back to each partition's preferred (first) replica where that replica is
   * in sync and alive. `partitions` null means every partition. Returns how many moved.
   */
  electPreferredLeaders(partitions: { topic: string; partition: number }[] | null, _trigger: 'auto' | 'user' = 'user'): number {
    if (!this.active) return 0;
    const records: MetadataRecord[] = [];
    const consider = (topic: TopicImage, partition: number): void => {
      const p = topic.partitions[partition];
      if (!p) return;
      const preferred = p.replicas[0];
      if (p.leader === preferred || !p.isr.includes(preferred) || !this.isUnfenced(preferred)) return;
      records.push({ type: 'PartitionChange', topic: topic.name, partition, leader: preferred, reason: 'preferred leader' });
    };
    if (partitions === null) {
      for (const topic of this.image.topics.values()) topic.partitions.forEach((_, i) => consider(topic, i));
    } else {
      for (const { topic, partition } of partitions) {
        const image = this.image.topics.get(topic);
        if (image) consider(image, partition);
      }
    }
    this.commit(records);
    return records.length;
  }

  /** Hands out a block of producer ids (AllocateProducerIds); returns the first. */
  allocateProducerIds(count: number): number {
    this.requireActive();
    const first = this.image.nextProducerId;
    this.commit([{ type: 'ProducerIds', nextProducerId: first + count }]);
    return first;
  }

  private requireActive(): void {
    if (!this.active) throw new KafkaError('NOT_CONTROLLER', 'This is not the active controller.');
  }
}

/** A new partition: every live replica in sync, led by the first live one in replica order. */
function newPartition(replicas: number[], isLive: (id: number) => boolean): PartitionRegistration {
  const live = replicas.filter(isLive);
  return {
    replicas: [...replicas],
    isr: live.length > 0 ? live : [...replicas],
    leader: live[0] ?? -1,
    leaderEpoch: 0,
    partitionEpoch: 0,
    addingReplicas: [],
    removingReplicas: [],
  };
}
