/**
 * A segment's sparse time index (Kafka's TimeIndex): entries map a timestamp to an offset,
 * timestamp i64 + relative offset u32, 12 bytes each on disk, big-endian. An entry is
 * (largest timestamp so far, offset of the batch holding it), added next to each offset index
 * entry, but only when the timestamp grew, so timestamps and offsets both only increase.
 */
import { readInt64, writeInt64 } from '../protocol/batch';

/** Bytes per entry on disk. */
export const TIME_INDEX_ENTRY_BYTES = 12;

/** Kafka's RecordBatch.NO_TIMESTAMP. */
export const NO_TIMESTAMP = -1;

/** A timestamp and the offset of the batch where it was reached. */
export interface TimestampOffset {
  timestamp: number;
  offset: number;
}

/** A time index for one segment. */
export class TimeIndex {
  // Timestamps as doubles: exact for every millisecond timestamp (< 2^53).
  private timestamps: Float64Array;
  private relativeOffsets: Uint32Array;
  private count = 0;
  /** Most entries the index holds (segment.index.bytes / 12). */
  readonly maxEntries: number;

  /** `maxIndexBytes` is Kafka's segment.index.bytes (10 MiB by default). */
  constructor(
    readonly baseOffset: number,
    maxIndexBytes: number,
  ) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_BYTES));
    const initial = Math.min(this.maxEntries, 64);
    this.timestamps = new Float64Array(initial);
    this.relativeOffsets = new Uint32Array(initial);
  }

  /** Number of entries. */
  get entries(): number {
    return this.count;
  }

  /** Whether no entry can be added (one slot is kept for the entry a roll or close adds). */
  get isFull(): boolean {
    return this.count >= this.maxEntries - 1;
  }

  /** The last entry, or (NO_TIMESTAMP, baseOffset) when empty. */
  lastEntry(): TimestampOffset {
    return this.count === 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(this.count - 1);
  }

  /** The entry at slot `n`. */
  entry(n: number): TimestampOffset {
    return { timestamp: this.timestamps[n], offset: this.baseOffset + this.relativeOffsets[n] };
  }

  /**
   * Adds (timestamp, offset) when timestamp is above the last entry's. `skipFullCheck` lets the
   * final entry of a rolled or closed segment in, as Kafka does.
   */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    if (!skipFullCheck && this.isFull) throw new RangeError(`time index of segment ${this.baseOffset} is full (${this.count} entries)`);
    const last = this.lastEntry();
    if (this.count > 0 && offset < last.offset) {
      throw new RangeError(`time index of segment ${this.baseOffset}: offset ${offset} is below the last entry's ${last.offset}`);
    }
    if (timestamp <= last.timestamp) return;
    if (this.count === this.timestamps.length) this.grow();
    this.timestamps[this.count] = timestamp;
    this.relativeOffsets[this.count] = offset - this.baseOffset;
    this.count++;
  }

  /** The entry with the largest timestamp <= `timestamp`, or (NO_TIMESTAMP, baseOffset). */
  lookup(timestamp: number): TimestampOffset {
    let low = 0;
    let high = this.count - 1;
    if (this.count === 0 || this.timestamps[0] > timestamp) return { timestamp: NO_TIMESTAMP, offset: this.baseOffset };
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.timestamps[middle] <= timestamp) low = middle;
      else high = middle - 1;
    }
    return this.entry(low);
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: number): void {
    const relative = offset - this.baseOffset;
    while (this.count > 0 && this.relativeOffsets[this.count - 1] >= relative) this.count--;
  }

  /** Removes every entry. */
  reset(): void {
    this.count = 0;
  }

  /** The file contents for these entries. */
  toBuffer(): Buffer {
    const buf = Buffer.allocUnsafe(this.count * TIME_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) {
      writeInt64(buf, this.timestamps[i], 12 * i);
      buf.writeUInt32BE(this.relativeOffsets[i], 12 * i + 8);
    }
    return buf;
  }

  /**
   * Loads entries from a file's contents; returns why they cannot be trusted, or null. Entries
   * must be whole, increasing in timestamp, non-decreasing in offset and below `nextOffset`.
   */
  load(buf: Buffer, nextOffset: number): string | null {
    this.reset();
    if (buf.length % TIME_INDEX_ENTRY_BYTES !== 0) return `time index size ${buf.length} is not a multiple of ${TIME_INDEX_ENTRY_BYTES}`;
    const entries = buf.length / TIME_INDEX_ENTRY_BYTES;
    if (entries > this.maxEntries) return `time index has ${entries} entries, more than its ${this.maxEntries}`;
    for (let i = 0; i < entries; i++) {
      const timestamp = readInt64(buf, 12 * i);
      const offset = this.baseOffset + buf.readUInt32BE(12 * i + 8);
      const last = this.lastEntry();
      if (timestamp <= last.timestamp || (this.count > 0 && offset < last.offset) || offset >= nextOffset) {
        this.reset();
        return `time index entry ${i} (${timestamp}, ${offset}) is out of order or past offset ${nextOffset}`;
      }
      this.maybeAppend(timestamp, offset, true);
    }
    return null;
  }

  private grow(): void {
    // At least one more slot: the final entry of a full index may be added past maxEntries - 1.
    const size = Math.max(this.timestamps.length + 1, Math.min(this.maxEntries, this.timestamps.length * 2));
    const timestamps = new Float64Array(size);
    timestamps.set(this.timestamps);
    const relativeOffsets = new Uint32Array(size);
    relativeOffsets.set(this.relativeOffsets);
    this.timestamps = timestamps;
    this.relativeOffsets = relativeOffsets;
  }
}
