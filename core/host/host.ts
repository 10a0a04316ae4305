/**
 * The host: owns one cluster and serves the contract's commands and update stream. Every
 * transport (the Electron main process through a worker, the browser host, tests) drives the
 * cluster only through `execute`, so validation, error shapes and limits are the same
 * everywhere. Errors become values: Kafka's name and a sentence, nothing changed.
 */
import { Cluster, type ClusterOptions } from '../cluster';
import { KafkaError } from '../protocol/errors';
import type { ProducerRecord, RecordMetadata } from '../client/producer';
import type { CommandArgs, CommandName, CommandResult, CommandValue, HostSnapshot, HostUpdate, PartitionPlacement, ProduceArgs, ProduceOutcome } from './contract';
import { parseCommandArgs } from './schemas';
import { SteadyProducers } from './steady-producer';
import { expandTemplate, hasPlaceholders } from './templates';
import { UpdateStream } from './update-stream';
import { toBrowsedRecord, toProducerRecord } from './carried-records';
import { Random } from '../time/random';
import { KafkaServer } from '../kafka/server';
import { AppGroups } from './app-groups';
import { Timeline } from './timeline';
import { Scenarios } from './scenarios';
import { resetGroupOffsets } from './group-offsets';
import { toCommandError } from './command-error';

export { toCommandError };

/** The host's side of a connection: what every transport needs. */
export interface HostConnection {
  /** Validates and runs a command; never throws, errors are values. */
  execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>>;
  /** The full state now; deltas after it continue from its seq. */
  snapshot(): Promise<HostSnapshot>;
  /** Subscribes to updates; returns the unsubscribe function. */
  onUpdate(listener: (update: HostUpdate) => void): () => void;
  /** Stops the cluster cleanly. */
  close(): Promise<void>;
}

/** How to open a host: the cluster's options plus the update rate and the Kafka listeners. */
export interface HostOptions extends ClusterOptions {
  updatesPerSecond?: number;
  /**
   * Port of broker 1's Kafka listener (broker n: port + n - 1); 0 picks free ports; null opens
   * none. Default 9092, falling back to free ports when it is taken.
   */
  kafkaPort?: number | null;
}

/** Bytes per send when one produce sends many records (the Java producer's batch.size). */
const BATCH_BYTES = 16_384;

type Handlers = { [N in CommandName]: (args: CommandArgs<N>) => CommandValue<N> | Promise<CommandValue<N>> };

export class ClusterHost implements HostConnection {
  readonly cluster: Cluster;
  private readonly stream: UpdateStream;
  private readonly producers: SteadyProducers;
  private readonly random: Random;
  private readonly handlers: Handlers;
  private readonly kafkaPort: number | null;
  private kafka: KafkaServer | null = null;
  private readonly groups: AppGroups;
  private readonly timeline: Timeline;
  private readonly scenarios: Scenarios;
  private stateTimerPending = false;
  private closed = false;

  constructor(options: HostOptions = {}) {
    this.cluster = Cluster.create(options);
    this.kafkaPort = options.kafkaPort === undefined ? 9092 : options.kafkaPort;
    const seed = (options.seed ?? 0x5eed) ^ 0x9e3779b9;
    this.random = new Random(seed);
    this.producers = new SteadyProducers(this.cluster, seed + 1, () => this.stream.markChanged());
    this.stream = new UpdateStream(this.cluster, { producers: () => this.producers.statuses() }, options.updatesPerSecond);
    this.groups = new AppGroups(this.cluster);
    this.timeline = new Timeline(options.dataDir ?? null);
    this.scenarios = new Scenarios(this.cluster);
    this.cluster.on((event) => this.timeline.addEvent(event));
    this.timeline.addState(this.cluster.snapshot());
    this.stream.onUpdate((update) => {
      if (update.type === 'delta') this.recordState(update.events.length > 0);
    });
    this.scheduleTimelineSave();
    this.handlers = this.createHandlers();
  }

