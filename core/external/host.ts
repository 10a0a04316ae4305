/**
 * The host of an attached external cluster: the same HostConnection as the embedded
 * ClusterHost (commands with errors as values, a snapshot then numbered deltas), served from
 * polls over Kafka's protocol instead of from the engine. Polls run every
 * `pollIntervalMs` (default 2 s); a poll that fails or takes longer than the interval doubles
 * it (up to 30 s) and good polls halve it back. A failed poll keeps the last picture and says
 * why in `source.error`. Changes between polls become the engine's events, so the timeline
 * (kept per connection under the data directory) and the animations work unchanged.
 * Runs anywhere Node runs (a worker thread in the app): no Electron, no DOM.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { EventBus, type ClusterEvent } from '../events';
import { KafkaError } from '../protocol/errors';
import { Random } from '../time/random';
import { RealScheduler, type Timer } from '../time/scheduler';
import { TOPIC_CONFIG_DEFS } from '../config/topic-config';
import { assignReplicas } from '../controller/placement';
import { CONNECTION_COMMANDS, EMBEDDED_ONLY_COMMANDS, WRITE_COMMANDS, type CommandArgs, type CommandName, type CommandResult, type CommandValue, type ConnectionTestResult, type HostSnapshot, type HostUpdate, type ResolvedConnection } from '../host/contract';
import { toCommandError, type HostConnection } from '../host/host';
import { parseCommandArgs } from '../host/schemas';
import { Timeline } from '../host/timeline';
import { UpdateStream, type SnapshotSource } from '../host/update-stream';
import type { ClusterSnapshot } from '../view/snapshot';
import { METADATA, METADATA_MAX_VERSION } from './apis';
import { ExternalClient, kafkaConfigFor } from './client';
import { diffSnapshots } from './diff';
import { toKafkaError } from './errors';
import { resetGroupOffsets } from './offsets';
import { ClusterPoller, partitionKey, type PolledCluster } from './poll';
import { PictureBuilder, type SourceState } from './picture';
import { expandDrafts, fetchPage, listOffset, partitionRecords, produceRecords, requireTopic } from './records';
import { ExternalSteadyProducers } from './steady-producer';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const { ConfigResourceTypes } = kafkajs;

/** The longest the poll interval grows to while the cluster is slow or unreachable. */
export const MAX_POLL_INTERVAL_MS = 30_000;
/** The shortest poll interval accepted (a faster one would load the cluster for nothing). */
const MIN_POLL_INTERVAL_MS = 100;
/** AlterConfigs' API key. */
const ALTER_CONFIGS_API_KEY = 33;
/** DescribeConfigs' config source for a topic's own setting. */
const DYNAMIC_TOPIC_CONFIG = 1;

type Handlers = { [N in CommandName]: (args: CommandArgs<N>) => CommandValue<N> | Promise<CommandValue<N>> };

/** Options of an attached host. */
export interface ExternalHostOptions {
  /** Where the timeline is kept (one folder per connection), or null to keep it in memory. */
  dataDir: string | null;
  log?: (line: string) => void;
}

export class ExternalHost implements HostConnection {
  private readonly scheduler = new RealScheduler();
  private readonly events = new EventBus();
  private readonly poller: ClusterPoller;
  private readonly builder = new PictureBuilder();
  private readonly random = new Random(0x5eed);
  private readonly timeline: Timeline;
  private readonly producers: ExternalSteadyProducers;
  private readonly handlers: Handlers;
  private readonly log: (line: string) => void;
  private readonly loggedNotes = new Set<string>();
  private stream!: UpdateStream;
  private current!: ClusterSnapshot;
  private source: SourceState;
  private readonly baseIntervalMs: number;
  private pollTimer: Timer | null = null;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private producedRecords = 0;
  private closed = false;

