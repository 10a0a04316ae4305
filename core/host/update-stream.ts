/**
 * Turns the cluster into the window's update stream: a snapshot, then numbered deltas of what
 * changed, at most MAX_UPDATES_PER_SECOND. Deltas come from comparing snapshots rather than
 * replaying events, so the window never re-implements the engine's rules and cannot drift
 * from it. Topics go at two grains: whole when created or changed at the topic level (configs,
 * partition count...), otherwise only their changed partitions, so a large cluster whose high
 * watermarks move everywhere sends what moved. Work is proportional to activity: an idle
 * cluster is compared only when an event says something happened; while records flow, it is
 * compared every interval so log end offsets and high watermarks move on screen within one
 * interval of the append.
 */
import type { ClusterEvent } from '../events';
import type { Scheduler, Timer } from '../time/scheduler';
import type { BrokerSnapshot, ClusterSnapshot, PartitionSnapshot, TopicSnapshot } from '../view/snapshot';
import { MAX_UPDATES_PER_SECOND, type ClusterRates, type HostDelta, type HostSnapshot, type SteadyProducerStatus, type TopicPartitionsDelta } from './contract';

/** Events kept for a new window's context. */
const RECENT_EVENTS = 50;
/** How long after the last append the stream keeps comparing every interval. */
const ACTIVE_WINDOW_MS = 1_000;
/** A safety comparison while idle, for state that changes without an event (a broker finishing its start). */
const IDLE_CHECK_MS = 1_000;

/** Snapshot fields compared one by one; every other field is compared and sent whole (extras). */
const DIFFED_FIELDS = new Set(['time', 'clusterId', 'controllerId', 'controllerEpoch', 'metadataOffset', 'brokers', 'topics']);

/**
 * What the stream observes: the embedded Cluster, or an attached external cluster's poller.
 * Any source that can snapshot itself, announce its events, tell the time and count produced
 * records will do.
 */
export interface SnapshotSource {
  readonly scheduler: Scheduler;
  snapshot(): ClusterSnapshot;
  on(listener: (event: ClusterEvent) => void): () => void;
  /** Records and bytes produced so far (rates come from their change). */
  readonly totals: { records: number; bytes: number };
}

/** Where the stream's facts come from besides the cluster. */
export interface UpdateSources {
  producers(): SteadyProducerStatus[];
}

export class UpdateStream {
  private seq = 0;
  private brokers: BrokerSnapshot[] = [];
  private topics = new Map<string, TopicSnapshot>();
  private producersKey = '';
  private readonly extrasKeys = new Map<string, string>();
  private pendingEvents: ClusterEvent[] = [];
  private readonly recentEvents: ClusterEvent[] = [];
  private timer: Timer | null = null;
  private lastFlush = -Infinity;
  private activeUntil = -Infinity;
  private readonly intervalMs: number;
  /** The interval in force: longer while snapshots are expensive, so the stream never takes over the engine's thread. */
  private currentIntervalMs: number;
  private readonly listeners = new Set<(update: HostSnapshot | HostDelta) => void>();
  private readonly rateWindow: { time: number; records: number; bytes: number }[] = [];
  private closed = false;
  private readonly unsubscribe: () => void;
  /** The snapshot the last comparison was made against (the timeline records it). */
  lastSnapshot: ClusterSnapshot | null = null;

  constructor(
    private readonly cluster: SnapshotSource,
    private readonly sources: UpdateSources,
    updatesPerSecond = MAX_UPDATES_PER_SECOND,
  ) {
    this.intervalMs = Math.ceil(1000 / Math.min(updatesPerSecond, MAX_UPDATES_PER_SECOND));
    this.currentIntervalMs = this.intervalMs;
    const snapshot = cluster.snapshot();
    this.brokers = snapshot.brokers;
    for (const topic of snapshot.topics) this.topics.set(topic.name, topic);
    this.unsubscribe = cluster.on((event) => this.onEvent(event));
    this.scheduleIdleCheck();
  }

