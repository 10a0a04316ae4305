/**
 * One poll of an external cluster over Kafka's protocol: Metadata (brokers, controller,
 * partitions with leader, leader epoch, replicas, ISR and offline replicas), ListOffsets for
 * the log start and end of every partition (one request per leader broker for each, never one
 * per topic), topic configs when topics appear and then a slice at a time, and consumer
 * groups (the listed and the watched ones; see groups.ts). Parts a cluster does not offer (the
 * librdkafka mock has no DescribeConfigs, for one) leave their part empty with a note
 * instead of failing the whole poll.
 */
import kafkajs from 'kafkajs';
import type { Message } from '../kafka/protocol/codec';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, LIST_OFFSETS, LIST_OFFSETS_MAX_VERSION, METADATA, METADATA_MAX_VERSION } from './apis';
import type { ExternalClient } from './client';
import { GroupReader, type PolledGroup } from './groups';
import { toKafkaError } from './errors';

export type { PolledGroup } from './groups';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const { ConfigResourceTypes } = kafkajs;

/** A partition as the metadata describes it. */
export interface PolledPartition {
  partition: number;
  leader: number;
  /** -1 when the cluster answers Metadata below v7 (no epochs). */
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

/** A topic as the metadata describes it. */
export interface PolledTopic {
  name: string;
  internal: boolean;
  partitions: PolledPartition[];
}

/** Everything one poll read. */
export interface PolledCluster {
  clusterId: string | null;
  controllerId: number;
  brokers: { id: number; host: string; port: number }[];
  topics: PolledTopic[];
  /** `topic\u0000partition` to the log's range as the leader reports it. */
  ends: Map<string, { logStartOffset: number; highWatermark: number }>;
  /** Topic configs that differ from the defaults, by topic (absent: not read yet or not offered). */
  configs: Map<string, Record<string, string>>;
  groups: PolledGroup[];
  /** False when the cluster does not serve DescribeGroups: groups are shown from their committed offsets alone. */
  groupMembersObservable: boolean;
  /** Parts of the picture this cluster would not give, each with a sentence (logged once by the host). */
  notes: string[];
}

/** The key of a partition in maps. */
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** How many topics one DescribeConfigs asks about. */
const CONFIG_BATCH = 500;
/** How often every topic's configs are read again (a slice per poll). */
const CONFIG_REFRESH_MS = 60_000;

/** Polls one external cluster; remembers topic configs between polls. */
export class ClusterPoller {
  private readonly configs = new Map<string, Record<string, string>>();
  private readonly configReadAt = new Map<string, number>();
  private configsOffered = true;
  private readonly staleConfigs = new Set<string>();
  private readonly groupReader: GroupReader;
  /** Each partition's log range as last read, for partitions whose leader does not answer. */
  private lastEnds = new Map<string, { logStartOffset: number; highWatermark: number }>();

  constructor(
    private readonly client: ExternalClient,
    private readonly now: () => number,
    /** Groups to poll even when the cluster does not list them. */
    watchedGroups: readonly string[] = [],
  ) {
    this.groupReader = new GroupReader(client, watchedGroups);
  }

  /** Marks a topic's configs to be read at the next poll (after this app changed them). */
  invalidateConfigs(topic: string): void {
    this.staleConfigs.add(topic);
  }

  /**
   * Reads the whole picture once; throws only when the metadata cannot be read. A leader that
   * does not answer ListOffsets (a broker that just stopped, before the metadata says so) costs
   * its partitions their fresh offsets for this poll, not the poll: they keep the last ones read.
   */
  async poll(): Promise<PolledCluster> {
    const notes: string[] = [];
    const metadata = await this.client.request(null, METADATA, (version) => ({ topics: version === 0 ? [] : null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }), METADATA_MAX_VERSION);
    const brokers = (metadata.brokers as Message[]).map((b) => ({ id: b.nodeId as number, host: b.host as string, port: b.port as number })).sort((a, b) => a.id - b.id);
    await this.client.syncBrokers(brokers);
    const topics = readTopics(metadata);
    const [ends, groups] = await Promise.all([
      this.readEnds(topics, notes),
      this.groupReader.read(brokers.map((b) => b.id), topics, notes),
      this.readConfigs(topics, notes),
    ]);
    return {
      clusterId: (metadata.clusterId as string | null) ?? null,
      controllerId: (metadata.controllerId as number) ?? -1,
      brokers,
      topics,
      ends,
      configs: new Map(this.configs),
      groups: groups.groups,
      groupMembersObservable: groups.membersObservable,
      notes,
    };
  }

