/**
 * One poll of an external cluster over Kafka's protocol: Metadata (brokers, controller,
 * partitions with leader, leader epoch, replicas, ISR and offline replicas), ListOffsets for
 * the log start and end of every partition (one request per leader broker for each, never one
 * per topic), topic configs when topics appear and then a slice at a time, and consumer
 * groups (ListGroups on every broker, which names the groups it coordinates, then
 * DescribeGroups and OffsetFetch at each coordinator). Parts a cluster does not offer (the
 * librdkafka mock has no DescribeConfigs, for one) leave their part empty with a note
 * instead of failing the whole poll.
 */
import kafkajs from 'kafkajs';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import type { GroupMemberSnapshot } from '../group/snapshot';
import type { Message } from '../kafka/protocol/codec';
import { errorByCode } from '../protocol/errors';
import {
  DESCRIBE_GROUPS,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  LIST_GROUPS,
  LIST_OFFSETS,
  LIST_OFFSETS_MAX_VERSION,
  METADATA,
  METADATA_MAX_VERSION,
  OFFSET_FETCH,
  OFFSET_FETCH_MAX_VERSION,
} from './apis';
import type { ExternalClient } from './client';
import { throwIfError } from './errors';

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

/** A consumer group as its coordinator describes it. */
export interface PolledGroup {
  groupId: string;
  coordinator: number;
  state: string;
  protocolType: string;
  protocol: string | null;
  members: GroupMemberSnapshot[];
  committed: { topic: string; partition: number; offset: number }[];
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

  constructor(
    private readonly client: ExternalClient,
    private readonly now: () => number,
  ) {}

  /** Marks a topic's configs to be read at the next poll (after this app changed them). */
  invalidateConfigs(topic: string): void {
    this.staleConfigs.add(topic);
  }

  /** Reads the whole picture once; throws when the metadata cannot be read. */
  async poll(): Promise<PolledCluster> {
    const notes: string[] = [];
    const metadata = await this.client.request(null, METADATA, (version) => ({ topics: version === 0 ? [] : null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }), METADATA_MAX_VERSION);
    const brokers = (metadata.brokers as Message[]).map((b) => ({ id: b.nodeId as number, host: b.host as string, port: b.port as number })).sort((a, b) => a.id - b.id);
    await this.client.syncBrokers(brokers);
    const topics = readTopics(metadata);
    const [ends, groups] = await Promise.all([
      this.readEnds(topics),
      this.readGroups(brokers.map((b) => b.id), notes),
      this.readConfigs(topics, notes),
    ]);
    return { clusterId: (metadata.clusterId as string | null) ?? null, controllerId: (metadata.controllerId as number) ?? -1, brokers, topics, ends, configs: new Map(this.configs), groups, notes };
  }

  /** Log start offsets and high watermarks: one ListOffsets per leader for each end. */
  private async readEnds(topics: PolledTopic[]): Promise<Map<string, { logStartOffset: number; highWatermark: number }>> {
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
        const [earliest, latest] = await Promise.all([listOffsets(this.client, leader, perTopic, EARLIEST_TIMESTAMP), listOffsets(this.client, leader, perTopic, LATEST_TIMESTAMP)]);
        for (const [key, highWatermark] of latest) ends.set(key, { logStartOffset: earliest.get(key) ?? -1, highWatermark });
      }),
    );
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

  /** Every group each broker coordinates, described, with committed offsets. */
  private async readGroups(brokerIds: number[], notes: string[]): Promise<PolledGroup[]> {
    const listed = await Promise.all(
      brokerIds.map(async (brokerId) => {
        try {
          const response = await this.client.request(brokerId, LIST_GROUPS, { statesFilter: [] }, 2);
          throwIfError(response.errorCode as number, `ListGroups on broker ${brokerId}`);
          return { brokerId, groupIds: (response.groups as Message[]).map((g) => g.groupId as string) };
        } catch (error) {
          notes.push(`Groups of broker ${brokerId} could not be listed: ${(error as Error).message}`);
          return { brokerId, groupIds: [] as string[] };
        }
      }),
    );
    const groups = await Promise.all(
      listed
        .filter((l) => l.groupIds.length > 0)
        .map(async ({ brokerId, groupIds }) => {
          try {
            return await this.describeGroups(brokerId, groupIds);
          } catch (error) {
            notes.push(`Groups on broker ${brokerId} could not be described: ${(error as Error).message}`);
            return [];
          }
        }),
    );
    return groups.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  private async describeGroups(coordinator: number, groupIds: string[]): Promise<PolledGroup[]> {
    const response = await this.client.request(coordinator, DESCRIBE_GROUPS, { groups: groupIds, includeAuthorizedOperations: false }, 4);
    const described = (response.groups as Message[]).filter((g) => g.errorCode === 0);
    return Promise.all(
      described.map(async (g): Promise<PolledGroup> => {
        const protocolType = g.protocolType as string;
        const members = (g.members as Message[]).map((m): GroupMemberSnapshot => ({
          memberId: m.memberId as string,
          groupInstanceId: (m.groupInstanceId as string | null) ?? null,
          clientId: m.clientId as string,
          clientHost: m.clientHost as string,
          // DescribeGroups does not carry the timeouts: -1 means not observable.
          sessionTimeoutMs: -1,
          rebalanceTimeoutMs: -1,
          assignment: decodeMemberAssignment(protocolType, m.memberAssignment as Buffer | null),
        }));
        return {
          groupId: g.groupId as string,
          coordinator,
          state: g.groupState as string,
          protocolType,
          protocol: (g.protocolData as string) || null,
          members: members.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0)),
          committed: await fetchCommitted(this.client, coordinator, g.groupId as string, members),
        };
      }),
    );
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

/** The committed offsets of a group (all topics; from the assigned topics when the broker cannot list all). */
async function fetchCommitted(client: ExternalClient, coordinator: number, groupId: string, members: GroupMemberSnapshot[]): Promise<PolledGroup['committed']> {
  const assigned = new Map<string, number[]>();
  for (const member of members) for (const p of member.assignment) assigned.set(p.topic, [...(assigned.get(p.topic) ?? []), p.partition]);
  const response = await client.request(
    coordinator,
    OFFSET_FETCH,
    (version) => ({
      groupId,
      // Null (all committed topics) exists from v2; v0 and v1 must name the partitions.
      topics: version >= 2 ? null : [...assigned].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
      requireStable: false,
    }),
    OFFSET_FETCH_MAX_VERSION,
  );
  if (typeof response.errorCode === 'number' && response.errorCode !== 0) {
    throw new Error(`OffsetFetch for group ${groupId}: ${errorByCode(response.errorCode)?.name ?? response.errorCode}`);
  }
  const committed: PolledGroup['committed'] = [];
  for (const topic of response.topics as Message[]) {
    for (const p of topic.partitions as Message[]) {
      if (p.errorCode === 0 && (p.committedOffset as number) >= 0) committed.push({ topic: topic.name as string, partition: p.partitionIndex as number, offset: p.committedOffset as number });
    }
  }
  return sortPartitions(committed) as PolledGroup['committed'];
}

/** A member's assignment, decoded when the group speaks the consumer protocol (others carry opaque bytes). */
function decodeMemberAssignment(protocolType: string, bytes: Buffer | null): TopicPartition[] {
  if (protocolType !== CONSUMER_PROTOCOL_TYPE || !bytes || bytes.length === 0) return [];
  try {
    return sortPartitions(decodeAssignment(bytes).partitions);
  } catch {
    return [];
  }
}
