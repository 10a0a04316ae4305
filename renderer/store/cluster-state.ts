/**
 * The window's picture of the cluster and how updates change it: a snapshot replaces it, a
 * delta with the next seq patches it, anything else is a gap (the caller asks for a snapshot).
 * Pure functions over immutable data: changed topics, partitions and brokers get new objects,
 * unchanged ones keep theirs (a partition update replaces that partition and its topic only),
 * so selectors and memoised views skip what did not change. Growing log end
 * offsets become pulses (at most one per replica per PULSE_MIN_GAP_MS), which the map draws.
 */
import { PulseMap } from './pulses';
import type { BrokerSnapshot, ClusterEvent, ClusterRates, ConsumerSnapshot, Fault, GroupSnapshot, HostDelta, HostUpdate, PartitionSnapshot, SteadyProducerStatus, TopicSnapshot } from '../../core/host/contract';

/** Events kept for the activity feed. */
export const MAX_EVENTS = 200;
/** A replica pulses at most this often, so a busy cluster stays readable. */
export const PULSE_MIN_GAP_MS = 250;

/** The cluster part of the store. */
export interface ClusterState {
  /** seq of the last update applied; -1 before the first snapshot. */
  seq: number;
  clusterId: string;
  time: number;
  controllerId: number;
  controllerEpoch: number;
  brokers: BrokerSnapshot[];
  /** In creation order. */
  topics: TopicSnapshot[];
  topicsByName: ReadonlyMap<string, TopicSnapshot>;
  producers: SteadyProducerStatus[];
  rates: ClusterRates;
  /** Newest last. */
  events: ClusterEvent[];
  /** Replica key (`topic|partition|brokerId`) to the time its latest pulse started (the last PULSE_KEEP_MS). */
  pulses: PulseMap;
  /** Snapshot parts the map does not draw yet (consumer groups…), kept current for the views that will. */
  extras: Record<string, unknown>;
  /** Changes when the set of topics, partitions, replicas or brokers changes (the map re-lays out). */
  structureKey: string;
  /** Each group's total lag over time (newest last, at most LAG_POINTS per group, one point a second at most). */
  lagHistory: ReadonlyMap<string, LagPoint[]>;
}

/** A group's total lag and its consumers' consumed count at one moment. */
export interface LagPoint {
  time: number;
  lagRecords: number;
}

/** Points kept per group for the lag chart (five minutes at one a second). */
export const LAG_POINTS = 300;

/** The consumer groups of the snapshot (in-app and remote). */
export function groupsOf(state: Pick<ClusterState, 'extras'>): GroupSnapshot[] {
  return (state.extras.groups as GroupSnapshot[] | undefined) ?? EMPTY_LIST;
}

/** The in-app consumers of the snapshot. */
export function consumersOf(state: Pick<ClusterState, 'extras'>): ConsumerSnapshot[] {
  return (state.extras.consumers as ConsumerSnapshot[] | undefined) ?? EMPTY_LIST;
}

/** The faults active now. */
export function faultsOf(state: Pick<ClusterState, 'extras'>): Fault[] {
  return (state.extras.faults as Fault[] | undefined) ?? EMPTY_LIST;
}

const EMPTY_LIST: never[] = [];

function addLagPoints(history: ReadonlyMap<string, LagPoint[]>, groups: GroupSnapshot[] | undefined, time: number): ReadonlyMap<string, LagPoint[]> {
  if (!groups) return history;
  let next: Map<string, LagPoint[]> | null = null;
  for (const group of groups) {
    const points = history.get(group.groupId) ?? [];
    const last = points[points.length - 1];
    const beforeLast = points[points.length - 2];
    if (last && last.lagRecords === group.lagRecords && time - last.time < 1_000) continue;
    next ??= new Map(history);
    // Points stay at least a second apart; the newest one follows the latest value until the next second starts.
    const kept = beforeLast && last && time - beforeLast.time < 1_000 ? points.slice(0, -1) : points;
    next.set(group.groupId, [...kept.slice(-(LAG_POINTS - 1)), { time, lagRecords: group.lagRecords }]);
  }
  return next ?? history;
}

