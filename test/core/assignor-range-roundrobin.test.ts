/**
 * Kafka's own test cases for `range` (RangeAssignorTest) and `roundrobin`
 * (RoundRobinAssignorTest), rack-less, plus the layout the issue asks for: three consumers on
 * six partitions.
 */
import { describe, expect, it } from 'vitest';
import { RangeAssignor, RoundRobinAssignor, createAssignor, rebalanceProtocolFor, type MemberSubscription } from '../../core/group/assignors';
import type { TopicPartition } from '../../core/group/consumer-protocol';

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });

function member(topics: string[], groupInstanceId: string | null = null): MemberSubscription {
  return { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null, groupInstanceId };
}

const twoTopics = (p1: number, p2: number): Map<string, number> => new Map([['topic1', p1], ['topic2', p2]]);

describe('range (Kafka test cases)', () => {
  const assignor = new RangeAssignor();

  it('gives one consumer nothing without topics, and all partitions of its only topic', () => {
    expect(assignor.assign(new Map(), new Map([['consumer1', member([])]])).get('consumer1')).toEqual([]);
    expect(assignor.assign(new Map(), new Map([['consumer1', member(['topic1'])]])).get('consumer1')).toEqual([]);
    const only = assignor.assign(new Map([['topic1', 3], ['other', 3]]), new Map([['consumer1', member(['topic1'])]]));
    expect(only.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 1), tp('topic1', 2)]);
    expect(assignor.assign(twoTopics(1, 2), new Map([['consumer1', member(['topic1', 'topic2'])]])).get('consumer1')).toEqual([
      tp('topic1', 0),
      tp('topic2', 0),
      tp('topic2', 1),
    ]);
  });

  it('splits topics between two consumers, the first taking the extra partition', () => {
    const one = assignor.assign(new Map([['topic1', 1]]), new Map([['consumer1', member(['topic1'])], ['consumer2', member(['topic1'])]]));
    expect(one.get('consumer1')).toEqual([tp('topic1', 0)]);
    expect(one.get('consumer2')).toEqual([]);
    const six = assignor.assign(twoTopics(3, 3), new Map([['consumer1', member(['topic1', 'topic2'])], ['consumer2', member(['topic1', 'topic2'])]]));
    expect(six.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 1), tp('topic2', 0), tp('topic2', 1)]);
    expect(six.get('consumer2')).toEqual([tp('topic1', 2), tp('topic2', 2)]);
  });

  it('assigns mixed subscriptions per topic (testMultipleConsumersMixedTopics)', () => {
    const subscriptions = new Map([['consumer1', member(['topic1'])], ['consumer2', member(['topic1', 'topic2'])], ['consumer3', member(['topic1'])]]);
    const assignment = assignor.assign(twoTopics(3, 2), subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 2)]);
  });

  it('orders static members by instance id before dynamic ones', () => {
    const both = assignor.assign(twoTopics(3, 3), new Map([['consumer-b', member(['topic1', 'topic2'], 'instance1')], ['consumer-a', member(['topic1', 'topic2'], 'instance2')]]));
    expect(both.get('consumer-b')).toEqual([tp('topic1', 0), tp('topic1', 1), tp('topic2', 0), tp('topic2', 1)]);
    expect(both.get('consumer-a')).toEqual([tp('topic1', 2), tp('topic2', 2)]);
    const mixed = assignor.assign(twoTopics(3, 3), new Map([['consumer-b', member(['topic1', 'topic2'], 'instance1')], ['consumer-a', member(['topic1', 'topic2'])]]));
    expect(mixed.get('consumer-b')).toEqual([tp('topic1', 0), tp('topic1', 1), tp('topic2', 0), tp('topic2', 1)]);
  });

  it('keeps static members’ ranges when a dynamic member is replaced (testStaticMemberRangeAssignmentPersistent)', () => {
    const subscriptions = new Map([
      ['consumer1', member(['topic1', 'topic2'], 'instance1')],
      ['consumer2', member(['topic1', 'topic2'], 'instance2')],
      ['consumer3', member(['topic1', 'topic2'], 'instance3')],
      ['consumer4', member(['topic1', 'topic2'])],
    ]);
    const expected = new Map([
      ['consumer1', [tp('topic1', 0), tp('topic1', 1), tp('topic2', 0)]],
      ['consumer2', [tp('topic1', 2), tp('topic2', 1)]],
      ['consumer3', [tp('topic1', 3), tp('topic2', 2)]],
      ['consumer4', [tp('topic1', 4), tp('topic2', 3)]],
    ]);
    expect(assignor.assign(twoTopics(5, 4), subscriptions)).toEqual(expected);
    subscriptions.delete('consumer4');
    subscriptions.set('consumer5', member(['topic1', 'topic2']));
    expected.delete('consumer4');
    expected.set('consumer5', [tp('topic1', 4), tp('topic2', 3)]);
    expect(assignor.assign(twoTopics(5, 4), subscriptions)).toEqual(expected);
  });

  it('gives three consumers two partitions each of a six-partition topic: [0,1], [2,3], [4,5]', () => {
    const subscriptions = new Map(['c1', 'c2', 'c3'].map((id) => [id, member(['orders'])]));
    const assignment = assignor.assign(new Map([['orders', 6]]), subscriptions);
    expect([...assignment.values()].map((list) => list.map((p) => p.partition))).toEqual([[0, 1], [2, 3], [4, 5]]);
  });
});

