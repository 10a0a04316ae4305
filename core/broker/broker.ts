/**
 * One broker (Kafka's KafkaServer with its ReplicaManager, condensed): it owns a data dir of
 * partition logs, replays the controller's metadata to learn which replicas it hosts and
 * which it leads, serves Produce, Fetch, ListOffsets and OffsetsForLeaderEpoch, replicates
 * from leaders through one fetcher per leader, keeps ISRs as leader, heartbeats to the
 * controller, and runs retention and checkpoints on their intervals.
 *
 * A stop is a crash: every in-memory structure is dropped, files stay, and the next start
 * recovers from the files (LogManager) and from the metadata log.
 */
import type { ClusterSettings } from '../config/cluster-config';
import { isInternalTopic } from '../controller/topic-validation';
import { resolveTopicConfig, type TopicConfig } from '../config/topic-config';
import type { AlterPartitionResponse, BrokerHeartbeatResponse, Controller } from '../controller/controller';
import type { EventBus } from '../events';
import { LogAppendError, OffsetOutOfRangeError } from '../log/log';
import { LogManager } from '../log/log-manager';
import type { Storage } from '../log/storage';
import { applyRecord, cloneImage, emptyImage, type MetadataImage, type PartitionRegistration } from '../metadata/image';
import type { MetadataStore } from '../metadata/store';
import type { Network } from '../net/network';
import type { KafkaErrorName } from '../protocol/errors';
import type { Scheduler, Timer } from '../time/scheduler';
import { FetchManager } from './fetch-session';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  type EpochEndOffsetRequest,
  type EpochEndOffsetResponse,
  type FetchRequest,
  type FetchPartitionRequest,
  type FetchPartitionResponse,
  partitionKey,
  type FetchResponse,
  type ListOffsetsPartitionRequest,
  type ListOffsetsPartitionResponse,
  type ProducePartitionResponse,
  type ProduceRequest,
} from './messages';
import { Partition } from './partition';
import { ProducerStateManager, producerBatchAt } from './producer-state';
import { ReplicaFetcher, type FetcherHost } from './replica-fetcher';
import { framePool } from '../log/frame-pool';
import { TailCache, joinParts } from './tail-cache';
import type { StatsCollector } from './stats';

/** What a broker needs from the cluster around it. */
export interface BrokerEnvironment {
  scheduler: Scheduler;
  settings: ClusterSettings;
  network: Network;
  events: EventBus;
  storage: Storage;
  store: MetadataStore;
  stats: StatsCollector;
  clusterId: string;
  /** The broker hosting the active controller, or -1. */
  controllerId(): number;
  /** The active controller object (reached only through a network hop). */
  controller(): Controller | null;
  /** Another broker, to deliver a request to. */
  broker(id: number): Broker | undefined;
  /** Services that live and die with a broker incarnation (the group coordinator). */
  extensions?: (broker: Broker) => BrokerExtension[];
}

/** A service hosted by a broker, told when the broker's replicas change role. */
export interface BrokerExtension {
  /** This broker became leader or follower of a partition, or stopped hosting it ('removed'). */
  onRoleChange(partition: Partition, role: 'leader' | 'follower' | 'offline' | 'removed'): void;
  /** The broker is stopping; drop all state. */
  stop(): void;
}

/** Lifecycle of a broker as the app shows it. */
export type BrokerState = 'stopped' | 'starting' | 'fenced' | 'running';

export class Broker implements FetcherHost {
  running = false;
  state: BrokerState = 'stopped';
  brokerEpoch = -1;
  /** This broker's copy of the cluster metadata (what it has replayed). */
  image: MetadataImage = emptyImage();
  readonly partitions = new Map<string, Partition>();
  logManager: LogManager | null = null;
  /** Last known log end offset of each local replica, kept across a stop for the app's view. */
  readonly lastKnownLogEndOffsets = new Map<string, number>();
  /** How long every replica fetch waits before it is sent (the slow-fetches fault; 0: none). */
  fetchDelayMs = 0;
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private readonly fetchManager: FetchManager;
  /** The newest appended batches of led partitions, under a fixed byte budget. */
  private readonly tailCache = new TailCache();
  private timers: Timer[] = [];
  private incarnation = 0;
  /** Services of the current incarnation (see BrokerExtension). */
  extensions: BrokerExtension[] = [];
  lastRecovery = { partitions: 0, truncatedBytes: 0, cleanShutdown: true };

  constructor(
    readonly id: number,
    private readonly env: BrokerEnvironment,
  ) {
    this.fetchManager = new FetchManager(this);
  }

  get settings(): ClusterSettings {
    return this.env.settings;
  }

