/**
 * The one contract between the host (which owns the cluster) and any window drawing it: the
 * commands with their arguments and results, and the updates (a snapshot, then numbered
 * deltas). Everything here is plain data that survives structured cloning and JSON. The
 * renderer imports only types from this file; the transports (Electron IPC, the browser
 * host's WebSocket) import its few constants.
 */
import type { ClusterEvent, Fault } from '../events';
import type { AppGroupSpec, MemberAction } from './app-groups';
import type { AssignorName } from '../group/assignors';
import type { ScenarioId, ScenarioStatus } from './scenarios';
import type { KafkaErrorName } from '../protocol/errors';
import type { BrokerSnapshot, ClusterSnapshot, ClusterSourceInfo, PartitionSnapshot, TopicSnapshot, UnobservableFeature } from '../view/snapshot';

export type { BrokerSnapshot, ClusterSnapshot, TopicSnapshot, ClusterEvent, KafkaErrorName, ClusterSourceInfo, UnobservableFeature };
export type { PartitionSnapshot, ReplicaSnapshot } from '../view/snapshot';
export type { GroupSnapshot, GroupMemberSnapshot, GroupOffsetSnapshot } from '../group/snapshot';
export type { ConsumerSnapshot } from '../client/consumer';
export type { Fault, AppGroupSpec, MemberAction, AssignorName, ScenarioId, ScenarioStatus };

/** acks as Kafka's producers spell it: 0 (none), 1 (leader), -1 (all in-sync replicas). */
export type AcksSetting = 0 | 1 | -1;

/** A topic as the create form describes it. */
export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Kafka's topic configs by name, e.g. `min.insync.replicas`, `retention.ms`. */
  configs: Record<string, string>;
}

/** A record header as typed by a person (UTF-8 text). */
export interface DraftHeader {
  key: string;
  value: string | null;
}

/** A record to send, as typed or imported: text key and value, optional partition. */
export interface DraftRecord {
  key: string | null;
  value: string | null;
  headers: DraftHeader[];
  /** null: the partitioner chooses (murmur2 of the key, or sticky for keyless records). */
  partition: number | null;
}

/** Arguments of `produce`: records sent `repeat` times, templates expanded per record. */
export interface ProduceArgs {
  topic: string;
  records: DraftRecord[];
  acks: AcksSetting;
  /** Sends the records this many times (send N); default 1. */
  repeat?: number;
  /** Expands `{{seq}}`, `{{uuid}}`, `{{time}}`, `{{timestamp}}` and `{{random}}` in keys and values. */
  expandTemplates?: boolean;
}

/** Where the records of one partition landed. */
export interface PartitionPlacement {
  partition: number;
  firstOffset: number;
  lastOffset: number;
  records: number;
}

/** What a produce did: every partition written and the last record's place. */
export interface ProduceOutcome {
  topic: string;
  records: number;
  /** The last record's partition and offset (offset -1 with acks=0: brokers do not say). */
  partition: number;
  offset: number;
  /** The last record's timestamp (CreateTime: when the producer sent it to the leader). */
  timestamp: number;
  placements: PartitionPlacement[];
}

/** A steady producer's settings: records per second with templated keys and values. */
export interface SteadyProducerSpec {
  topic: string;
  recordsPerSecond: number;
  key: string | null;
  value: string;
  acks: AcksSetting;
}

/** A running steady producer, as the host reports it. */
export interface SteadyProducerStatus extends SteadyProducerSpec {
  id: string;
  startedAt: number;
  sentRecords: number;
  failedRecords: number;
  /** The last error as `NAME: sentence`, or null. */
  lastError: string | null;
}

/** Bytes as carried to the window: UTF-8 text when it decodes cleanly, else base64. */
export type CarriedBytes = { text: string; base64?: undefined } | { base64: string; text?: undefined };

/** A record as the message browser shows it. */
export interface BrowsedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: CarriedBytes | null;
  value: CarriedBytes | null;
  /** The value's full size in bytes (the carried value may be cut to keep pages small). */
  valueBytes: number;
  valueTruncated: boolean;
  headers: { key: string; value: CarriedBytes | null }[];
}

/** One page of a partition's records. */
export interface RecordPage {
  topic: string;
  partition: number;
  records: BrowsedRecord[];
  /** The offset after the last record returned (where the next page starts). */
  nextOffset: number;
  logStartOffset: number;
  highWatermark: number;
}

