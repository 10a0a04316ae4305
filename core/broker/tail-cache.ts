/**
 * The newest batches each led partition appended, kept in memory under one fixed byte budget
 * per broker, so followers and tailing consumers (who almost always ask for what was just
 * written) are served without a disk read. A fetch for anything older, or for bytes that were
 * evicted, falls through to the log. Eviction is oldest-first across all partitions, so the
 * memory held never exceeds the budget however many partitions a broker leads.
 *
 * Batches are kept as views of the buffers they arrived in (a produce request's frame holds
 * several partitions' batches): copying them would cost more than the rest of an append, most
 * of it in faulting in fresh memory. The budget counts each underlying buffer once, whole, for
 * as long as any view of it is held, so it bounds the memory really kept alive. A buffer from
 * the frame pool is retained there for as long, and never handed out as it is but to a holder
 * that retains it too (an in-process follower): `joinParts` copies it for anyone else. Since
 * only followers gain from pooled entries (a consumer gets a copy, no cheaper than a file
 * read), they go back to the pool as soon as the high watermark passes them: the next frames
 * then reuse warm memory instead of faulting in fresh pages while the budget fills.
 */

import { framePool } from '../log/frame-pool';

interface Entry {
  key: string;
  firstOffset: number;
  /** One past the entry's last offset. */
  endOffset: number;
  data: Buffer;
  /** The buffer `data` is a view of, counted in the budget while any entry holds it. */
  backing: ArrayBufferLike;
  evicted: boolean;
}

const EMPTY = Buffer.alloc(0);

/** Default budget per broker: a few rounds of replication of a busy partition, little memory. */
export const DEFAULT_TAIL_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * Cached batches as one buffer of the caller's own: the one part itself when there is one and
 * its memory is not the frame pool's (whose bytes are reused once the cache lets them go).
 */
export function joinParts(parts: Buffer[]): Buffer {
  return parts.length === 1 && !framePool.isPooled(parts[0]) ? parts[0] : Buffer.concat(parts);
}

export class TailCache {
  private readonly byPartition = new Map<string, Entry[]>();
  private readonly order: Entry[] = [];
  private orderStart = 0;
  private bytes = 0;
  /** Entries holding each underlying buffer. */
  private readonly holders = new Map<ArrayBufferLike, number>();

  constructor(private readonly budgetBytes = DEFAULT_TAIL_CACHE_BYTES) {}

  /** Bytes held now. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Remembers batches appended at `firstOffset` (offsets already assigned in `data`). Only a
   * contiguous run is kept: an append that does not continue the cached tail starts over.
   */
  append(key: string, firstOffset: number, endOffset: number, data: Buffer): void {
    if (data.length > this.budgetBytes / 4) {
      this.drop(key);
      return;
    }
    let entries = this.byPartition.get(key);
    if (entries && entries.length > 0 && entries[entries.length - 1].endOffset !== firstOffset) {
      this.drop(key);
      entries = undefined;
    }
    if (!entries) this.byPartition.set(key, (entries = []));
    // A small slice of a large buffer would keep it all alive for little: copy the slice.
    const held = data.buffer.byteLength > this.budgetBytes / 4 && data.buffer.byteLength > 2 * data.length + 8192 ? Buffer.from(data) : data;
    const entry: Entry = { key, firstOffset, endOffset, data: held, backing: held.buffer, evicted: false };
    entries.push(entry);
    this.order.push(entry);
    this.hold(entry.backing);
    this.evict();
  }

  /**
   * Whole cached batches from the one holding `offset`, up to `maxBytes` (at least one) and
   * ending before `maxOffset`; null when the cache cannot answer (the caller reads the log).
   */
  read(key: string, offset: number, maxBytes: number, maxOffset: number): Buffer | null {
    const parts = this.readParts(key, offset, maxBytes, maxOffset);
    return parts && joinParts(parts);
  }

