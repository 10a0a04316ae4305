/**
 * Kafka's LeaderEpochFileCache: for one replica, the first offset written in each leader epoch,
 * persisted in the partition dir's `leader-epoch-checkpoint`. Followers use it to find where
 * their log diverges from the leader's (OffsetsForLeaderEpoch, KIP-101 and KIP-279).
 *
 * Entries are kept sorted with epochs and start offsets both strictly increasing. Every change
 * is written to the checkpoint at once (temporary file and rename) but fsync'ed only when the
 * log is flushed, as Kafka does since 3.7 (KAFKA-15046): a leader election on a thousand
 * partitions would otherwise cost thousands of fsyncs on the request path.
 */
import { type EpochEntry, LEADER_EPOCH_CHECKPOINT_FILE, readEpochCheckpoint, writeEpochCheckpoint } from './checkpoint';
import type { Storage } from './storage';

export type { EpochEntry } from './checkpoint';

/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH. */
export const UNDEFINED_EPOCH = -1;
/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH_OFFSET = -1;

/** An OffsetsForLeaderEpoch answer: the largest epoch <= the requested one, and where it ends. */
export interface EpochEndOffset {
  leaderEpoch: number;
  endOffset: number;
}

/** The leader epoch cache of one partition replica. */
export class LeaderEpochCache {
  private epochs: EpochEntry[] = [];
  /** Written since the last fsync (flush makes it durable). */
  private unsynced = false;
  /** Path of the checkpoint file. */
  readonly path: string;

  /** Loads the cache from `<dir>/leader-epoch-checkpoint` (empty when the file is absent). */
  constructor(
    private readonly storage: Storage,
    dir: string,
  ) {
    this.path = `${dir}/${LEADER_EPOCH_CHECKPOINT_FILE}`;
    // Through assign, as Kafka loads it, so a file with non-monotonic entries is repaired.
    for (const entry of readEpochCheckpoint(storage, this.path)) this.assignEntry(entry);
  }

  /**
   * Records that `epoch` starts at `startOffset`. Nothing changes when the latest entry already
   * has this epoch at this or a lower offset. Otherwise entries with an epoch >= `epoch` or a
   * start offset >= `startOffset` are removed first: the new entry wins, as in Kafka.
   */
  assign(epoch: number, startOffset: number): void {
    if (this.assignEntry({ epoch, startOffset })) this.write();
  }

  /** The latest epoch, or UNDEFINED_EPOCH when the cache is empty. */
  get latestEpoch(): number {
    return this.epochs.length === 0 ? UNDEFINED_EPOCH : this.epochs[this.epochs.length - 1].epoch;
  }

  /** The latest entry, if any. */
  latestEntry(): EpochEntry | undefined {
    const last = this.epochs[this.epochs.length - 1];
    return last === undefined ? undefined : { ...last };
  }

  /** The earliest entry, if any. */
  earliestEntry(): EpochEntry | undefined {
    return this.epochs.length === 0 ? undefined : { ...this.epochs[0] };
  }

  /**
   * Kafka's endOffsetFor: UNDEFINED for an undefined epoch, an empty cache or an epoch above the
   * latest; the log end offset for the latest epoch; otherwise the start offset of the next higher
   * epoch, paired with the largest known epoch <= the requested one (or the requested epoch itself
   * when it is below every known epoch).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH || this.epochs.length === 0) return undefinedEndOffset();
    if (requestedEpoch === this.latestEpoch) return { leaderEpoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.epochs.findIndex((entry) => entry.epoch > requestedEpoch);
    if (higher < 0) return undefinedEndOffset();
    const floor = higher - 1;
    const leaderEpoch = floor < 0 ? requestedEpoch : this.epochs[floor].epoch;
    return { leaderEpoch, endOffset: this.epochs[higher].startOffset };
  }

  /** The epoch in which `offset` was written, or UNDEFINED_EPOCH when before every entry. */
  epochForOffset(offset: number): number {
    let epoch = UNDEFINED_EPOCH;
    for (const entry of this.epochs) {
      if (entry.startOffset > offset) break;
      epoch = entry.epoch;
    }
    return epoch;
  }

  /** Removes the entries starting at or after `endOffset` (a log truncated to `endOffset`). */
  truncateFromEnd(endOffset: number): void {
    if (endOffset < 0) return;
    const kept = this.epochs.filter((entry) => entry.startOffset < endOffset);
    if (kept.length === this.epochs.length) return;
    this.epochs = kept;
    this.write();
  }

  /**
   * Drops the entries wholly before `startOffset` (the log start moved): the last entry starting
   * at or before it is kept and moved to start at `startOffset`.
   */
  truncateFromStart(startOffset: number): void {
    let removed = 0;
    while (removed < this.epochs.length && this.epochs[removed].startOffset <= startOffset) removed++;
    if (removed === 0) return;
    const survivor = { epoch: this.epochs[removed - 1].epoch, startOffset };
    this.epochs = [survivor, ...this.epochs.slice(removed)];
    this.write();
  }

  /** Removes every entry. */
  clear(): void {
    this.epochs = [];
    this.write();
  }

  /** A copy of the entries, oldest first. */
  entries(): EpochEntry[] {
    return this.epochs.map((entry) => ({ ...entry }));
  }

  /** Kafka's assign without the write; returns whether anything changed. */
  private assignEntry(entry: EpochEntry): boolean {
    if (entry.epoch < 0 || entry.startOffset < 0) {
      throw new RangeError(`invalid leader epoch entry: epoch ${entry.epoch}, start offset ${entry.startOffset}`);
    }
    const latest = this.epochs[this.epochs.length - 1];
    if (latest !== undefined && latest.epoch === entry.epoch && latest.startOffset <= entry.startOffset) return false;
    // Keep both columns increasing: remove conflicting entries from the end.
    while (this.epochs.length > 0) {
      const last = this.epochs[this.epochs.length - 1];
      if (last.epoch < entry.epoch && last.startOffset < entry.startOffset) break;
      this.epochs.pop();
    }
    this.epochs.push({ epoch: entry.epoch, startOffset: entry.startOffset });
    return true;
  }

  /** Makes the last written checkpoint durable (the log's flush calls this). */
  flush(): void {
    if (!this.unsynced) return;
    writeEpochCheckpoint(this.storage, this.path, this.epochs);
    this.unsynced = false;
  }

  private write(): void {
    writeEpochCheckpoint(this.storage, this.path, this.epochs, { sync: false });
    this.unsynced = true;
  }
}

function undefinedEndOffset(): EpochEndOffset {
  return { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
}
