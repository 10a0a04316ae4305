/**
 * The Java client's default partitioner hash (Utils.murmur2): MurmurHash2, 32-bit, seed
 * 0x9747b28c, over the key's bytes four at a time little-endian. kafkajs' default partitioner
 * computes the same; librdkafka only with partitioner=murmur2_random.
 */

const SEED = 0x9747b28c;
// Mixing constants of MurmurHash2.
const M = 0x5bd1e995;
const R = 24;

/** murmur2 of `key` as the Java client computes it: a signed int32. */
export function murmur2(key: Uint8Array): number {
  const length = key.length;
  // Math.imul gives Java's wrapping int multiplication; `| 0` keeps every step an int32.
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes, as the Java switch's fall-through cases 3, 2, 1 take them.
  const tail = length & 3;
  if (tail !== 0) {
    if (tail === 3) h ^= key[whole + 2] << 16;
    if (tail >= 2) h ^= key[whole + 1] << 8;
    h ^= key[whole];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Utils.toPositive: clears the sign bit (not Math.abs, which differs for negative values). */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/** The partition the Java client's default partitioner picks for a non-null key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}
