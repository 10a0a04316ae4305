/**
 * RecordBatch v2 (magic 2) encoding and decoding, laid out as Kafka's DefaultRecordBatch and
 * DefaultRecord write it. The header layout and its offsets live in batch.ts; this file writes
 * and reads the records that follow it.
 *
 * A record: length varint (of what follows), attributes i8 (unused, 0), timestampDelta varlong,
 * offsetDelta varint, key length varint (-1 = null), key, value length varint (-1 = null), value,
 * header count varint, then per header: key length varint, utf8 key, value length varint
 * (-1 = null), value. Every varint here is zigzag.
 *
 * Encoding measures everything first and writes into one Buffer; decoding returns keys and
 * values as views (subarray) into the input or into the decompressed records.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  CompressionCodec,
  FIRST_TIMESTAMP_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  computeBatchCrc,
  readBatchHeader,
  writeInt64,
  type BatchHeader,
} from './batch';
import { compress, decompress, COMPRESSION_NAMES } from './compression';
import { KafkaError } from './errors';
import { VarintError, readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong, type Cursor } from './varint';

/** A record header: Kafka requires a (utf8) key; the value may be null. */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** One record to encode; timestamp defaults to EncodeOptions.timestamp. */
export interface RecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: number;
}

/** The batch-level fields to write; defaults are what a non-idempotent producer sends. */
export interface EncodeOptions {
  /** Offset of the first record (0 from producers; the broker rewrites it). */
  baseOffset?: number;
  /** -1 from producers; the leader writes its epoch. */
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Sets the LogAppendTime timestamp type; maxTimestamp is then `timestamp`, which readers give every record. */
  logAppendTime?: boolean;
  transactional?: boolean;
  /** Marks a control batch (transaction markers); producers never send one. */
  control?: boolean;
  compression?: CompressionCodec;
  /** Timestamp for records without their own; with logAppendTime, the append time. */
  timestamp: number;
}

/** One decoded record, with absolute offset and timestamp. */
export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** A batch's header and its records. */
export interface DecodedBatch {
  header: BatchHeader;
  records: DecodedRecord[];
}

/** Options for decoding; verifyCrc recomputes each batch's CRC-32C (off by default, as consumers' check.crcs is a choice). */
export interface DecodeOptions {
  verifyCrc?: boolean;
}

// Body sizes from the measuring pass, reused by the writing pass; grown on demand and shared
// because encoding is synchronous up to the point where these are consumed.
let bodySizes = new Int32Array(1024);

/** Sizes of a record's key/value field: the length varint plus the bytes (null is varint -1, one byte). */
function bytesFieldSize(bytes: Buffer | null | undefined): number {
  return bytes == null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

/** Timestamps and the size of the uncompressed records section. */
interface Layout {
  firstTimestamp: number;
  maxTimestamp: number;
  recordsSize: number;
}

/** First pass: each record's body size into bodySizes, plus the batch timestamps. */
function measure(records: RecordInput[], options: EncodeOptions): Layout {
  const count = records.length;
  if (bodySizes.length < count) bodySizes = new Int32Array(Math.max(count, bodySizes.length * 2));
  const defaultTimestamp = options.timestamp;
  const firstTimestamp = records[0].timestamp ?? defaultTimestamp;
  let maxTimestamp = firstTimestamp;
  let recordsSize = 0;
  for (let i = 0; i < count; i++) {
    const record = records[i];
    const timestamp = record.timestamp ?? defaultTimestamp;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    // attributes (1) + timestampDelta + offsetDelta + key + value + header count
    let body = 1 + sizeOfVarlong(timestamp - firstTimestamp) + sizeOfVarint(i) + bytesFieldSize(record.key) + bytesFieldSize(record.value);
    const headers = record.headers;
    if (headers === undefined || headers.length === 0) {
      body += 1;
    } else {
      body += sizeOfVarint(headers.length);
      for (let h = 0; h < headers.length; h++) {
        const keyLength = Buffer.byteLength(headers[h].key, 'utf8');
        body += sizeOfVarint(keyLength) + keyLength + bytesFieldSize(headers[h].value);
      }
    }
    bodySizes[i] = body;
    recordsSize += sizeOfVarint(body) + body;
  }
  if (options.logAppendTime) maxTimestamp = options.timestamp;
  return { firstTimestamp, maxTimestamp, recordsSize };
}

/** Writes a key/value field at `pos`; returns the position after it. */
function writeBytesField(buf: Buffer, bytes: Buffer | null | undefined, pos: number): number {
  if (bytes == null) {
    buf[pos] = 1; // zigzag(-1)
    return pos + 1;
  }
  const length = bytes.length;
  pos = writeVarint(buf, length, pos);
  // For short values a byte loop beats the native copy's call overhead.
  if (length < 64) {
    for (let j = 0; j < length; j++) buf[pos + j] = bytes[j];
  } else {
    buf.set(bytes, pos);
  }
  return pos + length;
}

/** Second pass: writes the records at `pos` using the sizes from measure(). */
function writeRecords(buf: Buffer, pos: number, records: RecordInput[], options: EncodeOptions, firstTimestamp: number): number {
  const defaultTimestamp = options.timestamp;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    pos = writeVarint(buf, bodySizes[i], pos);
    buf[pos++] = 0; // record attributes: unused in magic 2
    pos = writeVarlong(buf, (record.timestamp ?? defaultTimestamp) - firstTimestamp, pos);
    pos = writeVarint(buf, i, pos);
    pos = writeBytesField(buf, record.key, pos);
    pos = writeBytesField(buf, record.value, pos);
    const headers = record.headers;
    if (headers === undefined || headers.length === 0) {
      buf[pos++] = 0;
    } else {
      pos = writeVarint(buf, headers.length, pos);
      for (let h = 0; h < headers.length; h++) {
        const key = headers[h].key;
        pos = writeVarint(buf, Buffer.byteLength(key, 'utf8'), pos);
        pos += buf.write(key, pos, 'utf8');
        pos = writeBytesField(buf, headers[h].value, pos);
      }
    }
  }
  return pos;
}