/** The state before the first snapshot. */
export const EMPTY_CLUSTER: ClusterState = {
  seq: -1,
  clusterId: '',
  time: 0,
  controllerId: -1,
  controllerEpoch: 0,
  brokers: [],
  topics: [],
  topicsByName: new Map(),
  producers: [],
  rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 },
  events: [],
  pulses: PulseMap.EMPTY,
  extras: {},
  structureKey: '',
  lagHistory: new Map(),
};

const DRAWN_FIELDS = new Set(['time', 'clusterId', 'controllerId', 'controllerEpoch', 'metadataOffset', 'brokers', 'topics']);

/** The key of one replica, shared by pulses, the layout and hit testing. */
export function replicaKey(topic: string, partition: number, brokerId: number): string {
  return `${topic}|${partition}|${brokerId}`;
}

/** Applies an update; returns the new state, or 'gap' when a delta does not follow the last seq. */
export function applyUpdate(state: ClusterState, update: HostUpdate, now: number): ClusterState | 'gap' {
  if (update.type === 'snapshot') {
    const topics = update.cluster.topics;
    return {
      seq: update.seq,
      clusterId: update.cluster.clusterId,
      time: update.cluster.time,
      controllerId: update.cluster.controllerId,
      controllerEpoch: update.cluster.controllerEpoch,
      brokers: update.cluster.brokers,
      topics,
      topicsByName: new Map(topics.map((topic) => [topic.name, topic])),
      producers: update.producers,
      rates: update.rates,
      events: update.recentEvents.slice(-MAX_EVENTS),
      pulses: PulseMap.EMPTY,
      extras: Object.fromEntries(Object.entries(update.cluster).filter(([name]) => !DRAWN_FIELDS.has(name))),
      structureKey: structureKey(update.cluster.brokers, topics),
      lagHistory: addLagPoints(state.lagHistory, update.cluster.groups, update.cluster.time),
    };
  }
  if (state.seq < 0 || update.seq <= state.seq) return state;
  if (update.seq !== state.seq + 1) return 'gap';
  const brokers = update.brokers ?? state.brokers;
  const changes = applyTopicChanges(state, update, now);
  // A delta about a topic or partition the window does not have cannot follow what it shows.
  if (changes === 'gap') return 'gap';
  const { topics, topicsByName, pulses } = changes ?? state;
  const events = update.events.length > 0 ? [...state.events, ...update.events].slice(-MAX_EVENTS) : state.events;
  // The key covers every replica of the cluster: rebuilt only when topics, partitions' replicas or broker ids may have changed.
  const brokerIdsChanged = brokers !== state.brokers && !sameNumbers(brokers.map((b) => b.id), state.brokers.map((b) => b.id));
  const structure = changes?.structureChanged || brokerIdsChanged ? structureKey(brokers, topics) : state.structureKey;
  return {
    ...state,
    seq: update.seq,
    time: update.time,
    controllerId: update.controllerId,
    controllerEpoch: update.controllerEpoch,
    brokers,
    topics,
    topicsByName,
    producers: update.producers ?? state.producers,
    rates: update.rates,
    events,
    pulses,
    extras: update.extras ? { ...state.extras, ...update.extras } : state.extras,
    structureKey: structure === state.structureKey ? state.structureKey : structure,
    lagHistory: addLagPoints(state.lagHistory, update.extras?.groups ?? (state.extras.groups as GroupSnapshot[] | undefined), update.time),
  };
}

/** The topic part of the state after a delta, and whether the map's structure may have changed. */
interface TopicChanges {
  topics: TopicSnapshot[];
  topicsByName: ReadonlyMap<string, TopicSnapshot>;
  pulses: PulseMap;
  structureChanged: boolean;
}

/**
 * Applies a delta's removed topics, whole topics and partition updates, in that order (the
 * contract's). Only changed topics and partitions get new objects; the list is re-sorted only
 * when topics come or go, so a delta touching many topics costs what it carries, not what the
 * cluster holds. Returns null when the delta has no topic changes, 'gap' when it names a
 * topic or partition the window does not have.
 */
