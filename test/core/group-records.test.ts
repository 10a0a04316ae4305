/**
 * Byte-level checks of what groups write: Java's String.hashCode and the group's partition of
 * __consumer_offsets, the consumer protocol's subscription and assignment (v0-v3), and the
 * offsets topic's keys and values in Kafka's schemas.
 */
import { describe, expect, it } from 'vitest';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, type Subscription } from '../../core/group/consumer-protocol';
import { JavaHashMap, javaHashOrder, javaStringHashCode, offsetsPartitionFor, topicPartitionHashCode } from '../../core/group/java-hash';
import {
  decodeOffsetsTopicRecord,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../core/group/offsets-records';
import { SchemaError } from '../../core/group/wire';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('Java hashing', () => {
  it('computes String.hashCode over UTF-16 code units with int32 overflow', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHashCode('\u{1F600}')).toBe(31 * 0xd83d + 0xde00);
  });

  it('places a group on abs(hashCode) % partitions, with abs(MIN_VALUE) = 0 (Utils.abs)', () => {
    expect(offsetsPartitionFor('hello', 50)).toBe(22);
    expect(offsetsPartitionFor('hello', 10)).toBe(2);
    expect(offsetsPartitionFor('polygenelubricants', 50)).toBe(0);
    // A negative hash counts by its absolute value.
    const negative = 'consumer1';
    expect(javaStringHashCode(negative)).toBeLessThan(0);
    expect(offsetsPartitionFor(negative, 50)).toBe(Math.abs(javaStringHashCode(negative)) % 50);
  });

  it('hashes TopicPartition as 31 * (31 + partition) + topic.hashCode()', () => {
    expect(topicPartitionHashCode('hello', 2)).toBe((31 * 33 + 99162322) | 0);
  });

  it('iterates like java.util.HashMap: by bucket of the spread hash, growing past a 0.75 load', () => {
    // consumer1..3 hash to consecutive values, so they fall in buckets 12, 11 and 10.
    expect(javaHashOrder(['consumer1', 'consumer2', 'consumer3'])).toEqual(['consumer3', 'consumer2', 'consumer1']);
    const map = new JavaHashMap<number>();
    for (let i = 0; i < 13; i++) map.set(`k${i}`, i);
    map.delete('k0');
    map.set('k0', 0);
    // The table doubled to 32 buckets at the 13th key; a re-added key goes to the end of its bucket.
    expect(map.keys()).toEqual([...map.keys()].sort((a, b) => ((javaStringHashCode(a) ^ (javaStringHashCode(a) >>> 16)) & 31) - ((javaStringHashCode(b) ^ (javaStringHashCode(b) >>> 16)) & 31)));
    expect(map.size).toBe(13);
  });
});

describe('consumer protocol', () => {
  const subscription: Subscription = {
    topics: ['orders', 'audit'],
    userData: Buffer.from([1, 2]),
    ownedPartitions: [{ topic: 'orders', partition: 1 }, { topic: 'audit', partition: 0 }, { topic: 'orders', partition: 0 }],
    generationId: 7,
    rackId: 'r1',
  };

  it('writes Subscription v3 as the Java client does: sorted topics and owned partitions', () => {
    expect(encodeSubscription(subscription).toString('hex')).toBe(
      hex(`
        0003
        00000002 0005 6175646974 0006 6f7264657273
        00000002 0102
        00000002 0005 6175646974 00000001 00000000  0006 6f7264657273 00000002 00000000 00000001
        00000007
        0002 7231`).toString('hex'),
    );
  });

  it('reads every subscription version, newer ones as v3', () => {
    for (const version of [0, 1, 2, 3]) {
      const decoded = decodeSubscription(encodeSubscription(subscription, version));
      expect(decoded.version).toBe(version);
      expect(decoded.topics).toEqual(['audit', 'orders']);
      expect(decoded.ownedPartitions).toHaveLength(version >= 1 ? 3 : 0);
      expect(decoded.generationId).toBe(version >= 2 ? 7 : -1);
      expect(decoded.rackId).toBe(version >= 3 ? 'r1' : null);
    }
    const v9 = Buffer.concat([hex('0009'), encodeSubscription(subscription).subarray(2), hex('deadbeef')]);
    expect(decodeSubscription(v9)).toMatchObject({ version: 3, generationId: 7 });
    expect(() => decodeSubscription(hex('0001 00000005'))).toThrow(SchemaError);
  });

  it('writes Assignment v3 grouped by topic in order of appearance, and reads it back', () => {
    const bytes = encodeAssignment({ partitions: [{ topic: 'b', partition: 2 }, { topic: 'a', partition: 0 }, { topic: 'b', partition: 0 }], userData: null });
    expect(bytes.toString('hex')).toBe(hex('0003 00000002 0001 62 00000002 00000002 00000000 0001 61 00000001 00000000 ffffffff').toString('hex'));
    expect(decodeAssignment(bytes).partitions).toEqual([{ topic: 'b', partition: 2 }, { topic: 'b', partition: 0 }, { topic: 'a', partition: 0 }]);
    expect(decodeAssignment(Buffer.alloc(0)).partitions).toEqual([]);
  });
});