/** Batch attributes for these options and codec. */
function attributesFor(options: EncodeOptions, codec: CompressionCodec): number {
  let attributes = codec & COMPRESSION_CODEC_MASK;
  if (options.logAppendTime) attributes |= TIMESTAMP_TYPE_MASK;
  if (options.transactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (options.control) attributes |= CONTROL_FLAG_MASK;
  return attributes;
}

/** Writes the 61-byte header into buf[0..61) and then the CRC over the finished batch. */
function finishBatch(buf: Buffer, count: number, layout: Layout, options: EncodeOptions, attributes: number): Buffer {
  writeInt64(buf, options.baseOffset ?? 0, 0);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? -1, PARTITION_LEADER_EPOCH_OFFSET);
  buf[MAGIC_OFFSET] = 2;
  buf.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  buf.writeInt32BE(count - 1, LAST_OFFSET_DELTA_OFFSET);
  writeInt64(buf, layout.firstTimestamp, FIRST_TIMESTAMP_OFFSET);
  writeInt64(buf, layout.maxTimestamp, MAX_TIMESTAMP_OFFSET);
  writeInt64(buf, options.producerId ?? -1, PRODUCER_ID_OFFSET);
  buf.writeInt16BE(options.producerEpoch ?? -1, PRODUCER_EPOCH_OFFSET);
  buf.writeInt32BE(options.baseSequence ?? -1, BASE_SEQUENCE_OFFSET);
  buf.writeInt32BE(count, RECORD_COUNT_OFFSET);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, buf.length), CRC_OFFSET);
  return buf;
}

/** Encodes the records into a standalone records section (for compression). */
function encodeRecordsSection(records: RecordInput[], options: EncodeOptions, layout: Layout): Buffer {
  const section = Buffer.allocUnsafe(layout.recordsSize);
  writeRecords(section, 0, records, options, layout.firstTimestamp);
  return section;
}

/** Joins a header and a (compressed) records section into a finished batch. */
function assemble(records: RecordInput[], options: EncodeOptions, layout: Layout, codec: CompressionCodec, payload: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + payload.length);
  payload.copy(buf, RECORD_BATCH_OVERHEAD);
  return finishBatch(buf, records.length, layout, options, attributesFor(options, codec));
}

/**
 * Encodes one RecordBatch v2, uncompressed or gzip. No records give an empty Buffer (Kafka's
 * MemoryRecordsBuilder builds MemoryRecords.EMPTY then); other codecs need encodeRecordBatchAsync.
 */
