/**
 * `npm run bench`: the engine's speed and memory on this machine, as one JSON line.
 *
 * - engine_produce_msgs_per_s: 100-byte values, replication factor 3, acks=all, on disk,
 *   batches of 500, real clock, 5 batches in flight per partition (max.in.flight).
 * - engine_fetch_msgs_per_s: the same records read back and decoded by one reader, six
 *   partitions at a time, 1 MiB per fetch (max.partition.fetch.bytes).
 * - disk_write_mb_per_s: a plain sequential write, in the same run and just before producing,
 *   of as many bytes as the cluster then writes (every replica's), and
 *   engine_disk_write_mb_per_s: the rate at which the cluster wrote them, so the ratio to the
 *   disk is visible (with 3 replicas on one disk, the disk takes 3 bytes per byte produced).
 * - peak_rss_mb: the process's peak resident memory after producing BENCH_BYTES (2 GB).
 * - group_rebalance_ms, group_initial_join_ms, commit_per_s: consumer groups, measured after on
 *   a small in-memory cluster with a simulated clock (see group-bench.ts).
 *
 * - ui_fps, ui_update_latency_ms_p95, host_event_loop_lag_ms_p99: the window in headless
 *   Chromium with 5,400 replicas under 20,000 records/s (see ui-bench.ts).
 * - kafka_produce_msgs_per_s, kafka_fetch_msgs_per_s, reference_produce_msgs_per_s,
 *   kafka_produce_ratio_vs_reference (with each round's ratio), kafka_fetch_kcat_defaults_msgs_per_s,
 *   kafka_server_cpu_s_per_million and kafka_server_sys_s_per_million: kcat over the Kafka
 *   listener, and the same produce against the reference broker, medians of alternating rounds
 *   (see kafka-bench.ts; needs kcat, gcc, librdkafka-dev).
 *
 * - external_refresh_ms_p95 (and _p50): one poll of an attached cluster of 2,000 topics x 12
 *   partitions, built in the embedded cluster and attached over its listener (see external-bench.ts).
 *
 * Options by environment: BENCH_BYTES (default 2e9), BENCH_DIR (default: the OS temp dir),
 * BENCH_ONLY=engine (only the engine's figures above the groups), BENCH_ONLY=external (only
 * the attached-cluster figures).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, KAFKA_DEFAULTS, decodeRecordBatches, type ProducerRecord } from '../../core/index';

const TOTAL_BYTES = Number(process.env.BENCH_BYTES ?? 2e9);
const VALUE_BYTES = 100;
const BATCH = 500;
const PARTITIONS = 6;
const REPLICATION_FACTOR = 3;
const IN_FLIGHT_PER_PARTITION = 5;
/** max.partition.fetch.bytes, the Java consumer's default. */
const MAX_PARTITION_FETCH_BYTES = 1_048_576;

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => (condition() ? resolve() : void setTimeout(check, 5));
    check();
  });
}

async function produce(cluster: Cluster, targetRecords: number): Promise<{ records: number; seconds: number }> {
  const producer = cluster.createProducer({ acks: -1, clientId: 'bench' });
  const values = Array.from({ length: 64 }, (_, i) => Buffer.alloc(VALUE_BYTES, 97 + (i % 26)));
  let sent = 0;
  let acknowledged = 0;
  let failed: Error | null = null;
  const batchFor = (partition: number): ProducerRecord[] => {
    const records: ProducerRecord[] = new Array(BATCH);
    for (let i = 0; i < BATCH; i++) records[i] = { value: values[(sent + i) & 63], partition };
    return records;
  };
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const pump = (partition: number): void => {
      if (failed) return;
      if (sent >= targetRecords) {
        if (acknowledged >= sent) resolve();
        return;
      }
      const records = batchFor(partition);
      sent += BATCH;
      producer.send('bench', records, (error) => {
        if (error) {
          failed = error;
          reject(error);
          return;
        }
        acknowledged += BATCH;
        pump(partition);
      });
    };
    for (let p = 0; p < PARTITIONS; p++) for (let i = 0; i < IN_FLIGHT_PER_PARTITION; i++) pump(p);
  });
  return { records: acknowledged, seconds: (performance.now() - start) / 1000 };
}

