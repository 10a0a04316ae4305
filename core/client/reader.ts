/**
 * Reads records the way a consumer's fetcher does, without a group: fetch from a partition's
 * leader at an offset (up to the high watermark, with Kafka's OFFSET_OUT_OF_RANGE outside the
 * log) and look up offsets (earliest, latest, or the first at a time).
 */
import type { FetchResponse, ListOffsetsPartitionResponse } from '../broker/messages';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../broker/messages';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import { decodeRecordBatchesAsync, type DecodedRecord } from '../protocol/records';
import { ClientBase, type ClientContext } from './client';

/** Records read from one partition. */
export interface FetchResult {
  topic: string;
  partition: number;
  /** Records at or after the requested offset, below the high watermark. */
  records: DecodedRecord[];
  highWatermark: number;
  logStartOffset: number;
  /** The offset to fetch from next. */
  nextOffset: number;
}

/** Where to start reading: an offset, or a special position. */
export type OffsetSpec = 'earliest' | 'latest' | { timestamp: number };

export class Reader extends ClientBase {
  constructor(ctx: ClientContext, clientId = 'brokerscope-reader') {
    super(ctx, clientId);
  }

  /** Fetches raw batches from the partition's leader (one Fetch, no long poll by default). */
  fetchRaw(
    topic: string,
    partition: number,
    offset: number,
    options: { maxBytes?: number; maxWaitMs?: number },
    callback: (error: KafkaError | null, response: FetchResponse['partitions'][number] | null) => void,
  ): void {
    this.withLeader(topic, partition, (error, leader) => {
      if (error) return callback(error, null);
      const maxBytes = options.maxBytes ?? 1_048_576;
      const request = {
        replicaId: -1,
        maxWaitMs: options.maxWaitMs ?? 0,
        minBytes: 1,
        maxBytes,
        partitions: [{ topic, partition, fetchOffset: offset, currentLeaderEpoch: -1, partitionMaxBytes: maxBytes }],
      };
      this.call<FetchResponse>(leader, (broker, respond) => broker.handleFetch(request, respond), (reply) => {
        if (reply instanceof KafkaError) return callback(reply, null);
        const data = reply.partitions[0];
        if (data.error) return callback(new KafkaError(data.error, describe(data.error, topic, partition, offset, data)), null);
        callback(null, data);
      });
    });
  }

  /** Fetches and decodes records from `offset` (records before it in the first batch dropped). */
  fetch(topic: string, partition: number, offset: number, options: { maxBytes?: number; maxWaitMs?: number } = {}): Promise<FetchResult> {
    return new Promise((resolve, reject) => {
      this.fetchRaw(topic, partition, offset, options, (error, data) => {
        if (error || !data) return reject(error);
        decodeRecordBatchesAsync(data.records).then((batches) => {
          const records = batches.flatMap((batch) => batch.records).filter((record) => record.offset >= offset);
          const last = records.length > 0 ? records[records.length - 1].offset + 1 : offset;
          resolve({ topic, partition, records, highWatermark: data.highWatermark, logStartOffset: data.logStartOffset, nextOffset: last });
        }, reject);
      });
    });
  }

  /** ListOffsets for one partition. */
  listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<{ offset: number; timestamp: number }> {
    const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec.timestamp;
    return new Promise((resolve, reject) => {
      this.withLeader(topic, partition, (error, leader) => {
        if (error) return reject(error);
        const request = [{ topic, partition, timestamp, currentLeaderEpoch: -1 }];
        this.call<ListOffsetsPartitionResponse[]>(leader, (broker, respond) => respond(broker.handleListOffsets(request)), (reply) => {
          if (reply instanceof KafkaError) return reject(reply);
          const answer = reply[0];
          if (answer.error) return reject(new KafkaError(answer.error as KafkaErrorName));
          resolve({ offset: answer.offset, timestamp: answer.timestamp });
        });
      });
    });
  }

  private withLeader(topic: string, partition: number, callback: (error: KafkaError | null, leader: number) => void): void {
    this.refreshMetadata([topic], (error) => {
      const metadata = this.cachedTopic(topic);
      if (!metadata) return callback(error ?? new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${topic} does not exist`), -1);
      const p = metadata.partitions[partition];
      if (!p) return callback(new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `partition ${partition} is not in 0..${metadata.partitions.length - 1} of topic ${topic}`), -1);
      if (p.leader < 0) return callback(new KafkaError('LEADER_NOT_AVAILABLE', `${topic}-${partition} is offline: no in-sync replica is alive`), -1);
      callback(null, p.leader);
    });
  }
}

function describe(error: KafkaErrorName, topic: string, partition: number, offset: number, data: FetchResponse['partitions'][number]): string | undefined {
  if (error === 'OFFSET_OUT_OF_RANGE') {
    return `offset ${offset} is outside ${topic}-${partition}'s log (${data.logStartOffset} to ${data.logEndOffset})`;
  }
  return undefined;
}
