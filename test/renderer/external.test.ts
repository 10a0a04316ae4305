/**
 * The window on an external cluster: a pushed snapshot of another cluster resets everything
 * that belonged to the old one, a read-only connection turns every write off with a sentence,
 * an external source replaces embedded-only controls with the host's sentence, the map draws
 * a budgeted part of a very large cluster, and the connection form builds drafts that never
 * keep a password after saving.
 */
import { describe, expect, it } from 'vitest';
import { EMBEDDED_ONLY_COMMANDS, WRITE_COMMANDS } from '../../core/host/contract';
import type { ClusterSourceInfo, CommandName, ConnectionSummary, HostBridge, HostSnapshot, TopicSnapshot } from '../../core/host/contract';
import { createAppStore } from '../../renderer/store/store';
import { commandUnavailableReason, EMBEDDED, FEATURE_OF_COMMAND, logEndKnown, pollStatus, sourceOf, unavailableReason, writeBlockedReason } from '../../renderer/store/source';
import { buildDraft, emptyFields, fieldsAfterSave, fieldsFromSummary, fieldsProblem, parseWatchedGroups, passwordPlaceholder } from '../../renderer/store/connection-draft';
import { buildResetSpec, parseTime } from '../../renderer/store/offset-reset';
import { chooseMapTopics, MAP_REPLICA_LIMIT } from '../../renderer/store/map-scope';

function topic(name: string, sequence: number, partitions = 1, underReplicated = false): TopicSnapshot {
  return {
    name,
    topicId: `${name}-id`,
    internal: false,
    sequence,
    configs: {},
    replicationFactor: 3,
    partitions: Array.from({ length: partitions }, (_, partition) => ({
      partition,
      leader: 1,
      leaderEpoch: 0,
      replicas: [1, 2, 3],
      isr: underReplicated ? [1, 2] : [1, 2, 3],
      addingReplicas: [],
      removingReplicas: [],
      offline: false,
      underReplicated,
      highWatermark: 10,
      logStartOffset: 0,
      logEndOffset: 10,
      replicaStates: [1, 2, 3].map((brokerId) => ({ brokerId, logEndOffset: brokerId === 1 ? 10 : -1, inSync: true, leader: brokerId === 1, preferred: brokerId === 1, lagRecords: 0, brokerAlive: true })),
    })),
  };
}

const UNAVAILABLE: ClusterSourceInfo['unavailable'] = [
  { feature: 'follower-log-end-offset', reason: 'Clients see only the leader’s end.' },
  { feature: 'faults', reason: 'Brokers of an external cluster cannot be stopped from a client.' },
];

function external(overrides: Partial<ClusterSourceInfo> = {}): ClusterSourceInfo {
  return { kind: 'external', id: 'c1', name: 'staging', readOnly: false, bootstrap: 'kafka:9092', pollIntervalMs: 2_000, lastRefreshAt: 10_000, lastRefreshMs: 80, error: null, unavailable: UNAVAILABLE, ...overrides };
}

function snapshot(seq: number, source: ClusterSourceInfo, topics: TopicSnapshot[], groups: string[] = []): HostSnapshot {
  return {
    type: 'snapshot',
    seq,
    cluster: {
      time: 1,
      clusterId: source.id,
      controllerId: 1,
      controllerEpoch: 1,
      metadataOffset: 1,
      brokers: [1, 2, 3].map((id) => ({ id, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: id === 1, brokerEpoch: id, replicaCount: 1, leaderCount: 1 })),
      topics,
      groups: groups.map((groupId) => ({ groupId, state: 'Empty', protocolType: 'consumer', protocol: null, generationId: 1, leader: null, coordinator: 1, members: [], offsets: [], lagRecords: 5 })),
      consumers: [],
      kafka: null,
      faults: [],
      source,
    },
    producers: [],
    rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 },
    recentEvents: [],
  };
}

/** A bridge that records calls and answers each from a table. */
function fakeBridge(answers: Partial<Record<CommandName, unknown>> = {}): HostBridge & { calls: CommandName[]; resyncs: number } {
  const bridge = {
    calls: [] as CommandName[],
    resyncs: 0,
    call: async (name: CommandName) => {
      bridge.calls.push(name);
      return name in answers ? { ok: true, value: answers[name] } : { ok: false, error: { name: 'INVALID_REQUEST', message: 'INVALID_REQUEST: not here.' } };
    },
    onUpdate: () => () => undefined,
    requestSnapshot: () => void bridge.resyncs++,
  };
  return bridge as unknown as HostBridge & { calls: CommandName[]; resyncs: number };
}

