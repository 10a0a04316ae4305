/**
 * kcat (librdkafka 2.0) against the embedded cluster: metadata matching the engine's own
 * snapshot, keyed produce landing where the Java client would put it, and a consume round trip.
 */
import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../core/index';
import { startCluster, waitFor, type ListeningCluster } from './harness';

const hasKcat = spawnSync('kcat', ['-V']).status === 0;
let env: ListeningCluster;

function kcat(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', env.bootstrap, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kcat ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

// Locally kcat may be missing; in CI (.ci/run installs it) a missing kcat fails the run.
describe.skipIf(!hasKcat && !process.env.CI)('kcat', () => {
  beforeAll(async () => {
    env = await startCluster();
    env.cluster.createTopic({ name: 'kcat-topic', partitions: 4, replicationFactor: 3 });
  }, 30_000);

  afterAll(async () => {
    await env?.stop();
  });

  it('-L shows the brokers, leaders, replicas and ISR of the snapshot', async () => {
    const { stdout } = await kcat(['-L', '-J', '-t', 'kcat-topic']);
    const listed = JSON.parse(stdout);
    const snapshot = env.cluster.snapshot();
    expect(listed.brokers.map((b: { id: number }) => b.id).sort()).toEqual(snapshot.brokers.map((b) => b.id));
    expect(listed.controllerid).toBe(snapshot.controllerId);
    const topic = listed.topics.find((t: { topic: string }) => t.topic === 'kcat-topic');
    const engine = snapshot.topics.find((t) => t.name === 'kcat-topic')!;
    for (const p of topic.partitions) {
      const expected = engine.partitions[p.partition];
      expect(p.leader).toBe(expected.leader);
      expect(p.replicas.map((r: { id: number }) => r.id)).toEqual(expected.replicas);
      expect(p.isrs.map((r: { id: number }) => r.id)).toEqual(expected.isr);
    }
  });

  it('-P with keys (murmur2) and -C round-trip every record at the Java client’s partition', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `key-${i}:value-${i}`);
    await kcat(['-P', '-t', 'kcat-topic', '-K:', '-X', 'partitioner=murmur2_random'], lines.join('\n') + '\n');
    const { stdout } = await kcat(['-C', '-t', 'kcat-topic', '-e', '-f', '%p\t%o\t%k\t%s\n']);
    const consumed = stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(consumed).toHaveLength(50);
    for (const [partition, , key, value] of consumed) {
      expect(Number(partition)).toBe(partitionForKey(Buffer.from(key), 4));
      expect(value).toBe(key.replace('key', 'value'));
    }
    const perPartition = new Map<string, number[]>();
    for (const [partition, offset] of consumed) perPartition.set(partition, [...(perPartition.get(partition) ?? []), Number(offset)]);
    for (const offsets of perPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
    await waitFor(() => env.cluster.snapshot().topics.find((t) => t.name === 'kcat-topic')!.partitions.reduce((sum, p) => sum + p.highWatermark, 0) === 50);
  });

  it('-G consumes as a group, commits, and a second run resumes from the committed offsets', async () => {
    const first = await kcat(['-G', 'kcat-group', 'kcat-topic', '-X', 'auto.offset.reset=earliest', '-e', '-f', '%p\t%o\n']);
    expect(first.stdout.trim().split('\n')).toHaveLength(50);
    await kcat(['-P', '-t', 'kcat-topic', '-K:', '-X', 'partitioner=murmur2_random'], 'late:arrival\n');
    const second = await kcat(['-G', 'kcat-group', 'kcat-topic', '-e', '-f', '%k=%s\n']);
    expect(second.stdout.trim().split('\n')).toEqual(['late=arrival']);
    const group = await env.cluster.describeGroup('kcat-group');
    expect(group.protocolType).toBe('consumer');
    const committed = await env.cluster.committedOffsets('kcat-group');
    expect(committed.reduce((sum, c) => sum + c.committedOffset, 0)).toBe(51);
  });
});
