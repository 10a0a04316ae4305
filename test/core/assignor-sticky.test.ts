/**
 * Kafka's own test cases for the sticky assignors (AbstractStickyAssignorTest,
 * StickyAssignorTest, CooperativeStickyAssignorTest; rack-less variants), run against both
 * `sticky` and `cooperative-sticky`. Exact expectations, list order included, are Kafka's.
 */
import { describe, expect, it } from 'vitest';
import type { MemberSubscription, PartitionAssignor } from '../../core/group/assignors';
import { CooperativeStickyAssignor, StickyAssignor } from '../../core/group/assignors';
import { encodeStickyUserData } from '../../core/group/assignors/sticky-assignors';
import type { TopicPartition } from '../../core/group/consumer-protocol';

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
const GENERATION = 1;

type Kind = 'sticky' | 'cooperative-sticky';

/** A member with no previous ownership (the tests' `subscription(topics, i)`). */
function fresh(topics: string[]): MemberSubscription {
  return { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null, groupInstanceId: null };
}

/** A member reporting owned partitions of a generation, as each assignor's client writes it (buildSubscriptionV2Above). */
function owning(kind: Kind, topics: string[], owned: TopicPartition[], generation: number): MemberSubscription {
  const userData = kind === 'sticky' ? encodeStickyUserData(owned, generation) : new CooperativeStickyAssignor().subscriptionUserData();
  return { topics, userData, ownedPartitions: owned, generationId: generation, rackId: null, groupInstanceId: null };
}

function create(kind: Kind): PartitionAssignor {
  return kind === 'sticky' ? new StickyAssignor() : new CooperativeStickyAssignor();
}

const key = (p: TopicPartition): string => `${p.topic}-${p.partition}`;

/** Kafka's verifyValidityAndBalance: subscribed topics only, no partition twice, nothing movable to a member 2+ partitions lighter. */
function verifyBase(subscriptions: Map<string, MemberSubscription>, assignment: Map<string, TopicPartition[]>): void {
  expect(assignment.size).toBe(subscriptions.size);
  const members = [...assignment.keys()].sort();
  for (let i = 0; i < members.length; i++) {
    const partitions = assignment.get(members[i])!;
    for (const p of partitions) expect(subscriptions.get(members[i])!.topics).toContain(p.topic);
    for (let j = i + 1; j < members.length; j++) {
      const others = assignment.get(members[j])!;
      expect(partitions.filter((p) => others.some((o) => key(o) === key(p)))).toEqual([]);
      if (Math.abs(partitions.length - others.length) <= 1) continue;
      const topics = new Set(partitions.map((p) => p.topic));
      for (const other of others) expect(topics.has(other.topic), `${members[i]} vs ${members[j]} could balance`).toBe(false);
    }
  }
}

/**
 * The cooperative variant first runs the follow-up rebalances a revocation triggers (at most
 * four), checking that no partition is revoked and assigned in the same rebalance, and leaves
 * the final assignment in `assignment`, as Kafka's CooperativeStickyAssignorTest does.
 */
function verify(kind: Kind, assignor: PartitionAssignor, partitionsPerTopic: Map<string, number>, subscriptions: Map<string, MemberSubscription>, assignment: Map<string, TopicPartition[]>): void {
  if (kind === 'cooperative-sticky') {
    for (let rounds = 0; ; rounds++) {
      const added = new Set<string>();
      const revoked = new Set<string>();
      for (const [member, assigned] of assignment) {
        const owned = subscriptions.get(member)!.ownedPartitions.map(key);
        for (const p of assigned.map(key)) if (!owned.includes(p)) added.add(p);
        for (const p of owned) if (!assigned.map(key).includes(p)) revoked.add(p);
      }
      expect([...added].filter((p) => revoked.has(p))).toEqual([]);
      if (revoked.size === 0) break;
      expect(rounds).toBeLessThan(4);
      for (const [member, assigned] of assignment) subscriptions.set(member, owning(kind, subscriptions.get(member)!.topics, assigned, GENERATION));
      const next = assignor.assign(partitionsPerTopic, subscriptions);
      assignment.clear();
      for (const [member, list] of next) assignment.set(member, list);
    }
  }
  verifyBase(subscriptions, assignment);
}

function fullyBalanced(assignment: Map<string, TopicPartition[]>): boolean {
  const sizes = [...assignment.values()].map((list) => list.length);
  return Math.max(...sizes) - Math.min(...sizes) <= 1;
}