async function fetchAll(cluster: Cluster): Promise<{ records: number; seconds: number }> {
  const reader = cluster.createReader('bench-reader');
  let records = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: PARTITIONS }, (_, partition) => {
      const end = cluster.snapshot().topics[0].partitions[partition].highWatermark;
      return new Promise<void>((resolve, reject) => {
        const next = (offset: number): void => {
          if (offset >= end) return resolve();
          reader.fetchRaw('bench', partition, offset, { maxBytes: MAX_PARTITION_FETCH_BYTES }, (error, data) => {
            if (error || !data) return reject(error);
            let last = offset;
            for (const batch of decodeRecordBatches(data.records)) {
              for (const record of batch.records) if (record.offset >= offset) records++;
              last = batch.header.baseOffset + batch.header.lastOffsetDelta + 1;
            }
            next(last);
          });
        };
        next(0);
      });
    }),
  );
  return { records, seconds: (performance.now() - start) / 1000 };
}

function diskWrite(dir: string, bytes: number): number {
  const chunk = Buffer.alloc(BATCH * (VALUE_BYTES + 10) + 61, 7);
  const file = join(dir, 'sequential.bin');
  const fd = openSync(file, 'a');
  const start = performance.now();
  for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  const seconds = (performance.now() - start) / 1000;
  rmSync(file);
  return bytes / 1e6 / seconds;
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'external') {
    console.log(JSON.stringify(await (await import('./external-bench')).runExternalBench()));
    return;
  }
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'brokerscope-bench-'));
  try {
    const cluster = Cluster.create({ dataDir: join(dir, 'cluster'), brokers: 3, seed: 42, settings: { ...KAFKA_DEFAULTS } });
    await waitFor(() => cluster.controllerId >= 0 && [...cluster.brokers.values()].every((b) => b.state === 'running'));
    cluster.createTopic({ name: 'bench', partitions: PARTITIONS, replicationFactor: REPLICATION_FACTOR });
    await waitFor(() => cluster.snapshot().topics[0].partitions.every((p) => cluster.brokers.get(p.leader)?.partitions.get(`bench-${p.partition}`)?.role === 'leader'));
    const approxRecordBytes = VALUE_BYTES + 10 + 61 / BATCH;
    const target = Math.ceil(TOTAL_BYTES / approxRecordBytes / (BATCH * PARTITIONS)) * BATCH * PARTITIONS;
    const disk = diskWrite(dir, target * approxRecordBytes * REPLICATION_FACTOR);
    const produced = await produce(cluster, target);
    const leaderBytes = cluster.totals.bytes;
    const rssAfterProduce = process.resourceUsage().maxRSS / 1024;
    const fetched = await fetchAll(cluster);
    cluster.close();
    // The gigabytes just written would still be going to disk while the next benchmarks run,
    // measuring the writeback rather than them: deleted, they never go.
    rmSync(dir, { recursive: true, force: true });
    // After the engine's peak memory is read: the group benchmark's cluster must not count in it.
    // The other benchmarks load their tools (Chromium's driver, bundlers) only now, so that
    // none of it counts in the engine's peak memory above.
    const only = process.env.BENCH_ONLY;
    const groups = only === 'engine' ? {} : (await import('./group-bench')).groupBench();
    const ui = only === 'engine' ? {} : await (await import('./ui-bench')).measureUi();
    const kafka = only === 'engine' ? {} : await (await import('./kafka-bench')).runKafkaBench();
    const external = only === 'engine' ? {} : await (await import('./external-bench')).runExternalBench();
    console.log(
      JSON.stringify({
        engine_produce_msgs_per_s: Math.round(produced.records / produced.seconds),
        engine_fetch_msgs_per_s: Math.round(fetched.records / fetched.seconds),
        disk_write_mb_per_s: Math.round(disk),
        engine_disk_write_mb_per_s: Math.round((leaderBytes * REPLICATION_FACTOR) / 1e6 / produced.seconds),
        engine_produce_mb_per_s: Math.round(leaderBytes / 1e6 / produced.seconds),
        produced_records: produced.records,
        produced_gb: Number((leaderBytes / 1e9).toFixed(2)),
        peak_rss_mb: Math.round(rssAfterProduce),
        ...groups,
        ...ui,
        ...kafka,
        ...external,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
