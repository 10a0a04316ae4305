/**
 * Proves idempotent produce as Kafka's leaders do it: a retried batch gets its original
 * offsets and is not written twice, a sequence gap and an old epoch are refused, and this
 * holds after the leader moves and after the whole cluster restarts.
 */
import { describe, expect, it } from 'vitest';
import type { ProducePartitionResponse } from '../../core/broker/messages';
import { encodeRecordBatch } from '../../core/protocol/records';
import { Sim } from './harness';

const PRODUCER_ID = 4000;

function batch(epoch: number, firstSequence: number, count: number): Buffer {
  return encodeRecordBatch(
    Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`e${epoch}-s${firstSequence + i}`) })),
    { timestamp: 1, producerId: PRODUCER_ID, producerEpoch: epoch, baseSequence: firstSequence },
  );
}

function send(sim: Sim, records: Buffer): ProducePartitionResponse {
  const leader = sim.cluster.snapshot().topics[0].partitions[0].leader;
  let answer: ProducePartitionResponse | null = null;
  sim.cluster.brokers.get(leader)!.handleProduce({ acks: -1, timeoutMs: 10_000, partitions: [{ topic: 'idem', partition: 0, records }] }, (r) => (answer = r[0]));
  sim.until(() => answer !== null, 20_000, 'produce answer');
  return answer!;
}

describe('idempotent producers', () => {
  it('dedupes retries, refuses gaps and stale epochs, across failover and restart', () => {
    const sim = new Sim();
    sim.createTopic('idem', 1, 3);
    expect(send(sim, batch(0, 0, 5))).toMatchObject({ error: null, baseOffset: 0 });
    // The same batch again (a retry after a lost response): original offset, nothing written.
    expect(send(sim, batch(0, 0, 5))).toMatchObject({ error: null, baseOffset: 0 });
    const leaderLog = (): number => sim.cluster.brokers.get(sim.cluster.snapshot().topics[0].partitions[0].leader)!.partitions.get('idem-0')!.logEndOffset;
    expect(leaderLog()).toBe(5);
    expect(send(sim, batch(0, 10, 1))).toMatchObject({ error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(send(sim, batch(0, 5, 5))).toMatchObject({ error: null, baseOffset: 5 });
    expect(send(sim, batch(1, 3, 1))).toMatchObject({ error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(send(sim, batch(1, 0, 2))).toMatchObject({ error: null, baseOffset: 10 });
    expect(send(sim, batch(0, 10, 1))).toMatchObject({ error: 'INVALID_PRODUCER_EPOCH' });

    // The leader moves: the new leader learned the producer's batches by replicating them.
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].replicaStates.every((r) => r.logEndOffset === 12));
    const oldLeader = sim.cluster.snapshot().topics[0].partitions[0].leader;
    sim.cluster.stopBroker(oldLeader);
    sim.until(() => {
      const p = sim.cluster.snapshot().topics[0].partitions[0];
      return p.leader >= 0 && p.leader !== oldLeader && sim.leadersReady('idem');
    }, 30_000, 'new leader');
    expect(send(sim, batch(1, 0, 2))).toMatchObject({ error: null, baseOffset: 10 });
    expect(leaderLog()).toBe(12);

    // A restart of every broker: the state comes back from snapshots and the log.
    sim.cluster.startBroker(oldLeader);
    sim.restart();
    sim.until(() => sim.leadersReady('idem'), 30_000, 'leaders after restart');
    expect(send(sim, batch(1, 0, 2))).toMatchObject({ error: null, baseOffset: 10 });
    expect(send(sim, batch(1, 2, 3))).toMatchObject({ error: null, baseOffset: 12 });
    expect(leaderLog()).toBe(15);
  });
});
