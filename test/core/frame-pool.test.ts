/**
 * The frame pool hands out reused memory only once every holder has let it go; memory a holder
 * never gives back is simply not reused.
 */
import { describe, expect, it } from 'vitest';
import { FramePool, MAX_POOLED_BYTES, MIN_POOLED_BYTES } from '../../core/log/frame-pool';

describe('FramePool', () => {
  it('leaves small and huge frames to ordinary allocation', () => {
    const pool = new FramePool();
    const small = pool.acquire(MIN_POOLED_BYTES - 1);
    const huge = pool.acquire(MAX_POOLED_BYTES + 1);
    expect(small).toHaveLength(MIN_POOLED_BYTES - 1);
    expect(huge).toHaveLength(MAX_POOLED_BYTES + 1);
    expect(pool.isPooled(small) || pool.isPooled(huge)).toBe(false);
    pool.release(small.buffer);
    pool.release(huge.buffer);
    expect(pool.freeBytes).toBe(0);
  });

  it('reuses a buffer only after its last holder releases it', () => {
    const pool = new FramePool();
    const frame = pool.acquire(100_000);
    expect(frame).toHaveLength(100_000);
    expect(frame.buffer.byteLength).toBe(131_072);
    expect(pool.isPooled(frame)).toBe(true);
    pool.retain(frame.buffer); // a cache keeps a view
    pool.release(frame.buffer); // the request is done
    const other = pool.acquire(100_000);
    expect(other.buffer).not.toBe(frame.buffer);
    pool.release(frame.buffer); // the cache lets go
    expect(pool.isPooled(frame)).toBe(false);
    expect(pool.freeBytes).toBe(131_072);
    const again = pool.acquire(70_000);
    expect(again.buffer).toBe(frame.buffer);
    expect(pool.counts).toEqual({ acquired: 3, reused: 1 });
    // A release too many, or of memory already given back, changes nothing.
    pool.release(again.buffer);
    pool.release(again.buffer);
    pool.retain(again.buffer);
    expect(pool.freeBytes).toBe(131_072);
  });

  it('takes warm memory of a larger class before fresh memory, and the most recent first', () => {
    const pool = new FramePool();
    const large = pool.acquire(1_000_000);
    const first = pool.acquire(100_000);
    const second = pool.acquire(100_000);
    pool.release(large.buffer);
    expect(pool.acquire(100_000).buffer).toBe(large.buffer);
    pool.release(first.buffer);
    pool.release(second.buffer);
    expect(pool.acquire(100_000).buffer).toBe(second.buffer);
    expect(pool.acquire(100_000).buffer).toBe(first.buffer);
    expect(pool.acquire(600_000).buffer).not.toBe(large.buffer);
  });

  it('keeps at most its budget of free memory', () => {
    const pool = new FramePool(300_000);
    const frames = [pool.acquire(100_000), pool.acquire(100_000), pool.acquire(100_000)];
    for (const frame of frames) pool.release(frame.buffer);
    expect(pool.freeBytes).toBe(262_144);
    expect(pool.acquire(100_000).buffer).toBe(frames[1].buffer);
  });

  it('overwrites released memory when poisoning, so a late reader cannot pass by luck', () => {
    const pool = new FramePool(undefined, true);
    const frame = pool.acquire(MIN_POOLED_BYTES);
    frame.fill(7);
    const view = frame.subarray(10, 20);
    pool.release(frame.buffer);
    expect([...view].every((byte) => byte === 0xa5)).toBe(true);
  });
});
