/**
 * The replicas whose logs just grew, with when each pulse started: an immutable map the store
 * replaces on every delta that adds pulses. On a large busy cluster a delta adds thousands, and
 * copying one map of every recent pulse per delta would cost as much as the cluster is big; so
 * pulses sit in buckets of PULSE_BUCKET_MS, the newest bucket is copied when it grows and older
 * ones are shared, and whole buckets are dropped once past PULSE_KEEP_MS. A delta costs what it
 * adds, plus the pulses of the last PULSE_BUCKET_MS.
 */

/** Width of a bucket of pulses, in ms. */
const PULSE_BUCKET_MS = 250;
/** How long a pulse is remembered: longer than the map draws one (PULSE_MS) and than the gap between two of a replica. */
export const PULSE_KEEP_MS = 1_000;

interface Bucket {
  /** The bucket's start (a multiple of PULSE_BUCKET_MS). */
  start: number;
  times: ReadonlyMap<string, number>;
}

/** Replica key to the time its latest pulse started, as a read-only map. */
export class PulseMap implements ReadonlyMap<string, number> {
  /** No pulses. */
  static readonly EMPTY = new PulseMap([]);

  /** Newest bucket first; a key in a newer bucket hides the same key in older ones. */
  private constructor(private readonly buckets: readonly Bucket[]) {}

  /** These pulses with the given replicas pulsing from `now`, and pulses older than PULSE_KEEP_MS gone. */
  with(keys: readonly string[], now: number): PulseMap {
    const kept = this.buckets.filter((bucket) => bucket.start + PULSE_BUCKET_MS > now - PULSE_KEEP_MS);
    if (keys.length === 0) return kept.length === this.buckets.length ? this : new PulseMap(kept);
    const start = Math.floor(now / PULSE_BUCKET_MS) * PULSE_BUCKET_MS;
    const current = kept[0]?.start === start ? kept[0] : null;
    const times = new Map(current?.times);
    for (const key of keys) times.set(key, now);
    return new PulseMap([{ start, times }, ...(current ? kept.slice(1) : kept)]);
  }

  get(key: string): number | undefined {
    for (const bucket of this.buckets) {
      const time = bucket.times.get(key);
      if (time !== undefined) return time;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    let size = 0;
    for (const _ of this.entries()) size++;
    return size;
  }

  *entries(): MapIterator<[string, number]> {
    for (let i = 0; i < this.buckets.length; i++) {
      for (const [key, time] of this.buckets[i].times) if (!this.inNewer(i, key)) yield [key, time];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<number> {
    for (const [, time] of this.entries()) yield time;
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [key, time] of this.entries()) callback(time, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  private inNewer(index: number, key: string): boolean {
    for (let i = 0; i < index; i++) if (this.buckets[i].times.has(key)) return true;
    return false;
  }
}
