/**
 * Cluster-wide settings. Kafka's defaults are kept beside the app's: the app shortens the
 * timeouts a user waits for (replica lag, broker session) so failures play out while they
 * watch; tests on the simulated clock may use either.
 */

/** Timing and sizing settings of an embedded cluster, with Kafka's config name on each. */
export interface ClusterSettings {
  /** replica.lag.time.max.ms: a follower not caught up for this long leaves the ISR. */
  replicaLagTimeMaxMs: number;
  /** broker.heartbeat.interval.ms: how often a broker heartbeats to the controller. */
  brokerHeartbeatIntervalMs: number;
  /** broker.session.timeout.ms: a broker silent this long is fenced by the controller. */
  brokerSessionTimeoutMs: number;
  /** controller.quorum.election.timeout.ms: how long brokers wait before electing a new controller. */
  controllerElectionTimeoutMs: number;
  /** replica.fetch.wait.max.ms: how long a follower's fetch waits at the leader for data. */
  replicaFetchWaitMaxMs: number;
  /** replica.fetch.backoff.ms: pause after a failed follower fetch. */
  replicaFetchBackoffMs: number;
  /** replica.fetch.max.bytes: bytes per partition in one follower fetch. */
  replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: bytes in one follower fetch response. */
  replicaFetchResponseMaxBytes: number;
  /** request.timeout.ms: how long a client (or a broker-to-broker request) waits for an answer. */
  requestTimeoutMs: number;
  /** auto.leader.rebalance.enable: move leadership back to preferred leaders periodically. */
  autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds, in ms. */
  leaderImbalanceCheckIntervalMs: number;
  /** log.retention.check.interval.ms: how often retention runs. */
  logRetentionCheckIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms: how often recovery points and HWs are saved. */
  logFlushOffsetCheckpointIntervalMs: number;
  /** auto.create.topics.enable: metadata and produce requests may create unknown topics. */
  autoCreateTopicsEnable: boolean;
  /** num.partitions: partitions of an auto-created topic. */
  numPartitions: number;
  /** default.replication.factor: replication factor of an auto-created topic. */
  defaultReplicationFactor: number;
  /** offsets.topic.num.partitions: partitions of __consumer_offsets. */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor (capped at the live brokers when the topic is created). */
  offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes: segment.bytes of __consumer_offsets. */
  offsetsTopicSegmentBytes: number;
  /** offsets.load.buffer.size: bytes a coordinator reads per step while loading a partition. */
  offsetsLoadBufferSize: number;
  /** offsets.commit.timeout.ms: how long a commit (or group write) waits for the replicas. */
  offsetCommitTimeoutMs: number;
  /** offset.metadata.max.bytes: longest metadata string a commit may carry. */
  offsetMetadataMaxBytes: number;
  /** offsets.retention.check.interval.ms: how often empty groups without offsets are dropped. */
  offsetsRetentionCheckIntervalMs: number;
  /** group.initial.rebalance.delay.ms: how long an empty group's first rebalance waits for more members. */
  groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms: the shortest session timeout a member may ask for. */
  groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms: the longest session timeout a member may ask for. */
  groupMaxSessionTimeoutMs: number;
  /** group.max.size: most members a group accepts. */
  groupMaxSize: number;
  /** How often appended-record counts are gathered into one event (not a Kafka setting). */
  statsIntervalMs: number;
  /** Broker-level topic config defaults (log.retention.ms and friends), by topic config name. */
  topicConfigDefaults: Record<string, string>;
}

/** Apache Kafka's own defaults. */
export const KAFKA_DEFAULTS: ClusterSettings = {
  replicaLagTimeMaxMs: 30_000,
  brokerHeartbeatIntervalMs: 2_000,
  brokerSessionTimeoutMs: 9_000,
  controllerElectionTimeoutMs: 1_000,
  replicaFetchWaitMaxMs: 500,
  replicaFetchBackoffMs: 1_000,
  replicaFetchMaxBytes: 1_048_576,
  replicaFetchResponseMaxBytes: 10_485_760,
  requestTimeoutMs: 30_000,
  autoLeaderRebalanceEnable: true,
  leaderImbalanceCheckIntervalMs: 300_000,
  logRetentionCheckIntervalMs: 300_000,
  logFlushOffsetCheckpointIntervalMs: 60_000,
  autoCreateTopicsEnable: true,
  numPartitions: 1,
  defaultReplicationFactor: 1,
  offsetsTopicNumPartitions: 50,
  offsetsTopicReplicationFactor: 3,
  offsetsTopicSegmentBytes: 104_857_600,
  offsetsLoadBufferSize: 5_242_880,
  offsetCommitTimeoutMs: 5_000,
  offsetMetadataMaxBytes: 4_096,
  offsetsRetentionCheckIntervalMs: 600_000,
  groupInitialRebalanceDelayMs: 3_000,
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupMaxSize: 2_147_483_647,
  statsIntervalMs: 100,
  topicConfigDefaults: {},
};

/** The app's defaults: Kafka's rules with waits short enough to watch. */
export const APP_DEFAULTS: ClusterSettings = {
  ...KAFKA_DEFAULTS,
  replicaLagTimeMaxMs: 10_000,
  brokerHeartbeatIntervalMs: 1_000,
  brokerSessionTimeoutMs: 4_000,
  requestTimeoutMs: 15_000,
  leaderImbalanceCheckIntervalMs: 60_000,
  logRetentionCheckIntervalMs: 30_000,
  logFlushOffsetCheckpointIntervalMs: 10_000,
  defaultReplicationFactor: 3,
  offsetsTopicNumPartitions: 10,
  groupInitialRebalanceDelayMs: 500,
  // Lets the app's consumers use session timeouts short enough to watch a crash play out.
  groupMinSessionTimeoutMs: 1_000,
};
