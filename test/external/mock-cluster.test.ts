/**
 * The external source against librdkafka's mock cluster (a second, independent Kafka
 * implementation, built here from test/tools/mock-cluster.c): topics, partitions and leaders
 * appear; records produced by kcat can be browsed; the mock offers no ListGroups or
 * DescribeGroups, so a group is not discovered (the poll says so and goes on) unless the
 * connection watches it, and then its committed offsets and lag are shown without members;
 * moving a partition's leader with the mock's `leader` command shows up as a leader.elected
 * event. Needs gcc, librdkafka-dev and kcat (Debian packages).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalHost } from '../../core/external/index';
import type { ClusterEvent, GroupSnapshot } from '../../core/host/contract';
import { mockClusterAvailability, startMockCluster, type MockCluster } from '../tools/mock-cluster';
import { connectionTo, waitFor } from './helpers';

const built = mockClusterAvailability();
const available = built.available;
if (!built.available) console.warn(`Skipping the mock-cluster tests: ${built.reason}.`);

let mock: MockCluster;
let bootstrap = '';
let attached: ExternalHost;
const events: ClusterEvent[] = [];
const children: ChildProcess[] = [];
const logs: string[] = [];

/** Sends a command to the mock cluster and waits for its answer. */
async function command(line: string): Promise<void> {
  await mock.command(line);
}

/** Produces `count` keyless records to one partition of `mocked` with kcat. */
function produce(partition: number, count: number): void {
  const lines = Array.from({ length: count }, (_, i) => `record-${partition}-${i}`).join('\n');
  const produced = spawnSync('kcat', ['-b', bootstrap, '-P', '-t', 'mocked', '-p', String(partition)], { input: `${lines}\n`, encoding: 'utf8', timeout: 20_000 });
  expect(produced.status, produced.stderr).toBe(0);
}

/** The watched group as the last poll shows it. */
function watchedGroup(): GroupSnapshot | undefined {
  return attached.picture().groups.find((g) => g.groupId === 'watched-group');
}

describe.skipIf(!available)("against librdkafka's mock cluster", () => {
  beforeAll(async () => {
    mock = await startMockCluster((built as { binary: string }).binary, 3);
    bootstrap = mock.bootstrap;
    await command('topic mocked 3 3');
    attached = await ExternalHost.open(connectionTo(bootstrap, { pollIntervalMs: 200, watchedGroups: ['watched-group'] }), { dataDir: null, log: (line) => logs.push(line) });
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

  it('reads the group APIs the mock offers: it has no ListGroups, so a kcat -G group it does not watch cannot be discovered', async () => {
    // librdkafka 2.0.2's mock serves the group protocol a consumer needs (FindCoordinator,
    // JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch) but not ListGroups or
    // DescribeGroups, which are how a client learns that a group exists and who its members
    // are. The poll goes on without the groups it cannot list and says why in the log.
    const consumer = spawn('kcat', ['-b', bootstrap, '-G', 'kcat-group', 'mocked', '-X', 'auto.offset.reset=earliest', '-q', '-o', 'beginning'], { stdio: 'ignore' });
    children.push(consumer);
    await attached.refresh();
    expect(logs.some((line) => /does not offer ListGroups/.test(line))).toBe(true);
    expect(attached.picture().groups.map((g) => g.groupId)).toEqual(['watched-group']);
    expect(attached.picture().source.error).toBeNull();
  });

  it('shows a watched kcat -G group from its committed offsets: lag per partition, no members', async () => {
    // Before its consumer starts the group has committed nothing: it is shown, with no offsets.
    await attached.refresh();
    expect(watchedGroup()).toMatchObject({ state: 'Unknown', members: [], offsets: [], lagRecords: 0 });
    const unavailable = attached.picture().source.unavailable.find((u) => u.feature === 'group-members');
    expect(unavailable?.reason).toBe("This cluster does not serve DescribeGroups, so a group's members and assignments cannot be seen; its committed offsets and lag can.");

    // Partition 1 holds the 20 records of the browse test; 7 more on 0 and 5 on 2.
    produce(0, 7);
    produce(2, 5);
    const ends = [7, 20, 5];
    const stderr: string[] = [];
    const consumer = spawn(
      'kcat',
      ['-b', bootstrap, '-G', 'watched-group', 'mocked', '-X', 'auto.offset.reset=earliest', '-X', 'enable.auto.commit=true', '-X', 'auto.commit.interval.ms=100', '-q'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    consumer.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    children.push(consumer);
    // kcat has read everything once each partition's committed offset reaches its end.
    await waitFor(async () => {
      await attached.refresh();
      const group = watchedGroup();
      return group?.offsets.length === 3 && group.offsets.every((o) => o.committedOffset === ends[o.partition]);
    }, 30_000, `kcat's commits in the picture (kcat said: ${stderr.join('') || 'nothing'})`).catch((error: Error) => {
      throw new Error(`${error.message}; last picture of the group: ${JSON.stringify(watchedGroup())}`);
    });
    expect(watchedGroup()).toMatchObject({ state: 'Unknown', generationId: -1, members: [], lagRecords: 0 });
    expect(watchedGroup()!.offsets).toEqual(
      ends.map((end, partition) => ({ topic: 'mocked', partition, committedOffset: end, highWatermark: end, logStartOffset: 0, lagRecords: 0 })),
    );

    // With its consumer gone, records produced now are lag: high watermark minus committed offset.
    consumer.kill();
    await new Promise((resolve) => (consumer.exitCode !== null ? resolve(null) : consumer.once('exit', resolve)));
    produce(0, 4);
    await waitFor(async () => {
      await attached.refresh();
      return watchedGroup()?.offsets[0].highWatermark === 11;
    }, 10_000, 'the new high watermark');
    const group = watchedGroup()!;
    expect(group.offsets.map((o) => o.lagRecords)).toEqual([4, 0, 0]);
    expect(group.offsets[0]).toMatchObject({ committedOffset: 7, highWatermark: 11 });
    expect(group.lagRecords).toBe(4);
    expect(attached.picture().groups.filter((g) => g.groupId === 'watched-group')).toHaveLength(1);
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