function applyTopicChanges(state: ClusterState, update: HostDelta, now: number): TopicChanges | null | 'gap' {
  const removed = update.removedTopics ?? [];
  const whole = update.topics ?? [];
  const partial = update.partitions ?? [];
  if (removed.length === 0 && whole.length === 0 && partial.length === 0) return null;
  const byName = new Map(state.topicsByName);
  const grown: string[] = [];
  let reorder = false;
  let structureChanged = false;
  for (const name of removed) if (byName.delete(name)) reorder = structureChanged = true;
  for (const topic of whole) {
    const previous = byName.get(topic.name);
    if (!previous || previous.sequence !== topic.sequence) reorder = true;
    if (!previous || !sameLayout(previous, topic)) structureChanged = true;
    if (previous && previous.topicId === topic.topicId) {
      for (const partition of topic.partitions) {
        const before = previous.partitions[partition.partition];
        if (before) growPulses(topic.name, before, partition, state.pulses, grown, now);
      }
    }
    byName.set(topic.name, topic);
  }
  for (const change of partial) {
    const previous = byName.get(change.topic);
    if (!previous) return 'gap';
    const partitions = [...previous.partitions];
    for (const partition of change.partitions) {
      const before = partitions[partition.partition];
      if (!before) return 'gap';
      if (!sameNumbers(before.replicas, partition.replicas)) structureChanged = true;
      growPulses(change.topic, before, partition, state.pulses, grown, now);
      partitions[partition.partition] = partition;
    }
    byName.set(change.topic, { ...previous, partitions });
  }
  const topics = reorder ? [...byName.values()].sort((a, b) => a.sequence - b.sequence) : state.topics.map((topic) => byName.get(topic.name)!);
  return { topics, topicsByName: byName, pulses: state.pulses.with(grown, now), structureChanged };
}

/** Whether two versions of a topic put the same replicas on the map (the layout's input). */
function sameLayout(a: TopicSnapshot, b: TopicSnapshot): boolean {
  if (a.partitions.length !== b.partitions.length) return false;
  for (let i = 0; i < a.partitions.length; i++) if (!sameNumbers(a.partitions[i].replicas, b.partitions[i].replicas)) return false;
  return true;
}

function sameNumbers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Collects a pulse for every replica of the partition whose log end offset grew (and may pulse again). */
function growPulses(topic: string, before: PartitionSnapshot, after: PartitionSnapshot, pulses: ReadonlyMap<string, number>, grown: string[], now: number): void {
  for (const replica of after.replicaStates) {
    const old = before.replicaStates.find((r) => r.brokerId === replica.brokerId);
    if (!old || replica.logEndOffset <= old.logEndOffset) continue;
    const key = replicaKey(topic, after.partition, replica.brokerId);
    if (now - (pulses.get(key) ?? -Infinity) >= PULSE_MIN_GAP_MS) grown.push(key);
  }
}

/** A text that changes exactly when the map's layout must change. */
export function structureKey(brokers: BrokerSnapshot[], topics: TopicSnapshot[]): string {
  const parts: string[] = [brokers.map((b) => b.id).join(',')];
  for (const topic of topics) {
    parts.push(`${topic.name}:${topic.partitions.map((p) => p.replicas.join('.')).join('/')}`);
  }
  return parts.join(';');
}

/** The header's counts for one topic, remembered per topic object (a delta replaces only the topics it changes). */
interface TopicHealth {
  partitions: number;
  underReplicated: number;
  offline: number;
}

const topicHealth = new WeakMap<TopicSnapshot, TopicHealth>();
let lastHealth: { topics: TopicSnapshot[]; health: TopicHealth } | null = null;

function healthOf(topic: TopicSnapshot): TopicHealth {
  let health = topicHealth.get(topic);
  if (health) return health;
  health = { partitions: topic.partitions.length, underReplicated: 0, offline: 0 };
  for (const partition of topic.partitions) {
    if (partition.offline) health.offline++;
    else if (partition.underReplicated) health.underReplicated++;
  }
  topicHealth.set(topic, health);
  return health;
}

/**
 * Counts the UI shows in the header. Selectors call it on every store change (hovering
 * included), so it is remembered for the last topic list and, per topic, for each topic object.
 */
export function clusterHealth(state: Pick<ClusterState, 'topics'>): { partitions: number; underReplicated: number; offline: number } {
  if (lastHealth?.topics === state.topics) return { ...lastHealth.health };
  const health = { partitions: 0, underReplicated: 0, offline: 0 };
  for (const topic of state.topics) {
    const counts = healthOf(topic);
    health.partitions += counts.partitions;
    health.underReplicated += counts.underReplicated;
    health.offline += counts.offline;
  }
  lastHealth = { topics: state.topics, health };
  return { ...health };
}