  now(): number {
    return this.env.scheduler.now();
  }

  schedule(delayMs: number, task: () => void): void {
    const incarnation = this.incarnation;
    this.env.scheduler.schedule(delayMs, () => {
      if (this.running && this.incarnation === incarnation) task();
    });
  }

  private every(intervalMs: number, task: () => void): void {
    const incarnation = this.incarnation;
    const run = (): void => {
      if (!this.running || this.incarnation !== incarnation) return;
      task();
      this.timers.push(this.env.scheduler.schedule(intervalMs, run));
    };
    this.timers.push(this.env.scheduler.schedule(intervalMs, run));
  }

  // ---- Lifecycle -----------------------------------------------------------------------

  /** Starts: recovers the logs, then registers with the controller and replays metadata. */
  start(): void {
    if (this.running) return;
    this.incarnation++;
    this.running = true;
    this.state = 'starting';
    this.brokerEpoch = -1;
    this.image = emptyImage();
    this.logManager = LogManager.open(this.env.storage, `broker-${this.id}`, {
      nodeId: this.id,
      clusterId: this.env.clusterId,
      now: this.now(),
      configFor: (topic) => this.topicConfig(topic),
    });
    let truncatedBytes = 0;
    let partitions = 0;
    for (const [, log] of this.logManager.allLogs()) {
      partitions++;
      truncatedBytes += log.recoveryReport.truncatedBytes;
    }
    this.lastRecovery = { partitions, truncatedBytes, cleanShutdown: this.logManager.cleanShutdown };
    this.env.network.attach(this.id, this);
    this.extensions = this.env.extensions?.(this) ?? [];
    this.env.events.emit({ type: 'broker.started', time: this.now(), brokerId: this.id, recovery: this.lastRecovery });
    this.register();
    this.every(this.settings.replicaLagTimeMaxMs / 2, () => this.shrinkIsrs());
    this.every(this.settings.logRetentionCheckIntervalMs, () => this.enforceRetention());
    this.every(this.settings.logFlushOffsetCheckpointIntervalMs, () => this.periodicCheckpoint());
  }

  /** Stops like a crash (default) or a clean shutdown; files stay either way. */
  stop(options: { graceful?: boolean } = {}): void {
    if (!this.running) return;
    if (options.graceful) {
      this.saveProducerStates();
      this.logManager?.shutdown(this.highWatermarks());
    }
    else this.logManager?.crash();
    for (const [key, partition] of this.partitions) this.lastKnownLogEndOffsets.set(key, partition.logEndOffset);
    this.running = false;
    this.state = 'stopped';
    this.incarnation++;
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
    for (const fetcher of this.fetchers.values()) fetcher.stop();
    this.fetchers.clear();
    this.fetchManager.clear();
    this.tailCache.clear();
    for (const partition of this.partitions.values()) partition.failWaiting();
    for (const extension of this.extensions) extension.stop();
    this.extensions = [];
    this.partitions.clear();
    this.logManager = null;
    this.env.network.disconnect(this.id);
    this.env.events.emit({ type: 'broker.stopped', time: this.now(), brokerId: this.id, graceful: options.graceful === true });
  }

  private register(): void {
    this.env.network.request<number | null>(
      this.id,
      this.env.controllerId(),
      (respond) => {
        const controller = this.env.controller();
        respond(controller ? controller.registerBroker(this.id) : null);
      },
      (reply) => {
        if (!this.running) return;
        if (!reply.ok || reply.value === null) {
          this.schedule(this.settings.brokerHeartbeatIntervalMs, () => this.register());
          return;
        }
        this.brokerEpoch = reply.value;
        this.state = 'fenced';
        this.env.events.emit({ type: 'broker.registered', time: this.now(), brokerId: this.id, brokerEpoch: this.brokerEpoch });
        this.catchUpMetadata();
        this.heartbeat();
      },
      this.settings.requestTimeoutMs,
    );
  }

  private heartbeat(): void {
    const request = { brokerId: this.id, brokerEpoch: this.brokerEpoch, metadataOffset: this.image.offset };
    this.env.network.request<BrokerHeartbeatResponse>(
      this.id,
      this.env.controllerId(),
      (respond) => {
        const controller = this.env.controller();
        respond(controller ? controller.heartbeat(request) : { error: 'NOT_CONTROLLER', fenced: true });
      },
      (reply) => {
        if (!this.running) return;
        if (reply.ok) {
          if (reply.value.error === 'STALE_BROKER_EPOCH') {
            this.register();
            return;
          }
          if (reply.value.error === null) this.state = reply.value.fenced ? 'fenced' : 'running';
          this.catchUpMetadata();
        }
        this.schedule(this.settings.brokerHeartbeatIntervalMs, () => this.heartbeat());
      },
      Math.min(this.settings.requestTimeoutMs, this.settings.brokerSessionTimeoutMs),
    );
  }

