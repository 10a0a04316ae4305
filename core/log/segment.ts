/**
 * One log segment (Kafka's LogSegment): `<20-digit base offset>.log` holding record batches back
 * to back, with its sparse `.index` and `.timeindex`. The indexes live in memory and are written
 * whole on roll, flush and clean close; after a crash they are rebuilt from the log by recover().
 *
 * Reads never go through the log a header at a time: a lookup reads one chunk (about the index
 * interval plus what the caller wants) and walks the batch headers inside it.
 */
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  COMPRESSION_CODEC_MASK,
  type CompressionCodec,
  FIRST_TIMESTAMP_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  batchSizeAt,
  checkBatch,
  lastOffsetAt,
  readInt64,
} from '../protocol/batch';
import type { LeaderEpochCache } from './leader-epoch-cache';
import { decompressSync, hasSyncCodec } from '../protocol/compression';
import { readVarint, readVarlong } from '../protocol/varint';
import { OffsetIndex } from './offset-index';
import type { FileHandle, Storage } from './storage';
import { NO_TIMESTAMP, TimeIndex } from './time-index';

/** Suffix of a segment's record file. */
export const LOG_FILE_SUFFIX = '.log';
/** Suffix of a segment's offset index. */
export const INDEX_FILE_SUFFIX = '.index';
/** Suffix of a segment's time index. */
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';

/** Bytes read at a time when recovery scans a whole segment. */
const RECOVERY_CHUNK_BYTES = 1 << 20;

/** `<base offset padded to 20 digits><suffix>`, Kafka's LogFileUtils.filenamePrefixFromOffset. */
export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix;
}

/** The base offset named by a segment's `.log` file name, or null for any other name. */
export function parseSegmentBaseOffset(name: string): number | null {
  const match = /^(\d{20})\.log$/.exec(name);
  return match === null ? null : Number(match[1]);
}

/** Settings a segment reads on every append; the Log owns them and updates them with its config. */
export interface SegmentSettings {
  /** index.interval.bytes. */
  indexIntervalBytes: number;
  /** segment.index.bytes: the size limit of each index, fixed when the segment is created. */
  maxIndexBytes: number;
}

/** When a segment must be rolled before an append (Kafka's RollParams). */
export interface RollParams {
  segmentBytes: number;
  segmentMs: number;
  messagesSizeBytes: number;
  maxTimestampInMessages: number;
  maxOffsetInMessages: number;
  now: number;
}

/** A record found by timestamp: its offset, timestamp and the leader epoch of its batch (-1 when none). */
export interface RecordTimestamp {
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

/** Whole batches read from a segment, and the base offset of the first (when there is one). */
export interface SegmentRead {
  records: Buffer;
  firstOffset: number;
}

/** Where a batch starts and the offsets it holds. */
interface BatchLocation {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
}

/** A window of a file read at once, refilled when a wanted range falls outside it. */
class ChunkReader {
  chunk: Buffer = Buffer.alloc(0);
  start = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly fileSizeBytes: number,
    private readonly chunkBytes: number,
  ) {}

  /** Makes bytes [position, position + length) available in `chunk`; false past the end of the file. */
  ensure(position: number, length: number): boolean {
    if (position + length > this.fileSizeBytes) return false;
    if (position >= this.start && position + length <= this.start + this.chunk.length) return true;
    this.chunk = this.file.read(position, Math.max(this.chunkBytes, length));
    this.start = position;
    return this.chunk.length >= length;
  }

  /** `position` as an index into `chunk`. */
  at(position: number): number {
    return position - this.start;
  }
}

/** One segment of a partition's log. */
export class LogSegment {
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  private bytesSinceLastIndexEntry = 0;
  private maxTimestampSoFar = NO_TIMESTAMP;
  private offsetOfMaxTimestampSoFar: number;
  // The first batch's max timestamp, which time-based rolling counts from; loaded lazily.
  private rollingBasedTimestamp: number | null = null;
  private created: number;
  // Stands in for the file's mtime (Storage has none): the time of the last append.
  private lastModifiedMs: number;
  private endOffset: number;
  private dataDirty = false;
  private indexDirty = false;
  /** What recover() found wrong, or null. */
  recoveryProblem: string | null = null;

