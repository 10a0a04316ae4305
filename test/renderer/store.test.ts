/**
 * The window's store: a snapshot replaces the picture, the next delta patches it keeping
 * unchanged objects, a gap asks for a snapshot, growing log ends become rate-limited pulses.
 */
import { describe, expect, it } from 'vitest';
import type { HostBridge, HostDelta, HostSnapshot, TopicSnapshot } from '../../core/host/contract';
import { applyUpdate, EMPTY_CLUSTER, PULSE_MIN_GAP_MS, replicaKey } from '../../renderer/store/cluster-state';
import { createAppStore } from '../../renderer/store/store';

function topic(name: string, sequence: number, logEndOffset = 0): TopicSnapshot {
  return {
    name,
    topicId: `${name}-id`,
    internal: false,
    sequence,
    configs: {},
    replicationFactor: 2,
    partitions: [
      {
        partition: 0,
        leader: 1,
        leaderEpoch: 0,
        replicas: [1, 2],
        isr: [1, 2],
        addingReplicas: [],
        removingReplicas: [],
        offline: false,
        underReplicated: false,
        highWatermark: logEndOffset,
        logStartOffset: 0,
        logEndOffset,
        replicaStates: [
          { brokerId: 1, logEndOffset, inSync: true, leader: true, preferred: true, lagRecords: 0, brokerAlive: true },
          { brokerId: 2, logEndOffset, inSync: true, leader: false, preferred: false, lagRecords: 0, brokerAlive: true },
        ],
      },
    ],
  };
}

const snapshot: HostSnapshot = {
  type: 'snapshot',
  seq: 10,
  cluster: {
    time: 1,
    clusterId: 'c',
    controllerId: 1,
    controllerEpoch: 1,
    metadataOffset: 5,
    brokers: [1, 2].map((id) => ({ id, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: id === 1, brokerEpoch: id, replicaCount: 2, leaderCount: id === 1 ? 2 : 0 })),
    topics: [topic('a', 0), topic('b', 1)],
  } as HostSnapshot['cluster'],
  producers: [],
  rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 },
  recentEvents: [],
};

function delta(seq: number, patch: Partial<HostDelta> = {}): HostDelta {
  return { type: 'delta', seq, time: seq, controllerId: 1, controllerEpoch: 1, metadataOffset: 5, rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, events: [], ...patch };
}

describe('cluster state', () => {
  it('applies a snapshot, then the next delta, keeping unchanged topics', () => {
    const first = applyUpdate(EMPTY_CLUSTER, snapshot, 0);
    if (first === 'gap') throw new Error('gap');
    expect(first.topics.map((t) => t.name)).toEqual(['a', 'b']);
    const second = applyUpdate(first, delta(11, { topics: [topic('b', 1, 5)] }), 1_000);
    if (second === 'gap') throw new Error('gap');
    expect(second.seq).toBe(11);
    expect(second.topicsByName.get('a')).toBe(first.topicsByName.get('a'));
    expect(second.topicsByName.get('b')!.partitions[0].logEndOffset).toBe(5);
    expect(second.structureKey).toBe(first.structureKey);
    expect([...second.pulses.keys()].sort()).toEqual([replicaKey('b', 0, 1), replicaKey('b', 0, 2)]);
  });

  it('reports a gap and ignores old deltas', () => {
    const first = applyUpdate(EMPTY_CLUSTER, snapshot, 0) as Exclude<ReturnType<typeof applyUpdate>, 'gap'>;
    expect(applyUpdate(first, delta(13), 0)).toBe('gap');
    expect(applyUpdate(first, delta(9), 0)).toBe(first);
    expect(applyUpdate(EMPTY_CLUSTER, delta(1), 0)).toBe(EMPTY_CLUSTER);
  });

  it('removes topics and changes the structure key', () => {
    const first = applyUpdate(EMPTY_CLUSTER, snapshot, 0) as Exclude<ReturnType<typeof applyUpdate>, 'gap'>;
    const next = applyUpdate(first, delta(11, { removedTopics: ['a'] }), 0) as typeof first;
    expect(next.topics.map((t) => t.name)).toEqual(['b']);
    expect(next.structureKey).not.toBe(first.structureKey);
  });

  it('pulses a replica at most once per interval', () => {
    const first = applyUpdate(EMPTY_CLUSTER, snapshot, 0) as Exclude<ReturnType<typeof applyUpdate>, 'gap'>;
    const a = applyUpdate(first, delta(11, { topics: [topic('a', 0, 1)] }), 1_000) as typeof first;
    const b = applyUpdate(a, delta(12, { topics: [topic('a', 0, 2)] }), 1_000 + PULSE_MIN_GAP_MS / 2) as typeof first;
    expect(b.pulses.get(replicaKey('a', 0, 1))).toBe(1_000);
    const c = applyUpdate(b, delta(13, { topics: [topic('a', 0, 3)] }), 1_000 + PULSE_MIN_GAP_MS) as typeof first;
    expect(c.pulses.get(replicaKey('a', 0, 1))).toBe(1_000 + PULSE_MIN_GAP_MS);
  });
});

describe('app store', () => {
  it('asks the bridge for a snapshot after a gap and leaves a deleted topic', () => {
    let resyncs = 0;
    const bridge: HostBridge = { call: async () => ({ ok: false, error: { name: 'NONE', message: '' } }), onUpdate: () => () => undefined, requestSnapshot: () => void resyncs++ };
    const store = createAppStore(bridge, () => 0);
    store.getState().applyHostUpdate(snapshot);
    store.getState().select({ kind: 'topic', topic: 'a' });
    store.getState().applyHostUpdate(delta(12));
    expect(resyncs).toBe(1);
    store.getState().applyHostUpdate(delta(11, { removedTopics: ['a'] }));
    expect(store.getState().selection).toEqual({ kind: 'cluster' });
  });
});