  private constructor(
    private readonly connection: ResolvedConnection,
    private readonly client: ExternalClient,
    options: ExternalHostOptions,
  ) {
    this.log = options.log ?? ((line) => console.error(line));
    this.scheduler.onError = (error) => this.log(`An attached-cluster task failed: ${(error as Error).message}`);
    this.baseIntervalMs = Math.max(MIN_POLL_INTERVAL_MS, connection.pollIntervalMs || 2_000);
    this.source = {
      id: connection.id,
      name: connection.name,
      readOnly: connection.readOnly,
      bootstrap: connection.bootstrapServers,
      pollIntervalMs: this.baseIntervalMs,
      lastRefreshAt: null,
      lastRefreshMs: null,
      error: null,
    };
    this.poller = new ClusterPoller(client, () => this.scheduler.now(), connection.watchedGroups);
    this.timeline = new Timeline(timelineDir(options.dataDir, connection.id));
    this.producers = new ExternalSteadyProducers(client, this.scheduler, () => this.current, this.random.fork(), () => this.stream?.markChanged());
    this.handlers = this.createHandlers();
  }

  /** Connects, reads the first picture and starts polling; rejects with a Kafka error when the cluster cannot be read. */
  static async open(connection: ResolvedConnection, options: ExternalHostOptions): Promise<ExternalHost> {
    const client = new ExternalClient(kafkaConfigFor(connection), options.log);
    const host = new ExternalHost(connection, client, options);
    try {
      await client.connect();
      const started = performance.now();
      const poll = await host.poller.poll();
      host.accept(poll, performance.now() - started, false);
    } catch (error) {
      await host.close();
      throw toKafkaError(error, `Could not attach to ${connection.name}`);
    }
    const source: SnapshotSource = {
      scheduler: host.scheduler,
      snapshot: () => host.current,
      on: (listener) => host.events.on(listener),
      get totals() {
        return { records: host.producedRecords, bytes: 0 };
      },
    };
    host.stream = new UpdateStream(source, { producers: () => host.producers.statuses() });
    host.timeline.addState(host.current);
    host.schedulePoll();
    host.scheduleTimelineSave();
    return host;
  }

