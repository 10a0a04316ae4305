/**
 * The records of __consumer_offsets in Kafka's own schemas (group-coordinator's
 * OffsetCommitKey/Value and GroupMetadataKey/Value JSON), so the topic reads exactly as a
 * Kafka broker's does to any tool. Every key and value starts with its int16 schema version;
 * the key version says the record type (0 and 1: an offset commit, 2: group metadata). A null
 * value is a tombstone: the offset or group was deleted.
 *
 * Written as Kafka 2.3+ writes them: OffsetCommitKey v1 with OffsetCommitValue v3, and
 * GroupMetadataKey v2 with GroupMetadataValue v3. Reading accepts value versions 0 to 3.
 */
import { SchemaError, WireReader, WireWriter } from './wire';

/** The internal topic holding committed offsets and group metadata. */
export const OFFSETS_TOPIC = '__consumer_offsets';

/** Key version of offset commits written (0 and 1 both mean an offset commit). */
export const OFFSET_COMMIT_KEY_VERSION = 1;
/** Key version of group metadata. */
export const GROUP_METADATA_KEY_VERSION = 2;
/** OffsetCommitValue version written. */
export const OFFSET_COMMIT_VALUE_VERSION = 3;
/** GroupMetadataValue version written. */
export const GROUP_METADATA_VALUE_VERSION = 3;

/** A committed offset (OffsetCommitValue). */
export interface OffsetCommitValue {
  offset: number;
  /** Leader epoch of the record before the offset (v3+), -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** v1 only; -1 otherwise. */
  expireTimestamp: number;
}

/** One member in GroupMetadataValue. */
export interface MemberMetadataValue {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeout: number;
  sessionTimeout: number;
  subscription: Buffer;
  assignment: Buffer;
}

/** A group's stored state (GroupMetadataValue). */
export interface GroupMetadataValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  currentStateTimestamp: number;
  members: MemberMetadataValue[];
}

/** A decoded record of __consumer_offsets. */
export type OffsetsTopicRecord =
  | { type: 'offset-commit'; group: string; topic: string; partition: number; value: OffsetCommitValue | null }
  | { type: 'group-metadata'; group: string; value: GroupMetadataValue | null };

/** OffsetCommitKey v1: (group, topic, partition). */
export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return new WireWriter().int16(OFFSET_COMMIT_KEY_VERSION).string(group).string(topic).int32(partition).toBuffer();
}

/** OffsetCommitValue v3: offset, leaderEpoch, metadata, commitTimestamp. */
export function encodeOffsetCommitValue(value: Omit<OffsetCommitValue, 'expireTimestamp'>): Buffer {
  return new WireWriter()
    .int16(OFFSET_COMMIT_VALUE_VERSION)
    .int64(value.offset)
    .int32(value.leaderEpoch)
    .string(value.metadata)
    .int64(value.commitTimestamp)
    .toBuffer();
}

/** GroupMetadataKey v2: the group id. */
export function encodeGroupMetadataKey(group: string): Buffer {
  return new WireWriter().int16(GROUP_METADATA_KEY_VERSION).string(group).toBuffer();
}

/** GroupMetadataValue v3, members included. */
export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const writer = new WireWriter(256);
  writer.int16(GROUP_METADATA_VALUE_VERSION);
  writer.string(value.protocolType).int32(value.generation).nullableString(value.protocol).nullableString(value.leader);
  writer.int64(value.currentStateTimestamp);
  writer.array(value.members, (member) => {
    writer.string(member.memberId).nullableString(member.groupInstanceId).string(member.clientId).string(member.clientHost);
    writer.int32(member.rebalanceTimeout).int32(member.sessionTimeout);
    writer.bytes(member.subscription).bytes(member.assignment);
  });
  return writer.toBuffer();
}

function decodeOffsetCommitValue(bytes: Buffer): OffsetCommitValue {
  const reader = new WireReader(bytes, 'OffsetCommitValue');
  const version = reader.int16();
  if (version < 0 || version > 3) throw new SchemaError(`Unknown OffsetCommitValue version ${version}`);
  const offset = reader.int64();
  const leaderEpoch = version >= 3 ? reader.int32() : -1;
  const metadata = reader.string();
  const commitTimestamp = reader.int64();
  const expireTimestamp = version === 1 ? reader.int64() : -1;
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

function decodeGroupMetadataValue(bytes: Buffer): GroupMetadataValue {
  const reader = new WireReader(bytes, 'GroupMetadataValue');
  const version = reader.int16();
  if (version < 0 || version > 3) throw new SchemaError(`Unknown GroupMetadataValue version ${version}`);
  const protocolType = reader.string();
  const generation = reader.int32();
  const protocol = reader.nullableString();
  const leader = reader.nullableString();
  const currentStateTimestamp = version >= 2 ? reader.int64() : -1;
  const members = reader.array((): MemberMetadataValue => {
    const memberId = reader.string();
    const groupInstanceId = version >= 3 ? reader.nullableString() : null;
    const clientId = reader.string();
    const clientHost = reader.string();
    const rebalanceTimeout = version >= 1 ? reader.int32() : -1;
    const sessionTimeout = reader.int32();
    const subscription = reader.bytes() ?? Buffer.alloc(0);
    const assignment = reader.bytes() ?? Buffer.alloc(0);
    return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout, subscription, assignment };
  });
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}

/** Decodes one record of __consumer_offsets from its key and value (null: tombstone). */
export function decodeOffsetsTopicRecord(key: Buffer, value: Buffer | null): OffsetsTopicRecord {
  const reader = new WireReader(key, 'a __consumer_offsets key');
  const version = reader.int16();
  if (version === 0 || version === 1) {
    const group = reader.string();
    const topic = reader.string();
    const partition = reader.int32();
    return { type: 'offset-commit', group, topic, partition, value: value === null ? null : decodeOffsetCommitValue(value) };
  }
  if (version === 2) {
    const group = reader.string();
    return { type: 'group-metadata', group, value: value === null ? null : decodeGroupMetadataValue(value) };
  }
  throw new SchemaError(`Unknown __consumer_offsets key version ${version}`);
}
