import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../core/protocol/batch';
import { decodeRecordBatches, encodeRecordBatch } from '../../core/protocol/records';
import { FileStorage } from '../../core/log/file-storage';
import { MemoryStorage } from '../../core/log/memory-storage';
import { OffsetIndex } from '../../core/log/offset-index';
import { LogSegment, findRecordByTimestamp, parseSegmentBaseOffset, segmentFileName, type SegmentSettings } from '../../core/log/segment';
import type { Storage } from '../../core/log/storage';
import { TimeIndex } from '../../core/log/time-index';

const NOW = 1_700_000_000_000;
const DIR = 'orders-0';

/** A batch of `count` records starting at `baseOffset`, record i at timestamp `timestamp + i`. */
function batch(baseOffset: number, count: number, timestamp = NOW, valueBytes = 200): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({ value: Buffer.alloc(valueBytes, i), timestamp: timestamp + i }));
  return encodeRecordBatch(records, { timestamp, baseOffset, partitionLeaderEpoch: 0 });
}

describe('segment file names', () => {
  it('pads the base offset to 20 digits', () => {
    expect(segmentFileName(0, '.log')).toBe('00000000000000000000.log');
    expect(segmentFileName(9_007_199_254_740_991, '.index')).toBe('00009007199254740991.index');
    expect(parseSegmentBaseOffset('00000000000000001234.log')).toBe(1234);
    expect(parseSegmentBaseOffset('00000000000000001234.index')).toBeNull();
    expect(parseSegmentBaseOffset('00000000000000001234.log.deleted')).toBeNull();
  });
});

describe('OffsetIndex', () => {
  it('looks up the largest entry <= the offset', () => {
    const index = new OffsetIndex(100, 1024);
    index.append(110, 4000);
    index.append(125, 8200);
    index.append(140, 12_500);
    expect(index.lookup(99)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(109)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(110)).toEqual({ offset: 110, position: 4000 });
    expect(index.lookup(139)).toEqual({ offset: 125, position: 8200 });
    expect(index.lookup(10_000)).toEqual({ offset: 140, position: 12_500 });
    expect(() => index.append(140, 13_000)).toThrow(RangeError);
  });

  it('truncates, round-trips its file and rejects a bad file', () => {
    const index = new OffsetIndex(100, 1024);
    for (let i = 1; i <= 5; i++) index.append(100 + 10 * i, 1000 * i);
    const copy = new OffsetIndex(100, 1024);
    expect(copy.load(index.toBuffer(), 10_000)).toBeNull();
    expect(copy.entries).toBe(5);
    expect(copy.toBuffer().equals(index.toBuffer())).toBe(true);
    index.truncateTo(130);
    expect(index.entries).toBe(2);
    expect(index.lastEntry()).toEqual({ offset: 120, position: 2000 });
    expect(copy.load(Buffer.alloc(12), 10_000)).toMatch(/multiple of 8/);
    const backwards = Buffer.concat([index.toBuffer().subarray(8, 16), index.toBuffer().subarray(0, 8)]);
    expect(copy.load(backwards, 10_000)).toMatch(/out of order/);
    expect(copy.load(index.toBuffer(), 1500)).toMatch(/past the log/);
  });

  it('is full at segment.index.bytes / 8 entries', () => {
    const index = new OffsetIndex(0, 32);
    for (let i = 1; i <= 4; i++) index.append(i, i);
    expect(index.isFull).toBe(true);
    expect(() => index.append(5, 5)).toThrow(/full/);
  });
});

