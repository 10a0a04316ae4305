/**
 * An embedded multi-broker cluster: the one object a host (the app, the browser host, a
 * test) owns. It wires brokers, the active controller, the in-process network and the
 * metadata store onto one scheduler, elects a controller whenever the current one is lost,
 * and offers the operations the app exposes (brokers, topics, produce, read, consumer groups) plus the
 * observation interface the UI is built on: `snapshot()` and `on(listener)`.
 */
import { Broker, type BrokerEnvironment } from './broker/broker';
import { StatsCollector } from './broker/stats';
import { Producer, type ProducerOptions, type ProducerRecord, type RecordMetadata } from './client/producer';
import { ProducerRunner, type ProducerRunnerOptions } from './client/producer-runner';
import { Reader, type FetchResult, type OffsetSpec } from './client/reader';
import { Consumer, type ConsumerOptions } from './client/consumer';
import { GroupAdmin, type CommittedOffsetInfo, type GroupDescription, type GroupListing } from './client/group-admin';
import type { ClientContext } from './client/client';
import { APP_DEFAULTS, type ClusterSettings } from './config/cluster-config';
import { describeTopicConfig } from './config/topic-config';
import { Controller, type CreateTopicSpec } from './controller/controller';
import { EventBus, type ClusterEventListener, type Fault } from './events';
import { GroupCoordinator } from './group/coordinator';
import { OffsetCommitStats } from './group/group-events';
import { FileStorage } from './log/file-storage';
import { MemoryStorage } from './log/memory-storage';
import type { Storage } from './log/storage';
import { MetadataEventTranslator } from './metadata/events';
import { MetadataStore } from './metadata/store';
import { Network } from './net/network';
import { KafkaError } from './protocol/errors';
import { Random } from './time/random';
import { RealScheduler, type Scheduler } from './time/scheduler';
import { buildSnapshot, type ClusterSnapshot, type KafkaListenerView } from './view/snapshot';
import type { Acks } from './broker/messages';

/** How to build a cluster. */
export interface ClusterOptions {
  /** Brokers of a new cluster (default 3); an existing data dir keeps its own brokers. */
  brokers?: number;
  /** A data directory on disk; default: in memory. */
  dataDir?: string;
  /** Or any storage (tests use MemoryStorage to simulate a disk that survives restarts). */
  storage?: Storage;
  /** Default: real time. Tests pass a SimScheduler. */
  scheduler?: Scheduler;
  /** Seed of the random source (placement, elections, ids). */
  seed?: number;
  /** Overrides of the app's default settings. */
  settings?: Partial<ClusterSettings>;
}

/** A produce from the cluster API: records with optional partitions. */
export interface ProduceOptions {
  topic: string;
  records: ProducerRecord[];
  acks?: Acks;
  /** Retries of retriable errors (default: none, so the app shows the first error). */
  retries?: number;
}

export class Cluster implements ClientContext {
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly settings: ClusterSettings;
  readonly network: Network;
  readonly storage: Storage;
  readonly store: MetadataStore;
  readonly brokers = new Map<number, Broker>();
  /** The Kafka listeners, once a host opened them (core/kafka/server.ts). */
  kafkaListener: KafkaListenerView | null = null;
  private readonly events = new EventBus();
  private readonly stats: StatsCollector;
  private activeController: Controller | null = null;
  private electionPending = false;
  private closed = false;
  private readonly producers = new Map<string, Producer>();
  private reader: Reader | null = null;
  private admin: GroupAdmin | null = null;
  /** Group coordinators draw member ids from their own seeded source, so clients keep theirs. */
  private readonly groupRandom: Random;
  private readonly commitStats: OffsetCommitStats;
  private readonly consumerSet = new Set<Consumer>();
  private consumerSequence = 0;
  private readonly runners = new Set<ProducerRunner>();

