/**
 * Kafka's consumer protocol (ConsumerProtocolSubscription.json and
 * ConsumerProtocolAssignment.json, versions 0 to 3): the bytes a consumer puts in JoinGroup as
 * its protocol metadata and the bytes the leader hands back through SyncGroup. Each starts with
 * an int16 version; a newer version than 3 is read as version 3, as the Java client does, so
 * future fields are ignored. Remote members' metadata decodes with the same functions, which is
 * what lets one group mix in-app and remote consumers.
 */
import { SchemaError, WireReader, WireWriter } from './wire';

/** The protocol type of consumer groups. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** Highest subscription and assignment version (both schemas move together). */
export const CONSUMER_PROTOCOL_VERSION = 3;

/** A topic and partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** What one member asks for. */
export interface Subscription {
  /** Subscribed topics (written sorted). */
  topics: string[];
  /** Assignor-specific data (e.g. the sticky assignor's previous assignment), or null. */
  userData: Buffer | null;
  /** Partitions the member owns now (v1+); written sorted by topic, then partition. */
  ownedPartitions: TopicPartition[];
  /** Generation of the owned partitions (v2+); -1 when unknown. */
  generationId: number;
  /** client.rack (v3+), or null. */
  rackId: string | null;
}

/** What the leader gives one member. */
export interface Assignment {
  partitions: TopicPartition[];
  userData: Buffer | null;
}

/** Sorts partitions by topic, then partition (Kafka's TopicPartition order in the protocol). */
export function sortPartitions(partitions: readonly TopicPartition[]): TopicPartition[] {
  return [...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** Groups partitions by topic in order of first appearance, keeping partition order. */
function groupByTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let list = groups.get(topic);
    if (!list) groups.set(topic, (list = []));
    list.push(partition);
  }
  return [...groups].map(([topic, list]) => ({ topic, partitions: list }));
}

function checkVersion(version: number, what: string): number {
  if (version < 0) throw new SchemaError(`Unsupported ${what} version: ${version}`);
  return Math.min(version, CONSUMER_PROTOCOL_VERSION);
}

/** Encodes a subscription as the Java client does: version prefix, sorted topics and owned partitions. */
export function encodeSubscription(subscription: Subscription, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const v = checkVersion(version, 'subscription');
  const writer = new WireWriter();
  writer.int16(v);
  writer.array([...subscription.topics].sort(), (topic) => writer.string(topic));
  writer.bytes(subscription.userData);
  if (v >= 1) {
    writer.array(groupByTopic(sortPartitions(subscription.ownedPartitions)), (group) => {
      writer.string(group.topic);
      writer.array(group.partitions, (p) => writer.int32(p));
    });
  }
  if (v >= 2) writer.int32(subscription.generationId);
  if (v >= 3) writer.nullableString(subscription.rackId);
  return writer.toBuffer();
}

/** Decodes a subscription of any version (newer ones read as version 3). */
export function decodeSubscription(bytes: Buffer): Subscription & { version: number } {
  const reader = new WireReader(bytes, "consumer protocol's subscription");
  const version = checkVersion(reader.int16(), 'subscription');
  const topics = reader.array(() => reader.string());
  const userData = reader.bytes();
  const ownedPartitions: TopicPartition[] = [];
  if (version >= 1) {
    for (const group of reader.array(() => ({ topic: reader.string(), partitions: reader.array(() => reader.int32()) }))) {
      for (const partition of group.partitions) ownedPartitions.push({ topic: group.topic, partition });
    }
  }
  const generationId = version >= 2 ? reader.int32() : -1;
  const rack = version >= 3 ? reader.nullableString() : null;
  return { version, topics, userData, ownedPartitions, generationId, rackId: rack === '' ? null : rack };
}

/** Encodes an assignment; partitions are grouped by topic in order of first appearance. */
export function encodeAssignment(assignment: Assignment, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const writer = new WireWriter();
  writer.int16(checkVersion(version, 'assignment'));
  writer.array(groupByTopic(assignment.partitions), (group) => {
    writer.string(group.topic);
    writer.array(group.partitions, (p) => writer.int32(p));
  });
  writer.bytes(assignment.userData);
  return writer.toBuffer();
}

/** Decodes an assignment of any version; empty bytes (a member the leader left out) mean no partitions. */
export function decodeAssignment(bytes: Buffer): Assignment & { version: number } {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  const reader = new WireReader(bytes, "consumer protocol's assignment");
  const version = checkVersion(reader.int16(), 'assignment');
  const partitions: TopicPartition[] = [];
  for (const group of reader.array(() => ({ topic: reader.string(), partitions: reader.array(() => reader.int32()) }))) {
    for (const partition of group.partitions) partitions.push({ topic: group.topic, partition });
  }
  return { version, partitions, userData: reader.bytes() };
}
