/**
 * Kafka's LogValidator checks on produced batches, walked record by record: well-formed
 * varints of any width, offset deltas in order, keys on compacted topics, nothing left over.
 */
import { describe, expect, it } from 'vitest';
import { BATCH_LENGTH_OFFSET, CRC_OFFSET, RECORD_BATCH_OVERHEAD, computeBatchCrc } from '../../core/protocol/batch';
import { encodeRecordBatch, type RecordInput } from '../../core/protocol/records';
import { validateProducerRecords } from '../../core/kafka/validate';

const NOW = 1_700_000_000_000;

/** Re-signs a batch after an edit, as a client that sent those bytes would have. */
function resign(batch: Buffer): Buffer {
  batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), CRC_OFFSET);
  return batch;
}

const plain = (records: RecordInput[]): Buffer => encodeRecordBatch(records, { timestamp: NOW });

describe('validateProducerRecords', () => {
  it('accepts records whose lengths and deltas take several varint bytes, negative ones included', async () => {
    const batch = plain([
      { key: Buffer.alloc(200, 1), value: Buffer.alloc(70_000, 2), headers: [{ key: 'h'.repeat(130), value: Buffer.alloc(300) }] },
      { key: null, value: null, timestamp: NOW - 5_000_000 },
      ...Array.from({ length: 200 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })),
    ]);
    expect(await validateProducerRecords(batch, { requireKeys: false })).toBeNull();
    expect(await validateProducerRecords(Buffer.concat([batch, plain([{ value: Buffer.from('x') }])]), { requireKeys: false })).toBeNull();
  });

  it('rejects an offset delta out of order as INVALID_RECORD', async () => {
    const batch = plain([{ value: Buffer.from('a') }, { value: Buffer.from('b') }]);
    // Record 0: length, attributes, timestamp delta (0), offset delta (0, zigzag 0) at +3.
    expect(batch[RECORD_BATCH_OVERHEAD + 3]).toBe(0);
    batch[RECORD_BATCH_OVERHEAD + 3] = 4; // zigzag 2
    expect(await validateProducerRecords(resign(batch), { requireKeys: false })).toEqual({ error: 'INVALID_RECORD', message: 'record 0 has offset delta 2' });
  });

  it('requires keys on compacted topics', async () => {
    const batch = plain([{ key: Buffer.from('k'), value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }]);
    expect(await validateProducerRecords(batch, { requireKeys: false })).toBeNull();
    expect((await validateProducerRecords(batch, { requireKeys: true }))?.error).toBe('INVALID_RECORD');
  });

  it('rejects a record claiming more bytes than it has, and bytes after the last record, as CORRUPT_MESSAGE', async () => {
    const long = plain([{ value: Buffer.from('abc') }]);
    long[RECORD_BATCH_OVERHEAD] += 2; // zigzag length + 1
    expect(await validateProducerRecords(resign(long), { requireKeys: false })).toMatchObject({ error: 'CORRUPT_MESSAGE', message: expect.stringMatching(/claims \d+ bytes/) });

    const batch = plain([{ value: Buffer.from('abc') }]);
    const padded = Buffer.concat([batch, Buffer.from([0, 0, 0])]);
    padded.writeInt32BE(padded.readInt32BE(BATCH_LENGTH_OFFSET) + 3, BATCH_LENGTH_OFFSET);
    expect(await validateProducerRecords(resign(padded), { requireKeys: false })).toEqual({ error: 'CORRUPT_MESSAGE', message: '3 bytes follow the last record' });
  });

  it('reports a varint running past the batch', async () => {
    const batch = plain([{ value: Buffer.from('abc') }]);
    batch.fill(0xff, batch.length - 2);
    expect((await validateProducerRecords(resign(batch), { requireKeys: false }))?.error).toBe('CORRUPT_MESSAGE');
  });
});
