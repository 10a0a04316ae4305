import { describe, it, expect } from 'vitest';
import { compressSync as snappyRaw } from 'snappy';
import { CompressionCodec, RECORD_BATCH_OVERHEAD, checkBatch, computeBatchCrc, readBatchHeader } from '../../core/protocol/batch';
import { compress, decompress, decompressSync, isXerialFramed, XERIAL_MAGIC } from '../../core/protocol/compression';
import { KafkaError } from '../../core/protocol/errors';
import {
  decodeRecordBatches,
  decodeRecordBatchesAsync,
  encodeRecordBatch,
  encodeRecordBatchAsync,
  type DecodedRecord,
  type RecordInput,
} from '../../core/protocol/records';
import {
  VarintError,
  readUnsignedVarint,
  readVarint,
  readVarlong,
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
} from '../../core/protocol/varint';

/** Bitwise CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), independent of the library. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const text = (b: Buffer | null) => (b === null ? null : b.toString());

/** Records reduced to comparable plain values. */
function plain(records: DecodedRecord[]) {
  return records.map((r) => ({
    offset: r.offset,
    timestamp: r.timestamp,
    key: text(r.key),
    value: text(r.value),
    headers: r.headers.map((h) => [h.key, text(h.value)]),
  }));
}

describe('varint (vectors from Kafka ByteUtilsTest)', () => {
  const unsigned: [number, string][] = [
    [0, '00'], [-1, 'ffffffff0f'], [1, '01'], [63, '3f'], [-64, 'c0ffffff0f'], [64, '40'], [8191, 'ff3f'],
    [-8192, '80c0ffff0f'], [8192, '8040'], [-8193, 'ffbfffff0f'], [1048575, 'ffff3f'], [1048576, '808040'],
    [2147483647, 'ffffffff07'], [-2147483648, '8080808008'],
  ];
  const zigzag: [number, string][] = [
    [0, '00'], [-1, '01'], [1, '02'], [63, '7e'], [-64, '7f'], [64, '8001'], [-65, '8101'], [8191, 'fe7f'],
    [-8192, 'ff7f'], [8192, '808001'], [-8193, '818001'], [1048575, 'feff7f'], [-1048576, 'ffff7f'],
    [1048576, '80808001'], [-1048577, '81808001'], [134217727, 'feffff7f'], [-134217728, 'ffffff7f'],
    [134217728, '8080808001'], [-134217729, '8180808001'], [2147483647, 'feffffff0f'], [-2147483648, 'ffffffff0f'],
  ];
  const longOnly: [number, string][] = [
    [17179869183, 'feffffff7f'], [-17179869184, 'ffffffff7f'], [17179869184, '808080808001'], [-17179869185, '818080808001'],
  ];

  it('writes and reads unsigned varints as Java does', () => {
    for (const [value, bytes] of unsigned) {
      const buf = Buffer.alloc(8);
      const end = writeUnsignedVarint(buf, value, 1);
      expect(buf.subarray(1, end).toString('hex'), String(value)).toBe(bytes);
      expect(sizeOfUnsignedVarint(value)).toBe(bytes.length / 2);
      const cursor = { offset: 1 };
      expect(readUnsignedVarint(buf, cursor)).toBe(value >>> 0);
      expect(cursor.offset).toBe(end);
    }
  });

  it('writes and reads zigzag varints and varlongs', () => {
    for (const [value, bytes] of [...zigzag, ...longOnly]) {
      const buf = Buffer.alloc(12);
      const end = writeVarlong(buf, value, 0);
      expect(buf.subarray(0, end).toString('hex'), String(value)).toBe(bytes);
      expect(sizeOfVarlong(value)).toBe(bytes.length / 2);
      expect(readVarlong(buf, { offset: 0 })).toBe(value);
    }
    for (const [value, bytes] of zigzag) {
      const buf = Buffer.alloc(8);
      const end = writeVarint(buf, value, 0);
      expect(buf.subarray(0, end).toString('hex'), String(value)).toBe(bytes);
      expect(sizeOfVarint(value)).toBe(bytes.length / 2);
      expect(readVarint(buf, { offset: 0 })).toBe(value);
    }
  });

  it('round-trips varlongs up to 2^53 against a BigInt zigzag', () => {
    const values = [2 ** 53 - 1, -(2 ** 53), 2 ** 31, -(2 ** 31) - 1, 1700000000000, -1700000000000, 2 ** 40 + 12345];
    for (let i = 0; i < 200; i++) values.push(Math.floor((Math.random() - 0.5) * 2 ** 54));
    for (const value of values) {
      const big = BigInt(value);
      let zz = big >= 0n ? big * 2n : -big * 2n - 1n;
      const expected: number[] = [];
      while (zz >= 0x80n) {
        expected.push(Number(zz & 0x7fn) | 0x80);
        zz >>= 7n;
      }
      expected.push(Number(zz));
      const buf = Buffer.alloc(10);
      const end = writeVarlong(buf, value, 0);
      expect([...buf.subarray(0, end)], String(value)).toEqual(expected);
      expect(sizeOfVarlong(value)).toBe(expected.length);
      expect(readVarlong(buf, { offset: 0 })).toBe(value);
    }
  });

  it('rejects a varint longer than 5 bytes and a varlong longer than 10', () => {
    expect(() => readVarint(hex('ffffffff80'), { offset: 0 })).toThrow(VarintError);
    expect(() => readVarint(hex('ff'), { offset: 0 })).toThrow(VarintError);
    expect(() => readVarlong(hex('ffffffffffffffffffff01'), { offset: 0 })).toThrow(VarintError);
  });
});