describe('TimeIndex', () => {
  it('keeps only increasing timestamps and looks up the largest <= target', () => {
    const index = new TimeIndex(0, 1200);
    index.maybeAppend(1000, 9);
    index.maybeAppend(1000, 19); // not larger: ignored
    index.maybeAppend(1500, 29);
    index.maybeAppend(2000, 39);
    expect(index.entries).toBe(3);
    expect(index.lookup(999)).toEqual({ timestamp: -1, offset: 0 });
    expect(index.lookup(1700)).toEqual({ timestamp: 1500, offset: 29 });
    index.truncateTo(29);
    expect(index.lastEntry()).toEqual({ timestamp: 1000, offset: 9 });
    const copy = new TimeIndex(0, 1200);
    expect(copy.load(index.toBuffer(), 40)).toBeNull();
    expect(copy.load(index.toBuffer(), 5)).toMatch(/past offset 5/);
  });

  it('keeps the last slot for the final entry of a roll', () => {
    const index = new TimeIndex(0, 36);
    index.maybeAppend(1, 1);
    index.maybeAppend(2, 2);
    expect(index.isFull).toBe(true);
    expect(() => index.maybeAppend(3, 3)).toThrow(/full/);
    index.maybeAppend(3, 3, true);
    expect(index.entries).toBe(3);
  });
});

describe('findRecordByTimestamp', () => {
  it('scans record timestamps in plain and gzip batches', () => {
    for (const compression of [CompressionCodec.None, CompressionCodec.Gzip]) {
      const records = [10, 30, 20, 50].map((t) => ({ value: Buffer.from('v'), timestamp: NOW + t }));
      const stored = encodeRecordBatch(records, { timestamp: NOW, baseOffset: 40, compression });
      expect(findRecordByTimestamp(stored, NOW + 25, 0)).toEqual({ offset: 41, timestamp: NOW + 30, leaderEpoch: -1 });
      expect(findRecordByTimestamp(stored, NOW + 15, 42)).toEqual({ offset: 42, timestamp: NOW + 20, leaderEpoch: -1 });
      expect(findRecordByTimestamp(stored, NOW + 51, 0)).toBeNull();
    }
  });
});

const storages: [string, () => { storage: Storage; cleanup: () => void }][] = [
  ['MemoryStorage', () => ({ storage: new MemoryStorage(), cleanup: () => {} })],
  [
    'FileStorage',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerscope-segment-'));
      return { storage: new FileStorage(root), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
    },
  ],
];