  /** As `read`, the batches left as the views they are (in-process readers need no one buffer). */
  readParts(key: string, offset: number, maxBytes: number, maxOffset: number): Buffer[] | null {
    const entries = this.byPartition.get(key);
    if (!entries || entries.length === 0 || offset < entries[0].firstOffset || offset >= entries[entries.length - 1].endOffset) return null;
    let index = entries.length - 1;
    while (index > 0 && entries[index].firstOffset > offset) index--;
    // An entry may hold several batches (one produce request): only a read starting at the
    // entry's first batch can be answered without scanning inside it.
    if (entries[index].firstOffset !== offset) return null;
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = index; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.endOffset > maxOffset) break;
      if (parts.length > 0 && size + entry.data.length > maxBytes) break;
      parts.push(entry.data);
      size += entry.data.length;
    }
    return parts.length === 0 ? null : parts;
  }

  /**
   * Lets go of a partition's entries below `offset` that are views of pooled memory: once every
   * in-sync follower has them (the high watermark passed them), keeping them would only spare a
   * consumer a file read, at the price of fresh memory for the frames that follow.
   */
  releaseBelow(key: string, offset: number): void {
    const entries = this.byPartition.get(key);
    if (!entries) return;
    // The run is kept contiguous: a small unpooled entry before a pooled one goes with it.
    let count = 0;
    for (let i = 0; i < entries.length && entries[i].endOffset <= offset; i++) if (framePool.isPooled(entries[i].data)) count = i + 1;
    if (count === 0) return;
    for (let i = 0; i < count; i++) this.release(entries[i]);
    entries.splice(0, count);
    if (entries.length === 0) this.byPartition.delete(key);
    this.compact();
  }

  /** Forgets a partition (truncated, deleted, or no longer led here). */
  drop(key: string): void {
    const entries = this.byPartition.get(key);
    if (!entries) return;
    for (const entry of entries) this.release(entry); // The global order may still point at it.
    this.byPartition.delete(key);
    this.compact();
  }

  /** Forgets everything. */
  clear(): void {
    for (const key of [...this.byPartition.keys()]) this.drop(key);
    this.order.length = 0;
    this.orderStart = 0;
  }

  private evict(): void {
    while (this.bytes > this.budgetBytes && this.orderStart < this.order.length) {
      const oldest = this.order[this.orderStart++];
      if (oldest.evicted) continue;
      this.release(oldest);
      const entries = this.byPartition.get(oldest.key);
      // Per partition, entries were added in the same order as globally: the oldest is first.
      if (entries && entries[0] === oldest) entries.shift();
      if (entries && entries.length === 0) this.byPartition.delete(oldest.key);
    }
    this.compact();
  }

  /** Counts a buffer in the budget when its first view is kept. */
  private hold(backing: ArrayBufferLike): void {
    const holders = this.holders.get(backing) ?? 0;
    if (holders === 0) {
      this.bytes += backing.byteLength;
      framePool.retain(backing);
    }
    this.holders.set(backing, holders + 1);
  }

  /** Lets an entry's bytes go; its buffer leaves the budget with its last view. */
  private release(entry: Entry): void {
    entry.evicted = true;
    entry.data = EMPTY;
    const holders = (this.holders.get(entry.backing) ?? 1) - 1;
    if (holders > 0) this.holders.set(entry.backing, holders);
    else {
      this.holders.delete(entry.backing);
      this.bytes -= entry.backing.byteLength;
      framePool.release(entry.backing);
    }
    entry.backing = EMPTY.buffer;
  }

  /** Drops evicted entries from the front of the global order now and then. */
  private compact(): void {
    while (this.orderStart < this.order.length && this.order[this.orderStart].evicted) this.orderStart++;
    if (this.orderStart > 1024 && this.orderStart * 2 > this.order.length) {
      this.order.splice(0, this.orderStart);
      this.orderStart = 0;
    }
  }
}