describe('__consumer_offsets records', () => {
  it('writes OffsetCommitKey v1 and OffsetCommitValue v3', () => {
    expect(encodeOffsetCommitKey('g', 't', 3).toString('hex')).toBe('0001000167000174' + '00000003');
    const value = encodeOffsetCommitValue({ offset: 42, leaderEpoch: 5, metadata: '', commitTimestamp: 1_700_000_000_000 });
    expect(value.toString('hex')).toBe('0003' + '000000000000002a' + '00000005' + '0000' + '0000018bcfe56800');
    expect(decodeOffsetsTopicRecord(encodeOffsetCommitKey('g', 't', 3), value)).toEqual({
      type: 'offset-commit',
      group: 'g',
      topic: 't',
      partition: 3,
      value: { offset: 42, leaderEpoch: 5, metadata: '', commitTimestamp: 1_700_000_000_000, expireTimestamp: -1 },
    });
  });

  it('reads older OffsetCommitValue versions (v1 carries an expire timestamp)', () => {
    const v1 = hex('0001 0000000000000009 0002 6869 0000000000000064 00000000000000c8');
    expect(decodeOffsetsTopicRecord(encodeOffsetCommitKey('g', 't', 0), v1)).toMatchObject({ value: { offset: 9, metadata: 'hi', leaderEpoch: -1, commitTimestamp: 100, expireTimestamp: 200 } });
  });

  it('writes GroupMetadataKey v2 and GroupMetadataValue v3 with members, and tombstones', () => {
    expect(encodeGroupMetadataKey('g').toString('hex')).toBe('0002000167');
    const value = {
      protocolType: 'consumer',
      generation: 2,
      protocol: 'range',
      leader: 'm1',
      currentStateTimestamp: 1000,
      members: [{ memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', rebalanceTimeout: 300000, sessionTimeout: 45000, subscription: hex('0003'), assignment: hex('') }],
    };
    const bytes = encodeGroupMetadataValue(value);
    expect(bytes.toString('hex')).toBe(
      hex(`0003 0008 636f6e73756d6572 00000002 0005 72616e6765 0002 6d31 00000000000003e8
           00000001 0002 6d31 ffff 0001 63 000a 2f3132372e302e302e31 000493e0 0000afc8 00000002 0003 00000000`).toString('hex'),
    );
    expect(decodeOffsetsTopicRecord(encodeGroupMetadataKey('g'), bytes)).toEqual({ type: 'group-metadata', group: 'g', value });
    expect(decodeOffsetsTopicRecord(encodeGroupMetadataKey('g'), null)).toEqual({ type: 'group-metadata', group: 'g', value: null });
    expect(() => decodeOffsetsTopicRecord(hex('0007 0001 67'), null)).toThrow(SchemaError);
  });
});