export function encodeRecordBatch(records: RecordInput[], options: EncodeOptions): Buffer {
  if (records.length === 0) return Buffer.alloc(0);
  const codec = options.compression ?? CompressionCodec.None;
  const layout = measure(records, options);
  if (codec === CompressionCodec.None) {
    const buf = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + layout.recordsSize);
    writeRecords(buf, RECORD_BATCH_OVERHEAD, records, options, layout.firstTimestamp);
    return finishBatch(buf, records.length, layout, options, attributesFor(options, codec));
  }
  if (codec === CompressionCodec.Gzip) {
    return assemble(records, options, layout, codec, gzipSync(encodeRecordsSection(records, options, layout)));
  }
  throw new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `encodeRecordBatch handles none and gzip; use encodeRecordBatchAsync for ${codecName(codec)}`);
}

/** Encodes one RecordBatch v2 with any codec. */
export async function encodeRecordBatchAsync(records: RecordInput[], options: EncodeOptions): Promise<Buffer> {
  const codec = options.compression ?? CompressionCodec.None;
  if (records.length === 0 || codec === CompressionCodec.None) return encodeRecordBatch(records, options);
  const layout = measure(records, options);
  const section = encodeRecordsSection(records, options, layout);
  return assemble(records, options, layout, codec, await compress(codec, section));
}

function codecName(codec: number): string {
  return COMPRESSION_NAMES[codec] ?? `codec ${codec}`;
}

/** A batch found in the input, its records section still as stored (maybe compressed). */
interface StoredBatch {
  header: BatchHeader;
  codec: CompressionCodec;
  section: Buffer;
}

/** Walks the batches in `buf`, checking framing (and CRC when asked); stops at a truncated tail. */
function scanBatches(buf: Buffer, verifyCrc: boolean): StoredBatch[] {
  const batches: StoredBatch[] = [];
  let pos = 0;
  // Fewer than 12 bytes, or a batch running past the end, is a partial batch: consumers skip it.
  while (buf.length - pos >= LOG_OVERHEAD) {
    const size = LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
    if (pos + size > buf.length) break;
    if (size < RECORD_BATCH_OVERHEAD) {
      throw new KafkaError('CORRUPT_MESSAGE', `batch at byte ${pos} declares ${size} bytes, less than the ${RECORD_BATCH_OVERHEAD}-byte header`);
    }
    const magic = buf.readInt8(pos + MAGIC_OFFSET);
    if (magic !== 2) {
      throw new KafkaError('UNSUPPORTED_FOR_MESSAGE_FORMAT', `batch at byte ${pos} has magic ${magic}; only record batch v2 (magic 2) is supported`);
    }
    const header = readBatchHeader(buf, pos);
    if (verifyCrc) {
      const computed = computeBatchCrc(buf, pos, size);
      if (computed !== header.crc) {
        throw new KafkaError('CORRUPT_MESSAGE', `batch at offset ${header.baseOffset}: stored CRC-32C ${header.crc.toString(16)}, computed ${computed.toString(16)}`);
      }
    }
    const codec = (header.attributes & COMPRESSION_CODEC_MASK) as CompressionCodec;
    if (codec > CompressionCodec.Zstd) {
      throw new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `batch at offset ${header.baseOffset} uses unknown compression codec ${codec}`);
    }
    batches.push({ header, codec, section: buf.subarray(pos + RECORD_BATCH_OVERHEAD, pos + size) });
    pos += size;
  }
  return batches;
}

function invalid(header: BatchHeader, detail: string): KafkaError {
  return new KafkaError('INVALID_RECORD', `batch at offset ${header.baseOffset}: ${detail}`);
}

/** Reads a key/value/header-value field at the cursor as a view; a negative length is null, as DefaultRecord reads it. */
function readBytesField(data: Buffer, cursor: Cursor, end: number, header: BatchHeader): Buffer | null {
  const length = readVarint(data, cursor);
  if (length < 0) return null;
  const start = cursor.offset;
  if (start + length > end) throw invalid(header, `field of ${length} bytes overruns its record`);
  cursor.offset = start + length;
  return data.subarray(start, start + length);
}

/** Decodes the uncompressed records section of one batch; malformed varints become INVALID_RECORD. */
function decodeRecords(data: Buffer, header: BatchHeader): DecodedRecord[] {
  try {
    return readRecords(data, header);
  } catch (error) {
    if (error instanceof VarintError) throw invalid(header, error.message);
    throw error;
  }
}

