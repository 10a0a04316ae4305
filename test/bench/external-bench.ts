/**
 * external_refresh_ms_p95: how long one poll of an attached cluster takes (Metadata,
 * ListOffsets earliest and latest for every partition, one request per leader broker, groups,
 * and building the snapshot) for 2,000 topics x 12 partitions (24,000 partitions). The
 * cluster is built in the embedded engine (3 brokers, in memory, replication factor 1 so
 * 24,000 logs fit in memory; the poll's work does not depend on the replication factor beyond
 * the replica lists) and attached over its own Kafka listener. As in the app, the embedded
 * cluster runs in its own worker thread, so the figure is the attached host's work and the
 * brokers' answers, not the engine's thread competing with the poller. The first poll (which
 * also reads every topic's configs once) is left out; 20 polls after it are timed.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorker } from '../../core/host/bundle';
import { WorkerHost } from '../../core/host/worker-host';
import { ExternalHost } from '../../core/external/index';

const TOPICS = Number(process.env.BENCH_EXTERNAL_TOPICS ?? 2_000);
const PARTITIONS = 12;
const POLLS = 20;

/** Runs the benchmark; returns its figures for bench.ts's JSON line. */
export async function runExternalBench(): Promise<{ external_refresh_ms_p95: number; external_refresh_ms_p50: number; external_partitions: number }> {
  // Next to the app's own bundle, so the engine's native packages resolve from node_modules.
  const workerFile = fileURLToPath(new URL(`../../dist/host/external-bench-${process.pid}.cjs`, import.meta.url));
  await bundleWorker(workerFile);
  const host = await WorkerHost.start(workerFile, { brokers: 3, kafkaPort: 0, seed: 3 });
  host.log = () => {};
  try {
    const bootstrap = host.kafkaBootstrap!;
    for (let i = 0; i < TOPICS; i++) {
      const created = await host.execute('createTopic', { name: `topic-${String(i).padStart(4, '0')}`, partitions: PARTITIONS, replicationFactor: 1, configs: {} });
      if (!created.ok) throw new Error(created.error.message);
    }
    const expected = TOPICS * PARTITIONS;
    await waitFor(async () => (await host.snapshot()).cluster.topics.reduce((sum, t) => sum + t.partitions.filter((p) => p.leader >= 0).length, 0) === expected);
    const attached = await ExternalHost.open(
      { id: 'bench', name: 'bench', bootstrapServers: bootstrap, clientId: 'brokerscope-bench', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: null, readOnly: true, pollIntervalMs: 60_000, watchedGroups: [] },
      { dataDir: null, log: () => {} },
    );
    try {
      const partitions = attached.picture().topics.reduce((sum, t) => sum + t.partitions.length, 0);
      if (partitions < expected) throw new Error(`the attached picture shows ${partitions} of ${expected} partitions`);
      const times: number[] = [];
      for (let i = 0; i < POLLS; i++) {
        const started = performance.now();
        await attached.refresh();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number): number => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]);
      return { external_refresh_ms_p95: at(0.95), external_refresh_ms_p50: at(0.5), external_partitions: partitions };
    } finally {
      await attached.close();
    }
  } finally {
    await host.close();
    rmSync(workerFile, { force: true });
    rmSync(`${workerFile}.map`, { force: true });
  }
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

if (process.argv[1]?.endsWith('external-bench.ts')) {
  runExternalBench().then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
