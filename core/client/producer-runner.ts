/**
 * Drives an in-process producer the way the app's produce panel does: one record, a burst of
 * N, or a steady rate, with values (and keys) from a template. Placeholders: {{seq}} (the
 * runner's sequence number, from 0), {{uuid}}, {{time}} (ISO time of the cluster clock) and
 * {{random}} (an integer below 1,000,000). Time and randomness come from the cluster's
 * scheduler and seeded random source, so a simulation replays exactly.
 */
import type { Acks } from '../broker/messages';
import { KafkaError } from '../protocol/errors';
import type { Random } from '../time/random';
import type { Timer } from '../time/scheduler';
import type { ClientContext } from './client';
import { Producer, type ProducerRecord, type RecordMetadata } from './producer';

/** What the runner produces. */
export interface ProducerRunnerOptions {
  topic: string;
  /** Value template (default "message {{seq}}"). */
  value?: string;
  /** Key template; null or absent: keyless records. */
  key?: string | null;
  /** Header templates by header name. */
  headers?: Record<string, string>;
  /** A fixed partition; default: the partitioner's choice. */
  partition?: number;
  acks?: Acks;
  clientId?: string;
  /** Sends in flight at most; a steady rate waits when they are all out (5, as max.in.flight). */
  maxInFlight?: number;
}

/** The runner's counters, for the app. */
export interface ProducerRunnerStats {
  /** Records handed to the producer. */
  sent: number;
  acknowledged: number;
  failed: number;
  lastError: string | null;
  /** The steady rate while running, else null. */
  recordsPerSecond: number | null;
}

const PLACEHOLDER = /\{\{\s*(seq|uuid|time|random)\s*\}\}/g;
/** Records per send of a burst: one producer batch per partition each. */
const BURST_CHUNK = 500;
const TICK_MS = 100;

/** Sends templated records once, in a burst, or at a steady rate. */
export class ProducerRunner {
  readonly producer: Producer;
  private sequence = 0;
  private readonly random: Random;
  private rate: number | null = null;
  private timer: Timer | null = null;
  private allowance = 0;
  private lastTick = 0;
  private inFlight = 0;
  private closed = false;
  private readonly counters = { sent: 0, acknowledged: 0, failed: 0, lastError: null as string | null };

  constructor(
    private readonly ctx: ClientContext,
    private readonly options: ProducerRunnerOptions,
  ) {
    if (typeof options.topic !== 'string' || options.topic === '') throw new KafkaError('INVALID_TOPIC_EXCEPTION', 'a producer runner needs a topic');
    if (options.maxInFlight !== undefined && !(Number.isInteger(options.maxInFlight) && options.maxInFlight > 0)) throw new RangeError('maxInFlight must be a positive integer');
    this.producer = new Producer(ctx, { clientId: options.clientId ?? 'brokerscope-producer', acks: options.acks ?? -1 });
    this.random = ctx.random.fork();
  }

  /** Fills a template for the record with sequence number `seq`. */
  render(template: string, seq: number): string {
    return template.replace(PLACEHOLDER, (_, name: string) => {
      switch (name) {
        case 'seq':
          return String(seq);
        case 'uuid':
          return this.random.uuid();
        case 'time':
          return new Date(this.ctx.scheduler.now()).toISOString();
        default:
          return String(this.random.nextInt(1_000_000));
      }
    });
  }

  private nextRecords(count: number): ProducerRecord[] {
    const records: ProducerRecord[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const seq = this.sequence++;
      const headers = this.options.headers ? Object.fromEntries(Object.entries(this.options.headers).map(([name, value]) => [name, this.render(value, seq)])) : undefined;
      records[i] = {
        key: this.options.key === undefined || this.options.key === null ? null : this.render(this.options.key, seq),
        value: this.render(this.options.value ?? 'message {{seq}}', seq),
        ...(headers ? { headers } : {}),
        ...(this.options.partition !== undefined ? { partition: this.options.partition } : {}),
      };
    }
    return records;
  }

  private send(records: ProducerRecord[]): Promise<RecordMetadata[]> {
    if (this.closed) return Promise.reject(new Error('the producer runner is closed'));
    this.counters.sent += records.length;
    this.inFlight++;
    return new Promise((resolve, reject) => {
      this.producer.send(this.options.topic, records, (error, results) => {
        this.inFlight--;
        if (error) {
          this.counters.failed += records.length;
          this.counters.lastError = error.message;
          return reject(error);
        }
        this.counters.acknowledged += records.length;
        resolve(results!);
      });
    });
  }

  /** Sends one record. */
  async sendOne(): Promise<RecordMetadata> {
    const [result] = await this.send(this.nextRecords(1));
    return result;
  }

  /** Sends `count` records at once (in sends of 500). */
  async sendBurst(count: number): Promise<RecordMetadata[]> {
    if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new RangeError('a burst is 1 to 10,000,000 records');
    const sends: Promise<RecordMetadata[]>[] = [];
    for (let sent = 0; sent < count; sent += BURST_CHUNK) sends.push(this.send(this.nextRecords(Math.min(BURST_CHUNK, count - sent))));
    return (await Promise.all(sends)).flat();
  }

  /** Produces `recordsPerSecond` records a second until stop(); a new rate replaces the old. */
  start(recordsPerSecond: number): void {
    if (!(Number.isFinite(recordsPerSecond) && recordsPerSecond > 0 && recordsPerSecond <= 1_000_000)) throw new RangeError('recordsPerSecond must be above 0 and at most 1,000,000');
    if (this.closed) throw new Error('the producer runner is closed');
    this.rate = recordsPerSecond;
    if (this.timer) return;
    this.allowance = 0;
    this.lastTick = this.ctx.scheduler.now();
    this.tick();
  }

  private tick(): void {
    const interval = Math.max(TICK_MS, Math.min(1_000, 1_000 / this.rate!));
    this.timer = this.ctx.scheduler.schedule(interval, () => {
      this.timer = null;
      if (this.rate === null || this.closed) return;
      const now = this.ctx.scheduler.now();
      // At most one second of records waits while sends are backed up.
      this.allowance = Math.min(this.rate, this.allowance + ((now - this.lastTick) * this.rate) / 1000);
      this.lastTick = now;
      const count = Math.floor(this.allowance);
      if (count > 0 && this.inFlight < (this.options.maxInFlight ?? 5)) {
        this.allowance -= count;
        this.send(this.nextRecords(count)).catch(() => {});
      }
      this.tick();
    });
  }

  /** Stops a steady rate (sends in flight still complete). */
  stop(): void {
    this.rate = null;
    this.timer?.cancel();
    this.timer = null;
  }

  stats(): ProducerRunnerStats {
    return { ...this.counters, recordsPerSecond: this.rate };
  }

  close(): void {
    this.stop();
    this.closed = true;
    this.producer.close();
  }
}
