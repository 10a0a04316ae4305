/**
 * `npx tsx test/sim/measure-follower-rounds.ts`: what follower fetch rounds cost the engine's
 * thread under the UI benchmark's load, on the simulated clock so nothing but the engine is
 * measured: 6 brokers, 300 topics x 6 partitions x 3 replicas, 20 steady producers of 1,000
 * records/s each (acks=1, keyless) on 20 topics spread over the map.
 *
 * It prints one JSON line: the wall and CPU milliseconds spent per simulated second, the
 * follower fetch requests the leaders handled and the partitions those requests listed.
 * Options by environment: MEASURE_SECONDS (simulated seconds measured, default 10),
 * MEASURE_RATE (records/s in all, default 20,000), MEASURE_PROFILE (a file to write a CPU
 * profile of the measured seconds to, for Chrome's DevTools).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Cluster, MemoryStorage, SimScheduler } from '../../core/index';
import type { FetchRequest, FetchResponse } from '../../core/broker/messages';
import { UI_LOAD, loadTopic, producerTopic } from '../bench/ui-load';

const RECORDS_PER_SECOND = Number(process.env.MEASURE_RATE ?? UI_LOAD.recordsPerSecond);
const MEASURE_SECONDS = Number(process.env.MEASURE_SECONDS ?? 10);
const WARMUP_SECONDS = 3;

function runUntil(scheduler: SimScheduler, condition: () => boolean, what: string): void {
  if (!scheduler.runUntil(condition, 300_000)) throw new Error(`${what} did not happen within 300 s of simulated time`);
}

function main(): void {
  const scheduler = new SimScheduler();
  const cluster = Cluster.create({ brokers: UI_LOAD.brokers, storage: new MemoryStorage(), scheduler, seed: 42 });
  runUntil(scheduler, () => cluster.controllerId >= 0 && [...cluster.brokers.values()].every((b) => b.state === 'running'), 'cluster start');
  const topics = Array.from({ length: UI_LOAD.topics }, (_, t) => loadTopic(t));
  for (const name of topics) cluster.createTopic({ name, partitions: UI_LOAD.partitions, replicationFactor: UI_LOAD.replicationFactor, configs: {} });
  const inSync = (): boolean => topics.every((name) => cluster.store.image.topics.get(name)?.partitions.every((p) => p.leader >= 0 && p.isr.length === 3) ?? false);
  runUntil(scheduler, inSync, 'every partition in sync');
  scheduler.runFor(5_000);

  // Count what leaders are asked, without changing how they answer.
  const counts = { requests: 0, partitions: 0, responses: 0, responsePartitions: 0 };
  for (const broker of cluster.brokers.values()) {
    const handleFetch = broker.handleFetch.bind(broker);
    broker.handleFetch = (request: FetchRequest, respond: (response: FetchResponse) => void): void => {
      if (request.replicaId >= 0) {
        counts.requests++;
        counts.partitions += request.partitions.length;
      }
      handleFetch(request, (response) => {
        if (request.replicaId >= 0) {
          counts.responses++;
          counts.responsePartitions += response.partitions.length;
        }
        respond(response);
      });
    };
  }

  const producers = UI_LOAD.producers;
  const runners = Array.from({ length: producers }, (_, i) => {
    const runner = cluster.createProducerRunner({ topic: producerTopic(i, producers), acks: 1, value: UI_LOAD.value });
    // Staggered over a runner's 100 ms tick, as producers started by hand are: appends spread out.
    scheduler.schedule(Math.floor((i * 100) / producers), () => runner.start(RECORDS_PER_SECOND / producers));
    return runner;
  });
  scheduler.runFor(WARMUP_SECONDS * 1_000);
  Object.assign(counts, { requests: 0, partitions: 0, responses: 0, responsePartitions: 0 });
  const acknowledgedBefore = runners.reduce((sum, r) => sum + r.stats().acknowledged, 0);

  const profiler = process.env.MEASURE_PROFILE ? new Session() : null;
  profiler?.connect();
  profiler?.post('Profiler.enable');
  profiler?.post('Profiler.start');
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  scheduler.runFor(MEASURE_SECONDS * 1_000);
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  profiler?.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(process.env.MEASURE_PROFILE!, JSON.stringify(result.profile));
  });

  const acknowledged = runners.reduce((sum, r) => sum + r.stats().acknowledged, 0) - acknowledgedBefore;
  const shrinks = topics.reduce((sum, name) => sum + (cluster.store.image.topics.get(name)?.partitions.filter((p) => p.isr.length < 3).length ?? 0), 0);
  console.log(
    JSON.stringify({
      simulated_seconds: MEASURE_SECONDS,
      wall_ms_per_simulated_s: Math.round(wallMs / MEASURE_SECONDS),
      cpu_ms_per_simulated_s: Math.round((cpu.user + cpu.system) / 1_000 / MEASURE_SECONDS),
      records_acknowledged_per_s: Math.round(acknowledged / MEASURE_SECONDS),
      follower_fetch_requests_per_s: Math.round(counts.requests / MEASURE_SECONDS),
      partitions_per_follower_request: Number((counts.partitions / Math.max(1, counts.requests)).toFixed(1)),
      partitions_per_follower_response: Number((counts.responsePartitions / Math.max(1, counts.responses)).toFixed(1)),
      partitions_under_replicated: shrinks,
    }),
  );
  for (const runner of runners) runner.close();
  cluster.close();
}

main();
