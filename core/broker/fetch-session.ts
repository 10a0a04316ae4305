/**
 * Fetch at the leader: long polling (Kafka's DelayedFetch purgatory) and followers' incremental
 * fetch sessions (KIP-227; Kafka's FetchManager and FetchSessionCache, condensed).
 *
 * A fetch that finds fewer than minBytes waits at the leader until enough arrives on one of its
 * partitions (an append, or a high watermark move for consumers) or maxWaitMs passes, then reads
 * again and answers.
 *
 * An in-process follower keeps one session with each leader it fetches from, holding every
 * partition it fetches there as it last described it; its requests list only what changed. A
 * round costs what changed, not what is followed: the leader records the follower's fetch of
 * the partitions a request lists and of those marked dirty since the last answer (appends, high
 * watermark and log start moves, leadership and ISR changes), and reads only those. Partitions
 * the follower lags on, or whose ISR it is not in, stay dirty, so every round records them as
 * Kafka's leader records every partition of a session. For the others (an in-sync follower at
 * the leader's log end) Kafka's per-round record only moves the follower's fetch times, which
 * matter once the log end moves or the partition's entry changes: the record of the session's
 * latest request is made then (`recordOmittedFetch`), exactly as Kafka made it.
 */
import type { KafkaErrorName } from '../protocol/errors';
import { fetchedBytes, partitionKey, type FetchPartitionRequest, type FetchPartitionResponse, type FetchRequest, type FetchResponse } from './messages';

/** What the fetch manager needs from its broker. */
export interface FetchReader {
  readPartition(replicaId: number, p: FetchPartitionRequest, maxBytes: number): FetchPartitionResponse;
  /** Whether a read of `p` would now return records or an error (no read made). */
  hasNews(replicaId: number, p: FetchPartitionRequest): boolean;
  /** Whether `p`'s high watermark or log start moved past what the fetcher says it knows. */
  hasMovedOn(p: FetchPartitionRequest): boolean;
  /** Records a follower's fetch of `p` at `now` (its log end offset, caught-up time, ISR, high watermark). */
  recordFollowerFetch(replicaId: number, p: FetchPartitionRequest, now: number): void;
  /**
   * Records the fetch of `p` a session's request at `fetchTimeMs` left out as unchanged, if it
   * would have changed the follower's state (see the file's comment).
   */
  recordOmittedFollowerFetch(replicaId: number, p: FetchPartitionRequest, fetchTimeMs: number): void;
  /** Whether a follower's session must record and read `p` again at its next request though nothing happens to it. */
  isFollowerUnsettled(replicaId: number, p: FetchPartitionRequest): boolean;
  now(): number;
  schedule(delayMs: number, task: () => void): void;
  readonly running: boolean;
}

/** One follower's fetch session with this leader (Kafka's FetchSession). */
interface FollowerSession {
  readonly id: number;
  readonly replicaId: number;
  /** The epoch the next incremental request must carry. */
  nextEpoch: number;
  /** Every partition in the session, as the follower last described it, by key. */
  readonly partitions: Map<string, FetchPartitionRequest>;
  /** Partitions the next read looks at: changed by the follower or on this leader since the last answer, or unsettled. */
  readonly dirty: Set<string>;
  /** When the session's latest request arrived: the leader's record of the follower's last round. */
  lastRequestTimeMs: number;
  parked: Parked | null;
}

interface Parked {
  request: FetchRequest;
  /** A standalone fetch's partitions by key, to check a woken partition without scanning all. */
  byKey: Map<string, FetchPartitionRequest>;
  /** The follower session the fetch belongs to; null for a standalone fetch. */
  session: FollowerSession | null;
  respond: (response: FetchResponse) => void;
  done: boolean;
}

interface ReadResult {
  response: FetchResponse;
  bytes: number;
  failed: boolean;
  /** Session keys that leave the dirty set once the answer is sent. */
  settled: string[];
}

/** A broker's fetch handling as leader: follower sessions, parked fetches and their wakes. */
export class FetchManager {
  private readonly parkedByPartition = new Map<string, Set<Parked>>();
  /**
   * Follower sessions by follower id: one per follower broker (it has one fetcher per leader), so
   * a new full request replaces the old session and the map stays as small as the cluster. A
   * wake looks at each of them rather than keeping an index by partition.
   */
  private readonly sessions = new Map<number, FollowerSession>();
  /** Sessions with a parked request, in the order they parked (the order wakes answer them). */
  private readonly parkedSessions = new Set<FollowerSession>();
  /** Never reset, so a request naming a session from before a restart is refused. */
  private nextSessionId = 1;
  private readonly pendingWakes = new Set<string>();
  private wakeScheduled = false;

  constructor(private readonly reader: FetchReader) {}

