/**
 * Variable-length integers as Kafka writes them (ByteUtils.java): base-128 little-endian groups
 * of 7 bits, high bit set on every byte but the last. "Varint"/"varlong" are zigzag-encoded
 * (record fields); "unsigned varint" is plain (compact lengths and tagged fields of flexible
 * requests).
 *
 * Writers follow Node's Buffer convention: `write*(buf, value, offset)` returns the offset just
 * past what was written. Readers take a cursor and advance it, so a decoder can chain reads
 * without allocating a result object per value.
 */

/** A read position that the read functions advance. */
export interface Cursor {
  offset: number;
}

/** A varint that does not end within 5 bytes (or a varlong within 10): Kafka rejects both. */
export class VarintError extends RangeError {
  /** `what` says which kind was being read, for the message. */
  constructor(what: string, offset: number) {
    super(`${what} at offset ${offset} does not terminate in time (corrupt or truncated data)`);
    this.name = 'VarintError';
  }
}

/** Bytes taken by `value` (treated as uint32, so -1 takes 5) as an unsigned varint. */
export function sizeOfUnsignedVarint(value: number): number {
  const v = value >>> 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** Bytes taken by the int32 `value` as a zigzag varint. */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
}

/** Bytes taken by the integer `value` (|value| < 2^53) as a zigzag varlong. */
export function sizeOfVarlong(value: number): number {
  // Small values (every timestamp delta in practice) take the 32-bit path.
  if (value === (value | 0)) return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
  // zigzag(value) = 2 * half + sign bit: the first byte holds 6 bits of half, the rest 7 each.
  let rest = Math.floor((value >= 0 ? value : -value - 1) / 64);
  let size = 1;
  while (rest > 0) {
    size++;
    rest = Math.floor(rest / 128);
  }
  return size;
}

/** Writes `value` (uint32; an int32 is taken as its unsigned bits, as Java does) as an unsigned varint. */
export function writeUnsignedVarint(buf: Buffer, value: number, offset: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    buf[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[offset++] = v;
  return offset;
}

/** Writes the int32 `value` as a zigzag varint. */
export function writeVarint(buf: Buffer, value: number, offset: number): number {
  return writeUnsignedVarint(buf, (value << 1) ^ (value >> 31), offset);
}

/** Writes the integer `value` (|value| < 2^53) as a zigzag varlong. */
export function writeVarlong(buf: Buffer, value: number, offset: number): number {
  if (value === (value | 0)) return writeUnsignedVarint(buf, (value << 1) ^ (value >> 31), offset);
  // Work on half = zigzag >>> 1 so that no intermediate exceeds 2^53 and loses bits.
  const negative = value < 0;
  const half = negative ? -value - 1 : value;
  let rest = Math.floor(half / 64);
  let byte = ((half % 64) << 1) | (negative ? 1 : 0);
  while (rest > 0) {
    buf[offset++] = byte | 0x80;
    byte = rest % 128;
    rest = Math.floor(rest / 128);
  }
  buf[offset++] = byte;
  return offset;
}

/**
 * Reads an unsigned varint (at most 5 bytes) and returns it as a uint32. Java returns the same
 * 32 bits as a signed int; here values at or above 2^31 stay positive.
 */
export function readUnsignedVarint(buf: Buffer, cursor: Cursor): number {
  let offset = cursor.offset;
  let b = buf[offset++];
  if (b < 0x80) {
    cursor.offset = offset;
    return b;
  }
  let result = b & 0x7f;
  for (let shift = 7; shift < 35; shift += 7) {
    b = buf[offset++];
    if (b === undefined) throw new VarintError('varint', cursor.offset);
    if (shift === 28) {
      // Java keeps the fifth byte whole (shifted out past bit 31) and rejects a continuation.
      if (b >= 0x80) throw new VarintError('varint', cursor.offset);
      cursor.offset = offset;
      return (result | (b << 28)) >>> 0;
    }
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cursor.offset = offset;
      return result >>> 0;
    }
  }
  throw new VarintError('varint', cursor.offset);
}

/** Reads a zigzag varint (at most 5 bytes) as an int32. */
export function readVarint(buf: Buffer, cursor: Cursor): number {
  const offset = cursor.offset;
  const b = buf[offset];
  // One-byte fast path: record attributes, small lengths, offset deltas below 64.
  if (b < 0x80) {
    cursor.offset = offset + 1;
    return (b >>> 1) ^ -(b & 1);
  }
  const value = readUnsignedVarint(buf, cursor);
  return (value >>> 1) ^ -(value & 1);
}

/** Reads a zigzag varlong (at most 10 bytes) as a JS number, exact while |value| < 2^53. */
export function readVarlong(buf: Buffer, cursor: Cursor): number {
  let offset = cursor.offset;
  const first = buf[offset++];
  if (first === undefined) throw new VarintError('varlong', cursor.offset);
  // Accumulate half = zigzag >>> 1 directly (the sign bit is the first byte's low bit): the
  // partial sums then stay below 2^53 for every value in range.
  const negative = (first & 1) === 1;
  let half = (first & 0x7f) >>> 1;
  let b = first;
  let scale = 64;
  let count = 1;
  while (b >= 0x80) {
    if (count === 10) throw new VarintError('varlong', cursor.offset);
    b = buf[offset++];
    if (b === undefined) throw new VarintError('varlong', cursor.offset);
    half += (b & 0x7f) * scale;
    scale *= 128;
    count++;
  }
  cursor.offset = offset;
  return negative ? -half - 1 : half;
}

