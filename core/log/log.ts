/**
 * One partition replica's log: Kafka's UnifiedLog and LocalLog in one class. A directory of
 * segments (`<topic>-<partition>/<base offset>.log|.index|.timeindex`) and its
 * `leader-epoch-checkpoint`. Appends validate every batch, assign offsets (as leader) and go to
 * the active segment in one write; the log rolls to a new segment by size, age or a full index.
 * Opening after a crash rescans the segments from the recovery point and cuts the first bad byte.
 *
 * Nothing of the records is held in memory: only the index arrays and a few numbers per segment.
 */
import { LAST_OFFSET_DELTA_OFFSET, MAX_TIMESTAMP_OFFSET, PARTITION_LEADER_EPOCH_OFFSET, RECORD_COUNT_OFFSET, checkBatch, lastOffsetAt, readInt64, writeInt64 } from '../protocol/batch';
import { type EpochEndOffset, LeaderEpochCache } from './leader-epoch-cache';
import { LogSegment, parseSegmentBaseOffset, segmentFileName, type RecordTimestamp, type SegmentSettings } from './segment';
import type { Storage } from './storage';

/** A log's topic-level configuration, Kafka's names in camel case with the unit last. */
export interface LogConfig {
  /** segment.bytes: roll when the active segment would grow past this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first record is this old. */
  segmentMs: number;
  /** index.interval.bytes: log bytes between two index entries. */
  indexIntervalBytes: number;
  /** retention.ms: delete segments whose newest record is older (-1: keep forever). */
  retentionMs: number;
  /** retention.bytes: delete old segments while the log is larger (-1: no limit). */
  retentionBytes: number;
  /** max.message.bytes: largest batch a producer may append. */
  maxMessageBytes: number;
  /** segment.index.bytes: the size limit of each index file (10 MiB); a full index rolls the log. */
  segmentIndexBytes?: number;
}

/** Kafka's defaults. */
export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  indexIntervalBytes: 4096,
  retentionMs: 604800000,
  retentionBytes: -1,
  maxMessageBytes: 1048588,
  segmentIndexBytes: 10485760,
});

/** What an append stored. */
export interface AppendInfo {
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  recordCount: number;
  batchCount: number;
  bytes: number;
}

/** What opening the log found and did. */
export interface RecoveryReport {
  /** Whether a scan of segments ran (an unclean shutdown, or a missing or inconsistent index). */
  recovered: boolean;
  truncatedBytes: number;
  /** The log end offset after the cut, when bytes were cut. */
  truncatedAtOffset: number | null;
  deletedSegments: number;
  /** Why the scan ran, or the problem it found; null when no scan ran. */
  reason: string | null;
}

/** An append refused as a whole; `error` is Kafka's error name (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, ...). */
export class LogAppendError extends Error {
  constructor(
    public error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
    this.name = 'LogAppendError';
  }
}

/** A read or a move of the log start outside [logStartOffset, logEndOffset] (OFFSET_OUT_OF_RANGE). */
export class OffsetOutOfRangeError extends Error {
  constructor(
    public offset: number,
    public logStartOffset: number,
    public logEndOffset: number,
  ) {
    super(`OFFSET_OUT_OF_RANGE: offset ${offset} is outside the log's range [${logStartOffset}, ${logEndOffset}]`);
    this.name = 'OffsetOutOfRangeError';
  }
}

/** A summary of one segment, for views of the log's files. */
export interface SegmentInfo {
  baseOffset: number;
  nextOffset: number;
  sizeBytes: number;
  largestTimestamp: number;
  offsetIndexEntries: number;
  timeIndexEntries: number;
}

/** How the log should open. */
export interface LogOpenOptions {
  /** Offset below which the log was flushed (recovery-point-offset-checkpoint). */
  recoveryPoint: number;
  /** Whether the data dir had the clean-shutdown marker: then the files are trusted. */
  cleanShutdown: boolean;
  /** From log-start-offset-checkpoint; defaults to the first segment's base offset. */
  logStartOffset?: number;
  now: number;
}

/** The batches of one append, as validation found them. */
interface AppendBatches {
  batchCount: number;
  recordCount: number;
  maxTimestamp: number;
  /** The sum of each batch's (lastOffsetDelta + 1): how many offsets the leader assigns. */
  offsetCount: number;
}