  private constructor(
    private readonly storage: Storage,
    private readonly dir: string,
    readonly baseOffset: number,
    private readonly settings: SegmentSettings,
    private readonly file: FileHandle,
    now: number,
  ) {
    this.offsetIndex = new OffsetIndex(baseOffset, settings.maxIndexBytes);
    this.timeIndex = new TimeIndex(baseOffset, settings.maxIndexBytes);
    this.offsetOfMaxTimestampSoFar = baseOffset;
    this.endOffset = baseOffset;
    this.created = now;
    this.lastModifiedMs = now;
  }

  /** Creates a new empty segment (its three files), replacing stale files of the same name. */
  static create(storage: Storage, dir: string, baseOffset: number, settings: SegmentSettings, now: number): LogSegment {
    for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) {
      storage.remove(`${dir}/${segmentFileName(baseOffset, suffix)}`);
    }
    const segment = new LogSegment(storage, dir, baseOffset, settings, storage.open(`${dir}/${segmentFileName(baseOffset, LOG_FILE_SUFFIX)}`), now);
    // Kafka creates (and preallocates) the index files with the segment; empty files will do.
    storage.open(segment.indexPath).close();
    storage.open(segment.timeIndexPath).close();
    return segment;
  }

  /** Opens an existing segment; its state is set by loadIndexes() or recover(). */
  static open(storage: Storage, dir: string, baseOffset: number, settings: SegmentSettings, now: number): LogSegment {
    return new LogSegment(storage, dir, baseOffset, settings, storage.open(`${dir}/${segmentFileName(baseOffset, LOG_FILE_SUFFIX)}`), now);
  }

  /** Path of the `.log` file. */
  get logPath(): string {
    return `${this.dir}/${segmentFileName(this.baseOffset, LOG_FILE_SUFFIX)}`;
  }

  /** Path of the `.index` file. */
  get indexPath(): string {
    return `${this.dir}/${segmentFileName(this.baseOffset, INDEX_FILE_SUFFIX)}`;
  }

  /** Path of the `.timeindex` file. */
  get timeIndexPath(): string {
    return `${this.dir}/${segmentFileName(this.baseOffset, TIME_INDEX_FILE_SUFFIX)}`;
  }

  /** Size of the `.log` file in bytes. */
  get sizeBytes(): number {
    return this.file.size();
  }

  /** The offset after the last batch (the base offset when empty). */
  get nextOffset(): number {
    return this.endOffset;
  }

  /** The largest record timestamp, or the last append time when no record has one (Kafka's largestTimestamp). */
  get largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0 ? this.maxTimestampSoFar : this.lastModifiedMs;
  }

  /** The largest record timestamp, or NO_TIMESTAMP. */
  get maxTimestamp(): number {
    return this.maxTimestampSoFar;
  }

  /**
   * Appends batches whose offsets are assigned: one write, then index entries for each batch
   * that starts more than index.interval.bytes after the last entry (Kafka's LogSegment.append).
   */
  append(records: Buffer, now: number): void {
    let position = this.file.size();
    const wasEmpty = position === 0;
    this.file.append(records);
    let largestTimestamp = NO_TIMESTAMP;
    for (let pos = 0; pos < records.length; ) {
      const size = batchSizeAt(records, pos);
      const lastOffset = lastOffsetAt(records, pos);
      const batchMaxTimestamp = readInt64(records, pos + MAX_TIMESTAMP_OFFSET);
      if (batchMaxTimestamp > largestTimestamp) largestTimestamp = batchMaxTimestamp;
      this.observeBatch(lastOffset, batchMaxTimestamp, position);
      this.bytesSinceLastIndexEntry += size;
      this.endOffset = lastOffset + 1;
      position += size;
      pos += size;
    }
    if (wasEmpty) this.rollingBasedTimestamp = largestTimestamp;
    this.lastModifiedMs = now;
    this.dataDirty = true;
  }

  /** Kafka's shouldRoll: full by size, old by time, a full index, or offsets the index cannot hold. */
  shouldRoll(params: RollParams): boolean {
    const size = this.file.size();
    const reachedRollMs = this.timeWaitedForRoll(params.now, params.maxTimestampInMessages) > params.segmentMs;
    return (
      size > params.segmentBytes - params.messagesSizeBytes ||
      (size > 0 && reachedRollMs) ||
      this.offsetIndex.isFull ||
      this.timeIndex.isFull ||
      !this.offsetIndex.canAppendOffset(params.maxOffsetInMessages)
    );
  }

  /** Time since the first batch by record time when it has a timestamp, else since creation by the clock. */
  timeWaitedForRoll(now: number, messageTimestamp: number): number {
    if (this.rollingBasedTimestamp === null && this.file.size() >= RECORD_BATCH_OVERHEAD) {
      this.rollingBasedTimestamp = readInt64(this.file.read(0, RECORD_BATCH_OVERHEAD), MAX_TIMESTAMP_OFFSET);
    }
    const timestamp = this.rollingBasedTimestamp ?? NO_TIMESTAMP;
    return timestamp >= 0 ? messageTimestamp - timestamp : now - this.created;
  }

  /**
   * Whole batches from the one holding `startOffset`: stops before a batch whose last offset is
   * >= `maxOffset` and after `maxBytes`, but returns the first batch even when it is larger.
   * Null when no batch here ends at or after `startOffset`.
   */
  read(startOffset: number, maxBytes: number, maxOffset: number): SegmentRead | null {
    // The index points at the batch before the one wanted as often as not, and that batch may be
    // large: find the first batch with small reads, then read from it, once, what may be returned.
    const size = this.file.size();
    const first = this.findBatch(new ChunkReader(this.file, size, this.settings.indexIntervalBytes + RECORD_BATCH_OVERHEAD), startOffset);
    if (first === null) return null;
    if (first.lastOffset >= maxOffset) return { records: Buffer.alloc(0), firstOffset: startOffset };
    const reader = new ChunkReader(this.file, size, Math.max(maxBytes, first.size) + RECORD_BATCH_OVERHEAD);
    reader.ensure(first.position, first.size);
    let end = first.position + first.size;
    // Stop before reading past maxBytes just to look at a batch that could not fit anyway.
    while (end - first.position + RECORD_BATCH_OVERHEAD <= maxBytes && reader.ensure(end, RECORD_BATCH_OVERHEAD)) {
      const at = reader.at(end);
      const size = batchSizeAt(reader.chunk, at);
      if (lastOffsetAt(reader.chunk, at) >= maxOffset || end + size - first.position > maxBytes) break;
      end += size;
    }
    const length = end - first.position;
    const records = reader.ensure(first.position, length)
      ? reader.chunk.subarray(reader.at(first.position), reader.at(first.position) + length)
      : this.file.read(first.position, length);
    return { records, firstOffset: first.baseOffset };
  }

  /** The first batch whose last offset is >= `offset` (Kafka's translateOffset), or null. */
  translateOffset(offset: number): BatchLocation | null {
    const reader = new ChunkReader(this.file, this.file.size(), this.settings.indexIntervalBytes + RECORD_BATCH_OVERHEAD);
    return this.findBatch(reader, offset);
  }

  /**
   * Removes the batches from the first one whose last offset is >= `offset`, and their index
   * entries (Kafka's truncateTo). Returns the bytes removed.
   */
  truncateTo(offset: number, now: number): number {
    const location = this.translateOffset(offset);
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    this.bytesSinceLastIndexEntry = 0;
    if (location === null) return 0;
    const truncated = this.file.size() - location.position;
    this.file.truncate(location.position);
    this.indexDirty = true;
    if (location.position === 0) {
      this.created = now;
      this.rollingBasedTimestamp = null;
    }
    // The largest timestamp left: the time index's last entry or a batch after the last offset entry.
    const lastTimeEntry = this.timeIndex.lastEntry();
    this.maxTimestampSoFar = lastTimeEntry.timestamp;
    this.offsetOfMaxTimestampSoFar = lastTimeEntry.offset;
    const problem = this.scanTail();
    if (problem !== null) throw new Error(`${this.logPath} is corrupt after truncation: ${problem}`);
    return truncated;
  }

  /**
   * Loads the index files and checks them against the log (the batch at the last entry must end
   * at that entry's offset), then scans the tail after the last entry. Returns why the segment
   * must be recovered instead, or null.
   */
  loadIndexes(): string | null {
    const offsetIndexData = this.storage.readFile(this.indexPath);
    if (offsetIndexData === undefined) return `${segmentFileName(this.baseOffset, INDEX_FILE_SUFFIX)} is missing`;
    const offsetProblem = this.offsetIndex.load(offsetIndexData, this.file.size());
    if (offsetProblem !== null) return offsetProblem;
    const tailProblem = this.scanTail();
    if (tailProblem !== null) return tailProblem;
    const timeIndexData = this.storage.readFile(this.timeIndexPath);
    if (timeIndexData === undefined) return `${segmentFileName(this.baseOffset, TIME_INDEX_FILE_SUFFIX)} is missing`;
    const timeProblem = this.timeIndex.load(timeIndexData, this.endOffset);
    if (timeProblem !== null) return timeProblem;
    const last = this.timeIndex.lastEntry();
    if (last.timestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = last.timestamp;
      this.offsetOfMaxTimestampSoFar = last.offset;
    }
    return null;
  }

  /**
   * Kafka's recover: validates every batch (framing, CRC, offsets), rebuilds both indexes, feeds
   * new leader epochs to `epochs`, and cuts the file at the first invalid byte. Returns the number
   * of bytes cut; `recoveryProblem` says why.
   */
  recover(epochs?: LeaderEpochCache): number {
    this.resetState();
    const size = this.file.size();
    const reader = new ChunkReader(this.file, size, RECOVERY_CHUNK_BYTES);
    let valid = 0;
    let lastIndexEntry = 0;
    while (valid < size) {
      const problem = this.checkStoredBatch(reader, valid, size);
      if (problem !== null) {
        this.recoveryProblem = `${problem} at position ${valid} of ${segmentFileName(this.baseOffset, LOG_FILE_SUFFIX)}`;
        break;
      }
      const at = reader.at(valid);
      const batchSize = batchSizeAt(reader.chunk, at);
      const batchBaseOffset = readInt64(reader.chunk, at + BASE_OFFSET_OFFSET);
      const batchMaxTimestamp = readInt64(reader.chunk, at + MAX_TIMESTAMP_OFFSET);
      this.rollingBasedTimestamp ??= batchMaxTimestamp;
      this.bytesSinceLastIndexEntry = valid - lastIndexEntry;
      if (this.observeBatch(lastOffsetAt(reader.chunk, at), batchMaxTimestamp, valid)) lastIndexEntry = valid;
      const epoch = reader.chunk.readInt32BE(at + PARTITION_LEADER_EPOCH_OFFSET);
      if (epochs !== undefined && epoch >= 0 && epoch > epochs.latestEpoch) epochs.assign(epoch, batchBaseOffset);
      this.endOffset = lastOffsetAt(reader.chunk, at) + 1;
      valid += batchSize;
    }
    this.file.truncate(valid);
    this.bytesSinceLastIndexEntry = valid - lastIndexEntry;
    // A rolled or closed segment always ends its time index with its largest timestamp.
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
    this.dataDirty = true;
    this.indexDirty = true;
    return size - valid;
  }

  /** The first record with timestamp >= `timestamp` and offset >= `startingOffset` (Kafka's findOffsetByTimestamp). */
  findOffsetByTimestamp(timestamp: number, startingOffset: number): RecordTimestamp | null {
    const indexed = this.timeIndex.lookup(timestamp);
    let position = this.offsetIndex.lookup(Math.max(indexed.offset, startingOffset)).position;
    const size = this.file.size();
    const reader = new ChunkReader(this.file, size, this.settings.indexIntervalBytes + RECORD_BATCH_OVERHEAD);
    while (reader.ensure(position, RECORD_BATCH_OVERHEAD)) {
      const at = reader.at(position);
      const batchSize = batchSizeAt(reader.chunk, at);
      if (readInt64(reader.chunk, at + MAX_TIMESTAMP_OFFSET) >= timestamp && lastOffsetAt(reader.chunk, at) >= startingOffset) {
        if (!reader.ensure(position, batchSize)) return null;
        const batch = reader.chunk.subarray(reader.at(position), reader.at(position) + batchSize);
        const found = findRecordByTimestamp(batch, timestamp, startingOffset);
        if (found !== null) return found;
      }
      position += batchSize;
    }
    return null;
  }

  /** Kafka's onBecomeInactiveSegment: the final time index entry, then the index files. */
  onBecomeInactive(): void {
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
    this.indexDirty = true;
    this.writeIndexes();
  }

  /** fdatasync's the log when written since the last flush, and writes the indexes when changed. */
  flush(): void {
    if (this.dataDirty) this.file.flush();
    this.dataDirty = false;
    this.writeIndexes();
  }

  /** Clean close: the final time index entry, the index files, then the handle. */
  close(): void {
    if (this.maxTimestampSoFar !== NO_TIMESTAMP) {
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, true);
      this.indexDirty = true;
    }
    this.writeIndexes();
    this.file.close();
  }

  /** Releases the handle and writes nothing (a crash, or a segment about to be deleted). */
  closeHandle(): void {
    this.file.close();
  }

  /** Closes the handle and removes the segment's files. */
  delete(): void {
    this.file.close();
    this.storage.remove(this.logPath);
    this.storage.remove(this.indexPath);
    this.storage.remove(this.timeIndexPath);
  }

  /** Writes both index files when they changed since last written. */
  writeIndexes(): void {
    if (!this.indexDirty) return;
    this.storage.writeFileAtomic(this.indexPath, this.offsetIndex.toBuffer());
    this.storage.writeFileAtomic(this.timeIndexPath, this.timeIndex.toBuffer());
    this.indexDirty = false;
  }

  /**
   * Tracks a batch's max timestamp and adds index entries for it when more than the interval was
   * written since the last entry. Returns whether an entry was added.
   */
  private observeBatch(lastOffset: number, batchMaxTimestamp: number, position: number): boolean {
    if (batchMaxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = batchMaxTimestamp;
      this.offsetOfMaxTimestampSoFar = lastOffset;
    }
    if (this.bytesSinceLastIndexEntry <= this.settings.indexIntervalBytes) return false;
    // A full index only happens past what shouldRoll allows (one huge append); skip the entry.
    if (this.offsetIndex.isFull || this.timeIndex.isFull) return false;
    this.offsetIndex.append(lastOffset, position);
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
    this.bytesSinceLastIndexEntry = 0;
    this.indexDirty = true;
    return true;
  }

  /** Walks batch headers from the index position for `offset` to the first batch ending at or after it. */
  private findBatch(reader: ChunkReader, offset: number): BatchLocation | null {
    let position = this.offsetIndex.lookup(offset).position;
    while (reader.ensure(position, RECORD_BATCH_OVERHEAD)) {
      const at = reader.at(position);
      const size = batchSizeAt(reader.chunk, at);
      if (size < RECORD_BATCH_OVERHEAD) throw new Error(`${this.logPath} is corrupt: batch of ${size} bytes at position ${position}`);
      const lastOffset = lastOffsetAt(reader.chunk, at);
      if (lastOffset >= offset) return { position, size, baseOffset: readInt64(reader.chunk, at), lastOffset };
      position += size;
    }
    return null;
  }

  /**
   * Walks the headers after the last offset index entry to find the end offset and any larger
   * timestamp; returns a problem when the headers do not line up with the index and file size.
   */
  private scanTail(): string | null {
    const size = this.file.size();
    const last = this.offsetIndex.lastEntry();
    const reader = new ChunkReader(this.file, size, this.settings.indexIntervalBytes + RECORD_BATCH_OVERHEAD);
    this.endOffset = this.baseOffset;
    for (let position = last.position; position < size; ) {
      if (!reader.ensure(position, RECORD_BATCH_OVERHEAD)) return `truncated batch header at position ${position}`;
      const at = reader.at(position);
      const batchSize = batchSizeAt(reader.chunk, at);
      const lastOffset = lastOffsetAt(reader.chunk, at);
      if (batchSize < RECORD_BATCH_OVERHEAD || reader.chunk[at + MAGIC_OFFSET] !== 2 || position + batchSize > size) {
        return `invalid batch header at position ${position}`;
      }
      if (position === last.position && this.offsetIndex.entries > 0 && lastOffset !== last.offset) {
        return `the last offset index entry (${last.offset}, ${position}) does not point at a batch ending there`;
      }
      const batchMaxTimestamp = readInt64(reader.chunk, at + MAX_TIMESTAMP_OFFSET);
      if (batchMaxTimestamp > this.maxTimestampSoFar) {
        this.maxTimestampSoFar = batchMaxTimestamp;
        this.offsetOfMaxTimestampSoFar = lastOffset;
      }
      this.endOffset = lastOffset + 1;
      position += batchSize;
    }
    return null;
  }

  /** Checks the stored batch at `position` for recovery; returns the problem or null. */
  private checkStoredBatch(reader: ChunkReader, position: number, size: number): string | null {
    if (!reader.ensure(position, LOG_OVERHEAD)) return `torn batch header (${size - position} bytes left)`;
    const batchSize = batchSizeAt(reader.chunk, reader.at(position));
    if (batchSize < RECORD_BATCH_OVERHEAD) return `batch length ${batchSize} is shorter than a batch header`;
    if (!reader.ensure(position, batchSize)) return `torn batch: ${batchSize} bytes declared, ${size - position} left`;
    const checked = checkBatch(reader.chunk.subarray(0, reader.at(position) + batchSize), reader.at(position));
    if (typeof checked !== 'number') return `${checked.error}: ${checked.message}`;
    const at = reader.at(position);
    const batchBaseOffset = readInt64(reader.chunk, at + BASE_OFFSET_OFFSET);
    if (batchBaseOffset < this.endOffset) return `batch base offset ${batchBaseOffset} is below the previous batch's end ${this.endOffset}`;
    if (!this.offsetIndex.canAppendOffset(lastOffsetAt(reader.chunk, at))) return `batch offsets do not fit segment ${this.baseOffset}`;
    return null;
  }

  private resetState(): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestampSoFar = NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = this.baseOffset;
    this.rollingBasedTimestamp = null;
    this.endOffset = this.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
    this.recoveryProblem = null;
  }
}