describe.each(storages)('LogSegment on %s', (_name, makeStorage) => {
  let storage: Storage;
  let cleanup: () => void;
  const settings: SegmentSettings = { indexIntervalBytes: 4096, maxIndexBytes: 10 * 1024 * 1024 };
  let segment: LogSegment;
  const size = batch(0, 10).length;

  beforeEach(() => {
    ({ storage, cleanup } = makeStorage());
    storage.mkdirp(DIR);
    segment = LogSegment.create(storage, DIR, 100, settings, NOW);
  });
  afterEach(() => {
    try {
      segment.closeHandle();
    } catch {
      // already closed by the test
    }
    cleanup();
  });

  /** 50 batches of 10 records from offset 100, timestamps NOW + 10 * batch + record. */
  function fill(): void {
    for (let i = 0; i < 50; i++) segment.append(batch(100 + 10 * i, 10, NOW + 10 * i), NOW);
  }

  it('creates its three files', () => {
    expect(storage.list(DIR)).toEqual(['00000000000000000100.index', '00000000000000000100.log', '00000000000000000100.timeindex']);
  });

  it('adds an index entry for the batch after each index.interval.bytes', () => {
    fill();
    expect(segment.nextOffset).toBe(600);
    expect(segment.sizeBytes).toBe(50 * size);
    // An entry goes to the first batch that starts more than 4096 bytes after the last entry.
    const perEntry = Math.floor(4096 / size) + 1;
    expect(segment.offsetIndex.entry(0)).toEqual({ offset: 100 + 10 * perEntry + 9, position: perEntry * size });
    expect(segment.offsetIndex.entries).toBe(Math.floor((49 - perEntry) / perEntry) + 1);
    expect(segment.timeIndex.entries).toBe(segment.offsetIndex.entries);
  });

  it('translates offsets through the index and a scan of batch headers', () => {
    fill();
    expect(segment.translateOffset(100)).toMatchObject({ position: 0, baseOffset: 100, lastOffset: 109 });
    expect(segment.translateOffset(357)).toMatchObject({ position: 25 * size, baseOffset: 350, lastOffset: 359 });
    expect(segment.translateOffset(599)).toMatchObject({ position: 49 * size });
    expect(segment.translateOffset(600)).toBeNull();
  });

  it('reads whole batches from the one holding the start offset', () => {
    fill();
    const read = segment.read(357, 3 * size, 1000)!;
    expect(read.firstOffset).toBe(350);
    expect(decodeRecordBatches(read.records).map((decoded) => decoded.header.baseOffset)).toEqual([350, 360, 370]);
    expect(segment.read(357, 1, 1000)!.records.length).toBe(size);
    expect(segment.read(357, 10 * size, 375)!.records.length).toBe(2 * size);
    expect(segment.read(357, 10 * size, 355)!.records.length).toBe(0);
    expect(segment.read(600, 100, 1000)).toBeNull();
  });

  it('truncates at the batch holding the offset', () => {
    fill();
    expect(segment.truncateTo(455, NOW)).toBe(15 * size);
    expect(segment.nextOffset).toBe(450);
    expect(segment.sizeBytes).toBe(35 * size);
    expect(segment.offsetIndex.lastEntry().offset).toBeLessThan(450);
    expect(segment.timeIndex.lastEntry().offset).toBeLessThan(450);
    expect(segment.maxTimestamp).toBe(NOW + 349);
    expect(segment.truncateTo(1000, NOW)).toBe(0);
    expect(segment.truncateTo(100, NOW)).toBe(35 * size);
    expect([segment.nextOffset, segment.sizeBytes, segment.maxTimestamp]).toEqual([100, 0, -1]);
  });

  it('tracks the largest timestamp and finds offsets by timestamp', () => {
    fill();
    expect(segment.largestTimestamp).toBe(NOW + 499);
    expect(segment.findOffsetByTimestamp(NOW + 237, 0)).toEqual({ offset: 337, timestamp: NOW + 237, leaderEpoch: 0 });
    expect(segment.findOffsetByTimestamp(NOW - 5, 0)).toEqual({ offset: 100, timestamp: NOW, leaderEpoch: 0 });
    expect(segment.findOffsetByTimestamp(NOW + 237, 400)).toEqual({ offset: 400, timestamp: NOW + 300, leaderEpoch: 0 });
    expect(segment.findOffsetByTimestamp(NOW + 500, 0)).toBeNull();
  });

  it('writes its indexes on close and loads them back', () => {
    fill();
    const offsetEntries = segment.offsetIndex.entries;
    segment.close();
    expect(storage.readFile(`${DIR}/00000000000000000100.index`)!.length).toBe(8 * offsetEntries);
    expect(storage.readFile(`${DIR}/00000000000000000100.timeindex`)!.length % 12).toBe(0);
    segment = LogSegment.open(storage, DIR, 100, settings, NOW);
    expect(segment.loadIndexes()).toBeNull();
    expect([segment.nextOffset, segment.offsetIndex.entries, segment.largestTimestamp]).toEqual([600, offsetEntries, NOW + 499]);
  });

  it('reports an index that does not match the log', () => {
    fill();
    segment.close();
    // Entry pointing into the middle of a batch.
    const bad = Buffer.alloc(8);
    bad.writeUInt32BE(50, 0);
    bad.writeUInt32BE(17, 4);
    storage.writeFileAtomic(`${DIR}/00000000000000000100.index`, bad);
    segment = LogSegment.open(storage, DIR, 100, settings, NOW);
    expect(segment.loadIndexes()).toMatch(/invalid batch header|does not point/);
    expect(segment.recover()).toBe(0);
    expect(segment.nextOffset).toBe(600);
  });

  it('recover() rebuilds the indexes and cuts a torn tail', () => {
    fill();
    const entries = [...Array(segment.offsetIndex.entries).keys()].map((i) => segment.offsetIndex.entry(i));
    segment.closeHandle();
    const file = `${DIR}/00000000000000000100.log`;
    storage.writeFileAtomic(file, storage.readFile(file)!.subarray(0, 50 * size - 100));
    segment = LogSegment.open(storage, DIR, 100, settings, NOW);
    expect(segment.recover()).toBe(size - 100);
    expect(segment.recoveryProblem).toMatch(/torn batch/);
    expect(segment.nextOffset).toBe(590);
    expect([...Array(segment.offsetIndex.entries).keys()].map((i) => segment.offsetIndex.entry(i))).toEqual(entries);
  });

  it('recover() cuts at a batch whose offsets go backwards', () => {
    segment.append(batch(100, 10), NOW);
    segment.append(batch(110, 10), NOW);
    segment.closeHandle();
    const file = `${DIR}/00000000000000000100.log`;
    storage.writeFileAtomic(file, Buffer.concat([storage.readFile(file)!, batch(105, 10)]));
    segment = LogSegment.open(storage, DIR, 100, settings, NOW);
    expect(segment.recover()).toBe(size);
    expect(segment.recoveryProblem).toMatch(/below the previous batch/);
  });

  it('rolls by size, by record time, and by a full index', () => {
    segment.append(batch(100, 10, NOW), NOW);
    const params = { segmentBytes: 1 << 20, segmentMs: 60_000, messagesSizeBytes: size, maxTimestampInMessages: NOW + 1000, maxOffsetInMessages: 200, now: NOW };
    expect(segment.shouldRoll(params)).toBe(false);
    expect(segment.shouldRoll({ ...params, segmentBytes: 2 * size - 1 })).toBe(true);
    expect(segment.shouldRoll({ ...params, maxTimestampInMessages: NOW + 9 + 60_000 })).toBe(false);
    // Counted from the first batch's max timestamp (NOW + 9), by record time, not the clock.
    expect(segment.shouldRoll({ ...params, maxTimestampInMessages: NOW + 9 + 60_001 })).toBe(true);
    expect(segment.shouldRoll({ ...params, now: NOW + 10_000_000 })).toBe(false);
    expect(segment.shouldRoll({ ...params, maxOffsetInMessages: 100 + 2 ** 31 })).toBe(true);
  });
});

