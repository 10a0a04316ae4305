/**
 * The Kafka listener's throughput as real clients see it, measured with kcat (librdkafka) in
 * the style of rdkafka_performance: 1,000,000 records of 100 bytes, acks=all, a topic of 6
 * partitions with replication factor 3 (the layout of LinkedIn's 2014 benchmark).
 *
 * Produce: the same kcat command against the embedded cluster and against the reference broker
 * (librdkafka's mock cluster, ../shared/tools/reference-broker), in alternating rounds on fresh
 * topics, the side that goes first changing every round. This machine's speed swings by a third
 * from one second to the next, so each side's figure is its median round, and the ratio is the
 * ratio of the medians (each round's ratio is listed too).
 *
 * Fetch: one kcat consumer reads the first round's topic from the beginning, with
 * rdkafka_performance's consumer setting `queued.min.messages=1000000` (its comment: keep 1M
 * messages in the local queue "to avoid application -> rdkafka -> broker per-message ping-pong
 * latency"). With kcat's defaults (100,000), librdkafka 2.0 stops fetching once its queue holds
 * that many and, since nothing wakes its broker threads when the application drains the queue,
 * fetches again only after up to a second (librdkafka issue #1377): a client-side pause whatever
 * the broker. That figure is reported too, as kafka_fetch_kcat_defaults_msgs_per_s.
 *
 * The cluster's CPU time while producing (user and system, from /proc) is reported per million
 * records, so what bounds the produce figure is visible in the same line.
 * Needs kcat, gcc and librdkafka-dev (Debian packages).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startMockCluster, type MockCluster } from '../tools/mock-cluster';

const RECORDS = Number(process.env.KAFKA_BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.KAFKA_BENCH_ROUNDS ?? 3);
const VALUE_BYTES = 100;
const PARTITIONS = 6;
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Figures this benchmark adds to `npm run bench`'s line. */
export interface KafkaBenchResult {
  kafka_produce_msgs_per_s: number | null;
  kafka_fetch_msgs_per_s: number | null;
  kafka_fetch_kcat_defaults_msgs_per_s?: number | null;
  reference_produce_msgs_per_s: number | null;
  kafka_produce_ratio_vs_reference: number | null;
  kafka_produce_ratio_rounds?: number[];
  kafka_server_cpu_s_per_million?: number | null;
  kafka_server_sys_s_per_million?: number | null;
  kafka_bench_note?: string;
}

/** The embedded cluster with its listeners (test/protocol/serve-cluster.ts), run by Node itself. */
interface ServedCluster {
  child: ChildProcessWithoutNullStreams;
  bootstrap: string;
  /** Creates a topic and resolves once every partition is led. */
  createTopic(name: string): Promise<void>;
}

/** Starts the cluster (Node itself, not npx: a signal to npx would leave the cluster running). */
async function startCluster(dataDir: string): Promise<ServedCluster> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/protocol/serve-cluster.ts', '--data', dataDir], { cwd: root, stdio: 'pipe' });
  const lines = createInterface({ input: child.stdout });
  /** Resolves with the first line from now on that matches `pattern`. */
  const nextLine = (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => (lines.off('line', onLine), reject(new Error(`the cluster printed no line matching ${pattern} within 60 s`))), 60_000);
      const onLine = (line: string): void => {
        const match = line.match(pattern);
        if (!match) return;
        clearTimeout(timer);
        lines.off('line', onLine);
        resolveLine(match);
      };
      lines.on('line', onLine);
    });
  const [, bootstrap] = await nextLine(/^KAFKA_BOOTSTRAP=(\S+)$/);
  return {
    child,
    bootstrap,
    async createTopic(name) {
      const created = nextLine(new RegExp(`^ok topic ${name}$`));
      child.stdin.write(`topic ${name} ${PARTITIONS} 3\n`);
      await created;
    },
  };
}

/** Runs kcat with stdin from a file; resolves with the wall time in seconds. */
function timedKcat(args: string[], inputFile?: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn('kcat', args, { stdio: [inputFile ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (inputFile) createReadStream(inputFile).pipe(child.stdin!);
    child.on('exit', (code) => (code === 0 ? resolvePromise((performance.now() - start) / 1000) : reject(new Error(`kcat ${args.join(' ')}: ${code} ${stderr}`))));
  });
}

/** A process's user and system CPU seconds so far (Linux's /proc; null elsewhere). */
function cpuSeconds(pid: number): { user: number; system: number } | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 1/100 s.
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return null;
  }
}

const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