  async execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    const parsed = parseCommandArgs<N>(name, args);
    if (!parsed.ok) return parsed;
    try {
      const handler = this.handlers[name] as (args: CommandArgs<N>) => CommandValue<N> | Promise<CommandValue<N>>;
      const value = await handler(parsed.args);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toCommandError(error) };
    } finally {
      this.stream.markChanged();
    }
  }

  async snapshot(): Promise<HostSnapshot> {
    return this.stream.snapshot();
  }

  /** The snapshot, synchronously (for in-process callers). */
  snapshotNow(): HostSnapshot {
    return this.stream.snapshot();
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    return this.stream.onUpdate(listener);
  }

  /**
   * Opens a Kafka listener per broker on 127.0.0.1 once the cluster has a controller; returns
   * the bootstrap string (null when listeners are off). A taken port falls back to free ones.
   */
  async listen(log: (line: string) => void = (line) => console.error(line)): Promise<string | null> {
    if (this.kafkaPort === null) return null;
    // Clients that bootstrap right after KAFKA_BOOTSTRAP is printed should see every broker.
    await waitUntil(() => this.cluster.controllerId >= 0 && [...this.cluster.brokers.values()].every((b) => !b.running || b.state === 'running'), 30_000);
    const open = async (basePort: number): Promise<KafkaServer> => {
      const server = new KafkaServer(this.cluster, { basePort, log });
      try {
        await server.start();
        return server;
      } catch (error) {
        await server.close();
        throw error;
      }
    };
    try {
      this.kafka = await open(this.kafkaPort);
    } catch (error) {
      if (this.kafkaPort === 0) throw error;
      log(`Kafka port ${this.kafkaPort} and up are taken (${(error as Error).message}); using free ports instead.`);
      this.kafka = await open(0);
    }
    return this.kafka.bootstrap;
  }

  /** Records the cluster's state for the timeline (soon after events; now and then while logs grow). */
  private recordState(notable: boolean): void {
    const now = this.cluster.scheduler.now();
    if (this.timeline.wantsState(now, notable)) {
      this.timeline.addState(this.stream.lastSnapshot ?? this.cluster.snapshot());
    } else if (notable && !this.stateTimerPending) {
      // Throttled: record once the gap has passed, so the moment after these events is kept.
      this.stateTimerPending = true;
      this.cluster.scheduler.schedule(300, () => {
        this.stateTimerPending = false;
        if (!this.closed) this.timeline.addState(this.cluster.snapshot());
      });
    }
  }

  private scheduleTimelineSave(): void {
    this.cluster.scheduler.schedule(5_000, () => {
      if (this.closed) return;
      this.timeline.save();
      this.scheduleTimelineSave();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timeline.save();
    await this.kafka?.close();
    this.producers.close();
    this.stream.close();
    this.cluster.close();
  }

  private createHandlers(): Handlers {
    const cluster = this.cluster;
    return {
      stopBroker: ({ brokerId, graceful }) => (cluster.stopBroker(brokerId, { graceful }), null),
      startBroker: ({ brokerId }) => (cluster.startBroker(brokerId), null),
      addBroker: () => ({ brokerId: cluster.addBroker() }),
      previewTopic: (spec) => ({ replicaAssignment: cluster.previewTopic(spec) }),
      createTopic: (spec) => cluster.createTopic(spec),
      deleteTopic: ({ name }) => {
        cluster.deleteTopic(name);
        this.producers.stopForTopic(name);
        return null;
      },
      createPartitions: ({ name, totalPartitions }) => (cluster.createPartitions(name, totalPartitions), null),
      alterTopicConfigs: ({ name, configs }) => {
        const topic = cluster.store.image.topics.get(name);
        if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist.`);
        // Incremental, as IncrementalAlterConfigs: named configs set or returned to their default, the rest kept.
        const next: Record<string, string> = { ...topic.configs };
        for (const [key, value] of Object.entries(configs)) {
          if (value === null) delete next[key];
          else next[key] = value;
        }
        cluster.alterTopicConfigs(name, next);
        return null;
      },
      resetGroupOffsets: (args) => resetGroupOffsets(cluster, args),
      ...connectionCommandsElsewhere(),
      describeTopicConfigs: ({ name }) => cluster.describeTopicConfigs(name).map(({ name, value, isDefault, doc }) => ({ name, value, isDefault, doc })),
      produce: (args) => this.produce(args),
      startProducer: (spec) => {
        if (!cluster.store.image.topics.has(spec.topic)) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${spec.topic}' does not exist.`);
        return { id: this.producers.start(spec) };
      },
      stopProducer: ({ id }) => {
        if (!this.producers.stop(id)) throw new KafkaError('INVALID_REQUEST', `There is no steady producer ${id}.`);
        return null;
      },
      fetchRecords: async ({ topic, partition, offset, maxRecords }) => {
        // About 1 KiB a record is plenty for a page; the engine returns whole batches up to it.
        const page = await cluster.fetch(topic, partition, offset, { maxBytes: Math.min(maxRecords * 1_024 + 65_536, 4_194_304) });
        const records = page.records.slice(0, maxRecords).map((record) => toBrowsedRecord(partition, record));
        const nextOffset = records.length > 0 ? records[records.length - 1].offset + 1 : offset;
        return { topic, partition, records, nextOffset, logStartOffset: page.logStartOffset, highWatermark: page.highWatermark };
      },
      listOffset: ({ topic, partition, position }) => cluster.listOffset(topic, partition, position),
      isolateBroker: ({ brokerId }) => (cluster.isolateBroker(brokerId), null),
      slowFollower: ({ brokerId, delayMs }) => (cluster.slowFollower(brokerId, delayMs), null),
      clearFault: (fault) => (cluster.clearFault(fault), null),
      clearAllFaults: () => (cluster.clearAllFaults(), null),
      electPreferredLeaders: () => ({ elected: cluster.electPreferredLeaders() }),
      createConsumerGroup: (spec) => ({ clientIds: this.groups.create(spec) }),
      addGroupMember: async ({ groupId }) => ({ clientId: await this.groups.addMember(groupId) }),
      memberAction: ({ clientId, action }) => (this.groups.memberAction(clientId, action), null),
      setGroupRate: ({ groupId, recordsPerSecond }) => (this.groups.setRate(groupId, recordsPerSecond), null),
      reassignPartition: ({ topic, partition, replicas }) => (cluster.reassignPartition(topic, partition, replicas), null),
      cancelReassignment: ({ topic, partition }) => (cluster.cancelReassignment(topic, partition), null),
      startScenario: ({ id }) => (this.scenarios.start(id), null),
      stopScenario: () => (this.scenarios.stop(), null),
      scenarioStatus: () => this.scenarios.status(),
      timeline: ({ limit }) => ({ events: this.timeline.listEvents(limit) }),
      stateAt: ({ time }) => {
        const cluster = this.timeline.stateAt(time);
        return cluster ? { time: cluster.time, cluster } : null;
      },
    };
  }

  /** Sends the drafts `repeat` times, split into batch-sized sends so keyless records spread like Kafka's. */
  private async produce(args: ProduceArgs): Promise<ProduceOutcome> {
    const records = this.expandRecords(args);
    const sends: ProducerRecord[][] = [];
    let current: ProducerRecord[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = byteLength(record.key) + byteLength(record.value) + 20;
      if (current.length > 0 && bytes + size > BATCH_BYTES) {
        sends.push(current);
        current = [];
        bytes = 0;
      }
      current.push(record);
      bytes += size;
    }
    sends.push(current);
    const settled = await Promise.allSettled(sends.map((chunk) => this.cluster.produce({ topic: args.topic, records: chunk, acks: args.acks })));
    const written = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      const error = toCommandError(failure.reason);
      const note = written.length > 0 ? ` ${written.length.toLocaleString('en-US')} of ${records.length.toLocaleString('en-US')} records were written.` : '';
      throw new KafkaError(error.name, `${error.message.replace(/^[A-Z_]+: /, '')}${note}`);
    }
    return outcome(args.topic, written);
  }

  private expandRecords(args: ProduceArgs): ProducerRecord[] {
    const repeat = args.repeat ?? 1;
    const expand = args.expandTemplates === true && args.records.some((r) => hasPlaceholders(r.key) || hasPlaceholders(r.value));
    const now = this.cluster.scheduler.now();
    const records: ProducerRecord[] = [];
    let seq = 0;
    for (let round = 0; round < repeat; round++) {
      for (const draft of args.records) {
        if (!expand) {
          records.push(toProducerRecord(draft));
        } else {
          const context = { seq: seq++, now, random: this.random };
          const key = draft.key === null ? null : expandTemplate(draft.key, context);
          const value = draft.value === null ? null : expandTemplate(draft.value, context);
          records.push(toProducerRecord(draft, key, value));
        }
      }
    }
    return records;
  }
}