/** Where to start: the first offset, the end, or the first record at or after a time. */
export type OffsetPosition = 'earliest' | 'latest' | { timestamp: number };

/** A topic config with its value and whether it is the default. */
export interface TopicConfigEntry {
  name: string;
  value: string;
  isDefault: boolean;
  doc: string;
}

/** Where a group's committed offsets move to (the group must have no members). */
export type OffsetResetSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number }
  /** The first offset whose timestamp is at or after this time (ms since the epoch); the end when none is. */
  | { kind: 'timestamp'; timestamp: number }
  /** The committed offset (or the earliest when none) moved by `by`, clamped to the log's range. */
  | { kind: 'shift'; by: number };

/** SASL mechanisms a connection can authenticate with. */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** A connection to an external cluster as the connection form edits it. */
export interface ConnectionDraft {
  /** Absent for a new connection. */
  id?: string;
  name: string;
  /** `host:port` pairs separated by commas. */
  bootstrapServers: string;
  clientId: string;
  tls: {
    enabled: boolean;
    /** A PEM file with the certificate authorities to trust (null: the system's). */
    caFile: string | null;
    /** Whether the server's certificate must verify (off only for test clusters). */
    rejectUnauthorized: boolean;
  };
  sasl: {
    mechanism: SaslMechanism;
    username: string;
    /** Write-only: the window never receives it; null keeps the stored password. */
    password: string | null;
  } | null;
  /** Refuse every write (create, delete, produce, configs, offsets) on this cluster. */
  readOnly: boolean;
  /** How often the cluster is polled for changes, in ms (default 2,000). */
  pollIntervalMs: number;
  /**
   * Consumer group ids to show even when the cluster will not list them (it does not serve
   * ListGroups, or an ACL denies it while allowing the group's own reads); polled beside the
   * listed groups. Empty in connections saved before this field existed.
   */
  watchedGroups: string[];
}

/** A saved connection as the window sees it: never its secrets. */
export interface ConnectionSummary extends Omit<ConnectionDraft, 'id' | 'sasl'> {
  id: string;
  sasl: { mechanism: SaslMechanism; username: string; hasPassword: boolean } | null;
  /** Whether the stored secret is encrypted by the platform (false: kept in a file only this user can read). */
  secretsEncrypted: boolean;
}

/**
 * A connection with its secret resolved, as the host that polls the cluster receives it.
 * It stays in the processes that own the cluster connection and never reaches a window.
 */
export interface ResolvedConnection extends Omit<ConnectionDraft, 'id' | 'sasl'> {
  id: string;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
}

/** What testing a connection found. */
export interface ConnectionTestResult {
  clusterId: string | null;
  controllerId: number;
  brokers: { id: number; host: string; port: number }[];
  topics: number;
  /** How long connecting and reading the metadata took, in ms. */
  latencyMs: number;
}

