/**
 * A follower broker's fetcher for all the partitions it follows from one leader (Kafka's
 * ReplicaFetcherThread): one request in flight at a time, covering every partition.
 *
 * A partition starts in `truncating`: the follower asks the leader where its own latest
 * epoch ends (OffsetsForLeaderEpoch) and truncates there before fetching, so a returning
 * replica never keeps records the leader does not have (KIP-101, KIP-279). Then it fetches
 * from its log end offset, appends what it gets as it was sent, and takes the leader's high
 * watermark, one round trip behind.
 */
import { LogAppendError } from '../log/log';
import type { EpochEndOffsetResponse, FetchPartitionResponse, FetchResponse } from './messages';
import type { Partition } from './partition';

/** What a fetcher needs from its broker. */
export interface FetcherHost {
  readonly id: number;
  readonly running: boolean;
  now(): number;
  schedule(delayMs: number, task: () => void): void;
  settings: { replicaFetchWaitMaxMs: number; replicaFetchBackoffMs: number; replicaFetchMaxBytes: number; replicaFetchResponseMaxBytes: number; requestTimeoutMs: number };
  sendFetch(leaderId: number, request: import('./messages').FetchRequest, onReply: (response: FetchResponse | null) => void): void;
  sendEpochQuery(leaderId: number, request: import('./messages').EpochEndOffsetRequest[], onReply: (response: EpochEndOffsetResponse[] | null) => void): void;
  onFollowerAppend(partition: Partition, records: number, bytes: number, appended: Buffer): void;
  onTruncated(partition: Partition, fromOffset: number, toOffset: number): void;
}

interface Entry {
  partition: Partition;
  state: 'truncating' | 'fetching';
  /** Not fetched before this time (after an error). */
  delayedUntil: number;
}

export class ReplicaFetcher {
  private readonly entries = new Map<string, Entry>();
  private inFlight = false;
  private wakeScheduled = false;
  private stopped = false;

  constructor(
    private readonly host: FetcherHost,
    readonly leaderId: number,
  ) {}

  /** Starts following a partition (truncating first). */
  add(partition: Partition): void {
    this.entries.set(partition.key, { partition, state: 'truncating', delayedUntil: 0 });
    this.wake(0);
  }

  /** Stops following a partition. */
  remove(key: string): void {
    this.entries.delete(key);
  }