  private constructor(options: ClusterOptions) {
    this.scheduler = options.scheduler ?? new RealScheduler();
    this.random = new Random(options.seed ?? 0x5eed);
    this.settings = { ...APP_DEFAULTS, ...options.settings };
    this.network = new Network(this.scheduler);
    this.storage = options.storage ?? (options.dataDir ? new FileStorage(options.dataDir) : new MemoryStorage());
    this.store = MetadataStore.open(this.storage, () => this.random.uuid());
    this.store.observer = new MetadataEventTranslator(() => this.scheduler.now(), (event) => this.events.emit(event));
    this.stats = new StatsCollector(this.scheduler, this.events, this.settings.statsIntervalMs);
    this.groupRandom = new Random((options.seed ?? 0x5eed) ^ 0x6a09e667);
    this.commitStats = new OffsetCommitStats(this.scheduler, this.events, this.settings.statsIntervalMs);
  }

  /** Opens (or creates) a cluster and starts every broker. */
  static create(options: ClusterOptions = {}): Cluster {
    const cluster = new Cluster(options);
    const known = [...cluster.store.image.brokers.keys()].sort((a, b) => a - b);
    const ids = known.length > 0 ? known : Array.from({ length: options.brokers ?? 3 }, (_, i) => i + 1);
    for (const id of ids) cluster.brokers.set(id, new Broker(id, cluster.brokerEnvironment()));
    cluster.electController('cluster started', true);
    for (const broker of cluster.brokers.values()) broker.start();
    cluster.watchController();
    return cluster;
  }

  get clusterId(): string {
    return this.store.clusterId;
  }

  private brokerEnvironment(): BrokerEnvironment {
    return {
      scheduler: this.scheduler,
      settings: this.settings,
      network: this.network,
      events: this.events,
      storage: this.storage,
      store: this.store,
      stats: this.stats,
      clusterId: this.store.clusterId,
      controllerId: () => this.controllerId,
      controller: () => this.activeController,
      broker: (id) => this.brokers.get(id),
      extensions: (broker) => [
        new GroupCoordinator(broker, {
          scheduler: this.scheduler,
          settings: this.settings,
          network: this.network,
          events: this.events,
          random: this.groupRandom,
          commitStats: this.commitStats,
          controllerId: () => this.controllerId,
          controller: () => this.activeController,
        }),
      ],
    };
  }

  // ---- Observation ----------------------------------------------------------------------

  /** Subscribes to cluster events; returns the unsubscribe function. */
  on(listener: ClusterEventListener): () => void {
    return this.events.on(listener);
  }

  /** The whole state of the cluster as plain data. */
  snapshot(): ClusterSnapshot {
    return buildSnapshot(this);
  }

  /** Broker id of the active controller, or -1. */
  get controllerId(): number {
    return this.activeController?.isActive ? this.activeController.brokerId : -1;
  }

  /** The active controller, or null while none is elected. */
  get controller(): Controller | null {
    return this.activeController?.isActive ? this.activeController : null;
  }

  // ---- Controller election -------------------------------------------------------------

  private eligibleForController(id: number): boolean {
    const broker = this.brokers.get(id);
    return broker !== undefined && broker.running && !this.network.isIsolated(id);
  }

  /** Checks the controller regularly; a lost one is replaced after the election timeout. */
  private watchController(): void {
    const check = (): void => {
      if (this.closed) return;
      const current = this.activeController;
      if (current && current.isActive && !this.eligibleForController(current.brokerId)) {
        current.deactivate();
        this.scheduleElection(`controller on broker ${current.brokerId} lost`);
      } else if (!this.controller) {
        this.scheduleElection('no active controller');
      }
      this.scheduler.schedule(this.settings.controllerElectionTimeoutMs / 2, check);
    };
    this.scheduler.schedule(this.settings.controllerElectionTimeoutMs / 2, check);
  }

  private scheduleElection(reason: string): void {
    if (this.electionPending) return;
    this.electionPending = true;
    const timeout = this.settings.controllerElectionTimeoutMs;
    // Randomised like Raft's election timeout, so candidates rarely collide.
    this.scheduler.schedule(timeout + this.random.nextInt(timeout), () => {
      this.electionPending = false;
      if (!this.controller) this.electController(reason);
    });
  }