/** Every command: its arguments and its result. Method names follow the engine's API. */
export interface HostCommands {
  stopBroker: { args: { brokerId: number; graceful?: boolean }; result: null };
  startBroker: { args: { brokerId: number }; result: null };
  addBroker: { args: Record<string, never>; result: { brokerId: number } };
  previewTopic: { args: TopicSpec; result: { replicaAssignment: number[][] } };
  createTopic: { args: TopicSpec; result: { name: string; partitions: number; replicationFactor: number } };
  deleteTopic: { args: { name: string }; result: null };
  createPartitions: { args: { name: string; totalPartitions: number }; result: null };
  describeTopicConfigs: { args: { name: string }; result: TopicConfigEntry[] };
  /** Sets topic configs; a null value returns that config to its default. */
  alterTopicConfigs: { args: { name: string; configs: Record<string, string | null> }; result: null };
  /** Moves an empty group's committed offsets on a topic (all partitions, or the ones listed). */
  resetGroupOffsets: {
    args: { groupId: string; topic: string; partitions: number[] | null; to: OffsetResetSpec };
    result: { partitions: { partition: number; offset: number }[] };
  };
  /** Saved connections to external clusters, and the cluster shown now (`embedded` or a connection id). */
  listConnections: { args: Record<string, never>; result: { connections: ConnectionSummary[]; active: string } };
  /** Adds (no id) or updates a connection; its secret is stored encrypted where the platform allows. */
  saveConnection: { args: { connection: ConnectionDraft }; result: { id: string } };
  /** Connects with these settings (a saved connection's password when the draft's is null) and reads the metadata. */
  testConnection: { args: { connection: ConnectionDraft }; result: ConnectionTestResult };
  removeConnection: { args: { id: string }; result: null };
  /** Shows another cluster: `embedded` or a saved connection's id. A snapshot of it follows. */
  switchCluster: { args: { id: string }; result: { id: string } };
  produce: { args: ProduceArgs; result: ProduceOutcome };
  startProducer: { args: SteadyProducerSpec; result: { id: string } };
  stopProducer: { args: { id: string }; result: null };
  fetchRecords: { args: { topic: string; partition: number; offset: number; maxRecords: number }; result: RecordPage };
  listOffset: { args: { topic: string; partition: number; position: OffsetPosition }; result: { offset: number; timestamp: number } };
  isolateBroker: { args: { brokerId: number }; result: null };
  slowFollower: { args: { brokerId: number; delayMs: number }; result: null };
  clearFault: { args: { kind: Fault['kind']; brokerId: number }; result: null };
  clearAllFaults: { args: Record<string, never>; result: null };
  electPreferredLeaders: { args: Record<string, never>; result: { elected: number } };
  createConsumerGroup: { args: AppGroupSpec; result: { clientIds: string[] } };
  addGroupMember: { args: { groupId: string }; result: { clientId: string } };
  memberAction: { args: { clientId: string; action: MemberAction }; result: null };
  setGroupRate: { args: { groupId: string; recordsPerSecond: number | null }; result: null };
  reassignPartition: { args: { topic: string; partition: number; replicas: number[] }; result: null };
  cancelReassignment: { args: { topic: string; partition: number }; result: null };
  startScenario: { args: { id: ScenarioId }; result: null };
  stopScenario: { args: Record<string, never>; result: null };
  scenarioStatus: { args: Record<string, never>; result: ScenarioStatus | null };
  /** The recorded events, oldest first (kept with the cluster's data across restarts). */
  timeline: { args: { limit?: number }; result: { events: ClusterEvent[] } };
  /** The cluster as it was just after `time` (the nearest recorded state), or null when none was recorded. */
  stateAt: { args: { time: number }; result: { time: number; cluster: ClusterSnapshot } | null };
}

/** A command's name. */
export type CommandName = keyof HostCommands;
/** A command's arguments. */
export type CommandArgs<N extends CommandName> = HostCommands[N]['args'];
/** A command's value when it succeeds. */
export type CommandValue<N extends CommandName> = HostCommands[N]['result'];

/** Why a command failed: Kafka's error name (or INVALID_REQUEST for bad arguments) and a sentence. */
export interface CommandError {
  name: KafkaErrorName;
  message: string;
}

/** A command's outcome; errors are values so they cross IPC and sockets intact. */
export type CommandResult<N extends CommandName> = { ok: true; value: CommandValue<N> } | { ok: false; error: CommandError };

/** Every command name, for transports that expose one method per command. */
export const COMMAND_NAMES = [
  'stopBroker',
  'startBroker',
  'addBroker',
  'previewTopic',
  'createTopic',
  'deleteTopic',
  'createPartitions',
  'describeTopicConfigs',
  'alterTopicConfigs',
  'resetGroupOffsets',
  'listConnections',
  'saveConnection',
  'testConnection',
  'removeConnection',
  'switchCluster',
  'produce',
  'startProducer',
  'stopProducer',
  'fetchRecords',
  'listOffset',
  'isolateBroker',
  'slowFollower',
  'clearFault',
  'clearAllFaults',
  'electPreferredLeaders',
  'createConsumerGroup',
  'addGroupMember',
  'memberAction',
  'setGroupRate',
  'timeline',
  'stateAt',
  'reassignPartition',
  'cancelReassignment',
  'startScenario',
  'stopScenario',
  'scenarioStatus',
] as const satisfies readonly CommandName[];

/** Commands that change a cluster's data: refused on a read-only connection. */
export const WRITE_COMMANDS = [
  'createTopic',
  'deleteTopic',
  'createPartitions',
  'alterTopicConfigs',
  'resetGroupOffsets',
  'produce',
  'startProducer',
] as const satisfies readonly CommandName[];

/** Commands that drive the embedded cluster itself (faults, brokers, in-app consumers, scenarios). */
export const EMBEDDED_ONLY_COMMANDS = [
  'stopBroker',
  'startBroker',
  'addBroker',
  'isolateBroker',
  'slowFollower',
  'clearFault',
  'clearAllFaults',
  'electPreferredLeaders',
  'reassignPartition',
  'cancelReassignment',
  'createConsumerGroup',
  'addGroupMember',
  'memberAction',
  'setGroupRate',
  'startScenario',
  'stopScenario',
] as const satisfies readonly CommandName[];

