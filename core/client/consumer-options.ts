/**
 * The in-app consumer's settings (the Java client's names and Kafka's defaults), the records
 * and snapshots it hands out, and the checks that refuse bad settings before anything joins.
 */
import { isAssignorName, type AssignorName } from '../group/assignors';
import { KafkaError } from '../protocol/errors';
import type { RecordHeader } from '../protocol/records';
import type { MemberState } from './consumer-coordinator';

/** Consumer settings with the Java client's names; defaults are Kafka's. */
export interface ConsumerOptions {
  /** group.id */
  groupId: string;
  /** The topics to subscribe to. */
  topics: string[];
  /** client.id (Cluster.createConsumer's default: consumer-<groupId>-<n>, as the Java client names it). */
  clientId?: string;
  /** partition.assignment.strategy, preferred first (Kafka's default: range, cooperative-sticky). */
  assignors?: AssignorName[];
  /** group.instance.id: a static member (KIP-345). */
  groupInstanceId?: string | null;
  /** session.timeout.ms (45 s). */
  sessionTimeoutMs?: number;
  /** heartbeat.interval.ms (3 s). */
  heartbeatIntervalMs?: number;
  /** max.poll.interval.ms (5 min), sent as the rebalance timeout. */
  maxPollIntervalMs?: number;
  /** auto.offset.reset: where to start without a committed offset (latest). */
  autoOffsetReset?: 'earliest' | 'latest';
  /** enable.auto.commit (true). */
  enableAutoCommit?: boolean;
  /** auto.commit.interval.ms (5 s). */
  autoCommitIntervalMs?: number;
  /** Records consumed per second; null (default) consumes as fast as it can. */
  recordsPerSecond?: number | null;
  /** fetch.max.wait.ms (500). */
  fetchMaxWaitMs?: number;
  /** max.partition.fetch.bytes (1 MiB). */
  maxPartitionFetchBytes?: number;
  /** request.timeout.ms (30 s). */
  requestTimeoutMs?: number;
  /** retry.backoff.ms (100). */
  retryBackoffMs?: number;
  /** metadata.max.age.ms (5 min): how often the leader looks for new partitions. */
  metadataMaxAgeMs?: number;
  /** Called with every batch of records consumed. */
  onRecords?: (records: ConsumedRecord[]) => void;
}

/** A consumed record. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  leaderEpoch: number;
}

/** A consumer's lifecycle. */
export type ConsumerState = 'running' | 'paused' | 'crashed' | 'closing' | 'closed' | 'failed';

/** A consumer as plain data, for the app. */
export interface ConsumerSnapshot {
  clientId: string;
  groupId: string;
  state: ConsumerState;
  memberState: MemberState;
  memberId: string;
  generationId: number;
  coordinator: number;
  assignment: { topic: string; partition: number; position: number | null; bufferedRecords: number }[];
  consumedRecords: number;
  recordsPerSecond: number | null;
  lastError: string | null;
}

/** Kafka's consumer defaults. */
export const CONSUMER_DEFAULTS = {
  assignors: ['range', 'cooperative-sticky'] as AssignorName[],
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 300_000,
  autoOffsetReset: 'latest' as const,
  enableAutoCommit: true,
  autoCommitIntervalMs: 5_000,
  fetchMaxWaitMs: 500,
  maxPartitionFetchBytes: 1_048_576,
  requestTimeoutMs: 30_000,
  retryBackoffMs: 100,
  metadataMaxAgeMs: 300_000,
};

/** The options that are set, so defaults fill the rest. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Rejects bad options with Kafka's error for the bad group id and RangeErrors for the rest. */
export function validateConsumerOptions(options: ConsumerOptions): void {
  if (typeof options.groupId !== 'string' || options.groupId === '') throw new KafkaError('INVALID_GROUP_ID', 'group.id must be a non-empty string');
  if (!Array.isArray(options.topics) || options.topics.length === 0) throw new RangeError('a consumer needs at least one topic to subscribe to');
  for (const name of options.assignors ?? []) if (!isAssignorName(name)) throw new RangeError(`unknown assignor "${String(name)}": use range, roundrobin, sticky or cooperative-sticky`);
  if (options.assignors && options.assignors.length === 0) throw new RangeError('partition.assignment.strategy needs at least one assignor');
  const positive = ['sessionTimeoutMs', 'heartbeatIntervalMs', 'maxPollIntervalMs', 'autoCommitIntervalMs', 'fetchMaxWaitMs', 'maxPartitionFetchBytes', 'requestTimeoutMs', 'retryBackoffMs', 'metadataMaxAgeMs'] as const;
  for (const name of positive) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number`);
  }
  if (options.recordsPerSecond !== undefined && options.recordsPerSecond !== null && !(Number.isFinite(options.recordsPerSecond) && options.recordsPerSecond > 0)) {
    throw new RangeError('recordsPerSecond must be a positive number or null');
  }
  if (options.autoOffsetReset !== undefined && options.autoOffsetReset !== 'earliest' && options.autoOffsetReset !== 'latest') throw new RangeError('autoOffsetReset must be earliest or latest');
  const session = options.sessionTimeoutMs ?? CONSUMER_DEFAULTS.sessionTimeoutMs;
  if ((options.heartbeatIntervalMs ?? CONSUMER_DEFAULTS.heartbeatIntervalMs) >= session) throw new RangeError('heartbeatIntervalMs must be lower than sessionTimeoutMs');
}
