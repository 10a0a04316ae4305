import { mkdtempSync, rmSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, FileStorage, KAFKA_DEFAULTS, SimScheduler, type ClusterEvent } from '../../core/index';
import { KafkaError } from '../../core/protocol/errors';
import { Sim, ok, values } from './harness';

async function drain(sim: Sim, promise: Promise<unknown>): Promise<void> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 1000 && !settled; i++) {
    sim.run(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs the clock while a promise from the cluster API settles, then returns its outcome. */
async function settle<T>(sim: Sim, promise: Promise<T>): Promise<T> {
  await drain(sim, promise);
  return promise;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('persistence', () => {
  // Proves a clean restart of the whole cluster keeps topics, records, offsets and configs.
  it('keeps topics, records and offsets across a restart of the whole cluster', async () => {
    const sim = new Sim();
    sim.createTopic('keep', 2, 3, { 'retention.ms': '3600000' });
    const first = ok(sim.produce('keep', values('a', 7, { partition: 0 })));
    ok(sim.produce('keep', values('b', 3, { partition: 1 })));
    const topicId = sim.cluster.snapshot().topics[0].topicId;
    sim.restart();
    sim.until(() => sim.leadersReady('keep'), 30_000, 'leaders after restart');
    const snapshot = sim.cluster.snapshot();
    expect(snapshot.topics.map((t) => [t.name, t.topicId, t.configs])).toEqual([['keep', topicId, { 'retention.ms': '3600000' }]]);
    expect(snapshot.topics[0].partitions.map((p) => p.highWatermark)).toEqual([7, 3]);
    const read = await settle(sim, sim.cluster.fetch('keep', 0, 0));
    expect(read.records.map((r) => [r.offset, r.value?.toString()])).toEqual(first.map((r, i) => [r.offset, `a-${i}`]));
    expect(ok(sim.produce('keep', values('c', 1, { partition: 0 })))[0].offset).toBe(7);
  });

  // Proves a crash of every broker (no clean shutdown) loses nothing acknowledged with acks=all.
  it('recovers every acknowledged record after all brokers crash', () => {
    const sim = new Sim();
    sim.createTopic('crash', 1, 3);
    ok(sim.produce('crash', values('x', 50)));
    sim.restart({ crash: true });
    sim.until(() => sim.leadersReady('crash') && sim.cluster.snapshot().topics[0].partitions[0].highWatermark === 50, 30_000, 'recovered');
    expect(sim.replicaLog(sim.cluster.snapshot().topics[0].partitions[0].leader, 'crash', 0).size).toBe(50);
  });

  // Proves the same on real files: Kafka's layout on disk, reopened by a new cluster object.
  it('writes Kafka’s on-disk layout and reopens it from a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-'));
    dirs.push(dir);
    const scheduler = new SimScheduler();
    const open = (): Cluster => Cluster.create({ dataDir: dir, scheduler, seed: 3, settings: KAFKA_DEFAULTS });
    let cluster = open();
    scheduler.runUntil(() => [...cluster.brokers.values()].every((b) => b.state === 'running'));
    cluster.createTopic({ name: 'orders', partitions: 2, replicationFactor: 3 });
    const producer = cluster.createProducer();
    let done = false;
    producer.send('orders', values('o', 4, { partition: 1 }), (error) => {
      expect(error).toBeNull();
      done = true;
    });
    scheduler.runUntil(() => done);
    cluster.close();
    for (const broker of ['broker-1', 'broker-2', 'broker-3']) {
      const entries = readdirSync(join(dir, broker)).sort();
      expect(entries).toEqual(expect.arrayContaining(['.kafka_cleanshutdown', 'meta.properties', 'orders-0', 'orders-1', 'recovery-point-offset-checkpoint', 'replication-offset-checkpoint']));
      expect(readdirSync(join(dir, broker, 'orders-1')).sort()).toEqual(
        expect.arrayContaining(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex', 'leader-epoch-checkpoint']),
      );
    }
    cluster = open();
    scheduler.runUntil(() => [...cluster.brokers.values()].every((b) => b.state === 'running'));
    scheduler.runUntil(() => cluster.snapshot().topics[0]?.partitions[1].highWatermark === 4, 10_000);
    expect(cluster.snapshot().topics[0].partitions[1].highWatermark).toBe(4);
    cluster.close();
  });

  // Proves a torn write at the end of a log is cut at recovery and refilled from the leader.
  it('truncates a torn tail at recovery and catches up from the leader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-'));
    dirs.push(dir);
    const scheduler = new SimScheduler();
    const cluster = Cluster.create({ storage: new FileStorage(dir), scheduler, seed: 5, settings: KAFKA_DEFAULTS });
    const events: ClusterEvent[] = [];
    cluster.on((event) => events.push(event));
    scheduler.runUntil(() => [...cluster.brokers.values()].every((b) => b.state === 'running'));
    cluster.createTopic({ name: 'torn', partitions: 1, replicationFactor: 3 });
    scheduler.runUntil(() => cluster.snapshot().topics[0].partitions[0].leader > 0 && cluster.brokers.get(cluster.snapshot().topics[0].partitions[0].leader)!.partitions.get('torn-0')?.role === 'leader');
    const producer = cluster.createProducer();
    let acknowledged = 0;
    for (let i = 0; i < 5; i++) producer.send('torn', values(`batch${i}`, 10), (error) => !error && acknowledged++);
    scheduler.runUntil(() => acknowledged === 5);
    const p = cluster.snapshot().topics[0].partitions[0];
    const follower = p.replicas.find((id) => id !== p.leader)!;
    cluster.stopBroker(follower);
    const file = join(dir, `broker-${follower}`, 'torn-0', '00000000000000000000.log');
    const size = statSync(file).size;
    truncateSync(file, size - 20); // Half of the last batch never reached the disk.
    cluster.startBroker(follower);
    scheduler.runUntil(() => cluster.snapshot().topics[0].partitions[0].isr.includes(follower) && cluster.brokers.get(follower)!.partitions.get('torn-0')?.logEndOffset === 50, 60_000);
    const started = events.filter((e) => e.type === 'broker.started' && e.brokerId === follower).pop();
    expect(started).toMatchObject({ recovery: { cleanShutdown: false } });
    expect((started as Extract<ClusterEvent, { type: 'broker.started' }>).recovery.truncatedBytes).toBeGreaterThan(0);
    expect(statSync(file).size).toBe(size);
    cluster.close();
  });
});