/** Commands about connections, answered by whatever holds the connection store, not by a cluster. */
export const CONNECTION_COMMANDS = ['listConnections', 'saveConnection', 'testConnection', 'removeConnection', 'switchCluster'] as const satisfies readonly CommandName[];

/** Throughput of the cluster over the last second. */
export interface ClusterRates {
  /** Records appended by leaders (produced) per second. */
  recordsInPerSecond: number;
  bytesInPerSecond: number;
}

/** The full state: sent on connect and whenever a window misses a delta. */
export interface HostSnapshot {
  type: 'snapshot';
  /** Deltas continue from seq + 1. */
  seq: number;
  cluster: ClusterSnapshot;
  producers: SteadyProducerStatus[];
  rates: ClusterRates;
  /** The latest notable events (newest last), so a new window has context. */
  recentEvents: ClusterEvent[];
}

/** The partitions that changed in one topic whose topic-level fields did not. */
export interface TopicPartitionsDelta {
  topic: string;
  /** Each changed partition whole, in partition order; `partition` is its index in the topic's list. */
  partitions: PartitionSnapshot[];
}

/**
 * What changed since the previous update; `seq` is exactly one more than the previous one.
 * A window applies `removedTopics`, then `topics`, then `partitions`; a topic appears in at
 * most one of the three.
 */
export interface HostDelta {
  type: 'delta';
  seq: number;
  time: number;
  controllerId: number;
  controllerEpoch: number;
  metadataOffset: number;
  /** Every broker, when any of them changed. */
  brokers?: BrokerSnapshot[];
  /**
   * Topics sent whole: created ones, and ones whose topic-level fields changed (topic id,
   * internal, sequence, configs, replication factor, partition count). A topic deleted and
   * created again under its name comes here with its new id, not in `removedTopics`.
   */
  topics?: TopicSnapshot[];
  /**
   * Partition-level changes of topics the window already has and whose topic-level fields are
   * unchanged: only the changed partitions (leader, epoch, replicas, ISR, offsets...), so a
   * busy large cluster sends what moved rather than every touched topic whole.
   */
  partitions?: TopicPartitionsDelta[];
  /** Topics deleted since the previous update, by name. */
  removedTopics?: string[];
  /** Every steady producer, when any of them changed. */
  producers?: SteadyProducerStatus[];
  /**
   * Other parts of the snapshot (consumer groups, consumers, whatever the engine adds next),
   * each sent whole when it changed, under its snapshot name.
   */
  extras?: Partial<ClusterSnapshot>;
  rates: ClusterRates;
  /** Notable events since the previous update (never the high-rate stats events). */
  events: ClusterEvent[];
}

/** An update for the window. */
export type HostUpdate = HostSnapshot | HostDelta;

/** The object a window talks to the host through (the preload's, or the WebSocket bridge). */
export interface HostBridge {
  call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  /** Subscribes to updates; returns the unsubscribe function. */
  onUpdate(listener: (update: HostUpdate) => void): () => void;
  /** Asks for a fresh snapshot (after a gap in the delta numbers). */
  requestSnapshot(): void;
}

/** The API object the Electron preload exposes on `window.brokerscope`. */
export type PreloadApi = { [N in CommandName]: (args: CommandArgs<N>) => Promise<CommandResult<N>> } & {
  onUpdate(listener: (update: HostUpdate) => void): () => void;
  requestSnapshot(): void;
};

/** IPC channel names shared by the Electron main process and preload. */
export const IPC_CHANNELS = {
  command: 'brokerscope:command',
  update: 'brokerscope:update',
  resync: 'brokerscope:resync',
} as const;

/** Most deltas per second a window receives, however busy the cluster is. */
export const MAX_UPDATES_PER_SECOND = 30;

/** From a browser window to the browser host, over the WebSocket (JSON). */
export type SocketRequest = { type: 'call'; id: number; name: CommandName; args: unknown } | { type: 'resync' };

/** From the browser host to a window, over the WebSocket (JSON). */
export type SocketMessage = { type: 'result'; id: number; result: CommandResult<CommandName> } | { type: 'update'; update: HostUpdate };

/** The WebSocket's path on the browser host; the session token goes in its `token` query parameter. */
export const SOCKET_PATH = '/socket';
