import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecordBatches, encodeRecordBatch } from '../../core/protocol/records';
import { FileStorage } from '../../core/log/file-storage';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../core/log/log';
import { LogManager, MetaPropertiesError, parseTopicPartition, type LogManagerOptions } from '../../core/log/log-manager';
import { MemoryStorage } from '../../core/log/memory-storage';
import type { Storage } from '../../core/log/storage';

const NOW = 1_700_000_000_000;
const DATA_DIR = 'broker-1';
const CONFIG: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 8192 };
const OPTIONS: LogManagerOptions = { nodeId: 1, clusterId: 'MkU3OEVBNTcwNTJENDM2Qk', now: NOW, configFor: () => CONFIG };

function batch(count: number): Buffer {
  return encodeRecordBatch(
    Array.from({ length: count }, (_, i) => ({ value: Buffer.alloc(100, i) })),
    { timestamp: NOW },
  );
}

describe('parseTopicPartition', () => {
  it('takes the partition after the last dash', () => {
    expect(parseTopicPartition('orders-0')).toEqual({ topic: 'orders', partition: 0 });
    expect(parseTopicPartition('my-topic.v2-17')).toEqual({ topic: 'my-topic.v2', partition: 17 });
    expect(parseTopicPartition('__consumer_offsets-49')).toEqual({ topic: '__consumer_offsets', partition: 49 });
    expect(parseTopicPartition('meta.properties')).toBeNull();
    expect(parseTopicPartition('orders-0.abc-delete')).toBeNull();
    expect(parseTopicPartition('orders-0.abc-future')).toBeNull();
  });
});