describe('roundrobin (Kafka test cases)', () => {
  const assignor = new RoundRobinAssignor();

  it('deals partitions in a circle and skips members not subscribed (testMultipleConsumersMixedTopics)', () => {
    const subscriptions = new Map([['consumer1', member(['topic1'])], ['consumer2', member(['topic1', 'topic2'])], ['consumer3', member(['topic1'])]]);
    const assignment = assignor.assign(twoTopics(3, 2), subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 2)]);
  });

  it('deals two topics of three partitions to two consumers, static or dynamic', () => {
    const dynamic = assignor.assign(twoTopics(3, 3), new Map([['consumer1', member(['topic1', 'topic2'])], ['consumer2', member(['topic1', 'topic2'])]]));
    expect(dynamic.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 2), tp('topic2', 1)]);
    expect(dynamic.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 2)]);
    const statics = assignor.assign(twoTopics(3, 3), new Map([['consumer-b', member(['topic1', 'topic2'], 'instance1')], ['consumer-a', member(['topic1', 'topic2'], 'instance2')]]));
    expect(statics.get('consumer-b')).toEqual([tp('topic1', 0), tp('topic1', 2), tp('topic2', 1)]);
    expect(statics.get('consumer-a')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 2)]);
  });

  it('keeps static members’ partitions when a dynamic member is replaced (testStaticMemberRoundRobinAssignmentPersistent)', () => {
    const subscriptions = new Map([
      ['consumer1', member(['topic1', 'topic2'], 'instance1')],
      ['consumer2', member(['topic1', 'topic2'], 'instance2')],
      ['consumer3', member(['topic1', 'topic2'], 'instance3')],
      ['consumer4', member(['topic1', 'topic2'])],
    ]);
    const expected = new Map([
      ['consumer1', [tp('topic1', 0), tp('topic2', 1)]],
      ['consumer2', [tp('topic1', 1), tp('topic2', 2)]],
      ['consumer3', [tp('topic1', 2)]],
      ['consumer4', [tp('topic2', 0)]],
    ]);
    expect(assignor.assign(twoTopics(3, 3), subscriptions)).toEqual(expected);
  });

  it('gives three consumers two partitions each of a six-partition topic: [0,3], [1,4], [2,5]', () => {
    const subscriptions = new Map(['c1', 'c2', 'c3'].map((id) => [id, member(['orders'])]));
    const assignment = assignor.assign(new Map([['orders', 6]]), subscriptions);
    expect([...assignment.values()].map((list) => list.map((p) => p.partition))).toEqual([[0, 3], [1, 4], [2, 5]]);
  });
});

describe('assignor registry', () => {
  it('chooses cooperative rebalancing only when every configured assignor supports it', () => {
    expect(rebalanceProtocolFor([createAssignor('cooperative-sticky')])).toBe('cooperative');
    expect(rebalanceProtocolFor([createAssignor('range'), createAssignor('cooperative-sticky')])).toBe('eager');
    expect(rebalanceProtocolFor([createAssignor('sticky')])).toBe('eager');
  });
});
