/**
 * Memory for large produce request frames and large log reads, reused instead of allocated
 * fresh each time.
 *
 * A produce frame lives on after its request: the leader's tail cache keeps its batches as
 * views, and followers take those views to append. Fresh memory for every frame meant a page
 * fault per 4 KB touched and a collector kept busy by external memory; on the machines this
 * runs on, that was the largest cost of taking records from a socket, and of reading a log for
 * a consumer. A pooled buffer is used again only once nothing can still read it, which its
 * holders say explicitly:
 *
 * - the connection acquires a frame (one reference, the request's own), and the produce path
 *   releases that reference once the broker has appended (the log copies to its file);
 * - the tail cache retains it while any of its entries are views of it;
 * - a fetch answer to an in-process follower retains it until the follower has appended;
 * - a log read acquires its buffer for whoever asked; a consumer's answer over the wire gives
 *   it back once the socket has written it, and a follower's once appended.
 *
 * Anyone else who gets a cached frame's bytes (a consumer's fetch answer) gets a copy
 * (`isPooled` tells). A reference never released only means the memory is not reused: the
 * collector frees it like any buffer, because the pool remembers buffers in use only weakly.
 * The hazard is the other way, a view read after its buffer went back:
 * `BROKERSCOPE_POISON_FREED_FRAMES=1` (set in the test suite) fills every released buffer with
 * a pattern, so such a read fails a CRC check or an equality test instead of passing by luck.
 */

/** Frames smaller than this are ordinary allocations: they cost little and are short-lived. */
export const MIN_POOLED_BYTES = 64 * 1024;
/** Larger frames than this (beyond any client's default batch) are not pooled. */
export const MAX_POOLED_BYTES = 4 * 1024 * 1024;
/** Capacities are multiples of this: a frame or read wastes less than it, and finds a buffer of its class or a larger one. */
const CLASS_BYTES = 64 * 1024;
/** Released buffers kept for reuse at most; beyond it they are left to the collector. */
export const MAX_FREE_BYTES = 32 * 1024 * 1024;

const POISON = 0xa5;

export class FramePool {
  /** References to each pooled buffer in use (weak: a buffer lost by its holders is collected). */
  private readonly references = new WeakMap<ArrayBufferLike, number>();
  /** Released buffers by capacity, the most recently released (warmest) last. */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeTotal = 0;
  /** Buffers handed out, and how many of them were reused memory. */
  readonly counts = { acquired: 0, reused: 0 };

  constructor(
    private readonly maxFreeBytes = MAX_FREE_BYTES,
    /** Whether released buffers are overwritten (tests: a late reader then sees garbage). */
    public poison = process.env.BROKERSCOPE_POISON_FREED_FRAMES === '1',
  ) {}

  /** Bytes held for reuse now. */
  get freeBytes(): number {
    return this.freeTotal;
  }

  /** A buffer of exactly `size` bytes, with one reference (the caller's). */
  acquire(size: number): Buffer {
    if (size < MIN_POOLED_BYTES || size > MAX_POOLED_BYTES) return Buffer.allocUnsafeSlow(size);
    const capacity = Math.ceil(size / CLASS_BYTES) * CLASS_BYTES;
    // Warm memory of a larger class beats fresh memory of the right one.
    let reused: ArrayBuffer | undefined;
    for (let c = capacity; c <= MAX_POOLED_BYTES && !reused; c += CLASS_BYTES) reused = this.free.get(c)?.pop();
    if (reused) this.freeTotal -= reused.byteLength;
    this.counts.acquired++;
    if (reused) this.counts.reused++;
    // Fresh memory uninitialized: zeroing it would touch every page once more for nothing.
    const memory = reused ?? (Buffer.allocUnsafeSlow(capacity).buffer as ArrayBuffer);
    this.references.set(memory, 1);
    return Buffer.from(memory, 0, size);
  }

  /** Whether `view` is of a pooled buffer still in use (its bytes will be reused later). */
  isPooled(view: Buffer): boolean {
    return this.references.has(view.buffer);
  }

  /** One more holder of the memory under a view (nothing for memory not from the pool). */
  retain(memory: ArrayBufferLike): void {
    const count = this.references.get(memory);
    if (count !== undefined) this.references.set(memory, count + 1);
  }

  /** A holder is done with the memory under a view; the last one gives it back for reuse. */
  release(memory: ArrayBufferLike): void {
    const count = this.references.get(memory);
    if (count === undefined) return;
    if (count > 1) {
      this.references.set(memory, count - 1);
      return;
    }
    this.references.delete(memory);
    const capacity = memory.byteLength;
    if (this.freeTotal + capacity > this.maxFreeBytes || !(memory instanceof ArrayBuffer)) return;
    if (this.poison) new Uint8Array(memory).fill(POISON);
    let list = this.free.get(capacity);
    if (!list) this.free.set(capacity, (list = []));
    list.push(memory);
    this.freeTotal += capacity;
  }
}

/** The process's pool. */
export const framePool = new FramePool();
