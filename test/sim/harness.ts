/**
 * Whole-cluster simulations: a cluster on a simulated clock with in-memory storage (which
 * survives broker stops and cluster restarts like a disk), a seeded random source, and
 * invariants checked after every task. A failing run names its seed; SEED=... replays it.
 */
import { expect } from 'vitest';
import { Cluster, KAFKA_DEFAULTS, MemoryStorage, SimScheduler, type ClusterSettings, type ProducerRecord, type RecordMetadata } from '../../core/index';
import type { KafkaError } from '../../core/protocol/errors';
import { decodeRecordBatches } from '../../core/protocol/records';
import type { Storage } from '../../core/log/storage';
import { groupCoordinatorOf } from '../../core/group/coordinator';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment } from '../../core/group/consumer-protocol';

/** Options of a simulated cluster. */
export interface SimOptions {
  brokers?: number;
  seed?: number;
  settings?: Partial<ClusterSettings>;
  /** In memory unless given (a FileStorage runs the real file path on the simulated clock). */
  storage?: Storage;
  scheduler?: SimScheduler;
  checkInvariants?: boolean;
}

/** A simulated cluster with helpers. */
export class Sim {
  readonly scheduler: SimScheduler;
  readonly storage: Storage;
  cluster: Cluster;
  readonly seed: number;
  private readonly options: SimOptions;
  /** Highest high watermark seen per (broker, partition, epoch), to check it never moves back. */
  private readonly highWatermarks = new Map<string, number>();

  constructor(options: SimOptions = {}) {
    this.options = options;
    this.seed = options.seed ?? Number(process.env.SEED ?? 1);
    this.scheduler = options.scheduler ?? new SimScheduler();
    this.storage = options.storage ?? new MemoryStorage();
    this.cluster = this.open();
    if (options.checkInvariants !== false) this.scheduler.afterTask = () => this.checkInvariants();
    this.settle();
  }

  private open(): Cluster {
    return Cluster.create({
      brokers: this.options.brokers ?? 3,
      storage: this.storage,
      scheduler: this.scheduler,
      seed: this.seed,
      settings: { ...KAFKA_DEFAULTS, ...this.options.settings },
    });
  }

  /** Closes the cluster cleanly and opens it again on the same storage. */
  restart(options: { crash?: boolean } = {}): void {
    if (options.crash) for (const id of this.cluster.brokers.keys()) this.cluster.stopBroker(id);
    this.cluster.close();
    this.highWatermarks.clear();
    this.cluster = this.open();
    this.settle();
  }

  /** Runs simulated time forward. */
  run(ms: number): void {
    this.scheduler.runFor(ms);
  }

  /** Runs until the condition holds; fails the test if it does not within `maxMs`. */
  until(condition: () => boolean, maxMs = 60_000, what = 'condition'): void {
    const held = this.scheduler.runUntil(condition, maxMs);
    if (!held) throw new Error(`${what} did not hold within ${maxMs} ms of simulated time (seed ${this.seed})`);
  }

  /** Runs until every broker is registered and unfenced and a controller is active. */
  settle(): void {
    this.until(() => this.cluster.controllerId >= 0 && [...this.cluster.brokers.values()].every((b) => !b.running || b.state === 'running'), 60_000, 'cluster ready');
  }

  /** Creates a topic and waits until every partition has a leader that knows it. */
  createTopic(name: string, partitions: number, replicationFactor: number, configs: Record<string, string> = {}): void {
    this.cluster.createTopic({ name, partitions, replicationFactor, configs });
    this.until(() => this.leadersReady(name), 10_000, `leaders of ${name}`);
  }

  /** Whether every partition's leader broker has taken leadership of it. */
  leadersReady(topic: string): boolean {
    const image = this.cluster.store.image.topics.get(topic);
    if (!image) return false;
    return image.partitions.every((p, i) => this.cluster.brokers.get(p.leader)?.partitions.get(`${topic}-${i}`)?.role === 'leader');
  }

  /** Produces and runs the clock until the answer arrives. */
  produce(topic: string, records: ProducerRecord[], options: { acks?: -1 | 0 | 1; retries?: number; maxMs?: number } = {}): { error: KafkaError | null; results: RecordMetadata[] | null } {
    const producer = this.cluster.createProducer({ acks: options.acks ?? -1, retries: options.retries ?? 0, deliveryTimeoutMs: options.maxMs ?? 30_000 });
    let outcome: { error: KafkaError | null; results: RecordMetadata[] | null } | null = null;
    producer.send(topic, records, (error, results) => (outcome = { error, results }));
    this.until(() => outcome !== null, (options.maxMs ?? 30_000) + 60_000, 'produce answer');
    producer.close();
    return outcome!;
  }

