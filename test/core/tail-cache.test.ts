import { describe, expect, it } from 'vitest';
import { TailCache } from '../../core/broker/tail-cache';
import { framePool } from '../../core/log/frame-pool';

const bytes = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);

describe('TailCache', () => {
  it('serves whole cached batches from a batch boundary, up to maxBytes and before maxOffset', () => {
    const cache = new TailCache(1 << 20);
    cache.append('t-0', 0, 10, bytes(100, 1));
    cache.append('t-0', 10, 20, bytes(100, 2));
    cache.append('t-0', 20, 25, bytes(100, 3));
    expect(cache.read('t-0', 10, 1_000, 25)).toEqual(Buffer.concat([bytes(100, 2), bytes(100, 3)]));
    expect(cache.read('t-0', 10, 150, 25)).toEqual(bytes(100, 2)); // at least one batch, then maxBytes
    expect(cache.read('t-0', 0, 1_000, 20)).toEqual(Buffer.concat([bytes(100, 1), bytes(100, 2)])); // stops before maxOffset
    expect(cache.read('t-0', 5, 1_000, 25)).toBeNull(); // mid-batch: the log answers
    expect(cache.read('t-0', 25, 1_000, 25)).toBeNull(); // nothing newer
    expect(cache.read('t-1', 0, 1_000, 25)).toBeNull();
  });

  it('never holds more than its budget, evicting the oldest batches across partitions', () => {
    const cache = new TailCache(1_000);
    for (let i = 0; i < 30; i++) cache.append(`p-${i % 3}`, Math.floor(i / 3) * 10, Math.floor(i / 3) * 10 + 10, bytes(100, i));
    expect(cache.sizeBytes).toBeLessThanOrEqual(1_000);
    expect(cache.read('p-0', 0, 1_000, 1_000)).toBeNull(); // long evicted
    expect(cache.read('p-2', 90, 1_000, 1_000)).toEqual(bytes(100, 29));
  });

  it('starts over when an append does not continue the cached tail, and forgets dropped partitions', () => {
    const cache = new TailCache(1 << 20);
    cache.append('t-0', 0, 10, bytes(10, 1));
    cache.append('t-0', 50, 60, bytes(10, 2));
    expect(cache.read('t-0', 0, 1_000, 60)).toBeNull();
    expect(cache.read('t-0', 50, 1_000, 60)).toEqual(bytes(10, 2));
    cache.drop('t-0');
    expect(cache.read('t-0', 50, 1_000, 60)).toBeNull();
    expect(cache.sizeBytes).toBe(0);
  });

  it("counts a buffer shared by several partitions' batches once, until its last view goes", () => {
    const cache = new TailCache(10_000);
    const frame = Buffer.alloc(3_000, 7); // one produce request carrying three partitions
    cache.append('a-0', 0, 10, frame.subarray(0, 1_000));
    cache.append('a-1', 0, 10, frame.subarray(1_000, 2_000));
    expect(cache.sizeBytes).toBe(3_000);
    expect(cache.readParts('a-1', 0, 10_000, 10)?.[0].buffer).toBe(frame.buffer); // a view, not a copy
    cache.drop('a-0');
    expect(cache.sizeBytes).toBe(3_000);
    cache.drop('a-1');
    expect(cache.sizeBytes).toBe(0);
  });

  it('copies a small slice of a buffer too large to keep alive', () => {
    const cache = new TailCache(10_000);
    const huge = Buffer.alloc(100_000, 3);
    cache.append('b-0', 0, 1, huge.subarray(0, 100));
    expect(cache.sizeBytes).toBeLessThan(10_000);
    expect(cache.read('b-0', 0, 1_000, 1)).toEqual(Buffer.alloc(100, 3));
  });

  it('gives pooled frames back once the high watermark passes them, keeping the run contiguous', () => {
    const cache = new TailCache(64 << 20);
    const small = bytes(100, 1); // an ordinary allocation, not the pool's
    const first = framePool.acquire(100_000).fill(2);
    const second = framePool.acquire(100_000).fill(3);
    cache.append('c-0', 0, 10, small);
    cache.append('c-0', 10, 20, first);
    cache.append('c-0', 20, 30, second);
    framePool.release(first.buffer);
    framePool.release(second.buffer); // the cache's references are the last ones
    const free = framePool.freeBytes;

    cache.releaseBelow('c-0', 15); // inside the pooled entry: nothing goes
    expect(cache.read('c-0', 0, 1 << 20, 30)?.length).toBe(200_100);
    cache.releaseBelow('c-0', 20); // past the first frame: it goes, with the small entry before it
    expect(framePool.freeBytes).toBe(free + first.buffer.byteLength);
    expect(cache.read('c-0', 0, 1 << 20, 30)).toBeNull();
    expect(cache.read('c-0', 20, 1 << 20, 30)).toEqual(Buffer.alloc(100_000, 3));
    expect(cache.sizeBytes).toBe(second.buffer.byteLength);

    const unpooled = new TailCache(1 << 20);
    unpooled.append('d-0', 0, 10, small);
    unpooled.releaseBelow('d-0', 10); // no pooled memory to give back: kept for tailing consumers
    expect(unpooled.read('d-0', 0, 1_000, 10)).toEqual(small);
  });
});
