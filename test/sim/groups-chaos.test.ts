/**
 * Proves a consumer group's two guarantees under random failures: across seeded schedules of
 * consumer joins, crashes and clean exits and broker stops and starts (the coordinator's
 * broker among them), no partition is ever owned by two members of the same generation
 * (checked after every simulated task by the harness), and once everything is back every
 * record below the high watermark has been consumed by the group at least once, with the
 * value the log holds at that offset.
 */
import { describe, expect, it } from 'vitest';
import { Random, type AssignorName, type Consumer } from '../../core/index';
import { Sim } from './harness';

const SCHEDULES = Number(process.env.SCHEDULES ?? 50);
const FIRST_SEED = Number(process.env.SEED ?? 1);
const ASSIGNORS: AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];
const PARTITIONS = 4;

function runSchedule(seed: number): { consumed: number; crashes: number; brokerStops: number } {
  const random = new Random(seed * 104_729);
  const sim = new Sim({
    seed,
    brokers: 3,
    settings: {
      replicaLagTimeMaxMs: 4_000,
      brokerHeartbeatIntervalMs: 500,
      brokerSessionTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      offsetsTopicNumPartitions: 3,
      groupInitialRebalanceDelayMs: 300,
      groupMinSessionTimeoutMs: 1_000,
    },
  });
  sim.createTopic('chaos', PARTITIONS, 3);
  const assignor = ASSIGNORS[seed % ASSIGNORS.length];
  // What the group consumed, per partition: offset -> value.
  const consumed = Array.from({ length: PARTITIONS }, () => new Map<number, string>());
  let next = 0;
  const live: Consumer[] = [];
  const start = (): void => {
    live.push(
      sim.cluster.createConsumer({
        groupId: 'chaos-group',
        topics: ['chaos'],
        clientId: `c${next++}`,
        assignors: [assignor],
        autoOffsetReset: 'earliest',
        sessionTimeoutMs: 3_000,
        heartbeatIntervalMs: 500,
        maxPollIntervalMs: 8_000,
        autoCommitIntervalMs: 1_000,
        requestTimeoutMs: 5_000,
        metadataMaxAgeMs: 2_000,
        recordsPerSecond: random.nextInt(2) === 0 ? null : 50,
        onRecords: (records) => {
          for (const r of records) consumed[r.partition].set(r.offset, r.value?.toString() ?? '');
        },
      }),
    );
  };
  const runner = sim.cluster.createProducerRunner({ topic: 'chaos', value: 's{{seq}}', key: 'k{{random}}' });
  runner.start(40);
  start();
  start();
  let crashes = 0;
  let brokerStops = 0;
  for (let step = 0; step < 30; step++) {
    const action = random.nextInt(10);
    const running = [...sim.cluster.brokers.values()].filter((b) => b.running).map((b) => b.id);
    const stopped = [...sim.cluster.brokers.values()].filter((b) => !b.running).map((b) => b.id);
    if (action < 3 && live.length < 5) {
      start();
    } else if (action < 5 && live.length > 0) {
      const victim = live.splice(random.nextInt(live.length), 1)[0];
      if (random.nextInt(3) === 0) void victim.close();
      else {
        victim.crash();
        crashes++;
      }
    } else if (action < 7 && running.length > 1) {
      // Often the coordinator's broker: the group must move with it.
      const coordinator = sim.cluster.snapshot().groups[0]?.coordinator;
      sim.cluster.stopBroker(coordinator !== undefined && running.includes(coordinator) && random.nextInt(2) === 0 ? coordinator : random.pick(running));
      brokerStops++;
    } else if (action < 9 && stopped.length > 0) {
      sim.cluster.startBroker(random.pick(stopped));
    }
    sim.run(random.between(200, 3_000));
  }
  runner.stop();
  for (const broker of sim.cluster.brokers.values()) if (!broker.running) sim.cluster.startBroker(broker.id);
  if (live.length === 0) start();
  const complete = (): boolean =>
    sim.leadersReady('chaos') &&
    sim.cluster.snapshot().topics.find((t) => t.name === 'chaos')!.partitions.every((p) => {
      if (p.highWatermark < 0) return false;
      for (let offset = p.logStartOffset; offset < p.highWatermark; offset++) if (!consumed[p.partition].has(offset)) return false;
      return true;
    });
  sim.until(complete, 180_000, `every record consumed (seed ${seed}, ${assignor})`);
  // Each consumed value is the one the log holds at that offset.
  const partitions = sim.cluster.snapshot().topics.find((t) => t.name === 'chaos')!.partitions;
  for (const p of partitions) {
    const log = sim.replicaLog(p.leader, 'chaos', p.partition);
    for (const [offset, value] of consumed[p.partition]) if (offset < p.highWatermark) expect(value, `seed ${seed} chaos-${p.partition}@${offset}`).toBe(log.get(offset));
  }
  return { consumed: consumed.reduce((n, m) => n + m.size, 0), crashes, brokerStops };
}

describe('consumer groups under random failures', () => {
  it(`keep one owner per partition per generation and consume every record, across ${SCHEDULES} seeded schedules`, () => {
    let consumed = 0;
    let crashes = 0;
    let brokerStops = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) {
      const result = runSchedule(seed);
      consumed += result.consumed;
      crashes += result.crashes;
      brokerStops += result.brokerStops;
    }
    // The schedules must really exercise the group.
    expect(consumed).toBeGreaterThan(SCHEDULES * 500);
    expect(crashes).toBeGreaterThan(SCHEDULES);
    expect(brokerStops).toBeGreaterThan(SCHEDULES * 2);
  }, 60_000 + SCHEDULES * 2_000);
});