  /** Subscribes to deltas; returns the unsubscribe function. */
  onUpdate(listener: (update: HostSnapshot | HostDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The full state now, consistent with the deltas that follow it (pending changes are flushed first). */
  snapshot(): HostSnapshot {
    this.flush();
    const cluster = this.cluster.snapshot();
    for (const [name, value] of Object.entries(cluster)) if (!DIFFED_FIELDS.has(name)) this.extrasKeys.set(name, JSON.stringify(value));
    return {
      type: 'snapshot',
      seq: this.seq,
      // Creation order, as the window keeps it (a topic created again under its name moves to the end).
      cluster: { ...cluster, brokers: this.brokers, topics: [...this.topics.values()].sort((a, b) => a.sequence - b.sequence) },
      producers: this.sources.producers(),
      rates: this.rates(cluster.time),
      recentEvents: [...this.recentEvents],
    };
  }

  /** Asks for a delta soon (a command changed something). */
  markChanged(): void {
    this.schedule();
  }

  /** Stops the stream. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.unsubscribe();
  }

  private onEvent(event: ClusterEvent): void {
    if (event.type === 'records.appended') {
      this.activeUntil = event.time + ACTIVE_WINDOW_MS;
    } else if (event.type !== 'high-watermark.advanced') {
      this.pendingEvents.push(event);
      this.recentEvents.push(event);
      if (this.recentEvents.length > RECENT_EVENTS) this.recentEvents.shift();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    const now = this.cluster.scheduler.now();
    const delay = Math.max(0, this.lastFlush + this.currentIntervalMs - now);
    this.timer = this.cluster.scheduler.schedule(delay, () => {
      this.timer = null;
      this.flush();
      // While records flow, log end offsets move without events: keep comparing.
      if (this.cluster.scheduler.now() < this.activeUntil) this.schedule();
    });
  }

  private scheduleIdleCheck(): void {
    if (this.closed) return;
    this.cluster.scheduler.schedule(IDLE_CHECK_MS, () => {
      this.schedule();
      this.scheduleIdleCheck();
    });
  }

  /** Compares the cluster with the last state sent and emits a delta when anything differs. */
  private flush(): void {
    if (this.closed) return;
    const started = performance.now();
    const snapshot = this.cluster.snapshot();
    this.lastSnapshot = snapshot;
    // Keep comparing to at most about a quarter of the engine's time (thousands of partitions
    // take milliseconds to snapshot): a slower update rate beats a slower cluster.
    this.currentIntervalMs = Math.max(this.intervalMs, Math.min(250, Math.round((performance.now() - started) * 4)));
    this.lastFlush = snapshot.time;
    const delta: HostDelta = {
      type: 'delta',
      seq: this.seq + 1,
      time: snapshot.time,
      controllerId: snapshot.controllerId,
      controllerEpoch: snapshot.controllerEpoch,
      metadataOffset: snapshot.metadataOffset,
      rates: this.rates(snapshot.time),
      events: this.pendingEvents,
    };
    let changed = this.pendingEvents.length > 0;
    this.pendingEvents = [];
    if (!sameList(this.brokers, snapshot.brokers, sameBroker)) {
      delta.brokers = snapshot.brokers;
      this.brokers = snapshot.brokers;
      changed = true;
    }
    const { topics, partitions, removed } = this.compareTopics(snapshot.topics);
    if (topics.length > 0) delta.topics = topics;
    if (partitions.length > 0) delta.partitions = partitions;
    if (removed.length > 0) delta.removedTopics = removed;
    if (topics.length > 0 || partitions.length > 0 || removed.length > 0) changed = true;
    for (const [name, value] of Object.entries(snapshot)) {
      if (DIFFED_FIELDS.has(name)) continue;
      const key = JSON.stringify(value);
      if (this.extrasKeys.get(name) === key) continue;
      this.extrasKeys.set(name, key);
      delta.extras = { ...delta.extras, [name]: value };
      changed = true;
    }
    const producers = this.sources.producers();
    const producersKey = JSON.stringify(producers);
    if (producersKey !== this.producersKey) {
      this.producersKey = producersKey;
      delta.producers = producers;
      changed = true;
    }
    if (!changed) return;
    this.seq = delta.seq;
    for (const listener of this.listeners) listener(delta);
  }

  /**
   * Compares the topics with the last ones sent and remembers the new ones: a topic created or
   * changed at the topic level goes whole, one with only partition-level changes sends just the
   * partitions that changed (a busy large cluster touches most topics, but few of their
   * partitions, in every interval).
   */
  private compareTopics(next: TopicSnapshot[]): { topics: TopicSnapshot[]; partitions: TopicPartitionsDelta[]; removed: string[] } {
    const topics: TopicSnapshot[] = [];
    const partitions: TopicPartitionsDelta[] = [];
    const seen = new Set<string>();
    for (const topic of next) {
      seen.add(topic.name);
      const previous = this.topics.get(topic.name);
      if (previous === topic) continue;
      if (!previous || !sameTopicFields(previous, topic)) {
        topics.push(topic);
      } else {
        const changed = changedPartitions(previous, topic);
        if (changed.length === 0) continue;
        partitions.push({ topic: topic.name, partitions: changed });
      }
      this.topics.set(topic.name, topic);
    }
    const removed: string[] = [];
    for (const name of this.topics.keys()) if (!seen.has(name)) removed.push(name);
    for (const name of removed) this.topics.delete(name);
    return { topics, partitions, removed };
  }

  /** Produced records and bytes per second over the last second, from the cluster's totals. */
  private rates(now: number): ClusterRates {
    const totals = this.cluster.totals;
    const window = this.rateWindow;
    window.push({ time: now, records: totals.records, bytes: totals.bytes });
    while (window.length > 2 && window[1].time <= now - 1000) window.shift();
    const first = window[0];
    const seconds = Math.max((now - first.time) / 1000, 0.001);
    if (now - first.time < 100) return { recordsInPerSecond: 0, bytesInPerSecond: 0 };
    return {
      recordsInPerSecond: Math.round((totals.records - first.records) / seconds),
      bytesInPerSecond: Math.round((totals.bytes - first.bytes) / seconds),
    };
  }
}

function sameList<T>(a: T[], b: T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
  return true;
}

function sameNumbers(a: number[], b: number[]): boolean {
  return sameList(a, b, (x, y) => x === y);
}

function sameBroker(a: BrokerSnapshot, b: BrokerSnapshot): boolean {
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.alive === b.alive &&
    a.fenced === b.fenced &&
    a.isolated === b.isolated &&
    a.slowMs === b.slowMs &&
    a.fetchDelayMs === b.fetchDelayMs &&
    a.controller === b.controller &&
    a.brokerEpoch === b.brokerEpoch &&
    a.replicaCount === b.replicaCount &&
    a.leaderCount === b.leaderCount
  );
}

function samePartition(a: PartitionSnapshot, b: PartitionSnapshot): boolean {
  if (
    a.partition !== b.partition ||
    a.leader !== b.leader ||
    a.leaderEpoch !== b.leaderEpoch ||
    a.offline !== b.offline ||
    a.underReplicated !== b.underReplicated ||
    a.highWatermark !== b.highWatermark ||
    a.logStartOffset !== b.logStartOffset ||
    a.logEndOffset !== b.logEndOffset ||
    !sameNumbers(a.replicas, b.replicas) ||
    !sameNumbers(a.isr, b.isr) ||
    !sameNumbers(a.addingReplicas ?? [], b.addingReplicas ?? []) ||
    !sameNumbers(a.removingReplicas ?? [], b.removingReplicas ?? [])
  ) {
    return false;
  }
  return sameList(
    a.replicaStates,
    b.replicaStates,
    (x, y) =>
      x.brokerId === y.brokerId &&
      x.logEndOffset === y.logEndOffset &&
      x.inSync === y.inSync &&
      x.leader === y.leader &&
      x.preferred === y.preferred &&
      x.lagRecords === y.lagRecords &&
      x.brokerAlive === y.brokerAlive,
  );
}

/**
 * Whether two snapshots of a topic agree on everything but their partitions' contents: what
 * makes a delta send the topic whole (configs compared as text).
 */
function sameTopicFields(a: TopicSnapshot, b: TopicSnapshot): boolean {
  return (
    a.name === b.name &&
    a.topicId === b.topicId &&
    a.internal === b.internal &&
    a.sequence === b.sequence &&
    a.replicationFactor === b.replicationFactor &&
    a.partitions.length === b.partitions.length &&
    JSON.stringify(a.configs) === JSON.stringify(b.configs)
  );
}

/** The partitions of `next` that differ from `previous` (same topic-level fields). */
function changedPartitions(previous: TopicSnapshot, next: TopicSnapshot): PartitionSnapshot[] {
  const changed: PartitionSnapshot[] = [];
  for (let i = 0; i < next.partitions.length; i++) {
    const partition = next.partitions[i];
    if (partition !== previous.partitions[i] && !samePartition(previous.partitions[i], partition)) changed.push(partition);
  }
  return changed;
}

/** Whether two snapshots of a topic show the same thing (configs compared as text). */
export function sameTopic(a: TopicSnapshot, b: TopicSnapshot): boolean {
  return sameTopicFields(a, b) && sameList(a.partitions, b.partitions, samePartition);
}