  /**
   * Makes one broker the active controller, chosen at random among those running and
   * reachable (at cluster start, among all: they are about to start).
   */
  private electController(reason: string, atStart = false): void {
    const ids = [...this.brokers.keys()].sort((a, b) => a - b);
    const pool = atStart ? ids : ids.filter((id) => this.eligibleForController(id));
    if (pool.length === 0 || this.closed) return;
    const previous = this.store.image.controllerId;
    const chosen = this.random.pick(pool);
    const controller = new Controller(
      { scheduler: this.scheduler, random: this.random, settings: this.settings, store: this.store, publish: () => this.publish() },
      chosen,
      this.store.image.controllerEpoch + 1,
    );
    this.activeController = controller;
    controller.activate(reason);
    this.events.emit({
      type: 'controller.changed',
      time: this.scheduler.now(),
      controllerId: chosen,
      previousControllerId: previous,
      controllerEpoch: controller.epoch,
      reason,
    });
  }

  /** Tells every reachable broker that new metadata records were committed. */
  private publish(): void {
    const from = this.controllerId;
    for (const broker of this.brokers.values()) {
      if (!broker.running) continue;
      this.network.send(from, broker.id, () => broker.catchUpMetadata());
    }
  }

  // ---- Brokers ---------------------------------------------------------------------------

  private requireBroker(id: number): Broker {
    const broker = this.brokers.get(id);
    if (!broker) throw new KafkaError('BROKER_NOT_AVAILABLE', `There is no broker ${id} in this cluster.`);
    return broker;
  }

  /** Stops a broker: a crash by default (memory lost, files kept), or a clean shutdown. */
  stopBroker(id: number, options: { graceful?: boolean } = {}): void {
    const broker = this.requireBroker(id);
    if (!broker.running) return;
    if (options.graceful && this.controller) {
      // Controlled shutdown: leadership moves before the broker goes.
      this.controller.fenceBroker(id, 'controlled shutdown');
    }
    broker.stop(options);
    if (this.activeController?.brokerId === id) {
      this.activeController.deactivate();
      this.scheduleElection(`controller on broker ${id} stopped`);
    }
  }

  /** Starts a stopped broker; it recovers from its files and rejoins. */
  startBroker(id: number): void {
    const broker = this.requireBroker(id);
    broker.start();
    if (!this.controller) this.scheduleElection(`broker ${id} started`);
  }

  /** Adds a new broker with the next free id and starts it. */
  addBroker(): number {
    const id = Math.max(0, ...this.brokers.keys()) + 1;
    const broker = new Broker(id, this.brokerEnvironment());
    this.brokers.set(id, broker);
    broker.start();
    this.events.emit({ type: 'broker.added', time: this.scheduler.now(), brokerId: id });
    return id;
  }

  // ---- Faults ----------------------------------------------------------------------------

  /**
   * Cuts a broker off from the other brokers and the controller. It keeps running (clients
   * still reach it), but its heartbeats stop arriving, so the controller fences it: its
   * replicas leave every ISR and its leaderships move; as follower it can fetch from no one.
   */
  isolateBroker(id: number): void {
    this.requireBroker(id);
    if (this.network.isIsolated(id)) return;
    this.network.isolate(id);
    this.emitFault('fault.applied', { kind: 'isolated', brokerId: id });
  }

  /**
   * Makes every replica fetch of a broker wait `delayMs` before it is sent: a slow follower.
   * Past `replica.lag.time.max.ms` it falls out of the ISR while records arrive; heartbeats are
   * untouched, so it is never fenced. 0 heals it.
   */
  slowFollower(id: number, delayMs: number): void {
    const broker = this.requireBroker(id);
    const delay = Math.max(0, Math.round(delayMs));
    const previous = broker.fetchDelayMs;
    if (previous === delay) return;
    broker.fetchDelayMs = delay;
    if (previous > 0) this.emitFault('fault.cleared', { kind: 'slow-fetches', brokerId: id, delayMs: previous });
    if (delay > 0) this.emitFault('fault.applied', { kind: 'slow-fetches', brokerId: id, delayMs: delay });
  }

  /** Clears one fault (isolation or slow fetches of a broker). */
  clearFault(fault: Pick<Fault, 'kind' | 'brokerId'>): void {
    const broker = this.requireBroker(fault.brokerId);
    if (fault.kind === 'isolated') {
      if (!this.network.isIsolated(broker.id)) return;
      this.network.heal(broker.id);
      this.emitFault('fault.cleared', { kind: 'isolated', brokerId: broker.id });
      // A healed broker catches up with the metadata it missed at its next heartbeat.
    } else {
      this.slowFollower(broker.id, 0);
    }
  }

