/**
 * The bits of Java's hashing that Kafka's group code depends on. String.hashCode picks the
 * partition of __consumer_offsets that holds a group (and so its coordinator). HashMap's
 * iteration order decides, in the sticky assignors, which member keeps its partitions when
 * several could: to hand out exactly the partitions Kafka's own assignor would, the assignors
 * here walk their maps in the order a java.util.HashMap would.
 */

/** Java's String.hashCode: 31-polynomial over UTF-16 code units with int32 overflow. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}

/** TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(), in int32. */
export function topicPartitionHashCode(topic: string, partition: number): number {
  return (Math.imul(31, (31 + partition) | 0) + javaStringHashCode(topic)) | 0;
}

/**
 * The partition of __consumer_offsets that stores a group: Utils.abs(groupId.hashCode()) %
 * offsets.topic.num.partitions, where Utils.abs maps Integer.MIN_VALUE to 0.
 */
export function offsetsPartitionFor(groupId: string, offsetsTopicPartitions: number): number {
  const hash = javaStringHashCode(groupId);
  const positive = hash === -2147483648 ? 0 : Math.abs(hash);
  return positive % offsetsTopicPartitions;
}

/** HashMap.hash(): the high half folded into the low half before taking the bucket. */
function spread(hash: number): number {
  return hash ^ (hash >>> 16);
}

const INITIAL_CAPACITY = 16;
const LOAD_FACTOR = 0.75;

interface Entry<V> {
  value: V;
  bucketHash: number;
  sequence: number;
}

/**
 * A map with string keys that iterates like a java.util.HashMap built with `new HashMap<>()`
 * and filled by `put`: by bucket (spread hash masked by the table size, which doubles past a
 * 0.75 load and never shrinks), then by insertion within a bucket. Buckets of 8 or more
 * colliding keys, which Java turns into trees, are not modelled.
 */
export class JavaHashMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private capacity = INITIAL_CAPACITY;
  private sequence = 0;
  private order: string[] | null = null;

  /** `hashCode` gives each key Java's hashCode (String.hashCode by default). */
  constructor(private readonly hashCode: (key: string) => number = javaStringHashCode) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Puts a value; a new key goes to the end of its bucket, an existing key keeps its place. */
  set(key: string, value: V): this {
    const entry = this.entries.get(key);
    if (entry) {
      entry.value = value;
      return this;
    }
    this.entries.set(key, { value, bucketHash: spread(this.hashCode(key)), sequence: this.sequence++ });
    if (this.entries.size > this.capacity * LOAD_FACTOR) this.capacity *= 2;
    this.order = null;
    return this;
  }

  delete(key: string): boolean {
    const removed = this.entries.delete(key);
    if (removed) this.order = null;
    return removed;
  }

  /** The keys in Java's iteration order. */
  keys(): string[] {
    if (this.order === null) {
      const mask = this.capacity - 1;
      this.order = [...this.entries.entries()]
        .sort(([, a], [, b]) => (a.bucketHash & mask) - (b.bucketHash & mask) || a.sequence - b.sequence)
        .map(([key]) => key);
    }
    return this.order;
  }

  /** [key, value] pairs in Java's iteration order. */
  *[Symbol.iterator](): IterableIterator<[string, V]> {
    for (const key of this.keys()) yield [key, this.entries.get(key)!.value];
  }
}

/** The order in which a java.util.HashMap filled with `keys` (in this order) iterates them. */
export function javaHashOrder(keys: readonly string[], hashCode: (key: string) => number = javaStringHashCode): string[] {
  const map = new JavaHashMap<true>(hashCode);
  for (const key of keys) map.set(key, true);
  return map.keys();
}
