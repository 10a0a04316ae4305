/**
 * Reads and writes Kafka protocol messages from their schemas (schema.ts), every version:
 * fixed-width integers big-endian; strings, bytes and arrays with int16/int32 lengths in old
 * versions and "compact" unsigned-varint length+1 (0 = null) in flexible ones; and in
 * flexible versions a tagged-field section closing every struct (count, then tag, size,
 * value, all unsigned varints). Records are bytes, passed through without copying.
 */
import { inRange, type Field, type FieldType, type MessageSchema } from './schema';

/** A malformed frame: the connection that sent it is closed. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** A decoded message: field names to values. */
export type Message = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TWO_32 = 4294967296;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** Sequential reads from one frame, with bounds checks that throw ProtocolError. */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) throw new ProtocolError(`frame truncated: needed ${n} bytes at ${this.pos}, ${this.end - this.pos} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  int64(): number {
    const at = this.need(8);
    return this.buf.readInt32BE(at) * TWO_32 + this.buf.readUInt32BE(at + 4);
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  uvarint(): number {
    let value = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buf[this.need(1)];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
    throw new ProtocolError('unsigned varint longer than 5 bytes');
  }
  uuid(): string {
    const at = this.need(16);
    const hex = this.buf.toString('hex', at, at + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  /** Length of a string/bytes/array: int16/int32 or compact; -1 means null. */
  length(compact: boolean, wide: boolean): number {
    if (compact) return this.uvarint() - 1;
    return wide ? this.int32() : this.int16();
  }
  string(compact: boolean): string | null {
    const n = this.length(compact, false);
    if (n < -1) throw new ProtocolError(`negative string length ${n}`);
    if (n === -1) return null;
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }
  bytes(compact: boolean): Buffer | null {
    const n = this.length(compact, true);
    if (n < -1) throw new ProtocolError(`negative bytes length ${n}`);
    if (n === -1) return null;
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
  skip(n: number): void {
    this.need(n);
  }
}

/** Appends to a growing buffer; large byte fields are kept by reference, not copied. */
export class Writer {
  private parts: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private total = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushScratch();
    this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2, 256));
  }

  private flushScratch(): void {
    if (this.pos > 0) this.parts.push(this.buf.subarray(0, this.pos));
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }

  get size(): number {
    return this.total;
  }

  int8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
    this.total += 1;
  }
  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
    this.total += 2;
  }
  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
    this.total += 2;
  }
  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
    this.total += 4;
  }
  int64(v: number): void {
    this.ensure(8);
    const high = Math.floor(v / TWO_32);
    this.buf.writeInt32BE(high, this.pos);
    this.buf.writeUInt32BE(v - high * TWO_32, this.pos + 4);
    this.pos += 8;
    this.total += 8;
  }
  float64(v: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
    this.total += 8;
  }
  bool(v: boolean): void {
    this.int8(v ? 1 : 0);
  }
  uvarint(v: number): void {
    this.ensure(5);
    let value = v;
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
      this.total++;
    }
    this.buf[this.pos++] = value;
    this.total++;
  }
  uuid(v: string | null): void {
    const hex = (v ?? ZERO_UUID).replaceAll('-', '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new ProtocolError(`not a UUID: ${v}`);
    this.raw(Buffer.from(hex, 'hex'));
  }
  length(n: number, compact: boolean, wide: boolean): void {
    if (compact) this.uvarint(n + 1);
    else if (wide) this.int32(n);
    else this.int16(n);
  }
  string(v: string | null, compact: boolean): void {
    if (v === null) return this.length(-1, compact, false);
    const n = Buffer.byteLength(v, 'utf8');
    this.length(n, compact, false);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, 'utf8');
    this.total += n;
  }
  bytes(v: Buffer | null, compact: boolean): void {
    if (v === null) return this.length(-1, compact, true);
    this.length(v.length, compact, true);
    this.raw(v);
  }
  /** Appends bytes; large ones by reference. */
  raw(v: Buffer): void {
    if (v.length > 1024) {
      this.flushScratch();
      this.parts.push(v);
      this.total += v.length;
      return;
    }
    this.ensure(v.length);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
    this.total += v.length;
  }
  /** The written bytes, as the list of buffers to send in order. */
  finish(): Buffer[] {
    this.flushScratch();
    const parts = this.parts;
    this.parts = [];
    return parts;
  }
}

/** Whether `version` of `schema` uses compact encodings and tagged fields. */
export function isFlexible(schema: MessageSchema, version: number): boolean {
  return schema.flexibleFrom !== null && version >= schema.flexibleFrom;
}

/** Reads a message body of `schema` at `version`. */
export function decode(schema: MessageSchema, version: number, reader: Reader): Message {
  return readStruct(schema.fields, version, isFlexible(schema, version), reader);
}

/** Writes a message body of `schema` at `version`. */
export function encode(schema: MessageSchema, version: number, value: Message, writer: Writer): void {
  writeStruct(schema.fields, version, isFlexible(schema, version), value, writer);
}

function readStruct(fields: Field[], version: number, flexible: boolean, reader: Reader): Message {
  const result: Message = {};
  for (const f of fields) {
    if (f.tag !== undefined || !inRange(f.versions, version)) {
      result[f.name] = defaultValue(f, version, flexible);
      continue;
    }
    result[f.name] = readValue(f.type, f, version, flexible, reader);
  }
  if (flexible) readTaggedFields(fields, version, reader, result);
  return result;
}

function readTaggedFields(fields: Field[], version: number, reader: Reader, result: Message): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = reader.uvarint();
    const size = reader.uvarint();
    const f = fields.find((candidate) => candidate.tag === tag && inRange(candidate.versions, version));
    if (!f) {
      reader.skip(size);
      continue;
    }
    const end = reader.pos + size;
    if (end > reader.end) throw new ProtocolError(`tagged field ${tag} runs past the frame`);
    const sub = new Reader(reader.buf, reader.pos, end);
    result[f.name] = readValue(f.type, f, version, true, sub);
    reader.pos = end;
  }
}

function readValue(type: FieldType, f: Field, version: number, flexible: boolean, reader: Reader): unknown {
  if (typeof type === 'string') {
    switch (type) {
      case 'int8':
        return reader.int8();
      case 'int16':
        return reader.int16();
      case 'uint16':
        return reader.uint16();
      case 'int32':
        return reader.int32();
      case 'int64':
        return reader.int64();
      case 'float64':
        return reader.float64();
      case 'bool':
        return reader.bool();
      case 'uuid':
        return reader.uuid();
      case 'string': {
        const s = reader.string(flexible);
        if (s === null && !inRange(f.nullable ?? [Infinity], version)) throw new ProtocolError(`${f.name} may not be null in version ${version}`);
        return s;
      }
      case 'bytes':
      case 'records':
        return reader.bytes(flexible);
    }
  }
  if ('array' in type) {
    const n = reader.length(flexible, true);
    if (n === -1) {
      if (!inRange(f.nullable ?? [Infinity], version)) throw new ProtocolError(`${f.name} may not be null in version ${version}`);
      return null;
    }
    if (n < -1 || n > reader.remaining) throw new ProtocolError(`array ${f.name} claims ${n} elements with ${reader.remaining} bytes left`);
    const items: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = readValue(type.array, f, version, flexible, reader);
    return items;
  }
  return readStruct(type.struct, version, flexible, reader);
}

function writeStruct(fields: Field[], version: number, flexible: boolean, value: Message, writer: Writer): void {
  for (const f of fields) {
    if (f.tag !== undefined || !inRange(f.versions, version)) continue;
    const v = value[f.name] === undefined ? defaultValue(f, version, flexible) : value[f.name];
    writeValue(f.type, f, version, flexible, v, writer);
  }
  if (!flexible) return;
  const tagged = fields.filter((f) => f.tag !== undefined && inRange(f.versions, version) && value[f.name] !== undefined && value[f.name] !== null && value[f.name] !== f.default);
  writer.uvarint(tagged.length);
  for (const f of tagged.sort((a, b) => a.tag! - b.tag!)) {
    const sub = new Writer();
    writeValue(f.type, f, version, true, value[f.name], sub);
    writer.uvarint(f.tag!);
    writer.uvarint(sub.size);
    for (const part of sub.finish()) writer.raw(part);
  }
}

function writeValue(type: FieldType, f: Field, version: number, flexible: boolean, v: unknown, writer: Writer): void {
  if (typeof type === 'string') {
    switch (type) {
      case 'int8':
        return writer.int8(Number(v));
      case 'int16':
        return writer.int16(Number(v));
      case 'uint16':
        return writer.uint16(Number(v));
      case 'int32':
        return writer.int32(Number(v));
      case 'int64':
        return writer.int64(Number(v));
      case 'float64':
        return writer.float64(Number(v));
      case 'bool':
        return writer.bool(Boolean(v));
      case 'uuid':
        return writer.uuid(v as string | null);
      case 'string':
        return writer.string(v === null ? (inRange(f.nullable ?? [Infinity], version) ? null : '') : String(v), flexible);
      case 'bytes':
      case 'records':
        return writer.bytes((v as Buffer | null) ?? (inRange(f.nullable ?? [Infinity], version) ? null : EMPTY), flexible);
    }
  }
  if ('array' in type) {
    if (v === null || v === undefined) {
      writer.length(inRange(f.nullable ?? [Infinity], version) ? -1 : 0, flexible, true);
      return;
    }
    const items = v as unknown[];
    writer.length(items.length, flexible, true);
    for (const item of items) writeValue(type.array, f, version, flexible, item, writer);
    return;
  }
  writeStruct(type.struct, version, flexible, (v ?? {}) as Message, writer);
}

const EMPTY = Buffer.alloc(0);

/** The value of a field that a version does not carry. */
function defaultValue(f: Field, version: number, flexible: boolean): unknown {
  if (f.default !== undefined) return f.default;
  const type = f.type;
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        return false;
      case 'string':
        return '';
      case 'bytes':
      case 'records':
        return null;
      case 'uuid':
        return ZERO_UUID;
      default:
        return 0;
    }
  }
  if ('array' in type) return [];
  return readDefaults(type.struct, version, flexible);
}

function readDefaults(fields: Field[], version: number, flexible: boolean): Message {
  const result: Message = {};
  for (const f of fields) result[f.name] = defaultValue(f, version, flexible);
  return result;
}
