/**
 * Producing and reading records on an attached cluster. Produce goes through kafkajs'
 * producer, one send per partition (kafkajs 2.2.4 drops records when one send spans leaders
 * that move mid-send), with partitions chosen as the Java client chooses them: murmur2 of the
 * key, and for keyless records one partition per batch.size of records. Reading a page uses a
 * Fetch at the chosen offset through kafkajs' connection to the leader, decoded by the
 * engine's own record-batch reader (kafkajs offers fetches only inside a consumer group).
 */
import type { Message as KafkaJsMessage } from 'kafkajs';
import type { ProducerRecord } from '../client/producer';
import { partitionForKey } from '../protocol/murmur2';
import { KafkaError } from '../protocol/errors';
import { decodeRecordBatchesAsync } from '../protocol/records';
import type { Random } from '../time/random';
import type { Message } from '../kafka/protocol/codec';
import type { AcksSetting, OffsetPosition, PartitionPlacement, ProduceArgs, ProduceOutcome, RecordPage } from '../host/contract';
import { toBrowsedRecord, toProducerRecord } from '../host/carried-records';
import { expandTemplate, hasPlaceholders } from '../host/templates';
import type { ClusterSnapshot, TopicSnapshot } from '../view/snapshot';
import { EARLIEST_TIMESTAMP, FETCH, FETCH_MAX_VERSION, LATEST_TIMESTAMP, LIST_OFFSETS, LIST_OFFSETS_MAX_VERSION } from './apis';
import type { ExternalClient } from './client';
import { throwIfError, toKafkaError } from './errors';

/** batch.size, the Java producer's default: keyless records stick to one partition per this many bytes. */
const BATCH_BYTES = 16_384;

/** The topic in the latest picture, or UNKNOWN_TOPIC_OR_PARTITION. */
export function requireTopic(snapshot: ClusterSnapshot, name: string): TopicSnapshot {
  const topic = snapshot.topics.find((t) => t.name === name);
  if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist on this cluster.`);
  return topic;
}

/** The leader of a partition in the latest picture, or the Kafka error a client would get. */
export function requireLeader(snapshot: ClusterSnapshot, topic: string, partition: number): number {
  const p = requireTopic(snapshot, topic).partitions[partition];
  if (!p) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${partition} is not in 0..${requireTopic(snapshot, topic).partitions.length - 1} of topic ${topic}.`);
  if (p.leader < 0) throw new KafkaError('LEADER_NOT_AVAILABLE', `${topic}-${partition} is offline: it has no leader.`);
  return p.leader;
}

/** The drafts of a produce, `repeat` times, templates expanded per record (`{{seq}}` counting from `firstSeq`). */
export function expandDrafts(args: ProduceArgs, now: number, random: Random, firstSeq = 0): ProducerRecord[] {
  const expand = args.expandTemplates === true && args.records.some((r) => hasPlaceholders(r.key) || hasPlaceholders(r.value));
  const records: ProducerRecord[] = [];
  let seq = firstSeq;
  for (let round = 0; round < (args.repeat ?? 1); round++) {
    for (const draft of args.records) {
      if (!expand) {
        records.push(toProducerRecord(draft));
        continue;
      }
      const context = { seq: seq++, now, random };
      records.push(toProducerRecord(draft, draft.key === null ? null : expandTemplate(draft.key, context), draft.value === null ? null : expandTemplate(draft.value, context)));
    }
  }
  return records;
}