describe('a pushed snapshot of another cluster', () => {
  it('resets the window: live again, old selections, timeline and lag history gone', async () => {
    const bridge = fakeBridge({ timeline: { events: [] }, listConnections: { connections: [], active: 'embedded' }, stateAt: null });
    const store = createAppStore(bridge, () => 0);
    store.getState().applyHostUpdate(snapshot(5, EMBEDDED, [topic('orders', 0), topic('payments', 1)], ['billing']));
    expect(store.getState().lagHistory.get('billing')).toHaveLength(1);
    store.getState().select({ kind: 'topic', topic: 'orders' });
    store.setState({ focus: { topic: 'orders', partition: 0 }, past: { time: 1, label: 'then' }, hovered: { topic: 'orders', partition: 0, x: 1, y: 1 }, timeline: [{ type: 'topic.deleted', time: 1, topic: 'x' } as never] });

    store.getState().applyHostUpdate(snapshot(1, external(), [topic('audit', 0)]));
    const state = store.getState();
    expect(state.past).toBeNull();
    expect(state.selection).toEqual({ kind: 'cluster' });
    expect(state.focus).toBeNull();
    expect(state.hovered).toBeNull();
    expect(state.timeline).toEqual([]);
    expect(state.lagHistory.size).toBe(0);
    expect(state.topics.map((t) => t.name)).toEqual(['audit']);
    expect(state.seq).toBe(1);
    expect(sourceOf(state).id).toBe('c1');
    expect(state.activeCluster).toBe('c1');
    // The new cluster's timeline and the connection list are asked for again.
    expect(bridge.calls.filter((name) => name === 'timeline').length).toBeGreaterThanOrEqual(2);
    expect(bridge.calls).toContain('listConnections');
  });

  it('keeps selections that still exist, and drops a group only a snapshot no longer has', () => {
    const store = createAppStore(fakeBridge(), () => 0);
    store.getState().applyHostUpdate(snapshot(1, external(), [topic('orders', 0)], ['billing']));
    store.getState().select({ kind: 'topic', topic: 'orders' });
    store.getState().applyHostUpdate(snapshot(2, external({ id: 'c2', name: 'prod' }), [topic('orders', 0)]));
    expect(store.getState().selection).toEqual({ kind: 'topic', topic: 'orders' });

    store.getState().applyHostUpdate(snapshot(3, external({ id: 'c2', name: 'prod' }), [topic('orders', 0)], ['billing']));
    store.getState().select({ kind: 'group', groupId: 'billing' });
    // A delta without the group (between coordinators) keeps it selected; a snapshot without it does not.
    store.getState().applyHostUpdate({ type: 'delta', seq: 4, time: 2, controllerId: 1, controllerEpoch: 1, metadataOffset: 1, rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, events: [], extras: { groups: [] } });
    expect(store.getState().selection).toEqual({ kind: 'group', groupId: 'billing' });
    store.getState().applyHostUpdate(snapshot(9, external({ id: 'c2', name: 'prod' }), [topic('orders', 0)]));
    expect(store.getState().selection).toEqual({ kind: 'cluster' });
  });

  it('switchCluster asks the host and reports its error in Kafka’s words', async () => {
    const store = createAppStore(fakeBridge(), () => 0);
    expect(await store.getState().switchCluster('c9')).toBe('INVALID_REQUEST: not here.');
    const ok = createAppStore(fakeBridge({ switchCluster: { id: 'c1' } }), () => 0);
    expect(await ok.getState().switchCluster('c1')).toBeNull();
    expect(ok.getState().activeCluster).toBe('c1');
  });
});

