/**
 * Requests and responses between brokers and clients, shaped like Kafka's Produce, Fetch,
 * ListOffsets and OffsetsForLeaderEpoch so that the wire protocol maps onto them one to one.
 * Errors are Kafka's error names; null means NONE.
 */
import type { KafkaErrorName } from '../protocol/errors';

/** acks: 0 (no answer needed), 1 (leader appended), -1 (all in-sync replicas have it). */
export type Acks = 0 | 1 | -1;

/** Records for one partition of a produce. */
export interface ProducePartitionData {
  topic: string;
  partition: number;
  /** One or more RecordBatch v2 batches. */
  records: Buffer;
}

/** A Produce request. */
export interface ProduceRequest {
  acks: Acks;
  timeoutMs: number;
  partitions: ProducePartitionData[];
  /** Only the broker's own services (the group coordinator) may write to internal topics. */
  internalTopicsAllowed?: boolean;
  /** The listener already checked every batch's CRC (Kafka answers a bad one first). */
  crcVerified?: boolean;
}

/** The answer for one partition of a produce. */
export interface ProducePartitionResponse {
  topic: string;
  partition: number;
  error: KafkaErrorName | null;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

/** One partition of a Fetch request. */
export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  fetchOffset: number;
  /** The leader epoch the fetcher believes current (-1: unknown, not checked). */
  currentLeaderEpoch: number;
  partitionMaxBytes: number;
  /**
   * What an in-process follower already knows (its high watermark and log start offset): a
   * partition with nothing new beyond these is left out of the response, as an incremental
   * fetch session (KIP-227) leaves out unchanged partitions.
   */
  knownHighWatermark?: number;
  knownLogStartOffset?: number;
  /**
   * `${topic}-${partition}`, when the sender has it at hand (in-process followers): the leader
   * keys its fetch session by it and looks partitions up by it on every round.
   */
  key?: string;
}

/** A fetched partition's `${topic}-${partition}` key: the one sent along, or built. */
export function partitionKey(p: { topic: string; partition: number; key?: string }): string {
  return p.key ?? `${p.topic}-${p.partition}`;
}

/**
 * A Fetch request from a follower (replicaId >= 0) or a consumer (-1).
 *
 * An in-process follower fetches in a session (KIP-227): a full request (`sessionId` 0) lists
 * every partition and opens a session at the leader; later requests name the session and list
 * only partitions that are new or changed, plus the keys the leader must forget. Consumers
 * send no session fields, and their requests stand alone.
 */
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: FetchPartitionRequest[];
  /** 0: a full request that opens a new session; otherwise the session the leader assigned. */
  sessionId?: number;
  /** 0 in a full request, then 1, 2, ...: the leader refuses any other (INVALID_FETCH_SESSION_EPOCH). */
  sessionEpoch?: number;
  /** Keys of partitions the session drops (no longer followed here, or backing off after an error). */
  forgotten?: string[];
}

/** The answer for one partition of a fetch. */
export interface FetchPartitionResponse {
  topic: string;
  partition: number;
  error: KafkaErrorName | null;
  highWatermark: number;
  logStartOffset: number;
  /** The leader's log end offset (lets a follower resolve OFFSET_OUT_OF_RANGE). */
  logEndOffset: number;
  records: Buffer;
  /**
   * In-process followers only: the batches as views of the leader's cached appends, in order,
   * instead of one joined copy (`records` is then empty). Their CRCs were checked when the leader
   * appended them, and they never left memory, so the follower does not check them again.
   */
  cachedParts?: Buffer[];
  /** The request's `key`, echoed (in-process followers find their partition by it). */
  key?: string;
}

/** The size of a partition's answer in bytes, however its records are carried. */
export function fetchedBytes(data: FetchPartitionResponse): number {
  if (!data.cachedParts) return data.records.length;
  let bytes = 0;
  for (const part of data.cachedParts) bytes += part.length;
  return bytes;
}

/** A Fetch response. */
export interface FetchResponse {
  partitions: FetchPartitionResponse[];
  /** A session error (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH): resend in full. */
  error?: KafkaErrorName | null;
  /** The session a full request opened (in-process followers). */
  sessionId?: number;
}

/** ListOffsets special timestamps, as Kafka defines them. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;

/** One partition of a ListOffsets request. */
export interface ListOffsetsPartitionRequest {
  topic: string;
  partition: number;
  /** -1 latest, -2 earliest, -3 max timestamp, or a time in ms. */
  timestamp: number;
  currentLeaderEpoch: number;
}

/** The answer for one partition of ListOffsets. */
export interface ListOffsetsPartitionResponse {
  topic: string;
  partition: number;
  error: KafkaErrorName | null;
  timestamp: number;
  offset: number;
  leaderEpoch: number;
}

/** One partition of OffsetsForLeaderEpoch. */
export interface EpochEndOffsetRequest {
  topic: string;
  partition: number;
  currentLeaderEpoch: number;
  leaderEpoch: number;
}

/** The answer for one partition of OffsetsForLeaderEpoch. */
export interface EpochEndOffsetResponse {
  topic: string;
  partition: number;
  error: KafkaErrorName | null;
  leaderEpoch: number;
  endOffset: number;
}
