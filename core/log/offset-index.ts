/**
 * A segment's sparse offset index (Kafka's OffsetIndex): entries map an offset to the file
 * position of a batch, relative offset u32 + position u32, 8 bytes each on disk, big-endian.
 * LogSegment adds one entry after every `index.interval.bytes` of log, for the batch being
 * appended: (that batch's last offset, its position). Kafka memory-maps the file; here the
 * entries live in a growable typed array and the file is written whole on roll, flush and close.
 */

/** Bytes per entry on disk. */
export const OFFSET_INDEX_ENTRY_BYTES = 8;

/** An offset and the position of the batch to start scanning from. */
export interface OffsetPosition {
  offset: number;
  position: number;
}

/** An offset index for one segment. */
export class OffsetIndex {
  // Interleaved [relativeOffset, position] pairs.
  private data: Uint32Array;
  private count = 0;
  /** Most entries the index holds (segment.index.bytes / 8); a full index makes the log roll. */
  readonly maxEntries: number;

  /** `maxIndexBytes` is Kafka's segment.index.bytes (10 MiB by default). */
  constructor(
    readonly baseOffset: number,
    maxIndexBytes: number,
  ) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_BYTES));
    this.data = new Uint32Array(2 * Math.min(this.maxEntries, 64));
  }

  /** Number of entries. */
  get entries(): number {
    return this.count;
  }

  /** Whether no entry can be added. */
  get isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** The last entry, or (baseOffset, 0) when empty. */
  lastEntry(): OffsetPosition {
    return this.count === 0 ? { offset: this.baseOffset, position: 0 } : this.entry(this.count - 1);
  }

  /** The entry at slot `n`. */
  entry(n: number): OffsetPosition {
    return { offset: this.baseOffset + this.data[2 * n], position: this.data[2 * n + 1] };
  }

  /** Whether `offset` fits the index's 32-bit relative offsets. */
  canAppendOffset(offset: number): boolean {
    const relative = offset - this.baseOffset;
    return relative >= 0 && relative <= 0x7fffffff;
  }

  /** Adds an entry; its offset must exceed the last one's (as Kafka's InvalidOffsetException enforces). */
  append(offset: number, position: number): void {
    if (this.isFull) throw new RangeError(`offset index of segment ${this.baseOffset} is full (${this.count} entries)`);
    if (this.count > 0 && offset <= this.lastEntry().offset) {
      throw new RangeError(`offset index of segment ${this.baseOffset}: offset ${offset} is not above the last entry ${this.lastEntry().offset}`);
    }
    if (!this.canAppendOffset(offset)) throw new RangeError(`offset ${offset} does not fit segment ${this.baseOffset}'s index`);
    if (2 * this.count === this.data.length) this.grow();
    this.data[2 * this.count] = offset - this.baseOffset;
    this.data[2 * this.count + 1] = position;
    this.count++;
  }

  /** The entry with the largest offset <= `offset`, or (baseOffset, 0) when there is none. */
  lookup(offset: number): OffsetPosition {
    const slot = this.largestLowerBoundSlot(offset);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(slot);
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: number): void {
    this.count = this.largestLowerBoundSlot(offset - 1) + 1;
  }

  /** Removes every entry. */
  reset(): void {
    this.count = 0;
  }

  /** The file contents for these entries. */
  toBuffer(): Buffer {
    const buf = Buffer.allocUnsafe(this.count * OFFSET_INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) {
      buf.writeUInt32BE(this.data[2 * i], 8 * i);
      buf.writeUInt32BE(this.data[2 * i + 1], 8 * i + 4);
    }
    return buf;
  }

  /**
   * Loads entries from a file's contents; returns why they cannot be trusted, or null. The checks
   * are Kafka's sanity check (whole entries) plus ordering and positions within the log.
   */
  load(buf: Buffer, logSizeBytes: number): string | null {
    this.reset();
    if (buf.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return `offset index size ${buf.length} is not a multiple of ${OFFSET_INDEX_ENTRY_BYTES}`;
    const entries = buf.length / OFFSET_INDEX_ENTRY_BYTES;
    if (entries > this.maxEntries) return `offset index has ${entries} entries, more than its ${this.maxEntries}`;
    let previousRelative = -1;
    let previousPosition = -1;
    for (let i = 0; i < entries; i++) {
      const relative = buf.readUInt32BE(8 * i);
      const position = buf.readUInt32BE(8 * i + 4);
      if (relative <= previousRelative || position <= previousPosition || position >= logSizeBytes) {
        this.reset();
        return `offset index entry ${i} (${relative}, ${position}) is out of order or past the log's ${logSizeBytes} bytes`;
      }
      this.append(this.baseOffset + relative, position);
      previousRelative = relative;
      previousPosition = position;
    }
    return null;
  }

  /** Slot of the largest entry with offset <= `offset`, or -1 (binary search). */
  private largestLowerBoundSlot(offset: number): number {
    const relative = offset - this.baseOffset;
    if (this.count === 0 || relative < this.data[0]) return -1;
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.data[2 * middle] <= relative) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private grow(): void {
    const grown = new Uint32Array(Math.min(2 * this.maxEntries, this.data.length * 2));
    grown.set(this.data);
    this.data = grown;
  }
}
