/**
 * The group coordinator's answers to requests sent straight to it, error by error, as Kafka's
 * coordinator gives them.
 */
import { describe, expect, it } from 'vitest';
import { groupCoordinatorOf, type GroupCoordinator } from '../../core/group/coordinator';
import { encodeSubscription } from '../../core/group/consumer-protocol';
import type { JoinGroupRequest, JoinGroupResponse, RequestContext } from '../../core/group/messages';
import { OFFSETS_TOPIC } from '../../core/group/offsets-records';
import { Sim } from './harness';

const context = (apiVersion = 9): RequestContext => ({ clientId: 'test', clientHost: '/127.0.0.1', apiVersion });

/** Sends one request straight to a broker's coordinator and runs the clock until it answers. */
function ask<T>(sim: Sim, brokerId: number, send: (coordinator: GroupCoordinator, respond: (value: T) => void) => void, maxMs = 60_000): T {
  let answer: T | undefined;
  send(groupCoordinatorOf(sim.cluster.brokers.get(brokerId)!)!, (value) => (answer = value));
  sim.until(() => answer !== undefined, maxMs, 'an answer');
  return answer!;
}

/** The coordinator of a group, creating __consumer_offsets through FindCoordinator as a client would. */
function coordinatorOf(sim: Sim, groupId: string): number {
  for (;;) {
    const reply = ask<{ coordinators: { nodeId: number; error: string | null }[] }>(sim, 1, (c, respond) => c.handleFindCoordinator({ keyType: 0, keys: [groupId] }, context(), respond));
    if (reply.coordinators[0].error === null && sim.leadersReady(OFFSETS_TOPIC)) return reply.coordinators[0].nodeId;
    sim.run(100);
  }
}

function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeSubscription({ topics: ['orders'], userData: null, ownedPartitions: [], generationId: -1, rackId: null }) }],
    reason: null,
    ...overrides,
  };
}

/** Joins a new member through MEMBER_ID_REQUIRED and the second join; returns the join response. */
function joinMember(sim: Sim, coordinator: number, overrides: Partial<JoinGroupRequest> = {}): JoinGroupResponse {
  const first = ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest(overrides), context(), respond));
  expect(first.error).toBe('MEMBER_ID_REQUIRED');
  return ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest({ ...overrides, memberId: first.memberId }), context(), respond));
}

