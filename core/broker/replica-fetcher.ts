/**
 * A follower broker's fetcher for all the partitions it follows from one leader (Kafka's
 * ReplicaFetcherThread): one request in flight at a time.
 *
 * A partition starts in `truncating`: the follower asks the leader where its own latest
 * epoch ends (OffsetsForLeaderEpoch) and truncates there before fetching, so a returning
 * replica never keeps records the leader does not have (KIP-101, KIP-279). Then it fetches
 * from its log end offset, appends what it gets as it was sent, and takes the leader's high
 * watermark, one round trip behind.
 *
 * Fetches go in an incremental session with the leader (KIP-227, Kafka's FetchSessionHandler): a
 * full request lists every partition; after it, a request lists only partitions that are new or
 * whose fetch offset, leader epoch, high watermark or log start changed since they were last
 * sent, and the keys the leader must forget (partitions no longer followed here, or backing off
 * after an error, sent in full again once they return). What may have changed is tracked where
 * it changes (appends, truncations, adds), so a round costs what changed, not what is followed.
 * A failed round or a session the leader does not know starts over with a full request.
 */
import { LogAppendError } from '../log/log';
import { framePool } from '../log/frame-pool';
import { partitionKey, type EpochEndOffsetRequest, type EpochEndOffsetResponse, type FetchPartitionRequest, type FetchPartitionResponse, type FetchRequest, type FetchResponse } from './messages';
import type { Partition } from './partition';

/** What a fetcher needs from its broker. */
export interface FetcherHost {
  readonly id: number;
  readonly running: boolean;
  now(): number;
  schedule(delayMs: number, task: () => void): void;
  settings: { replicaFetchWaitMaxMs: number; replicaFetchBackoffMs: number; replicaFetchMaxBytes: number; replicaFetchResponseMaxBytes: number; requestTimeoutMs: number };
  sendFetch(leaderId: number, request: FetchRequest, onReply: (response: FetchResponse | null) => void): void;
  sendEpochQuery(leaderId: number, request: EpochEndOffsetRequest[], onReply: (response: EpochEndOffsetResponse[] | null) => void): void;
  onFollowerAppend(partition: Partition, records: number, bytes: number, appended: Buffer): void;
  onTruncated(partition: Partition, fromOffset: number, toOffset: number): void;
}

interface Entry {
  partition: Partition;
  state: 'truncating' | 'fetching';
  /** Not fetched before this time (after an error); 0 when not held back. */
  delayedUntil: number;
}

/** Fetches every partition a follower broker follows from one leader (see the file's comment). */
export class ReplicaFetcher {
  private readonly entries = new Map<string, Entry>();
  /** Truncating entries free to ask the leader now (not backing off). */
  private readonly truncating = new Set<Entry>();
  /** Fetching entries, free to fetch, that may differ from what the session last told the leader. */
  private readonly dirty = new Set<Entry>();
  /** The session as the leader holds it: each partition as last sent, by key. */
  private readonly session = new Map<string, FetchPartitionRequest>();
  /** Keys the leader holds and must drop with the next request. */
  private readonly forgotten = new Set<string>();
  /** The session the leader assigned; 0 when there is none and the next request is full. */
  private sessionId = 0;
  /** The epoch of the next incremental request. */
  private sessionEpoch = 1;
  private inFlight = false;
  private wakeScheduled = false;
  private stopped = false;

  constructor(
    private readonly host: FetcherHost,
    readonly leaderId: number,
  ) {}

  /** Starts following a partition (truncating first); a partition followed already starts over. */
  add(partition: Partition): void {
    const previous = this.entries.get(partition.key);
    if (previous) this.detach(previous);
    const entry: Entry = { partition, state: 'truncating', delayedUntil: 0 };
    this.entries.set(partition.key, entry);
    this.truncating.add(entry);
    this.wake();
  }

