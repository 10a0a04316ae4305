/**
 * The external source against librdkafka's mock cluster (a second, independent Kafka
 * implementation, built here from test/tools/mock-cluster.c): topics, partitions and leaders
 * appear; records produced by kcat can be browsed; the mock offers no ListGroups or
 * DescribeGroups, so its groups cannot be discovered (the poll says so and goes on); moving a partition's leader with the mock's `leader` command shows up as a
 * leader.elected event. Needs gcc, librdkafka-dev and kcat (Debian packages).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalHost } from '../../core/external/index';
import type { ClusterEvent } from '../../core/host/contract';
import { mockClusterAvailability, startMockCluster, type MockCluster } from '../tools/mock-cluster';
import { connectionTo, waitFor } from './helpers';

const built = mockClusterAvailability();
const available = built.available;
if (!built.available) console.warn(`Skipping the mock-cluster tests: ${built.reason}.`);

let mock: MockCluster;
let bootstrap = '';
let attached: ExternalHost;
const events: ClusterEvent[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
const logs: string[] = [];

/** Sends a command to the mock cluster and waits for its answer. */
async function command(line: string): Promise<void> {
  await mock.command(line);
}

describe.skipIf(!available)("against librdkafka's mock cluster", () => {
  beforeAll(async () => {
    mock = await startMockCluster((built as { binary: string }).binary, 3);
    bootstrap = mock.bootstrap;
    await command('topic mocked 3 3');
    attached = await ExternalHost.open(connectionTo(bootstrap, { pollIntervalMs: 200 }), { dataDir: null, log: (line) => logs.push(line) });
    attached.onUpdate((update) => {
      if (update.type === 'delta') events.push(...update.events);
    });
  }, 30_000);

  afterAll(async () => {
    for (const child of children) child.kill();
    await attached?.close();
    mock?.stop();
    if (built.available) built.cleanup();
  });

  it('shows brokers, topics, partitions and leaders', async () => {
    await waitFor(() => attached.picture().topics.some((t) => t.name === 'mocked'), 10_000, 'the topic in the picture');
    const picture = attached.picture();
    expect(picture.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    const topic = picture.topics.find((t) => t.name === 'mocked')!;
    expect(topic.partitions).toHaveLength(3);
    for (const p of topic.partitions) {
      expect(p.replicas).toHaveLength(3);
      expect(p.replicas).toContain(p.leader);
      expect(p.highWatermark).toBe(0);
    }
  });

  it('browses records a kcat producer wrote', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `key-${i}:value-${i}`).join('\n');
    const produced = spawnSync('kcat', ['-b', bootstrap, '-P', '-t', 'mocked', '-p', '1', '-K:'], { input: `${lines}\n`, encoding: 'utf8', timeout: 20_000 });
    expect(produced.status, produced.stderr).toBe(0);
    await waitFor(async () => {
      await attached.refresh();
      return attached.picture().topics.find((t) => t.name === 'mocked')!.partitions[1].highWatermark === 20;
    }, 10_000, 'the high watermark in the picture');
    const page = await attached.execute('fetchRecords', { topic: 'mocked', partition: 1, offset: 5, maxRecords: 10 });
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.value.records.map((r) => r.offset)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(page.value.records[0]).toMatchObject({ key: { text: 'key-5' }, value: { text: 'value-5' } });
    expect(page.value.highWatermark).toBe(20);
  });

  it('reads the group APIs the mock offers: it has no ListGroups, so a kcat -G group cannot be discovered', async () => {
    // librdkafka 2.0.2's mock serves the group protocol a consumer needs (FindCoordinator,
    // JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch) but not ListGroups or
    // DescribeGroups, which are how a client learns that a group exists and who its members
    // are. The poll goes on without groups and says why in the log.
    const consumer = spawn('kcat', ['-b', bootstrap, '-G', 'kcat-group', 'mocked', '-X', 'auto.offset.reset=earliest', '-q', '-o', 'beginning']);
    children.push(consumer);
    await attached.refresh();
    expect(logs.some((line) => /does not offer ListGroups/.test(line))).toBe(true);
    expect(attached.picture().groups).toEqual([]);
    expect(attached.picture().source.error).toBeNull();
  });

  it('sees the mock moving a leader as a leader election', async () => {
    const before = attached.picture().topics.find((t) => t.name === 'mocked')!.partitions[2];
    const target = before.replicas.find((id) => id !== before.leader)!;
    events.length = 0;
    await command(`leader mocked 2 ${target}`);
    await waitFor(() => events.some((e) => e.type === 'leader.elected' && e.topic === 'mocked' && e.partition === 2 && e.leader === target && e.previousLeader === before.leader), 10_000, 'leader.elected');
    expect(attached.picture().topics.find((t) => t.name === 'mocked')!.partitions[2].leader).toBe(target);
  });
});