describe('group coordinator errors', () => {
  // Proves JoinGroup v4+ hands a new member an id first (MEMBER_ID_REQUIRED) and v3 joins at once.
  it('answers MEMBER_ID_REQUIRED with the new id, then admits the rejoin with it', () => {
    const sim = new Sim();
    const coordinator = coordinatorOf(sim, 'g');
    const first = ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest(), context(), respond));
    expect(first).toMatchObject({ error: 'MEMBER_ID_REQUIRED', generationId: -1 });
    expect(first.memberId).toMatch(/^test-[0-9a-f-]{36}$/);
    const joined = ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest({ memberId: first.memberId }), context(), respond));
    expect(joined).toMatchObject({ error: null, generationId: 1, memberId: first.memberId, leader: first.memberId, protocolName: 'range' });
    expect(joined.members.map((m) => m.memberId)).toEqual([first.memberId]);
    const v3 = ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest({ groupId: 'old-client' }), context(3), respond));
    expect(v3.error).toBeNull();
  });

  // Proves the session timeout must lie within group.min/max.session.timeout.ms, and bad input changes nothing.
  it('rejects a session timeout outside the broker’s range with INVALID_SESSION_TIMEOUT', () => {
    const sim = new Sim();
    const coordinator = coordinatorOf(sim, 'g');
    for (const sessionTimeoutMs of [5_999, 1_800_001]) {
      const reply = ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest({ sessionTimeoutMs }), context(), respond));
      expect(reply.error).toBe('INVALID_SESSION_TIMEOUT');
    }
    expect(sim.cluster.snapshot().groups).toEqual([]);
    // An in-app consumer asking for less fails the same way; the app's own minimum allows it.
    sim.createTopic('orders', 1, 1);
    const consumer = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], sessionTimeoutMs: 2_000, heartbeatIntervalMs: 500 });
    sim.until(() => consumer.state === 'failed', 30_000, 'consumer failed');
    expect(consumer.lastError?.name).toBe('INVALID_SESSION_TIMEOUT');
    const app = new Sim({ settings: { groupMinSessionTimeoutMs: 1_000 } });
    app.createTopic('orders', 1, 1);
    const short = app.cluster.createConsumer({ groupId: 'g', topics: ['orders'], sessionTimeoutMs: 2_000, heartbeatIntervalMs: 500 });
    app.until(() => short.snapshot().memberState === 'stable', 30_000, 'stable with a short session');
  });

  // Proves members that share no protocol are refused with INCONSISTENT_GROUP_PROTOCOL, as Kafka refuses them.
  it('refuses a member sharing no protocol with the group', () => {
    const sim = new Sim();
    sim.createTopic('orders', 2, 1);
    const range = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], assignors: ['range'] });
    sim.until(() => range.snapshot().memberState === 'stable', 30_000, 'first member');
    const roundrobin = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], assignors: ['roundrobin'] });
    sim.until(() => roundrobin.state === 'failed', 30_000, 'second member refused');
    expect(roundrobin.lastError?.name).toBe('INCONSISTENT_GROUP_PROTOCOL');
    // A member offering both joins, and the group keeps the protocol every member supports.
    const both = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'], assignors: ['roundrobin', 'range'] });
    sim.until(() => both.snapshot().memberState === 'stable' && sim.cluster.snapshot().groups[0].members.length === 2, 60_000, 'two members');
    expect(sim.cluster.snapshot().groups[0].protocol).toBe('range');
    const other = ask<JoinGroupResponse>(sim, coordinatorOf(sim, 'g'), (c, respond) => c.handleJoinGroup(joinRequest({ protocolType: 'connect' }), context(), respond));
    expect(other.error).toBe('INCONSISTENT_GROUP_PROTOCOL');
  });

  // Proves requests to a broker that does not coordinate the group get NOT_COORDINATOR, and an empty id INVALID_GROUP_ID.
  it('answers NOT_COORDINATOR elsewhere and INVALID_GROUP_ID for an empty group id', () => {
    const sim = new Sim();
    const coordinator = coordinatorOf(sim, 'g');
    const elsewhere = [1, 2, 3].find((id) => id !== coordinator)!;
    expect(ask<JoinGroupResponse>(sim, elsewhere, (c, respond) => c.handleJoinGroup(joinRequest(), context(), respond)).error).toBe('NOT_COORDINATOR');
    expect(ask<{ error: string | null }>(sim, elsewhere, (c, respond) => c.handleHeartbeat({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }, context(), respond)).error).toBe('NOT_COORDINATOR');
    expect(ask<JoinGroupResponse>(sim, coordinator, (c, respond) => c.handleJoinGroup(joinRequest({ groupId: '' }), context(), respond)).error).toBe('INVALID_GROUP_ID');
  });

  // Proves Heartbeat's answers: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, and none when all is well.
  it('answers heartbeats with UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION and REBALANCE_IN_PROGRESS', () => {
    const sim = new Sim({ settings: { groupInitialRebalanceDelayMs: 0 } });
    const coordinator = coordinatorOf(sim, 'g');
    const member = joinMember(sim, coordinator);
    const heartbeat = (memberId: string, generationId: number) =>
      ask<{ error: string | null }>(sim, coordinator, (c, respond) => c.handleHeartbeat({ groupId: 'g', generationId, memberId, groupInstanceId: null }, context(), respond)).error;
    const sync = ask<{ error: string | null }>(sim, coordinator, (c, respond) =>
      c.handleSyncGroup({ groupId: 'g', generationId: 1, memberId: member.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [] }, context(), respond),
    );
    expect(sync.error).toBeNull();
    expect(heartbeat(member.memberId, 1)).toBeNull();
    expect(heartbeat('nobody', 1)).toBe('UNKNOWN_MEMBER_ID');
    expect(heartbeat(member.memberId, 7)).toBe('ILLEGAL_GENERATION');
    // A second member's join starts a rebalance the first learns of from its heartbeat.
    groupCoordinatorOf(sim.cluster.brokers.get(coordinator)!)!.handleJoinGroup(joinRequest(), context(3), () => {});
    sim.run(10);
    expect(heartbeat(member.memberId, 1)).toBe('REBALANCE_IN_PROGRESS');
    expect(
      ask<{ error: string | null }>(sim, coordinator, (c, respond) =>
        c.handleSyncGroup({ groupId: 'g', generationId: 1, memberId: member.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }, context(), respond),
      ).error,
    ).toBe('REBALANCE_IN_PROGRESS');
  });

  // Proves a coordinator still loading its partition answers COORDINATOR_LOAD_IN_PROGRESS (heartbeats pass blindly).
  it('answers COORDINATOR_LOAD_IN_PROGRESS while the partition loads', () => {
    const sim = new Sim();
    sim.createTopic('orders', 1, 3);
    const consumer = sim.cluster.createConsumer({ groupId: 'g', topics: ['orders'] });
    sim.until(() => consumer.snapshot().memberState === 'stable', 60_000, 'stable');
    const old = sim.cluster.snapshot().groups[0].coordinator;
    const answers: string[] = [];
    const check = sim.scheduler.afterTask;
    sim.scheduler.afterTask = () => {
      check?.();
      for (const broker of sim.cluster.brokers.values()) {
        const coordinator = broker.running && broker.id !== old ? groupCoordinatorOf(broker) : undefined;
        const partition = coordinator?.partitionFor('g');
        if (!coordinator || !coordinator.ownedPartitions().some((p) => p.partition === partition && p.loading) || answers.length > 0) continue;
        coordinator.handleJoinGroup(joinRequest(), context(), (r) => answers.push(`join ${r.error}`));
        coordinator.handleHeartbeat({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }, context(), (r) => answers.push(`heartbeat ${r.error}`));
        coordinator.handleSyncGroup({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }, context(), (r) => answers.push(`sync ${r.error}`));
      }
    };
    sim.cluster.stopBroker(old);
    sim.until(() => answers.length === 3, 60_000, 'answers while loading');
    sim.scheduler.afterTask = check;
    expect(answers).toEqual(['join COORDINATOR_LOAD_IN_PROGRESS', 'heartbeat null', 'sync REBALANCE_IN_PROGRESS']);
  });

  // Proves OffsetCommit's checks: generation -1 only for an Empty group, the right member and generation otherwise, metadata size.
  it('validates offset commits as Kafka does and changes nothing on error', () => {
    const sim = new Sim({ settings: { groupInitialRebalanceDelayMs: 0 } });
    const coordinator = coordinatorOf(sim, 'g');
    const commit = (groupId: string, generation: number, memberId: string, metadata = '', apiVersion = 9) =>
      ask<{ topics: { partitions: { error: string | null }[] }[] }>(sim, coordinator, (c, respond) =>
        c.handleOffsetCommit(
          { groupId, generationIdOrMemberEpoch: generation, memberId, groupInstanceId: null, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: metadata }] }] },
          context(apiVersion),
          respond,
        ),
      ).topics[0].partitions[0].error;
    expect(commit('g', 3, 'm')).toBe('GROUP_ID_NOT_FOUND');
    expect(commit('g', 3, 'm', '', 8)).toBe('ILLEGAL_GENERATION');
    // Without group management (generation -1) a simple group takes the commit.
    expect(commit('g', -1, '')).toBeNull();
    expect(commit('g', -1, '', 'x'.repeat(4_097))).toBe('OFFSET_METADATA_TOO_LARGE');
    const fetched = ask<{ topics: { partitions: { committedOffset: number }[] }[] }>(sim, coordinator, (c, respond) => c.handleOffsetFetch({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] }, context(), respond));
    expect(fetched.topics[0].partitions.map((p) => p.committedOffset)).toEqual([5, -1]);
    const member = joinMember(sim, coordinator);
    expect(commit('g', -1, '')).toBe('UNKNOWN_MEMBER_ID');
    expect(commit('g', member.generationId, 'someone')).toBe('UNKNOWN_MEMBER_ID');
    expect(commit('g', member.generationId + 1, member.memberId)).toBe('ILLEGAL_GENERATION');
    // Joined but not synced: the rebalance must finish first.
    expect(commit('g', member.generationId, member.memberId)).toBe('REBALANCE_IN_PROGRESS');
  });

  // Proves LeaveGroup, DescribeGroups and ListGroups answers for unknown members and groups.
  it('answers LeaveGroup, DescribeGroups and ListGroups about unknown members and groups', () => {
    const sim = new Sim({ settings: { groupInitialRebalanceDelayMs: 0 } });
    const coordinator = coordinatorOf(sim, 'g');
    const member = joinMember(sim, coordinator);
    const leave = ask<{ error: string | null; members: { error: string | null }[] }>(sim, coordinator, (c, respond) =>
      c.handleLeaveGroup({ groupId: 'g', members: [{ memberId: 'nobody', groupInstanceId: null, reason: null }, { memberId: member.memberId, groupInstanceId: null, reason: null }] }, context(), respond),
    );
    expect(leave).toMatchObject({ error: null, members: [{ error: 'UNKNOWN_MEMBER_ID' }, { error: null }] });
    const described = ask<{ groups: { groupState: string; error: string | null }[] }>(sim, coordinatorOf(sim, 'nothing'), (c, respond) => c.handleDescribeGroups({ groups: ['nothing'] }, context(), respond));
    expect(described.groups[0]).toMatchObject({ groupState: 'Dead', error: null });
    sim.until(() => sim.cluster.snapshot().groups[0]?.state === 'Empty', 30_000, 'empty group');
    const listed = ask<{ groups: { groupId: string; groupState: string }[] }>(sim, coordinator, (c, respond) => c.handleListGroups({ statesFilter: ['empty'] }, context(), respond));
    expect(listed.groups).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Empty' }]);
    const none = ask<{ groups: unknown[] }>(sim, coordinator, (c, respond) => c.handleListGroups({ statesFilter: ['Stable'] }, context(), respond));
    expect(none.groups).toEqual([]);
  });
});
