/**
 * The checks Kafka's LogValidator makes on a client's batch beyond its header: base offset 0,
 * no control batches, a producer id on transactional batches, and every record well formed
 * (lengths, varints, offset deltas 0..n-1 in order, keys on compacted topics). Uncompressed
 * batches are walked in place; compressed ones are decompressed with the batch's codec.
 */
import { ATTRIBUTES_OFFSET, COMPRESSION_CODEC_MASK, CONTROL_FLAG_MASK, PRODUCER_ID_OFFSET, RECORD_BATCH_OVERHEAD, RECORD_COUNT_OFFSET, TRANSACTIONAL_FLAG_MASK, batchSizeAt, checkBatch, readInt64 } from '../protocol/batch';
import { decompress } from '../protocol/compression';
import type { KafkaErrorName } from '../protocol/errors';

/** A rejected batch: Kafka's error name and a sentence. */
export interface BatchRejection {
  error: KafkaErrorName;
  message: string;
}

/** Checks every batch of a produce's records for one partition; null when all are valid. */
export async function validateProducerRecords(records: Buffer | null, options: { requireKeys: boolean }): Promise<BatchRejection | null> {
  if (!records || records.length === 0) return { error: 'CORRUPT_MESSAGE', message: 'the produce request carries no records' };
  for (let pos = 0; pos < records.length; ) {
    const checked = checkBatch(records, pos);
    if (typeof checked !== 'number') return { error: checked.error === 'UNSUPPORTED_FOR_MESSAGE_FORMAT' ? 'UNSUPPORTED_FOR_MESSAGE_FORMAT' : checked.error, message: checked.message };
    const problem = await validateBatch(records.subarray(pos, pos + checked), options);
    if (problem) return problem;
    pos += batchSizeAt(records, pos);
  }
  return null;
}

async function validateBatch(batch: Buffer, options: { requireKeys: boolean }): Promise<BatchRejection | null> {
  const attributes = batch.readInt16BE(ATTRIBUTES_OFFSET);
  if (readInt64(batch, 0) !== 0) return { error: 'INVALID_RECORD', message: `the base offset of a produced batch must be 0, not ${readInt64(batch, 0)}` };
  if (attributes & CONTROL_FLAG_MASK) return { error: 'INVALID_RECORD', message: 'clients may not produce control batches' };
  if (attributes & TRANSACTIONAL_FLAG_MASK && readInt64(batch, PRODUCER_ID_OFFSET) < 0) {
    return { error: 'INVALID_RECORD', message: 'a transactional batch must carry a producer id' };
  }
  const codec = attributes & COMPRESSION_CODEC_MASK;
  let body = batch.subarray(RECORD_BATCH_OVERHEAD);
  if (codec !== 0) {
    try {
      body = await decompress(codec, body);
    } catch (error) {
      return { error: 'CORRUPT_MESSAGE', message: `records do not decompress: ${(error as Error).message}` };
    }
  }
  return walkRecords(body, batch.readInt32BE(RECORD_COUNT_OFFSET), options.requireKeys);
}

/** Walks `count` records without allocating; the first malformed one is reported. */
export function walkRecords(body: Buffer, count: number, requireKeys: boolean): BatchRejection | null {
  pos = 0;
  try {
    for (let i = 0; i < count; i++) {
      const length = zigzag(body);
      const start = pos;
      if (length < 0 || start + length > body.length) return corrupt(`record ${i} claims ${length} bytes with ${body.length - start} left`);
      pos += 1; // attributes
      zigzag(body); // timestamp delta
      const offsetDelta = zigzag(body);
      if (offsetDelta !== i) return { error: 'INVALID_RECORD', message: `record ${i} has offset delta ${offsetDelta}` };
      const keyLength = zigzag(body);
      if (keyLength < 0 && requireKeys) return { error: 'INVALID_RECORD', message: 'a compacted topic cannot accept a record without a key' };
      if (keyLength > 0) pos += keyLength;
      const valueLength = zigzag(body);
      if (valueLength > 0) pos += valueLength;
      const headers = zigzag(body);
      if (headers < 0) return corrupt(`record ${i} has ${headers} headers`);
      for (let h = 0; h < headers; h++) {
        const headerKey = zigzag(body);
        if (headerKey < 0) return corrupt(`record ${i} has a header with no key`);
        pos += headerKey;
        const headerValue = zigzag(body);
        if (headerValue > 0) pos += headerValue;
      }
      if (pos !== start + length) return corrupt(`record ${i} is ${pos - start} bytes but claims ${length}`);
    }
  } catch {
    return corrupt('a record runs past the end of its batch');
  }
  if (pos !== body.length) return corrupt(`${body.length - pos} bytes follow the last record`);
  return null;
}

function corrupt(message: string): BatchRejection {
  return { error: 'CORRUPT_MESSAGE', message };
}

/** The walk's position in the records body (one walk runs at a time; no cursor object per walk). */
let pos = 0;

/** Reads a zigzag varlong at `pos` (records use them for every length); throws past the end. */
function zigzag(buf: Buffer): number {
  if (pos >= buf.length) throw new RangeError('varint past end');
  const first = buf[pos++];
  // Most lengths and deltas fit in one byte.
  if (first < 0x80) return first & 1 ? -((first + 1) >>> 1) : first >>> 1;
  let raw = first & 0x7f;
  let multiplier = 128;
  for (let i = 1; i < 10; i++) {
    if (pos >= buf.length) throw new RangeError('varint past end');
    const byte = buf[pos++];
    raw += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    multiplier *= 128;
  }
  throw new RangeError('varint too long');
}