  /** Stops following a partition. */
  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.detach(entry);
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
    this.truncating.clear();
    this.dirty.clear();
    this.session.clear();
    this.forgotten.clear();
  }

  private wake(): void {
    if (this.wakeScheduled || this.inFlight || this.stopped) return;
    this.wakeScheduled = true;
    this.host.schedule(0, () => {
      this.wakeScheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.inFlight || this.stopped || !this.host.running || this.entries.size === 0) return;
    if (this.truncating.size > 0) this.queryEpochs([...this.truncating]);
    else this.fetch();
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
        const failed: Entry[] = [];
        for (const answer of response) this.truncate(answer, failed);
        if (failed.length > 0) this.backOff(failed);
      }
      this.wake();
    });
  }

  /** Truncates as Kafka's follower does on an OffsetsForLeaderEpoch answer; an error adds the entry to `failed`. */
  private truncate(answer: EpochEndOffsetResponse, failed: Entry[]): void {
    const entry = this.entries.get(`${answer.topic}-${answer.partition}`);
    if (!entry || entry.state !== 'truncating') return;
    if (answer.error) {
      failed.push(entry);
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
    if (complete || log.logEndOffset === target) {
      entry.state = 'fetching';
      this.truncating.delete(entry);
      this.dirty.add(entry);
    }
  }

  private fetch(): void {
    const full = this.sessionId === 0;
    const partitions: FetchPartitionRequest[] = [];
    if (full) {
      this.session.clear();
      this.forgotten.clear();
      this.dirty.clear();
      for (const entry of this.entries.values()) if (entry.state === 'fetching' && entry.delayedUntil === 0) partitions.push(this.send(entry));
    } else {
      for (const entry of this.dirty) if (this.changed(entry)) partitions.push(this.send(entry));
      this.dirty.clear();
    }
    if (partitions.length === 0 && this.session.size === 0) {
      // Nothing to fetch: no request until an add or the end of a backoff wakes us, and then a
      // full one, which replaces whatever the leader still holds.
      this.sessionId = 0;
      return;
    }
    const settings = this.host.settings;
    const epoch = full ? 0 : this.sessionEpoch;
    const request: FetchRequest = {
      replicaId: this.host.id,
      maxWaitMs: settings.replicaFetchWaitMaxMs,
      minBytes: 1,
      maxBytes: settings.replicaFetchResponseMaxBytes,
      partitions,
      sessionId: this.sessionId,
      sessionEpoch: epoch,
      forgotten: [...this.forgotten],
    };
    this.forgotten.clear();
    this.inFlight = true;
    this.host.sendFetch(this.leaderId, request, (response) => {
      try {
        this.onFetched(full, epoch, response);
      } finally {
        if (response) releaseAnswer(response);
      }
    });
  }

  /** Takes the answer to a round (null: lost or timed out), then starts the next one. */
  private onFetched(full: boolean, epoch: number, response: FetchResponse | null): void {
    this.inFlight = false;
    if (this.stopped) return;
    if (!response) {
      // A lost round may or may not have reached the leader: start over in full after the backoff.
      this.sessionId = 0;
      this.backOff([...this.entries.values()].filter((entry) => entry.state === 'fetching' && entry.delayedUntil === 0));
    } else if (response.error) {
      // The leader lost the session (it restarted) or refused its epoch: start over in full now.
      this.sessionId = 0;
    } else {
      if (full) this.sessionId = response.sessionId ?? 0;
      this.sessionEpoch = epoch + 1;
      const failed: Entry[] = [];
      for (const data of response.partitions) this.process(data, failed);
      if (failed.length > 0) this.backOff(failed);
    }
    this.wake();
  }

  /** Whether an entry differs from what the session last told the leader (or was never told). */
  private changed(entry: Entry): boolean {
    const sent = this.session.get(entry.partition.key);
    const { partition } = entry;
    return (
      sent === undefined ||
      sent.fetchOffset !== partition.log.logEndOffset ||
      sent.currentLeaderEpoch !== partition.leaderEpoch ||
      sent.knownHighWatermark !== partition.highWatermark ||
      sent.knownLogStartOffset !== partition.log.logStartOffset
    );
  }

  /** Describes an entry as it is now, and records that the leader is told so. */
  private send(entry: Entry): FetchPartitionRequest {
    const { partition } = entry;
    const p: FetchPartitionRequest = {
      topic: partition.topic,
      partition: partition.partition,
      fetchOffset: partition.log.logEndOffset,
      currentLeaderEpoch: partition.leaderEpoch,
      partitionMaxBytes: this.host.settings.replicaFetchMaxBytes,
      knownHighWatermark: partition.highWatermark,
      knownLogStartOffset: partition.log.logStartOffset,
      key: partition.key,
    };
    this.session.set(partition.key, p);
    this.forgotten.delete(partition.key);
    return p;
  }

  /** Takes a partition's answer; an error the follower must wait out adds the entry to `failed`. */
  private process(data: FetchPartitionResponse, failed: Entry[]): void {
    const key = partitionKey(data);
    const entry = this.entries.get(key);
    // The leader read at the offset the session last sent.
    const sent = this.session.get(key);
    if (!entry || entry.state !== 'fetching' || sent === undefined) return;
    const partition = entry.partition;
    const log = partition.log;
    if (log.logEndOffset !== sent.fetchOffset) return; // Truncated meanwhile: this answer is stale.
    if (data.error === 'OFFSET_OUT_OF_RANGE') {
      // Nothing to truncate would leave the answer unresolved: retry after the backoff.
      if (this.resolveOutOfRange(entry, data)) this.dirty.add(entry);
      else failed.push(entry);
      return;
    }
    if (data.error) {
      // The leader moved or has not caught up on metadata: wait for news, then retry.
      failed.push(entry);
      return;
    }
    const parts = data.cachedParts ?? (data.records.length > 0 ? [data.records] : []);
    if (parts.length > 0) {
      try {
        for (const part of parts) {
          const info = log.appendAsFollower(part, this.host.now(), data.cachedParts !== undefined);
          this.host.onFollowerAppend(partition, info.recordCount, info.bytes, part);
        }
      } catch (error) {
        if (!(error instanceof LogAppendError)) throw error;
        entry.state = 'truncating';
        failed.push(entry);
        return;
      }
    }
    if (data.logStartOffset > log.logStartOffset && data.logStartOffset <= log.logEndOffset) {
      log.incrementLogStartOffset(data.logStartOffset);
    }
    partition.updateFollowerHighWatermark(data.highWatermark);
    this.dirty.add(entry);
  }

  /** Truncates after OFFSET_OUT_OF_RANGE; returns whether there was anything to truncate. */
  private resolveOutOfRange(entry: Entry, data: FetchPartitionResponse): boolean {
    const log = entry.partition.log;
    const end = log.logEndOffset;
    if (end > data.logEndOffset) {
      log.truncateTo(data.logEndOffset);
    } else if (end < data.logStartOffset) {
      log.truncateFullyAndStartAt(data.logStartOffset);
    } else {
      return false;
    }
    entry.partition.clampHighWatermark();
    this.host.onTruncated(entry.partition, end, log.logEndOffset);
    return true;
  }

  /**
   * Holds entries back for replica.fetch.backoff.ms: out of the session (the leader forgets
   * them) until a timer lets them in again, so no round looks at entries that wait.
   */
  private backOff(entries: Entry[]): void {
    const backoffMs = this.host.settings.replicaFetchBackoffMs;
    const until = this.host.now() + backoffMs;
    const held: Entry[] = [];
    for (const entry of entries) {
      if (this.entries.get(entry.partition.key) !== entry) continue; // Removed or added again meanwhile.
      entry.delayedUntil = until;
      this.detach(entry);
      held.push(entry);
    }
    if (held.length === 0) return;
    this.host.schedule(backoffMs, () => {
      if (this.stopped) return;
      for (const entry of held) {
        if (entry.delayedUntil !== until || this.entries.get(entry.partition.key) !== entry) continue;
        entry.delayedUntil = 0;
        (entry.state === 'truncating' ? this.truncating : this.dirty).add(entry);
      }
      this.wake();
    });
  }

  /** Takes an entry out of the round sets and out of the session. */
  private detach(entry: Entry): void {
    this.truncating.delete(entry);
    this.dirty.delete(entry);
    const key = entry.partition.key;
    if (this.session.delete(key)) this.forgotten.add(key);
  }
}

/**
 * What the leader's answer held for us until we appended: its cached views (retained for us),
 * and records it read from its log for this answer alone. Let them go, once.
 */
function releaseAnswer(response: FetchResponse): void {
  for (const data of response.partitions) {
    if (data.cachedParts) {
      for (const part of data.cachedParts) framePool.release(part.buffer);
      delete data.cachedParts;
    } else if (framePool.isPooled(data.records)) {
      framePool.release(data.records.buffer);
      data.records = Buffer.alloc(0);
    }
  }
}