  async execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    const parsed = parseCommandArgs<N>(name, args);
    if (!parsed.ok) return parsed;
    try {
      this.refuseIfNotServed(name);
      const handler = this.handlers[name] as (args: CommandArgs<N>) => CommandValue<N> | Promise<CommandValue<N>>;
      return { ok: true, value: await handler(parsed.args) };
    } catch (error) {
      return { ok: false, error: toCommandError(error instanceof KafkaError ? error : toKafkaError(error)) };
    } finally {
      this.stream?.markChanged();
    }
  }

  async snapshot(): Promise<HostSnapshot> {
    return this.stream.snapshot();
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    return this.stream.onUpdate(listener);
  }

  /** The picture of the last successful poll (with the source's state now). */
  picture(): ClusterSnapshot {
    return this.current;
  }

  /** Polls now (or right after the poll in flight) and resolves when the picture is fresh. */
  async refresh(): Promise<void> {
    if (this.closed) return;
    if (this.polling) {
      this.pollAgain = true;
      await this.polling;
      if (this.polling) await this.polling;
      return;
    }
    this.pollTimer?.cancel();
    this.pollTimer = null;
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
      if (this.pollAgain && !this.closed) {
        this.pollAgain = false;
        void this.refresh();
      } else {
        this.schedulePoll();
      }
    });
    await this.polling;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pollTimer?.cancel();
    this.producers.close();
    this.stream?.close();
    await this.polling?.catch(() => {});
    this.timeline.save();
    this.scheduler.stop();
    await this.client.close();
  }

  private schedulePoll(): void {
    if (this.closed || this.pollTimer || this.polling) return;
    this.pollTimer = this.scheduler.schedule(this.source.pollIntervalMs, () => {
      this.pollTimer = null;
      void this.refresh();
    });
  }

  private scheduleTimelineSave(): void {
    this.scheduler.schedule(5_000, () => {
      if (this.closed) return;
      this.timeline.save();
      this.scheduleTimelineSave();
    });
  }

  private async pollOnce(): Promise<void> {
    const started = performance.now();
    try {
      const poll = await this.poller.poll();
      if (!this.closed) this.accept(poll, performance.now() - started, true);
    } catch (error) {
      if (this.closed) return;
      const failure = toKafkaError(error, 'The cluster could not be read');
      // Keep the last picture; say why it is not moving and poll less often until it answers.
      this.source = { ...this.source, error: failure.message, pollIntervalMs: Math.min(MAX_POLL_INTERVAL_MS, this.source.pollIntervalMs * 2) };
      this.current = { ...this.current, source: { ...this.current.source, error: this.source.error, pollIntervalMs: this.source.pollIntervalMs } };
      this.stream.markChanged();
    }
  }

  /** Takes a poll's result: the new picture, its events, the rates and the interval. */
  private accept(poll: PolledCluster, durationMs: number, emit: boolean): void {
    const now = this.scheduler.now();
    const interval = this.source.pollIntervalMs;
    const pollIntervalMs = durationMs > interval ? Math.min(MAX_POLL_INTERVAL_MS, interval * 2) : Math.max(this.baseIntervalMs, Math.round(interval / 2));
    this.source = { ...this.source, pollIntervalMs, lastRefreshAt: now, lastRefreshMs: Math.round(durationMs), error: null };
    for (const note of poll.notes) {
      if (this.loggedNotes.has(note)) continue;
      this.loggedNotes.add(note);
      this.log(`${this.connection.name}: ${note}`);
    }
    const next = this.builder.build(poll, now, this.source);
    const previous = this.current;
    this.current = next;
    if (!previous || !emit) return;
    this.producedRecords += producedSince(previous, next);
    const events = diffSnapshots(previous, next);
    for (const event of events) this.record(event);
    if (this.timeline.wantsState(now, events.length > 0)) this.timeline.addState(next);
    this.stream.markChanged();
  }

  private record(event: ClusterEvent): void {
    this.timeline.addEvent(event);
    this.events.emit(event);
  }

  /** Throws for commands an attached cluster does not serve. */
  private refuseIfNotServed(name: CommandName): void {
    if ((CONNECTION_COMMANDS as readonly string[]).includes(name)) {
      throw new KafkaError('INVALID_REQUEST', 'This host shows one attached cluster; connections to other clusters are managed by the app around it.');
    }
    if ((EMBEDDED_ONLY_COMMANDS as readonly string[]).includes(name)) {
      throw new KafkaError('INVALID_REQUEST', `${embeddedOnlyAction(name)} needs the embedded cluster: an attached cluster is only observed through Kafka's protocol.`);
    }
    if (this.connection.readOnly && (WRITE_COMMANDS as readonly string[]).includes(name)) {
      throw new KafkaError('INVALID_REQUEST', `The connection '${this.connection.name}' is read-only: Brokerscope changes nothing on it (uncheck read-only in the connection's settings to allow writes).`);
    }
  }

  private createHandlers(): Handlers {
    const refuse = (): never => {
      throw new KafkaError('INVALID_REQUEST', 'This command is not served by an attached cluster.');
    };
    const admin = () => this.client.adminClient();
    return {
      stopBroker: refuse,
      startBroker: refuse,
      addBroker: refuse,
      isolateBroker: refuse,
      slowFollower: refuse,
      clearFault: refuse,
      clearAllFaults: refuse,
      electPreferredLeaders: refuse,
      reassignPartition: refuse,
      cancelReassignment: refuse,
      createConsumerGroup: refuse,
      addGroupMember: refuse,
      memberAction: refuse,
      setGroupRate: refuse,
      startScenario: refuse,
      stopScenario: refuse,
      listConnections: refuse,
      saveConnection: refuse,
      testConnection: refuse,
      removeConnection: refuse,
      switchCluster: refuse,
      scenarioStatus: () => null,
      previewTopic: (spec) => ({ replicaAssignment: this.previewPlacement(spec.partitions, spec.replicationFactor) }),
      createTopic: async ({ name, partitions, replicationFactor, configs }) => {
        const created = await (await admin()).createTopics({
          topics: [{ topic: name, numPartitions: partitions, replicationFactor, configEntries: Object.entries(configs).map(([key, value]) => ({ name: key, value })) }],
          waitForLeaders: true,
          timeout: 10_000,
        });
        if (!created) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
        await this.refresh();
        return { name, partitions, replicationFactor };
      },
      deleteTopic: async ({ name }) => {
        await (await admin()).deleteTopics({ topics: [name], timeout: 10_000 });
        this.producers.stopForTopic(name);
        await this.refresh();
        return null;
      },
      createPartitions: async ({ name, totalPartitions }) => {
        await (await admin()).createPartitions({ topicPartitions: [{ topic: name, count: totalPartitions }], timeout: 10_000 });
        await this.refresh();
        return null;
      },
      describeTopicConfigs: async ({ name }) => {
        const entries = await this.describeConfigs(name);
        return entries.map((e) => ({ name: e.configName, value: e.configValue ?? '', isDefault: e.isDefault, doc: TOPIC_CONFIG_DEFS[e.configName]?.doc ?? '' }));
      },
      alterTopicConfigs: async ({ name, configs }) => {
        if (!this.client.offers(ALTER_CONFIGS_API_KEY)) {
          throw new KafkaError('UNSUPPORTED_VERSION', `This cluster does not offer AlterConfigs (API key ${ALTER_CONFIGS_API_KEY}), so topic configs cannot be changed from here.`);
        }
        // AlterConfigs replaces a topic's whole set: send its own settings with these changes
        // applied (a null leaves the config out, which returns it to its default).
        const next: Record<string, string> = {};
        for (const e of await this.describeConfigs(name)) {
          const own = e.configSource === undefined || e.configSource === -1 ? !e.isDefault : e.configSource === DYNAMIC_TOPIC_CONFIG;
          if (own && e.configValue !== null && !e.isSensitive) next[e.configName] = e.configValue;
        }
        for (const [key, value] of Object.entries(configs)) {
          if (value === null) delete next[key];
          else next[key] = value;
        }
        await (await admin()).alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: Object.entries(next).map(([key, value]) => ({ name: key, value })) }] });
        this.poller.invalidateConfigs(name);
        await this.refresh();
        return null;
      },
      resetGroupOffsets: async (args) => {
        const result = await resetGroupOffsets(this.client, this.current, args);
        await this.refresh();
        return result;
      },
      produce: async (args) => {
        const topic = requireTopic(this.current, args.topic);
        const now = this.scheduler.now();
        const records = expandDrafts(args, now, this.random);
        const outcome = await produceRecords(this.client, topic.name, partitionRecords(records, topic.partitions.length, this.random, topic.name), args.acks, now);
        void this.refresh();
        return outcome;
      },
      startProducer: (spec) => ({ id: this.producers.start(spec) }),
      stopProducer: ({ id }) => {
        if (!this.producers.stop(id)) throw new KafkaError('INVALID_REQUEST', `There is no steady producer ${id}.`);
        return null;
      },
      fetchRecords: ({ topic, partition, offset, maxRecords }) => fetchPage(this.client, this.current, topic, partition, offset, maxRecords),
      listOffset: ({ topic, partition, position }) => listOffset(this.client, this.current, topic, partition, position),
      timeline: ({ limit }) => ({ events: this.timeline.listEvents(limit) }),
      stateAt: ({ time }) => {
        const cluster = this.timeline.stateAt(time);
        return cluster ? { time: cluster.time, cluster } : null;
      },
    };
  }

  /**
   * Where Kafka's rack-unaware placement would put the replicas over the brokers seen alive:
   * an estimate, since the external controller chooses the starting broker at random and
   * racks may change it.
   */
  private previewPlacement(partitions: number, replicationFactor: number): number[][] {
    const alive = this.current.brokers.filter((b) => b.alive).map((b) => b.id);
    if (partitions < 1) throw new KafkaError('INVALID_PARTITIONS', 'A topic needs at least one partition.');
    if (replicationFactor < 1 || replicationFactor > alive.length) {
      throw new KafkaError('INVALID_REPLICATION_FACTOR', `Replication factor ${replicationFactor} is not in 1..${alive.length} (the brokers alive now).`);
    }
    return assignReplicas(alive, partitions, replicationFactor, this.random, { fixedStartIndex: 0 });
  }

  private async describeConfigs(name: string) {
    const { resources } = await (await this.client.adminClient()).describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name }] });
    const resource = resources[0];
    if (!resource) throw new KafkaError('UNKNOWN_SERVER_ERROR', `The cluster did not describe topic '${name}'.`);
    if (resource.errorCode !== 0) throw toKafkaError({ code: resource.errorCode, message: resource.errorMessage ?? undefined }, `Topic '${name}'`);
    return resource.configEntries as { configName: string; configValue: string | null; isDefault: boolean; configSource?: number; isSensitive: boolean }[];
  }
}

