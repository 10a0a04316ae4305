import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  formatCheckpoint,
  parseCheckpoint,
  readEpochCheckpoint,
  readOffsetCheckpoint,
  writeEpochCheckpoint,
  writeOffsetCheckpoint,
} from '../../core/log/checkpoint';
import { FileStorage } from '../../core/log/file-storage';
import { MemoryStorage } from '../../core/log/memory-storage';

describe('checkpoint format', () => {
  it('writes version 0, the count, then one entry a line', () => {
    expect(formatCheckpoint(['orders 0 1500', 'orders 1 1320'])).toBe('0\n2\norders 0 1500\norders 1 1320\n');
    expect(formatCheckpoint([])).toBe('0\n0\n');
  });

  it('parses what it writes', () => {
    expect(parseCheckpoint('0\n2\na.b-c 0 15\nx 3 0\n', 'f', 3)).toEqual([
      ['a.b-c', '0', '15'],
      ['x', '3', '0'],
    ]);
  });

  it.each([
    ['', /missing the version/],
    ['1\n0\n', /unrecognized version '1'/],
    ['0\nx\n', /entry count 'x'/],
    ['0\n2\norders 0 1\n', /expected 2 entries, found 1/],
    ['0\n1\norders 0\n', /entry 1 'orders 0' has 2 fields, expected 3/],
  ])('rejects %j', (text, message) => {
    expect(() => parseCheckpoint(text, 'dir/file', 3)).toThrow(CheckpointError);
    expect(() => parseCheckpoint(text, 'dir/file', 3)).toThrow(message);
  });
});

describe.each([
  ['MemoryStorage', () => ({ storage: new MemoryStorage(), cleanup: () => {} })],
  [
    'FileStorage',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerscope-checkpoint-'));
      return { storage: new FileStorage(root), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
    },
  ],
])('checkpoint files on %s', (_name, makeStorage) => {
  const { storage, cleanup } = makeStorage();
  afterEach(() => {
    for (const name of storage.list('')) storage.remove(name);
  });
  afterAll(() => cleanup());

  it('round-trips offset checkpoints', () => {
    const entries = [
      { topic: 'orders', partition: 0, offset: 1500 },
      { topic: 'my.topic-with-dashes', partition: 12, offset: 0 },
      { topic: '__consumer_offsets', partition: 49, offset: 9_007_199_254_740_991 },
    ];
    writeOffsetCheckpoint(storage, 'recovery-point-offset-checkpoint', entries);
    expect(storage.readFile('recovery-point-offset-checkpoint')?.toString()).toBe(
      '0\n3\norders 0 1500\nmy.topic-with-dashes 12 0\n__consumer_offsets 49 9007199254740991\n',
    );
    expect(readOffsetCheckpoint(storage, 'recovery-point-offset-checkpoint')).toEqual(entries);
    expect(storage.list('')).toEqual(['recovery-point-offset-checkpoint']);
  });

  it('round-trips leader epoch checkpoints', () => {
    storage.mkdirp('orders-0');
    writeEpochCheckpoint(storage, 'orders-0/leader-epoch-checkpoint', [
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 120 },
    ]);
    expect(storage.readFile('orders-0/leader-epoch-checkpoint')?.toString()).toBe('0\n2\n0 0\n3 120\n');
    expect(readEpochCheckpoint(storage, 'orders-0/leader-epoch-checkpoint')).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 120 },
    ]);
  });

  it('reads a missing file as empty and rejects a malformed one', () => {
    expect(readOffsetCheckpoint(storage, 'replication-offset-checkpoint')).toEqual([]);
    storage.writeFileAtomic('replication-offset-checkpoint', '0\n1\norders zero 5\n');
    expect(() => readOffsetCheckpoint(storage, 'replication-offset-checkpoint')).toThrow(/malformed checkpoint file replication-offset-checkpoint: partition 'zero'/);
    storage.writeFileAtomic('log-start-offset-checkpoint', '0\n1\norders 0 -5\n');
    expect(() => readOffsetCheckpoint(storage, 'log-start-offset-checkpoint')).toThrow(CheckpointError);
  });
});