  // ---- Metadata ------------------------------------------------------------------------

  /** Replays the metadata records this broker has not seen yet and adjusts its replicas. */
  catchUpMetadata(): void {
    // Until it has registered, a starting broker must not act on metadata: the records that
    // fence its previous incarnation come with its registration (as KRaft brokers wait to
    // catch up before publishing the image).
    if (!this.running || this.brokerEpoch < 0) return;
    const news = this.env.store.since(this.image.offset);
    if ('image' in news) {
      this.image = cloneImage(news.image);
      this.reconcileAll();
      return;
    }
    if (news.records.length === 0) return;
    const changed = new Set<string>();
    let all = this.image.offset < 0;
    for (const { offset, record } of news.records) {
      applyRecord(this.image, record);
      this.image.offset = offset;
      if (record.type === 'Partition' || record.type === 'PartitionChange') changed.add(`${record.topic}\u0000${record.partition}`);
      else if (record.type === 'RemoveTopic' || record.type === 'Config' || record.type === 'Topic') all = true;
    }
    if (all) this.reconcileAll();
    else for (const key of changed) this.reconcile(...splitKey(key));
  }

  private reconcileAll(): void {
    for (const topic of this.image.topics.values()) topic.partitions.forEach((_, i) => this.reconcile(topic.name, i));
    // Replicas whose topic is gone, or that moved off this broker while it was away.
    for (const partition of [...this.partitions.values()]) {
      const registration = this.image.topics.get(partition.topic)?.partitions[partition.partition];
      if (!registration || !registration.replicas.includes(this.id)) this.removeReplica(partition.topic, partition.partition);
    }
    if (this.logManager) {
      for (const [{ topic, partition }] of [...this.logManager.allLogs()]) {
        const registration = this.image.topics.get(topic)?.partitions[partition];
        if (!registration || !registration.replicas.includes(this.id)) this.removeReplica(topic, partition);
      }
    }
  }

  /** Makes the local replica of one partition match the metadata. */
  private reconcile(topic: string, partitionIndex: number): void {
    const topicImage = this.image.topics.get(topic);
    const registration = topicImage?.partitions[partitionIndex];
    const key = `${topic}-${partitionIndex}`;
    if (!registration || !registration.replicas.includes(this.id)) {
      if (this.partitions.has(key) || this.logManager?.getLog(topic, partitionIndex)) this.removeReplica(topic, partitionIndex);
      return;
    }
    const config = this.topicConfig(topic);
    let partition = this.partitions.get(key);
    if (!partition) {
      const log = this.logManager!.getOrCreateLog(topic, partitionIndex, config);
      partition = new Partition(topic, partitionIndex, this.id, log, config, registration, this.logManager!.highWatermarks.get(key) ?? 0);
      partition.replicaLagTimeMaxMs = this.settings.replicaLagTimeMaxMs;
      partition.registration = { ...registration, leader: -2 };
      this.partitions.set(key, partition);
    } else {
      partition.config = config;
      partition.log.updateConfig(config);
    }
    this.applyRegistration(partition, registration);
  }

  private applyRegistration(partition: Partition, registration: PartitionRegistration): void {
    const previous = partition.registration;
    const now = this.now();
    if (registration.leader === this.id) {
      const newTerm = partition.role !== 'leader' || previous.leaderEpoch !== registration.leaderEpoch;
      if (newTerm) this.stopFetching(partition);
      if (newTerm) partition.makeLeader(registration, now);
      else partition.updateRegistration(registration, now);
      this.afterLeaderChange(partition);
      if (newTerm) this.notifyRole(partition, 'leader');
      return;
    }
    const sameTerm = partition.role !== 'leader' && previous.leader === registration.leader && previous.leaderEpoch === registration.leaderEpoch;
    if (sameTerm) {
      partition.registration = registration;
      return;
    }
    partition.makeFollower(registration);
    this.tailCache.drop(partition.key);
    this.stopFetching(partition);
    this.fetchManager.wakePartition(partition.key);
    if (registration.leader >= 0) this.fetcherFor(registration.leader).add(partition);
    this.notifyRole(partition, partition.role);
  }

  private notifyRole(partition: Partition, role: 'leader' | 'follower' | 'offline' | 'removed'): void {
    for (const extension of this.extensions) extension.onRoleChange(partition, role);
  }

  private afterLeaderChange(partition: Partition): void {
    if (partition.maybeIncrementHighWatermark(this.now(), (id) => this.isBrokerAlive(id))) this.onHighWatermark(partition);
    this.fetchManager.wakePartition(partition.key);
  }

