/**
 * RecordBatch v2 (magic 2) header layout and the checks a broker makes on a batch
 * before it stores it. The layout is Kafka's (DefaultRecordBatch.java):
 *
 *   baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 | crc u32 |
 *   attributes i16 | lastOffsetDelta i32 | firstTimestamp i64 | maxTimestamp i64 |
 *   producerId i64 | producerEpoch i16 | baseSequence i32 | recordCount i32 | records...
 *
 * batchLength counts the bytes after the batchLength field itself (size - 12). The CRC-32C
 * covers everything from attributes to the end, so baseOffset and partitionLeaderEpoch can be
 * rewritten by the broker without recomputing it.
 */
import { crc32c } from '@node-rs/crc32';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const FIRST_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
/** Size of the fixed header; records follow. */
export const RECORD_BATCH_OVERHEAD = 61;
/** baseOffset + batchLength: the part of the header not counted by batchLength. */
export const LOG_OVERHEAD = 12;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;

/** Compression codecs by their attribute value. */
export const enum CompressionCodec {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

const TWO_32 = 4294967296;

/** Reads a signed 64-bit big-endian integer as a JS number (exact below 2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

/** Writes a JS integer (|n| < 2^53) as a signed 64-bit big-endian integer. */
export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const high = Math.floor(value / TWO_32);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * TWO_32, pos + 4);
}

/** The fixed fields of one record batch, as stored. */
export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Reads the header of the batch that starts at `pos`; the caller checks there are 61 bytes. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    baseOffset: readInt64(buf, pos),
    batchLength: buf.readInt32BE(pos + BATCH_LENGTH_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(pos + MAGIC_OFFSET),
    crc: buf.readUInt32BE(pos + CRC_OFFSET),
    attributes: buf.readInt16BE(pos + ATTRIBUTES_OFFSET),
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET),
    firstTimestamp: readInt64(buf, pos + FIRST_TIMESTAMP_OFFSET),
    maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP_OFFSET),
    producerId: readInt64(buf, pos + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_OFFSET),
    recordCount: buf.readInt32BE(pos + RECORD_COUNT_OFFSET),
  };
}

/** Total size in bytes of the batch starting at `pos` (12 + batchLength). */
export function batchSizeAt(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
}

/** The offset of the last record of the batch at `pos`. */
export function lastOffsetAt(buf: Buffer, pos: number): number {
  return readInt64(buf, pos) + buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
}

/** CRC-32C of the batch at `pos` as Kafka computes it: from attributes to the end. */
export function computeBatchCrc(buf: Buffer, pos: number, size: number): number {
  return crc32c(buf.subarray(pos + ATTRIBUTES_OFFSET, pos + size)) >>> 0;
}

/** Why a batch failed validation, as Kafka's error name plus a sentence. */
export interface BatchProblem {
  error: 'CORRUPT_MESSAGE' | 'INVALID_RECORD' | 'UNSUPPORTED_COMPRESSION_TYPE' | 'UNSUPPORTED_FOR_MESSAGE_FORMAT';
  message: string;
}

/**
 * Checks the batch at `pos` for what a broker can check without decompressing: enough bytes,
 * magic 2, a length that covers the header, a consistent record count, a known codec and a
 * valid CRC (unless `verifyCrc` is false: the bytes were checked before, in this process).
 * Returns the batch size on success.
 */
export function checkBatch(buf: Buffer, pos: number, verifyCrc = true): number | BatchProblem {
  const remaining = buf.length - pos;
  if (remaining < RECORD_BATCH_OVERHEAD) {
    return { error: 'CORRUPT_MESSAGE', message: `batch header truncated: ${remaining} of ${RECORD_BATCH_OVERHEAD} bytes` };
  }
  const batchLength = buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
  const size = LOG_OVERHEAD + batchLength;
  if (size < RECORD_BATCH_OVERHEAD) {
    return { error: 'CORRUPT_MESSAGE', message: `batch length ${batchLength} is shorter than the header` };
  }
  if (size > remaining) {
    return { error: 'CORRUPT_MESSAGE', message: `batch of ${size} bytes truncated at ${remaining} bytes` };
  }
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  if (magic !== 2) {
    return { error: 'UNSUPPORTED_FOR_MESSAGE_FORMAT', message: `record batch magic ${magic} is not supported (only magic 2)` };
  }
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
  if ((attributes & COMPRESSION_CODEC_MASK) > CompressionCodec.Zstd) {
    return { error: 'UNSUPPORTED_COMPRESSION_TYPE', message: `unknown compression codec ${attributes & COMPRESSION_CODEC_MASK}` };
  }
  const recordCount = buf.readInt32BE(pos + RECORD_COUNT_OFFSET);
  const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
  if (recordCount < 0 || lastOffsetDelta < 0 || (recordCount > 0 && lastOffsetDelta < recordCount - 1)) {
    return { error: 'INVALID_RECORD', message: `record count ${recordCount} does not fit last offset delta ${lastOffsetDelta}` };
  }
  if (!verifyCrc) return size;
  const stored = buf.readUInt32BE(pos + CRC_OFFSET);
  const computed = computeBatchCrc(buf, pos, size);
  if (stored !== computed) {
    return { error: 'CORRUPT_MESSAGE', message: `CRC-32C mismatch: stored ${stored.toString(16)}, computed ${computed.toString(16)}` };
  }
  return size;
}
