/**
 * Long polling for Fetch (Kafka's DelayedFetch purgatory): a fetch that finds fewer than
 * minBytes waits at the leader until enough arrives on one of its partitions (an append, or a
 * high watermark move for consumers) or maxWaitMs passes, then reads again and answers.
 */
import type { Timer } from '../time/scheduler';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from './messages';

/** What the purgatory needs from its broker. */
export interface FetchReader {
  readPartition(replicaId: number, p: FetchRequest['partitions'][number], maxBytes: number): FetchPartitionResponse;
  /** Whether a read of `p` would now return records or an error (no read made). */
  hasNews(replicaId: number, p: FetchRequest['partitions'][number]): boolean;
  /** Whether `p`'s high watermark or log start moved past what the fetcher says it knows. */
  hasMovedOn(p: FetchRequest['partitions'][number]): boolean;
  schedule(delayMs: number, task: () => void): void;
  readonly running: boolean;
}

interface Parked {
  request: FetchRequest;
  /** The request's partitions by key, to check a woken partition without scanning all. */
  byKey: Map<string, FetchRequest['partitions'][number]>;
  respond: (response: FetchResponse) => void;
  timer: { cancelled: boolean };
  done: boolean;
}

export class FetchSession {
  private readonly parkedByPartition = new Map<string, Set<Parked>>();
  /**
   * Parked follower fetches (one per follower at most). A follower fetch covers every
   * partition it follows from this leader, often hundreds: instead of an entry per partition,
   * a wake asks each parked follower fetch whether it covers the woken partition.
   */
  private readonly parkedFollowers = new Set<Parked>();
  private readonly pendingWakes = new Set<string>();
  private wakeScheduled = false;

  constructor(private readonly reader: FetchReader) {}

  /** Answers now if enough is readable, otherwise parks the fetch. */
  serve(request: FetchRequest, respond: (response: FetchResponse) => void): void {
    const { response, bytes, failed } = this.read(request);
    if (bytes >= request.minBytes || failed || request.maxWaitMs <= 0 || request.partitions.length === 0) {
      respond(response);
      return;
    }
    const parked: Parked = { request, byKey: new Map(), respond, timer: { cancelled: false }, done: false };
    for (const p of request.partitions) parked.byKey.set(p.key ?? `${p.topic}-${p.partition}`, p);
    if (request.replicaId >= 0) {
      this.parkedFollowers.add(parked);
    } else {
      for (const key of parked.byKey.keys()) {
        let set = this.parkedByPartition.get(key);
        if (!set) this.parkedByPartition.set(key, (set = new Set()));
        set.add(parked);
      }
    }
    this.reader.schedule(request.maxWaitMs, () => this.complete(parked, true));
  }

  /**
   * Something changed on a partition (append, high watermark, leadership): parked fetches on
   * it read again. Wakes are gathered and run once after the current task, so a burst of
   * appends costs one re-read.
   */
  wakePartition(key: string): void {
    if (!this.parkedByPartition.has(key) && this.parkedFollowers.size === 0) return;
    this.pendingWakes.add(key);
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.reader.schedule(0, () => {
      this.wakeScheduled = false;
      const keys = [...this.pendingWakes];
      this.pendingWakes.clear();
      for (const k of keys) {
        const set = this.parkedByPartition.get(k);
        const candidates = set ? [...set, ...this.parkedFollowers] : [...this.parkedFollowers];
        for (const parked of candidates) {
          // Kafka's DelayedFetch checks positions, not data: read only once something is there.
          const p = parked.byKey.get(k);
          if (p && (this.reader.hasNews(parked.request.replicaId, p) || this.reader.hasMovedOn(p))) this.complete(parked, false);
        }
      }
    });
  }

  /** Drops every parked fetch (the broker stopped; its connections are gone). */
  clear(): void {
    for (const set of this.parkedByPartition.values()) for (const parked of set) parked.done = true;
    for (const parked of this.parkedFollowers) parked.done = true;
    this.parkedByPartition.clear();
    this.parkedFollowers.clear();
    this.pendingWakes.clear();
  }

  private complete(parked: Parked, expired: boolean): void {
    if (parked.done || !this.reader.running) return;
    const { response, bytes, failed } = this.read(parked.request);
    if (!expired && bytes < parked.request.minBytes && !failed) return;
    parked.done = true;
    if (parked.request.replicaId >= 0) {
      this.parkedFollowers.delete(parked);
    } else {
      for (const key of parked.byKey.keys()) {
        const set = this.parkedByPartition.get(key);
        set?.delete(parked);
        if (set && set.size === 0) this.parkedByPartition.delete(key);
      }
    }
    parked.respond(response);
  }

  private read(request: FetchRequest): { response: FetchResponse; bytes: number; failed: boolean } {
    let remaining = request.maxBytes;
    let bytes = 0;
    let failed = false;
    const partitions: FetchPartitionResponse[] = [];
    const incremental = request.replicaId >= 0;
    for (const p of request.partitions) {
      // An in-process follower already knows an unchanged partition: leave it out (KIP-227).
      if (incremental && p.knownHighWatermark !== undefined && !this.reader.hasNews(request.replicaId, p) && !this.reader.hasMovedOn(p)) continue;
      // The first partition may exceed the limits so that progress is always possible (KIP-74).
      const limit = bytes === 0 ? Math.max(1, Math.min(p.partitionMaxBytes, remaining)) : Math.min(p.partitionMaxBytes, remaining);
      const data = this.reader.readPartition(request.replicaId, p, Math.max(0, limit));
      if (data.error) failed = true;
      bytes += data.records.length;
      remaining -= data.records.length;
      partitions.push(data);
    }
    return { response: { partitions }, bytes, failed };
  }
}