/** One partition replica's log. */
export class Log {
  readonly dir: string;
  readonly recoveryReport: RecoveryReport;
  readonly epochs: LeaderEpochCache;
  config: LogConfig;
  private segments: LogSegment[];
  private readonly settings: SegmentSettings;
  private startOffset: number;
  private flushedOffset: number;
  private lastNow: number;
  private closed = false;

  private constructor(
    private readonly storage: Storage,
    dir: string,
    config: LogConfig,
    loaded: LoadedSegments,
    now: number,
  ) {
    this.dir = dir;
    this.config = config;
    this.settings = loaded.settings;
    this.segments = loaded.segments;
    this.epochs = loaded.epochs;
    this.recoveryReport = loaded.report;
    this.startOffset = loaded.logStartOffset;
    this.flushedOffset = loaded.recoveryPoint;
    this.lastNow = now;
  }

  /** Opens (creating when absent) the log in `dir`, recovering it when the shutdown was not clean. */
  static open(storage: Storage, dir: string, config: LogConfig, options: LogOpenOptions): Log {
    const settings: SegmentSettings = { indexIntervalBytes: config.indexIntervalBytes, maxIndexBytes: maxIndexBytes(config) };
    return new Log(storage, dir, config, openSegments(storage, dir, settings, options), options.now);
  }

  /** Applies a changed topic config; index sizes change for segments created from now on. */
  updateConfig(config: LogConfig): void {
    this.config = config;
    this.settings.indexIntervalBytes = config.indexIntervalBytes;
    this.settings.maxIndexBytes = maxIndexBytes(config);
  }

  /** The first offset a reader may ask for. */
  get logStartOffset(): number {
    return this.startOffset;
  }

  /** The offset the next record will get. */
  get logEndOffset(): number {
    return this.activeSegment.nextOffset;
  }