const produceArgs = (bootstrap: string, topic: string): string[] => ['-b', bootstrap, '-P', '-t', topic, '-X', 'acks=all', '-X', 'linger.ms=5'];
const consumeArgs = (bootstrap: string, topic: string, extra: string[]): string[] => ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-c', String(RECORDS), '-q', '-f', '\n', ...extra];
/** rdkafka_performance's consumer setting (see the comment at the top). */
const RDKAFKA_PERFORMANCE_CONSUMER = ['-X', 'queued.min.messages=1000000'];

/** Runs the Kafka benchmark; figures are null (with a note) when a tool is missing. */
export async function runKafkaBench(): Promise<KafkaBenchResult> {
  const empty: KafkaBenchResult = { kafka_produce_msgs_per_s: null, kafka_fetch_msgs_per_s: null, reference_produce_msgs_per_s: null, kafka_produce_ratio_vs_reference: null };
  if (spawnSync('kcat', ['-V']).status !== 0) return { ...empty, kafka_bench_note: 'kcat is not installed (apt-get install kcat)' };
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-kafka-bench-'));
  const input = join(dir, 'records.txt');
  writeFileSync(input, Buffer.alloc(VALUE_BYTES, 'x').toString().concat('\n').repeat(RECORDS));
  let ours: ServedCluster | null = null;
  let reference: MockCluster | null = null;
  try {
    const cluster = (ours = await startCluster(join(dir, 'cluster')));

    // The reference broker speaks the same stdin commands as the tests' mock cluster.
    const build = join(root, '..', 'shared', 'tools', 'reference-broker', 'build');
    const binary = join(dir, 'reference-broker');
    reference = existsSync(build) && spawnSync(build, [binary]).status === 0 ? await startMockCluster(binary, 3) : null;

    const oursRates: number[] = [];
    const referenceRates: number[] = [];
    const ratios: number[] = [];
    const cpu: number[] = [];
    const system: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const topic = `bench-${round}`;
      await cluster.createTopic(topic);
      await reference?.command(`topic ${topic} ${PARTITIONS} 3`);
      const runOurs = async (): Promise<void> => {
        const before = cpuSeconds(cluster.child.pid!);
        const seconds = await timedKcat(produceArgs(cluster.bootstrap, topic), input);
        const after = cpuSeconds(cluster.child.pid!);
        oursRates.push(RECORDS / seconds);
        if (before && after) {
          cpu.push(((after.user + after.system - before.user - before.system) * 1e6) / RECORDS);
          system.push(((after.system - before.system) * 1e6) / RECORDS);
        }
      };
      const runReference = async (): Promise<void> => {
        if (reference) referenceRates.push(RECORDS / (await timedKcat(produceArgs(reference.bootstrap, topic), input)));
      };
      if (round % 2 === 0) {
        await runOurs();
        await runReference();
      } else {
        await runReference();
        await runOurs();
      }
      if (reference) ratios.push(Number((oursRates[round] / referenceRates[round]).toFixed(2)));
    }

    const fetchRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) fetchRates.push(RECORDS / (await timedKcat(consumeArgs(cluster.bootstrap, 'bench-0', RDKAFKA_PERFORMANCE_CONSUMER))));
    const defaultsFetch = RECORDS / (await timedKcat(consumeArgs(cluster.bootstrap, 'bench-0', [])));

    const result: KafkaBenchResult = {
      ...empty,
      kafka_produce_msgs_per_s: Math.round(median(oursRates)),
      kafka_fetch_msgs_per_s: Math.round(median(fetchRates)),
      kafka_fetch_kcat_defaults_msgs_per_s: Math.round(defaultsFetch),
      kafka_server_cpu_s_per_million: cpu.length ? Number(median(cpu).toFixed(2)) : null,
      kafka_server_sys_s_per_million: system.length ? Number(median(system).toFixed(2)) : null,
    };
    if (!reference) return { ...result, kafka_bench_note: 'the reference broker could not be built (needs gcc and librdkafka-dev)' };
    return {
      ...result,
      reference_produce_msgs_per_s: Math.round(median(referenceRates)),
      kafka_produce_ratio_vs_reference: Number((median(oursRates) / median(referenceRates)).toFixed(2)),
      kafka_produce_ratio_rounds: ratios,
    };
  } finally {
    reference?.stop();
    const child = ours?.child;
    if (child && child.exitCode === null && child.signalCode === null) await new Promise((exited) => (child.once('exit', exited), child.kill('SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runKafkaBench().then((result) => console.log(JSON.stringify(result)));
}
