/**
 * The views as rendered for a read-only connection and for an external cluster (server-side
 * rendering, no browser): write controls are disabled with the sentence naming the connection,
 * embedded-only controls are replaced by the source's sentence, the reset-offsets form
 * waits while the group has members, and a group seen only through its commits says why its
 * members are missing.
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ClusterSourceInfo, GroupSnapshot, HostBridge, TopicSnapshot } from '../../core/host/contract';
import { createAppStore, installStore } from '../../renderer/store/store';
import { ProducePanel } from '../../renderer/views/ProducePanel';
import { TopicOverview } from '../../renderer/views/TopicOverview';
import { MapToolbar } from '../../renderer/views/MapToolbar';
import { BrokerPanel } from '../../renderer/views/BrokerPanel';
import { ResetOffsets, resetBlockedReason } from '../../renderer/views/ResetOffsets';
import { GroupPanel } from '../../renderer/views/GroupPanel';
import { configChanges } from '../../renderer/views/TopicConfigs';

const bridge: HostBridge = { call: async () => ({ ok: false, error: { name: 'INVALID_REQUEST', message: 'INVALID_REQUEST: no.' } }), onUpdate: () => () => undefined, requestSnapshot: () => undefined };

const orders: TopicSnapshot = {
  name: 'orders',
  topicId: 'o',
  internal: false,
  sequence: 0,
  configs: {},
  replicationFactor: 1,
  partitions: [{ partition: 0, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], addingReplicas: [], removingReplicas: [], offline: false, underReplicated: false, highWatermark: 3, logStartOffset: 0, logEndOffset: 3, replicaStates: [{ brokerId: 1, logEndOffset: 3, inSync: true, leader: true, preferred: true, lagRecords: 0, brokerAlive: true }] }],
};

/** Installs a store showing `source` (server rendering reads the store's initial state). */
function showing(source: ClusterSourceInfo, groups: GroupSnapshot[] = []): void {
  const store = createAppStore(bridge, () => 0);
  store.getState().applyHostUpdate({
    type: 'snapshot',
    seq: 1,
    cluster: { time: 1, clusterId: 'x', controllerId: 1, controllerEpoch: 1, metadataOffset: 1, brokers: [{ id: 1, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: true, brokerEpoch: 1, replicaCount: 1, leaderCount: 1 }], topics: [orders], groups, consumers: [], kafka: null, faults: [], source },
    producers: [],
    rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 },
    recentEvents: [],
  });
  store.getInitialState = store.getState;
  installStore(store);
}

const external = (readOnly: boolean): ClusterSourceInfo => ({
  kind: 'external',
  id: 'prod',
  name: 'production',
  readOnly,
  bootstrap: 'kafka:9092',
  pollIntervalMs: 2_000,
  lastRefreshAt: 1,
  lastRefreshMs: 1,
  error: null,
  unavailable: [
    { feature: 'faults', reason: 'Brokers of an external cluster cannot be stopped from a client.' },
    { feature: 'reassignment', reason: 'No reassignment from here.' },
  ],
});

/** The attributes of the first element carrying a data-testid. */
function element(html: string, testId: string): string {
  const match = new RegExp(`<[a-z]+[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no ${testId} in ${html.slice(0, 400)}`);
  return match[0];
}

