/**
 * The leader's side of incremental fetch sessions, against a fake broker: a request records and
 * reads only the partitions it lists or that changed since the last answer, and a session the
 * leader does not know, or a request out of turn, is refused so the follower starts over.
 */
import { describe, expect, it } from 'vitest';
import { FetchManager, type FetchReader } from '../../core/broker/fetch-session';
import type { FetchPartitionRequest, FetchPartitionResponse, FetchRequest, FetchResponse } from '../../core/broker/messages';

const FOLLOWER = 2;

interface FakePartition {
  logEndOffset: number;
  highWatermark: number;
  inSync: boolean;
}

/** A leader of `count` partitions `p-0`.. with one byte per offset, and a clock run by hand. */
class FakeLeader implements FetchReader {
  readonly partitions = new Map<string, FakePartition>();
  readonly recorded: string[] = [];
  readonly omitted: { key: string; fetchTimeMs: number }[] = [];
  readonly running = true;
  time = 1_000;
  private tasks: { at: number; task: () => void }[] = [];

  constructor(count: number) {
    for (let i = 0; i < count; i++) this.partitions.set(`p-${i}`, { logEndOffset: 10, highWatermark: 10, inSync: true });
  }

  readPartition(_replicaId: number, p: FetchPartitionRequest, maxBytes: number): FetchPartitionResponse {
    const state = this.partitions.get(p.key!)!;
    const bytes = Math.min(maxBytes, Math.max(0, state.logEndOffset - p.fetchOffset));
    return { topic: p.topic, partition: p.partition, error: null, highWatermark: state.highWatermark, logStartOffset: 0, logEndOffset: state.logEndOffset, records: Buffer.alloc(bytes), key: p.key };
  }

  hasNews(_replicaId: number, p: FetchPartitionRequest): boolean {
    return p.fetchOffset < this.partitions.get(p.key!)!.logEndOffset;
  }

  hasMovedOn(p: FetchPartitionRequest): boolean {
    return p.knownHighWatermark !== this.partitions.get(p.key!)!.highWatermark;
  }

  recordFollowerFetch(_replicaId: number, p: FetchPartitionRequest): void {
    this.recorded.push(p.key!);
  }

  recordOmittedFollowerFetch(_replicaId: number, p: FetchPartitionRequest, fetchTimeMs: number): void {
    this.omitted.push({ key: p.key!, fetchTimeMs });
  }

  isFollowerUnsettled(_replicaId: number, p: FetchPartitionRequest): boolean {
    const state = this.partitions.get(p.key!)!;
    return p.fetchOffset < state.logEndOffset || !state.inSync;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): void {
    this.tasks.push({ at: this.time + delayMs, task });
  }