describe('what a source allows', () => {
  it('a read-only connection refuses every write with a sentence naming it', () => {
    for (const command of WRITE_COMMANDS) {
      expect(writeBlockedReason(external(), command)).toBeNull();
      expect(writeBlockedReason(EMBEDDED, command)).toBeNull();
      expect(writeBlockedReason(external({ readOnly: true, name: 'production' }), command)).toMatch(/^production is a read-only connection/);
    }
  });

  it('an external source shows the host’s sentence for embedded-only features, and a fallback for unlisted ones', () => {
    expect(Object.keys(FEATURE_OF_COMMAND).sort()).toEqual([...EMBEDDED_ONLY_COMMANDS].sort());
    for (const command of EMBEDDED_ONLY_COMMANDS) {
      expect(commandUnavailableReason(EMBEDDED, command)).toBeNull();
      expect(commandUnavailableReason(external(), command)).toEqual(expect.any(String));
    }
    expect(unavailableReason(external(), 'faults')).toBe('Brokers of an external cluster cannot be stopped from a client.');
    expect(unavailableReason(external(), 'reassignment')).toMatch(/not offered/);
    // Whether a group's members can be seen depends on the cluster: unavailable only where listed.
    expect(unavailableReason(external(), 'group-members')).toBeNull();
    expect(unavailableReason(external({ unavailable: [{ feature: 'group-members', reason: 'No DescribeGroups here.' }] }), 'group-members')).toBe('No DescribeGroups here.');
    expect(logEndKnown({ logEndOffset: -1 })).toBe(false);
    expect(logEndKnown({ logEndOffset: 0 })).toBe(true);
  });

  it('says how fresh an external picture is, or why polls fail', () => {
    expect(pollStatus(EMBEDDED, 0)).toBeNull();
    expect(pollStatus(external(), 13_000)!.text).toBe('polled 3 s ago every 2 s');
    expect(pollStatus(external(), 13_000)!.title).toMatch(/took 80 ms/);
    const failing = pollStatus(external({ error: 'NETWORK_EXCEPTION: kafka:9092 refused the connection.' }), 13_000)!;
    expect(failing).toMatchObject({ failing: true, text: 'NETWORK_EXCEPTION: kafka:9092 refused the connection.' });
  });
});

describe('the connection form', () => {
  const summary: ConnectionSummary = {
    id: 'c1',
    name: 'staging',
    bootstrapServers: 'kafka-1:9092,kafka-2:9092',
    clientId: 'brokerscope',
    tls: { enabled: true, caFile: 'ca.pem', rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: 'ops', hasPassword: true },
    readOnly: true,
    pollIntervalMs: 5_000,
    watchedGroups: ['payments'],
    secretsEncrypted: false,
  };

  it('checks what was typed before anything is sent', () => {
    const fields = { ...emptyFields(), name: 'staging', bootstrapServers: 'kafka-1:9092' };
    expect(fieldsProblem(fields)).toBeNull();
    expect(fieldsProblem({ ...fields, name: '  ' })).toMatch(/^INVALID_REQUEST: give the connection a name/);
    expect(fieldsProblem({ ...fields, bootstrapServers: 'kafka-1' })).toMatch(/“kafka-1” is not host:port/);
    expect(fieldsProblem({ ...fields, bootstrapServers: 'kafka-1:99999' })).toMatch(/not host:port/);
    expect(fieldsProblem({ ...fields, bootstrapServers: 'kafka-1:9092, [::1]:9093' })).toBeNull();
    expect(fieldsProblem({ ...fields, pollIntervalMs: '100' })).toMatch(/poll interval/);
    expect(fieldsProblem({ ...fields, saslMechanism: 'plain', saslUsername: 'u' })).toMatch(/needs a password/);
    expect(fieldsProblem({ ...fields, saslMechanism: 'plain', saslPassword: 'p' })).toMatch(/needs a username/);
    expect(fieldsProblem({ ...fields, watchedGroups: 'payments,\n audit-trail , ' })).toBeNull();
    expect(fieldsProblem({ ...fields, watchedGroups: 'payments, payments' })).toMatch(/^INVALID_REQUEST: the group “payments” is listed twice/);
    expect(fieldsProblem({ ...fields, watchedGroups: 'g'.repeat(250) })).toMatch(/longer than 249 characters/);
    expect(fieldsProblem({ ...fields, watchedGroups: Array.from({ length: 201 }, (_, i) => `g${i}`).join(',') })).toMatch(/at most 200 groups/);
  });

  it('reads watched groups separated by commas or new lines, and shows saved ones a line each', () => {
    expect(parseWatchedGroups(' payments ,audit-trail\n\n  orders-v2 \n,')).toEqual(['payments', 'audit-trail', 'orders-v2']);
    expect(parseWatchedGroups('  ')).toEqual([]);
    expect(buildDraft({ ...emptyFields(), name: 'mock', bootstrapServers: 'a:1', watchedGroups: 'watched-group\nother' })).toMatchObject({ watchedGroups: ['watched-group', 'other'] });
    expect(fieldsFromSummary(summary).watchedGroups).toBe('payments');
    expect(buildDraft(fieldsFromSummary({ ...summary, watchedGroups: ['a', 'b'] }))).toMatchObject({ watchedGroups: ['a', 'b'] });
  });

  it('builds the contract’s draft: trimmed, CA file only with TLS, SASL only when chosen', () => {
    const draft = buildDraft({ ...emptyFields(), name: ' staging ', bootstrapServers: 'a:1 , b:2', caFile: 'ca.pem', saslMechanism: 'plain', saslUsername: 'ops', saslPassword: 'secret' });
    expect(draft).toEqual({
      name: 'staging',
      bootstrapServers: 'a:1,b:2',
      clientId: 'brokerscope',
      tls: { enabled: false, caFile: null, rejectUnauthorized: true },
      sasl: { mechanism: 'plain', username: 'ops', password: 'secret' },
      readOnly: false,
      pollIntervalMs: 2_000,
      watchedGroups: [],
    });
    expect(typeof buildDraft(emptyFields())).toBe('string');
  });

  it('edits a saved connection without its password: empty keeps the stored one', () => {
    const fields = fieldsFromSummary(summary);
    expect(fields.saslPassword).toBe('');
    expect(passwordPlaceholder(fields)).toMatch(/keep the saved password/);
    const draft = buildDraft(fields);
    expect(draft).toMatchObject({ id: 'c1', readOnly: true, pollIntervalMs: 5_000, tls: { enabled: true, caFile: 'ca.pem' }, sasl: { mechanism: 'scram-sha-512', username: 'ops', password: null } });
    expect(buildDraft({ ...fields, saslPassword: 'new' })).toMatchObject({ sasl: { password: 'new' } });
  });

  it('forgets the password once saved', () => {
    const typed = { ...emptyFields(), name: 'n', bootstrapServers: 'a:1', saslMechanism: 'scram-sha-256' as const, saslUsername: 'u', saslPassword: 'hunter2' };
    const after = fieldsAfterSave(typed, 'c7');
    expect(after).toMatchObject({ id: 'c7', saslPassword: '', hasStoredPassword: true });
    expect(JSON.stringify(after)).not.toContain('hunter2');
    expect(buildDraft(after)).toMatchObject({ id: 'c7', sasl: { password: null } });
  });
});

