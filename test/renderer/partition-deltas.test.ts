/**
 * The window applying partition-level deltas: a changed partition replaces only its own object
 * and its topic's (every other topic and partition keeps its object, so memoised views skip
 * them), the map's structure key changes only when replicas move, a delta naming a topic the
 * window lacks is a gap, pulses stay bounded; and, over seeded random sequences of changes, a
 * window that applies every delta ends equal to one that takes a fresh snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { HostDelta, HostSnapshot, HostUpdate } from '../../core/host/contract';
import { UpdateStream } from '../../core/host/update-stream';
import { Random } from '../../core/time/random';
import { applyUpdate, EMPTY_CLUSTER, replicaKey, type ClusterState } from '../../renderer/store/cluster-state';
import { PULSE_KEEP_MS, PulseMap } from '../../renderer/store/pulses';
import { createAppStore } from '../../renderer/store/store';
import { PictureSource, type PictureShape } from './large-cluster';

const SHAPE: PictureShape = { topics: 30, partitions: 6, replicationFactor: 3, brokers: 4 };

/** A source, its stream and a window (the pure state) that has taken the stream's snapshot. */
function open(shape = SHAPE): { source: PictureSource; stream: UpdateStream; window: () => ClusterState; next: (now?: number) => HostDelta | undefined } {
  const source = new PictureSource(shape);
  const stream = new UpdateStream(source, { producers: () => [] });
  let state = applyUpdate(EMPTY_CLUSTER, roundTrip(stream.snapshot()), 0) as ClusterState;
  const pending: HostDelta[] = [];
  stream.onUpdate((update) => {
    if (update.type === 'delta') pending.push(update);
  });
  const next = (now = 0): HostDelta | undefined => {
    stream.markChanged();
    source.scheduler.runFor(300);
    const delta = pending.shift();
    expect(pending).toEqual([]);
    if (!delta) return undefined;
    const applied = applyUpdate(state, roundTrip(delta), now);
    if (applied === 'gap') throw new Error(`gap at seq ${delta.seq}`);
    state = applied;
    return delta;
  };
  return { source, stream, window: () => state, next };
}

/** What a window receives: the update after JSON (the browser host's transport). */
function roundTrip<T extends HostUpdate>(update: T): T {
  return JSON.parse(JSON.stringify(update)) as T;
}