  /** Bytes in all `.log` files. */
  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.sizeBytes;
    return total;
  }

  /** Offset below which everything was flushed to disk. */
  get recoveryPoint(): number {
    return this.flushedOffset;
  }

  /** Number of segments. */
  get segmentCount(): number {
    return this.segments.length;
  }

  /** The segments, oldest first, for views of the log's files. */
  segmentInfos(): SegmentInfo[] {
    return this.segments.map((segment) => ({
      baseOffset: segment.baseOffset,
      nextOffset: segment.nextOffset,
      sizeBytes: segment.sizeBytes,
      largestTimestamp: segment.largestTimestamp,
      offsetIndexEntries: segment.offsetIndex.entries,
      timeIndexEntries: segment.timeIndex.entries,
    }));
  }

  /**
   * Appends a producer's batches: validates each, gives them offsets from the log end and the
   * leader epoch (both outside the CRC, rewritten in place), records the epoch, then appends.
   * `crcVerified`: the listener already checked every batch's CRC (it must answer a bad one
   * before anything else), so it is not computed twice.
   */
  appendAsLeader(records: Buffer, leaderEpoch: number, now: number, crcVerified = false): AppendInfo {
    this.checkOpen();
    const batches = this.validate(records, true, !crcVerified);
    if (batches.batchCount === 0) return emptyAppendInfo();
    if (records.length > this.config.segmentBytes) {
      throw new LogAppendError('RECORD_LIST_TOO_LARGE', `${records.length} bytes exceed segment.bytes ${this.config.segmentBytes}`);
    }
    const firstOffset = this.logEndOffset;
    let nextOffset = firstOffset;
    for (let pos = 0; pos < records.length; pos += batchSize(records, pos)) {
      writeInt64(records, nextOffset, pos);
      records.writeInt32BE(leaderEpoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
      nextOffset += records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) + 1;
    }
    if (leaderEpoch >= 0) this.epochs.assign(leaderEpoch, firstOffset);
    this.appendToSegment(records, batches.maxTimestamp, nextOffset - 1, now);
    return { firstOffset, lastOffset: nextOffset - 1, maxTimestamp: batches.maxTimestamp, recordCount: batches.recordCount, batchCount: batches.batchCount, bytes: records.length };
  }

  /**
   * Appends batches fetched from the leader, offsets and epochs as they are. The first batch must
   * start at the log end, offsets must increase, and each batch's epoch goes to the epoch cache.
   * `crcVerified`: the bytes are the leader's, checked when it appended them and handed over in
   * memory (never read back from a disk), so their CRC is not computed again.
   */
  appendAsFollower(records: Buffer, now: number, crcVerified = false): AppendInfo {
    this.checkOpen();
    const batches = this.validate(records, false, !crcVerified);
    if (batches.batchCount === 0) return emptyAppendInfo();
    const firstOffset = readInt64(records, 0);
    if (firstOffset !== this.logEndOffset) {
      throw new LogAppendError('UNEXPECTED_APPEND_OFFSET', `first offset ${firstOffset} is not the log end offset ${this.logEndOffset}`);
    }
    let groupStart = 0;
    let expected = firstOffset;
    for (let pos = 0; pos < records.length; pos += batchSize(records, pos)) {
      const epoch = records.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET);
      if (epoch >= 0) this.epochs.assign(epoch, readInt64(records, pos));
      expected = lastOffsetAt(records, pos) + 1;
      // A fetch may hold more than segment.bytes when segments are small: split it at rolls.
      const next = pos + batchSize(records, pos);
      if (next === records.length || this.wouldOverflow(next - groupStart + batchSize(records, next))) {
        const group = records.subarray(groupStart, next);
        this.appendToSegment(group, maxTimestampOf(group), expected - 1, now);
        groupStart = next;
      }
    }
    return { firstOffset, lastOffset: expected - 1, maxTimestamp: batches.maxTimestamp, recordCount: batches.recordCount, batchCount: batches.batchCount, bytes: records.length };
  }

  /**
   * Whole batches from the one holding `startOffset`, stopping before a batch whose last offset
   * is >= `maxOffset` and after `maxBytes` (but always one batch when one is readable), from one
   * segment as Kafka reads. `firstOffset` is the first batch's base offset, else `startOffset`.
   */
  read(startOffset: number, maxBytes: number, maxOffset: number): { records: Buffer; firstOffset: number } {
    this.checkOpen();
    if (startOffset < this.startOffset || startOffset > this.logEndOffset) {
      throw new OffsetOutOfRangeError(startOffset, this.startOffset, this.logEndOffset);
    }
    const empty = { records: Buffer.alloc(0), firstOffset: startOffset };
    if (startOffset >= maxOffset || startOffset === this.logEndOffset) return empty;
    for (let i = this.segmentIndexFor(startOffset); i < this.segments.length; i++) {
      const found = this.segments[i].read(startOffset, maxBytes, maxOffset);
      if (found !== null) return found;
    }
    return empty;
  }

  /**
   * Removes every record at or after `offset` (Kafka's truncateTo): later segments go, the one
   * holding `offset` is cut at the batch holding it. A no-op when `offset` >= the log end.
   */
  truncateTo(offset: number): void {
    this.checkOpen();
    if (offset < 0) throw new RangeError(`cannot truncate to negative offset ${offset}`);
    if (offset >= this.logEndOffset) return;
    if (offset < this.segments[0].baseOffset) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    const keep = this.segments.filter((segment) => segment.baseOffset <= offset);
    for (const segment of this.segments.slice(keep.length)) segment.delete();
    this.segments = keep;
    this.activeSegment.truncateTo(offset, this.lastNow);
    this.epochs.truncateFromEnd(this.logEndOffset);
    this.startOffset = Math.min(this.startOffset, this.logEndOffset);
    this.flushedOffset = Math.min(this.flushedOffset, this.logEndOffset);
  }

  /** Deletes every segment and starts empty at `offset` (a follower far behind the leader's log start). */
  truncateFullyAndStartAt(offset: number): void {
    this.checkOpen();
    for (const segment of this.segments) segment.delete();
    this.segments = [LogSegment.create(this.storage, this.dir, offset, this.settings, this.lastNow)];
    this.epochs.clear();
    this.startOffset = offset;
    this.flushedOffset = offset;
  }

  /**
   * Kafka's retention pass: deletes the oldest whole segments that lie entirely below
   * `highWatermark` and are below the log start offset, older than retentionMs (by their newest
   * record) or beyond retentionBytes. Returns how many went; moves the log start offset.
   */
  deleteOldSegments(now: number, highWatermark: number): number {
    this.checkOpen();
    this.lastNow = now;
    let deleted = this.deleteSegmentsWhile(highWatermark, (segment, next) => next !== undefined && next.baseOffset <= this.startOffset);
    deleted += this.deleteRetentionSizeBreached(highWatermark);
    if (this.config.retentionMs >= 0) {
      deleted += this.deleteSegmentsWhile(highWatermark, (segment) => now - segment.largestTimestamp > this.config.retentionMs);
    }
    return deleted;
  }

  /** Moves the log start offset forward (DeleteRecords, or a follower following its leader). */
  incrementLogStartOffset(offset: number): void {
    this.checkOpen();
    if (offset > this.logEndOffset) throw new OffsetOutOfRangeError(offset, this.startOffset, this.logEndOffset);
    if (offset <= this.startOffset) return;
    this.startOffset = offset;
    this.epochs.truncateFromStart(offset);
  }

  /**
   * The first record with a timestamp >= `timestamp` at or after the log start (ListOffsets by
   * time), or null. `timestamp` >= 0: the special values -1 and -2 depend on the high watermark
   * and belong to the partition.
   */
  offsetForTimestamp(timestamp: number): RecordTimestamp | null {
    this.checkOpen();
    const segment = this.segments.find((candidate) => candidate.largestTimestamp >= timestamp);
    return segment === undefined ? null : segment.findOffsetByTimestamp(timestamp, this.startOffset);
  }

  /** OffsetsForLeaderEpoch on this log: UNDEFINED (-1, -1) when the epoch cache cannot answer. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.epochs.endOffsetFor(epoch, this.logEndOffset);
  }

  /** fdatasync's every segment written since the last flush, writes changed indexes; recoveryPoint = LEO. */
  flush(): void {
    this.checkOpen();
    for (const segment of this.segments) segment.flush();
    this.epochs.flush();
    this.flushedOffset = this.logEndOffset;
  }

  /** Clean close: writes the indexes and releases the handles. */
  close(): void {
    if (this.closed) return;
    for (const segment of this.segments) segment.close();
    this.epochs.flush();
    this.closed = true;
  }

  /** A crash: releases the handles and writes nothing more. */
  closeAbruptly(): void {
    if (this.closed) return;
    for (const segment of this.segments) segment.closeHandle();
    this.closed = true;
  }

  /** Releases the handles and removes the log's directory. */
  delete(): void {
    this.closeAbruptly();
    this.storage.remove(this.dir);
  }

  private get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  /** Checks each batch; a producer's batches must also be within max.message.bytes and have consistent counts. */
  private validate(records: Buffer, fromProducer: boolean, verifyCrc: boolean): AppendBatches {
    const batches: AppendBatches = { batchCount: 0, recordCount: 0, maxTimestamp: -1, offsetCount: 0 };
    let previousEnd = -1;
    for (let pos = 0; pos < records.length; ) {
      const checked = checkBatch(records, pos, verifyCrc);
      if (typeof checked !== 'number') throw new LogAppendError(checked.error, `batch at byte ${pos}: ${checked.message}`);
      if (fromProducer) this.validateProducerBatch(records, pos, checked);
      else {
        if (readInt64(records, pos) < previousEnd) throw new LogAppendError('OFFSETS_OUT_OF_ORDER', `batch at byte ${pos} starts at offset ${readInt64(records, pos)}, below ${previousEnd}`);
        previousEnd = lastOffsetAt(records, pos) + 1;
      }
      batches.batchCount++;
      batches.recordCount += records.readInt32BE(pos + RECORD_COUNT_OFFSET);
      batches.offsetCount += records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) + 1;
      batches.maxTimestamp = Math.max(batches.maxTimestamp, readInt64(records, pos + MAX_TIMESTAMP_OFFSET));
      pos += checked;
    }
    return batches;
  }

  /** Kafka's LogValidator checks on a client's batch that need no decompression. */
  private validateProducerBatch(records: Buffer, pos: number, size: number): void {
    if (size > this.config.maxMessageBytes) {
      throw new LogAppendError('MESSAGE_TOO_LARGE', `batch of ${size} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`);
    }
    const count = records.readInt32BE(pos + RECORD_COUNT_OFFSET);
    const offsetCount = records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) + 1;
    if (count <= 0 || count !== offsetCount) {
      throw new LogAppendError('INVALID_RECORD', `batch at byte ${pos} reports ${count} records but spans ${offsetCount} offsets`);
    }
  }

  /** Rolls when needed, then writes the batches to the active segment. */
  private appendToSegment(records: Buffer, maxTimestamp: number, lastOffset: number, now: number): void {
    this.lastNow = now;
    const params = { segmentBytes: this.config.segmentBytes, segmentMs: this.config.segmentMs, messagesSizeBytes: records.length, maxTimestampInMessages: maxTimestamp, maxOffsetInMessages: lastOffset, now };
    if (this.activeSegment.shouldRoll(params)) this.roll(now);
    this.activeSegment.append(records, now);
  }

  /** Whether `bytes` more would push the active segment past segment.bytes. */
  private wouldOverflow(bytes: number): boolean {
    return this.activeSegment.sizeBytes > this.config.segmentBytes - bytes;
  }

  /**
   * Starts a new segment at the log end. The old one gets its final time index entry and its
   * files flushed, so the recovery point moves to the new segment (Kafka flushes it on roll too,
   * in the background).
   */
  private roll(now: number): void {
    const active = this.activeSegment;
    const newOffset = this.logEndOffset;
    if (active.baseOffset === newOffset && active.sizeBytes === 0) return;
    active.onBecomeInactive();
    for (const segment of this.segments) segment.flush();
    this.epochs.flush();
    this.flushedOffset = Math.max(this.flushedOffset, newOffset);
    this.segments.push(LogSegment.create(this.storage, this.dir, newOffset, this.settings, now));
  }

  /** Retention by size: the oldest segments while the log stays at or above retention.bytes without them. */
  private deleteRetentionSizeBreached(highWatermark: number): number {
    const limit = this.config.retentionBytes;
    if (limit < 0) return 0;
    let excess = this.sizeBytes - limit;
    if (excess < 0) return 0;
    return this.deleteSegmentsWhile(highWatermark, (segment) => {
      if (excess - segment.sizeBytes < 0) return false;
      excess -= segment.sizeBytes;
      return true;
    });
  }

  /**
   * Kafka's deletableSegments + deleteSegments: from the oldest, while `predicate` holds and the
   * segment lies below the high watermark, never an empty active segment. When every segment
   * goes, a new empty one is rolled first.
   */
  private deleteSegmentsWhile(highWatermark: number, predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean): number {
    let count = 0;
    while (count < this.segments.length) {
      const segment = this.segments[count];
      const next = this.segments[count + 1];
      const upperBoundOffset = next === undefined ? this.logEndOffset : next.baseOffset;
      const isLastAndEmpty = next === undefined && segment.sizeBytes === 0;
      if (highWatermark < upperBoundOffset || isLastAndEmpty || !predicate(segment, next)) break;
      count++;
    }
    if (count === 0) return 0;
    if (count === this.segments.length) this.roll(this.lastNow);
    for (const segment of this.segments.splice(0, count)) segment.delete();
    if (this.segments[0].baseOffset > this.startOffset) {
      this.startOffset = this.segments[0].baseOffset;
      this.epochs.truncateFromStart(this.startOffset);
    }
    return count;
  }

  /** Index of the segment holding `offset` (the last with baseOffset <= offset), 0 when before all. */
  private segmentIndexFor(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle].baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`log ${this.dir} is closed`);
  }
}

