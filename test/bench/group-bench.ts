/**
 * The consumer-group part of `npm run bench`, on a small in-memory cluster driven by a
 * SimScheduler, so waits on the simulated clock (the initial rebalance delay, long polls,
 * heartbeat intervals) cost nothing and only the engine's synchronous work is timed:
 *
 * - group_rebalance_ms: wall time of one rebalance of a group of 50 in-app members on a
 *   500-partition topic (range, eager: every member commits, revokes, rejoins and syncs; the
 *   coordinator writes the group; the leader assigns), from a member's LeaveGroup until every
 *   remaining member has its new assignment. The median of 5 rebalances.
 * - group_initial_join_ms: the same for the group's first rebalance, 50 members joining.
 *
 * Each is measured on a second run, after a first one warmed the JIT up.
 * - commit_per_s: offsets committed per second through OffsetCommit (one partition per request,
 *   64 in flight), each appended to __consumer_offsets with acks=all and replication factor 3.
 */
import { Cluster, KAFKA_DEFAULTS, SimScheduler, type Consumer } from '../../core/index';
import { groupCoordinatorOf } from '../../core/group/coordinator';
import type { OffsetCommitResponse } from '../../core/group/messages';

const MEMBERS = 50;
const PARTITIONS = 500;
const REBALANCES = 5;
const COMMITS = 20_000;
const COMMITS_IN_FLIGHT = 64;

function open(scheduler: SimScheduler): Cluster {
  const cluster = Cluster.create({ brokers: 3, scheduler, seed: 7, settings: { ...KAFKA_DEFAULTS } });
  scheduler.runUntil(() => cluster.controllerId >= 0 && [...cluster.brokers.values()].every((b) => b.state === 'running'));
  cluster.createTopic({ name: 'group-bench', partitions: PARTITIONS, replicationFactor: 1 });
  scheduler.runUntil(() => cluster.snapshot().topics[0].partitions.every((p) => cluster.brokers.get(p.leader)?.partitions.get(`group-bench-${p.partition}`)?.role === 'leader'));
  return cluster;
}

/** Whether every member has its assignment in a Stable group (read straight from the objects: a snapshot per task would dominate). */
function settled(cluster: Cluster, members: Consumer[]): boolean {
  for (const broker of cluster.brokers.values()) {
    const group = broker.running ? groupCoordinatorOf(broker)?.groups.get('bench') : undefined;
    if (group) return group.state === 'Stable' && group.members.size === members.length && members.every((c) => c.snapshot().memberState === 'stable');
  }
  return false;
}

/** Wall milliseconds the scheduler takes to run until `condition` holds. */
function timed(scheduler: SimScheduler, condition: () => boolean): number {
  const start = performance.now();
  if (!scheduler.runUntil(condition, 600_000)) throw new Error('the group did not settle');
  return performance.now() - start;
}

function rebalances(): { initialMs: number; rebalanceMs: number } {
  const scheduler = new SimScheduler();
  const cluster = open(scheduler);
  const members = Array.from({ length: MEMBERS }, (_, i) => cluster.createConsumer({ groupId: 'bench', topics: ['group-bench'], clientId: `member-${i}`, assignors: ['range'] }));
  const initialMs = timed(scheduler, () => settled(cluster, members));
  const times: number[] = [];
  for (let i = 0; i < REBALANCES; i++) {
    // Let positions and fetches settle first, so only the rebalance is timed.
    scheduler.runFor(10_000);
    void members.pop()!.close();
    times.push(timed(scheduler, () => settled(cluster, members)));
  }
  cluster.close();
  times.sort((a, b) => a - b);
  return { initialMs, rebalanceMs: times[Math.floor(times.length / 2)] };
}

function commits(): number {
  const scheduler = new SimScheduler();
  const cluster = open(scheduler);
  const client = 'client:commit-bench';
  cluster.network.attach(client, { running: true });
  let coordinator = -1;
  const admin = cluster.broker(1)!;
  // FindCoordinator until __consumer_offsets exists and has a leader for the group.
  scheduler.runUntil(() => {
    groupCoordinatorOf(admin)!.handleFindCoordinator({ keyType: 0, keys: ['commit-bench'] }, { clientId: 'bench', clientHost: '/127.0.0.1', apiVersion: 4 }, (r) => {
      if (r.coordinators[0].error === null) coordinator = r.coordinators[0].nodeId;
    });
    const c = coordinator >= 0 ? groupCoordinatorOf(cluster.broker(coordinator)!) : undefined;
    return c !== undefined && c.statusError('commit-bench', true) === null;
  }, 60_000);
  let sent = 0;
  let done = 0;
  const send = (): void => {
    const n = sent++;
    const request = {
      groupId: 'commit-bench',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'group-bench', partitions: [{ partitionIndex: n % PARTITIONS, committedOffset: n, committedLeaderEpoch: 0, committedMetadata: '' }] }],
    };
    cluster.network.request<OffsetCommitResponse>(
      client,
      coordinator,
      (respond) => groupCoordinatorOf(cluster.broker(coordinator)!)!.handleOffsetCommit(request, { clientId: 'bench', clientHost: '/127.0.0.1', apiVersion: 9 }, respond),
      (reply) => {
        if (!reply.ok || reply.value.topics[0].partitions[0].error) throw new Error(`commit failed: ${JSON.stringify(reply)}`);
        done++;
        if (sent < COMMITS) send();
      },
      30_000,
    );
  };
  const start = performance.now();
  for (let i = 0; i < COMMITS_IN_FLIGHT; i++) send();
  if (!scheduler.runUntil(() => done === COMMITS, 3_600_000)) throw new Error('commits did not complete');
  const seconds = (performance.now() - start) / 1000;
  cluster.close();
  return COMMITS / seconds;
}

/** The group figures for the benchmark's JSON line; a first round warms the JIT up and is not counted. */
export function groupBench(): { group_rebalance_ms: number; group_initial_join_ms: number; commit_per_s: number } {
  rebalances();
  const { initialMs, rebalanceMs } = rebalances();
  commits();
  return { group_rebalance_ms: Math.round(rebalanceMs), group_initial_join_ms: Math.round(initialMs), commit_per_s: Math.round(commits()) };
}
