/**
 * Steady producers on an attached cluster: records at a chosen rate with templated keys and
 * values, sent through kafkajs every tick (what the rate owes since the last tick), with
 * partitions chosen as the Java client does. While the cluster cannot keep up (two seconds'
 * worth of records in flight), ticks drop what they owe instead of queueing without limit,
 * as the embedded host's steady producer does.
 */
import { KafkaError } from '../protocol/errors';
import type { Random } from '../time/random';
import type { Scheduler, Timer } from '../time/scheduler';
import type { SteadyProducerSpec, SteadyProducerStatus } from '../host/contract';
import { MAX_STEADY_PRODUCERS } from '../host/steady-producer';
import type { ClusterSnapshot } from '../view/snapshot';
import type { ExternalClient } from './client';
import { expandDrafts, partitionRecords, produceRecords, requireTopic } from './records';

/** Longest between ticks. */
const TICK_MS = 100;

class ExternalSteadyProducer {
  readonly status: SteadyProducerStatus;
  private timer: Timer | null = null;
  private inFlight = 0;
  private owed = 0;
  private lastTick: number;
  private stopped = false;

  constructor(
    private readonly client: ExternalClient,
    private readonly scheduler: Scheduler,
    private readonly picture: () => ClusterSnapshot,
    id: string,
    spec: SteadyProducerSpec,
    private readonly random: Random,
    private readonly onChange: () => void,
  ) {
    const now = scheduler.now();
    this.status = { ...spec, id, startedAt: now, sentRecords: 0, failedRecords: 0, lastError: null };
    this.lastTick = now;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.scheduler.now();
    const rate = this.status.recordsPerSecond;
    this.owed += ((now - this.lastTick) / 1000) * rate;
    this.lastTick = now;
    const due = Math.floor(this.owed);
    this.owed -= due;
    if (due > 0 && this.inFlight < Math.max(1, rate * 2)) void this.send(due, now);
    this.timer = this.scheduler.schedule(Math.min(TICK_MS, Math.max(5, 1000 / rate)), () => this.tick());
  }

  private async send(count: number, now: number): Promise<void> {
    const seqStart = this.status.sentRecords + this.status.failedRecords + this.inFlight;
    this.inFlight += count;
    const draft = { key: this.status.key, value: this.status.value, headers: [], partition: null };
    try {
      const topic = requireTopic(this.picture(), this.status.topic);
      // `{{seq}}` continues the run's sequence rather than restarting at every tick.
      const records = expandDrafts({ topic: topic.name, records: [draft], acks: this.status.acks, repeat: count, expandTemplates: true }, now, this.random, seqStart);
      await produceRecords(this.client, topic.name, partitionRecords(records, topic.partitions.length, this.random, topic.name), this.status.acks, now);
      this.status.sentRecords += count;
    } catch (error) {
      this.status.failedRecords += count;
      this.status.lastError = (error as Error).message;
    } finally {
      this.inFlight -= count;
      this.onChange();
    }
  }
}

/** Every steady producer of an attached cluster. */
export class ExternalSteadyProducers {
  private readonly running = new Map<string, ExternalSteadyProducer>();
  private nextId = 1;

  constructor(
    private readonly client: ExternalClient,
    private readonly scheduler: Scheduler,
    private readonly picture: () => ClusterSnapshot,
    private readonly random: Random,
    private readonly onChange: () => void,
  ) {}

  /** Starts one; returns its id. */
  start(spec: SteadyProducerSpec): string {
    if (this.running.size >= MAX_STEADY_PRODUCERS) throw new KafkaError('INVALID_REQUEST', `At most ${MAX_STEADY_PRODUCERS} steady producers run at once; stop one first.`);
    requireTopic(this.picture(), spec.topic);
    const id = `producer-${this.nextId++}`;
    this.running.set(id, new ExternalSteadyProducer(this.client, this.scheduler, this.picture, id, spec, this.random.fork(), this.onChange));
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