  /** Answers now if enough is readable, otherwise parks the fetch. */
  serve(request: FetchRequest, respond: (response: FetchResponse) => void): void {
    if (request.sessionId !== undefined && request.replicaId >= 0) {
      this.serveSession(request, respond);
      return;
    }
    const result = this.read(request);
    if (result.bytes >= request.minBytes || result.failed || request.maxWaitMs <= 0 || request.partitions.length === 0) {
      respond(result.response);
      return;
    }
    const parked: Parked = { request, byKey: new Map(), session: null, respond, done: false };
    for (const p of request.partitions) parked.byKey.set(partitionKey(p), p);
    for (const key of parked.byKey.keys()) {
      let set = this.parkedByPartition.get(key);
      if (!set) this.parkedByPartition.set(key, (set = new Set()));
      set.add(parked);
    }
    this.reader.schedule(request.maxWaitMs, () => this.complete(parked, true));
  }

  /**
   * Something changed on a partition (append, high watermark, leadership): the sessions holding
   * it look at it in their next read, and parked fetches on it read again. Wakes are gathered
   * and run once after the current task, so a burst of appends costs one re-read.
   */
  wakePartition(key: string): void {
    let parked = this.parkedByPartition.has(key);
    for (const session of this.sessions.values()) {
      if (!session.partitions.has(key)) continue;
      session.dirty.add(key);
      if (session.parked) parked = true;
    }
    if (!parked) return;
    this.pendingWakes.add(key);
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.reader.schedule(0, () => {
      this.wakeScheduled = false;
      const keys = [...this.pendingWakes];
      this.pendingWakes.clear();
      for (const k of keys) {
        for (const parked of [...(this.parkedByPartition.get(k) ?? [])]) {
          const p = parked.byKey.get(k);
          // Kafka's DelayedFetch checks positions, not data: read only once something is there.
          if (p && this.hasNewsFor(parked.request.replicaId, p)) this.complete(parked, false);
        }
        for (const session of [...this.parkedSessions]) {
          const p = session.partitions.get(k);
          if (p && session.parked && this.hasNewsFor(session.replicaId, p)) this.complete(session.parked, false);
        }
      }
    });
  }

  /**
   * A partition changed in a way followers learn at their next round but that wakes no parked
   * fetch (the leader's log start moved, the replica was deleted): the sessions holding it look
   * at it in their next read.
   */
  markChanged(key: string): void {
    for (const session of this.sessions.values()) if (session.partitions.has(key)) session.dirty.add(key);
  }

  /**
   * Records, before a partition's entry in a follower's session changes or the leader's log end
   * moves, the fetch of it that the session's latest request made in Kafka and left out here.
   */
  recordOmittedFetch(replicaId: number, key: string): void {
    const session = this.sessions.get(replicaId);
    const p = session?.partitions.get(key);
    if (p) this.reader.recordOmittedFollowerFetch(replicaId, p, session!.lastRequestTimeMs);
  }

  /** Drops every parked fetch and session (the broker stopped; its connections are gone). */
  clear(): void {
    for (const set of this.parkedByPartition.values()) for (const parked of set) parked.done = true;
    for (const session of this.parkedSessions) session.parked!.done = true;
    this.parkedByPartition.clear();
    this.parkedSessions.clear();
    this.sessions.clear();
    this.pendingWakes.clear();
  }

  private serveSession(request: FetchRequest, respond: (response: FetchResponse) => void): void {
    const session = this.openSession(request);
    if (typeof session === 'string') {
      respond({ partitions: [], error: session, sessionId: 0 });
      return;
    }
    const now = this.reader.now();
    for (const key of [...session.dirty]) this.reader.recordFollowerFetch(session.replicaId, session.partitions.get(key)!, now);
    const result = this.readSession(session, request);
    if (result.bytes >= request.minBytes || result.failed || request.maxWaitMs <= 0 || session.partitions.size === 0) {
      this.answerSession(session, result, respond);
      return;
    }
    const parked: Parked = { request, byKey: session.partitions, session, respond, done: false };
    session.parked = parked;
    this.parkedSessions.add(session);
    this.reader.schedule(request.maxWaitMs, () => this.complete(parked, true));
  }

  /**
   * Finds the request's session (a full request opens a new one, replacing the follower's old
   * one) and applies what the request changes; or names the error that makes the follower
   * resend in full.
   */
  private openSession(request: FetchRequest): FollowerSession | KafkaErrorName {
    const replicaId = request.replicaId;
    const current = this.sessions.get(replicaId);
    let session: FollowerSession;
    if (request.sessionId === 0) {
      if (current) this.close(current);
      session = { id: this.nextSessionId++, replicaId, nextEpoch: 1, partitions: new Map(), dirty: new Set(), lastRequestTimeMs: 0, parked: null };
      this.sessions.set(replicaId, session);
    } else {
      if (!current || current.id !== request.sessionId) return 'FETCH_SESSION_ID_NOT_FOUND';
      if (request.sessionEpoch !== current.nextEpoch) return 'INVALID_FETCH_SESSION_EPOCH';
      session = current;
      session.nextEpoch++;
      this.dropParked(session);
      for (const key of request.forgotten ?? []) {
        this.recordOmittedFetch(replicaId, key);
        session.partitions.delete(key);
        session.dirty.delete(key);
      }
      for (const p of request.partitions) this.recordOmittedFetch(replicaId, partitionKey(p));
    }
    session.lastRequestTimeMs = this.reader.now();
    for (const p of request.partitions) {
      const key = partitionKey(p);
      session.partitions.set(key, p);
      session.dirty.add(key);
    }
    return session;
  }