describe.each([
  ['MemoryStorage', () => ({ storage: new MemoryStorage() as Storage, cleanup: () => {} })],
  [
    'FileStorage',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brokerscope-manager-'));
      return { storage: new FileStorage(root) as Storage, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
    },
  ],
])('LogManager on %s', (_name, makeStorage) => {
  let storage: Storage;
  let cleanup: () => void;
  let manager: LogManager | undefined;

  beforeEach(() => {
    ({ storage, cleanup } = makeStorage());
  });
  afterEach(() => {
    manager?.crash();
    manager = undefined;
    cleanup();
  });

  function open(options: Partial<LogManagerOptions> = {}): LogManager {
    manager?.crash();
    manager = LogManager.open(storage, DATA_DIR, { ...OPTIONS, ...options });
    return manager;
  }

  /** Three partitions with some records each, across segment rolls for orders-0. */
  function populate(logs: LogManager): void {
    const orders0 = logs.getOrCreateLog('orders', 0, CONFIG);
    for (let i = 0; i < 20; i++) orders0.appendAsLeader(batch(10), 1, NOW);
    logs.getOrCreateLog('orders', 1, CONFIG).appendAsLeader(batch(5), 2, NOW);
    logs.getOrCreateLog('my-topic.v2', 3, CONFIG).appendAsLeader(batch(7), 0, NOW);
  }

  it('writes meta.properties and the data dir layout', () => {
    const logs = open();
    populate(logs);
    logs.shutdown(new Map([['orders-0', 150], ['orders-1', 5], ['my-topic.v2-3', 7]]));
    manager = undefined;
    expect(storage.list(DATA_DIR)).toEqual([
      '.kafka_cleanshutdown',
      '.lock',
      'log-start-offset-checkpoint',
      'meta.properties',
      'my-topic.v2-3',
      'orders-0',
      'orders-1',
      'recovery-point-offset-checkpoint',
      'replication-offset-checkpoint',
    ]);
    const meta = storage.readFile(`${DATA_DIR}/meta.properties`)!.toString();
    expect(meta).toMatch(/^#\n#Tue Nov 14 22:13:20 UTC 2023\n/);
    expect(meta.split('\n').slice(2)).toEqual(['cluster.id=MkU3OEVBNTcwNTJENDM2Qk', 'node.id=1', 'version=1', '']);
    expect(storage.readFile(`${DATA_DIR}/replication-offset-checkpoint`)!.toString()).toBe('0\n3\norders 0 150\norders 1 5\nmy-topic.v2 3 7\n');
    expect(storage.readFile(`${DATA_DIR}/recovery-point-offset-checkpoint`)!.toString()).toBe('0\n3\norders 0 200\norders 1 5\nmy-topic.v2 3 7\n');
    expect(storage.list(`${DATA_DIR}/orders-1`)).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'leader-epoch-checkpoint',
    ]);
  });

  it('reopens after a clean shutdown with everything restored and no scan', () => {
    let logs = open();
    populate(logs);
    logs.getLog('orders', 0)!.incrementLogStartOffset(42);
    const segments = logs.getLog('orders', 0)!.segmentCount;
    logs.shutdown(new Map([['orders-0', 150]]));
    logs = open();
    expect(logs.cleanShutdown).toBe(true);
    expect(storage.exists(`${DATA_DIR}/.kafka_cleanshutdown`)).toBe(false);
    expect([...logs.highWatermarks]).toEqual([['orders-0', 150]]);
    const keys = [...logs.allLogs()].map(([key]) => key);
    expect(keys).toEqual([
      { topic: 'my-topic.v2', partition: 3 },
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
    const orders0 = logs.getLog('orders', 0)!;
    expect([orders0.logStartOffset, orders0.logEndOffset, orders0.segmentCount, orders0.recoveryPoint]).toEqual([42, 200, segments, 200]);
    expect(orders0.recoveryReport.recovered).toBe(false);
    expect(orders0.epochs.entries()).toEqual([{ epoch: 1, startOffset: 42 }]);
    expect(logs.getLog('orders', 1)!.epochs.latestEpoch).toBe(2);
    const records = decodeRecordBatches(logs.getLog('my-topic.v2', 3)!.read(0, 1 << 20, 7).records);
    expect(records[0].records.map((record) => record.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('recovers every log from its recovery point after a crash', () => {
    let logs = open();
    populate(logs);
    logs.checkpoint(new Map([['orders-0', 100]]));
    logs.getLog('orders', 1)!.appendAsLeader(batch(5), 2, NOW);
    logs.crash();
    // The last batch of orders-1 was half written when the broker died.
    const file = `${DATA_DIR}/orders-1/00000000000000000000.log`;
    const data = storage.readFile(file)!;
    storage.writeFileAtomic(file, data.subarray(0, data.length - 50));
    logs = open();
    expect(logs.cleanShutdown).toBe(false);
    const orders1 = logs.getLog('orders', 1)!;
    expect(orders1.recoveryReport).toMatchObject({ recovered: true, truncatedBytes: batch(5).length - 50, truncatedAtOffset: 5 });
    expect(orders1.logEndOffset).toBe(5);
    expect(orders1.recoveryPoint).toBe(5);
    const orders0 = logs.getLog('orders', 0)!;
    expect(orders0.recoveryReport).toMatchObject({ recovered: true, truncatedBytes: 0 });
    expect(orders0.logEndOffset).toBe(200);
    expect(logs.highWatermarks.get('orders-0')).toBe(100);
  });

  it('rejects a data dir of another node or cluster', () => {
    open().shutdown(new Map());
    manager = undefined;
    expect(() => open({ nodeId: 2 })).toThrow(MetaPropertiesError);
    manager = undefined;
    expect(() => open({ clusterId: 'another' })).toThrow(/cluster.id/);
    manager = undefined;
    expect(open().cleanShutdown).toBe(true);
  });

  it('deletes a log and finishes deletions a crash interrupted', () => {
    let logs = open();
    populate(logs);
    logs.deleteLog('orders', 1);
    expect(logs.getLog('orders', 1)).toBeUndefined();
    expect(storage.list(DATA_DIR).filter((name) => name.startsWith('orders'))).toEqual(['orders-0']);
    logs.crash();
    storage.mkdirp(`${DATA_DIR}/orders-0.0123456789abcdef0123456789abcdef-delete`);
    storage.writeFileAtomic(`${DATA_DIR}/orders-0.0123456789abcdef0123456789abcdef-delete/00000000000000000000.log`, 'x');
    logs = open();
    expect([...logs.allLogs()].map(([key]) => `${key.topic}-${key.partition}`)).toEqual(['my-topic.v2-3', 'orders-0']);
    expect(storage.list(DATA_DIR).some((name) => name.endsWith('-delete'))).toBe(false);
  });

  it('keeps the last checkpointed high watermark for logs the caller did not mention', () => {
    const logs = open();
    populate(logs);
    logs.checkpoint(new Map([['orders-0', 100], ['orders-1', 5]]));
    logs.checkpoint(new Map([['orders-0', 120]]));
    expect(storage.readFile(`${DATA_DIR}/replication-offset-checkpoint`)!.toString()).toBe('0\n2\norders 0 120\norders 1 5\n');
  });

  it('rejects invalid topic names', () => {
    const logs = open();
    expect(() => logs.getOrCreateLog('a/b', 0, CONFIG)).toThrow(RangeError);
    expect(() => logs.getOrCreateLog('orders', -1, CONFIG)).toThrow(RangeError);
  });
});
