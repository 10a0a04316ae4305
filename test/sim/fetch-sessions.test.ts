/**
 * Followers fetch in incremental sessions (KIP-227): a round lists only what changed, yet the
 * leader keeps Kafka's ISR rules as if every round covered every partition. A follower caught
 * up on a quiet partition stays in sync across an append, one whose rounds stop falls out after
 * replica.lag.time.max.ms, and a follower whose session the leader lost starts over in full.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/index';
import type { Broker } from '../../core/broker/broker';
import type { FetchRequest, FetchResponse } from '../../core/broker/messages';
import { encodeRecordBatch } from '../../core/index';
import { Sim, ok, values } from './harness';

const LAG_MS = 10_000;

interface Round {
  at: number;
  request: FetchRequest;
  response?: FetchResponse | null;
}

/** Records every fetch round `follower` sends to `leader`, with its answer. */
function spyRounds(follower: Broker, leader: number): Round[] {
  const rounds: Round[] = [];
  const send = follower.sendFetch.bind(follower);
  follower.sendFetch = (to, request, onReply) => {
    if (to !== leader) return send(to, request, onReply);
    const round: Round = { at: follower.now(), request };
    rounds.push(round);
    send(to, request, (response) => {
      round.response = response;
      onReply(response);
    });
  };
  return rounds;
}

/** The time each follower's latest fetch round reached `leader`, by follower id. */
function spyArrivals(leader: Broker): Map<number, number> {
  const arrivals = new Map<number, number>();
  const handle = leader.handleFetch.bind(leader);
  leader.handleFetch = (request, respond) => {
    if (request.replicaId >= 0) arrivals.set(request.replicaId, leader.now());
    handle(request, respond);
  };
  return arrivals;
}

function collect(sim: Sim): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  sim.cluster.on((event) => events.push(event));
  return events;
}

function partitionOf(sim: Sim, topic: string, index = 0) {
  return sim.cluster.snapshot().topics.find((t) => t.name === topic)!.partitions[index];
}

/** Whether every partition of `topic` has its whole replica set in sync and committed. */
function inSync(sim: Sim, topic: string): boolean {
  return sim.cluster.snapshot().topics.find((t) => t.name === topic)!.partitions.every((p) => p.isr.length === p.replicas.length && p.highWatermark === p.logEndOffset);
}

/** A follower of `topic`'s partition 0 that is not the controller (so isolating it moves no controller). */
function followerOf(sim: Sim, topic: string): { leader: number; follower: number } {
  const p = partitionOf(sim, topic);
  const follower = p.replicas.find((id) => id !== p.leader && id !== sim.cluster.controllerId) ?? p.replicas.find((id) => id !== p.leader)!;
  return { leader: p.leader, follower };
}