describe('a read-only connection', () => {
  it('disables produce, add partitions and delete, each with the sentence naming the connection', () => {
    showing(external(true));
    const produce = renderToStaticMarkup(createElement(ProducePanel, { topic: orders }));
    expect(element(produce, 'produce-submit')).toMatch(/disabled=""/);
    expect(element(produce, 'produce-submit')).toMatch(/title="production is a read-only connection: producing records/);
    const overview = renderToStaticMarkup(createElement(TopicOverview, { topic: orders }));
    expect(element(overview, 'delete-topic')).toMatch(/disabled=""/);
    expect(overview).toMatch(/adding partitions and every other write are turned off/);
  });

  it('leaves writes alone on a writable external cluster', () => {
    showing(external(false));
    const produce = renderToStaticMarkup(createElement(ProducePanel, { topic: orders }));
    expect(element(produce, 'produce-submit')).not.toMatch(/disabled/);
  });
});

describe('an external cluster', () => {
  it('replaces broker, fault and election controls with the source’s sentences', () => {
    showing(external(false));
    const toolbar = renderToStaticMarkup(createElement(MapToolbar));
    expect(toolbar).not.toMatch(/data-testid="add-broker"/);
    expect(toolbar).toMatch(/data-testid="unavailable" data-feature="faults" title="Brokers of an external cluster cannot be stopped from a client."/);
    expect(toolbar).toMatch(/data-feature="reassignment"/);
    const panel = renderToStaticMarkup(createElement(BrokerPanel, { brokerId: 1 }));
    expect(panel).not.toMatch(/Stop \(crash\)/);
    expect(panel).toMatch(/data-feature="faults"/);
  });

  it('offers reset offsets only while the group is empty, after its id is typed', () => {
    const group = (members: number): GroupSnapshot => ({
      groupId: 'billing',
      state: members > 0 ? 'Stable' : 'Empty',
      protocolType: 'consumer',
      protocol: null,
      generationId: 1,
      leader: null,
      coordinator: 1,
      members: Array.from({ length: members }, (_, i) => ({ memberId: `m${i}`, groupInstanceId: null, clientId: `c${i}`, clientHost: '/h', sessionTimeoutMs: 1, rebalanceTimeoutMs: 1, assignment: [] })),
      offsets: [{ topic: 'orders', partition: 0, committedOffset: 1, highWatermark: 3, logStartOffset: 0, lagRecords: 2 }],
      lagRecords: 2,
    });
    expect(resetBlockedReason(group(2))).toMatch(/^billing has 2 members: Kafka resets offsets only while a group is empty/);
    expect(resetBlockedReason(group(0))).toBeNull();
    showing(external(false), [group(2)]);
    const busy = renderToStaticMarkup(createElement(ResetOffsets, { group: group(2) }));
    expect(element(busy, 'reset-offsets')).toMatch(/data-blocked="true"/);
    expect(element(busy, 'reset-offsets-submit')).toMatch(/disabled=""/);
    const empty = renderToStaticMarkup(createElement(ResetOffsets, { group: group(0) }));
    expect(element(empty, 'reset-offsets')).toMatch(/data-blocked="false"/);
    // Still disabled: the group id has not been typed yet.
    expect(element(empty, 'reset-offsets-submit')).toMatch(/disabled=""/);
    expect(empty).toMatch(/name="confirm-name"/);
  });

  it('shows a group known only by its commits with its lag, and says why its members are missing', () => {
    const reason = "This cluster does not serve DescribeGroups, so a group's members and assignments cannot be seen; its committed offsets and lag can.";
    const watched: GroupSnapshot = {
      groupId: 'watched-group',
      state: 'Unknown',
      protocolType: '',
      protocol: null,
      generationId: -1,
      leader: null,
      coordinator: 1,
      members: [],
      offsets: [{ topic: 'orders', partition: 0, committedOffset: 1, highWatermark: 3, logStartOffset: 0, lagRecords: 2 }],
      lagRecords: 2,
    };
    const source = external(false);
    showing({ ...source, unavailable: [...source.unavailable, { feature: 'group-members', reason }] }, [watched]);
    const panel = renderToStaticMarkup(createElement(GroupPanel, { groupId: 'watched-group' }));
    expect(panel).toMatch(/data-testid="unavailable" data-feature="group-members"/);
    expect(panel).toContain('does not serve DescribeGroups');
    expect(panel).not.toMatch(/Members \(0\)/);
    expect(panel).toMatch(/<dd>2 records<\/dd>/);
    expect(resetBlockedReason(watched)).toMatch(/does not say whether watched-group has members \(it does not serve DescribeGroups\)/);
    // On a cluster that describes its groups, an empty group's members are simply none.
    showing(external(false), [{ ...watched, state: 'Empty' }]);
    expect(renderToStaticMarkup(createElement(GroupPanel, { groupId: 'watched-group' }))).toMatch(/Members \(0\)/);
  });
});

describe('the topic config editor', () => {
  it('sends only changed values, and null to return a set config to its default', () => {
    const entries = [
      { name: 'retention.ms', value: '86400000', isDefault: false, doc: '' },
      { name: 'cleanup.policy', value: 'delete', isDefault: true, doc: '' },
      { name: 'min.insync.replicas', value: '2', isDefault: false, doc: '' },
    ];
    const edits = new Map<string, string | null>([
      ['retention.ms', '3600000'],
      ['cleanup.policy', null],
      ['min.insync.replicas', '2'],
    ]);
    expect(configChanges(entries, edits)).toEqual({ 'retention.ms': '3600000' });
    expect(configChanges(entries, new Map([['min.insync.replicas', null]]))).toEqual({ 'min.insync.replicas': null });
  });
});