/** Records grouped by the partition the Java client would choose. */
export function partitionRecords(records: ProducerRecord[], partitions: number, random: Random, topic: string): Map<number, ProducerRecord[]> {
  const byPartition = new Map<number, ProducerRecord[]>();
  let sticky = random.nextInt(partitions);
  let stickyBytes = 0;
  for (const record of records) {
    let partition: number;
    if (record.partition !== undefined && record.partition !== null) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= partitions) {
        throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${record.partition} is not in 0..${partitions - 1} of topic ${topic}.`);
      }
      partition = record.partition;
    } else if (record.key !== null && record.key !== undefined) {
      partition = partitionForKey(typeof record.key === 'string' ? Buffer.from(record.key) : record.key, partitions);
    } else {
      const size = byteLength(record.value) + 20;
      if (stickyBytes > 0 && stickyBytes + size > BATCH_BYTES) {
        sticky = random.nextInt(partitions);
        stickyBytes = 0;
      }
      stickyBytes += size;
      partition = sticky;
    }
    let list = byPartition.get(partition);
    if (!list) byPartition.set(partition, (list = []));
    list.push(record);
  }
  return byPartition;
}

/** Sends records to their partitions (one send per partition, all at once) and says where they landed. */
export async function produceRecords(client: ExternalClient, topic: string, byPartition: Map<number, ProducerRecord[]>, acks: AcksSetting, now: number): Promise<ProduceOutcome> {
  const producer = await client.producerClient();
  const total = [...byPartition.values()].reduce((sum, list) => sum + list.length, 0);
  const placements: PartitionPlacement[] = [];
  let last: { partition: number; offset: number } | null = null;
  const settled = await Promise.allSettled(
    [...byPartition].map(async ([partition, records]) => {
      const metadata = await producer.send({ topic, acks, messages: records.map((r) => toKafkaJsMessage(r, partition, now)) });
      // acks=0: brokers do not answer, so offsets are not known (-1).
      const baseOffset = metadata[0] ? Number(metadata[0].baseOffset) : -1;
      const firstOffset = acks === 0 || baseOffset < 0 ? -1 : baseOffset;
      const lastOffset = firstOffset < 0 ? -1 : firstOffset + records.length - 1;
      placements.push({ partition, firstOffset, lastOffset, records: records.length });
      return { partition, offset: lastOffset };
    }),
  );
  for (const result of settled) if (result.status === 'fulfilled') last = result.value;
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    const error = toKafkaError(failure.reason);
    const written = placements.reduce((sum, p) => sum + p.records, 0);
    const note = written > 0 ? ` ${written.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records were written.` : '';
    throw new KafkaError(error.name, `${error.message.replace(/^[A-Z_]+: /, '')}${note}`);
  }
  const lastPartition = [...byPartition.keys()].at(-1) ?? -1;
  const lastPlacement = placements.find((p) => p.partition === lastPartition);
  return {
    topic,
    records: total,
    partition: lastPartition,
    offset: lastPlacement?.lastOffset ?? last?.offset ?? -1,
    timestamp: now,
    placements: placements.sort((a, b) => a.partition - b.partition),
  };
}

function toKafkaJsMessage(record: ProducerRecord, partition: number, now: number): KafkaJsMessage {
  const headers: Record<string, Buffer[]> = {};
  const list = Array.isArray(record.headers) ? record.headers : Object.entries(record.headers ?? {}).map(([key, value]) => ({ key, value: Buffer.from(value) }));
  // kafkajs takes headers as an object; repeated keys become arrays, in order.
  for (const header of list) (headers[header.key] ??= []).push(header.value ?? (null as unknown as Buffer));
  return {
    key: record.key === undefined ? null : (record.key as Buffer | string | null),
    value: record.value === undefined ? null : (record.value as Buffer | string | null),
    headers,
    partition,
    timestamp: String(record.timestamp ?? now),
  };
}

function byteLength(value: ProducerRecord['value']): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** One page of a partition from `offset`: a Fetch to its leader, decoded by the engine's reader. */
export async function fetchPage(client: ExternalClient, snapshot: ClusterSnapshot, topic: string, partition: number, offset: number, maxRecords: number): Promise<RecordPage> {
  const leader = requireLeader(snapshot, topic, partition);
  const maxBytes = Math.min(maxRecords * 1_024 + 65_536, 4_194_304);
  const response = await client.request(
    leader,
    FETCH,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: maxBytes }] }],
      forgottenTopicsData: [],
      rackId: '',
    },
    FETCH_MAX_VERSION,
  );
  throwIfError((response.errorCode as number | undefined) ?? 0, `Fetch from ${topic}-${partition}`);
  const answer = ((response.responses as Message[])[0]?.partitions as Message[] | undefined)?.[0];
  if (!answer) throw new KafkaError('UNKNOWN_SERVER_ERROR', `Broker ${leader} did not answer for ${topic}-${partition}.`);
  throwIfError(answer.errorCode as number, `Fetch from ${topic}-${partition} at offset ${offset}`);
  const bytes = answer.records as Buffer | null;
  const batches = bytes && bytes.length > 0 ? await decodeRecordBatchesAsync(bytes) : [];
  const records = batches
    .filter((batch) => (batch.header.attributes & 0x20) === 0)
    .flatMap((batch) => batch.records)
    .filter((record) => record.offset >= offset)
    .slice(0, maxRecords)
    .map((record) => toBrowsedRecord(partition, record));
  const partitionSnapshot = requireTopic(snapshot, topic).partitions[partition];
  const logStartOffset = (answer.logStartOffset as number) >= 0 ? (answer.logStartOffset as number) : partitionSnapshot.logStartOffset;
  const nextOffset = records.length > 0 ? records[records.length - 1].offset + 1 : offset;
  return { topic, partition, records, nextOffset, logStartOffset, highWatermark: answer.highWatermark as number };
}

/** ListOffsets at the leader: the first offset, the end, or the first record at or after a time. */
export async function listOffset(client: ExternalClient, snapshot: ClusterSnapshot, topic: string, partition: number, position: OffsetPosition): Promise<{ offset: number; timestamp: number }> {
  const leader = requireLeader(snapshot, topic, partition);
  const timestamp = position === 'earliest' ? EARLIEST_TIMESTAMP : position === 'latest' ? LATEST_TIMESTAMP : position.timestamp;
  const response = await client.request(leader, LIST_OFFSETS, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
  }, LIST_OFFSETS_MAX_VERSION);
  const answer = ((response.topics as Message[])[0]?.partitions as Message[] | undefined)?.[0];
  if (!answer) throw new KafkaError('UNKNOWN_SERVER_ERROR', `Broker ${leader} did not answer for ${topic}-${partition}.`);
  throwIfError(answer.errorCode as number, `ListOffsets for ${topic}-${partition}`);
  const offset = (answer.oldStyleOffsets as number[] | undefined)?.[0] ?? (answer.offset as number);
  return { offset, timestamp: (answer.timestamp as number | undefined) ?? -1 };
}
