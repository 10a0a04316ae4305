/**
 * The consumer groups of one poll of an external cluster. The groups polled are those
 * ListGroups names on each broker (where the cluster serves it and its ACLs allow it) plus the
 * connection's watched groups, whose coordinators FindCoordinator finds; a watched group that
 * ListGroups also names is polled once. Each coordinator describes its groups with
 * DescribeGroups (state, members, decoded assignments) and OffsetFetch reads their committed
 * offsets. Where the cluster does not serve DescribeGroups (librdkafka's mock cluster, for
 * one), a group is shown from OffsetFetch alone: state 'Unknown', no members, and its commits
 * on every partition of the metadata, named one by one because such clusters may not answer
 * OffsetFetch's "all topics" (null) form. A group that cannot be read this poll is left out
 * with a note; the next poll asks again.
 */
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import type { GroupMemberSnapshot } from '../group/snapshot';
import type { Message } from '../kafka/protocol/codec';
import { errorByCode } from '../protocol/errors';
import { DESCRIBE_GROUPS, LIST_GROUPS, OFFSET_FETCH, OFFSET_FETCH_MAX_VERSION } from './apis';
import type { ExternalClient } from './client';
import { throwIfError } from './errors';
import { findCoordinator } from './offsets';
import type { PolledTopic } from './poll';

/** A consumer group as its coordinator describes it (or, without DescribeGroups, as its commits show it). */
export interface PolledGroup {
  groupId: string;
  coordinator: number;
  /** DescribeGroups' state, or 'Unknown' when the cluster does not serve DescribeGroups. */
  state: string;
  /** '' when not observable. */
  protocolType: string;
  protocol: string | null;
  members: GroupMemberSnapshot[];
  committed: { topic: string; partition: number; offset: number }[];
}

/** What one poll read of the groups. */
export interface PolledGroups {
  /** Sorted by group id. */
  groups: PolledGroup[];
  /** False when the cluster does not serve DescribeGroups: members, assignments and states are not shown. */
  membersObservable: boolean;
}

/** The partitions of a request, by topic name. */
type PartitionsByTopic = Map<string, number[]>;

/** Reads a cluster's groups at each poll; remembers where the watched groups' coordinators are. */
export class GroupReader {
  /** Coordinators of watched groups that ListGroups did not name, kept until asking one fails. */
  private readonly coordinators = new Map<string, number>();

  constructor(
    private readonly client: ExternalClient,
    private readonly watchedGroups: readonly string[],
  ) {}