  private removeReplica(topic: string, partitionIndex: number): void {
    const key = `${topic}-${partitionIndex}`;
    const partition = this.partitions.get(key);
    this.tailCache.drop(key);
    if (partition) {
      partition.failWaiting();
      this.stopFetching(partition);
      this.partitions.delete(key);
      this.fetchManager.markChanged(key);
      this.notifyRole(partition, 'removed');
    }
    this.lastKnownLogEndOffsets.delete(key);
    this.logManager?.deleteLog(topic, partitionIndex);
  }

  private fetcherFor(leaderId: number): ReplicaFetcher {
    let fetcher = this.fetchers.get(leaderId);
    if (!fetcher) {
      fetcher = new ReplicaFetcher(this, leaderId);
      this.fetchers.set(leaderId, fetcher);
    }
    return fetcher;
  }

  private stopFetching(partition: Partition): void {
    for (const [leaderId, fetcher] of this.fetchers) {
      fetcher.remove(partition.key);
      if (fetcher.size === 0) {
        fetcher.stop();
        this.fetchers.delete(leaderId);
      }
    }
  }

  /** The typed config of a topic from this broker's metadata. */
  topicConfig(topic: string): TopicConfig {
    return resolveTopicConfig(this.image.topics.get(topic)?.configs ?? {}, this.settings.topicConfigDefaults);
  }

  private isBrokerAlive(id: number): boolean {
    const broker = this.image.brokers.get(id);
    return broker !== undefined && !broker.fenced;
  }

  // ---- Leader duties -------------------------------------------------------------------

  private shrinkIsrs(): void {
    const now = this.now();
    for (const partition of this.partitions.values()) {
      const candidate = partition.shrinkCandidate(now);
      if (candidate) this.alterIsr(partition, candidate.isr, 'shrink');
    }
  }

  private maybeExpandIsr(partition: Partition, followerId: number): void {
    const isr = partition.expandCandidate(followerId);
    if (isr && this.isBrokerAlive(followerId)) this.alterIsr(partition, isr, 'expand');
  }

  /** Asks the controller to commit a new ISR (AlterPartition). */
  private alterIsr(partition: Partition, isr: number[], kind: 'expand' | 'shrink'): void {
    partition.pendingIsr = { isr, kind };
    const request = {
      brokerId: this.id,
      brokerEpoch: this.brokerEpoch,
      topic: partition.topic,
      partition: partition.partition,
      leaderEpoch: partition.leaderEpoch,
      partitionEpoch: partition.registration.partitionEpoch,
      newIsr: isr,
    };
    this.env.network.request<AlterPartitionResponse>(
      this.id,
      this.env.controllerId(),
      (respond) => {
        const controller = this.env.controller();
        respond(controller ? controller.alterPartition(request) : { error: 'NOT_CONTROLLER' });
      },
      (reply) => {
        if (!this.running || this.partitions.get(partition.key) !== partition || partition.pendingIsr?.isr !== isr) return;
        partition.pendingIsr = null;
        if (reply.ok && reply.value.error === null && reply.value.registration.leaderEpoch === partition.leaderEpoch) {
          partition.updateRegistration(reply.value.registration, this.now());
          this.afterLeaderChange(partition);
        }
        // Otherwise the metadata will tell us the current state; the next check retries.
      },
      this.settings.requestTimeoutMs,
    );
  }

  private onHighWatermark(partition: Partition): void {
    this.tailCache.releaseBelow(partition.key, partition.highWatermark);
    this.env.stats.highWatermark(partition.topic, partition.partition, partition.highWatermark);
  }

  // ---- Requests ------------------------------------------------------------------------