describe('incremental follower fetch sessions', () => {
  // Proves a round costs what changed: idle rounds list nothing, an append to one partition is
  // sent as that one partition, and only a failed round makes the follower list everything again.
  it('lists only changed partitions in a round, and everything after a failed round', () => {
    const sim = new Sim();
    sim.createTopic('many', 30, 3);
    sim.until(() => inSync(sim, 'many'), 30_000, 'all in sync');
    sim.run(2_000);
    const { leader, follower } = followerOf(sim, 'many');
    const followed = sim.cluster.store.image.topics.get('many')!.partitions.filter((p) => p.leader === leader && p.replicas.includes(follower)).length;
    expect(followed).toBeGreaterThan(5);
    const rounds = spyRounds(sim.cluster.brokers.get(follower)!, leader);

    sim.run(5_000);
    expect(rounds.length).toBeGreaterThanOrEqual(8); // Long polls of 500 ms.
    for (const { request } of rounds) {
      expect(request.sessionId).toBeGreaterThan(0);
      expect(request.partitions).toEqual([]);
      expect(request.forgotten).toEqual([]);
    }

    rounds.length = 0;
    ok(sim.produce('many', values('one', 3, { partition: 0 })));
    sim.run(2_000);
    const listed = rounds.flatMap((round) => round.request.partitions.map((p) => `${p.key}@${p.fetchOffset}/${p.knownHighWatermark}`));
    // The new log end, then the new high watermark: partition 0 alone, once each.
    expect(listed).toEqual(['many-0@3/0', 'many-0@3/3']);
    expect(rounds.every((round) => round.request.sessionId === rounds[0].request.sessionId)).toBe(true);

    rounds.length = 0;
    sim.cluster.network.isolate(follower);
    sim.run(1_500);
    sim.cluster.network.heal(follower);
    sim.until(() => rounds.some((round) => round.request.sessionId === 0 && round.response), 10_000, 'a full request answered');
    const full = rounds.find((round) => round.request.sessionId === 0 && round.response)!;
    expect(full.request.partitions.length).toBe(followed);
    expect(full.response!.sessionId).toBeGreaterThan(0);
    sim.run(2_000);
    const after = rounds.slice(rounds.indexOf(full) + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const { request } of after) {
      expect(request.sessionId).toBe(full.response!.sessionId);
      expect(request.partitions).toEqual([]);
    }
  });

  // Proves the leader records for a quiet partition what Kafka's every round records: after a
  // minute in which no round listed it, an append leaves its caught-up followers in sync.
  it('keeps a caught-up follower of an idle partition in sync across an append after a long idle', () => {
    const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS } });
    sim.createTopic('idle', 2, 3);
    ok(sim.produce('idle', values('a', 4, { partition: 0 })));
    sim.until(() => inSync(sim, 'idle'), 30_000, 'in sync');
    const events = collect(sim);
    sim.run(60_000);

    const { leader } = followerOf(sim, 'idle');
    const broker = sim.cluster.brokers.get(leader)!;
    const arrivals = spyArrivals(broker);
    sim.run(1_000);
    const partition = broker.partitions.get('idle-0')!;
    const now = sim.scheduler.now();
    const followers = [...partition.followers.keys()];
    expect(followers).toHaveLength(2);
    // Nothing recorded a fetch of the quiet partition for a minute: the rounds left it out.
    for (const id of followers) expect(partition.followers.get(id)!.lastFetchTimeMs).toBeLessThan(now - 50_000);

    let answered = false;
    const records = encodeRecordBatch([{ value: Buffer.from('wake') }], { timestamp: now });
    broker.handleProduce({ acks: 1, timeoutMs: 1_000, partitions: [{ topic: 'idle', partition: 0, records }] }, () => (answered = true));
    // Right after the append, before any follower fetched it: both are still caught up, having
    // fetched up to the old log end in their sessions' latest rounds (at most a long poll ago).
    expect(partition.logEndOffset).toBe(5);
    for (const id of followers) {
      expect(partition.isCaughtUp(id, now)).toBe(true);
      expect(partition.followers.get(id)).toMatchObject({ logEndOffset: 4, lastCaughtUpTimeMs: arrivals.get(id), lastFetchTimeMs: arrivals.get(id), lastFetchLeaderLogEndOffset: 4 });
      expect(arrivals.get(id)).toBeGreaterThanOrEqual(now - sim.cluster.settings.replicaFetchWaitMaxMs);
    }
    expect(partition.shrinkCandidate(now + LAG_MS - sim.cluster.settings.replicaFetchWaitMaxMs)).toBeNull();

    sim.run(3 * LAG_MS);
    expect(answered).toBe(true);
    expect(events.filter((e) => e.type === 'isr.shrunk')).toEqual([]);
    expect(partitionOf(sim, 'idle').isr).toHaveLength(3);
    expect(partitionOf(sim, 'idle').highWatermark).toBe(5);
  });

  for (const fault of ['isolated', 'slowed'] as const) {
    // Proves a session's record of a follower never runs ahead of its real rounds: once they
    // stop reaching the leader, it leaves the ISR of a quiet partition after the lag time.
    it(`drops ${fault === 'isolated' ? 'an isolated' : 'a slowed'} follower of an idle partition from the ISR after replica.lag.time.max.ms`, () => {
      // A broker session longer than the lag time: the leader, not the controller's fencing, drops it.
      const sim = new Sim({ settings: { replicaLagTimeMaxMs: LAG_MS, brokerSessionTimeoutMs: 3 * LAG_MS } });
      sim.createTopic('quiet', 1, 3);
      ok(sim.produce('quiet', values('a', 3)));
      sim.until(() => inSync(sim, 'quiet'), 30_000, 'in sync');
      sim.run(60_000);
      const { leader, follower } = followerOf(sim, 'quiet');
      const arrivals = spyArrivals(sim.cluster.brokers.get(leader)!);
      sim.run(1_000);
      const events = collect(sim);
      const start = sim.scheduler.now();
      if (fault === 'isolated') sim.cluster.isolateBroker(follower);
      else sim.cluster.slowFollower(follower, 3 * LAG_MS);
      sim.run(2_000);
      const lastRound = arrivals.get(follower)!;
      expect(lastRound).toBeLessThanOrEqual(start);
      ok(sim.produce('quiet', values('b', 2), { acks: 1 }));
      // The leader recorded the follower as caught up at its last real round, not later.
      const partition = sim.cluster.brokers.get(leader)!.partitions.get('quiet-0')!;
      expect(partition.followers.get(follower)).toMatchObject({ logEndOffset: 3, lastCaughtUpTimeMs: lastRound, lastFetchTimeMs: lastRound });
      sim.until(() => !partitionOf(sim, 'quiet').isr.includes(follower), 60_000, 'ISR shrink');
      // Past the lag time after its last round, at the first ISR check (every half lag time).
      const shrunkAfter = sim.scheduler.now() - lastRound;
      expect(shrunkAfter).toBeGreaterThan(LAG_MS);
      expect(shrunkAfter).toBeLessThanOrEqual(LAG_MS + LAG_MS / 2);
      expect(events.find((e) => e.type === 'isr.shrunk')).toMatchObject({ leader, removed: [follower] });

      sim.cluster.clearAllFaults();
      sim.until(() => partitionOf(sim, 'quiet').isr.includes(follower), 60_000, 'back in the ISR');
      expect(sim.replicaLog(follower, 'quiet', 0).size).toBe(5);
    });
  }

  // Proves a follower whose session the leader lost (it restarted between two rounds) is told
  // so, starts over with a full request, and replicates on.
  it('recovers with a full request when the leader no longer knows the session', () => {
    const sim = new Sim();
    sim.createTopic('s', 3, 3);
    ok(sim.produce('s', values('a', 5, { partition: 0 })));
    sim.until(() => inSync(sim, 's'), 30_000, 'in sync');
    sim.run(2_000);
    const { leader, follower } = followerOf(sim, 's');
    const followed = sim.cluster.store.image.topics.get('s')!.partitions.filter((p) => p.leader === leader && p.replicas.includes(follower)).length;
    const rounds = spyRounds(sim.cluster.brokers.get(follower)!, leader);
    // A slowed follower holds each request before sending it: the leader restarts in between,
    // so the request reaches a leader that never saw its session (rather than failing in flight).
    sim.cluster.slowFollower(follower, 1_000);
    sim.until(() => rounds.length > 0, 5_000, 'a round');
    const held = rounds[0];
    expect(held.request.sessionId).toBeGreaterThan(0);
    sim.cluster.stopBroker(leader);
    sim.cluster.startBroker(leader);
    sim.until(() => held.response !== undefined, 5_000, 'an answer');
    expect(held.response?.error).toBe('FETCH_SESSION_ID_NOT_FOUND');
    sim.until(() => rounds.length > 1, 5_000, 'the next round');
    const next = rounds[1];
    expect(next.request.sessionId).toBe(0);
    expect(next.request.partitions).toHaveLength(followed);

    sim.cluster.clearAllFaults();
    sim.until(() => inSync(sim, 's'), 60_000, 'in sync again');
    ok(sim.produce('s', values('b', 5, { partition: 0 })));
    sim.until(() => inSync(sim, 's'), 30_000, 'the new records replicated');
    const replicas = partitionOf(sim, 's').replicas;
    for (const id of replicas) expect(sim.replicaLog(id, 's', 0).size).toBe(10);
  });
});