  /** The listed and watched groups, described (or read from their commits) at their coordinators. */
  async read(brokerIds: number[], topics: PolledTopic[], notes: string[]): Promise<PolledGroups> {
    const byCoordinator = await this.listGroups(brokerIds, notes);
    await this.locateWatched(byCoordinator, new Set(brokerIds), notes);
    const membersObservable = this.client.offers(DESCRIBE_GROUPS.request.apiKey);
    const everyPartition: PartitionsByTopic = new Map(topics.map((t) => [t.name, t.partitions.map((p) => p.partition)]));
    const groups = await Promise.all(
      [...byCoordinator].map(async ([coordinator, groupIds]) => {
        const ids = [...groupIds];
        try {
          return membersObservable ? await this.describeGroups(coordinator, ids, notes) : await this.readCommitsOnly(coordinator, ids, everyPartition, notes);
        } catch (error) {
          for (const id of ids) this.coordinators.delete(id);
          notes.push(`Groups on broker ${coordinator} could not be ${membersObservable ? 'described' : 'read'}: ${(error as Error).message}`);
          return [];
        }
      }),
    );
    return { groups: groups.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0)), membersObservable };
  }

  /** Coordinator to the groups ListGroups names on it (a broker lists the groups it coordinates). */
  private async listGroups(brokerIds: number[], notes: string[]): Promise<Map<number, Set<string>>> {
    const byCoordinator = new Map<number, Set<string>>();
    await Promise.all(
      brokerIds.map(async (brokerId) => {
        try {
          const response = await this.client.request(brokerId, LIST_GROUPS, { statesFilter: [] }, 2);
          throwIfError(response.errorCode as number, `ListGroups on broker ${brokerId}`);
          const groupIds = (response.groups as Message[]).map((g) => g.groupId as string);
          if (groupIds.length > 0) byCoordinator.set(brokerId, new Set(groupIds));
        } catch (error) {
          notes.push(`Groups of broker ${brokerId} could not be listed: ${(error as Error).message}`);
        }
      }),
    );
    return byCoordinator;
  }

  /** Adds the watched groups ListGroups did not name, at the coordinator FindCoordinator names (remembered). */
  private async locateWatched(byCoordinator: Map<number, Set<string>>, alive: Set<number>, notes: string[]): Promise<void> {
    const listed = new Set([...byCoordinator.values()].flatMap((ids) => [...ids]));
    await Promise.all(
      this.watchedGroups
        .filter((groupId) => !listed.has(groupId))
        .map(async (groupId) => {
          let coordinator = this.coordinators.get(groupId);
          if (coordinator === undefined || !alive.has(coordinator)) {
            try {
              // One attempt: a coordinator still loading is asked for again at the next poll.
              coordinator = await findCoordinator(this.client, groupId, 0);
            } catch (error) {
              this.coordinators.delete(groupId);
              notes.push(`The coordinator of watched group ${groupId} could not be found: ${(error as Error).message}`);
              return;
            }
            this.coordinators.set(groupId, coordinator);
          }
          let ids = byCoordinator.get(coordinator);
          if (!ids) byCoordinator.set(coordinator, (ids = new Set()));
          ids.add(groupId);
        }),
    );
  }

  /** DescribeGroups at a coordinator, then each described group's committed offsets. */
  private async describeGroups(coordinator: number, groupIds: string[], notes: string[]): Promise<PolledGroup[]> {
    const response = await this.client.request(coordinator, DESCRIBE_GROUPS, { groups: groupIds, includeAuthorizedOperations: false }, 4);
    const described: Message[] = [];
    for (const g of response.groups as Message[]) {
      if (g.errorCode === 0) {
        described.push(g);
        continue;
      }
      // NOT_COORDINATOR and the like: the group moved, so find it again at the next poll.
      this.coordinators.delete(g.groupId as string);
      notes.push(`Group ${g.groupId as string} could not be described: ${errorByCode(g.errorCode as number)?.name ?? `error code ${g.errorCode as number}`}`);
    }
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
        const assigned: PartitionsByTopic = new Map();
        for (const member of members) for (const p of member.assignment) assigned.set(p.topic, [...(assigned.get(p.topic) ?? []), p.partition]);
        return {
          groupId: g.groupId as string,
          coordinator,
          state: g.groupState as string,
          protocolType,
          protocol: (g.protocolData as string) || null,
          members: members.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0)),
          // Every committed topic (v2+), or the assigned partitions where the broker cannot list them all.
          committed: await fetchCommitted(this.client, coordinator, g.groupId as string, assigned, true),
        };
      }),
    );
  }

  /** Groups known only by their commits: each group's OffsetFetch on every partition of the metadata. */
  private async readCommitsOnly(coordinator: number, groupIds: string[], everyPartition: PartitionsByTopic, notes: string[]): Promise<PolledGroup[]> {
    const read = await Promise.all(
      groupIds.map(async (groupId): Promise<PolledGroup | null> => {
        try {
          const committed = await fetchCommitted(this.client, coordinator, groupId, everyPartition, false);
          // Members, assignor and state are DescribeGroups' answer, which this cluster does not give.
          return { groupId, coordinator, state: 'Unknown', protocolType: '', protocol: null, members: [], committed };
        } catch (error) {
          this.coordinators.delete(groupId);
          notes.push(`The committed offsets of group ${groupId} could not be read: ${(error as Error).message}`);
          return null;
        }
      }),
    );
    return read.filter((group): group is PolledGroup => group !== null);
  }
}

/**
 * A group's committed offsets: with `allTopics`, every topic it committed to (OffsetFetch v2+
 * takes null for that; older versions get `named`), else the `named` partitions. Partitions with
 * nothing committed (-1) are left out.
 */
async function fetchCommitted(client: ExternalClient, coordinator: number, groupId: string, named: PartitionsByTopic, allTopics: boolean): Promise<PolledGroup['committed']> {
  const response = await client.request(
    coordinator,
    OFFSET_FETCH,
    (version) => ({
      groupId,
      topics: allTopics && version >= 2 ? null : [...named].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
      requireStable: false,
    }),
    OFFSET_FETCH_MAX_VERSION,
  );
  // The group-level error exists from v2; older versions repeat it on every partition.
  throwIfError((response.errorCode as number | undefined) ?? 0, `OffsetFetch for group ${groupId}`);
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