  /** Clears every active fault. */
  clearAllFaults(): void {
    for (const fault of this.faults()) this.clearFault(fault);
  }

  /** The faults active now, by broker. */
  faults(): Fault[] {
    const faults: Fault[] = [];
    for (const id of [...this.brokers.keys()].sort((a, b) => a - b)) {
      if (this.network.isIsolated(id)) faults.push({ kind: 'isolated', brokerId: id });
      const delayMs = this.brokers.get(id)!.fetchDelayMs;
      if (delayMs > 0) faults.push({ kind: 'slow-fetches', brokerId: id, delayMs });
    }
    return faults;
  }

  private emitFault(type: 'fault.applied' | 'fault.cleared', fault: Fault): void {
    this.events.emit({ type, time: this.scheduler.now(), fault });
  }

  // ---- Topics ----------------------------------------------------------------------------

  private requireController(): Controller {
    const controller = this.controller;
    if (!controller) throw new KafkaError('NOT_CONTROLLER', 'No controller is active right now; one is being elected.');
    return controller;
  }

  /** Creates a topic (Kafka's CreateTopics rules); throws KafkaError. */
  createTopic(spec: CreateTopicSpec): { name: string; partitions: number; replicationFactor: number } {
    const topic = this.requireController().createTopic(spec);
    return { name: topic.name, partitions: topic.partitions.length, replicationFactor: topic.partitions[0]?.replicas.length ?? 0 };
  }

  /** Where the replicas of a topic would go, without creating it (the create form's preview). */
  previewTopic(spec: CreateTopicSpec): number[][] {
    return this.requireController()
      .createTopic(spec, { validateOnly: true })
      .partitions.map((p) => p.replicas);
  }

  /** Deletes a topic. */
  deleteTopic(name: string): void {
    this.requireController().deleteTopic(name);
  }

  /** Grows a topic to `totalPartitions`. */
  createPartitions(name: string, totalPartitions: number): void {
    this.requireController().createPartitions(name, totalPartitions);
  }

  /** Replaces a topic's config overrides. */
  alterTopicConfigs(name: string, configs: Record<string, string>): void {
    this.requireController().alterTopicConfigs(name, configs);
  }