  /** Log start offsets and high watermarks: one ListOffsets per leader for each end. */
  private async readEnds(topics: PolledTopic[], notes: string[]): Promise<Map<string, { logStartOffset: number; highWatermark: number }>> {
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const topic of topics) {
      for (const p of topic.partitions) {
        if (p.leader < 0) continue;
        let perTopic = byLeader.get(p.leader);
        if (!perTopic) byLeader.set(p.leader, (perTopic = new Map()));
        let list = perTopic.get(topic.name);
        if (!list) perTopic.set(topic.name, (list = []));
        list.push(p.partition);
      }
    }
    const ends = new Map<string, { logStartOffset: number; highWatermark: number }>();
    await Promise.all(
      [...byLeader].map(async ([leader, perTopic]) => {
        try {
          const [earliest, latest] = await Promise.all([listOffsets(this.client, leader, perTopic, EARLIEST_TIMESTAMP), listOffsets(this.client, leader, perTopic, LATEST_TIMESTAMP)]);
          for (const [key, highWatermark] of latest) ends.set(key, { logStartOffset: earliest.get(key) ?? -1, highWatermark });
        } catch (error) {
          // The error's name only, so that the note is logged once however its detail varies.
          notes.push(`Broker ${leader} did not answer ListOffsets; its partitions keep their last known offsets until it does (${toKafkaError(error).name}).`);
          for (const [topic, partitions] of perTopic) {
            for (const partition of partitions) {
              const key = partitionKey(topic, partition);
              const last = this.lastEnds.get(key);
              if (last) ends.set(key, last);
            }
          }
        }
      }),
    );
    this.lastEnds = ends;
    return ends;
  }

  /** Configs of new topics and of those changed here, and a slice of the rest when they are due. */
  private async readConfigs(topics: PolledTopic[], notes: string[]): Promise<void> {
    const names = new Set(topics.map((t) => t.name));
    for (const name of this.configs.keys()) if (!names.has(name)) (this.configs.delete(name), this.configReadAt.delete(name));
    if (!this.configsOffered) return;
    const now = this.now();
    const due = topics
      .map((t) => t.name)
      .filter((name) => !this.configReadAt.has(name) || this.staleConfigs.has(name) || now - this.configReadAt.get(name)! > CONFIG_REFRESH_MS)
      .sort((a, b) => (this.configReadAt.get(a) ?? -1) - (this.configReadAt.get(b) ?? -1));
    // New and changed topics all at once; the periodic refresh a slice per poll.
    const fresh = due.filter((name) => !this.configReadAt.has(name) || this.staleConfigs.has(name));
    const batch = fresh.length > 0 ? fresh : due.slice(0, CONFIG_BATCH);
    if (batch.length === 0) return;
    try {
      const admin = await this.client.adminClient();
      for (let start = 0; start < batch.length; start += CONFIG_BATCH) {
        const slice = batch.slice(start, start + CONFIG_BATCH);
        const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: slice.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) });
        for (const resource of resources) {
          if (resource.errorCode !== 0) continue;
          const configs: Record<string, string> = {};
          for (const entry of resource.configEntries) if (!entry.isDefault && entry.configValue !== null) configs[entry.configName] = entry.configValue;
          this.configs.set(resource.resourceName, configs);
          this.configReadAt.set(resource.resourceName, now);
          this.staleConfigs.delete(resource.resourceName);
        }
      }
    } catch (error) {
      const message = (error as Error).message;
      if (/not supported|UNSUPPORTED_VERSION|not implemented/i.test(message)) {
        this.configsOffered = false;
        notes.push('This cluster does not offer DescribeConfigs: topic configs are not shown.');
      } else {
        notes.push(`Topic configs could not be read: ${message}`);
      }
    }
  }
}

/** The partitions of the metadata, sorted by topic name and partition. */
function readTopics(metadata: Message): PolledTopic[] {
  const topics: PolledTopic[] = [];
  for (const t of metadata.topics as Message[]) {
    // A topic being deleted or not yet ready answers with an error and no partitions: skip it this poll.
    if (t.errorCode !== 0 && (t.partitions as Message[]).length === 0) continue;
    const partitions = (t.partitions as Message[])
      .map((p): PolledPartition => ({
        partition: p.partitionIndex as number,
        leader: p.leaderId as number,
        leaderEpoch: (p.leaderEpoch as number) ?? -1,
        replicas: p.replicaNodes as number[],
        isr: p.isrNodes as number[],
        offlineReplicas: (p.offlineReplicas as number[] | undefined) ?? [],
      }))
      .sort((a, b) => a.partition - b.partition);
    topics.push({ name: t.name as string, internal: Boolean(t.isInternal), partitions });
  }
  return topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One ListOffsets to a leader for all its partitions; partitions that answer with an error are left out. */
async function listOffsets(client: ExternalClient, leader: number, perTopic: Map<string, number[]>, timestamp: number): Promise<Map<string, number>> {
  const response = await client.request(leader, LIST_OFFSETS, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [...perTopic].map(([name, partitions]) => ({ name, partitions: partitions.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 })) })),
  }, LIST_OFFSETS_MAX_VERSION);
  const result = new Map<string, number>();
  for (const topic of response.topics as Message[]) {
    for (const p of topic.partitions as Message[]) {
      if (p.errorCode !== 0) continue;
      const offset = (p.oldStyleOffsets as number[] | undefined)?.[0] ?? (p.offset as number);
      result.set(partitionKey(topic.name as string, p.partitionIndex as number), offset);
    }
  }
  return result;
}