describe('retention and reading', () => {
  // Proves retention deletes whole old segments, moves the log start offset, and reads below it fail.
  it('deletes old segments by size and moves the log start offset', async () => {
    const sim = new Sim();
    sim.createTopic('ret', 1, 3, { 'segment.bytes': '1024', 'retention.bytes': '2048' });
    for (let i = 0; i < 60; i++) ok(sim.produce('ret', values(`r${i}`, 5)));
    const leader = sim.cluster.snapshot().topics[0].partitions[0].leader;
    const log = sim.cluster.brokers.get(leader)!.partitions.get('ret-0')!.log;
    const segmentsBefore = log.segmentCount;
    expect(segmentsBefore).toBeGreaterThan(3);
    for (const broker of sim.cluster.brokers.values()) broker.runRetention();
    expect(log.segmentCount).toBeLessThan(segmentsBefore);
    expect(log.sizeBytes).toBeLessThanOrEqual(2048 + 1024);
    const start = log.logStartOffset;
    expect(start).toBeGreaterThan(0);
    expect(sim.cluster.snapshot().topics[0].partitions[0].logStartOffset).toBe(start);
    const error = await settle(sim, sim.cluster.fetch('ret', 0, 0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).name).toBe('OFFSET_OUT_OF_RANGE');
    expect(await settle(sim, sim.cluster.listOffset('ret', 0, 'earliest'))).toMatchObject({ offset: start });
    expect(await settle(sim, sim.cluster.listOffset('ret', 0, 'latest'))).toMatchObject({ offset: 300 });
  });

  // Proves retention by time runs on its own schedule (log.retention.check.interval.ms).
  it('deletes segments older than retention.ms on the retention schedule', () => {
    const sim = new Sim();
    sim.createTopic('old', 1, 1, { 'segment.bytes': '1024', 'retention.ms': '60000' });
    for (let i = 0; i < 10; i++) ok(sim.produce('old', values(`o${i}`, 5)));
    const leader = sim.cluster.snapshot().topics[0].partitions[0].leader;
    const log = sim.cluster.brokers.get(leader)!.partitions.get('old-0')!.log;
    expect(log.logStartOffset).toBe(0);
    sim.run(KAFKA_DEFAULTS.logRetentionCheckIntervalMs + 1_000);
    expect(log.logStartOffset).toBeGreaterThan(0);
  });

  // Proves list offsets by timestamp finds the first record at or after a time.
  it('lists offsets by timestamp', async () => {
    const sim = new Sim();
    sim.createTopic('times', 1, 1);
    const t0 = sim.scheduler.now();
    ok(sim.produce('times', [{ value: 'a', timestamp: t0 - 3000 }, { value: 'b', timestamp: t0 - 2000 }, { value: 'c', timestamp: t0 - 1000 }]));
    expect(await settle(sim, sim.cluster.listOffset('times', 0, { timestamp: t0 - 2500 }))).toEqual({ offset: 1, timestamp: t0 - 2000 });
    expect(await settle(sim, sim.cluster.listOffset('times', 0, { timestamp: t0 + 10 }))).toEqual({ offset: -1, timestamp: -1 });
  });
});