describe('partition deltas in the window', () => {
  it('replaces only the changed partition and its topic', () => {
    const { source, window, next } = open();
    const before = window();
    source.electLeader(4, 2);
    const delta = next()!;
    expect(delta.topics).toBeUndefined();
    expect(delta.partitions).toEqual([{ topic: 'topic-0004', partitions: [source.currentTopics()[4].partitions[2]] }]);
    const after = window();
    for (const [name, topic] of after.topicsByName) {
      if (name === 'topic-0004') continue;
      expect(topic).toBe(before.topicsByName.get(name));
    }
    const changed = after.topicsByName.get('topic-0004')!;
    expect(changed).not.toBe(before.topicsByName.get('topic-0004'));
    changed.partitions.forEach((partition, i) => (i === 2 ? expect(partition).not.toBe(before.topicsByName.get('topic-0004')!.partitions[i]) : expect(partition).toBe(before.topicsByName.get('topic-0004')!.partitions[i])));
    expect(changed.partitions[2].leader).toBe(source.currentTopics()[4].partitions[2].leader);
    expect(after.topics.map((t) => t.name)).toEqual(before.topics.map((t) => t.name));
    expect(after.topics[4]).toBe(changed);
    expect(after.structureKey).toBe(before.structureKey);
  });

  it('changes the structure key when a partition’s replicas move, and pulses replicas whose logs grew', () => {
    const { source, window, next } = open();
    const before = window();
    source.reassign(1, 0);
    next(1_000);
    expect(window().structureKey).not.toBe(before.structureKey);
    source.growLogs(new Random(1), 1);
    next(2_000);
    expect(window().pulses.get(replicaKey('topic-0000', 0, source.currentTopics()[0].partitions[0].replicas[0]))).toBe(2_000);
    expect(window().pulses.size).toBe(SHAPE.topics * SHAPE.partitions * SHAPE.replicationFactor);
  });

  it('arrives whole for a created topic and a config change, and drops removed topics', () => {
    const { source, window, next } = open();
    const created = source.createTopic(3);
    source.alterConfig(0, '1');
    const removed = source.deleteTopic(5);
    const delta = next()!;
    expect(delta.topics!.map((t) => t.name)).toEqual(['topic-0000', created]);
    expect(delta.removedTopics).toEqual([removed]);
    expect(delta.partitions).toBeUndefined();
    expect(window().topics.map((t) => t.name)).toEqual(source.currentTopics().map((t) => t.name));
    expect(window().topicsByName.get('topic-0000')!.configs['retention.ms']).toBe('1');
  });

  it('treats a partition update for a topic or partition the window lacks as a gap', () => {
    const { source, window } = open();
    const partition = source.currentTopics()[0].partitions[0];
    const delta = (patch: Partial<HostDelta>): HostDelta => ({ type: 'delta', seq: window().seq + 1, time: 1, controllerId: 1, controllerEpoch: 1, metadataOffset: 0, rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, events: [], ...patch });
    expect(applyUpdate(window(), delta({ partitions: [{ topic: 'unknown', partitions: [partition] }] }), 0)).toBe('gap');
    expect(applyUpdate(window(), delta({ partitions: [{ topic: 'topic-0000', partitions: [{ ...partition, partition: 99 }] }] }), 0)).toBe('gap');
    let resyncs = 0;
    const store = createAppStore({ call: async () => ({ ok: false, error: { name: 'NONE', message: '' } }), onUpdate: () => () => undefined, requestSnapshot: () => void resyncs++ }, () => 0);
    store.getState().applyHostUpdate({ type: 'snapshot', seq: window().seq, cluster: { ...source.snapshot(), topics: window().topics }, producers: [], rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, recentEvents: [] } satisfies HostSnapshot);
    store.getState().applyHostUpdate(delta({ partitions: [{ topic: 'unknown', partitions: [partition] }] }));
    expect(resyncs).toBe(1);
  });

  it('ends equal to a fresh snapshot after any sequence of changes (seeded)', () => {
    const seeds = process.env.SEED ? [Number(process.env.SEED)] : [1, 2, 3, 4, 5, 6, 7, 8];
    for (const seed of seeds) {
      const random = new Random(seed);
      const { source, stream, window, next } = open({ topics: 12, partitions: 4, replicationFactor: 3, brokers: 4 });
      let now = 0;
      let seq = window().seq;
      try {
        for (let step = 0; step < 60; step++) {
          for (let changes = random.nextInt(4); changes >= 0; changes--) randomChange(source, random);
          now += 10 + random.nextInt(400);
          const delta = next(now);
          if (delta) expect(delta.seq).toBe(++seq);
          expect(window().seq).toBe(seq);
        }
        const fresh = applyUpdate(EMPTY_CLUSTER, roundTrip(stream.snapshot()), now) as ClusterState;
        expect(fresh.seq).toBe(window().seq);
        expect(window().topics).toEqual(fresh.topics);
        expect(window().topics).toEqual(source.currentTopics());
        expect([...window().topicsByName.keys()].sort()).toEqual([...fresh.topicsByName.keys()].sort());
        expect(window().brokers).toEqual(fresh.brokers);
        expect(window().structureKey).toBe(fresh.structureKey);
      } catch (error) {
        throw new Error(`seed ${seed} (replay with SEED=${seed}): ${(error as Error).message}`);
      }
    }
  });
});

/** One random change: mostly partition-level, sometimes topic-level or a topic coming or going. */
function randomChange(source: PictureSource, random: Random): void {
  const topics = source.currentTopics();
  const t = random.nextInt(topics.length);
  const p = random.nextInt(topics[t]?.partitions.length ?? 1);
  const roll = random.nextInt(100);
  if (topics.length === 0 || roll < 5) source.createTopic(1 + random.nextInt(4));
  else if (roll < 40) source.growLogs(random, 0.2);
  else if (roll < 55) source.electLeader(t, p);
  else if (roll < 70) source.toggleIsr(t, p);
  else if (roll < 76) source.reassign(t, p);
  else if (roll < 82) source.alterConfig(t, String(random.nextInt(10)));
  else if (roll < 87) source.addPartition(t);
  else if (roll < 91) source.deleteTopic(t);
  else if (roll < 94) source.recreateTopic(t);
  else source.toggleBroker(1 + random.nextInt(source.shape.brokers));
}

describe('PulseMap', () => {
  it('keeps the newest pulse of a replica once, and forgets pulses past PULSE_KEEP_MS', () => {
    const a = PulseMap.EMPTY.with(['x', 'y'], 100);
    const b = a.with(['x'], 400);
    expect(a.get('x')).toBe(100);
    expect(b.get('x')).toBe(400);
    expect(b.get('y')).toBe(100);
    expect([...b.entries()].sort()).toEqual([
      ['x', 400],
      ['y', 100],
    ]);
    expect(b.size).toBe(2);
    expect(b.with([], 450)).toBe(b);
    const later = b.with(['z'], 400 + PULSE_KEEP_MS);
    expect([...later.keys()].sort()).toEqual(['x', 'z']);
    expect(later.with([], 400 + 3 * PULSE_KEEP_MS).size).toBe(0);
  });
});