describe('encodeRecordBatch layout', () => {
  it('writes a one-record batch byte for byte as hand-computed (and as kafkajs 2.2.4 encodes it)', () => {
    const batch = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v') }], { timestamp: 1000 });
    const record = hex('10 00 00 00 02 6b 02 76 00'); // length 8, attributes, ts delta 0, offset delta 0, key "k", value "v", 0 headers
    const afterCrc = hex(
      '0000' + // attributes
        '00000000' + // lastOffsetDelta
        '00000000000003e8' + // firstTimestamp 1000
        '00000000000003e8' + // maxTimestamp 1000
        'ffffffffffffffff' + // producerId -1
        'ffff' + // producerEpoch -1
        'ffffffff' + // baseSequence -1
        '00000001', // recordCount
    );
    const crcInput = Buffer.concat([afterCrc, record]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(referenceCrc32c(crcInput));
    const expected = Buffer.concat([
      hex('0000000000000000'), // baseOffset
      hex('0000003a'), // batchLength 70 - 12
      hex('ffffffff'), // partitionLeaderEpoch -1
      hex('02'), // magic
      crc,
      crcInput,
    ]);
    expect(batch.toString('hex')).toBe(expected.toString('hex'));
    expect(crc.toString('hex')).toBe('716a6189');
    expect(checkBatch(batch, 0)).toBe(70);
  });

  it('matches kafkajs 2.2.4 on a batch with nulls, headers, a negative delta and a >2^31 delta', () => {
    // Produced by kafkajs' RecordBatch/Record encoders with the same fields; decoded back by kafkajs too.
    const kafkajs =
      '0000011f71fb04cb0000013f0000000702c1d825c00010000000030000018bcfe568000000018c4fe5680500000000ee6b28000003000000110000000416000000010a68656c6c6f003c00e807020e757365722d343201040a74726163650474310a656d70747900a403009f9c0104026b9003' +
      '78'.repeat(200) +
      '001c008a808080100600086c61746500';
    const records: RecordInput[] = [
      { key: null, value: Buffer.from('hello'), timestamp: 1700000000000 },
      { key: Buffer.from('user-42'), value: null, timestamp: 1700000000500, headers: [{ key: 'trace', value: Buffer.from('t1') }, { key: 'empty', value: Buffer.alloc(0) }] },
      { key: Buffer.from('k'), value: Buffer.from('x'.repeat(200)), timestamp: 1699999990000 },
      { key: Buffer.alloc(0), value: Buffer.from('late'), timestamp: 1700000000000 + 2 ** 31 + 5 },
    ];
    const batch = encodeRecordBatch(records, {
      timestamp: 0, baseOffset: 1234567890123, partitionLeaderEpoch: 7, producerId: 4000000000, producerEpoch: 3, baseSequence: 17, transactional: true,
    });
    expect(batch.toString('hex')).toBe(kafkajs);
    const [decoded] = decodeRecordBatches(batch, { verifyCrc: true });
    expect(decoded.header).toMatchObject({
      baseOffset: 1234567890123, partitionLeaderEpoch: 7, attributes: 0x10, lastOffsetDelta: 3, firstTimestamp: 1700000000000,
      maxTimestamp: 1700000000000 + 2 ** 31 + 5, producerId: 4000000000, producerEpoch: 3, baseSequence: 17, recordCount: 4,
    });
    expect(plain(decoded.records)).toEqual([
      { offset: 1234567890123, timestamp: 1700000000000, key: null, value: 'hello', headers: [] },
      { offset: 1234567890124, timestamp: 1700000000500, key: 'user-42', value: null, headers: [['trace', 't1'], ['empty', '']] },
      { offset: 1234567890125, timestamp: 1699999990000, key: 'k', value: 'x'.repeat(200), headers: [] },
      { offset: 1234567890126, timestamp: 1700000000000 + 2 ** 31 + 5, key: '', value: 'late', headers: [] },
    ]);
  });

  it('computes a CRC-32C over attributes..end that the independent implementation agrees with', () => {
    expect(referenceCrc32c(Buffer.from('123456789'))).toBe(0xe3069283); // the standard CRC-32C check value
    const batch = encodeRecordBatch([{ value: Buffer.from('payload') }, { value: null }], { timestamp: 5, baseOffset: 99 });
    const stored = batch.readUInt32BE(17);
    expect(stored).toBe(referenceCrc32c(batch.subarray(21)));
    expect(stored).toBe(computeBatchCrc(batch, 0, batch.length));
  });

  it('sets attributes for codec, LogAppendTime, transactional and control', () => {
    const records = [{ value: Buffer.from('a'), timestamp: 10 }, { value: Buffer.from('b'), timestamp: 30 }];
    expect(readBatchHeader(encodeRecordBatch(records, { timestamp: 0 })).attributes).toBe(0);
    expect(readBatchHeader(encodeRecordBatch(records, { timestamp: 0, compression: CompressionCodec.Gzip })).attributes).toBe(1);
    expect(readBatchHeader(encodeRecordBatch(records, { timestamp: 0, transactional: true })).attributes).toBe(0x10);
    expect(readBatchHeader(encodeRecordBatch(records, { timestamp: 0, control: true, transactional: true })).attributes).toBe(0x30);
    const appended = encodeRecordBatch(records, { timestamp: 500, logAppendTime: true });
    const header = readBatchHeader(appended);
    expect(header.attributes).toBe(0x08);
    expect(header.firstTimestamp).toBe(10);
    expect(header.maxTimestamp).toBe(500);
    // Readers give every record of a LogAppendTime batch the batch's maxTimestamp.
    expect(decodeRecordBatches(appended)[0].records.map((r) => r.timestamp)).toEqual([500, 500]);
    const created = readBatchHeader(encodeRecordBatch(records, { timestamp: 0 }));
    expect([created.firstTimestamp, created.maxTimestamp]).toEqual([10, 30]);
  });

  it('returns an empty buffer for no records', () => {
    expect(encodeRecordBatch([], { timestamp: 1 }).length).toBe(0);
    expect(decodeRecordBatches(Buffer.alloc(0))).toEqual([]);
  });
});

describe('decodeRecordBatches', () => {
  const records: RecordInput[] = Array.from({ length: 50 }, (_, i) => ({
    key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
    value: i % 7 === 0 ? null : Buffer.from(`value ${i} `.repeat(i)),
    headers: i % 5 === 0 ? [{ key: `h${i}`, value: Buffer.from('x') }, { key: 'ünïcode', value: null }] : undefined,
    timestamp: i % 4 === 0 ? undefined : 1_600_000_000_000 + i * 1000 - 25_000,
  }));
  const expected = records.map((r, i) => ({
    offset: 1000 + i,
    timestamp: r.timestamp ?? 1_600_000_000_000,
    key: text(r.key ?? null),
    value: text(r.value),
    headers: (r.headers ?? []).map((h) => [h.key, text(h.value)]),
  }));
  const options = { timestamp: 1_600_000_000_000, baseOffset: 1000 };

  it('round-trips keys, values, nulls, headers and timestamps', () => {
    const batch = encodeRecordBatch(records, options);
    expect(checkBatch(batch, 0)).toBe(batch.length);
    const decoded = decodeRecordBatches(batch, { verifyCrc: true });
    expect(decoded).toHaveLength(1);
    expect(plain(decoded[0].records)).toEqual(expected);
    // Keys and values are views into the input, not copies.
    const value = decoded[0].records[1].value!;
    expect(value.buffer).toBe(batch.buffer);
  });

  it('reads several batches in a row and ignores a truncated last one', () => {
    const first = encodeRecordBatch(records.slice(0, 10), { ...options });
    const second = encodeRecordBatch(records.slice(10, 20), { ...options, baseOffset: 1010 });
    const both = Buffer.concat([first, second]);
    expect(decodeRecordBatches(both).map((b) => b.records.length)).toEqual([10, 10]);
    for (const cut of [1, 11, 12, 40, 61, second.length - 1]) {
      const truncated = both.subarray(0, first.length + cut);
      const decoded = decodeRecordBatches(truncated, { verifyCrc: true });
      expect(decoded.map((b) => b.header.baseOffset), `cut ${cut}`).toEqual([1000]);
    }
  });

  it('detects a corrupt CRC only when asked to verify', () => {
    const batch = Buffer.from(encodeRecordBatch(records.slice(0, 3), options));
    batch[batch.length - 3] ^= 0xff;
    expect(() => decodeRecordBatches(batch, { verifyCrc: true })).toThrow(/CORRUPT_MESSAGE: .*CRC-32C/);
    try {
      decodeRecordBatches(batch, { verifyCrc: true });
    } catch (error) {
      expect(error).toBeInstanceOf(KafkaError);
      expect((error as KafkaError).code).toBe(2);
    }
    expect(() => decodeRecordBatches(batch)).not.toThrow();
  });

  it('rejects other magic values and malformed records', () => {
    const batch = Buffer.from(encodeRecordBatch(records.slice(0, 2), options));
    const oldMagic = Buffer.from(batch);
    oldMagic[16] = 1;
    expect(() => decodeRecordBatches(oldMagic)).toThrow(/UNSUPPORTED_FOR_MESSAGE_FORMAT/);
    const badLength = Buffer.from(batch);
    badLength[RECORD_BATCH_OVERHEAD] = 0x7e; // first record claims 63 bytes
    expect(() => decodeRecordBatches(badLength)).toThrow(/INVALID_RECORD/);
    const extraCount = Buffer.from(batch);
    extraCount.writeInt32BE(3, 57);
    expect(() => decodeRecordBatches(extraCount)).toThrow(/INVALID_RECORD/);
  });
});

describe('compression', () => {
  const records: RecordInput[] = Array.from({ length: 200 }, (_, i) => ({
    key: Buffer.from(`user-${i % 17}`),
    value: Buffer.from(JSON.stringify({ id: i, name: `name ${i}`, tags: ['a', 'b', 'c'] })),
    headers: i % 10 === 0 ? [{ key: 'source', value: Buffer.from('test') }] : [],
    timestamp: 1_700_000_000_000 + i,
  }));
  const codecs = [CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];

  it.each(codecs)('codec %i round-trips through encodeRecordBatchAsync / decodeRecordBatchesAsync', async (codec) => {
    const batch = await encodeRecordBatchAsync(records, { timestamp: 0, compression: codec, baseOffset: 5 });
    expect(checkBatch(batch, 0)).toBe(batch.length);
    expect(readBatchHeader(batch).attributes & 7).toBe(codec);
    if (codec !== CompressionCodec.None) expect(batch.length).toBeLessThan(encodeRecordBatch(records, { timestamp: 0 }).length / 2);
    const [decoded] = await decodeRecordBatchesAsync(batch, { verifyCrc: true });
    expect(decoded.records).toHaveLength(200);
    expect(decoded.records[199].offset).toBe(204);
    expect(plain(decoded.records)).toEqual(plain(decodeRecordBatches(encodeRecordBatch(records, { timestamp: 0, baseOffset: 5 }))[0].records));
  });

  it('decodes gzip synchronously and refuses other codecs there with a clear error', async () => {
    const gzip = encodeRecordBatch(records, { timestamp: 0, compression: CompressionCodec.Gzip });
    expect(decodeRecordBatches(gzip)[0].records).toHaveLength(200);
    const lz4 = await encodeRecordBatchAsync(records, { timestamp: 0, compression: CompressionCodec.Lz4 });
    expect(() => decodeRecordBatches(lz4)).toThrow(/lz4-compressed.*decodeRecordBatchesAsync/);
    expect(() => encodeRecordBatch(records, { timestamp: 0, compression: CompressionCodec.Zstd })).toThrow(/encodeRecordBatchAsync for zstd/);
  });

  it('round-trips each codec through compress/decompress', async () => {
    const data = Buffer.from('Brokerscope '.repeat(1000));
    for (const codec of codecs) {
      const packed = await compress(codec, data);
      expect((await decompress(codec, packed)).equals(data), `codec ${codec}`).toBe(true);
    }
  });

  it('reads xerial-framed snappy as kafka-python writes it', async () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
    const chunks = [data.subarray(0, 20000), data.subarray(20000)];
    const header = Buffer.alloc(16);
    XERIAL_MAGIC.copy(header, 0);
    header.writeInt32BE(1, 8); // version
    header.writeInt32BE(1, 12); // compatible version
    const framed = Buffer.concat([
      header,
      ...chunks.flatMap((chunk) => {
        const block = snappyRaw(chunk);
        const length = Buffer.alloc(4);
        length.writeInt32BE(block.length);
        return [length, block];
      }),
    ]);
    expect(framed.subarray(0, 8).toString('latin1')).toBe('\x82SNAPPY\x00');
    expect(isXerialFramed(framed)).toBe(true);
    expect((await decompress(CompressionCodec.Snappy, framed)).equals(data)).toBe(true);
    expect(decompressSync(CompressionCodec.Snappy, framed).equals(data)).toBe(true);
    expect(isXerialFramed(snappyRaw(data))).toBe(false);

    // A whole batch whose records are xerial-framed, CRC recomputed over the new bytes.
    const plainBatch = encodeRecordBatch(records, { timestamp: 0 });
    const section = plainBatch.subarray(RECORD_BATCH_OVERHEAD);
    const half = Math.floor(section.length / 2);
    const frame = (chunk: Buffer) => {
      const block = snappyRaw(chunk);
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      return [length, block];
    };
    const xerialSection = Buffer.concat([header, ...frame(section.subarray(0, half)), ...frame(section.subarray(half))]);
    const batch = Buffer.concat([plainBatch.subarray(0, RECORD_BATCH_OVERHEAD), xerialSection]);
    batch.writeInt32BE(batch.length - 12, 8);
    batch.writeInt16BE(CompressionCodec.Snappy, 21);
    batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), 17);
    const [decoded] = await decodeRecordBatchesAsync(batch, { verifyCrc: true });
    expect(plain(decoded.records)).toEqual(plain(decodeRecordBatches(plainBatch)[0].records));
  });

  it('reports a damaged compressed payload as CORRUPT_MESSAGE', async () => {
    const batch = Buffer.from(await encodeRecordBatchAsync(records, { timestamp: 0, compression: CompressionCodec.Zstd }));
    batch.fill(0x55, RECORD_BATCH_OVERHEAD, RECORD_BATCH_OVERHEAD + 8);
    await expect(decodeRecordBatchesAsync(batch)).rejects.toThrow(/CORRUPT_MESSAGE: .*zstd decompression failed/);
  });
});
