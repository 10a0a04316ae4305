/**
 * The four codecs a record batch can use (attribute bits 0-2). Only the records section of a
 * batch is compressed; the header stays plain. Each codec comes in the form Kafka's clients put
 * on the wire:
 *  - gzip: a gzip member (RFC 1952), node's zlib.
 *  - snappy: raw snappy blocks (librdkafka, kafkajs, platformatic) or xerial framing
 *    (kafka-python, the Java client's SnappyOutputStream); we write raw and read both.
 *  - lz4: LZ4 frames (the format Kafka's Lz4BlockOutputStream writes for magic 2).
 *  - zstd: a zstd frame.
 */
import { gzip, gunzip, gzipSync, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import * as snappy from 'snappy';
import { compressFrame, decompressFrame, compressFrameSync, decompressFrameSync } from 'lz4-napi';
import * as zstd from '@mongodb-js/zstd';
import { CompressionCodec } from './batch';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The names Kafka uses for the codecs (compression.type), by attribute value. */
export const COMPRESSION_NAMES: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The xerial snappy-java stream header: 0x82 "SNAPPY" 0x00, then int32 version and int32 compatible version. */
export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Length of the whole xerial header (magic + version + compatible version). */
export const XERIAL_HEADER_LENGTH = 16;

/** True when `data` starts with the xerial header rather than a raw snappy block. */
export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_LENGTH && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

/** Splits a xerial stream into its raw snappy blocks (each int32 length-prefixed after the header). */
function xerialBlocks(data: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  let offset = XERIAL_HEADER_LENGTH;
  while (offset < data.length) {
    if (offset + 4 > data.length) throw new Error(`xerial snappy: chunk length truncated at byte ${offset}`);
    const length = data.readInt32BE(offset);
    offset += 4;
    if (length < 0 || offset + length > data.length) {
      throw new Error(`xerial snappy: chunk of ${length} bytes at byte ${offset - 4} overruns the ${data.length}-byte input`);
    }
    blocks.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return blocks;
}

/** Decompresses raw or xerial-framed snappy. */
async function snappyDecompress(data: Buffer): Promise<Buffer> {
  if (!isXerialFramed(data)) return (await snappy.uncompress(data, { asBuffer: true })) as Buffer;
  const parts = await Promise.all(xerialBlocks(data).map((block) => snappy.uncompress(block, { asBuffer: true }) as Promise<Buffer>));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Synchronous twin of snappyDecompress. */
function snappyDecompressSync(data: Buffer): Buffer {
  if (!isXerialFramed(data)) return snappy.uncompressSync(data, { asBuffer: true }) as Buffer;
  const parts = xerialBlocks(data).map((block) => snappy.uncompressSync(block, { asBuffer: true }) as Buffer);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

function unknownCodec(codec: number): Error {
  return new Error(`unknown compression codec ${codec} (attributes bits 0-2 must be 0-4)`);
}

/** Compresses `data` with `codec` (None returns it unchanged). */
export async function compress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case CompressionCodec.None:
      return data;
    case CompressionCodec.Gzip:
      return gzipAsync(data);
    case CompressionCodec.Snappy:
      return snappy.compress(data);
    case CompressionCodec.Lz4:
      return compressFrame(data);
    case CompressionCodec.Zstd:
      return zstd.compress(data);
    default:
      throw unknownCodec(codec);
  }
}

/** Decompresses `data` written with `codec` (snappy: raw or xerial-framed). */
export async function decompress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case CompressionCodec.None:
      return data;
    case CompressionCodec.Gzip:
      return gunzipAsync(data);
    case CompressionCodec.Snappy:
      return snappyDecompress(data);
    case CompressionCodec.Lz4:
      return decompressFrame(data);
    case CompressionCodec.Zstd:
      return zstd.decompress(data);
    default:
      throw unknownCodec(codec);
  }
}

/** True when the codec has a synchronous implementation here (all but zstd, whose library is async only). */
export function hasSyncCodec(codec: CompressionCodec): boolean {
  return codec >= CompressionCodec.None && codec <= CompressionCodec.Lz4;
}

/** Synchronous compress for None, gzip, snappy and lz4; throws for zstd. */
export function compressSync(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case CompressionCodec.None:
      return data;
    case CompressionCodec.Gzip:
      return gzipSync(data);
    case CompressionCodec.Snappy:
      return snappy.compressSync(data);
    case CompressionCodec.Lz4:
      return compressFrameSync(data);
    case CompressionCodec.Zstd:
      throw new Error('zstd has no synchronous implementation: use compress()');
    default:
      throw unknownCodec(codec);
  }
}

/** Synchronous decompress for None, gzip, snappy (raw or xerial) and lz4; throws for zstd. */
export function decompressSync(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case CompressionCodec.None:
      return data;
    case CompressionCodec.Gzip:
      return gunzipSync(data);
    case CompressionCodec.Snappy:
      return snappyDecompressSync(data);
    case CompressionCodec.Lz4:
      return decompressFrameSync(data);
    case CompressionCodec.Zstd:
      throw new Error('zstd has no synchronous implementation: use decompress()');
    default:
      throw unknownCodec(codec);
  }
}