  /** Produce: appends to led partitions; with acks=all answers once the ISR has the records. */
  handleProduce(request: ProduceRequest, respond: (responses: ProducePartitionResponse[]) => void): void {
    const now = this.now();
    const responses: ProducePartitionResponse[] = [];
    const waits: { partition: Partition; entry: import('./partition').WaitingProduce }[] = [];
    let outstanding = 0;
    let answered = false;
    let timer: Timer | null = null;
    let dispatching = true;
    const finish = (): void => {
      if (answered || outstanding > 0 || dispatching) return;
      answered = true;
      timer?.cancel();
      respond(responses);
    };
    for (const data of request.partitions) {
      const response: ProducePartitionResponse = {
        topic: data.topic,
        partition: data.partition,
        error: null,
        errorMessage: null,
        baseOffset: -1,
        logAppendTimeMs: -1,
        logStartOffset: -1,
      };
      responses.push(response);
      if (!request.internalTopicsAllowed && isInternalTopic(data.topic)) {
        response.error = 'INVALID_TOPIC_EXCEPTION';
        response.errorMessage = `Cannot append to internal topic ${data.topic}`;
        continue;
      }
      const partition = this.leaderPartition(data.topic, data.partition, response);
      if (!partition) continue;
      response.logStartOffset = partition.log.logStartOffset;
      if (request.acks === -1 && partition.isUnderMinIsr()) {
        const isr = partition.registration.isr.length;
        response.error = 'NOT_ENOUGH_REPLICAS';
        response.errorMessage = `only ${isr} of the ${partition.config.minInsyncReplicas} required replicas (min.insync.replicas) are in sync for ${partition.key}`;
        continue;
      }
      const producer = data.records.length >= 61 ? producerBatchAt(data.records, 0) : null;
      if (producer) {
        const check = this.producerState(partition).check(producer);
        if (check.kind === 'reject') {
          response.error = check.error;
          response.errorMessage = check.message;
          continue;
        }
        if (check.kind === 'duplicate') {
          // A retry of a batch already written: answer with where it went, write nothing.
          response.baseOffset = check.firstOffset;
          continue;
        }
      }
      // Followers' sessions leave out partitions they are caught up on: their fetch times are
      // recorded before the log end moves, while they still mean "caught up".
      for (const followerId of partition.followers.keys()) this.fetchManager.recordOmittedFetch(followerId, partition.key);
      let info;
      try {
        info = partition.log.appendAsLeader(data.records, partition.leaderEpoch, now, request.crcVerified);
      } catch (error) {
        if (!(error instanceof LogAppendError)) throw error;
        response.error = error.error as KafkaErrorName;
        response.errorMessage = error.message;
        continue;
      }
      response.baseOffset = info.firstOffset;
      this.tailCache.append(partition.key, info.firstOffset, info.lastOffset + 1, data.records);
      if (producer || partition.producerState) this.producerState(partition).updateFromRecords(data.records);
      this.env.stats.appended(partition.topic, partition.partition, this.id, info.recordCount, info.bytes, partition.logEndOffset, true);
      if (partition.maybeIncrementHighWatermark(now, (id) => this.isBrokerAlive(id))) this.onHighWatermark(partition);
      this.fetchManager.wakePartition(partition.key);
      if (request.acks !== -1) continue;
      outstanding++;
      const entry = {
        requiredOffset: info.lastOffset + 1,
        complete: (error: 'NOT_LEADER_OR_FOLLOWER' | null) => {
          if (answered) return;
          if (error) {
            response.error = error;
            response.errorMessage = `${partition.key} lost its leadership on broker ${this.id} before the records were replicated`;
          }
          outstanding--;
          finish();
        },
      };
      waits.push({ partition, entry });
      partition.waitForHighWatermark(entry);
    }
    timer =
      outstanding > 0
        ? this.env.scheduler.schedule(request.timeoutMs, () => {
            if (answered) return;
            for (const { partition, entry } of waits) {
              if (partition.highWatermark >= entry.requiredOffset) continue;
              partition.forget(entry);
              const response = responses.find((r) => r.topic === partition.topic && r.partition === partition.partition)!;
              response.error = 'REQUEST_TIMED_OUT';
              response.errorMessage = `the in-sync replicas of ${partition.key} did not all have the records within ${request.timeoutMs} ms`;
            }
            outstanding = 0;
            finish();
          })
        : null;
    dispatching = false;
    finish();
  }

  /** The partition if this broker leads it; otherwise fills the response's error. */
  private leaderPartition(topic: string, partitionIndex: number, response: { error: KafkaErrorName | null; errorMessage?: string | null }): Partition | null {
    const partition = this.partitions.get(`${topic}-${partitionIndex}`);
    if (partition && partition.role === 'leader') return partition;
    const known = this.image.topics.get(topic)?.partitions[partitionIndex] !== undefined;
    response.error = known ? 'NOT_LEADER_OR_FOLLOWER' : 'UNKNOWN_TOPIC_OR_PARTITION';
    if ('errorMessage' in response) {
      response.errorMessage = known
        ? `broker ${this.id} is not the leader of ${topic}-${partitionIndex}`
        : `this server does not host ${topic}-${partitionIndex}`;
    }
    return null;
  }

  /**
   * Fetch: serves followers up to the log end and consumers up to the high watermark. A
   * follower's fetch in a session is recorded by the fetch manager, partition by partition.
   */
  handleFetch(request: FetchRequest, respond: (response: FetchResponse) => void): void {
    if (request.replicaId >= 0 && request.sessionId === undefined) {
      const now = this.now();
      for (const p of request.partitions) this.recordFollowerFetch(request.replicaId, p, now);
    }
    this.fetchManager.serve(request, respond);
  }