  /** Every record value in one replica's log, by offset. */
  replicaLog(brokerId: number, topic: string, partition: number): Map<number, string> {
    const log = this.cluster.brokers.get(brokerId)!.partitions.get(`${topic}-${partition}`)!.log;
    const values = new Map<number, string>();
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const { records } = log.read(offset, 1 << 20, log.logEndOffset);
      if (records.length === 0) break;
      for (const batch of decodeRecordBatches(records)) {
        for (const record of batch.records) if (record.offset >= offset) values.set(record.offset, record.value?.toString() ?? '');
        offset = batch.header.baseOffset + batch.header.lastOffsetDelta + 1;
      }
    }
    return values;
  }

  /**
   * Invariants after every task: one leader per partition and epoch; a leader's high watermark
   * never moves back within its epoch and never passes its own log end offset; no partition is
   * owned by two members of one generation of a group.
   */
  checkInvariants(): void {
    this.checkGroupInvariants();
    const leaders = new Map<string, number>();
    for (const broker of this.cluster.brokers.values()) {
      if (!broker.running) continue;
      for (const partition of broker.partitions.values()) {
        if (partition.highWatermark > partition.logEndOffset) {
          throw new Error(`HW ${partition.highWatermark} > LEO ${partition.logEndOffset} on broker ${broker.id} ${partition.key} (seed ${this.seed})`);
        }
        if (partition.role !== 'leader') continue;
        const key = `${partition.key}@${partition.leaderEpoch}`;
        const other = leaders.get(key);
        if (other !== undefined) throw new Error(`two leaders (${other}, ${broker.id}) for ${key} (seed ${this.seed})`);
        leaders.set(key, broker.id);
        const hwKey = `${broker.id}:${key}`;
        const previous = this.highWatermarks.get(hwKey) ?? -1;
        if (partition.highWatermark < previous) {
          throw new Error(`HW moved back from ${previous} to ${partition.highWatermark} on ${hwKey} (seed ${this.seed})`);
        }
        this.highWatermarks.set(hwKey, partition.highWatermark);
      }
    }
  }

  /**
   * One owner per partition per generation: among the in-app consumers (each holding the
   * partitions of the generation that assigned them) and among the assignments a coordinator
   * handed out to a stable group.
   */
  private checkGroupInvariants(): void {
    const owners = new Map<string, string>();
    for (const consumer of this.cluster.consumers()) {
      const { generationId, partitions } = consumer.ownership();
      for (const p of partitions) {
        const key = `${consumer.groupId} generation ${generationId}: ${p.topic}-${p.partition}`;
        const other = owners.get(key);
        if (other !== undefined) throw new Error(`two owners (${other}, ${consumer.clientId}) of ${key} (seed ${this.seed})`);
        owners.set(key, consumer.clientId);
      }
    }
    for (const broker of this.cluster.brokers.values()) {
      const coordinator = broker.running ? groupCoordinatorOf(broker) : undefined;
      for (const group of coordinator?.groups.values() ?? []) {
        if (group.state !== 'Stable' || group.protocolType !== CONSUMER_PROTOCOL_TYPE) continue;
        const assigned = new Set<string>();
        for (const member of group.members.values()) {
          for (const p of member.assignment.length > 0 ? decodeAssignment(member.assignment).partitions : []) {
            const key = `${p.topic}-${p.partition}`;
            if (assigned.has(key)) throw new Error(`${key} assigned twice in generation ${group.generationId} of ${group.groupId} (seed ${this.seed})`);
            assigned.add(key);
          }
        }
      }
    }
  }
}

/** Values `prefix-0` .. `prefix-(n-1)` as producer records. */
export function values(prefix: string, n: number, extra: Partial<ProducerRecord> = {}): ProducerRecord[] {
  return Array.from({ length: n }, (_, i) => ({ value: `${prefix}-${i}`, ...extra }));
}

/** Asserts a produce succeeded and returns its results. */
export function ok(outcome: { error: KafkaError | null; results: RecordMetadata[] | null }): RecordMetadata[] {
  expect(outcome.error?.message ?? null).toBeNull();
  return outcome.results!;
}