/** segment.index.bytes, defaulted. */
function maxIndexBytes(config: LogConfig): number {
  return config.segmentIndexBytes ?? 10485760;
}

/** Size of the batch at `pos`, or 0 past the end (so a loop's look-ahead stays in bounds). */
function batchSize(records: Buffer, pos: number): number {
  return pos < records.length ? 12 + records.readInt32BE(pos + 8) : 0;
}

/** The largest batch max timestamp in `records`. */
function maxTimestampOf(records: Buffer): number {
  let max = -1;
  for (let pos = 0; pos < records.length; pos += batchSize(records, pos)) max = Math.max(max, readInt64(records, pos + MAX_TIMESTAMP_OFFSET));
  return max;
}

function emptyAppendInfo(): AppendInfo {
  return { firstOffset: -1, lastOffset: -1, maxTimestamp: -1, recordCount: 0, batchCount: 0, bytes: 0 };
}

// ---- Loading (Kafka's LogLoader) ----------------------------------------------------------

/** What a log opens with. */
interface LoadedSegments {
  settings: SegmentSettings;
  segments: LogSegment[];
  epochs: LeaderEpochCache;
  report: RecoveryReport;
  logStartOffset: number;
  recoveryPoint: number;
}

/** Suffixes of files a compaction or deletion left half done; Kafka finishes or drops them at load. */
const LEFTOVER_SUFFIXES = ['.deleted', '.cleaned', '.swap', '.tmp'];