  /**
   * Ends a session replaced by a full request, first recording what its latest request left out.
   * Its parked request is told the session is gone: the full request may be a stale one (a
   * stopped fetcher's, sent late by a slowed follower), and the fetcher still waiting must then
   * start over at once rather than wait out its request timeout.
   */
  private close(session: FollowerSession): void {
    for (const key of session.partitions.keys()) this.recordOmittedFetch(session.replicaId, key);
    const parked = session.parked;
    this.dropParked(session);
    parked?.respond({ partitions: [], error: 'FETCH_SESSION_ID_NOT_FOUND', sessionId: 0 });
  }

  /**
   * Takes a session's parked request out. A fetcher has one request in flight, so a newer request
   * in the same session means the parked one's reply is no longer awaited.
   */
  private dropParked(session: FollowerSession): void {
    if (!session.parked) return;
    session.parked.done = true;
    session.parked = null;
    this.parkedSessions.delete(session);
  }

  private complete(parked: Parked, expired: boolean): void {
    if (parked.done || !this.reader.running) return;
    const session = parked.session;
    const result = session ? this.readSession(session, parked.request) : this.read(parked.request);
    if (!expired && result.bytes < parked.request.minBytes && !result.failed) return;
    parked.done = true;
    if (session) {
      session.parked = null;
      this.parkedSessions.delete(session);
      this.answerSession(session, result, parked.respond);
      return;
    }
    for (const key of parked.byKey.keys()) {
      const set = this.parkedByPartition.get(key);
      set?.delete(parked);
      if (set && set.size === 0) this.parkedByPartition.delete(key);
    }
    parked.respond(result.response);
  }

  private answerSession(session: FollowerSession, result: ReadResult, respond: (response: FetchResponse) => void): void {
    for (const key of result.settled) session.dirty.delete(key);
    result.response.sessionId = session.id;
    respond(result.response);
  }

  private hasNewsFor(replicaId: number, p: FetchPartitionRequest): boolean {
    return this.reader.hasNews(replicaId, p) || this.reader.hasMovedOn(p);
  }

  /** Reads a standalone fetch: every partition it lists. */
  private read(request: FetchRequest): ReadResult {
    const reading = new Reading(this.reader, request);
    // An in-process follower already knows an unchanged partition: leave it out (KIP-227).
    const incremental = request.replicaId >= 0;
    for (const p of request.partitions) {
      if (incremental && p.knownHighWatermark !== undefined && !this.hasNewsFor(request.replicaId, p)) continue;
      reading.add(p);
    }
    return reading.result([]);
  }

  /** Reads a session's dirty partitions; those the follower is settled on leave the dirty set once answered. */
  private readSession(session: FollowerSession, request: FetchRequest): ReadResult {
    const reading = new Reading(this.reader, request);
    const settled: string[] = [];
    for (const key of session.dirty) {
      const p = session.partitions.get(key)!;
      if (this.hasNewsFor(session.replicaId, p)) reading.add(p);
      if (!this.reader.isFollowerUnsettled(session.replicaId, p)) settled.push(key);
    }
    return reading.result(settled);
  }
}

/** One answer being read, within the request's byte limits. */
class Reading {
  private remaining: number;
  private bytes = 0;
  private failed = false;
  private readonly partitions: FetchPartitionResponse[] = [];

  constructor(
    private readonly reader: FetchReader,
    private readonly request: FetchRequest,
  ) {
    this.remaining = request.maxBytes;
  }

  add(p: FetchPartitionRequest): void {
    // The first partition may exceed the limits so that progress is always possible (KIP-74).
    const limit = this.bytes === 0 ? Math.max(1, Math.min(p.partitionMaxBytes, this.remaining)) : Math.min(p.partitionMaxBytes, this.remaining);
    const data = this.reader.readPartition(this.request.replicaId, p, Math.max(0, limit));
    if (data.error) this.failed = true;
    const bytes = fetchedBytes(data);
    this.bytes += bytes;
    this.remaining -= bytes;
    this.partitions.push(data);
  }

  result(settled: string[]): ReadResult {
    return { response: { partitions: this.partitions }, bytes: this.bytes, failed: this.failed, settled };
  }
}
