import { describe, it, expect } from 'vitest';
import { murmur2, partitionForKey, toPositive } from '../../core/protocol/murmur2';

describe('murmur2 (the Java client default partitioner hash)', () => {
  // [key, murmur2 as unsigned hex, partition of 4, partition of 3]: the vectors in the protocol notes.
  const noted: [string, number, number, number][] = [
    ['kafka', 0xd067cf64, 0, 1],
    ['giberish123456789', 0x8f552b0c, 0, 2],
    ['234', 0xe7c009ca, 2, 2],
    ['4', 0x5a4b5ca1, 1, 1],
    ['', 0x106e08d9, 1, 0],
  ];

  it.each(noted)('hashes %j like the Java client', (key, hash, of4, of3) => {
    const bytes = Buffer.from(key);
    expect(murmur2(bytes)).toBe(hash | 0); // a signed int32, as Java returns it
    expect(partitionForKey(bytes, 4)).toBe(of4);
    expect(partitionForKey(bytes, 3)).toBe(of3);
  });

  // Cross-checked against kafkajs 2.2.4's default partitioner murmur2 (a Long-based port of
  // Utils.murmur2); they cover every tail length 0-3, multi-byte UTF-8 and a long key.
  const more: [string, number, number][] = [
    ['a', -1563381124, 4],
    ['ab', 316155434, 4],
    ['abc', 479470107, 7],
    ['abcd', -1323649548, 0],
    ['abcde', 461995741, 1],
    ['user-1', 1404122828, 8],
    ['order:42', 1596225104, 4],
    ['héllo wörld', 439213890, 0],
    ['\u{1F600}', 131881617, 7],
    ['x'.repeat(1000), -1068453602, 6],
  ];

  it.each(more)('hashes %j as kafkajs does (partition of 10 too)', (key, hash, of10) => {
    expect(murmur2(Buffer.from(key))).toBe(hash);
    expect(partitionForKey(Buffer.from(key), 10)).toBe(of10);
  });

  it('uses toPositive (mask the sign bit), not Math.abs', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    const key = Buffer.from('kafka'); // hash is negative
    expect(murmur2(key)).toBeLessThan(0);
    expect(partitionForKey(key, 7)).toBe((murmur2(key) & 0x7fffffff) % 7);
    expect(partitionForKey(key, 7)).not.toBe(Math.abs(murmur2(key)) % 7);
  });

  it('accepts any Uint8Array view', () => {
    const backing = Buffer.from('__kafka__');
    expect(murmur2(backing.subarray(2, 7))).toBe(0xd067cf64 | 0);
    expect(murmur2(new Uint8Array(Buffer.from('234')))).toBe(0xe7c009ca | 0);
  });
});