/** Tests a connection: connects, reads the metadata and closes. */
export async function testConnection(connection: ResolvedConnection): Promise<ConnectionTestResult> {
  const started = performance.now();
  const client = new ExternalClient(kafkaConfigFor(connection));
  try {
    await client.connect();
    const metadata = await client.request(null, METADATA, (version) => ({ topics: version === 0 ? [] : null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }), METADATA_MAX_VERSION);
    const brokers = (metadata.brokers as { nodeId: number; host: string; port: number }[]).map((b) => ({ id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.id - b.id);
    return {
      clusterId: (metadata.clusterId as string | null) ?? null,
      controllerId: (metadata.controllerId as number | undefined) ?? -1,
      brokers,
      topics: (metadata.topics as unknown[]).length,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw toKafkaError(error, `Could not read the metadata of ${connection.bootstrapServers}`);
  } finally {
    await client.close();
  }
}

/** Records produced between two pictures: the growth of every partition's high watermark. */
function producedSince(previous: ClusterSnapshot, next: ClusterSnapshot): number {
  const before = new Map<string, number>();
  for (const topic of previous.topics) for (const p of topic.partitions) before.set(partitionKey(topic.name, p.partition), p.highWatermark);
  let records = 0;
  for (const topic of next.topics) {
    for (const p of topic.partitions) {
      const was = before.get(partitionKey(topic.name, p.partition));
      if (was !== undefined && was >= 0 && p.highWatermark > was) records += p.highWatermark - was;
    }
  }
  return records;
}

/** The folder of a connection's timeline (its id made safe for a file name). */
function timelineDir(dataDir: string | null, id: string): string | null {
  if (!dataDir) return null;
  const dir = join(dataDir, 'external', id.replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The action an embedded-only command names, for its refusal. */
function embeddedOnlyAction(name: CommandName): string {
  switch (name) {
    case 'stopBroker':
    case 'startBroker':
      return 'Stopping and starting brokers';
    case 'addBroker':
      return 'Adding brokers';
    case 'isolateBroker':
    case 'slowFollower':
    case 'clearFault':
    case 'clearAllFaults':
      return 'Injecting faults';
    case 'electPreferredLeaders':
    case 'reassignPartition':
    case 'cancelReassignment':
      return 'Moving leaders and replicas';
    case 'startScenario':
    case 'stopScenario':
      return 'A guided scenario';
    default:
      return 'In-app consumer groups';
  }
}