/** Opens the segments in `dir`, recovering what an unclean shutdown may have left torn. */
function openSegments(storage: Storage, dir: string, settings: SegmentSettings, options: LogOpenOptions): LoadedSegments {
  storage.mkdirp(dir);
  const epochs = new LeaderEpochCache(storage, dir);
  const report: RecoveryReport = { recovered: false, truncatedBytes: 0, truncatedAtOffset: null, deletedSegments: 0, reason: null };
  const opened = cleanDirectory(storage, dir).map((baseOffset) => LogSegment.open(storage, dir, baseOffset, settings, options.now));
  let segments = loadSegments(opened, epochs, options, report);
  if (segments.length === 0) segments = [LogSegment.create(storage, dir, options.logStartOffset ?? 0, settings, options.now)];
  let logEndOffset = segments[segments.length - 1].nextOffset;
  const logStartOffset = Math.max(options.logStartOffset ?? segments[0].baseOffset, segments[0].baseOffset);
  if (logStartOffset > logEndOffset) {
    // Kafka's deleteSegmentsIfLogStartGreaterThanLogEnd: nothing readable is left.
    for (const segment of segments) segment.delete();
    report.deletedSegments += segments.length;
    segments = [LogSegment.create(storage, dir, logStartOffset, settings, options.now)];
    logEndOffset = logStartOffset;
  }
  epochs.truncateFromEnd(logEndOffset);
  epochs.truncateFromStart(logStartOffset);
  const recoveryPoint = options.cleanShutdown ? logEndOffset : Math.min(options.recoveryPoint, logEndOffset);
  return { settings, segments, epochs, report, logStartOffset, recoveryPoint };
}

