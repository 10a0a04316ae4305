/**
 * The Kafka listener's throughput as real clients see it, measured with kcat (librdkafka) in
 * the style of rdkafka_performance: 1,000,000 records of 100 bytes, acks=all, a topic of 6
 * partitions with replication factor 3 (the layout of LinkedIn's 2014 benchmark), produced
 * then consumed from the beginning by one kcat. The same kcat produce runs against the
 * reference broker (librdkafka's mock cluster, ../shared/tools/reference-broker) in the same
 * run, for the ratio. Needs kcat, gcc and librdkafka-dev (Debian packages).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RECORDS = Number(process.env.KAFKA_BENCH_RECORDS ?? 1_000_000);
const VALUE_BYTES = 100;
const PARTITIONS = 6;
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Figures this benchmark adds to `npm run bench`'s line. */
export interface KafkaBenchResult {
  kafka_produce_msgs_per_s: number | null;
  kafka_fetch_msgs_per_s: number | null;
  reference_produce_msgs_per_s: number | null;
  kafka_produce_ratio_vs_reference: number | null;
  kafka_bench_note?: string;
}

/** Starts a process and resolves with it once a line matching `ready` appears on stdout. */
function startProcess(command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcessWithoutNullStreams; match: RegExpMatchArray }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'pipe' });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not become ready: ${out}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match });
      }
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
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

async function produceAndFetch(bootstrap: string, topic: string, input: string, fetch: boolean): Promise<{ produce: number; fetch: number | null }> {
  const producer = ['-b', bootstrap, '-P', '-t', topic, '-X', 'acks=all', '-X', 'linger.ms=5'];
  const produceSeconds = await timedKcat(producer, input);
  if (!fetch) return { produce: RECORDS / produceSeconds, fetch: null };
  const consumer = ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-c', String(RECORDS), '-q', '-f', '\n'];
  const fetchSeconds = await timedKcat(consumer);
  return { produce: RECORDS / produceSeconds, fetch: RECORDS / fetchSeconds };
}

/** Runs the Kafka benchmark; figures are null (with a note) when a tool is missing. */
export async function runKafkaBench(): Promise<KafkaBenchResult> {
  const empty: KafkaBenchResult = { kafka_produce_msgs_per_s: null, kafka_fetch_msgs_per_s: null, reference_produce_msgs_per_s: null, kafka_produce_ratio_vs_reference: null };
  if (spawnSync('kcat', ['-V']).status !== 0) return { ...empty, kafka_bench_note: 'kcat is not installed (apt-get install kcat)' };
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-kafka-bench-'));
  const input = join(dir, 'records.txt');
  writeFileSync(input, Buffer.alloc(VALUE_BYTES, 'x').toString().concat('\n').repeat(RECORDS));
  const children: ChildProcessWithoutNullStreams[] = [];
  try {
    // Node itself, not npx: a signal to npx would leave the cluster running through the reference's run.
    const ours = await startProcess(process.execPath, ['--import', 'tsx', 'test/protocol/serve-cluster.ts', '--data', join(dir, 'cluster')], /KAFKA_BOOTSTRAP=(\S+)/);
    children.push(ours.child);
    ours.child.stdin.write(`topic bench ${PARTITIONS} 3\n`);
    await new Promise<void>((ok) => ours.child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ok topic') && ok()));
    const measured = await produceAndFetch(ours.match[1], 'bench', input, true);
    const result: KafkaBenchResult = { ...empty, kafka_produce_msgs_per_s: Math.round(measured.produce), kafka_fetch_msgs_per_s: Math.round(measured.fetch!) };
    ours.child.kill('SIGTERM');
    await new Promise((ok) => ours.child.once('exit', ok));

    const build = join(root, '..', 'shared', 'tools', 'reference-broker', 'build');
    const binary = join(dir, 'reference-broker');
    if (!existsSync(build) || spawnSync(build, [binary]).status !== 0) {
      return { ...result, kafka_bench_note: 'the reference broker could not be built (needs gcc and librdkafka-dev)' };
    }
    const reference = await startProcess(binary, ['3'], /KAFKA_BOOTSTRAP=(\S+)/);
    children.push(reference.child);
    reference.child.stdin.write(`topic bench ${PARTITIONS} 3\n`);
    await new Promise<void>((ok) => reference.child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ok') && ok()));
    const baseline = await produceAndFetch(reference.match[1], 'bench', input, false);
    reference.child.stdin.write('quit\n');
    result.reference_produce_msgs_per_s = Math.round(baseline.produce);
    result.kafka_produce_ratio_vs_reference = Number((measured.produce / baseline.produce).toFixed(2));
    return result;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runKafkaBench().then((result) => console.log(JSON.stringify(result)));
}