const sorted = (list: TopicPartition[]): string[] => list.map(key).sort();
const name = (prefix: string, i: number, max: number): string => prefix + String(i).padStart(String(max).length, '0');

describe.each<Kind>(['sticky', 'cooperative-sticky'])('%s assignor (Kafka test cases)', (kind) => {
  it('gives one consumer every partition of its topic, and only of subscribed topics', () => {
    const assignor = create(kind);
    const subscriptions = new Map([['consumer', fresh(['topic'])]]);
    expect(assignor.assign(new Map([['topic', 3]]), subscriptions).get('consumer')).toEqual([tp('topic', 0), tp('topic', 1), tp('topic', 2)]);
    const multiple = assignor.assign(new Map([['topic1', 1], ['topic2', 2]]), new Map([['consumer', fresh(['topic1', 'topic2'])]]));
    expect(multiple.get('consumer')).toEqual([tp('topic1', 0), tp('topic2', 0), tp('topic2', 1)]);
    const owned = owning(kind, ['topic'], [tp('topic', 0), tp('topic', 1), tp('other', 0), tp('other', 1)], GENERATION);
    expect(assignor.assign(new Map([['topic', 2]]), new Map([['consumer', owned]])).get('consumer')).toEqual([tp('topic', 0), tp('topic', 1)]);
  });

  it('splits two partitions between two consumers, and mixed subscriptions by the general algorithm', () => {
    const assignor = create(kind);
    let assignment = assignor.assign(new Map([['topic', 2]]), new Map([['consumer1', fresh(['topic'])], ['consumer2', fresh(['topic'])]]));
    expect(assignment.get('consumer1')).toEqual([tp('topic', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic', 1)]);
    const subscriptions = new Map([['consumer1', fresh(['topic1'])], ['consumer2', fresh(['topic1', 'topic2'])], ['consumer3', fresh(['topic1'])]]);
    assignment = assignor.assign(new Map([['topic1', 3], ['topic2', 2]]), subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 2)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic2', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 1)]);
  });

  it('deals two topics of three partitions to two consumers (testTwoConsumersTwoTopicsSixPartitions)', () => {
    const assignor = create(kind);
    const subscriptions = new Map([['consumer1', fresh(['topic1', 'topic2'])], ['consumer2', fresh(['topic1', 'topic2'])]]);
    const assignment = assignor.assign(new Map([['topic1', 3], ['topic2', 3]]), subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 2), tp('topic2', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 2)]);
  });

  it('tops up a consumer owning minQuota to maxQuota (testConsumerOwningMinQuotaExpectedMaxQuota)', () => {
    const assignor = create(kind);
    const topics = ['topic1', 'topic2'];
    const partitionsPerTopic = new Map([['topic1', 2], ['topic2', 3]]);
    const subscriptions = new Map([
      ['consumer1', owning(kind, topics, [tp('topic1', 0), tp('topic2', 1)], GENERATION)],
      ['consumer2', owning(kind, topics, [tp('topic1', 1), tp('topic2', 2)], GENERATION)],
    ]);
    const assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic2', 1), tp('topic2', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 2)]);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
  });

  it('lets only the expected number of members keep maxQuota (testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers)', () => {
    const assignor = create(kind);
    const topics = ['topic1', 'topic2'];
    const partitionsPerTopic = new Map([['topic1', 2], ['topic2', 2]]);
    const subscriptions = new Map([
      ['consumer1', owning(kind, topics, [tp('topic1', 0), tp('topic2', 0)], GENERATION)],
      ['consumer2', owning(kind, topics, [tp('topic1', 1), tp('topic2', 1)], GENERATION)],
      ['consumer3', owning(kind, topics, [], GENERATION)],
    ]);
    const assignment = assignor.assign(partitionsPerTopic, subscriptions);
    if (kind === 'cooperative-sticky') expect(assignment.get('consumer3')).toEqual([]); // topic2-0 changes owner: withheld once
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic2', 0)]);
  });

  it('fills members that are all under minQuota (testAllConsumersAreUnderMinQuota)', () => {
    const assignor = create(kind);
    const topics = ['topic1', 'topic2'];
    const partitionsPerTopic = new Map([['topic1', 2], ['topic2', 3]]);
    const subscriptions = new Map([
      ['consumer1', owning(kind, topics, [tp('topic1', 0)], GENERATION)],
      ['consumer2', owning(kind, topics, [tp('topic1', 1)], GENERATION)],
      ['consumer3', owning(kind, topics, [], GENERATION)],
    ]);
    const assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 2)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic2', 0)]);
  });

  it('adds and removes a consumer of one topic (testAddRemoveConsumerOneTopic)', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map([['topic', 3]]);
    const subscriptions = new Map([['consumer1', fresh(['topic'])]]);
    let assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic', 0), tp('topic', 1), tp('topic', 2)]);
    subscriptions.set('consumer1', owning(kind, ['topic'], assignment.get('consumer1')!, GENERATION));
    subscriptions.set('consumer2', owning(kind, ['topic'], [], GENERATION));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(assignment.get('consumer1')).toEqual([tp('topic', 0), tp('topic', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic', 2)]);
    subscriptions.delete('consumer1');
    subscriptions.set('consumer2', owning(kind, ['topic'], assignment.get('consumer2')!, GENERATION));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(sorted(assignment.get('consumer2')!)).toEqual(['topic-0', 'topic-1', 'topic-2']);
  });

  it('adds and removes two consumers of two topics, in Kafka’s exact order (testAddRemoveTwoConsumersTwoTopics)', () => {
    const assignor = create(kind);
    const topics = ['topic1', 'topic2'];
    const partitionsPerTopic = new Map([['topic1', 3], ['topic2', 4]]);
    const subscriptions = new Map([['consumer1', fresh(topics)], ['consumer2', fresh(topics)]]);
    let assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic1', 2), tp('topic2', 1), tp('topic2', 3)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1), tp('topic2', 0), tp('topic2', 2)]);
    subscriptions.set('consumer1', owning(kind, topics, assignment.get('consumer1')!, GENERATION));
    subscriptions.set('consumer2', owning(kind, topics, assignment.get('consumer2')!, GENERATION));
    subscriptions.set('consumer3', owning(kind, topics, [], GENERATION));
    subscriptions.set('consumer4', owning(kind, topics, [], GENERATION));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic2', 0), tp('topic1', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 2), tp('topic2', 3)]);
    expect(assignment.get('consumer4')).toEqual([tp('topic2', 2)]);
    subscriptions.delete('consumer1');
    subscriptions.delete('consumer2');
    subscriptions.set('consumer3', owning(kind, topics, assignment.get('consumer3')!, GENERATION));
    subscriptions.set('consumer4', owning(kind, topics, assignment.get('consumer4')!, GENERATION));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 2), tp('topic2', 3), tp('topic1', 0), tp('topic2', 1)]);
    expect(assignment.get('consumer4')).toEqual([tp('topic2', 2), tp('topic1', 1), tp('topic2', 0)]);
  });

  it('keeps owned partitions when every member reaches its quota (testAllConsumersReachExpectedQuotaAndAreConsideredFilled)', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map([['topic', 4]]);
    const subscriptions = new Map([
      ['consumer1', owning(kind, ['topic'], [tp('topic', 0), tp('topic', 1)], GENERATION)],
      ['consumer2', owning(kind, ['topic'], [tp('topic', 2)], GENERATION)],
      ['consumer3', owning(kind, ['topic'], [], GENERATION)],
    ]);
    const assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic', 0), tp('topic', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic', 2)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic', 3)]);
  });

  it('gives a partition claimed by two members of the same generation to neither (testPartitionsTransferringOwnershipInclude…)', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map([['topic', 3]]);
    const subscriptions = new Map([
      ['consumer1', owning(kind, ['topic'], [tp('topic', 0), tp('topic', 1)], GENERATION)],
      ['consumer2', owning(kind, ['topic'], [tp('topic', 0), tp('topic', 2)], GENERATION)],
      ['consumer3', owning(kind, ['topic'], [], GENERATION)],
    ]);
    const assignment = assignor.assign(partitionsPerTopic, subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic', 1)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic', 2)]);
    // The cooperative assignor counts topic-0 as owned until both members have revoked it.
    expect(assignment.get('consumer3')).toEqual(kind === 'sticky' ? [tp('topic', 0)] : []);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(assignment.get('consumer3')).toEqual([tp('topic', 0)]);
  });

  it('invalidates partitions owned by a member of a stale or no generation', () => {
    for (const stale of [9, -1]) {
      const assignor = create(kind);
      const topics = ['topic', 'topic2'];
      const partitionsPerTopic = new Map([['topic', 3], ['topic2', 3]]);
      const owned = [tp('topic', 0), tp('topic', 2), tp('topic2', 1)];
      const subscriptions = new Map([['consumer1', owning(kind, topics, owned, 10)], ['consumer2', owning(kind, topics, owned, stale)]]);
      const assignment = assignor.assign(partitionsPerTopic, subscriptions);
      expect(sorted(assignment.get('consumer1')!)).toEqual(['topic-0', 'topic-2', 'topic2-1']);
      expect(sorted(assignment.get('consumer2')!)).toEqual(['topic-1', 'topic2-0', 'topic2-2']);
    }
  });

  it('assigns partitions to the member with the highest generation (testEnsurePartitionsAssignedToHighestGeneration)', () => {
    const assignor = create(kind);
    const topics = ['topic', 'topic2', 'topic3'];
    const subscriptions = new Map([
      ['consumer1', owning(kind, topics, [tp('topic', 0), tp('topic2', 0), tp('topic3', 0)], 10)],
      ['consumer2', owning(kind, topics, [tp('topic', 1), tp('topic2', 1), tp('topic3', 1)], 9)],
      ['consumer3', owning(kind, topics, [tp('topic2', 1), tp('topic3', 0), tp('topic3', 2)], 8)],
    ]);
    const assignment = assignor.assign(new Map([['topic', 3], ['topic2', 3], ['topic3', 3]]), subscriptions);
    expect(sorted(assignment.get('consumer1')!)).toEqual(['topic-0', 'topic2-0', 'topic3-0']);
    expect(sorted(assignment.get('consumer2')!)).toEqual(['topic-1', 'topic2-1', 'topic3-1']);
    expect(sorted(assignment.get('consumer3')!)).toEqual(['topic-2', 'topic2-2', 'topic3-2']);
  });

  it('balances a scenario round robin handles poorly, and moves existing assignments validly', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map(Array.from({ length: 5 }, (_, i) => [`topic${i + 1}`, ((i + 1) % 2) + 1] as [string, number]));
    const all = ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'];
    const odd = ['topic1', 'topic3', 'topic5'];
    const subscriptions = new Map([['consumer1', fresh(all)], ['consumer2', fresh(odd)], ['consumer3', fresh(odd)], ['consumer4', fresh(all)]]);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignor.assign(partitionsPerTopic, subscriptions));
    const six = new Map(Array.from({ length: 6 }, (_, i) => [`topic${i + 1}`, 1] as [string, number]));
    const moving = new Map([
      ['consumer1', owning(kind, ['topic1', 'topic2'], [tp('topic1', 0)], GENERATION)],
      ['consumer2', owning(kind, ['topic1', 'topic2', 'topic3', 'topic4'], [tp('topic2', 0), tp('topic3', 0)], GENERATION)],
      ['consumer3', owning(kind, ['topic2', 'topic3', 'topic4', 'topic5', 'topic6'], [tp('topic4', 0), tp('topic5', 0), tp('topic6', 0)], GENERATION)],
    ]);
    verify(kind, assignor, six, moving, assignor.assign(six, moving));
  });

  it('stays valid, balanced and sticky when one of nineteen consumers with growing subscriptions leaves', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map(Array.from({ length: 19 }, (_, i) => [name('t', i + 1, 20), i + 1] as [string, number]));
    const subscriptions = new Map<string, MemberSubscription>();
    for (let i = 1; i < 20; i++) subscriptions.set(name('c', i, 20), fresh(Array.from({ length: i }, (_, j) => name('t', j + 1, 20))));
    let assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    for (const [member, subscription] of subscriptions) subscriptions.set(member, owning(kind, subscription.topics, assignment.get(member)!, GENERATION));
    const before = new Map(assignment);
    subscriptions.delete('c10');
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    // Every remaining consumer keeps what it had when nothing forces a move.
    let kept = 0;
    for (const [member, list] of assignment) kept += before.get(member)!.filter((p) => list.some((q) => key(q) === key(p))).length;
    expect(kept).toBeGreaterThan(0.8 * [...before.values()].flat().length - before.get('c10')!.length);
  });

  it('keeps a member’s partition after the potential leader leaves (testStickiness)', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map([['topic1', 3]]);
    const subscriptions = new Map(['consumer1', 'consumer2', 'consumer3', 'consumer4'].map((c) => [c, fresh(['topic1'])]));
    let assignment = assignor.assign(partitionsPerTopic, subscriptions);
    const first = new Map([...assignment].filter(([, list]) => list.length === 1).map(([member, list]) => [member, key(list[0])]));
    subscriptions.delete('consumer1');
    for (const member of ['consumer2', 'consumer3', 'consumer4']) subscriptions.set(member, owning(kind, ['topic1'], assignment.get(member)!, GENERATION));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    for (const [member, list] of assignment) {
      expect(list).toHaveLength(1);
      if (first.has(member)) expect(key(list[0])).toBe(first.get(member));
    }
  });

  it('handles topics that disappear', () => {
    const assignor = create(kind);
    const assignment = assignor.assign(new Map([['topic1', 1], ['topic3', 100]]), new Map([['consumer', fresh(['topic1', 'topic2', 'topic3'])]]));
    expect(assignment.get('consumer')).toHaveLength(101);
    const owned = new Map([['consumer', owning(kind, ['topic'], [tp('topic', 0), tp('topic', 1), tp('topic', 2)], GENERATION)]]);
    expect(assignor.assign(new Map(), owned).get('consumer')).toEqual([]);
  });

  it('stays valid and balanced with twenty members of one topic of twenty partitions joining one by one', () => {
    const assignor = create(kind);
    const partitionsPerTopic = new Map([['topic', 20]]);
    const subscriptions = new Map<string, MemberSubscription>();
    for (let i = 1; i < 10; i++) subscriptions.set(name('c', i, 10), fresh(['topic']));
    let assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    subscriptions.set(name('c', 10, 10), fresh(['topic']));
    assignment = assignor.assign(partitionsPerTopic, subscriptions);
    verify(kind, assignor, partitionsPerTopic, subscriptions, assignment);
    expect(fullyBalanced(assignment)).toBe(true);
  });
});

