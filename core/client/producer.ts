/**
 * The in-process producer (the Java client's KafkaProducer, condensed): it partitions
 * records as the Java client does (murmur2 for keys; keyless records stick to one random
 * partition per send, as the uniform sticky partitioner does per batch), encodes one
 * RecordBatch v2 per partition, sends one Produce request per leader, and retries retriable
 * errors after refreshing metadata until the delivery timeout. Without idempotence a retry may
 * write a record twice, exactly as with Kafka.
 */
import type { Acks, ProducePartitionResponse } from '../broker/messages';
import { partitionForKey } from '../protocol/murmur2';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import { encodeRecordBatch, type RecordHeader, type RecordInput } from '../protocol/records';
import { ClientBase, isRetriable, type ClientContext } from './client';

/** A record to send. Strings are UTF-8 encoded. */
export interface ProducerRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RecordHeader[] | Record<string, string>;
  /** Create time in ms; default: now. */
  timestamp?: number;
  /** Explicit partition; default: the partitioner's choice. */
  partition?: number;
}

/** Where a record landed. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0: the broker does not say. */
  offset: number;
  timestamp: number;
}

/** Producer settings with the Java client's names. */
export interface ProducerOptions {
  clientId?: string;
  /** acks: -1 (all, the default since Kafka 3.0), 1 or 0. */
  acks?: Acks;
  /** request.timeout.ms. */
  requestTimeoutMs?: number;
  /** delivery.timeout.ms: give up retrying after this long (Kafka: 120 s). */
  deliveryTimeoutMs?: number;
  /** retry.backoff.ms. */
  retryBackoffMs?: number;
  /** retries: 0 reports the first error at once. */
  retries?: number;
}

/** The outcome of one send. */
export type SendCallback = (error: KafkaError | null, results: RecordMetadata[] | null) => void;

interface PartitionBatch {
  partition: number;
  indexes: number[];
  inputs: RecordInput[];
  encoded: Buffer | null;
}

export class Producer extends ClientBase {
  readonly acks: Acks;
  private readonly requestTimeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retryBackoffMs: number;
  private readonly retries: number;

  constructor(ctx: ClientContext, options: ProducerOptions = {}) {
    super(ctx, options.clientId ?? 'brokerscope-producer');
    this.acks = options.acks ?? -1;
    this.requestTimeoutMs = options.requestTimeoutMs ?? ctx.settings.requestTimeoutMs;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 120_000;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.retries = options.retries ?? Number.MAX_SAFE_INTEGER;
  }