describe.each(storages)('%s basics the log relies on', (_name, makeStorage) => {
  it('appends, reads across its blocks, truncates and appends again', () => {
    const { storage, cleanup } = makeStorage();
    try {
      storage.mkdirp('a/b');
      const handle = storage.open('a/b/file');
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(50_000 + i, i));
      for (const chunk of chunks) handle.append(chunk);
      const whole = Buffer.concat(chunks);
      expect(handle.size()).toBe(whole.length);
      expect(handle.read(1_000_000, 300_000).equals(whole.subarray(1_000_000, 1_300_000))).toBe(true);
      expect(handle.read(whole.length - 10, 100).length).toBe(10);
      const held = handle.read(500_000, 100);
      handle.truncate(400_000);
      handle.append(Buffer.alloc(200_000, 0xee));
      expect(held.equals(whole.subarray(500_000, 500_100))).toBe(true);
      expect(handle.read(399_999, 2)).toEqual(Buffer.from([whole[399_999], 0xee]));
      expect(storage.readFile('a/b/file')!.length).toBe(600_000);
      handle.close();
      expect(() => handle.size()).toThrow();
    } finally {
      cleanup();
    }
  });

  it('lists, renames and removes files and directories', () => {
    const { storage, cleanup } = makeStorage();
    try {
      storage.mkdirp('d/x');
      storage.writeFileAtomic('d/x/one', 'first');
      storage.writeFileAtomic('d/x/one', 'second');
      storage.writeFileAtomic('d/two', Buffer.from('2'));
      expect(storage.list('d')).toEqual(['two', 'x']);
      expect(storage.list('d/x')).toEqual(['one']);
      expect(storage.list('missing')).toEqual([]);
      expect(storage.readFile('d/x/one')?.toString()).toBe('second');
      storage.rename('d/x', 'd/y');
      expect(storage.readFile('d/y/one')?.toString()).toBe('second');
      expect(storage.exists('d/x')).toBe(false);
      storage.remove('d/y');
      expect(storage.list('d')).toEqual(['two']);
      storage.remove('d/nothing');
      expect(storage.readFile('d/nothing')).toBeUndefined();
    } finally {
      cleanup();
    }
  });
});