describe('cooperative-sticky specifics', () => {
  it('reads owned partitions from v1 subscriptions and the generation from user data (testAssignorWithOldVersionSubscriptions)', () => {
    const assignor = new CooperativeStickyAssignor();
    const v1 = (owned: TopicPartition[]): MemberSubscription => {
      const member = new CooperativeStickyAssignor();
      member.onAssignment(owned, GENERATION);
      return { topics: ['topic1'], userData: member.subscriptionUserData(), ownedPartitions: owned, generationId: -1, rackId: null, groupInstanceId: null };
    };
    const subscriptions = new Map([
      ['consumer1', v1([tp('topic1', 0)])],
      ['consumer2', v1([tp('topic1', 1)])],
      ['consumer3', owning('cooperative-sticky', ['topic1'], [], GENERATION)],
    ]);
    const assignment = assignor.assign(new Map([['topic1', 3]]), subscriptions);
    expect(assignment.get('consumer1')).toEqual([tp('topic1', 0)]);
    expect(assignment.get('consumer2')).toEqual([tp('topic1', 1)]);
    expect(assignment.get('consumer3')).toEqual([tp('topic1', 2)]);
  });

  it('encodes its generation as an int32 of user data', () => {
    const assignor = new CooperativeStickyAssignor();
    expect(assignor.subscriptionUserData()).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    assignor.onAssignment([], 10);
    const data = CooperativeStickyAssignor.memberData({ ...fresh(['topic']), userData: assignor.subscriptionUserData() });
    expect(data.generation).toBe(10);
    expect(CooperativeStickyAssignor.memberData(fresh(['topic'])).generation).toBeNull();
  });
});

describe('sticky user data', () => {
  it('round-trips previous assignment and generation, and falls back to the v0 layout', () => {
    const assignor = new StickyAssignor();
    expect(assignor.subscriptionUserData()).toBeNull();
    assignor.onAssignment([tp('topic1', 0), tp('topic2', 1)], 7);
    const data = StickyAssignor.memberData({ ...fresh(['topic1']), userData: assignor.subscriptionUserData() });
    expect(sorted(data.partitions)).toEqual(['topic1-0', 'topic2-1']);
    expect(data.generation).toBe(7);
    const v0 = encodeStickyUserData([tp('t', 3)], null);
    expect(StickyAssignor.memberData({ ...fresh(['t']), userData: v0 })).toEqual({ partitions: [tp('t', 3)], generation: null });
  });
});