  /** Runs the clock forward, running due tasks in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.tasks.sort((a, b) => a.at - b.at);
      const next = this.tasks[0];
      if (!next || next.at > end) break;
      this.tasks.shift();
      this.time = next.at;
      next.task();
    }
    this.time = end;
  }
}

function describePartition(key: string, fetchOffset: number, knownHighWatermark = fetchOffset): FetchPartitionRequest {
  return { topic: 'p', partition: Number(key.slice(2)), fetchOffset, currentLeaderEpoch: 0, partitionMaxBytes: 1 << 20, knownHighWatermark, knownLogStartOffset: 0, key };
}

function request(sessionId: number, sessionEpoch: number, partitions: FetchPartitionRequest[], forgotten: string[] = []): FetchRequest {
  return { replicaId: FOLLOWER, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, partitions, sessionId, sessionEpoch, forgotten };
}

/** Sends a request; returns the answer once it comes (maybe after `waitMs` of parking). */
function fetch(leader: FakeLeader, manager: FetchManager, req: FetchRequest, waitMs = 0): FetchResponse | null {
  let answer: FetchResponse | null = null;
  manager.serve(req, (response) => (answer = response));
  if (waitMs > 0) leader.advance(waitMs);
  return answer;
}

function keys(response: FetchResponse | null): string[] {
  return (response?.partitions ?? []).map((p) => p.key!);
}

describe('fetch sessions at the leader', () => {
  it('records and reads only listed or changed partitions once the session is open', () => {
    const leader = new FakeLeader(200);
    const manager = new FetchManager(leader);
    const all = [...leader.partitions.keys()].map((key) => describePartition(key, 10));
    const opened = fetch(leader, manager, request(0, 0, all), 500)!;
    expect(opened.sessionId).toBeGreaterThan(0);
    expect(leader.recorded).toHaveLength(200);
    const id = opened.sessionId!;

    // Nothing changed: nothing recorded or read; the request waits out its long poll.
    leader.recorded.length = 0;
    expect(keys(fetch(leader, manager, request(id, 1, []), 500))).toEqual([]);
    expect(leader.recorded).toEqual([]);

    // An append wakes the parked request and answers with that partition alone.
    let answer: FetchResponse | null = null;
    manager.serve(request(id, 2, []), (response) => (answer = response));
    leader.partitions.get('p-7')!.logEndOffset = 12;
    manager.wakePartition('p-7');
    leader.advance(0);
    expect(keys(answer)).toEqual(['p-7']);
    expect(answer!.partitions[0].records.length).toBe(2);

    // The follower lists its new offset; the append's partition is recorded, nothing else.
    leader.recorded.length = 0;
    leader.partitions.get('p-7')!.highWatermark = 12;
    manager.wakePartition('p-7');
    expect(keys(fetch(leader, manager, request(id, 3, [describePartition('p-7', 12, 10)]), 500))).toEqual(['p-7']);
    expect(leader.recorded).toEqual(['p-7']);
  });

  it('keeps a lagging or out-of-sync partition in every round until it settles', () => {
    const leader = new FakeLeader(3);
    const manager = new FetchManager(leader);
    leader.partitions.get('p-1')!.inSync = false;
    const all = [...leader.partitions.keys()].map((key) => describePartition(key, 10));
    const id = fetch(leader, manager, request(0, 0, all), 500)!.sessionId!;
    for (let epoch = 1; epoch <= 3; epoch++) {
      leader.recorded.length = 0;
      fetch(leader, manager, request(id, epoch, []), 500);
      expect(leader.recorded).toEqual(['p-1']);
    }
    leader.partitions.get('p-1')!.inSync = true;
    manager.wakePartition('p-1');
    leader.recorded.length = 0;
    fetch(leader, manager, request(id, 4, []), 500);
    fetch(leader, manager, request(id, 5, []), 500);
    expect(leader.recorded).toEqual(['p-1']);
  });

  it('records what an omitted partition fetched, at the time of the latest request, before its entry changes', () => {
    const leader = new FakeLeader(2);
    const manager = new FetchManager(leader);
    const id = fetch(leader, manager, request(0, 0, [describePartition('p-0', 10), describePartition('p-1', 10)]), 500)!.sessionId!;
    const latest = leader.time;
    fetch(leader, manager, request(id, 1, []), 500);
    leader.advance(300);
    manager.recordOmittedFetch(FOLLOWER, 'p-0');
    expect(leader.omitted).toEqual([{ key: 'p-0', fetchTimeMs: latest }]);
    // A forgotten partition is recorded as of the request before the one that forgets it, and
    // not after: it is no longer in the session.
    leader.omitted.length = 0;
    fetch(leader, manager, request(id, 2, [], ['p-1']), 500);
    expect(leader.omitted).toEqual([{ key: 'p-1', fetchTimeMs: latest }]);
    manager.recordOmittedFetch(FOLLOWER, 'p-1');
    expect(leader.omitted).toHaveLength(1);
  });

  it('refuses an unknown session or a request out of turn, and a full request starts over', () => {
    const leader = new FakeLeader(2);
    const manager = new FetchManager(leader);
    const all = [...leader.partitions.keys()].map((key) => describePartition(key, 10));
    const id = fetch(leader, manager, request(0, 0, all), 500)!.sessionId!;
    expect(fetch(leader, manager, request(id, 2, []))?.error).toBe('INVALID_FETCH_SESSION_EPOCH');
    expect(fetch(leader, manager, request(id + 1, 1, []))?.error).toBe('FETCH_SESSION_ID_NOT_FOUND');
    // The broker stopped: its sessions are gone, and a new session never reuses an old id.
    manager.clear();
    expect(fetch(leader, manager, request(id, 1, []))?.error).toBe('FETCH_SESSION_ID_NOT_FOUND');
    const reopened = fetch(leader, manager, request(0, 0, all), 500)!;
    expect(reopened.error ?? null).toBeNull();
    expect(reopened.sessionId).toBeGreaterThan(id);
    expect(fetch(leader, manager, request(reopened.sessionId!, 1, []), 500)?.error ?? null).toBeNull();
  });

  it('tells a parked request its session was replaced by a newer full request', () => {
    const leader = new FakeLeader(2);
    const manager = new FetchManager(leader);
    const all = [...leader.partitions.keys()].map((key) => describePartition(key, 10));
    const id = fetch(leader, manager, request(0, 0, all), 500)!.sessionId!;
    let parked: FetchResponse | null = null;
    manager.serve(request(id, 1, []), (response) => (parked = response));
    expect(parked).toBeNull();
    fetch(leader, manager, request(0, 0, all));
    expect(parked!.error).toBe('FETCH_SESSION_ID_NOT_FOUND');
  });

  it('serves consumers without a session, as before', () => {
    const leader = new FakeLeader(2);
    const manager = new FetchManager(leader);
    const consumer: FetchRequest = { replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, partitions: [{ ...describePartition('p-0', 8), knownHighWatermark: undefined }] };
    let answer: FetchResponse | null = null;
    manager.serve(consumer, (response) => (answer = response));
    expect(keys(answer)).toEqual(['p-0']);
    expect(answer!.sessionId).toBeUndefined();
    expect(leader.recorded).toEqual([]);
  });
});
