/**
 * Kafka's fixed-width protocol types (the non-flexible versions of its message schemas):
 * big-endian int16/int32/int64, strings with an int16 length (-1: null), bytes with an int32
 * length (-1: null) and arrays with an int32 count. The consumer protocol's subscription and
 * assignment and the records of __consumer_offsets are all written in these types.
 */

/** Data that does not parse as the schema expects (Kafka's SchemaException). */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** Appends fields to a growing buffer. */
export class WireWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialBytes = 64) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  int16(value: number): this {
    this.ensure(2);
    this.position = this.buffer.writeInt16BE(value, this.position);
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.position = this.buffer.writeInt32BE(value, this.position);
    return this;
  }

  int64(value: number): this {
    this.ensure(8);
    this.position = this.buffer.writeBigInt64BE(BigInt(value), this.position);
    return this;
  }

  /** A non-null string (int16 length, UTF-8). */
  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0x7fff) throw new SchemaError(`string of ${bytes.length} bytes is longer than 32767`);
    this.int16(bytes.length);
    return this.raw(bytes);
  }

  /** A nullable string: length -1 for null. */
  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  /** Nullable bytes: int32 length (-1 for null), then the bytes. */
  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  /** An array: int32 count, then each element as `write` puts it. */
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  private raw(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.position);
    this.position += bytes.length;
    return this;
  }

  /** The bytes written so far (a copy, so the writer may be reused). */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.position));
  }
}

/** Reads fields in order, failing with SchemaError past the end of the data. */
export class WireReader {
  private position = 0;

  constructor(
    private readonly buffer: Buffer,
    /** What is being read, for error messages. */
    private readonly what: string,
  ) {}

  private need(bytes: number): void {
    if (this.position + bytes > this.buffer.length) {
      throw new SchemaError(`Buffer underflow while parsing ${this.what}`);
    }
  }

  /** Whether bytes are left to read. */
  get remaining(): number {
    return this.buffer.length - this.position;
  }

  int16(): number {
    this.need(2);
    const value = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  int64(): number {
    this.need(8);
    const value = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return Number(value);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new SchemaError(`null where ${this.what} needs a string`);
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    this.need(length);
    const value = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return value;
  }

  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    this.need(length);
    const value = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** An array of elements read by `read`; a negative count is an error (arrays here are not nullable). */
  array<T>(read: () => T): T[] {
    const count = this.int32();
    if (count < 0) throw new SchemaError(`null array in ${this.what}`);
    // Every element takes at least one byte: a count past the data is corrupt, not a huge array.
    if (count > this.remaining) throw new SchemaError(`Buffer underflow while parsing ${this.what}`);
    const items: T[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = read();
    return items;
  }
}
