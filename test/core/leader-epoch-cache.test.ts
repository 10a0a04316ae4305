// The cases follow Apache Kafka's LeaderEpochFileCacheTest, same numbers, same expectations.
import { beforeEach, describe, expect, it } from 'vitest';
import { LeaderEpochCache, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../../core/log/leader-epoch-cache';
import { MemoryStorage } from '../../core/log/memory-storage';

const UNDEFINED = { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
const end = (leaderEpoch: number, endOffset: number) => ({ leaderEpoch, endOffset });
const entry = (epoch: number, startOffset: number) => ({ epoch, startOffset });

describe('LeaderEpochCache', () => {
  let storage: MemoryStorage;
  let cache: LeaderEpochCache;

  beforeEach(() => {
    storage = new MemoryStorage();
    storage.mkdirp('topic-5');
    cache = new LeaderEpochCache(storage, 'topic-5');
  });

  /** Assigns (epoch, startOffset) pairs in order. */
  function assign(...pairs: [number, number][]): void {
    for (const [epoch, startOffset] of pairs) cache.assign(epoch, startOffset);
  }

  it('adds an epoch and its start offset', () => {
    cache.assign(2, 10);
    expect(cache.latestEpoch).toBe(2);
    expect(cache.entries()).toEqual([entry(2, 10)]);
    expect(cache.endOffsetFor(2, 11)).toEqual(end(2, 11));
  });

  it('returns the log end offset for the latest epoch', () => {
    assign([2, 11], [2, 12]);
    expect(cache.endOffsetFor(2, 14)).toEqual(end(2, 14));
  });

  it('returns UNDEFINED for the undefined epoch, an empty cache or an unknown later epoch', () => {
    expect(cache.endOffsetFor(0, 0)).toEqual(UNDEFINED);
    expect(cache.endOffsetFor(UNDEFINED_EPOCH, 73)).toEqual(UNDEFINED);
    assign([2, 11], [3, 12]);
    expect(cache.endOffsetFor(UNDEFINED_EPOCH, 0)).toEqual(UNDEFINED);
    expect(cache.endOffsetFor(4, 100)).toEqual(UNDEFINED);
  });

  it('never moves an assigned epoch to a later offset', () => {
    assign([2, 9], [2, 10]);
    expect(cache.entries()).toEqual([entry(2, 9)]);
    assign([2, 6], [2, 7]);
    expect(cache.entries()).toEqual([entry(2, 6)]);
  });

  it('enforces increasing start offsets: a new epoch at the same offset replaces the old', () => {
    assign([2, 9], [3, 9]);
    expect(cache.entries()).toEqual([entry(3, 9)]);
  });

  it('enforces increasing epochs: a lower epoch later truncates the higher ones', () => {
    assign([1, 5], [2, 6], [1, 7]);
    expect(cache.latestEpoch).toBe(1);
    expect(cache.endOffsetFor(1, 8)).toEqual(end(1, 8));
    expect(cache.endOffsetFor(2, 8)).toEqual(UNDEFINED);
    expect(cache.entries()).toEqual([entry(1, 7)]);
  });

  it('a lower start offset for a higher epoch removes the conflicting entries', () => {
    assign([2, 6], [3, 5]);
    expect(cache.entries()).toEqual([entry(3, 5)]);
  });

  it('answers with the requested epoch and the first known start when below every epoch', () => {
    assign([5, 11], [6, 12], [7, 13]);
    expect(cache.endOffsetFor(4, 0)).toEqual(end(4, 11));
  });

  it('truncates when the latest epoch is reassigned an earlier offset', () => {
    assign([5, 11], [6, 12], [7, 13], [7, 12]);
    expect(cache.endOffsetFor(5, 0)).toEqual(end(5, 12));
    expect(cache.endOffsetFor(6, 0)).toEqual(end(5, 12));
  });

  it('gives the first offset of the next epoch for an earlier epoch', () => {
    assign([1, 11], [1, 12], [2, 13], [2, 14], [3, 15], [3, 16]);
    expect(cache.endOffsetFor(2, 17)).toEqual(end(2, 15));
  });

  it('answers with the largest epoch <= the requested one', () => {
    assign([0, 10], [2, 13], [4, 17]);
    expect(cache.endOffsetFor(1, 0)).toEqual(end(0, 13));
    expect(cache.endOffsetFor(2, 0)).toEqual(end(2, 17));
    expect(cache.endOffsetFor(3, 0)).toEqual(end(2, 17));
  });

  it('tracks epochs as leaders change many times', () => {
    assign([0, 0], [1, 0]);
    expect(cache.latestEpoch).toBe(1);
    expect(cache.endOffsetFor(1, 0)).toEqual(end(1, 0));
    expect(cache.endOffsetFor(0, 0)).toEqual(end(0, 0));
    expect(cache.endOffsetFor(1, 5)).toEqual(end(1, 5));
    cache.assign(2, 5);
    expect(cache.endOffsetFor(2, 10)).toEqual(end(2, 10));
    expect(cache.endOffsetFor(1, 10)).toEqual(end(1, 5));
    expect(cache.endOffsetFor(0, 10)).toEqual(end(0, 0));
  });

  it('tracks epochs as a follower receives many messages', () => {
    assign([0, 0], [0, 1], [0, 2], [1, 3], [1, 4], [1, 5], [2, 6], [2, 7], [2, 8]);
    expect(cache.latestEpoch).toBe(2);
    expect(cache.endOffsetFor(2, 9)).toEqual(end(2, 9));
    expect(cache.endOffsetFor(0, 9)).toEqual(end(0, 3));
    expect(cache.endOffsetFor(1, 9)).toEqual(end(1, 6));
  });

  it('truncateFromEnd drops entries starting at or after the offset', () => {
    assign([2, 6], [3, 8], [4, 11]);
    cache.truncateFromEnd(8);
    expect(cache.entries()).toEqual([entry(2, 6)]);
    assign([3, 8], [4, 11]);
    cache.truncateFromEnd(9);
    expect(cache.latestEpoch).toBe(3);
    expect(cache.entries()).toEqual([entry(2, 6), entry(3, 8)]);
    cache.truncateFromEnd(UNDEFINED_EPOCH_OFFSET);
    expect(cache.entries()).toHaveLength(2);
  });

  it('truncateFromStart keeps and moves the entry holding the new start', () => {
    const seeded = () => {
      cache.clear();
      assign([2, 6], [3, 8], [4, 11]);
    };
    seeded();
    cache.truncateFromStart(8);
    expect(cache.entries()).toEqual([entry(3, 8), entry(4, 11)]);
    seeded();
    cache.truncateFromStart(1);
    expect(cache.entries()).toEqual([entry(2, 6), entry(3, 8), entry(4, 11)]);
    seeded();
    cache.truncateFromStart(6);
    expect(cache.entries()).toEqual([entry(2, 6), entry(3, 8), entry(4, 11)]);
    seeded();
    cache.truncateFromStart(11);
    expect(cache.entries()).toEqual([entry(4, 11)]);
    seeded();
    cache.truncateFromStart(9);
    expect(cache.entries()).toEqual([entry(3, 9), entry(4, 11)]);
    seeded();
    cache.truncateFromStart(15);
    expect(cache.entries()).toEqual([entry(4, 15)]);
    seeded();
    cache.truncateFromStart(UNDEFINED_EPOCH_OFFSET);
    expect(cache.entries()).toHaveLength(3);
  });

  it('updates between the first two epochs on truncateFromStart', () => {
    assign([0, 0], [1, 7], [2, 10]);
    cache.truncateFromStart(5);
    expect(cache.entries()).toEqual([entry(0, 5), entry(1, 7), entry(2, 10)]);
  });

  it('handles an empty cache', () => {
    expect(cache.latestEpoch).toBe(UNDEFINED_EPOCH);
    expect(cache.endOffsetFor(7, 0)).toEqual(UNDEFINED);
    expect(() => cache.truncateFromStart(7)).not.toThrow();
    expect(() => cache.truncateFromEnd(7)).not.toThrow();
  });

  it('finds the epoch of an offset', () => {
    assign([2, 6], [3, 8], [4, 11]);
    expect([5, 6, 7, 8, 10, 11, 99].map((offset) => cache.epochForOffset(offset))).toEqual([-1, 2, 2, 3, 3, 4, 4]);
  });

  it('rejects negative epochs and offsets', () => {
    expect(() => cache.assign(-1, 0)).toThrow(RangeError);
    expect(() => cache.assign(0, -1)).toThrow(RangeError);
  });

  it('persists every change to leader-epoch-checkpoint', () => {
    assign([2, 6], [3, 8]);
    expect(storage.readFile('topic-5/leader-epoch-checkpoint')?.toString()).toBe('0\n2\n2 6\n3 8\n');
    expect(new LeaderEpochCache(storage, 'topic-5').entries()).toEqual([entry(2, 6), entry(3, 8)]);
    cache.truncateFromEnd(7);
    expect(new LeaderEpochCache(storage, 'topic-5').entries()).toEqual([entry(2, 6)]);
    cache.clear();
    expect(storage.readFile('topic-5/leader-epoch-checkpoint')?.toString()).toBe('0\n0\n');
  });
});
