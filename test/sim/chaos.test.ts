/**
 * Proves Kafka's central guarantee under random failures: with acks=all,
 * min.insync.replicas=2, RF 3 and no unclean election, no acknowledged record is ever lost,
 * moved to another offset or reordered, whatever the schedule of broker stops, starts and
 * network partitions;
 * and once everything is back, all replicas hold identical logs.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../core/index';
import { Sim } from './harness';

const SCHEDULES = Number(process.env.SCHEDULES ?? 200);
const FIRST_SEED = Number(process.env.SEED ?? 1);

interface Ack {
  partition: number;
  offset: number;
  value: string;
}

function runSchedule(seed: number): { acked: number; stops: number } {
  const random = new Random(seed * 7919);
  const brokers = random.between(3, 5);
  const sim = new Sim({
    seed,
    brokers,
    settings: { replicaLagTimeMaxMs: 4_000, brokerHeartbeatIntervalMs: 500, brokerSessionTimeoutMs: 3_000, requestTimeoutMs: 5_000 },
  });
  sim.createTopic('chaos', 3, 3, { 'min.insync.replicas': '2' });
  const producer = sim.cluster.createProducer({ acks: -1, deliveryTimeoutMs: 20_000, requestTimeoutMs: 5_000 });
  const acks: Ack[] = [];
  let sent = 0;
  let stops = 0;
  for (let step = 0; step < 40; step++) {
    const action = random.nextInt(10);
    const running = [...sim.cluster.brokers.values()].filter((b) => b.running).map((b) => b.id);
    const stopped = [...sim.cluster.brokers.values()].filter((b) => !b.running).map((b) => b.id);
    if (action < 5) {
      const records = Array.from({ length: random.between(1, 5) }, () => ({ value: `s${seed}-${sent++}`, key: `k${random.nextInt(20)}` }));
      producer.send('chaos', records, (error, results) => {
        if (error) return;
        results!.forEach((r, i) => acks.push({ partition: r.partition, offset: r.offset, value: String(records[i].value) }));
      });
    } else if (action < 7 && running.length > 0) {
      sim.cluster.stopBroker(random.pick(running));
      stops++;
    } else if (action < 8 && stopped.length > 0) {
      sim.cluster.startBroker(random.pick(stopped));
    } else if (action === 8 && running.length > 0) {
      // A network partition: the broker runs on but reaches no other broker.
      sim.cluster.network.isolate(random.pick(running));
    } else if (action === 9) {
      for (const id of sim.cluster.brokers.keys()) sim.cluster.network.heal(id);
    }
    sim.run(random.between(50, 3_000));
  }
  // Heal everything and let the cluster converge.
  for (const broker of sim.cluster.brokers.values()) {
    sim.cluster.network.heal(broker.id);
    if (!broker.running) sim.cluster.startBroker(broker.id);
  }
  sim.run(30_000);
  sim.until(() => converged(sim), 120_000, `convergence (seed ${seed})`);
  for (let partition = 0; partition < 3; partition++) {
    const replicas = sim.cluster.store.image.topics.get('chaos')!.partitions[partition].replicas;
    const logs = replicas.map((id) => sim.replicaLog(id, 'chaos', partition));
    for (const log of logs.slice(1)) expect([...log.entries()], `replicas differ (seed ${seed})`).toEqual([...logs[0].entries()]);
    for (const ack of acks.filter((a) => a.partition === partition)) {
      expect(logs[0].get(ack.offset), `acknowledged ${ack.value} at ${partition}/${ack.offset} (seed ${seed})`).toBe(ack.value);
    }
  }
  return { acked: acks.length, stops };
}

function converged(sim: Sim): boolean {
  const snapshot = sim.cluster.snapshot();
  return snapshot.topics[0].partitions.every(
    (p) => p.leader >= 0 && p.isr.length === p.replicas.length && p.replicaStates.every((r) => r.logEndOffset === p.logEndOffset) && p.highWatermark === p.logEndOffset,
  );
}

describe('no acknowledged record is lost under random broker failures', () => {
  it(`holds across ${SCHEDULES} seeded schedules`, () => {
    let acked = 0;
    let stops = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) {
      const result = runSchedule(seed);
      acked += result.acked;
      stops += result.stops;
    }
    // The schedules must really exercise the cluster.
    expect(acked).toBeGreaterThan(SCHEDULES * 10);
    expect(stops).toBeGreaterThan(SCHEDULES * 2);
  });
});