function byteLength(value: ProducerRecord['key']): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function outcome(topic: string, written: RecordMetadata[]): ProduceOutcome {
  const byPartition = new Map<number, PartitionPlacement>();
  for (const record of written) {
    const placement = byPartition.get(record.partition);
    if (!placement) {
      byPartition.set(record.partition, { partition: record.partition, firstOffset: record.offset, lastOffset: record.offset, records: 1 });
    } else {
      placement.firstOffset = Math.min(placement.firstOffset, record.offset);
      placement.lastOffset = Math.max(placement.lastOffset, record.offset);
      placement.records++;
    }
  }
  const last = written[written.length - 1];
  return {
    topic,
    records: written.length,
    partition: last?.partition ?? -1,
    offset: last?.offset ?? -1,
    timestamp: last?.timestamp ?? -1,
    placements: [...byPartition.values()].sort((a, b) => a.partition - b.partition),
  };
}

/**
 * Connection commands belong to whatever holds the connection store (the session around this
 * host); a bare cluster host refuses them with a sentence.
 */
function connectionCommandsElsewhere(): Pick<Handlers, 'listConnections' | 'saveConnection' | 'testConnection' | 'removeConnection' | 'switchCluster'> {
  const refuse = (): never => {
    throw new KafkaError('INVALID_REQUEST', 'This host shows only its embedded cluster; connections to other clusters are managed by the app around it.');
  };
  return { listConnections: refuse, saveConnection: refuse, testConnection: refuse, removeConnection: refuse, switchCluster: refuse };
}


/** Resolves once `condition` holds (polled), or rejects after `timeoutMs`. */
function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('the cluster elected no controller in time'));
      else setTimeout(check, 20);
    };
    check();
  });
}
