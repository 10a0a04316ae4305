/**
 * Builds and starts librdkafka's mock cluster (test/tools/mock-cluster.c, Debian's
 * librdkafka-dev) as a second, independent Kafka-protocol implementation for tests: it prints
 * `KAFKA_BOOTSTRAP=...`, then answers `ok` to each command on stdin (`topic NAME P RF`,
 * `leader TOPIC PARTITION ID`, `down ID`, `up ID`, `quit`).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Whether the mock cluster can be built and kcat runs here, or why not. */
export function mockClusterAvailability(): { available: true; binary: string; cleanup(): void } | { available: false; reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-mock-'));
  const binary = join(dir, 'mock-cluster');
  const built = spawnSync('gcc', ['-O1', '-o', binary, join(import.meta.dirname, 'mock-cluster.c'), '-lrdkafka'], { encoding: 'utf8' });
  const hasKcat = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;
  if (built.status === 0 && hasKcat) return { available: true, binary, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  rmSync(dir, { recursive: true, force: true });
  const reason = built.status !== 0 ? `gcc could not build the mock cluster (${built.stderr?.trim() || built.error?.message})` : 'kcat is not installed';
  // CI installs gcc, librdkafka-dev and kcat (.ci/run): there, a missing tool is a failure, not a skip.
  if (process.env.CI) throw new Error(`The mock-cluster tests cannot run: ${reason}.`);
  return { available: false, reason };
}

/** A running mock cluster. */
export interface MockCluster {
  bootstrap: string;
  /** Sends a command and waits for its answer (throws unless it is `ok`). */
  command(line: string): Promise<void>;
  stop(): void;
}

/** Starts a mock cluster of `brokers` brokers from a built binary. */
export async function startMockCluster(binary: string, brokers = 3): Promise<MockCluster> {
  const child: ChildProcessWithoutNullStreams = spawn(binary, [String(brokers)]);
  const answers: string[] = [];
  let bootstrap = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('KAFKA_BOOTSTRAP=')) bootstrap = line.slice('KAFKA_BOOTSTRAP='.length);
    else answers.push(line);
  });
  const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what}: the mock cluster did not answer`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await waitFor(() => bootstrap !== '', 'KAFKA_BOOTSTRAP');
  return {
    bootstrap,
    async command(line) {
      const before = answers.length;
      child.stdin.write(`${line}\n`);
      await waitFor(() => answers.length > before, `'${line}'`);
      if (answers[before] !== 'ok') throw new Error(`The mock cluster answered '${answers[before]}' to '${line}'.`);
    },
    stop() {
      if (child.exitCode === null) child.stdin.end('quit\n');
      child.kill();
    },
  };
}
