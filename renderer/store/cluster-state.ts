/**
 * The window's picture of the cluster and how updates change it: a snapshot replaces it, a
 * delta with the next seq patches it, anything else is a gap (the caller asks for a snapshot).
 * Pure functions over immutable data: changed topics and brokers get new objects, unchanged
 * ones keep theirs, so selectors and memoised views skip what did not change. Growing log end
 * offsets become pulses (at most one per replica per PULSE_MIN_GAP_MS), which the map draws.
 */
import type { BrokerSnapshot, ClusterEvent, ClusterRates, ConsumerSnapshot, Fault, GroupSnapshot, HostUpdate, SteadyProducerStatus, TopicSnapshot } from '../../core/host/contract';

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
  /** Replica key (`topic|partition|brokerId`) to the time its latest pulse started. */
  pulses: ReadonlyMap<string, number>;
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
  pulses: new Map(),
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
      pulses: new Map(),
      extras: Object.fromEntries(Object.entries(update.cluster).filter(([name]) => !DRAWN_FIELDS.has(name))),
      structureKey: structureKey(update.cluster.brokers, topics),
      lagHistory: addLagPoints(state.lagHistory, update.cluster.groups, update.cluster.time),
    };
  }
  if (state.seq < 0 || update.seq <= state.seq) return state;
  if (update.seq !== state.seq + 1) return 'gap';
  let topics = state.topics;
  let topicsByName = state.topicsByName;
  let pulses = state.pulses;
  if (update.topics || update.removedTopics) {
    const byName = new Map(state.topicsByName);
    const changedPulses = new Map(state.pulses);
    for (const name of update.removedTopics ?? []) byName.delete(name);
    for (const topic of update.topics ?? []) {
      const previous = byName.get(topic.name);
      if (previous) addPulses(previous, topic, changedPulses, now);
      byName.set(topic.name, topic);
    }
    topicsByName = byName;
    topics = [...byName.values()].sort((a, b) => a.sequence - b.sequence);
    pulses = prunePulses(changedPulses, now);
  }
  const brokers = update.brokers ?? state.brokers;
  const events = update.events.length > 0 ? [...state.events, ...update.events].slice(-MAX_EVENTS) : state.events;
  const structure = topics !== state.topics || brokers !== state.brokers ? structureKey(brokers, topics) : state.structureKey;
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

/** Records a pulse for every replica whose log end offset grew. */
function addPulses(previous: TopicSnapshot, next: TopicSnapshot, pulses: Map<string, number>, now: number): void {
  for (const partition of next.partitions) {
    const before = previous.partitions[partition.partition];
    if (!before) continue;
    for (const replica of partition.replicaStates) {
      const old = before.replicaStates.find((r) => r.brokerId === replica.brokerId);
      if (!old || replica.logEndOffset <= old.logEndOffset) continue;
      const key = replicaKey(next.name, partition.partition, replica.brokerId);
      const last = pulses.get(key) ?? -Infinity;
      if (now - last >= PULSE_MIN_GAP_MS) pulses.set(key, now);
    }
  }
}

/** Drops pulses that ended long ago, so the map stays small. */
function prunePulses(pulses: Map<string, number>, now: number): Map<string, number> {
  for (const [key, time] of pulses) if (now - time > 2_000) pulses.delete(key);
  return pulses;
}

/** A text that changes exactly when the map's layout must change. */
export function structureKey(brokers: BrokerSnapshot[], topics: TopicSnapshot[]): string {
  const parts: string[] = [brokers.map((b) => b.id).join(',')];
  for (const topic of topics) {
    parts.push(`${topic.name}:${topic.partitions.map((p) => p.replicas.join('.')).join('/')}`);
  }
  return parts.join(';');
}

/** Counts the UI shows in the header. */
export function clusterHealth(state: Pick<ClusterState, 'topics'>): { partitions: number; underReplicated: number; offline: number } {
  let partitions = 0;
  let underReplicated = 0;
  let offline = 0;
  for (const topic of state.topics) {
    for (const partition of topic.partitions) {
      partitions++;
      if (partition.offline) offline++;
      else if (partition.underReplicated) underReplicated++;
    }
  }
  return { partitions, underReplicated, offline };
}
