import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CRC_OFFSET, RECORD_BATCH_OVERHEAD, RECORD_COUNT_OFFSET, computeBatchCrc } from '../../core/protocol/batch';
import { decodeRecordBatches, encodeRecordBatch } from '../../core/protocol/records';
import { FileStorage } from '../../core/log/file-storage';
import { DEFAULT_LOG_CONFIG, Log, LogAppendError, OffsetOutOfRangeError, type LogConfig } from '../../core/log/log';
import { MemoryStorage } from '../../core/log/memory-storage';
import type { Storage } from '../../core/log/storage';

const DIR = 'orders-0';
const NOW = 1_700_000_000_000;

/** A producer batch of `count` records of `valueBytes` each, all at `timestamp`. */
function batch(count: number, timestamp = NOW, valueBytes = 100): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.alloc(valueBytes, i & 0xff) }));
  return encodeRecordBatch(records, { timestamp });
}

/** Every record offset from the log start to the end, read `maxBytes` at a time. */
function readOffsets(log: Log, maxBytes = 1 << 20): number[] {
  const offsets: number[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const { records } = log.read(next, maxBytes, log.logEndOffset);
    expect(records.length).toBeGreaterThan(0);
    for (const decoded of decodeRecordBatches(records, { verifyCrc: true })) {
      for (const record of decoded.records) if (record.offset >= next) offsets.push(record.offset);
      next = decoded.header.baseOffset + decoded.header.lastOffsetDelta + 1;
    }
  }
  return offsets;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const storages: [string, () => { storage: Storage; cleanup: () => void }][] = [
  ['MemoryStorage', () => ({ storage: new MemoryStorage(), cleanup: () => {} })],
  [
    'FileStorage',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerscope-log-'));
      return { storage: new FileStorage(root), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
    },
  ],
];

describe.each(storages)('Log on %s', (_name, makeStorage) => {
  let storage: Storage;
  let cleanup: () => void;
  const opened: Log[] = [];

  beforeEach(() => {
    ({ storage, cleanup } = makeStorage());
  });
  afterEach(() => {
    for (const log of opened.splice(0)) log.closeAbruptly();
    cleanup();
  });

  function open(config: Partial<LogConfig> = {}, options: { recoveryPoint?: number; cleanShutdown?: boolean; logStartOffset?: number; now?: number } = {}): Log {
    const log = Log.open(storage, DIR, { ...DEFAULT_LOG_CONFIG, ...config }, { recoveryPoint: 0, cleanShutdown: true, now: NOW, ...options });
    opened.push(log);
    return log;
  }

  /** 40 batches of 10 records (~1.3 KB each) into segments of 8 KB: 7 segments. */
  function fill(log: Log, batches = 40): void {
    for (let i = 0; i < batches; i++) log.appendAsLeader(batch(10, NOW + i), 1, NOW + i);
  }

  const SMALL: Partial<LogConfig> = { segmentBytes: 8192, indexIntervalBytes: 1024 };

  it("lays files out as Kafka does", () => {
    const log = open();
    log.appendAsLeader(batch(5), 0, NOW);
    expect(storage.list(DIR)).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'leader-epoch-checkpoint',
    ]);
    expect(storage.readFile(`${DIR}/leader-epoch-checkpoint`)?.toString()).toBe('0\n1\n0 0\n');
  });

  it('assigns offsets and the leader epoch in place, outside the CRC', () => {
    const log = open();
    log.appendAsLeader(batch(3), 7, NOW);
    const second = batch(4);
    const info = log.appendAsLeader(second, 7, NOW + 5);
    expect(info).toMatchObject({ firstOffset: 3, lastOffset: 6, recordCount: 4, batchCount: 1, bytes: second.length });
    const [decoded] = decodeRecordBatches(log.read(3, 1 << 20, 100).records, { verifyCrc: true });
    expect(decoded.header).toMatchObject({ baseOffset: 3, partitionLeaderEpoch: 7 });
    expect(decoded.records.map((record) => record.offset)).toEqual([3, 4, 5, 6]);
  });

  it('appends and reads across segment rolls, from the middle of batches', () => {
    const log = open(SMALL);
    fill(log);
    expect(log.segmentCount).toBeGreaterThan(4);
    expect(log.logEndOffset).toBe(400);
    expect(readOffsets(log)).toEqual(range(0, 400));
    expect(readOffsets(log, 1)).toEqual(range(0, 400));
    for (const start of [0, 5, 57, 199, 255, 399]) {
      const { records, firstOffset } = log.read(start, 1, 400);
      const [first] = decodeRecordBatches(records);
      expect(firstOffset).toBe(start - (start % 10));
      expect(first.records.map((record) => record.offset)).toContain(start);
    }
  });

  it('reads whole batches: at least one, at most maxBytes, never past maxOffset', () => {
    const log = open();
    fill(log, 10);
    const size = batch(10).length;
    expect(log.read(0, 1, 100).records.length).toBe(size);
    expect(log.read(0, 3 * size + size - 1, 100).records.length).toBe(3 * size);
    expect(log.read(15, 10 * size, 100).records.length).toBe(9 * size);
    // maxOffset 35 (say, the high watermark) stops before the batch holding 35.
    const bounded = decodeRecordBatches(log.read(12, 1 << 20, 35).records);
    expect(bounded.map((decoded) => decoded.header.baseOffset)).toEqual([10, 20]);
    expect(log.read(30, 1 << 20, 30).records.length).toBe(0);
    expect(log.read(100, 1 << 20, 100).records.length).toBe(0);
    expect(() => log.read(101, 100, 101)).toThrow(OffsetOutOfRangeError);
  });

  it('keeps index entries every index.interval.bytes', () => {
    const log = open({ indexIntervalBytes: 4096 });
    fill(log, 40);
    const [segment] = log.segmentInfos();
    // 40 batches of ~1.3 KB: an entry after every 4 KB and a bit.
    expect(segment.offsetIndexEntries).toBeGreaterThanOrEqual(9);
    expect(segment.offsetIndexEntries).toBeLessThanOrEqual(13);
    log.flush();
    expect(storage.readFile(`${DIR}/00000000000000000000.index`)?.length).toBe(8 * segment.offsetIndexEntries);
  });

  it('truncateTo cuts at the batch holding the offset and deletes later segments', () => {
    const log = open(SMALL);
    fill(log);
    const before = log.segmentCount;
    log.truncateTo(125);
    expect(log.logEndOffset).toBe(120);
    expect(log.segmentCount).toBeLessThan(before);
    expect(storage.list(DIR).filter((name) => name.endsWith('.log'))).toHaveLength(log.segmentCount);
    expect(readOffsets(log)).toEqual(range(0, 120));
    log.appendAsLeader(batch(10), 2, NOW + 100);
    expect(readOffsets(log)).toEqual(range(0, 130));
    expect(log.epochs.entries()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 120 },
    ]);
    log.truncateTo(115);
    expect(log.epochs.entries()).toEqual([{ epoch: 1, startOffset: 0 }]);
  });

  it('truncateFullyAndStartAt empties the log at a new offset', () => {
    const log = open(SMALL);
    fill(log);
    log.truncateFullyAndStartAt(1000);
    expect([log.logStartOffset, log.logEndOffset, log.segmentCount, log.recoveryPoint]).toEqual([1000, 1000, 1, 1000]);
    expect(storage.list(DIR)).toContain('00000000000000001000.log');
    expect(log.epochs.entries()).toEqual([]);
    log.appendAsLeader(batch(2), 4, NOW);
    expect(readOffsets(log)).toEqual([1000, 1001]);
  });

  it('rejects invalid appends and appends nothing', () => {
    const log = open({ maxMessageBytes: 2000 });
    log.appendAsLeader(batch(2), 0, NOW);
    const corrupt = batch(2);
    corrupt[corrupt.length - 1] ^= 0xff;
    const expectError = (action: () => void, error: string) => {
      try {
        action();
        expect.unreachable();
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(LogAppendError);
        expect((thrown as LogAppendError).error).toBe(error);
      }
    };
    expectError(() => log.appendAsLeader(Buffer.concat([batch(1), corrupt]), 0, NOW), 'CORRUPT_MESSAGE');
    expectError(() => log.appendAsLeader(batch(30), 0, NOW), 'MESSAGE_TOO_LARGE');
    expectError(() => log.appendAsLeader(batch(2).subarray(0, 70), 0, NOW), 'CORRUPT_MESSAGE');
    // A record count that does not match the offsets spanned (CRC recomputed so only that is wrong).
    const inconsistent = batch(10);
    inconsistent.writeInt32BE(5, RECORD_COUNT_OFFSET);
    inconsistent.writeUInt32BE(computeBatchCrc(inconsistent, 0, inconsistent.length), CRC_OFFSET);
    expectError(() => log.appendAsLeader(inconsistent, 0, NOW), 'INVALID_RECORD');
    expect(log.logEndOffset).toBe(2);
    expect(log.sizeBytes).toBe(batch(2).length);
    // Structure is always checked; the CRC only when no earlier check in this process made it.
    expectError(() => log.appendAsLeader(batch(2).subarray(0, 70), 0, NOW, true), 'CORRUPT_MESSAGE');
    log.appendAsLeader(corrupt, 0, NOW, true);
    expect(log.logEndOffset).toBe(4);
  });

  it('refuses an append larger than segment.bytes (RECORD_LIST_TOO_LARGE)', () => {
    const log = open({ segmentBytes: 1000 });
    expect(() => log.appendAsLeader(batch(20), 0, NOW)).toThrow(/RECORD_LIST_TOO_LARGE/);
  });

  it('appends as follower only at the log end, taking epochs from the batches', () => {
    const leader = open(SMALL);
    fill(leader, 5);
    leader.appendAsLeader(batch(10), 3, NOW);
    const follower = Log.open(storage, 'orders-1', { ...DEFAULT_LOG_CONFIG, ...SMALL }, { recoveryPoint: 0, cleanShutdown: true, now: NOW });
    opened.push(follower);
    const fetched = leader.read(0, 1 << 20, leader.logEndOffset).records;
    expect(() => follower.appendAsFollower(leader.read(10, 1 << 20, 60).records, NOW)).toThrow(LogAppendError);
    const info = follower.appendAsFollower(fetched, NOW);
    expect(info).toMatchObject({ firstOffset: 0, lastOffset: 59, recordCount: 60, batchCount: 6 });
    expect(follower.logEndOffset).toBe(60);
    expect(follower.epochs.entries()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 50 },
    ]);
    expect(follower.read(0, 1 << 20, 60).records.equals(fetched)).toBe(true);
  });

  it('splits a follower append larger than segment.bytes across segments', () => {
    const leader = open();
    fill(leader, 40);
    const follower = Log.open(storage, 'orders-1', { ...DEFAULT_LOG_CONFIG, ...SMALL }, { recoveryPoint: 0, cleanShutdown: true, now: NOW });
    opened.push(follower);
    follower.appendAsFollower(leader.read(0, 1 << 20, 400).records, NOW);
    expect(follower.segmentCount).toBeGreaterThan(4);
    expect(readOffsets(follower)).toEqual(range(0, 400));
  });

  it('rolls after segment.ms by record time', () => {
    const log = open({ segmentMs: 60_000 });
    log.appendAsLeader(batch(1, NOW), 0, NOW);
    log.appendAsLeader(batch(1, NOW + 30_000), 0, NOW + 30_000);
    expect(log.segmentCount).toBe(1);
    log.appendAsLeader(batch(1, NOW + 60_001), 0, NOW + 60_001);
    expect(log.segmentCount).toBe(2);
    expect(log.segmentInfos()[1].baseOffset).toBe(2);
  });

  it('rolls when the index is full', () => {
    const log = open({ indexIntervalBytes: 1, segmentIndexBytes: 4 * 8 });
    fill(log, 12);
    expect(log.segmentCount).toBeGreaterThan(1);
    expect(Math.max(...log.segmentInfos().map((segment) => segment.offsetIndexEntries))).toBeLessThanOrEqual(4);
    expect(readOffsets(log)).toEqual(range(0, 120));
  });

  it('recovers a torn tail: cuts the half-written batch', () => {
    const log = open(SMALL);
    fill(log, 3);
    log.closeAbruptly();
    const file = `${DIR}/00000000000000000000.log`;
    const data = storage.readFile(file)!;
    const lastBatchSize = batch(10).length;
    storage.writeFileAtomic(file, data.subarray(0, data.length - Math.floor(lastBatchSize / 2)));
    const reopened = open(SMALL, { cleanShutdown: false, recoveryPoint: 0 });
    expect(reopened.recoveryReport).toMatchObject({ recovered: true, truncatedBytes: lastBatchSize - Math.floor(lastBatchSize / 2), truncatedAtOffset: 20, deletedSegments: 0 });
    expect(reopened.recoveryReport.reason).toMatch(/torn batch/);
    expect(reopened.logEndOffset).toBe(20);
    expect(readOffsets(reopened)).toEqual(range(0, 20));
    reopened.appendAsLeader(batch(10), 1, NOW);
    expect(readOffsets(reopened)).toEqual(range(0, 30));
  });

  it('recovers a flipped byte mid-log: truncates there and deletes the later segments', () => {
    const log = open(SMALL);
    fill(log);
    log.appendAsLeader(batch(10), 2, NOW + 100);
    const segments = log.segmentInfos();
    log.closeAbruptly();
    const victim = segments[2];
    const file = `${DIR}/${String(victim.baseOffset).padStart(20, '0')}.log`;
    const data = storage.readFile(file)!;
    const size = batch(10).length;
    data[2 * size + RECORD_BATCH_OVERHEAD + 10] ^= 0x40; // inside the third batch's records
    storage.writeFileAtomic(file, data);
    const reopened = open(SMALL, { cleanShutdown: false, recoveryPoint: 0 });
    const expectedEnd = victim.baseOffset + 20;
    expect(reopened.recoveryReport).toMatchObject({
      recovered: true,
      truncatedBytes: victim.sizeBytes - 2 * size,
      truncatedAtOffset: expectedEnd,
      deletedSegments: segments.length - 3,
    });
    expect(reopened.recoveryReport.reason).toMatch(/CRC/);
    expect(reopened.segmentCount).toBe(3);
    expect(storage.list(DIR).filter((name) => name.endsWith('.log'))).toHaveLength(3);
    expect(readOffsets(reopened)).toEqual(range(0, expectedEnd));
    // The epoch that started in a deleted segment is gone from the cache.
    expect(reopened.epochs.entries()).toEqual([{ epoch: 1, startOffset: 0 }]);
  });

  it('only scans from the segment holding the recovery point', () => {
    const log = open(SMALL);
    fill(log);
    const segments = log.segmentInfos();
    log.closeAbruptly();
    // Corrupt a segment below the recovery point: trusted, so not noticed.
    const file = `${DIR}/${String(segments[1].baseOffset).padStart(20, '0')}.log`;
    const data = storage.readFile(file)!;
    data[data.length - 5] ^= 0x01;
    storage.writeFileAtomic(file, data);
    const reopened = open(SMALL, { cleanShutdown: false, recoveryPoint: segments[3].baseOffset + 5 });
    expect(reopened.recoveryReport).toMatchObject({ recovered: true, truncatedBytes: 0, deletedSegments: 0 });
    expect(reopened.logEndOffset).toBe(400);
    expect(reopened.recoveryPoint).toBe(segments[3].baseOffset + 5);
  });

  it('trusts the files after a clean shutdown: no scan, indexes loaded', () => {
    const log = open(SMALL);
    fill(log);
    const before = log.segmentInfos();
    log.flush();
    log.close();
    const reopened = open(SMALL, { cleanShutdown: true, recoveryPoint: 400 });
    expect(reopened.recoveryReport).toEqual({ recovered: false, truncatedBytes: 0, truncatedAtOffset: null, deletedSegments: 0, reason: null });
    // Closing may add the active segment's final time index entry; the rest is as it was.
    const withoutTimeIndex = ({ timeIndexEntries: _, ...rest }: (typeof before)[number]) => rest;
    expect(reopened.segmentInfos().map(withoutTimeIndex)).toEqual(before.map(withoutTimeIndex));
    expect(reopened.segmentInfos().slice(0, -1)).toEqual(before.slice(0, -1));
    expect(reopened.recoveryPoint).toBe(400);
    expect(readOffsets(reopened)).toEqual(range(0, 400));
  });

  it('rebuilds a missing or inconsistent index after a clean shutdown', () => {
    const log = open(SMALL);
    fill(log);
    const before = log.segmentInfos();
    log.close();
    storage.remove(`${DIR}/00000000000000000000.index`);
    const second = String(before[1].baseOffset).padStart(20, '0');
    storage.writeFileAtomic(`${DIR}/${second}.index`, Buffer.from([0, 0, 0, 1, 0, 0, 0, 7]));
    const reopened = open(SMALL, { cleanShutdown: true, recoveryPoint: 400 });
    expect(reopened.recoveryReport.recovered).toBe(true);
    expect(reopened.recoveryReport.truncatedBytes).toBe(0);
    expect(reopened.recoveryReport.reason).toMatch(/segment 0: .*missing/);
    expect(reopened.segmentInfos().map((segment) => segment.offsetIndexEntries)).toEqual(before.map((segment) => segment.offsetIndexEntries));
    expect(readOffsets(reopened)).toEqual(range(0, 400));
    reopened.close();
    expect(storage.readFile(`${DIR}/00000000000000000000.index`)?.length).toBe(8 * before[0].offsetIndexEntries);
  });

  it('removes leftover .deleted, .cleaned, .swap files and orphan indexes', () => {
    const log = open();
    log.appendAsLeader(batch(3), 0, NOW);
    log.close();
    for (const name of ['00000000000000000000.log.deleted', '00000000000000000050.log.cleaned', '00000000000000000070.log.swap', '00000000000000000090.index']) {
      storage.writeFileAtomic(`${DIR}/${name}`, 'x');
    }
    open();
    expect(storage.list(DIR)).toEqual(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex', 'leader-epoch-checkpoint']);
  });

  it('deletes segments by time below the high watermark and moves the log start offset', () => {
    const log = open({ ...SMALL, retentionMs: 60_000 });
    for (let i = 0; i < 40; i++) log.appendAsLeader(batch(10, NOW + i * 1000), 0, NOW + i * 1000);
    const segments = log.segmentInfos();
    const now = segments[2].largestTimestamp + 60_001;
    // The high watermark holds back deletion.
    expect(log.deleteOldSegments(now, segments[1].nextOffset - 1)).toBe(1);
    expect(log.logStartOffset).toBe(segments[1].baseOffset);
    expect(log.deleteOldSegments(now, 400)).toBe(2);
    expect(log.logStartOffset).toBe(segments[3].baseOffset);
    expect(storage.exists(`${DIR}/00000000000000000000.log`)).toBe(false);
    expect(storage.exists(`${DIR}/00000000000000000000.index`)).toBe(false);
    expect(storage.list(DIR).filter((name) => name.endsWith('.log'))).toHaveLength(segments.length - 3);
    expect(() => log.read(0, 100, 400)).toThrow(OffsetOutOfRangeError);
    expect(readOffsets(log)).toEqual(range(segments[3].baseOffset, 400));
    expect(log.epochs.entries()).toEqual([{ epoch: 0, startOffset: segments[3].baseOffset }]);
  });

  it('deletes every segment when all expired, rolling a new empty one first', () => {
    const log = open({ ...SMALL, retentionMs: 1000 });
    fill(log);
    const count = log.segmentCount;
    expect(log.deleteOldSegments(NOW + 100_000, 400)).toBe(count);
    expect([log.segmentCount, log.logStartOffset, log.logEndOffset, log.sizeBytes]).toEqual([1, 400, 400, 0]);
    expect(log.deleteOldSegments(NOW + 200_000, 400)).toBe(0);
  });

  it('deletes segments by size (retention.bytes)', () => {
    const log = open({ ...SMALL, retentionBytes: 20_000 });
    fill(log);
    const total = log.sizeBytes;
    const segments = log.segmentInfos();
    let expected = 0;
    let excess = total - 20_000;
    for (const segment of segments) {
      if (excess - segment.sizeBytes < 0) break;
      excess -= segment.sizeBytes;
      expected++;
    }
    expect(expected).toBeGreaterThan(0);
    expect(log.deleteOldSegments(NOW, 400)).toBe(expected);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(20_000);
    expect(log.logStartOffset).toBe(segments[expected].baseOffset);
  });

  it('deletes segments below an incremented log start offset', () => {
    const log = open(SMALL);
    fill(log);
    const segments = log.segmentInfos();
    log.incrementLogStartOffset(segments[2].baseOffset + 3);
    expect(log.logStartOffset).toBe(segments[2].baseOffset + 3);
    expect(log.deleteOldSegments(NOW, 400)).toBe(2);
    expect(log.logStartOffset).toBe(segments[2].baseOffset + 3);
    expect(() => log.incrementLogStartOffset(401)).toThrow(OffsetOutOfRangeError);
  });

  it('finds offsets by timestamp through the time index', () => {
    const log = open(SMALL);
    for (let i = 0; i < 40; i++) {
      const records = Array.from({ length: 10 }, (_, j) => ({ value: Buffer.alloc(100), timestamp: NOW + i * 100 + j * 10 }));
      log.appendAsLeader(encodeRecordBatch(records, { timestamp: NOW }), 5, NOW);
    }
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: NOW, leaderEpoch: 5 });
    expect(log.offsetForTimestamp(NOW + 1234)).toEqual({ offset: 124, timestamp: NOW + 1240, leaderEpoch: 5 });
    expect(log.offsetForTimestamp(NOW + 3990)).toEqual({ offset: 399, timestamp: NOW + 3990, leaderEpoch: 5 });
    expect(log.offsetForTimestamp(NOW + 3991)).toBeNull();
    log.incrementLogStartOffset(130);
    expect(log.offsetForTimestamp(NOW + 1234)?.offset).toBe(130);
  });

  it('answers OffsetsForLeaderEpoch from its epoch cache', () => {
    const log = open();
    log.appendAsLeader(batch(5), 1, NOW);
    log.appendAsLeader(batch(5), 3, NOW);
    log.appendAsLeader(batch(5), 3, NOW);
    expect(log.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 5 });
    expect(log.endOffsetForEpoch(2)).toEqual({ leaderEpoch: 1, endOffset: 5 });
    expect(log.endOffsetForEpoch(3)).toEqual({ leaderEpoch: 3, endOffset: 15 });
    expect(log.endOffsetForEpoch(4)).toEqual({ leaderEpoch: -1, endOffset: -1 });
  });

  it('moves the recovery point on flush and on roll', () => {
    const log = open(SMALL);
    expect(log.recoveryPoint).toBe(0);
    fill(log);
    const segments = log.segmentInfos();
    expect(log.recoveryPoint).toBe(segments[segments.length - 1].baseOffset);
    log.flush();
    expect(log.recoveryPoint).toBe(400);
  });

  it('opens at a checkpointed log start offset, dropping everything when it is past the end', () => {
    const log = open(SMALL);
    fill(log);
    log.close();
    const reopened = open(SMALL, { logStartOffset: 42 });
    expect(reopened.logStartOffset).toBe(42);
    reopened.close();
    const beyond = open(SMALL, { logStartOffset: 500 });
    expect([beyond.logStartOffset, beyond.logEndOffset, beyond.segmentCount]).toEqual([500, 500, 1]);
    expect(beyond.recoveryReport.deletedSegments).toBeGreaterThan(1);
  });

  it('delete() removes the directory', () => {
    const log = open();
    log.appendAsLeader(batch(3), 0, NOW);
    log.delete();
    expect(storage.exists(DIR)).toBe(false);
  });
});

describe('Log CRC coverage', () => {
  it('leaves the CRC valid after rewriting offsets and epoch', () => {
    const log = Log.open(new MemoryStorage(), DIR, DEFAULT_LOG_CONFIG, { recoveryPoint: 0, cleanShutdown: true, now: NOW });
    const records = batch(3);
    const crc = records.readUInt32BE(CRC_OFFSET);
    log.appendAsLeader(batch(7), 2, NOW);
    log.appendAsLeader(records, 9, NOW);
    expect(records.readUInt32BE(CRC_OFFSET)).toBe(crc);
    expect(() => decodeRecordBatches(log.read(7, 1000, 10).records, { verifyCrc: true })).not.toThrow();
  });
});