/**
 * Removes leftovers of interrupted deletions and compactions (this engine never compacts, so a
 * `.swap` is never the only copy) and index files without their log. Returns the segments' base
 * offsets, ascending.
 */
function cleanDirectory(storage: Storage, dir: string): number[] {
  const names = storage.list(dir);
  const baseOffsets: number[] = [];
  for (const name of names) {
    if (LEFTOVER_SUFFIXES.some((suffix) => name.endsWith(suffix))) storage.remove(`${dir}/${name}`);
    const baseOffset = parseSegmentBaseOffset(name);
    if (baseOffset !== null) baseOffsets.push(baseOffset);
  }
  const logs = new Set(baseOffsets.map((baseOffset) => segmentFileName(baseOffset, '')));
  for (const name of names) {
    const match = /^(\d{20})\.(index|timeindex)$/.exec(name);
    if (match !== null && !logs.has(match[1])) storage.remove(`${dir}/${name}`);
  }
  return baseOffsets.sort((a, b) => a - b);
}

/**
 * Trusted segments (all after a clean shutdown, else those below the recovery point) load their
 * indexes, rebuilt when missing or inconsistent. The rest are recovered in order; the first one
 * cut short ends the log: every later segment is deleted.
 */
function loadSegments(segments: LogSegment[], epochs: LeaderEpochCache, options: LogOpenOptions, report: RecoveryReport): LogSegment[] {
  const firstUnflushed = options.cleanShutdown ? segments.length : floorIndex(segments, options.recoveryPoint);
  for (const segment of segments.slice(0, firstUnflushed)) {
    const problem = segment.loadIndexes();
    if (problem === null) continue;
    report.recovered = true;
    report.reason ??= `rebuilt the indexes of segment ${segment.baseOffset}: ${problem}`;
    report.truncatedBytes += segment.recover(epochs);
  }
  for (let i = firstUnflushed; i < segments.length; i++) {
    report.recovered = true;
    const truncated = segments[i].recover(epochs);
    report.reason ??= `unclean shutdown: scanned the segments from recovery point ${options.recoveryPoint}`;
    if (truncated === 0) continue;
    report.truncatedBytes += truncated;
    report.truncatedAtOffset = segments[i].nextOffset;
    report.reason = segments[i].recoveryProblem;
    for (const later of segments.slice(i + 1)) later.delete();
    report.deletedSegments += segments.length - i - 1;
    return segments.slice(0, i + 1);
  }
  return segments;
}

/** Index of the last segment with baseOffset <= offset (0 when none). */
function floorIndex(segments: LogSegment[], offset: number): number {
  let index = 0;
  while (index + 1 < segments.length && segments[index + 1].baseOffset <= offset) index++;
  return index;
}
