/**
 * The consumer groups the window creates: in-app consumers with settings chosen so that what
 * happens plays out while a person watches (a 6 s session timeout, 2 s heartbeats, commits
 * every second, reading from the earliest offset). The host keeps each group's settings so
 * "add a member" joins with the same topics, assignor and rate.
 */
import type { Cluster } from '../cluster';
import type { Consumer } from '../client/consumer';
import { ASSIGNOR_NAMES, isAssignorName, type AssignorName } from '../group/assignors';
import { KafkaError } from '../protocol/errors';

/** A group as the window's form describes it. */
export interface AppGroupSpec {
  groupId: string;
  topics: string[];
  members: number;
  assignor: AssignorName;
  /** Records per second per member; null: as fast as it can. */
  recordsPerSecond: number | null;
  /** session.timeout.ms of every member (default 6 s). */
  sessionTimeoutMs?: number;
}

/** What one member control does. */
export type MemberAction = 'pause' | 'resume' | 'crash' | 'close';

/** Most in-app members one window may run, so a click cannot start thousands of consumers. */
export const MAX_APP_MEMBERS = 64;
/** The in-app members' session timeout: a crash plays out in seconds. */
export const APP_SESSION_TIMEOUT_MS = 6_000;

export class AppGroups {
  private readonly specs = new Map<string, AppGroupSpec>();

  constructor(private readonly cluster: Cluster) {}

  /** Starts a group of `members` in-app consumers; returns their client ids. */
  create(spec: AppGroupSpec): string[] {
    for (const topic of spec.topics) {
      if (!this.cluster.store.image.topics.has(topic)) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist.`);
    }
    if (this.live(spec.groupId).length > 0) {
      throw new KafkaError('INVALID_REQUEST', `Group '${spec.groupId}' already has members in this window; add members to it instead.`);
    }
    this.checkRoom(spec.members);
    this.specs.set(spec.groupId, { ...spec });
    return Array.from({ length: spec.members }, () => this.start(spec).clientId);
  }

  /**
   * Adds one member to a group; returns its client id. A group this window created keeps its
   * settings; any other (a remote client's) is joined with its current assignor and topics,
   * when the assignor is one of Kafka's built-in ones (what the group's members agreed on).
   */
  async addMember(groupId: string): Promise<string> {
    const spec = this.specs.get(groupId) ?? (await this.joinableSpec(groupId));
    this.checkRoom(1);
    return this.start(spec).clientId;
  }

  /** Settings for an in-app member joining a group it did not create, from DescribeGroups. */
  private async joinableSpec(groupId: string): Promise<AppGroupSpec> {
    const group = await this.cluster.describeGroup(groupId);
    if (group.members.length === 0) {
      throw new KafkaError('GROUP_ID_NOT_FOUND', `Group '${groupId}' has no members, so there is no assignor and subscription to join with.`);
    }
    if (group.protocolType !== 'consumer') {
      throw new KafkaError('INCONSISTENT_GROUP_PROTOCOL', `Group '${groupId}' uses protocol type '${group.protocolType}', not Kafka's consumer protocol.`);
    }
    if (!isAssignorName(group.protocol)) {
      const named = group.protocol === '' ? 'is rebalancing, so its assignor is not settled yet' : `uses the assignor '${group.protocol}', which in-app members do not speak (they speak ${ASSIGNOR_NAMES.join(', ')})`;
      throw new KafkaError('INCONSISTENT_GROUP_PROTOCOL', `Group '${groupId}' ${named}.`);
    }
    const topics = [...new Set(group.members.flatMap((member) => member.subscription))].sort();
    if (topics.length === 0) throw new KafkaError('INCONSISTENT_GROUP_PROTOCOL', `Group '${groupId}' reports no subscribed topics to join with.`);
    return { groupId, topics, members: 1, assignor: group.protocol, recordsPerSecond: null };
  }

  /** Pauses, resumes, crashes or closes one member. */
  memberAction(clientId: string, action: MemberAction): void {
    const consumer = this.cluster.consumers().find((c) => c.clientId === clientId);
    if (!consumer) throw new KafkaError('UNKNOWN_MEMBER_ID', `There is no in-app member '${clientId}'.`);
    if (action === 'pause') consumer.pause();
    else if (action === 'resume') consumer.resume();
    else if (action === 'crash') consumer.crash();
    else void consumer.close();
  }

  /** Changes the consume rate of every member of a group (null: as fast as they can). */
  setRate(groupId: string, recordsPerSecond: number | null): void {
    const spec = this.specs.get(groupId);
    if (spec) spec.recordsPerSecond = recordsPerSecond;
    for (const consumer of this.live(groupId)) consumer.setRate(recordsPerSecond);
  }

  /** Closes every member of every group (the scenarios' clean-up and the host's close). */
  closeGroup(groupId: string): Promise<void> {
    return Promise.all(this.cluster.consumers().filter((c) => c.groupId === groupId).map((c) => c.close())).then(() => undefined);
  }

  private start(spec: AppGroupSpec): Consumer {
    return this.cluster.createConsumer({
      groupId: spec.groupId,
      topics: spec.topics,
      assignors: [spec.assignor],
      sessionTimeoutMs: spec.sessionTimeoutMs ?? APP_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: Math.floor((spec.sessionTimeoutMs ?? APP_SESSION_TIMEOUT_MS) / 3),
      // A short rebalance timeout: a member that stops polling is dropped within a rebalance the user can watch.
      maxPollIntervalMs: 30_000,
      autoOffsetReset: 'earliest',
      autoCommitIntervalMs: 1_000,
      recordsPerSecond: spec.recordsPerSecond,
      metadataMaxAgeMs: 10_000,
    });
  }

  private live(groupId: string): Consumer[] {
    return this.cluster.consumers().filter((c) => c.groupId === groupId && (c.state === 'running' || c.state === 'paused'));
  }

  private checkRoom(adding: number): void {
    const running = this.cluster.consumers().filter((c) => c.state === 'running' || c.state === 'paused').length;
    if (running + adding > MAX_APP_MEMBERS) {
      throw new KafkaError('INVALID_REQUEST', `At most ${MAX_APP_MEMBERS} in-app members run at once; ${running} are running.`);
    }
  }
}
