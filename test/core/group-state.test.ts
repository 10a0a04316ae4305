/**
 * The classic group's bookkeeping as Kafka's ClassicGroup keeps it: legal state transitions,
 * which protocols a joining member may bring, the protocol vote, and the leader.
 */
import { describe, expect, it } from 'vitest';
import { ClassicGroup, GroupMember } from '../../core/group/group';
import { javaHashOrder } from '../../core/group/java-hash';

function member(id: string, protocols: string[]): GroupMember {
  return new GroupMember(id, null, 'client', '/127.0.0.1', 10_000, 10_000, 'consumer', protocols.map((name) => ({ name, metadata: Buffer.from(name) })));
}

describe('classic group state', () => {
  it('allows only Kafka’s transitions', () => {
    const group = new ClassicGroup('g', 'Empty', 0);
    expect(() => group.transitionTo('Stable', 1)).toThrow(/cannot go from Empty to Stable/);
    group.transitionTo('PreparingRebalance', 1);
    expect(() => group.transitionTo('Stable', 2)).toThrow();
    group.transitionTo('CompletingRebalance', 2);
    group.transitionTo('Stable', 3);
    expect(group.canRebalance()).toBe(true);
    expect(group).toMatchObject({ state: 'Stable', previousState: 'CompletingRebalance', currentStateTimestamp: 3 });
    group.transitionTo('Dead', 4);
    expect(group.canRebalance()).toBe(false);
  });

  it('makes the first member the leader and accepts members sharing a protocol', () => {
    const group = new ClassicGroup('g', 'Empty', 0);
    expect(group.supportsProtocols('', ['range'])).toBe(false);
    expect(group.supportsProtocols('consumer', [])).toBe(false);
    group.add(member('a', ['range', 'roundrobin']), null);
    group.transitionTo('PreparingRebalance', 1);
    group.add(member('b', ['roundrobin', 'range']), null);
    expect(group.leaderId).toBe('a');
    expect(group.supportsProtocols('consumer', ['sticky'])).toBe(false);
    expect(group.supportsProtocols('connect', ['range'])).toBe(false);
    expect(group.supportsProtocols('consumer', ['sticky', 'roundrobin'])).toBe(true);
  });

  it('picks the protocol with most votes among those every member supports; ties as Java’s HashMap lists them', () => {
    const group = new ClassicGroup('g', 'Empty', 0);
    group.add(member('a', ['roundrobin', 'range']), null);
    group.add(member('b', ['roundrobin', 'range', 'sticky']), null);
    group.add(member('c', ['range', 'roundrobin']), null);
    expect(group.selectProtocol()).toBe('roundrobin');
    const tie = new ClassicGroup('t', 'Empty', 0);
    tie.add(member('a', ['roundrobin', 'range']), null);
    tie.add(member('b', ['range', 'roundrobin']), null);
    expect(tie.selectProtocol()).toBe(javaHashOrder(['roundrobin', 'range'])[0]);
  });

  it('hands leadership to the first member in Java’s HashMap order when the leader leaves', () => {
    const group = new ClassicGroup('g', 'Empty', 0);
    for (const id of ['consumer1', 'consumer2', 'consumer3']) group.add(member(id, ['range']), null);
    group.remove('consumer1');
    expect(group.leaderId).toBe('consumer3');
    group.remove('consumer3');
    group.remove('consumer2');
    expect(group.leaderId).toBeNull();
  });

  it('counts who still has to rejoin', () => {
    const group = new ClassicGroup('g', 'Empty', 0);
    const a = member('a', ['range']);
    const b = member('b', ['range']);
    group.add(a, () => {});
    group.add(b, null);
    group.pendingJoinMembers.add('c');
    expect(group.hasAllMembersJoined()).toBe(false);
    expect(group.notYetRejoinedMembers()).toEqual([b]);
    b.awaitingJoin = () => {};
    group.pendingJoinMembers.delete('c');
    expect(group.hasAllMembersJoined()).toBe(true);
    expect(group.rebalanceTimeoutMs()).toBe(10_000);
  });
});
