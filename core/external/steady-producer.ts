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
import { Pacer, SteadyProducerSet } from '../host/steady-producer';
import type { ClusterSnapshot } from '../view/snapshot';
import type { ExternalClient } from './client';
import { expandDrafts, partitionRecords, produceRecords, requireTopic } from './records';

/** Longest between ticks. */
const TICK_MS = 100;

class ExternalSteadyProducer {
  readonly status: SteadyProducerStatus;
  private timer: Timer | null = null;
  private inFlight = 0;
  private readonly pacer: Pacer;
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
    this.pacer = new Pacer(now);
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
    const due = this.pacer.due(now, rate, this.inFlight);
    if (due > 0) void this.send(due, now);
    this.timer = this.scheduler.schedule(Pacer.nextTickMs(rate, 5, TICK_MS), () => this.tick());
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
export class ExternalSteadyProducers extends SteadyProducerSet {
  constructor(client: ExternalClient, scheduler: Scheduler, picture: () => ClusterSnapshot, random: Random, onChange: () => void) {
    super(
      (id, spec, fork) => {
        // The topic must exist now; the producer then follows the picture's partitions.
        requireTopic(picture(), spec.topic);
        return new ExternalSteadyProducer(client, scheduler, picture, id, spec, fork, onChange);
      },
      random,
      onChange,
    );
  }
}