/** The record loop of decodeRecords. */
function readRecords(data: Buffer, header: BatchHeader): DecodedRecord[] {
  const count = header.recordCount;
  if (count < 0 || count > data.length) throw invalid(header, `record count ${count} does not fit ${data.length} bytes`);
  const records: DecodedRecord[] = new Array(count);
  const cursor: Cursor = { offset: 0 };
  const { baseOffset, firstTimestamp } = header;
  // LogAppendTime: every record takes the batch's maxTimestamp, as DefaultRecordBatch reads it.
  const appendTime = header.attributes & TIMESTAMP_TYPE_MASK ? header.maxTimestamp : -1;
  for (let i = 0; i < count; i++) {
    const bodySize = readVarint(data, cursor);
    const start = cursor.offset;
    const end = start + bodySize;
    if (bodySize < 0 || end > data.length) throw invalid(header, `record ${i} declares ${bodySize} bytes, ${data.length - start} remain`);
    cursor.offset++; // record attributes: unused
    const timestampDelta = readVarlong(data, cursor);
    const offsetDelta = readVarint(data, cursor);
    const key = readBytesField(data, cursor, end, header);
    const value = readBytesField(data, cursor, end, header);
    const headerCount = readVarint(data, cursor);
    if (headerCount < 0 || headerCount > end - cursor.offset) throw invalid(header, `record ${i} has invalid header count ${headerCount}`);
    const headers: RecordHeader[] = new Array(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const keyLength = readVarint(data, cursor);
      const keyStart = cursor.offset;
      if (keyLength < 0 || keyStart + keyLength > end) throw invalid(header, `record ${i} has a header key of invalid length ${keyLength}`);
      cursor.offset = keyStart + keyLength;
      headers[h] = { key: data.toString('utf8', keyStart, keyStart + keyLength), value: readBytesField(data, cursor, end, header) };
    }
    if (cursor.offset !== end) throw invalid(header, `record ${i} declares ${bodySize} bytes but holds ${cursor.offset - start}`);
    records[i] = {
      offset: baseOffset + offsetDelta,
      timestamp: appendTime === -1 ? firstTimestamp + timestampDelta : appendTime,
      key,
      value,
      headers,
    };
  }
  // Kafka's record iterator rejects bytes left after the declared records.
  if (cursor.offset !== data.length) throw invalid(header, `${data.length - cursor.offset} bytes remain after ${count} records`);
  return records;
}

/** A codec failure on a stored batch, reported as Kafka reports it: a corrupt message. */
function decompressionFailed(header: BatchHeader, codec: CompressionCodec, error: unknown): KafkaError {
  const reason = error instanceof Error ? error.message : String(error);
  return new KafkaError('CORRUPT_MESSAGE', `batch at offset ${header.baseOffset}: ${codecName(codec)} decompression failed: ${reason}`);
}

/** Runs a synchronous decompression, turning its failure into CORRUPT_MESSAGE. */
function inflateOrThrow(header: BatchHeader, codec: CompressionCodec, inflate: () => Buffer): Buffer {
  try {
    return inflate();
  } catch (error) {
    throw decompressionFailed(header, codec, error);
  }
}

/**
 * Decodes every complete batch in `buf` (a truncated last batch is ignored, as clients do).
 * Handles uncompressed and gzip batches; other codecs need decodeRecordBatchesAsync.
 */
export function decodeRecordBatches(buf: Buffer, options?: DecodeOptions): DecodedBatch[] {
  return scanBatches(buf, options?.verifyCrc ?? false).map(({ header, codec, section }) => {
    if (codec === CompressionCodec.Gzip) section = inflateOrThrow(header, codec, () => gunzipSync(section));
    else if (codec !== CompressionCodec.None) {
      throw new KafkaError(
        'UNSUPPORTED_COMPRESSION_TYPE',
        `batch at offset ${header.baseOffset} is ${codecName(codec)}-compressed: decodeRecordBatches reads none and gzip, use decodeRecordBatchesAsync`,
      );
    }
    return { header, records: decodeRecords(section, header) };
  });
}

/** Decodes every complete batch in `buf`, whatever its codec. */
export async function decodeRecordBatchesAsync(buf: Buffer, options?: DecodeOptions): Promise<DecodedBatch[]> {
  const stored = scanBatches(buf, options?.verifyCrc ?? false);
  // Decompress the batches in parallel; the native codecs run off the main thread.
  const sections = await Promise.all(
    stored.map(({ header, codec, section }) =>
      codec === CompressionCodec.None
        ? section
        : decompress(codec, section).catch((error: unknown) => {
            throw decompressionFailed(header, codec, error);
          }),
    ),
  );
  return stored.map(({ header }, i) => ({ header, records: decodeRecords(sections[i], header) }));
}
