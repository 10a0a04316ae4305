/**
 * Pooled frame memory on the replication path. A produce request read from a socket may sit in
 * a pooled buffer that the leader's tail cache keeps as views and hands to followers without a
 * copy (and without a second CRC check). This drives the leader as the listener does, with
 * frames from the pool released after each append and released memory poisoned, while every
 * follower's answer is still in flight and the cache evicts and the pool reuses underneath it.
 * One follower starts late and catches up from the leader's files, read into pooled memory that
 * it gives back once appended. Every replica must still end up byte-identical to what was produced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStorage } from '../../core/log/file-storage';
import { DEFAULT_TAIL_CACHE_BYTES } from '../../core/broker/tail-cache';
import { framePool } from '../../core/log/frame-pool';
import { encodeRecordBatch } from '../../core/index';
import { decodeRecordBatches } from '../../core/protocol/records';
import { Sim } from './harness';

/** Every batch of one replica's log, as stored. */
function storedBatches(sim: Sim, brokerId: number, key: string): Buffer {
  const log = sim.cluster.brokers.get(brokerId)!.partitions.get(key)!.log;
  return log.read(log.logStartOffset, 1 << 30, log.logEndOffset).records;
}

describe('pooled produce frames', () => {
  let poisoned: boolean;
  beforeAll(() => {
    poisoned = framePool.poison;
    framePool.poison = true;
  });
  afterAll(() => {
    framePool.poison = poisoned;
  });

  it('reach every replica intact while the cache evicts them and the pool reuses their memory', () => {
    // Real files: a follower that starts late catches up from the leader's log, read into pooled memory.
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-frame-pool-'));
    const sim = new Sim({ storage: new FileStorage(dir) });
    sim.createTopic('pooled', 1, 3);
    sim.until(() => sim.cluster.snapshot().topics[0].partitions[0].isr.length === 3, 30_000, 'in sync');
    // Answers take 20 ms to reach followers: the leader appends a cache's worth meanwhile.
    sim.cluster.network.baseLatencyMs = 20;
    const leader = sim.cluster.brokers.get(sim.cluster.snapshot().topics[0].partitions[0].leader)!;
    const late = sim.cluster.snapshot().topics[0].partitions[0].replicas.find((id) => id !== leader.id && id !== sim.cluster.controllerId)!;
    sim.cluster.stopBroker(late);
    const reusedBefore = framePool.counts.reused;
    const frameBytes = 300_000;
    const rounds = Math.ceil((1.5 * DEFAULT_TAIL_CACHE_BYTES) / frameBytes);
    let sent = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < rounds; i++) {
        const records = [];
        for (let r = 0; r < 300; r++, sent++) records.push({ key: Buffer.from(`k${sent % 97}`), value: Buffer.from(`value ${sent} `.padEnd(1_000, 'x')) });
        const batch = encodeRecordBatch(records, { timestamp: sim.scheduler.now() });
        expect(batch.length).toBeGreaterThan(frameBytes);
        // As the listener does: the request's bytes in a pooled frame, released once appended.
        const frame = framePool.acquire(batch.length);
        batch.copy(frame);
        let error: string | null = 'no answer';
        leader.handleProduce({ acks: 1, timeoutMs: 30_000, partitions: [{ topic: 'pooled', partition: 0, records: frame }], crcVerified: true }, (r) => (error = r[0].error));
        framePool.release(frame.buffer);
        expect(error).toBeNull();
      }
      sim.run(5);
      if (round === 1) sim.cluster.startBroker(late);
    }
    expect(framePool.counts.reused - reusedBefore).toBeGreaterThan(rounds);
    sim.until(() => {
      const p = sim.cluster.snapshot().topics[0].partitions[0];
      return p.isr.length === 3 && p.highWatermark === sent;
    }, 60_000, 'replicated');

    const expected = storedBatches(sim, leader.id, 'pooled-0');
    const values = decodeRecordBatches(expected).flatMap((b) => b.records.map((r) => r.value!.toString()));
    expect(values).toHaveLength(sent);
    expect(values.filter((value, i) => !value.startsWith(`value ${i} `))).toEqual([]);
    for (const id of sim.cluster.brokers.keys()) expect(storedBatches(sim, id, 'pooled-0').equals(expected), `replica on broker ${id}`).toBe(true);
    sim.cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