  /** Whether this fetcher follows `partition` (the same replica object). */
  has(partition: Partition): boolean {
    return this.entries.get(partition.key)?.partition === partition;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stops for good (the broker stopped or the leader moved away for every partition). */
  stop(): void {
    this.stopped = true;
    this.entries.clear();
  }

  private wake(delayMs: number): void {
    if (this.wakeScheduled || this.inFlight || this.stopped) return;
    this.wakeScheduled = true;
    this.host.schedule(delayMs, () => {
      this.wakeScheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.inFlight || this.stopped || !this.host.running || this.entries.size === 0) return;
    const now = this.host.now();
    const ready = [...this.entries.values()].filter((entry) => entry.delayedUntil <= now);
    if (ready.length === 0) {
      const next = Math.min(...[...this.entries.values()].map((entry) => entry.delayedUntil));
      this.wake(Math.max(1, next - now));
      return;
    }
    const truncating = ready.filter((entry) => entry.state === 'truncating');
    if (truncating.length > 0) this.queryEpochs(truncating);
    else this.fetch(ready);
  }

  private queryEpochs(entries: Entry[]): void {
    this.inFlight = true;
    const request = entries.map(({ partition }) => ({
      topic: partition.topic,
      partition: partition.partition,
      currentLeaderEpoch: partition.leaderEpoch,
      leaderEpoch: partition.log.epochs.latestEpoch ?? -1,
    }));
    this.host.sendEpochQuery(this.leaderId, request, (response) => {
      this.inFlight = false;
      if (this.stopped) return;
      if (!response) {
        this.backOff(entries);
      } else {
        for (const answer of response) this.truncate(answer);
      }
      this.wake(0);
    });
  }

  /** Truncates as Kafka's follower does on an OffsetsForLeaderEpoch answer. */
  private truncate(answer: EpochEndOffsetResponse): void {
    const entry = this.entries.get(`${answer.topic}-${answer.partition}`);
    if (!entry || entry.state !== 'truncating') return;
    if (answer.error) {
      entry.delayedUntil = this.host.now() + this.host.settings.replicaFetchBackoffMs;
      return;
    }
    const log = entry.partition.log;
    const end = log.logEndOffset;
    let target: number;
    let complete = true;
    if (answer.endOffset < 0) {
      // The leader has no epoch at or below ours: keep what is below our high watermark.
      target = Math.min(entry.partition.highWatermark, end);
    } else if (answer.leaderEpoch < 0) {
      target = Math.min(answer.endOffset, end);
    } else {
      const ours = log.endOffsetForEpoch(answer.leaderEpoch);
      if (ours.leaderEpoch === answer.leaderEpoch) {
        target = Math.min(answer.endOffset, end);
      } else {
        // We never had the leader's epoch: cut to the older of the two ends and ask again.
        target = Math.min(ours.endOffset < 0 ? answer.endOffset : ours.endOffset, answer.endOffset, end);
        complete = false;
      }
    }
    if (target < end) {
      log.truncateTo(target);
      entry.partition.clampHighWatermark();
      this.host.onTruncated(entry.partition, end, log.logEndOffset);
    }
    if (complete || log.logEndOffset === target) entry.state = 'fetching';
  }

  private fetch(entries: Entry[]): void {
    this.inFlight = true;
    const settings = this.host.settings;
    const request = {
      replicaId: this.host.id,
      maxWaitMs: settings.replicaFetchWaitMaxMs,
      minBytes: 1,
      maxBytes: settings.replicaFetchResponseMaxBytes,
      partitions: entries.map(({ partition }) => ({
        topic: partition.topic,
        partition: partition.partition,
        fetchOffset: partition.log.logEndOffset,
        currentLeaderEpoch: partition.leaderEpoch,
        partitionMaxBytes: settings.replicaFetchMaxBytes,
        knownHighWatermark: partition.highWatermark,
        knownLogStartOffset: partition.log.logStartOffset,
        key: partition.key,
      })),
    };
    const fetchOffsets = new Map(request.partitions.map((p) => [p.key, p.fetchOffset]));
    this.host.sendFetch(this.leaderId, request, (response) => {
      this.inFlight = false;
      if (this.stopped) return;
      if (!response) this.backOff(entries);
      else for (const data of response.partitions) this.process(data, fetchOffsets.get(data.key ?? `${data.topic}-${data.partition}`));
      this.wake(0);
    });
  }

  private process(data: FetchPartitionResponse, fetchOffset: number | undefined): void {
    const entry = this.entries.get(data.key ?? `${data.topic}-${data.partition}`);
    if (!entry || entry.state !== 'fetching' || fetchOffset === undefined) return;
    const partition = entry.partition;
    const log = partition.log;
    if (log.logEndOffset !== fetchOffset) return; // Truncated meanwhile: this answer is stale.
    if (data.error === 'OFFSET_OUT_OF_RANGE') {
      this.resolveOutOfRange(entry, data);
      return;
    }
    if (data.error) {
      // The leader moved or has not caught up on metadata: wait for news, then retry.
      entry.delayedUntil = this.host.now() + this.host.settings.replicaFetchBackoffMs;
      return;
    }
    if (data.records.length > 0) {
      try {
        const info = log.appendAsFollower(data.records, this.host.now());
        this.host.onFollowerAppend(partition, info.recordCount, info.bytes, data.records);
      } catch (error) {
        if (!(error instanceof LogAppendError)) throw error;
        entry.state = 'truncating';
        entry.delayedUntil = this.host.now() + this.host.settings.replicaFetchBackoffMs;
        return;
      }
    }
    if (data.logStartOffset > log.logStartOffset && data.logStartOffset <= log.logEndOffset) {
      log.incrementLogStartOffset(data.logStartOffset);
    }
    partition.updateFollowerHighWatermark(data.highWatermark);
  }

  private resolveOutOfRange(entry: Entry, data: FetchPartitionResponse): void {
    const log = entry.partition.log;
    const end = log.logEndOffset;
    if (end > data.logEndOffset) {
      log.truncateTo(data.logEndOffset);
      entry.partition.clampHighWatermark();
      this.host.onTruncated(entry.partition, end, log.logEndOffset);
    } else if (end < data.logStartOffset) {
      log.truncateFullyAndStartAt(data.logStartOffset);
      entry.partition.clampHighWatermark();
      this.host.onTruncated(entry.partition, end, log.logEndOffset);
    }
  }

  private backOff(entries: Entry[]): void {
    const until = this.host.now() + this.host.settings.replicaFetchBackoffMs;
    for (const entry of entries) entry.delayedUntil = until;
  }
}
