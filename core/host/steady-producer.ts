/**
 * The steady producer: records at a chosen rate with templated keys and values, on the
 * cluster's scheduler. Each tick sends what the rate owes since the start, split into sends of
 * at most one batch.size (16 KiB) each, so keyless records spread across partitions the way
 * the Java client's sticky partitioner spreads them batch by batch. In-flight records are
 * bounded (two seconds' worth): while the cluster cannot keep up, ticks send nothing rather
 * than queueing without limit. Small and replaceable by the engine's own runner.
 */
import type { Cluster } from '../cluster';
import type { Producer, ProducerRecord } from '../client/producer';
import { KafkaError } from '../protocol/errors';
import { Random } from '../time/random';
import type { Timer } from '../time/scheduler';
import type { SteadyProducerSpec, SteadyProducerStatus } from './contract';
import { expandTemplate, hasPlaceholders } from './templates';

/** batch.size, the Java producer's default: the most bytes a send carries. */
const BATCH_BYTES = 16_384;
/** The longest a tick waits, so slow rates still send on time and fast ones send in batches. */
const TICK_MS = 50;
/** linger.ms (Kafka 4.0's default): fast rates gather what they owe for this long into one send. */
const LINGER_MS = 5;
/** Most steady producers at once. */
export const MAX_STEADY_PRODUCERS = 20;

/**
 * A steady producer's pace, shared by the embedded and the attached cluster's producers: what
 * the rate owes since the last tick, bounded by what is in flight (two seconds' worth) so that
 * a cluster that cannot keep up costs dropped records, not a queue without limit.
 */
export class Pacer {
  private owed = 0;

  constructor(private lastTick: number) {}

  /** Records to send now (0 while `inFlight` holds two seconds' worth: what is owed is dropped). */
  due(now: number, rate: number, inFlight: number): number {
    this.owed += ((now - this.lastTick) / 1000) * rate;
    this.lastTick = now;
    const due = Math.floor(this.owed);
    this.owed -= due;
    return inFlight < Math.max(1, rate * 2) ? due : 0;
  }

  /** The wait until the next tick: one record's time, within [`minMs`, `maxMs`]. */
  static nextTickMs(rate: number, minMs: number, maxMs: number): number {
    return Math.min(maxMs, Math.max(minMs, 1000 / rate));
  }
}

class SteadyProducer {
  readonly status: SteadyProducerStatus;
  private timer: Timer | null = null;
  private inFlight = 0;
  private readonly pacer: Pacer;
  private readonly producer: Producer;
  private readonly templated: boolean;

  constructor(
    private readonly cluster: Cluster,
    id: string,
    spec: SteadyProducerSpec,
    private readonly random: Random,
    private readonly onChange: () => void,
  ) {
    const now = cluster.scheduler.now();
    this.status = { ...spec, id, startedAt: now, sentRecords: 0, failedRecords: 0, lastError: null };
    this.pacer = new Pacer(now);
    this.producer = cluster.createProducer({ clientId: `brokerscope-steady-${id}`, acks: spec.acks, deliveryTimeoutMs: 30_000 });
    this.templated = hasPlaceholders(spec.key) || hasPlaceholders(spec.value);
    this.tick();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private tick(): void {
    const now = this.cluster.scheduler.now();
    const rate = this.status.recordsPerSecond;
    const due = this.pacer.due(now, rate, this.inFlight);
    if (due > 0) this.send(due, now);
    const interval = Pacer.nextTickMs(rate, LINGER_MS, TICK_MS);
    this.timer = this.cluster.scheduler.schedule(interval, () => this.tick());
  }

  private send(count: number, now: number): void {
    const records: ProducerRecord[] = new Array(count);
    let seq = this.status.sentRecords + this.status.failedRecords + this.inFlight;
    let bytes = 0;
    for (let i = 0; i < count; i++, seq++) {
      const context = { seq, now, random: this.random };
      const key = this.templated && this.status.key !== null ? expandTemplate(this.status.key, context) : this.status.key;
      const value = this.templated ? expandTemplate(this.status.value, context) : this.status.value;
      records[i] = { key, value };
      bytes += value.length + (key?.length ?? 0) + 20;
    }
    const perSend = Math.max(1, Math.floor(BATCH_BYTES / Math.max(1, bytes / count)));
    for (let start = 0; start < count; start += perSend) {
      const chunk = records.slice(start, start + perSend);
      this.inFlight += chunk.length;
      this.producer.send(this.status.topic, chunk, (error) => {
        this.inFlight -= chunk.length;
        if (error) {
          this.status.failedRecords += chunk.length;
          this.status.lastError = error.message;
        } else {
          this.status.sentRecords += chunk.length;
        }
        this.onChange();
      });
    }
  }
}

/** A running steady producer, as the set that owns it sees it. */
export interface RunningSteadyProducer {
  readonly status: SteadyProducerStatus;
  stop(): void;
}

/**
 * The steady producers of one cluster (embedded or attached): ids, the bound on how many run,
 * start, stop and statuses. `create` makes the producer itself, which is the cluster's own.
 */
export class SteadyProducerSet {
  private readonly running = new Map<string, RunningSteadyProducer>();
  private nextId = 1;

  constructor(
    private readonly create: (id: string, spec: SteadyProducerSpec, random: Random) => RunningSteadyProducer,
    private readonly random: Random,
    private readonly onChange: () => void,
  ) {}

  /** Starts one; returns its id. */
  start(spec: SteadyProducerSpec): string {
    if (this.running.size >= MAX_STEADY_PRODUCERS) throw new KafkaError('INVALID_REQUEST', `At most ${MAX_STEADY_PRODUCERS} steady producers run at once; stop one first.`);
    const id = `producer-${this.nextId}`;
    const producer = this.create(id, spec, this.random.fork());
    this.nextId++;
    this.running.set(id, producer);
    this.onChange();
    return id;
  }

  /** Stops one; false when there is no such producer. */
  stop(id: string): boolean {
    const producer = this.running.get(id);
    if (!producer) return false;
    producer.stop();
    this.running.delete(id);
    this.onChange();
    return true;
  }

  /** Stops the producers writing to a topic (it was deleted). */
  stopForTopic(topic: string): void {
    for (const [id, producer] of this.running) if (producer.status.topic === topic) this.stop(id);
  }

  /** Copies of every producer's status. */
  statuses(): SteadyProducerStatus[] {
    return [...this.running.values()].map((producer) => ({ ...producer.status }));
  }

  /** Stops them all. */
  close(): void {
    for (const producer of this.running.values()) producer.stop();
    this.running.clear();
  }
}

/** Every steady producer of the embedded cluster's host. */
export class SteadyProducers extends SteadyProducerSet {
  constructor(cluster: Cluster, seed: number, onChange: () => void) {
    super((id, spec, random) => new SteadyProducer(cluster, id, spec, random, onChange), new Random(seed), onChange);
  }
}