  /** The partition a follower's fetch names, if this broker leads it in the epoch the follower knows. */
  private ledFor(p: FetchPartitionRequest): Partition | null {
    const partition = this.partitions.get(partitionKey(p));
    return partition && partition.role === 'leader' && p.currentLeaderEpoch === partition.leaderEpoch ? partition : null;
  }

  /** Records a follower's fetch of one partition (Kafka's Partition.updateFollowerFetchState), then the ISR and high watermark. */
  recordFollowerFetch(replicaId: number, p: FetchPartitionRequest, now: number): void {
    const partition = this.ledFor(p);
    if (!partition) return;
    const moved = partition.updateFollowerFetchState(replicaId, p.fetchOffset, now);
    // An in-sync follower that fetched from where it was changes neither the ISR nor the high
    // watermark (both depend only on replicas' log end offsets): the common case of a follower
    // polling an idle partition costs one map lookup, not a scan of every replica.
    if (!moved && partition.registration.isr.includes(replicaId)) return;
    this.maybeExpandIsr(partition, replicaId);
    if (partition.maybeIncrementHighWatermark(now, (id) => this.isBrokerAlive(id))) {
      this.onHighWatermark(partition);
      this.fetchManager.wakePartition(partition.key);
    }
  }

  /**
   * Records the fetch a session's request at `fetchTimeMs` made of `p` though it left `p` out:
   * only an in-sync follower at the leader's log end is left out (see isFollowerUnsettled), and
   * for it Kafka's record only moves its fetch times (it stays caught up), so this is exact as
   * long as the log end has not moved since, which the broker ensures by recording these before
   * every append.
   */
  recordOmittedFollowerFetch(replicaId: number, p: FetchPartitionRequest, fetchTimeMs: number): void {
    const partition = this.ledFor(p);
    if (!partition) return;
    const state = partition.followers.get(replicaId);
    if (!state || state.logEndOffset !== p.fetchOffset || p.fetchOffset !== partition.logEndOffset || fetchTimeMs <= state.lastFetchTimeMs) return;
    partition.updateFollowerFetchState(replicaId, p.fetchOffset, fetchTimeMs);
  }

