/**
 * Where the window's picture comes from (the embedded cluster or an attached external one) and
 * what that allows: which controls a read-only connection disables, and which features an
 * external cluster cannot offer (each with the host's sentence saying why). Pure functions of
 * the snapshot's `source`, so views and tests read the same rules.
 */
import type { ClusterSourceInfo, EMBEDDED_ONLY_COMMANDS, GroupSnapshot, ReplicaSnapshot, UnobservableFeature, WRITE_COMMANDS } from '../../core/host/contract';
import type { ClusterState } from './cluster-state';
import { formatCount, formatExact, formatRelative } from '../components/format';

/** A command that changes a cluster's data (refused on a read-only connection). */
export type WriteCommand = (typeof WRITE_COMMANDS)[number];
/** A command that drives the embedded cluster itself. */
export type EmbeddedOnlyCommand = (typeof EMBEDDED_ONLY_COMMANDS)[number];

/**
 * The source before the first snapshot, and for snapshots from hosts older than the source
 * field: the embedded cluster, with everything available. (The renderer imports only types
 * from the engine, so this mirrors core/view/snapshot.ts's EMBEDDED_SOURCE.)
 */
export const EMBEDDED: ClusterSourceInfo = {
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

/** The source of the picture the window shows now. */
export function sourceOf(state: Pick<ClusterState, 'extras'>): ClusterSourceInfo {
  return (state.extras.source as ClusterSourceInfo | undefined) ?? EMBEDDED;
}

/** What each write does, in words, for the sentence on a disabled control. */
const WRITE_WORDS: Record<WriteCommand, string> = {
  createTopic: 'creating topics',
  deleteTopic: 'deleting topics',
  createPartitions: 'adding partitions',
  alterTopicConfigs: 'editing topic configs',
  resetGroupOffsets: 'resetting group offsets',
  produce: 'producing records',
  startProducer: 'starting a steady producer',
};

/** Why a write is refused here (the sentence shown on the disabled control), or null when it is allowed. */
export function writeBlockedReason(source: ClusterSourceInfo, command: WriteCommand): string | null {
  if (!source.readOnly) return null;
  const words = WRITE_WORDS[command];
  return `${source.name} is a read-only connection: ${words} and every other write are turned off. Edit the connection to allow writes.`;
}

/** Which unobservable feature each embedded-only command belongs to. */
export const FEATURE_OF_COMMAND: Record<EmbeddedOnlyCommand, UnobservableFeature> = {
  stopBroker: 'faults',
  startBroker: 'faults',
  addBroker: 'faults',
  isolateBroker: 'faults',
  slowFollower: 'faults',
  clearFault: 'faults',
  clearAllFaults: 'faults',
  electPreferredLeaders: 'reassignment',
  reassignPartition: 'reassignment',
  cancelReassignment: 'reassignment',
  createConsumerGroup: 'app-consumers',
  addGroupMember: 'app-consumers',
  memberAction: 'app-consumers',
  setGroupRate: 'app-consumers',
  startScenario: 'app-consumers',
  stopScenario: 'app-consumers',
};

/**
 * Sentences for an external source that does not list a feature (a host that forgot one must
 * not leave a control that can only fail): what a Kafka client cannot do, said plainly. Null for
 * a feature that depends on the cluster, which is unavailable only where the host lists it.
 */
const FALLBACK_REASONS: Record<UnobservableFeature, string | null> = {
  'follower-log-end-offset': 'A Kafka client sees only the leader’s log end and the high watermark; a follower’s own log end offset is known only inside the brokers.',
  faults: 'Brokers of an external cluster cannot be stopped, started, added, isolated or slowed from a Kafka client.',
  reassignment: 'Reassigning replicas and electing preferred leaders are not offered for an external cluster.',
  'app-consumers': 'In-app consumer groups and guided scenarios drive the embedded cluster only.',
  clients: 'Which clients are connected to each broker is known only inside the brokers.',
  // Most clusters serve DescribeGroups; the host lists this only for one that does not.
  'group-members': null,
};

/** Why a feature is not available on this source (the host's sentence), or null when it is. */
export function unavailableReason(source: ClusterSourceInfo, feature: UnobservableFeature): string | null {
  const listed = source.unavailable.find((entry) => entry.feature === feature);
  if (listed) return listed.reason;
  if (source.kind === 'embedded') return null;
  return FALLBACK_REASONS[feature];
}

/** Why an embedded-only command is not available on this source, or null when it is. */
export function commandUnavailableReason(source: ClusterSourceInfo, command: EmbeddedOnlyCommand): string | null {
  return unavailableReason(source, FEATURE_OF_COMMAND[command]);
}

/** Whether a replica's log end offset is known (an external cluster's followers report -1). */
export function logEndKnown(replica: Pick<ReplicaSnapshot, 'logEndOffset'>): boolean {
  return replica.logEndOffset >= 0;
}

/**
 * Whether a group's state, generation and members are known: not on a cluster that does not
 * serve DescribeGroups, which shows a group from its committed offsets alone (state 'Unknown').
 */
export function groupDescribed(group: Pick<GroupSnapshot, 'state'>): boolean {
  return group.state !== 'Unknown';
}

/** The poll status line of an external source: "polled 3 s ago every 2 s", or the failure; with the exact time for hover. */
export function pollStatus(source: ClusterSourceInfo, now: number): { text: string; title: string; failing: boolean } | null {
  if (source.kind !== 'external') return null;
  const every = source.pollIntervalMs !== null ? ` every ${formatSeconds(source.pollIntervalMs)}` : '';
  const last = source.lastRefreshAt !== null ? `Last poll finished ${formatExact(source.lastRefreshAt)}${source.lastRefreshMs !== null ? ` and took ${formatCount(source.lastRefreshMs)} ms` : ''}.` : 'No poll has finished yet.';
  const title = `${last} Metadata, offsets and groups are read from ${source.bootstrap ?? 'the cluster'}${every}.`;
  if (source.error) return { text: source.error, title: `${source.error}\n${title}`, failing: true };
  if (source.lastRefreshAt === null) return { text: `connecting${every ? `, polling${every}` : ''}…`, title, failing: false };
  return { text: `polled ${formatRelative(source.lastRefreshAt, now)}${every}`, title, failing: false };
}

/** 2000 → "2 s", 500 → "0.5 s", 90000 → "90 s". */
function formatSeconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}