  /** Sends records to a topic; `callback` gets every record's partition and offset, in order. */
  send(topic: string, records: ProducerRecord[], callback: SendCallback, options: { acks?: Acks } = {}): void {
    const acks = options.acks ?? this.acks;
    const deadline = this.ctx.scheduler.now() + this.deliveryTimeoutMs;
    if (records.length === 0) {
      callback(null, []);
      return;
    }
    const withMetadata = (attempt: number): void => {
      if (this.cachedTopic(topic)) return this.dispatch(topic, records, acks, deadline, attempt, callback);
      this.refreshMetadata([topic], (error) => {
        if (!this.cachedTopic(topic)) {
          const reason = error ?? new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${topic} does not exist`);
          return callback(reason, null);
        }
        this.dispatch(topic, records, acks, deadline, attempt, callback);
      });
    };
    withMetadata(0);
  }

  /** Promise form of `send`. */
  sendAsync(topic: string, records: ProducerRecord[], options: { acks?: Acks } = {}): Promise<RecordMetadata[]> {
    return new Promise((resolve, reject) => this.send(topic, records, (error, results) => (error ? reject(error) : resolve(results!)), options));
  }

  private dispatch(topic: string, records: ProducerRecord[], acks: Acks, deadline: number, attempt: number, callback: SendCallback): void {
    let batches: PartitionBatch[];
    try {
      batches = this.partitionRecords(topic, records);
    } catch (error) {
      return callback(error as KafkaError, null);
    }
    const results: RecordMetadata[] = new Array(records.length);
    this.sendBatches(topic, batches, acks, deadline, attempt, results, (error) => callback(error, error ? null : results));
  }

  /** Groups records into one batch per partition, choosing partitions as the Java client does. */
  private partitionRecords(topic: string, records: ProducerRecord[]): PartitionBatch[] {
    const metadata = this.cachedTopic(topic)!;
    const count = metadata.partitions.length;
    const now = this.ctx.scheduler.now();
    const sticky = this.ctx.random.nextInt(count);
    const byPartition = new Map<number, PartitionBatch>();
    records.forEach((record, index) => {
      const key = toBuffer(record.key);
      let partition: number;
      if (record.partition !== undefined && record.partition !== null) {
        if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= count) {
          throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `partition ${record.partition} is not in 0..${count - 1} of topic ${topic}`);
        }
        partition = record.partition;
      } else {
        partition = key ? partitionForKey(key, count) : sticky;
      }
      let batch = byPartition.get(partition);
      if (!batch) byPartition.set(partition, (batch = { partition, indexes: [], inputs: [], encoded: null }));
      batch.indexes.push(index);
      batch.inputs.push({ key, value: toBuffer(record.value), headers: toHeaders(record.headers), timestamp: record.timestamp ?? now });
    });
    return [...byPartition.values()];
  }

  private sendBatches(
    topic: string,
    batches: PartitionBatch[],
    acks: Acks,
    deadline: number,
    attempt: number,
    results: RecordMetadata[],
    done: (error: KafkaError | null) => void,
  ): void {
    const metadata = this.cachedTopic(topic);
    const byLeader = new Map<number, PartitionBatch[]>();
    for (const batch of batches) {
      const leader = metadata?.partitions[batch.partition]?.leader ?? -1;
      const list = byLeader.get(leader) ?? [];
      list.push(batch);
      byLeader.set(leader, list);
    }
    const failed: PartitionBatch[] = [];
    let lastError: KafkaError | null = null;
    let outstanding = byLeader.size;
    const settle = (): void => {
      if (--outstanding > 0) return;
      if (failed.length === 0) return done(null);
      const retriable = lastError !== null && isRetriable(lastError.name);
      if (!retriable || attempt >= this.retries || this.ctx.scheduler.now() + this.retryBackoffMs > deadline) return done(lastError);
      this.ctx.scheduler.schedule(this.retryBackoffMs, () =>
        this.refreshMetadata([topic], () => this.sendBatches(topic, failed, acks, deadline, attempt + 1, results, done)),
      );
    };
    for (const [leader, list] of byLeader) {
      if (leader < 0) {
        failed.push(...list);
        lastError = new KafkaError('LEADER_NOT_AVAILABLE', `partition ${list[0].partition} of ${topic} has no leader right now`);
        settle();
        continue;
      }
      const request = {
        acks,
        timeoutMs: this.requestTimeoutMs,
        partitions: list.map((batch) => ({ topic, partition: batch.partition, records: this.encode(batch) })),
      };
      this.call<ProducePartitionResponse[]>(
        leader,
        (broker, respond) => broker.handleProduce(request, respond),
        (reply) => {
          if (reply instanceof KafkaError) {
            failed.push(...list);
            lastError = reply;
          } else {
            for (const response of reply) {
              const batch = list.find((b) => b.partition === response.partition)!;
              if (response.error) {
                failed.push(batch);
                lastError = new KafkaError(response.error as KafkaErrorName, response.errorMessage ?? undefined);
              } else {
                this.record(topic, batch, acks === 0 ? -1 : response.baseOffset, results);
              }
            }
          }
          settle();
        },
        this.requestTimeoutMs + 1_000,
      );
    }
  }

  private encode(batch: PartitionBatch): Buffer {
    // A retry sends a fresh copy: the broker that took the first attempt may keep its bytes
    // (they are the log's bytes, offsets rewritten in place), as bytes off a socket would be.
    batch.encoded = batch.encoded ? Buffer.from(batch.encoded) : encodeRecordBatch(batch.inputs, { timestamp: this.ctx.scheduler.now() });
    return batch.encoded;
  }

  private record(topic: string, batch: PartitionBatch, baseOffset: number, results: RecordMetadata[]): void {
    batch.indexes.forEach((index, i) => {
      results[index] = { topic, partition: batch.partition, offset: baseOffset < 0 ? -1 : baseOffset + i, timestamp: batch.inputs[i].timestamp! };
    });
  }
}

function toBuffer(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

const NO_HEADERS: RecordHeader[] = Object.freeze([]) as unknown as RecordHeader[];

function toHeaders(headers: ProducerRecord['headers']): RecordHeader[] {
  if (!headers) return NO_HEADERS;
  if (Array.isArray(headers)) return headers;
  return Object.entries(headers).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') }));
}