  /**
   * Whether a follower's session must record and read `p` at its next request though nothing
   * happens to it: the follower lags (records wait for it), or it is not in the ISR (each of its
   * fetches may expand the ISR or move the high watermark, as each fetch of Kafka's does).
   * Errors settle: the follower backs off and forgets the partition, or truncates.
   */
  isFollowerUnsettled(replicaId: number, p: FetchPartitionRequest): boolean {
    const partition = this.ledFor(p);
    if (!partition) return false;
    const log = partition.log;
    if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) return false;
    return p.fetchOffset < log.logEndOffset || !partition.registration.isr.includes(replicaId);
  }

  /**
   * Reads one partition for a fetch: the checks Kafka makes (leadership, leader epoch, offset
   * range), then whole batches up to the log end (followers) or the high watermark.
   */
  readPartition(
    replicaId: number,
    p: FetchRequest['partitions'][number],
    maxBytes: number,
  ): FetchResponse['partitions'][number] {
    const response: FetchPartitionResponse = { topic: p.topic, partition: p.partition, error: null, highWatermark: -1, logStartOffset: -1, logEndOffset: -1, records: EMPTY, key: p.key };
    const partition = this.leaderPartition(p.topic, p.partition, response);
    if (!partition) return response;
    if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== partition.leaderEpoch) {
      response.error = p.currentLeaderEpoch < partition.leaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
      return response;
    }
    const log = partition.log;
    response.highWatermark = partition.highWatermark;
    response.logStartOffset = log.logStartOffset;
    response.logEndOffset = log.logEndOffset;
    const maxOffset = replicaId >= 0 ? log.logEndOffset : partition.highWatermark;
    try {
      if (p.fetchOffset > maxOffset && p.fetchOffset <= log.logEndOffset) return response; // Not yet visible.
      const inRange = p.fetchOffset >= log.logStartOffset && p.fetchOffset <= log.logEndOffset;
      const parts = inRange ? this.tailCache.readParts(partition.key, p.fetchOffset, maxBytes, maxOffset) : null;
      // An in-process follower takes the cached views as they are, holding pooled memory until it
      // has appended (ReplicaFetcher releases it); a consumer's answer is one buffer of its own.
      if (parts && replicaId >= 0) {
        for (const part of parts) framePool.retain(part.buffer);
        response.cachedParts = parts;
      } else if (parts) response.records = joinParts(parts);
      else response.records = log.read(p.fetchOffset, maxBytes, maxOffset).records;
    } catch (error) {
      if (!(error instanceof OffsetOutOfRangeError)) throw error;
      response.error = 'OFFSET_OUT_OF_RANGE';
    }
    return response;
  }

  /** Whether a fetch of `p` would now find records or an error, without reading (DelayedFetch's check). */
  hasNews(replicaId: number, p: FetchRequest['partitions'][number]): boolean {
    const partition = this.partitions.get(partitionKey(p));
    if (!partition || partition.role !== 'leader' || (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== partition.leaderEpoch)) return true;
    const end = replicaId >= 0 ? partition.log.logEndOffset : partition.highWatermark;
    return p.fetchOffset < end || p.fetchOffset > partition.log.logEndOffset || p.fetchOffset < partition.log.logStartOffset;
  }

  /** Whether the partition's high watermark or log start moved past what a fetcher knows. */
  hasMovedOn(p: FetchRequest['partitions'][number]): boolean {
    if (p.knownHighWatermark === undefined) return false;
    const partition = this.partitions.get(partitionKey(p));
    if (!partition) return true;
    return partition.highWatermark !== p.knownHighWatermark || (p.knownLogStartOffset !== undefined && partition.log.logStartOffset > p.knownLogStartOffset);
  }

  /** ListOffsets: earliest, latest (high watermark) or the first offset at a time. */
  handleListOffsets(requests: ListOffsetsPartitionRequest[]): ListOffsetsPartitionResponse[] {
    return requests.map((r) => {
      const response = { topic: r.topic, partition: r.partition, error: null as KafkaErrorName | null, timestamp: -1, offset: -1, leaderEpoch: -1 };
      const partition = this.leaderPartition(r.topic, r.partition, response);
      if (!partition) return response;
      if (r.currentLeaderEpoch >= 0 && r.currentLeaderEpoch !== partition.leaderEpoch) {
        response.error = r.currentLeaderEpoch < partition.leaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
        return response;
      }
      response.leaderEpoch = partition.leaderEpoch;
      if (r.timestamp === LATEST_TIMESTAMP) response.offset = partition.highWatermark;
      else if (r.timestamp === EARLIEST_TIMESTAMP) response.offset = partition.log.logStartOffset;
      else if (r.timestamp < 0) response.error = 'INVALID_REQUEST';
      else {
        const found = partition.log.offsetForTimestamp(r.timestamp);
        if (found && found.offset < partition.highWatermark) {
          response.offset = found.offset;
          response.timestamp = found.timestamp;
        }
      }
      return response;
    });
  }

  /** OffsetsForLeaderEpoch: where the requested epoch ends in the leader's log. */
  handleOffsetsForLeaderEpoch(requests: EpochEndOffsetRequest[]): EpochEndOffsetResponse[] {
    return requests.map((r) => {
      const response = { topic: r.topic, partition: r.partition, error: null as KafkaErrorName | null, leaderEpoch: -1, endOffset: -1 };
      const partition = this.leaderPartition(r.topic, r.partition, response);
      if (!partition) return response;
      if (r.currentLeaderEpoch >= 0 && r.currentLeaderEpoch !== partition.leaderEpoch) {
        response.error = r.currentLeaderEpoch < partition.leaderEpoch ? 'FENCED_LEADER_EPOCH' : 'UNKNOWN_LEADER_EPOCH';
        return response;
      }
      const end = partition.log.endOffsetForEpoch(r.leaderEpoch);
      response.leaderEpoch = end.leaderEpoch;
      response.endOffset = end.endOffset;
      return response;
    });
  }

  // ---- Fetcher host ---------------------------------------------------------------------

  sendFetch(leaderId: number, request: FetchRequest, onReply: (response: FetchResponse | null) => void): void {
    const send = (): void =>
      this.env.network.request<FetchResponse>(
        this.id,
        leaderId,
        (respond) => this.env.broker(leaderId)!.handleFetch(request, respond),
        (reply) => onReply(reply.ok ? reply.value : null),
        this.settings.requestTimeoutMs,
      );
    // A slowed follower (the slow-fetches fault) waits before every fetch, as one with a slow
    // disk or link would; its heartbeats are untouched, so it stays registered and unfenced.
    if (this.fetchDelayMs > 0) this.schedule(this.fetchDelayMs, send);
    else send();
  }

  sendEpochQuery(leaderId: number, request: EpochEndOffsetRequest[], onReply: (response: EpochEndOffsetResponse[] | null) => void): void {
    this.env.network.request<EpochEndOffsetResponse[]>(
      this.id,
      leaderId,
      (respond) => respond(this.env.broker(leaderId)!.handleOffsetsForLeaderEpoch(request)),
      (reply) => onReply(reply.ok ? reply.value : null),
      this.settings.requestTimeoutMs,
    );
  }

  onFollowerAppend(partition: Partition, records: number, bytes: number, appended: Buffer): void {
    partition.producerState?.updateFromRecords(appended);
    this.env.stats.appended(partition.topic, partition.partition, this.id, records, bytes, partition.logEndOffset, false);
  }

  onTruncated(partition: Partition, fromOffset: number, toOffset: number): void {
    this.tailCache.drop(partition.key);
    partition.producerState?.truncateTo(toOffset);
    this.env.events.emit({
      type: 'replica.truncated',
      time: this.now(),
      topic: partition.topic,
      partition: partition.partition,
      brokerId: this.id,
      fromOffset,
      toOffset,
      leaderEpoch: partition.leaderEpoch,
    });
  }

  // ---- Idempotent producers ------------------------------------------------------------

  /**
   * The partition's producer state, loaded on first need: the last snapshot, then every batch
   * after it. Partitions that never see an idempotent producer never pay for the scan.
   */
  private producerState(partition: Partition): ProducerStateManager {
    if (partition.producerState) return partition.producerState;
    const state = new ProducerStateManager();
    const log = partition.log;
    const snapshot = this.env.storage.readFile(`${log.dir}/${PRODUCER_SNAPSHOT_FILE}`);
    if (snapshot) {
      try {
        state.load(JSON.parse(snapshot.toString('utf8')));
      } catch {
        // A damaged snapshot: rebuild from the log instead.
      }
    }
    if (state.coveredUpTo > log.logEndOffset) state.truncateTo(log.logEndOffset);
    let offset = Math.max(log.logStartOffset, state.coveredUpTo);
    while (offset < log.logEndOffset) {
      const { records } = log.read(offset, 1 << 20, log.logEndOffset);
      if (records.length === 0) break;
      state.updateFromRecords(records);
      offset = Math.max(offset + 1, state.coveredUpTo);
    }
    state.changed = true;
    partition.producerState = state;
    return state;
  }

  private saveProducerStates(): void {
    for (const partition of this.partitions.values()) {
      const state = partition.producerState;
      if (!state?.changed) continue;
      this.env.storage.writeFileAtomic(`${partition.log.dir}/${PRODUCER_SNAPSHOT_FILE}`, JSON.stringify(state.toJSON()));
      state.changed = false;
    }
  }

  // ---- Housekeeping --------------------------------------------------------------------

  private highWatermarks(): Map<string, number> {
    const map = new Map<string, number>();
    for (const [key, partition] of this.partitions) map.set(key, partition.highWatermark);
    return map;
  }

  /** Saves recovery points, high watermarks and log start offsets (and flushes the logs). */
  checkpoint(): void {
    this.saveProducerStates();
    this.logManager?.checkpoint(this.highWatermarks());
  }

  /**
   * The periodic checkpoint (log.flush.offset.checkpoint.interval.ms), as Kafka's: it records
   * each log's recovery point, high watermark and log start without flushing the logs. Logs are
   * flushed when a segment rolls and on a clean shutdown (log.flush.interval.* default to never),
   * so a crash recovers only what was written since; replication, not fsync, is what keeps
   * acknowledged records. Flushing every log here would cost several fsyncs per written log on
   * the engine's one thread, where Kafka flushes on background threads.
   */
  private periodicCheckpoint(): void {
    this.saveProducerStates();
    this.logManager?.checkpoint(this.highWatermarks(), { flush: false });
  }

  private enforceRetention(): void {
    const now = this.now();
    for (const partition of this.partitions.values()) {
      // Retention applies to topics with the delete policy; compacted ones keep their segments.
      if (!partition.config.cleanupPolicy.includes('delete')) continue;
      const deleted = partition.log.deleteOldSegments(now, partition.highWatermark);
      if (deleted > 0) {
        this.fetchManager.markChanged(partition.key);
        this.env.events.emit({
          type: 'log.segments-deleted',
          time: now,
          topic: partition.topic,
          partition: partition.partition,
          brokerId: this.id,
          segments: deleted,
          logStartOffset: partition.log.logStartOffset,
        });
      }
    }
  }

  /** Runs retention now (the app's "apply retention" and tests). */
  runRetention(): void {
    this.enforceRetention();
  }
}

const EMPTY: Buffer = Buffer.alloc(0);


/** Where a partition's producer state is saved (Kafka keeps `<offset>.snapshot` files). */
const PRODUCER_SNAPSHOT_FILE = 'producer-state.json';

function splitKey(key: string): [string, number] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