  /** Every config of a topic, with defaults (DescribeConfigs). */
  describeTopicConfigs(name: string): ReturnType<typeof describeTopicConfig> {
    const topic = this.store.image.topics.get(name);
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist.`);
    return describeTopicConfig(topic.configs, this.settings.topicConfigDefaults);
  }

  /**
   * Moves a partition's replicas to `replicas` (AlterPartitionReassignments): new replicas
   * catch up and join the ISR, then the removed ones go; the first listed becomes the preferred
   * leader. REASSIGNMENT_IN_PROGRESS while one is running.
   */
  reassignPartition(topic: string, partition: number, replicas: number[]): void {
    this.requireController().reassignPartition(topic, partition, replicas);
  }

  /** Cancels a running reassignment: the partition keeps its original replicas. */
  cancelReassignment(topic: string, partition: number): void {
    this.requireController().cancelReassignment(topic, partition);
  }

  /** Moves leadership back to preferred replicas (all partitions, or the ones given). */
  electPreferredLeaders(partitions: { topic: string; partition: number }[] | null = null): number {
    return this.requireController().electPreferredLeaders(partitions, 'user');
  }

  // ---- Clients ----------------------------------------------------------------------------

  /** Ids of the brokers a client can bootstrap from (every broker; stopped ones refuse). */
  bootstrapBrokerIds(): number[] {
    return [...this.brokers.keys()];
  }

  /** Any broker object, for a client request's handler. */
  broker(id: number): Broker | undefined {
    return this.brokers.get(id);
  }

  /** A new in-process producer. */
  createProducer(options: ProducerOptions = {}): Producer {
    return new Producer(this, options);
  }

  /** A new reader (fetch and list offsets without a group). */
  createReader(clientId?: string): Reader {
    return new Reader(this, clientId);
  }

  /** Produces records and reports each one's partition and offset (or Kafka's error). */
  produce(options: ProduceOptions): Promise<RecordMetadata[]> {
    const acks = options.acks ?? -1;
    const retries = options.retries ?? 0;
    const key = `${acks}:${retries}`;
    let producer = this.producers.get(key);
    if (!producer) {
      producer = this.createProducer({ clientId: 'brokerscope-app', acks, retries });
      this.producers.set(key, producer);
    }
    return producer.sendAsync(options.topic, options.records, { acks });
  }

  /** Reads records of a partition from `offset`, below the high watermark. */
  fetch(topic: string, partition: number, offset: number, options: { maxBytes?: number } = {}): Promise<FetchResult> {
    this.reader ??= this.createReader('brokerscope-app');
    return this.reader.fetch(topic, partition, offset, options);
  }

  /** A consumer in a group, consuming on its own (see ConsumerOptions); close() or crash() it. */
  createConsumer(options: ConsumerOptions): Consumer {
    // The Java client's default client.id: consumer-<group>-<sequence>.
    const clientId = options.clientId ?? `consumer-${options.groupId}-${++this.consumerSequence}`;
    const consumer = new Consumer(this, { ...options, clientId }, (done) => this.consumerSet.delete(done));
    this.consumerSet.add(consumer);
    return consumer;
  }

  /** The in-app consumers not closed yet (crashed and failed ones stay, showing their last state, until closed). */
  consumers(): Consumer[] {
    return [...this.consumerSet];
  }

  /** Produces one record, a burst, or a steady rate with templated values. */
  createProducerRunner(options: ProducerRunnerOptions): ProducerRunner {
    const runner = new ProducerRunner(this, options);
    this.runners.add(runner);
    return runner;
  }

  private groupAdmin(): GroupAdmin {
    this.admin ??= new GroupAdmin(this, 'brokerscope-app');
    return this.admin;
  }

  /** Every consumer group with its state and coordinator (ListGroups at every broker). */
  listGroups(): Promise<GroupListing[]> {
    return this.groupAdmin().listGroups();
  }

  /** A group's state, assignor and members with their assignments (DescribeGroups). */
  describeGroup(groupId: string): Promise<GroupDescription> {
    return this.groupAdmin().describeGroup(groupId);
  }

  /** Deletes an Empty group and its committed offsets (DeleteGroups); NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND otherwise. */
  deleteGroup(groupId: string): Promise<void> {
    return this.groupAdmin().deleteGroup(groupId);
  }

  /** A group's committed offsets with lag per partition (OffsetFetch and ListOffsets). */
  committedOffsets(groupId: string): Promise<CommittedOffsetInfo[]> {
    return this.groupAdmin().committedOffsets(groupId);
  }

  /** Commits offsets for a group without members (OffsetCommit with generation -1, as Kafka's admin does). */
  commitGroupOffsets(groupId: string, offsets: { topic: string; partition: number; offset: number }[]): Promise<void> {
    return this.groupAdmin().commitOffsets(groupId, offsets);
  }

  /** The offset for earliest, latest, or the first record at or after a time. */
  listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<{ offset: number; timestamp: number }> {
    this.reader ??= this.createReader('brokerscope-app');
    return this.reader.listOffset(topic, partition, spec);
  }

  // ---- Lifetime --------------------------------------------------------------------------

  /** Stops the in-app clients, shuts every broker down cleanly and closes the metadata log. */
  close(): void {
    if (this.closed) return;
    this.stats.flush();
    this.commitStats.flush();
    // In-app clients go with the cluster that hosts them (they stop without committing).
    for (const consumer of this.consumerSet) consumer.crash();
    for (const runner of this.runners) runner.close();
    for (const broker of this.brokers.values()) broker.stop({ graceful: true });
    this.activeController?.deactivate();
    this.closed = true;
    this.store.close();
    if (this.scheduler instanceof RealScheduler) this.scheduler.stop();
  }

  /** Flushes the gathered stats events now (before reading a snapshot in tests). */
  flushStats(): void {
    this.stats.flush();
    this.commitStats.flush();
  }

  /** Totals of records and bytes produced since start. */
  get totals(): { records: number; bytes: number } {
    return { records: this.stats.totalRecordsProduced, bytes: this.stats.totalBytesProduced };
  }
}