describe('resetting offsets', () => {
  it('turns each choice into the contract’s spec', () => {
    expect(buildResetSpec('earliest', 'ignored')).toEqual({ kind: 'earliest' });
    expect(buildResetSpec('latest', '')).toEqual({ kind: 'latest' });
    expect(buildResetSpec('offset', '1200')).toEqual({ kind: 'offset', offset: 1200 });
    expect(buildResetSpec('offset', '-1')).toMatch(/^INVALID_REQUEST/);
    expect(buildResetSpec('shift', '-100')).toEqual({ kind: 'shift', by: -100 });
    expect(buildResetSpec('shift', '1.5')).toMatch(/^INVALID_REQUEST/);
    expect(buildResetSpec('timestamp', '1700000000000')).toEqual({ kind: 'timestamp', timestamp: 1_700_000_000_000 });
    expect(buildResetSpec('timestamp', '2026-01-31T14:00:00Z')).toEqual({ kind: 'timestamp', timestamp: Date.UTC(2026, 0, 31, 14) });
    expect(parseTime('2026-01-31 14:00')).toBe(new Date(2026, 0, 31, 14).getTime());
    expect(buildResetSpec('timestamp', 'yesterday')).toMatch(/^INVALID_REQUEST/);
  });
});

describe('the map on a very large cluster', () => {
  const big = Array.from({ length: 2_000 }, (_, i) => topic(`events.${String(i).padStart(4, '0')}`, i, 12, i === 1_500));

  it('draws everything up to the budget', () => {
    const small = big.slice(0, 10);
    const scope = chooseMapTopics(small, '', null);
    expect(scope.limited).toBe(false);
    expect(scope.topics).toBe(small);
  });

  it('past the budget draws problems first, the search, and always the selected topic', () => {
    const scope = chooseMapTopics(big, '', null);
    expect(scope.limited).toBe(true);
    expect(scope.totalReplicas).toBe(72_000);
    expect(scope.drawnReplicas).toBeLessThanOrEqual(MAP_REPLICA_LIMIT);
    expect(scope.topics.map((t) => t.name)).toContain('events.1500');
    expect(scope.topics.map((t) => t.sequence)).toEqual([...scope.topics.map((t) => t.sequence)].sort((a, b) => a - b));

    const searched = chooseMapTopics(big, 'events.19', 'events.0003');
    expect(searched.matched).toBe(100);
    expect(searched.topics.map((t) => t.name)).toContain('events.0003');
    expect(searched.topics.every((t) => t.name.startsWith('events.19') || t.name === 'events.0003')).toBe(true);
  });
});