/**
 * The first record of one stored batch with timestamp >= `target` and offset >= `startingOffset`
 * (FileRecords.searchForTimestamp's inner loop). Reads only each record's length, timestamp and
 * offset deltas. A zstd batch, which has no synchronous decoder here, answers with its first
 * offset: possibly early, never late, so a consumer seeking by time misses nothing.
 */
export function findRecordByTimestamp(batch: Buffer, target: number, startingOffset: number): RecordTimestamp | null {
  const baseOffset = readInt64(batch, BASE_OFFSET_OFFSET);
  const attributes = batch.readInt16BE(ATTRIBUTES_OFFSET);
  const maxTimestamp = readInt64(batch, MAX_TIMESTAMP_OFFSET);
  const leaderEpoch = batch.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
  const codec = (attributes & COMPRESSION_CODEC_MASK) as CompressionCodec;
  if (!hasSyncCodec(codec)) return { offset: Math.max(baseOffset, startingOffset), timestamp: maxTimestamp, leaderEpoch };
  const records = decompressSync(codec, batch.subarray(RECORD_BATCH_OVERHEAD));
  const firstTimestamp = readInt64(batch, FIRST_TIMESTAMP_OFFSET);
  // LogAppendTime: every record reads as the batch's max timestamp.
  const logAppendTime = (attributes & TIMESTAMP_TYPE_MASK) !== 0;
  const count = batch.readInt32BE(RECORD_COUNT_OFFSET);
  const cursor = { offset: 0 };
  for (let i = 0; i < count && cursor.offset < records.length; i++) {
    const bodySize = readVarint(records, cursor);
    const bodyStart = cursor.offset;
    cursor.offset++; // record attributes: unused
    const timestampDelta = readVarlong(records, cursor);
    const offset = baseOffset + readVarint(records, cursor);
    const timestamp = logAppendTime ? maxTimestamp : firstTimestamp + timestampDelta;
    if (timestamp >= target && offset >= startingOffset) return { offset, timestamp, leaderEpoch };
    cursor.offset = bodyStart + bodySize;
  }
  return null;
}
