/**
 * The update stream at partition granularity: a partition that changed arrives alone, a topic
 * created or changed at the topic level (configs, partition count, id) arrives whole, deleted
 * topics are named, deltas are numbered one after another from the snapshot's seq and only
 * when something changed, and the snapshot after any deltas is the cluster's picture.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/events';
import type { BrokerSnapshot, ClusterSnapshot, HostDelta, PartitionSnapshot, TopicSnapshot } from '../../core/host/contract';
import { UpdateStream, type SnapshotSource } from '../../core/host/update-stream';
import { SimScheduler } from '../../core/time/scheduler';
import { EMBEDDED_SOURCE } from '../../core/view/snapshot';
import { partitionOf } from '../renderer/large-cluster';

/** A partition whose replicas go round three brokers, all in sync at `offset`. */
function partition(index: number, offset = 0): PartitionSnapshot {
  return partitionOf(index, [1, 2, 3].map((r) => ((index + r) % 3) + 1), offset);
}

function topic(name: string, sequence: number, partitions = 4): TopicSnapshot {
  return { name, topicId: `${name}-${sequence}`, internal: false, sequence, configs: { 'retention.ms': '1000' }, replicationFactor: 3, partitions: Array.from({ length: partitions }, (_, i) => partition(i)) };
}

const BROKERS: BrokerSnapshot[] = [1, 2, 3].map((id) => ({ id, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: id === 1, brokerEpoch: id, replicaCount: 4, leaderCount: 1 }));

/** A cluster picture the test edits directly, fresh objects per snapshot as the engine's are. */
class Picture implements SnapshotSource {
  readonly scheduler = new SimScheduler(0);
  readonly totals = { records: 0, bytes: 0 };
  topics: TopicSnapshot[] = [topic('a', 0), topic('b', 1), topic('c', 2)];

  snapshot(): ClusterSnapshot {
    return {
      time: this.scheduler.now(),
      clusterId: 'c',
      controllerId: 1,
      controllerEpoch: 1,
      metadataOffset: 0,
      brokers: BROKERS,
      topics: structuredClone(this.topics),
      groups: [],
      consumers: [],
      kafka: null,
      faults: [],
      source: EMBEDDED_SOURCE,
    };
  }

  on(_listener: (event: ClusterEvent) => void): () => void {
    return () => undefined;
  }

  /** Edits one partition of a topic in place (snapshot() copies). */
  edit(name: string, index: number, change: (p: PartitionSnapshot) => void): void {
    change(this.topics.find((t) => t.name === name)!.partitions[index]);
  }
}

function open(): { picture: Picture; stream: UpdateStream; deltas: HostDelta[]; step: () => HostDelta | undefined } {
  const picture = new Picture();
  const stream = new UpdateStream(picture, { producers: () => [] });
  stream.snapshot();
  const deltas: HostDelta[] = [];
  stream.onUpdate((update) => {
    if (update.type === 'delta') deltas.push(update);
  });
  const step = (): HostDelta | undefined => {
    const before = deltas.length;
    stream.markChanged();
    picture.scheduler.runFor(300);
    expect(deltas.length - before).toBeLessThanOrEqual(1);
    return deltas.length > before ? deltas[deltas.length - 1] : undefined;
  };
  return { picture, stream, deltas, step };
}

describe('UpdateStream at partition granularity', () => {
  it('sends a changed partition alone, not its topic', () => {
    const { picture, step } = open();
    picture.edit('b', 2, (p) => {
      p.highWatermark = 5;
      p.logEndOffset = 5;
      for (const r of p.replicaStates) r.logEndOffset = 5;
    });
    const delta = step()!;
    expect(delta.topics).toBeUndefined();
    expect(delta.removedTopics).toBeUndefined();
    expect(delta.partitions).toEqual([{ topic: 'b', partitions: [picture.topics[1].partitions[2]] }]);
  });

  it('sends a leader change, an ISR shrink and a follower catching up as partition changes', () => {
    const { picture, step } = open();
    picture.edit('a', 0, (p) => {
      p.leader = p.replicas[1];
      p.leaderEpoch = 1;
      p.replicaStates.forEach((r) => (r.leader = r.brokerId === p.leader));
    });
    picture.edit('c', 3, (p) => {
      p.isr = p.isr.slice(0, 2);
      p.underReplicated = true;
      p.replicaStates[2].inSync = false;
    });
    picture.edit('c', 1, (p) => (p.replicaStates[1].lagRecords = 3));
    const delta = step()!;
    expect(delta.topics).toBeUndefined();
    expect(delta.partitions!.map((t) => [t.topic, t.partitions.map((p) => p.partition)])).toEqual([
      ['a', [0]],
      ['c', [1, 3]],
    ]);
  });

  it('sends a created topic whole', () => {
    const { picture, step } = open();
    picture.topics.push(topic('d', 3, 2));
    const delta = step()!;
    expect(delta.topics).toEqual([picture.topics[3]]);
    expect(delta.partitions).toBeUndefined();
  });

  it('sends a topic whose configs or partition count changed whole, its partition changes inside it', () => {
    const { picture, step } = open();
    picture.topics[0].configs = { 'retention.ms': '2000' };
    picture.edit('a', 1, (p) => (p.highWatermark = 9));
    picture.topics[2].partitions.push(partition(4));
    picture.edit('b', 0, (p) => (p.logStartOffset = 1));
    const delta = step()!;
    expect(delta.topics!.map((t) => t.name)).toEqual(['a', 'c']);
    expect(delta.topics![0]).toEqual(picture.topics[0]);
    expect(delta.partitions).toEqual([{ topic: 'b', partitions: [picture.topics[1].partitions[0]] }]);
  });

  it('names removed topics, and sends a topic created again under its name whole', () => {
    const { picture, step } = open();
    picture.topics = [picture.topics[0], { ...topic('c', 7), partitions: [partition(0)] }];
    const delta = step()!;
    expect(delta.removedTopics).toEqual(['b']);
    expect(delta.topics!.map((t) => [t.name, t.topicId])).toEqual([['c', 'c-7']]);
    expect(delta.partitions).toBeUndefined();
  });

  it('numbers deltas one after another from the snapshot, and sends none when nothing changed', () => {
    const { picture, stream, deltas, step } = open();
    const first = stream.snapshot().seq;
    expect(step()).toBeUndefined();
    for (let i = 1; i <= 5; i++) {
      picture.edit('a', i % 4, (p) => (p.highWatermark += i));
      step();
      expect(step()).toBeUndefined();
    }
    expect(deltas.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5].map((i) => first + i));
    picture.edit('c', 0, (p) => (p.highWatermark = 100));
    const snapshot = stream.snapshot();
    // The snapshot flushes the pending change first: it is in the snapshot and the delta before it.
    expect(snapshot.seq).toBe(first + 6);
    expect(snapshot.cluster.topics).toEqual(picture.topics);
    expect(step()).toBeUndefined();
  });
});
