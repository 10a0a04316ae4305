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
    for (const p of request.partitions) {
      const key = `${p.topic}-${p.partition}`;
      parked.byKey.set(key, p);
      let set = this.parkedByPartition.get(key);
      if (!set) this.parkedByPartition.set(key, (set = new Set()));
      set.add(parked);
    }
    this.reader.schedule(request.maxWaitMs, () => this.complete(parked, true));
  }

  /**
   * Something changed on a partition (append, high watermark, leadership): parked fetches on
   * it read again. Wakes are gathered and run once after the current task, so a burst of
   * appends costs one re-read.
   */
  wakePartition(key: string): void {
    if (!this.parkedByPartition.has(key)) return;
    this.pendingWakes.add(key);
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.reader.schedule(0, () => {
      this.wakeScheduled = false;
      const keys = [...this.pendingWakes];
      this.pendingWakes.clear();
      for (const k of keys) {
        const set = this.parkedByPartition.get(k);
        if (!set) continue;
        for (const parked of [...set]) {
          // Kafka's DelayedFetch checks positions, not data: read only once something is there.
          const p = parked.byKey.get(k);
          if (p && this.reader.hasNews(parked.request.replicaId, p)) this.complete(parked, false);
        }
      }
    });
  }

  /** Drops every parked fetch (the broker stopped; its connections are gone). */
  clear(): void {
    for (const set of this.parkedByPartition.values()) for (const parked of set) parked.done = true;
    this.parkedByPartition.clear();
    this.pendingWakes.clear();
  }

  private complete(parked: Parked, expired: boolean): void {
    if (parked.done || !this.reader.running) return;
    const { response, bytes, failed } = this.read(parked.request);
    if (!expired && bytes < parked.request.minBytes && !failed) return;
    parked.done = true;
    for (const p of parked.request.partitions) {
      const key = `${p.topic}-${p.partition}`;
      const set = this.parkedByPartition.get(key);
      set?.delete(parked);
      if (set && set.size === 0) this.parkedByPartition.delete(key);
    }
    parked.respond(response);
  }

  private read(request: FetchRequest): { response: FetchResponse; bytes: number; failed: boolean } {
    let remaining = request.maxBytes;
    let bytes = 0;
    let failed = false;
    const partitions = request.partitions.map((p) => {
      // The first partition may exceed the limits so that progress is always possible (KIP-74).
      const limit = bytes === 0 ? Math.max(1, Math.min(p.partitionMaxBytes, remaining)) : Math.min(p.partitionMaxBytes, remaining);
      if (limit <= 0) return this.reader.readPartition(request.replicaId, { ...p }, 0);
      const data = this.reader.readPartition(request.replicaId, p, limit);
      if (data.error) failed = true;
      bytes += data.records.length;
      remaining -= data.records.length;
      return data;
    });
    return { response: { partitions }, bytes, failed };
  }
}
